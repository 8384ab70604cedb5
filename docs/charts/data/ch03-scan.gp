set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch03-scan.png'

set multiplot layout 2,1 title "Chapter 3: range scans, seek then next (seekrandom after fillrandom of 1000000)" font ',12'
set grid
set key top left
set lmargin 12
set logscale x
set xrange [0.6:16000]
set format x '10^{%L}'
set xlabel 'scan length: entries read after each seek (--seek\_nexts)'
set logscale y
set format y '10^{%L}'
set ylabel 'entries read per second'
set title 'scan throughput in entries per second (each op: seek to a random key, then next)'
plot 'data/ch03-scan-stage3.dat' using 1:2 with linespoints lw 2 pt 9 ps 1.3 lc rgb '#0072b2' title 'stage3-sstable', 'data/ch03-scan-stage4.dat' using 1:2 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' title 'stage4-wal-recovery'
unset logscale y
set format y '%g'
set yrange [0:*]
set ylabel 'MB/s (keys + values read)'
set title 'scan throughput in MB/s'
plot 'data/ch03-scan-stage3.dat' using 1:3 with linespoints lw 2 pt 9 ps 1.3 lc rgb '#0072b2' title 'stage3-sstable', 'data/ch03-scan-stage4.dat' using 1:3 with linespoints lw 2 pt 11 ps 1.3 lc rgb '#e69f00' title 'stage4-wal-recovery'
unset multiplot
