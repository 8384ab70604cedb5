# docs/charts/data/peers-10m-sqlite was made by:
python3 bench/compare.py --engines sqlite --num 10000000 --reads 200000 --rounds 1 --benchmarks fillrandom,readrandom,readmissing,readseq --out docs/charts/data/peers-10m-sqlite

# which ran, from the repository root, 1 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/peers/bench-sqlite --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/peers-10m-sqlite/sqlite.csv
