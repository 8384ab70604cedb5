# docs/charts/data/ch03-measured was made by:
python3 bench/compare.py --engines stage2,stage3 --num 1000000 --reads 100000 --rounds 3 --reopen --stage-options= --versus stage2 --benchmarks fillrandom,open,readrandom,readmissing,readseq --out docs/charts/data/ch03-measured

# which ran, from the repository root, 3 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage2-hash-index/bench --benchmarks=fillrandom --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch03-measured/stage2-hash-index.csv
build/stage2-hash-index/bench --benchmarks=open,readrandom,readmissing,readseq --num=1000000 --reads=100000 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch03-measured/stage2-hash-index.csv
build/stage3-sstable/bench --benchmarks=fillrandom --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch03-measured/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=open,readrandom,readmissing,readseq --num=1000000 --reads=100000 --use_existing_db=1 --db=$DB --csv=docs/charts/data/ch03-measured/stage3-sstable.csv
