set terminal pngcairo enhanced font 'sans,10' size 900,760
set output 'ch06-vs-leveldb.png'
set multiplot layout 2,1 title "Chapter 6: stage 6 against LevelDB on db\\_bench's six workloads\n1,000,000 entries, 200,000 reads (readseq: time per entry read)\ncompression none, bloom\\_bits=10, memtable 4 MiB, sync=none, one thread" font ',12'
set grid y
set lmargin 12
set style fill solid 0.85 border -1
set xrange [-0.6:5.6]
set xtics ('fillseq' 0, 'fillrandom' 1, 'overwrite' 2, 'readrandom' 3, 'readmissing' 4, 'readseq' 5)
set logscale y
set yrange [0.0459254:3.2]
set ytics ('0.05' 0.05, '0.1' 0.1, '0.2' 0.2, '0.3' 0.3, '0.5' 0.5, '0.7' 0.7, '1' 1, '1.5' 1.5, '2' 2, '3' 3)
set format y '%g'
set ylabel "LevelDB time / engine time (log)\nabove 1: faster than LevelDB"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb '#000000' front
set title 'stage 6 against LevelDB: below the line, stage 6 is slower (LevelDB time / stage 6 time)'
unset key
plot 'data/ch06-vs-leveldb-speed.dat' using ($1+0):3:($1+-0.4):($1+0.4):(1):3 with boxxyerror lc rgb '#cc79a7' fs solid 0.85 border lt -1 title 'stage6-bloom-concurrency', \
     'data/ch06-vs-leveldb-speed.dat' using ($1+0):(column(3) >= 1 ? column(3) : NaN):(sprintf('%.2f', column(3))) with labels font ',7'  offset 0,0.55 notitle, \
     'data/ch06-vs-leveldb-speed.dat' using ($1+0):(column(3) < 1 ? column(3) : NaN):(sprintf('%.2f', column(3))) with labels font ',7'  offset 0,-0.55 notitle
unset arrow 1
set xrange [-0.6:5.6]
set xtics ('fillseq' 0, 'fillrandom' 1, 'overwrite' 2, 'readrandom' 3, 'readmissing' 4, 'readseq' 5)
set logscale y
set format y '%g'
set yrange [0.01:29.936]
set ytics ('0.01' 0.01, '0.02' 0.02, '0.05' 0.05, '0.1' 0.1, '0.2' 0.2, '0.5' 0.5, '1' 1, '2' 2, '5' 5, '10' 10, '20' 20)
set ylabel 'microseconds per op (log scale)'
set title 'time per op (lower is faster)'
set key tmargin center horizontal
plot 'data/ch06-vs-leveldb.dat' using ($1+-0.2):3:($1+-0.4):($1+0):(0.01):3 with boxxyerror lc rgb '#cc79a7' fs solid 0.85 border lt -1 title 'stage6-bloom-concurrency', \
     'data/ch06-vs-leveldb.dat' using ($1+-0.2):(column(3) >= 0.01 ? column(3) : NaN):(sprintf('%.3g', column(3))) with labels font ',7'  offset 0,0.55 notitle, \
     'data/ch06-vs-leveldb.dat' using ($1+-0.2):(column(3) < 0.01 ? column(3) : NaN):(sprintf('%.3g', column(3))) with labels font ',7'  offset 0,-0.55 notitle, \
     'data/ch06-vs-leveldb.dat' using ($1+0.2):4:($1+0):($1+0.4):(0.01):4 with boxxyerror lc rgb '#56b4e9' fs solid 0.85 border lt -1 title 'LevelDB', \
     'data/ch06-vs-leveldb.dat' using ($1+0.2):(column(4) >= 0.01 ? column(4) : NaN):(sprintf('%.3g', column(4))) with labels font ',7'  offset 0,0.55 notitle, \
     'data/ch06-vs-leveldb.dat' using ($1+0.2):(column(4) < 0.01 ? column(4) : NaN):(sprintf('%.3g', column(4))) with labels font ',7'  offset 0,-0.55 notitle
unset multiplot
