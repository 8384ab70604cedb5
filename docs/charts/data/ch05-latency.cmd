# ch05-latency.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage5-compaction/bench --benchmarks=fillrandom,readwhilewriting --num=200000 --reads=500000 --threads=1 --histogram=1 --latency_csv=docs/charts/data/stage5-compaction.latency.csv --latency_ms=100 --db=$DB --csv=docs/charts/data/stage5-compaction.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing --num=100000 --reads=1000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing --num=100000 --reads=1000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/stage5-compaction.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch05-latency.gp
