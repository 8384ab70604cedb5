set terminal pngcairo enhanced font 'sans,10' size 900,520
set output 'ch06-threads.png'

set title "Chapter 6: readers in parallel (this machine has 2 cores: see machine.txt)\n(fillseq 100000, then readrandom in N threads, 400000 gets in all; ops/s over the wall time)" font ',12'
set grid
set key bottom right box opaque
set xrange [0.8:4.5]
set logscale x 2
set xtics (1, 2, 4)
set yrange [0:*]
set xlabel 'reader threads (--threads)'
set ylabel 'gets per second, all threads'
plot 'data/ch06-threads-stage5.dat' using 1:2 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' title 'stage5-compaction (one lock for every call)', \
     'data/ch06-threads-stage6.dat' using 1:2 with linespoints lw 2 pt 15 ps 1.2 lc rgb '#cc79a7' title 'stage6-bloom-concurrency (readers in parallel)', \
     'data/ch06-threads-leveldb.dat' using 1:2 with linespoints lw 2 pt 4 ps 1.2 lc rgb '#56b4e9' title 'LevelDB'
