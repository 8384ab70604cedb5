set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch05-read-amp.png'

set multiplot layout 2,1 title "Chapter 5: compaction bounds the tables a get reads\n(fillrandom, then 10 rounds of 100000 random overwrites over the same 100000 keys;\nmemtable\\_bytes=262144)" font ',12'
set grid
set key center right box opaque
set lmargin 12
set xrange [0:*]
set yrange [0:*]
set xlabel 'MiB put so far (16-byte keys + 100-byte values)'
set ylabel 'I/O reads (pread) per get'
set logscale y
set format y '%g'
set yrange [0.5:*]
set title 'readrandom after each round: preads per get (log scale)'
plot 'data/ch05-read-amp-stage4.dat' using 2:5 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' \
     title 'stage4-wal-recovery', \
     'data/ch05-read-amp-stage5.dat' using 2:5 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction'
set ylabel 'microseconds per get'
set yrange [1:*]
set title 'readrandom after each round: time per get (log scale)'
plot 'data/ch05-read-amp-stage4.dat' using 2:6 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' \
     title 'stage4-wal-recovery', \
     'data/ch05-read-amp-stage5.dat' using 2:6 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction'
unset multiplot
