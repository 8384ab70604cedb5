# ch06-threads.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage5-compaction/bench --benchmarks=fillseq,readrandom --num=100000 --reads=400000 --threads=1 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillseq,readrandom --num=100000 --reads=200000 --threads=2 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillseq,readrandom --num=100000 --reads=100000 --threads=4 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillseq,readrandom --num=100000 --reads=400000 --threads=1 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillseq,readrandom --num=100000 --reads=200000 --threads=2 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillseq,readrandom --num=100000 --reads=100000 --threads=4 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/peers/bench-leveldb --benchmarks=fillseq,readrandom --num=100000 --reads=400000 --threads=1 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/leveldb.csv
build/peers/bench-leveldb --benchmarks=fillseq,readrandom --num=100000 --reads=200000 --threads=2 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/leveldb.csv
build/peers/bench-leveldb --benchmarks=fillseq,readrandom --num=100000 --reads=100000 --threads=4 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/leveldb.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch06-threads.gp
