#!/bin/sh
# bench/callgrind.sh [DIR]: instructions per operation, counted by
# valgrind's callgrind (exact, whatever else the machine is doing), for
# stage 6, stage 7 (mapped, and with -o mmap=0) and LevelDB (if make peers
# built it): one store of 1,000,000 entries per engine (fillrandom), then
# readrandom and readmissing with --reads=20000 and readseq with
# --reads=200000, each also with --reads=1, whose count (the open and the
# first operation) is subtracted. Prints one line per engine and workload:
# "ENGINE WORKLOAD INSTRUCTIONS_PER_OP". Takes about fifteen minutes.
# DIR (default: a new one under /tmp) keeps the stores and callgrind files.
case "${1:-}" in -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
command -v valgrind >/dev/null || { echo "callgrind.sh: needs valgrind (Debian: apt-get install valgrind)" >&2; exit 1; }
cd "$(dirname "$0")/.." || exit 1
W=${1:-$(mktemp -d)}
mkdir -p "$W"
PEER="-o compression=none -o bloom_bits=10 -o memtable_bytes=4194304"
set -- "s6 build/stage6-bloom-concurrency/bench" \
       "s7-mmap0 build/stage7-speedups/bench -o mmap=0" \
       "s7 build/stage7-speedups/bench"
[ -x build/peers/bench-leveldb ] && set -- "$@" "leveldb build/peers/bench-leveldb $PEER"
for e in "$@"; do
    name=${e%% *} cmd=${e#* } store=$W/${e%% *}
    store=${store%-mmap0} # stage 7's two settings share one store
    [ -d "$store" ] || $cmd --benchmarks=fillrandom --num=1000000 --db="$store" >/dev/null || exit 1
    for w in readrandom:20000 readmissing:20000 readseq:200000; do
        b=${w%:*} n=${w#*:}
        for r in "$n" 1; do
            valgrind --tool=callgrind --callgrind-out-file="$W/$name-$b-$r.out" \
                $cmd --benchmarks="$b" --reads="$r" --num=1000000 \
                --use_existing_db=1 --db="$store" >/dev/null 2>&1 || exit 1
        done
        big=$(awk '/^summary:/ {print $2}' "$W/$name-$b-$n.out")
        one=$(awk '/^summary:/ {print $2}' "$W/$name-$b-1.out")
        echo "$name $b $(( (big - one) / (n - 1) ))"
    done
done
