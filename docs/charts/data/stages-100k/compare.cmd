# docs/charts/data/stages-100k was made by:
python3 bench/compare.py --engines stage2,stage3,stage4,stage5,stage6,stage7 --num 100000 --reads 100000 --rounds 3 --benchmarks fillrandom,readrandom,readmissing,readseq,open --versus stage7 --out docs/charts/data/stages-100k

# which ran, from the repository root, 3 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage2-hash-index/bench --benchmarks=fillrandom,readrandom,readmissing,readseq,open --num=100000 --reads=100000 --db=$DB --csv=docs/charts/data/stages-100k/stage2-hash-index.csv
build/stage3-sstable/bench --benchmarks=fillrandom,readrandom,readmissing,readseq,open --num=100000 --reads=100000 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/stages-100k/stage3-sstable.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom,readrandom,readmissing,readseq,open --num=100000 --reads=100000 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/stages-100k/stage4-wal-recovery.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readrandom,readmissing,readseq,open --num=100000 --reads=100000 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/stages-100k/stage5-compaction.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readrandom,readmissing,readseq,open --num=100000 --reads=100000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/stages-100k/stage6-bloom-concurrency.csv
build/stage7-speedups/bench --benchmarks=fillrandom,readrandom,readmissing,readseq,open --num=100000 --reads=100000 -o bloom_bits=10 -o memtable_bytes=4194304 --db=$DB --csv=docs/charts/data/stages-100k/stage7-speedups.csv
