# ch04-sync-cost.png was made by:
python3 bench/plots.py --out docs/charts

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp:
build/stage4-wal-recovery/bench --benchmarks=fillrandom --num=200000 --reads=200000 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=fillsync --num=1000000 --reads=1000 --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom --num=1000 --reads=1000 -o sync=always --db=$DB --csv=docs/charts/data/stage4-wal-recovery.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch04-sync-cost.gp
