set terminal pngcairo enhanced font 'sans,10' size 900,760
set output 'ch05-latency.png'

set multiplot layout 2,1 title "Chapter 5: stage 5's failures: a get waits for the compaction a put runs,\nand a missing key still reads a block in every level" font ',12'
set grid
set key tmargin center horizontal maxcols 5 samplen 2 width -3 font ',9'
set lmargin 12
set rmargin 12

set title 'stage5-compaction, readwhilewriting: 1 reader (500000 gets) while 1 writer puts (after fillrandom 200000); per 100 ms'
set xlabel 'seconds into readwhilewriting'
set ylabel 'latency (microseconds)'
set logscale y
set format y '10^{%L}'
set y2label 'compactions finished in the interval'
set y2tics
set ytics nomirror
set y2range [0:*]
set yrange [*:*]
set xrange [0:*]
plot 'data/ch05-latency-time-stage5.dat' using 1:10 axes x1y2 with impulses lw 6 lc rgb '#cccccc' \
     title 'compactions (right axis)', \
     '' using 1:5 with linespoints lw 1 pt 6 ps 0.8 lc rgb '#d55e00' \
     title 'get: slowest', \
     '' using 1:4 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#d55e00' \
     title 'get: p99', \
     '' using 1:3 with linespoints lw 2 dt 2 pt 1 ps 0.6 lc rgb '#d55e00' \
     title 'get: p50', \
     '' using 1:8 with lines lw 1 lc rgb '#555555' title 'put: p99'
unset logscale y
unset y2tics
unset y2label
set format y '%g'
set ytics mirror

set xrange [0:*]
set yrange [0.5:*]
set logscale y
set format y '%g'
set key inside top left box opaque
set xlabel 'MiB put so far (ch05-space''s rounds)'
set ylabel 'I/O reads (pread) per get'
set title 'readmissing after each round: preads per get of a key that is not there (log scale)'
plot 'data/ch05-latency-stage4.dat' using 2:7 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' \
     title 'stage4-wal-recovery (every table)', \
     'data/ch05-latency-stage5.dat' using 2:7 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction (L0 tables + one per level)'
unset multiplot
