set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch05-write-amp.png'

set multiplot layout 2,1 title "Chapter 5: the price of compaction is write amplification\n(one fillrandom of 1000000 puts over 1000000 keys, run in one process as fillrandom + overwrite\nsteps of 100000 puts each, --writes; default options: memtable 4 MiB, L0 trigger 4, L1 10 MiB, x10)" font ',11'
set grid
set key top left
set lmargin 12
set xrange [0:*]
set yrange [0:*]
set xlabel 'MiB put so far (16-byte keys + 100-byte values)'
set ylabel 'bytes written per byte put'
set title 'so far: the stat write\_amplification\_x100 / 100, and the I/O layer''s bytes\_written / bytes put'
plot 'data/ch05-write-amp-stage5.dat' using 2:5 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction: write\_amplification\_x100 / 100 (log + flushes + compactions)', \
     '' using 2:3 with linespoints lw 2 dt 2 pt 12 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction: bytes\_written / bytes put (all files)', \
     'data/ch05-write-amp-stage4.dat' using 2:3 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' \
     title 'stage4-wal-recovery: bytes\_written / bytes put (log + flushes)'
set ylabel 'bytes written per byte put'
set title 'in each step alone: bytes\_written / bytes put of that step (grows as levels fill)'
plot 'data/ch05-write-amp-stage5.dat' using 2:4 with linespoints lw 2 pt 13 ps 1.3 lc rgb '#d55e00' \
     title 'stage5-compaction', \
     'data/ch05-write-amp-stage4.dat' using 2:4 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' \
     title 'stage4-wal-recovery'
unset multiplot
