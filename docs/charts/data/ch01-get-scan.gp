set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch01-get-scan.png'
set multiplot layout 2,1 title "Chapter 1: every get in stage 1 scans the whole log" font ',12'
set xrange [666.667:1.5e+06]
set offsets 0, 0, graph 0.08, 0
set lmargin 12
set grid
set key top left
set logscale x
set format x '10^{%L}'
set xlabel 'entries in the store (16-byte keys, 100-byte values)'

set logscale y
set format y '10^{%L}'
set ylabel 'time per get (microseconds)'
set title 'readrandom: time per get'
plot 'data/ch01-get-scan.dat' using 1:2 with linespoints lw 2 pt 7 ps 1.2 lc rgb '#9400d3'      title 'stage1-append-log'
set ylabel 'bytes read per get'
set title 'readrandom: bytes read (pread) per get, against the size of the log'
plot 'data/ch01-get-scan.dat' using 1:4 with lines lw 8 lc rgb '#d0d0d0'      title 'size of the log',      '' using 1:3 with linespoints lw 2 pt 7 ps 1.2 lc rgb '#9400d3'      title 'stage1-append-log: bytes read per get'
unset multiplot
