set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch06-missing-reads.png'

set multiplot layout 2,1 title "Chapter 6: a bloom filter per table lets a missing key skip it\n(fillrandom, then readmissing; memtable\\_bytes=262144; stage 6 with bloom\\_bits=10, its default)" font ',12'
set grid
set key top left
set lmargin 12
set logscale x
set format x '10^{%L}'
set xrange [6666.67:1.5e+06]
set xlabel 'entries put (fillrandom; 16-byte keys, 100-byte values)'
set yrange [0:*]
set ylabel 'I/O reads (pread) per get'
set title 'readmissing: preads per get of a key that is not there'
plot 'data/ch06-missing-reads-stage5.dat' using 1:2 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction (a block per table whose range holds the key)', \
     'data/ch06-missing-reads-stage6.dat' using 1:2 with linespoints lw 2 pt 15 ps 1.2 lc rgb '#cc79a7' \
     title 'stage6-bloom-concurrency (the filter says no)'
set ylabel 'microseconds per get'
set title 'readmissing: time per get'
plot 'data/ch06-missing-reads-stage5.dat' using 1:3 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction', \
     'data/ch06-missing-reads-stage6.dat' using 1:3 with linespoints lw 2 pt 15 ps 1.2 lc rgb '#cc79a7' \
     title 'stage6-bloom-concurrency'
unset multiplot
