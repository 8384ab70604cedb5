set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch02-get-fix.png'
set multiplot layout 2,1 title "Chapter 2: the hash index turns a scan into one pread" font ',12'
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
plot 'data/ch02-get-fix-stage1.dat' using 1:2 with linespoints lw 2 pt 7 ps 1.2 lc rgb '#9400d3'      title 'stage1-append-log (scan)',      'data/ch02-get-fix-stage2.dat' using 1:2 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index (lookup + pread)'
set ylabel 'bytes read per get'
set title 'readrandom: bytes read (pread) per get'
plot 'data/ch02-get-fix-stage1.dat' using 1:3 with linespoints lw 2 pt 7 ps 1.2 lc rgb '#9400d3'      title 'stage1-append-log',      'data/ch02-get-fix-stage2.dat' using 1:3 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index'
unset multiplot
