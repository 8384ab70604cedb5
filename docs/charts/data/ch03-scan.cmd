# ch03-scan.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage3-sstable/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=2000 --seek_nexts=1 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=2000 --seek_nexts=10 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=2000 --seek_nexts=100 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=500 --seek_nexts=1000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=50 --seek_nexts=10000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=2000 --seek_nexts=1 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=2000 --seek_nexts=10 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=2000 --seek_nexts=100 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=500 --seek_nexts=1000 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom,seekrandom --num=1000000 --reads=50 --seek_nexts=10000 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch03-scan.gp
