# ch06-bloom-fp.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage6-bloom-concurrency/fp_rate --keys=1000000

# and drew the chart with:
cd docs/charts && gnuplot data/ch06-bloom-fp.gp
