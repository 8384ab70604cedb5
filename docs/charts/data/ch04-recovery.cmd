# ch04-recovery.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
python3 bench/crash.py --stage stage4-wal-recovery --writes 100 --memtable_bytes 1073741824 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 300 --memtable_bytes 1073741824 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 1000 --memtable_bytes 1073741824 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 3000 --memtable_bytes 1073741824 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 10000 --memtable_bytes 1073741824 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 30000 --memtable_bytes 1073741824 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 100000 --memtable_bytes 1073741824 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 300000 --memtable_bytes 1073741824 --db $DB --csv docs/charts/data/crash.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch04-recovery.gp
