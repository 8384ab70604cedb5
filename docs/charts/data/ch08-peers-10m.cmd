# ch08-peers-10m.png was made by:
python3 bench/plots.py --out docs/charts ch08-peers-10m --from-compare=docs/charts/data/peers-10m --from-compare=docs/charts/data/peers-10m-sqlite

# running nothing: it drew the runs of bench/compare.py whose commands (each engine in turn, every round) and every row are in docs/charts/data/peers-10m, docs/charts/data/peers-10m-sqlite.

# and drew the chart with:
cd docs/charts && gnuplot data/ch08-peers-10m.gp
