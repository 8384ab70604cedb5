# ch03-crash-loss.png was made by:
python3 bench/plots.py --out docs/charts --skip=ch06-vs-leveldb --skip=ch07-speedups --skip=ch08-peers --skip=ch08-peers-10m

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp; in turns (every point of the run once, then every point again), so engines side by side share the machine's state:
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 16384 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 32768 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 65536 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 131072 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 262144 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 524288 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 1048576 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 2097152 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage3-sstable --writes 50000 --memtable_bytes 4194304 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 16384 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 32768 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 65536 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 131072 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 262144 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 524288 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 1048576 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 2097152 --db $DB --csv docs/charts/data/crash.csv
python3 bench/crash.py --stage stage4-wal-recovery --writes 50000 --memtable_bytes 4194304 --db $DB --csv docs/charts/data/crash.csv

# and drew the chart with:
cd docs/charts && gnuplot data/ch03-crash-loss.gp
