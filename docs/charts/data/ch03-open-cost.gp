set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch03-open-cost.png'
set multiplot layout 2,1 title "Chapter 3: stage 3 opens by reading footers and indexes, not the data (after fillseq)" font ',12'
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
plot 'data/ch03-open-cost-stage2.dat' using 1:2 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index',      'data/ch03-open-cost-stage3.dat' using 1:2 with linespoints lw 2 pt 9 ps 1.3 lc rgb '#0072b2'      title 'stage3-sstable'
set ylabel 'bytes read by the open'
set title 'open: bytes read (pread) by the open, against the size of the store'
plot 'data/ch03-open-cost-stage2.dat' using 1:4 with lines lw 8 lc rgb '#d0d0d0'      title 'size of stage 2''s store',      'data/ch03-open-cost-stage2.dat' using 1:3 with linespoints lw 2 pt 5 ps 1.2 lc rgb '#009e73'      title 'stage2-hash-index',      'data/ch03-open-cost-stage3.dat' using 1:3 with linespoints lw 2 pt 9 ps 1.3 lc rgb '#0072b2'      title 'stage3-sstable'
unset multiplot
