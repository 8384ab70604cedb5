set terminal pngcairo enhanced font 'sans,10' size 900,520
set output 'ch06-bloom-fp.png'

set title "Chapter 6: the bloom filter's false-positive rate against its size\n(stage 6's filter of 1000000 keys, asked about 1000000 absent ones; k = bits per key x ln 2, rounded)" font ',12'
set grid
set key bottom left box opaque
set logscale y
set format y '10^{%L}'
set xrange [0.5:20.5]
set xtics 1
set xlabel 'bits per key (bloom\_bits)'
set ylabel 'false-positive rate'
set arrow from 10, graph 0 to 10, graph 1 nohead dt 3 lc rgb '#888888'
set label 'bloom\_bits=10 (the default, as LevelDB)' at 10.2, graph 0.6
plot 'data/ch06-bloom-fp.dat' using 1:4 with lines lw 8 lc rgb '#d0d0d0' \
     title 'theory: (1 - e^{-k/b})^k', \
     '' using 1:3 with linespoints lw 2 pt 15 ps 1.2 lc rgb '#cc79a7' title 'measured (stage6 bloom.c)'
