set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch02-open-cost.png'
set multiplot layout 2,1 title "Chapter 2: stage 2 pays at open, rebuilding its index from the whole log" font ',12'
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
set ylabel 'time to reopen (ms)'
set title 'open: time to reopen the store (the close before it not timed)'
plot 'data/ch02-open-cost-stage1.dat' using 1:2 with linespoints lw 2 pt 7 ps 1.2 lc rgb '#9400d3'      title 'stage1-append-log',      'data/ch02-open-cost-stage2.dat' using 1:2 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index'
set ylabel 'bytes read by the open'
set title 'open: bytes read (pread) by the open; stage 2 reads the whole log'
plot 'data/ch02-open-cost-stage2.dat' using 1:4 with lines lw 8 lc rgb '#d0d0d0'      title 'size of the store',      'data/ch02-open-cost-stage1.dat' using 1:3 with linespoints lw 2 pt 7 ps 1.2 lc rgb '#9400d3'      title 'stage1-append-log',      'data/ch02-open-cost-stage2.dat' using 1:3 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index'
unset multiplot
