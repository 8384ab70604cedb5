set terminal pngcairo enhanced font 'sans,10' size 900,520
set output 'ch04-crash-loss.png'

set title "Chapter 4: with a write-ahead log, kill -9 loses no acknowledged write\n(kv shell with memtable\\_bytes=1 GiB, so nothing is flushed; then kill -9 and reopen)" font ',12'
set grid
set key center right
set logscale x
set format x '10^{%L}'
set xrange [66.6667:150000]
set xlabel 'acknowledged writes since the last flush (sets sent through kv shell)'
set ylabel 'acknowledged writes lost (% of those sent)'
set yrange [-5:105]
plot 'data/ch04-crash-loss-stage3.dat' using 1:3 with linespoints lw 2 pt 9 ps 1.3 lc rgb '#0072b2'      title 'stage3-sstable (memtable only: all lost)',      'data/ch04-crash-loss-stage4.dat' using 1:3 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00'      title 'stage4-wal-recovery (log replayed at open)'
