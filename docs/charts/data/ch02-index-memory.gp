set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch02-index-memory.png'
set multiplot layout 2,1 title "Chapter 2: every key of stage 2 lives in RAM" font ',12'
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
set ylabel 'index size (MiB, index\_bytes)'
set title 'the in-memory index grows with the number of keys'
plot 'data/ch02-index-memory.dat' using 1:2 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index'
unset logscale y
set format y '%g'
set yrange [0:*]
set ylabel 'index bytes per key'
set title 'index bytes per key (the key itself is 16 bytes)'
plot 'data/ch02-index-memory.dat' using 1:3 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index'
unset multiplot
