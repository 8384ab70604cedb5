# docs/charts/data/ch07-slowdown/peers-1m-3x was made by:
python3 bench/compare.py --engines stage6,stage7:mmap=0,stage7,leveldb,rocksdb,sqlite --num 1000000 --reads 200000 --rounds 3 --out docs/charts/data/ch07-slowdown/peers-1m-3x

# which ran, from the repository root, 3 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage6-bloom-concurrency/bench --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/ch07-slowdown/peers-1m-3x/stage6-bloom-concurrency.csv
build/stage7-speedups/bench --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o bloom_bits=10 -o memtable_bytes=4194304 -o mmap=0 --db=$DB --csv=docs/charts/data/ch07-slowdown/peers-1m-3x/stage7-speedups+mmap=0.csv
build/stage7-speedups/bench --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/ch07-slowdown/peers-1m-3x/stage7-speedups.csv
build/peers/bench-leveldb --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/ch07-slowdown/peers-1m-3x/leveldb.csv
build/peers/bench-rocksdb --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/ch07-slowdown/peers-1m-3x/rocksdb.csv
build/peers/bench-sqlite --benchmarks=fillseq,fillrandom,overwrite,readrandom,readmissing,readseq --num=1000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/ch07-slowdown/peers-1m-3x/sqlite.csv
