#!/bin/sh
# bench/reference.sh [--list]: the reference run, `make reference`. Draws
# every committed chart into docs/charts/ and makes every run the
# chapters' tables of figures are made from, into docs/charts/data/, then
# rewrites those tables from the runs (tools/check_figures.py --write):
#
#   1. bench/plots.py: every chart that runs its own sweeps;
#   2. bench/compare.py: each of stages 3 to 6 against the one before
#      at 1,000,000 entries (the "Measured" tables of chapters 3 to 6,
#      chapter 6's reads also in two threads) and chapter 5's l0_trigger
#      dial; stages 2-7 at 100,000 entries (and
#      stage 1 alone); stage 6, stage 7 and the peers at 1,000,000 and at
#      10,000,000 entries (SQLite alone: nine minutes a fill), and the
#      peers with their own defaults;
#   3. bench/plots.py --from-compare: the four charts drawn from those
#      runs (ch06-vs-leveldb, ch07-speedups, ch08-peers, ch08-peers-10m);
#   4. bench/callgrind.sh: instructions per operation, and
#      docs/charts/data/ch07-quiet-scan/run.sh: stage 7's scan and
#      LevelDB's on stores whose compactions are done (chapter 7), and
#      ch04-ch07-syscalls/run.sh: a bare write(2), pread and mapped read
#      (bench/write_append.c, bench/pread_mmap.c; chapters 4 and 7);
#   5. tools/check_figures.py --write.
#
# 72 minutes on the course's two-core machine (docs/charts/machine.txt),
# 31 of them the 10,000,000-entry runs; a step names itself as it starts. --list prints the commands, runs
# nothing. Run from anywhere after `make` and `make peers` (make reference
# does both). What it cannot remake: the A/B measurements of a code change
# (two builds of one stage), each kept with its own script in its data
# folder (docs/charts/data/ch06-views, ch07-slowdown, ch07-heap).
case "${1:-}" in
-h | --help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
--list) run() { echo "$*"; } ;;
"") run() { echo "== $(date -u +%H:%M:%S) $*" >&2; "$@" || exit 1; } ;;
*) echo "reference.sh: unknown argument $1 (--help)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.." || exit 1
START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
D=docs/charts/data
PEERS4="stage6,stage7,leveldb,rocksdb"
R4="fillrandom,readrandom,readmissing,readseq"
R5="$R4,open"
run python3 bench/plots.py --out docs/charts --skip ch06-vs-leveldb \
    --skip ch07-speedups --skip ch08-peers --skip ch08-peers-10m
# chapters 3 to 6: each stage against the one before, at 1,000,000
# entries, the fills in one process and the reads in a second
M="--num 1000000 --reads 100000 --rounds 3 --reopen --stage-options="
run python3 bench/compare.py --engines stage2,stage3 $M --versus stage2 \
    --benchmarks fillrandom,open,readrandom,readmissing,readseq \
    --out $D/ch03-measured
run python3 bench/compare.py --engines stage3,stage4 $M --versus stage3 \
    --benchmarks fillsync,fillseq,fillrandom,overwrite,readrandom \
    --out $D/ch04-measured
run python3 bench/compare.py --engines stage4,stage5 $M --versus stage4 \
    --benchmarks fillrandom,overwrite,readrandom,readmissing,readseq \
    --out $D/ch05-measured
run python3 bench/compare.py --engines stage5,stage6 $M --versus stage5 \
    --benchmarks fillrandom,readrandom,readmissing --threads 1,2 \
    --out $D/ch06-measured
# chapter 5's dial: stage 5 at four l0_trigger settings, and stage 4
run python3 bench/compare.py --engines stage5:l0_trigger=2,stage5,stage5:l0_trigger=8,stage5:l0_trigger=16,stage4 \
    --num 1000000 --reads 100000 --rounds 1 --reopen --stage-options= \
    --versus stage5 --benchmarks fillrandom,overwrite,readrandom,readmissing \
    --out $D/ch05-policy
run python3 bench/compare.py --engines stage1 --num 100000 --reads 1000 \
    --rounds 3 --benchmarks "$R5" --versus stage1 --out $D/stages-100k/stage1
run python3 bench/compare.py --engines stage2,stage3,stage4,stage5,stage6,stage7 \
    --num 100000 --reads 100000 --rounds 3 --benchmarks "$R5" \
    --versus stage7 --out $D/stages-100k
run python3 bench/compare.py \
    --engines stage6,stage7:mmap=0,stage7,leveldb,rocksdb,sqlite \
    --num 1000000 --reads 200000 --rounds 3 --out $D/peers-1m
run python3 bench/compare.py --engines "$PEERS4" --num 10000000 \
    --reads 200000 --rounds 3 --benchmarks "$R4" --out $D/peers-10m
run python3 bench/compare.py --engines sqlite --num 10000000 --reads 200000 \
    --rounds 1 --benchmarks "$R4" --out $D/peers-10m-sqlite
# chapter 8: the peers as they ship
run python3 bench/compare.py --engines leveldb,rocksdb,sqlite --num 1000000 \
    --reads 200000 --rounds 1 --peer-options=defaults=1 \
    --out $D/peers-1m-defaults
run python3 bench/plots.py --out docs/charts ch06-vs-leveldb ch07-speedups \
    ch08-peers --from-compare=$D/peers-1m
run python3 bench/plots.py --out docs/charts ch08-peers-10m \
    --from-compare=$D/peers-10m --from-compare=$D/peers-10m-sqlite
if [ "${1:-}" = --list ]; then
    echo "sh bench/callgrind.sh > $D/ch07/callgrind.txt"
else
    echo "== $(date -u +%H:%M:%S) sh bench/callgrind.sh > $D/ch07/callgrind.txt" >&2
    { echo "# instructions per operation, counted by callgrind: sh" \
        "bench/callgrind.sh (one store of 1,000,000 entries per engine)," \
        "$(date -u +%Y-%m-%d)" && sh bench/callgrind.sh; } \
        > $D/ch07/callgrind.txt.new || exit 1
    mv $D/ch07/callgrind.txt.new $D/ch07/callgrind.txt
fi
run rm -f $D/ch07-quiet-scan/1m-*.csv
run sh $D/ch07-quiet-scan/run.sh 4 $D/ch07-quiet-scan/1m
run sh $D/ch04-ch07-syscalls/run.sh 3 $D/ch04-ch07-syscalls/1m
# docs/charts/machine.txt: this run, not the last chart drawn
[ "${1:-}" = --list ] || sed -i -e "s|^date: .*|date:       $START to $(date -u \
    '+%Y-%m-%d %H:%M:%S UTC')|" -e "s|^command: .*|command:    make reference \
(sh bench/reference.sh)|" docs/charts/machine.txt
run python3 tools/check_figures.py --write
