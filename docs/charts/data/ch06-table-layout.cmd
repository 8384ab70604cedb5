# ch06-table-layout.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom --num=2000 --db=$DB > /dev/null && build/stage6-bloom-concurrency/kv -d $DB dump   # each part's offset and size, one row per part in docs/charts/data/layout.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch06-table-layout.gp
