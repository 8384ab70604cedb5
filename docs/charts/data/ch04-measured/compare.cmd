# docs/charts/data/ch04-measured was made by:
python3 bench/compare.py --engines stage3,stage4 --num 1000000 --reads 100000 --rounds 3 --reopen --stage-options= --versus stage3 --benchmarks fillsync,fillseq,fillrandom,overwrite,readrandom --out docs/charts/data/ch04-measured

# which ran, from the repository root, 3 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage3-sstable/bench --benchmarks=fillsync,fillseq,fillrandom,overwrite --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch04-measured/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=readrandom --num=1000000 --reads=100000 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch04-measured/stage3-sstable.csv
build/stage4-wal-recovery/bench --benchmarks=fillsync,fillseq,fillrandom,overwrite --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch04-measured/stage4-wal-recovery.csv
build/stage4-wal-recovery/bench --benchmarks=readrandom --num=1000000 --reads=100000 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch04-measured/stage4-wal-recovery.csv
