set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch03-index-memory.png'
set multiplot layout 2,1 title "Chapter 3: a sparse index keeps one key per block in RAM, not every key" font ',12'
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
set title 'index memory after fillseq, close and reopen (stat index\_bytes)'
plot 'data/ch03-index-memory-stage2.dat' using 1:2 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index (every key)',      'data/ch03-index-memory-stage3.dat' using 1:2 with linespoints lw 2 pt 9 ps 1.3 lc rgb '#0072b2'      title 'stage3-sstable (one key per block)'
set ylabel 'index bytes per key'
set title 'index bytes per key in the store'
plot 'data/ch03-index-memory-stage2.dat' using 1:3 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index',      'data/ch03-index-memory-stage3.dat' using 1:3 with linespoints lw 2 pt 9 ps 1.3 lc rgb '#0072b2'      title 'stage3-sstable'
unset multiplot
