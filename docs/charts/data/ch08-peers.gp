set terminal pngcairo enhanced font 'sans,10' size 900,1080
set output 'ch08-peers.png'
set multiplot layout 3,1 title "Closing: stage 7 (and stage 6) against LevelDB, RocksDB and SQLite\n1,000,000 entries, 200,000 reads (readseq: time per entry read)\ncompression none, bloom\\_bits=10, memtable 4 MiB, sync=none, one thread" font ',12'
set grid y
set lmargin 12
set xrange [-0.6:5.6]
set xtics ('fillseq' 0, 'fillrandom' 1, 'overwrite' 2, 'readrandom' 3, 'readmissing' 4, 'readseq' 5)
set logscale y
set yrange [0.0423833:3.2]
set ytics ('0.05' 0.05, '0.1' 0.1, '0.2' 0.2, '0.3' 0.3, '0.5' 0.5, '0.7' 0.7, '1' 1, '1.5' 1.5, '2' 2, '3' 3)
set format y '%g'
set ylabel "LevelDB time / engine time (log)\nabove 1: faster than LevelDB"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb '#000000' front
set title 'against LevelDB (LevelDB time / engine time; below the line, slower)'
unset key
plot 'data/ch08-peers-speed.dat' using ($1+-0.3):3:($1+-0.4):($1+-0.2):(1):3 with boxxyerror lc rgb '#882255' fs solid 0.85 border lt -1 title 'stage7-speedups', \
     'data/ch08-peers-speed.dat' using ($1+-0.3):(column(3) >= 1 ? column(3) : NaN):(sprintf('%.2f', column(3))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers-speed.dat' using ($1+-0.3):(column(3) < 1 ? column(3) : NaN):(sprintf('%.2f', column(3))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle, \
     'data/ch08-peers-speed.dat' using ($1+-0.1):4:($1+-0.2):($1+0):(1):4 with boxxyerror lc rgb '#cc79a7' fs solid 0.85 border lt -1 title 'stage6-bloom-concurrency', \
     'data/ch08-peers-speed.dat' using ($1+-0.1):(column(4) >= 1 ? column(4) : NaN):(sprintf('%.2f', column(4))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers-speed.dat' using ($1+-0.1):(column(4) < 1 ? column(4) : NaN):(sprintf('%.2f', column(4))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle, \
     'data/ch08-peers-speed.dat' using ($1+0.1):5:($1+0):($1+0.2):(1):5 with boxxyerror lc rgb '#333333' fs solid 0.85 border lt -1 title 'RocksDB', \
     'data/ch08-peers-speed.dat' using ($1+0.1):(column(5) >= 1 ? column(5) : NaN):(sprintf('%.2f', column(5))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers-speed.dat' using ($1+0.1):(column(5) < 1 ? column(5) : NaN):(sprintf('%.2f', column(5))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle, \
     'data/ch08-peers-speed.dat' using ($1+0.3):6:($1+0.2):($1+0.4):(1):6 with boxxyerror lc rgb '#999999' fs solid 0.85 border lt -1 title 'SQLite', \
     'data/ch08-peers-speed.dat' using ($1+0.3):(column(6) >= 1 ? column(6) : NaN):(sprintf('%.2f', column(6))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers-speed.dat' using ($1+0.3):(column(6) < 1 ? column(6) : NaN):(sprintf('%.2f', column(6))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle
unset arrow 1
set xrange [-0.6:5.6]
set xtics ('fillseq' 0, 'fillrandom' 1, 'overwrite' 2, 'readrandom' 3, 'readmissing' 4, 'readseq' 5)
set logscale y
set format y '%g'
set yrange [0.01:207.452]
set ytics ('0.01' 0.01, '0.02' 0.02, '0.05' 0.05, '0.1' 0.1, '0.2' 0.2, '0.5' 0.5, '1' 1, '2' 2, '5' 5, '10' 10, '20' 20, '50' 50, '100' 100, '200' 200)
set ylabel 'microseconds per op (log scale)'
set title 'time per op (lower is faster)'
set key tmargin center horizontal
plot 'data/ch08-peers.dat' using ($1+-0.32):3:($1+-0.4):($1+-0.24):(0.01):3 with boxxyerror lc rgb '#882255' fs solid 0.85 border lt -1 title 'stage7-speedups', \
     'data/ch08-peers.dat' using ($1+-0.32):(column(3) >= 0.01 ? column(3) : NaN):(sprintf('%.3g', column(3))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers.dat' using ($1+-0.32):(column(3) < 0.01 ? column(3) : NaN):(sprintf('%.3g', column(3))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle, \
     'data/ch08-peers.dat' using ($1+-0.16):4:($1+-0.24):($1+-0.08):(0.01):4 with boxxyerror lc rgb '#cc79a7' fs solid 0.85 border lt -1 title 'stage6-bloom-concurrency', \
     'data/ch08-peers.dat' using ($1+-0.16):(column(4) >= 0.01 ? column(4) : NaN):(sprintf('%.3g', column(4))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers.dat' using ($1+-0.16):(column(4) < 0.01 ? column(4) : NaN):(sprintf('%.3g', column(4))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle, \
     'data/ch08-peers.dat' using ($1+0):5:($1+-0.08):($1+0.08):(0.01):5 with boxxyerror lc rgb '#56b4e9' fs solid 0.85 border lt -1 title 'LevelDB', \
     'data/ch08-peers.dat' using ($1+0):(column(5) >= 0.01 ? column(5) : NaN):(sprintf('%.3g', column(5))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers.dat' using ($1+0):(column(5) < 0.01 ? column(5) : NaN):(sprintf('%.3g', column(5))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle, \
     'data/ch08-peers.dat' using ($1+0.16):6:($1+0.08):($1+0.24):(0.01):6 with boxxyerror lc rgb '#333333' fs solid 0.85 border lt -1 title 'RocksDB', \
     'data/ch08-peers.dat' using ($1+0.16):(column(6) >= 0.01 ? column(6) : NaN):(sprintf('%.3g', column(6))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers.dat' using ($1+0.16):(column(6) < 0.01 ? column(6) : NaN):(sprintf('%.3g', column(6))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle, \
     'data/ch08-peers.dat' using ($1+0.32):7:($1+0.24):($1+0.4):(0.01):7 with boxxyerror lc rgb '#999999' fs solid 0.85 border lt -1 title 'SQLite', \
     'data/ch08-peers.dat' using ($1+0.32):(column(7) >= 0.01 ? column(7) : NaN):(sprintf('%.3g', column(7))) with labels font ',7' rotate by 90 left offset 0,0.3 notitle, \
     'data/ch08-peers.dat' using ($1+0.32):(column(7) < 0.01 ? column(7) : NaN):(sprintf('%.3g', column(7))) with labels font ',7' rotate by 90 right offset 0,-0.3 notitle
unset logscale y
unset key
set format y '%g'
set yrange [0:170.414]
set ytics autofreq
set xrange [-0.6:4.6]
set xtics ()
set ylabel 'peak memory (max RSS, MiB)'
set title 'peak memory of each driver over its whole run (max RSS, counting touched pages of mapped files)'
plot 'data/ch08-peers-memory.dat' using 1:3:(0.6):4:xtic(2) with boxes lc rgb variable fs solid 0.85 border lt -1 notitle, \
     '' using 1:3:(sprintf('%.1f', $3)) with labels font ',8' offset 0,0.6 notitle
unset multiplot
