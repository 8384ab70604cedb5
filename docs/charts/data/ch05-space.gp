set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch05-space.png'

set multiplot layout 2,1 title "Chapter 5: compaction bounds the space overwrites take\n(fillrandom, then 10 rounds of 100000 random overwrites over the same 100000 keys;\nmemtable\\_bytes=262144)" font ',12'
set grid
set key top left
set lmargin 12
set xrange [0:*]
set yrange [0:*]
set xlabel 'MiB put so far (16-byte keys + 100-byte values)'
set ylabel 'MiB on disk'
set title 'bytes on disk after each round (tables, write-ahead log, manifest)'
plot 'data/ch05-space-stage4.dat' using 2:3 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' \
     title 'stage4-wal-recovery (no compaction)', \
     'data/ch05-space-stage5.dat' using 2:3 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction (leveled)', \
     'data/ch05-space-stage5.dat' using 2:9 with lines lw 8 lc rgb '#d0d0d0' \
     title 'live data (distinct keys expected x 116 bytes)'
set ylabel 'tables (log scale)'
set logscale y
set format y '%g'
set yrange [1:*]
set title 'tables on disk after each round'
plot 'data/ch05-space-stage4.dat' using 2:4 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' \
     title 'stage4-wal-recovery', \
     'data/ch05-space-stage5.dat' using 2:4 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction'
unset multiplot
