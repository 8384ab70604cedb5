#!/bin/sh
# run.sh - chapter 6's views measurement: the cost of making a view as
# tables pile up, for two builds of the same stage's bench (before: views
# copied the version; after: views share it). Writes its files into OUT.
#
#   sh docs/charts/data/ch06-views/run.sh BEFORE_BENCH AFTER_BENCH OUT \
#       TABLE_BYTES MEMTABLE_BYTES
#
# The store is filled once (fillseq, 200,000 entries, by AFTER_BENCH), then
# for 3 rounds each build gets a fresh copy of it and runs `open` then one
# get, and readwhilewriting (20,000 gets, one writer) with --histogram=1.
set -e
before=$1; after=$2; out=$3; tb=$4; mb=$5
opts="-o memtable_bytes=$mb -o table_bytes=$tb"
tmp=$(mktemp -d)
"$after" --db="$tmp/base" --num=200000 --benchmarks=fillseq $opts >/dev/null
for round in 1 2 3; do
  for who in before after; do
    eval bench=\$$who
    rm -rf "$tmp/run"; cp -r "$tmp/base" "$tmp/run"
    "$bench" --db="$tmp/run" --num=200000 --use_existing_db=1 \
      --benchmarks=open,readrandom --reads=1 $opts \
      --csv="$out.$who.open.csv" >/dev/null
    "$bench" --db="$tmp/run" --num=200000 --use_existing_db=1 \
      --benchmarks=readwhilewriting --reads=20000 --histogram=1 $opts \
      --csv="$out.$who.rww.csv" > "$out.$who.rww.$round.txt"
  done
done
rm -rf "$tmp"
