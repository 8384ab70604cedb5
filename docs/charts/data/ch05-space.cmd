# ch05-space.png was made by:
python3 bench/plots.py --out docs/charts

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp:
build/stage4-wal-recovery/bench --benchmarks=fillrandom,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing --num=100000 --reads=1000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage4-wal-recovery.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing,overwrite,readrandom,readmissing --num=100000 --reads=1000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage5-compaction.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch05-space.gp
