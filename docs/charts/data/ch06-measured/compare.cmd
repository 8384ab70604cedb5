# docs/charts/data/ch06-measured was made by:
python3 bench/compare.py --engines stage5,stage6 --num 1000000 --reads 100000 --rounds 3 --reopen --stage-options= --versus stage5 --benchmarks fillrandom,readrandom,readmissing --threads 1,2 --out docs/charts/data/ch06-measured

# which ran, from the repository root, 3 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage5-compaction/bench --benchmarks=fillrandom --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch06-measured/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 --use_existing_db=1 --threads=1 --db=$DB --csv=docs/charts/data/ch06-measured/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 --use_existing_db=1 --threads=2 --db=$DB --csv=docs/charts/data/ch06-measured/stage5-compaction.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/ch06-measured/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 --use_existing_db=1 --threads=1 --db=$DB --csv=docs/charts/data/ch06-measured/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=readrandom,readmissing --num=1000000 --reads=100000 --use_existing_db=1 --threads=2 --db=$DB --csv=docs/charts/data/ch06-measured/stage6-bloom-concurrency.csv
