set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch04-pileup.png'

set multiplot layout 2,1 title "Chapter 4: without compaction, tables pile up and gets slow down\n(stage 4: rounds of 100000 random overwrites over 100000 keys, memtable\\_bytes=262144)" font ',12'
set grid
set key top left
set lmargin 12
set rmargin 12
set xrange [0:1.155e+06]
set xlabel 'puts so far (fillrandom, then overwrite rounds)'
set ylabel 'tables on disk'
set y2label 'MiB on disk'
set ytics nomirror
set y2tics
set yrange [0:839.3]
set y2range [0:248.716]
set title 'tables and MiB on disk after each round (the live data stays 100000 keys; about 0.15 MiB a table)'
plot 'data/ch04-pileup.dat' using 1:2 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00'      title 'tables (left)',      '' using 1:3 axes x1y2 with linespoints lw 2 dt 2 pt 10 ps 1.3 lc rgb '#e69f00' title 'MiB on disk (right)'
unset y2tics
unset y2label
set ytics mirror
set ylabel 'I/O reads (pread) per get'
unset y2label
set title 'after each round: preads per get, for keys that are there and keys that are not'
plot 'data/ch04-pileup.dat' using 1:6 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00'      title 'readmissing: a missing key reads every table',      '' using 1:4 with linespoints lw 2 dt 2 pt 10 ps 1.3 lc rgb '#e69f00'      title 'readrandom: keys found (most in the newest rounds'' tables)'
unset multiplot
