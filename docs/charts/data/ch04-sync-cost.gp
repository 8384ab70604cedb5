set terminal pngcairo enhanced font 'sans,10' size 900,720
set output 'ch04-sync-cost.png'

set multiplot layout 2,1 title "Chapter 4: the price of durability on this machine's disk (see machine.txt)" font ',12'
set grid y
set lmargin 12
set style fill solid 0.6 border -1
set boxwidth 0.5
set xrange [-0.6:2.6]
unset key
set logscale y
set format y '10^{%L}'
set ylabel 'puts per second'
set offsets 0, 0, graph 0.12, 0
set title 'put throughput (stage4-wal-recovery, 16-byte keys, 100-byte values)'
plot 'data/ch04-sync-cost.dat' using 0:2:xtic(1) with boxes lc rgb '#e69f00',      '' using 0:2:(sprintf('%.0f/s', $2)) with labels offset 0,0.8
unset logscale y
set format y '%g'
set yrange [0:1.25]
set ylabel 'syncs per put'
set title 'syncs per put (the I/O layer''s count of fsync/fdatasync)'
plot 'data/ch04-sync-cost.dat' using 0:3:xtic(1) with boxes lc rgb '#e69f00',      '' using 0:3:(sprintf('%.2f', $3)) with labels offset 0,0.8
unset multiplot
