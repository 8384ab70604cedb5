set terminal pngcairo enhanced font 'sans,10' size 900,520
set output 'ch03-crash-loss.png'

set title "Chapter 3: kill -9 after 50000 acknowledged sets loses what the memtable held\n(kv shell, keys %016d in order, 100-byte values)" font ',12'
set grid
set key top left
set logscale x 2
set xrange [12.3077:5324.8]
set xtics ('16K' 16, '64K' 64, '256K' 256, '1M' 1024, '4M' 4096)
set xlabel 'memtable\_bytes (KiB)'
set ylabel 'acknowledged writes lost'
set yrange [0:*]
set offsets 0, 0, graph 0.05, 0
plot 'data/ch03-crash-loss-stage3.dat' using 1:3 with lines lw 8 lc rgb '#d0d0d0' title 'a full memtable (entries per table flushed): the most a crash can lose', \
     '' using 1:2 with linespoints lw 2 pt 9 ps 1.3 lc rgb '#0072b2' title 'stage3-sstable: acknowledged writes lost', \
     'data/ch03-crash-loss-stage4.dat' using 1:2 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' title 'stage4-wal-recovery: acknowledged writes lost'
