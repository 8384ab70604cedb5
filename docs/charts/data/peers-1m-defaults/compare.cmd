# docs/charts/data/peers-1m-defaults was made by:
python3 bench/compare.py --engines leveldb,rocksdb,sqlite --num 1000000 --reads 200000 --rounds 1 --peer-options=defaults=1 --out docs/charts/data/peers-1m-defaults

# which ran, from the repository root, 1 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/peers/bench-leveldb --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o defaults=1 --db=$DB --csv=docs/charts/data/peers-1m-defaults/leveldb.csv
build/peers/bench-rocksdb --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o defaults=1 --db=$DB --csv=docs/charts/data/peers-1m-defaults/rocksdb.csv
build/peers/bench-sqlite --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o defaults=1 --db=$DB --csv=docs/charts/data/peers-1m-defaults/sqlite.csv
