# ch06-missing-reads.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=10000 --reads=10000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=30000 --reads=30000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=100000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=300000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=1000000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=10000 --reads=10000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=30000 --reads=30000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=100000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=300000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=1000000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch06-missing-reads.gp
