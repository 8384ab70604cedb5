#!/bin/sh
# run.sh - chapter 7's heap measurement: stage 7's scan with stage 6's
# linear merge (BEFORE) and with the heap (AFTER), on two stores of
# 1,000,000 fillrandom entries made by AFTER: one whose flushes all stay in
# L0 (-o l0_trigger=1000, so nothing compacts it: 44 L0 tables) and one
# whose compactions are done (the default trigger).
#
#   sh docs/charts/data/ch07-heap/run.sh BEFORE_BENCH AFTER_BENCH ROUNDS OUT
#
# BEFORE_BENCH: build/stage7-speedups/bench built with stage 6's
# find_smallest in stage7-speedups/merge.c; AFTER_BENCH: as committed.
# Each round runs `readseq,readseq` (the whole store, twice in one
# process) with each build on each store, taking turns, and appends to
# OUT-<build>-<store>.csv; then callgrind counts the instructions per
# scanned entry of each (--reads=200000 minus --reads=1), printed as
# "BUILD STORE INSTRUCTIONS_PER_ENTRY" and kept in OUT-callgrind.txt.
set -e
before=$1; after=$2; rounds=$3; out=$4
d=$(mktemp -d)
$after --num=1000000 --benchmarks=fillrandom --db="$d/l0" -o l0_trigger=1000 >/dev/null
$after --num=1000000 --benchmarks=fillrandom --db="$d/quiet" >/dev/null
opts() { [ "$1" = l0 ] && echo "-o l0_trigger=1000" || true; }
for r in $(seq 1 "$rounds"); do
  for b in before after; do
    eval cmd=\$$b
    for s in l0 quiet; do
      $cmd --num=1000000 --reads=1000000 --benchmarks=readseq,readseq \
        --use_existing_db=1 --db="$d/$s" $(opts $s) \
        --csv="$out-$b-$s.csv" >/dev/null
    done
    echo "round $r: $b done"
  done
done
: > "$out-callgrind.txt"
for b in before after; do
  eval cmd=\$$b
  for s in l0 quiet; do
    for n in 200000 1; do
      valgrind --tool=callgrind --callgrind-out-file="$d/$b-$s-$n.out" \
        $cmd --num=1000000 --reads=$n --benchmarks=readseq \
        --use_existing_db=1 --db="$d/$s" $(opts $s) >/dev/null 2>&1
    done
    big=$(awk '/^summary:/ {print $2}' "$d/$b-$s-200000.out")
    one=$(awk '/^summary:/ {print $2}' "$d/$b-$s-1.out")
    echo "$b $s $(( (big - one) / 199999 ))" | tee -a "$out-callgrind.txt"
  done
done
rm -rf "$d"
