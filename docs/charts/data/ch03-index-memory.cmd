# ch03-index-memory.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
build/stage2-hash-index/bench --benchmarks=fillseq,readrandom,open --num=1000 --reads=1000 --db=$DB --csv=docs/charts/data/stage2-hash-index.csv
build/stage2-hash-index/bench --benchmarks=fillseq,readrandom,open --num=3000 --reads=3000 --db=$DB --csv=docs/charts/data/stage2-hash-index.csv
build/stage2-hash-index/bench --benchmarks=fillseq,readrandom,open --num=10000 --reads=10000 --db=$DB --csv=docs/charts/data/stage2-hash-index.csv
build/stage2-hash-index/bench --benchmarks=fillseq,readrandom,open --num=30000 --reads=30000 --db=$DB --csv=docs/charts/data/stage2-hash-index.csv
build/stage2-hash-index/bench --benchmarks=fillseq,readrandom,open --num=100000 --reads=100000 --db=$DB --csv=docs/charts/data/stage2-hash-index.csv
build/stage2-hash-index/bench --benchmarks=fillseq,readrandom,open --num=300000 --reads=100000 --db=$DB --csv=docs/charts/data/stage2-hash-index.csv
build/stage2-hash-index/bench --benchmarks=fillseq,readrandom,open --num=1000000 --reads=100000 --db=$DB --csv=docs/charts/data/stage2-hash-index.csv
build/stage3-sstable/bench --benchmarks=fillseq,readrandom,open --num=1000 --reads=1000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillseq,readrandom,open --num=3000 --reads=3000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillseq,readrandom,open --num=10000 --reads=10000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillseq,readrandom,open --num=30000 --reads=20000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillseq,readrandom,open --num=100000 --reads=20000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillseq,readrandom,open --num=300000 --reads=20000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv
build/stage3-sstable/bench --benchmarks=fillseq,readrandom,open --num=1000000 --reads=20000 --db=$DB --csv=docs/charts/data/stage3-sstable.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch03-index-memory.gp
