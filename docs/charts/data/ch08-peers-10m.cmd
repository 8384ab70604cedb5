# ch08-peers-10m.png was made by:
python3 bench/plots.py --out docs/charts ch08-peers-10m --from-compare=docs/charts/data/peers-10m --from-compare=docs/charts/data/peers-10m-sqlite

# from the runs of bench/compare.py recorded in docs/charts/data/peers-10m/compare.cmd, docs/charts/data/peers-10m-sqlite/compare.cmd (compare.cmd there: the commands, each round in turns), which took, of each engine; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage7-speedups/bench --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/stage7-speedups.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/stage6-bloom-concurrency.csv
build/peers/bench-leveldb --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/leveldb.csv
build/peers/bench-rocksdb --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/rocksdb.csv
build/peers/bench-sqlite --benchmarks=fillrandom,readrandom,readmissing,readseq --num=10000000 --reads=200000 -o compression=none -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/sqlite.csv

# the same comparison as tables (medians, speed against LevelDB round by round, peak memory):
python3 bench/compare.py --engines stage7-speedups,stage6-bloom-concurrency,leveldb,rocksdb,sqlite --num 10000000 --reads 200000 --rounds 3 --benchmarks fillrandom,readrandom,readmissing,readseq --out build/compare

# and drew the chart with:
cd docs/charts && gnuplot data/ch08-peers-10m.gp
