# docs/charts/data/peers-10m was made by:
python3 bench/compare.py --engines stage6,stage7,leveldb,rocksdb --num 10000000 --reads 200000 --rounds 3 --benchmarks fillrandom,readrandom,readmissing,readseq --out docs/charts/data/peers-10m

# which ran, from the repository root, 3 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/peers-10m/stage6-bloom-concurrency.csv
build/stage7-speedups/bench --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/peers-10m/stage7-speedups.csv
build/peers/bench-leveldb --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/peers-10m/leveldb.csv
build/peers/bench-rocksdb --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/peers-10m/rocksdb.csv
