# docs/charts/data/ch05-policy was made by:
python3 bench/compare.py --engines stage5:l0_trigger=2,stage5,stage5:l0_trigger=8,stage5:l0_trigger=16,stage4 --num 1000000 --reads 100000 --rounds 1 --reopen --stage-options= --versus stage5 --benchmarks fillrandom,overwrite,readrandom,readmissing --out docs/charts/data/ch05-policy

# which ran, from the repository root, 1 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage5-compaction/bench --benchmarks=fillrandom,overwrite --num=1000000 --reads=100000 -o l0_trigger=2 --db=$DB --csv=docs/charts/data/ch05-policy/stage5-compaction+l0_trigger=2.csv
build/stage5-compaction/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 -o l0_trigger=2 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch05-policy/stage5-compaction+l0_trigger=2.csv
build/stage5-compaction/bench --benchmarks=fillrandom,overwrite --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch05-policy/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch05-policy/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,overwrite --num=1000000 --reads=100000 -o l0_trigger=8 --db=$DB --csv=docs/charts/data/ch05-policy/stage5-compaction+l0_trigger=8.csv
build/stage5-compaction/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 -o l0_trigger=8 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch05-policy/stage5-compaction+l0_trigger=8.csv
build/stage5-compaction/bench --benchmarks=fillrandom,overwrite --num=1000000 --reads=100000 -o l0_trigger=16 --db=$DB --csv=docs/charts/data/ch05-policy/stage5-compaction+l0_trigger=16.csv
build/stage5-compaction/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 -o l0_trigger=16 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch05-policy/stage5-compaction+l0_trigger=16.csv
build/stage4-wal-recovery/bench --benchmarks=fillrandom,overwrite --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch05-policy/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch05-policy/stage4-wal-recovery.csv
