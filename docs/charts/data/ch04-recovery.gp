set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch04-recovery.png'

set multiplot layout 2,1 title "Chapter 4: recovery replays the whole log (kill -9 with nothing flushed, then reopen)" font ',12'
set grid
set key top left
set lmargin 12
set logscale x
set xrange [0.00851631:57.0775]
set format x '%g'
set xlabel 'log size at the crash (MiB on disk; 100-byte values)'
set logscale y
set format y '%g'
set ylabel 'ms'
set title 'wall time of `kv -d DIR stats` (process start, open, close)'
plot 'data/ch04-recovery.dat' using 2:3 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00'      title 'stage4-wal-recovery: first open after the crash (replays the log)',      '' using 2:5 with linespoints lw 2 dt 2 pt 10 ps 1.3 lc rgb '#e69f00'      title 'stage4-wal-recovery: the same command again (nothing to replay)'
set ylabel 'MiB read by the open'
set title 'bytes read (pread) by the open'
plot 'data/ch04-recovery.dat' using 2:2 with lines lw 8 lc rgb '#d0d0d0'      title 'size of the log',      '' using 2:4 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' title 'stage4-wal-recovery'
unset multiplot
