# ch06-bloom-fp.png was made by:
python3 bench/plots.py --out docs/charts

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp:
build/stage6-bloom-concurrency/fp_rate --keys=1000000

# and drew the chart with:
cd docs/charts && gnuplot data/ch06-bloom-fp.gp
