set terminal pngcairo enhanced font 'sans,10' size 900,560
set output 'ch07-peers.png'

set title "Closing: stage 6 against LevelDB, RocksDB and SQLite (those built by make peers)\n(1000000 entries, 200000 reads; compression none, bloom\\_bits=10, memtable 4 MiB,\nsync=none, one thread; lower is better)" font ',12'
set grid y
set key top left
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set format y '10^{%L}'
set ylabel 'microseconds per op (log scale)'
set xlabel 'workload (db\_bench''s names; readseq: per entry)'
plot 'data/ch07-peers.dat' using 2:xtic(1) title 'stage6-bloom-concurrency' lc rgb '#cc79a7', \
     'data/ch07-peers.dat' using 3 title 'leveldb' lc rgb '#56b4e9', \
     'data/ch07-peers.dat' using 4 title 'rocksdb' lc rgb '#333333', \
     'data/ch07-peers.dat' using 5 title 'sqlite' lc rgb '#999999'
