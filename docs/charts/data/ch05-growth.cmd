# ch05-growth.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage5-compaction/kv -d $DB -o memtable_bytes=131072 -o l0_trigger=4 -o table_bytes=65536 -o level1_bytes=65536 shell < (16000 set lines, then 3 x 1000 more, each step followed by) build/stage5-compaction/kv -d $DB -o memtable_bytes=131072 -o l0_trigger=4 -o table_bytes=65536 -o level1_bytes=65536 dump   # one row per table per moment in docs/charts/data/growth.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch05-growth.gp
