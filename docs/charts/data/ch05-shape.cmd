# ch05-shape.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage3-sstable/bench --benchmarks=fillrandom --num=22000 -o memtable_bytes=131072 --db=$DB > /dev/null && build/stage3-sstable/kv -d $DB dump   # each table's level and first and last key, one row per table in docs/charts/data/shape.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom --num=22000 -o memtable_bytes=131072 --db=$DB > /dev/null && build/stage4-wal-recovery/kv -d $DB dump   # each table's level and first and last key, one row per table in docs/charts/data/shape.csv
build/stage5-compaction/bench --benchmarks=fillrandom --num=22000 -o memtable_bytes=131072 -o l0_trigger=4 -o table_bytes=65536 -o level1_bytes=65536 --db=$DB > /dev/null && build/stage5-compaction/kv -d $DB dump   # each table's level and first and last key, one row per table in docs/charts/data/shape.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch05-shape.gp
