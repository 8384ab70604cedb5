# ch06-vs-leveldb.png was made by:
python3 bench/plots.py --out docs/charts ch06-vs-leveldb ch07-speedups ch08-peers --from-compare=docs/charts/data/peers-1m

# running nothing: it drew the runs of bench/compare.py whose commands (each engine in turn, every round) and every row are in docs/charts/data/peers-1m.

# and drew the chart with:
cd docs/charts && gnuplot data/ch06-vs-leveldb.gp
