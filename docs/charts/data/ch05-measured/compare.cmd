# docs/charts/data/ch05-measured was made by:
python3 bench/compare.py --engines stage4,stage5 --num 1000000 --reads 100000 --rounds 3 --reopen --stage-options= --versus stage4 --benchmarks fillrandom,overwrite,readrandom,readmissing,readseq --out docs/charts/data/ch05-measured

# which ran, from the repository root, 3 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage4-wal-recovery/bench --benchmarks=fillrandom,overwrite --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch05-measured/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=readrandom,readmissing,readseq --num=1000000 --reads=100000 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch05-measured/stage4-wal-recovery.csv
build/stage5-compaction/bench --benchmarks=fillrandom,overwrite --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch05-measured/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=readrandom,readmissing,readseq --num=1000000 --reads=100000 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch05-measured/stage5-compaction.csv
