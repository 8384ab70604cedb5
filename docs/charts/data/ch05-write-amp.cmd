# ch05-write-amp.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage4-wal-recovery/bench --benchmarks=fillrandom,overwrite,overwrite,overwrite,overwrite,overwrite,overwrite,overwrite,overwrite,overwrite --num=1000000 --reads=100000 --writes=100000 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv
build/stage5-compaction/bench --benchmarks=fillrandom,overwrite,overwrite,overwrite,overwrite,overwrite,overwrite,overwrite,overwrite,overwrite --num=1000000 --reads=100000 --writes=100000 --db=$DB --csv=docs/charts/data/stage5-compaction.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch05-write-amp.gp
