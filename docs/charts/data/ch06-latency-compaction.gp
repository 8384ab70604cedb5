set terminal pngcairo enhanced font 'sans,10' size 900,760
set output 'ch06-latency-compaction.png'

set multiplot layout 2,1 title "Chapter 6: in stage 6 a get does not wait for a compaction\n(fillrandom 200000, then readwhilewriting: 1 reader doing 500000 gets while 1 writer puts;\nlatency per 100 ms; the same axes)" font ',11'
set grid
set key tmargin center horizontal maxcols 5 samplen 2 width -3 font ',9'
set lmargin 12
set rmargin 12

set title 'stage5-compaction: get latency per interval'
set xlabel 'seconds into readwhilewriting'
set ylabel 'latency (microseconds)'
set logscale y
set format y '10^{%L}'
set y2label 'compactions finished in the interval'
set y2tics
set ytics nomirror
set y2range [0:*]
set yrange [2.2635:462679]
set xrange [0:8.0]
plot 'data/ch06-latency-compaction-stage5.dat' using 1:10 axes x1y2 with impulses lw 6 lc rgb '#cccccc' \
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

set title 'stage6-bloom-concurrency: get latency per interval'
set xlabel 'seconds into readwhilewriting'
set ylabel 'latency (microseconds)'
set logscale y
set format y '10^{%L}'
set y2label 'compactions finished in the interval'
set y2tics
set ytics nomirror
set y2range [0:*]
set yrange [2.2635:462679]
set xrange [0:8.0]
plot 'data/ch06-latency-compaction-stage6.dat' using 1:10 axes x1y2 with impulses lw 6 lc rgb '#cccccc' \
     title 'compactions (right axis)', \
     '' using 1:5 with linespoints lw 1 pt 6 ps 0.8 lc rgb '#cc79a7' \
     title 'get: slowest', \
     '' using 1:4 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#cc79a7' \
     title 'get: p99', \
     '' using 1:3 with linespoints lw 2 dt 2 pt 1 ps 0.6 lc rgb '#cc79a7' \
     title 'get: p50', \
     '' using 1:8 with lines lw 1 lc rgb '#555555' title 'put: p99'
unset logscale y
unset y2tics
unset y2label
set format y '%g'
set ytics mirror
unset multiplot
