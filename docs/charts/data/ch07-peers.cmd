# ch07-peers.png was made by:
python3 bench/plots.py --out docs/charts

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp:
build/stage6-bloom-concurrency/bench --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/peers/bench-leveldb --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/leveldb.csv
build/peers/bench-rocksdb --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/rocksdb.csv
build/peers/bench-sqlite --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/sqlite.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch07-peers.gp
