# docs/charts/data/stages-100k/stage1 was made by:
python3 bench/compare.py --engines stage1 --num 100000 --reads 1000 --rounds 3 --benchmarks fillrandom,readrandom,readmissing,readseq,open --versus stage1 --out docs/charts/data/stages-100k/stage1

# which ran, from the repository root, 3 round(s), each running these in turn (starting one further along each round), with DB a fresh scratch directory under $TMPDIR or /tmp:
build/stage1-append-log/bench --benchmarks=fillrandom,readrandom,readmissing,readseq,open --num=100000 --reads=1000 --db=$DB --csv=docs/charts/data/stages-100k/stage1/stage1-append-log.csv
