# ch06-missing-reads.png was made by:
python3 bench/plots.py --out docs/charts

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp:
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=10000 --reads=10000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=30000 --reads=30000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=100000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=300000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage5-compaction.csv
build/stage5-compaction/bench --benchmarks=fillrandom,readmissing --num=1000000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage5-compaction.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=10000 --reads=10000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=30000 --reads=30000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=100000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=300000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage6-bloom-concurrency.csv
build/stage6-bloom-concurrency/bench --benchmarks=fillrandom,readmissing --num=1000000 --reads=100000 -o memtable_bytes=262144 --db=$DB --csv=docs/charts/data/ch05-07/stage6-bloom-concurrency.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch06-missing-reads.gp
