#!/bin/sh
# run.sh - chapter 7's slowdown measurement: stage 7 with its writes
# sleeping from 2 x l0_trigger L0 tables (LevelDB's rule) against from
# 3 x (stage 7's), taking turns with LevelDB, the chapter's settings.
#
#   sh docs/charts/data/ch07-slowdown/run.sh SLEEP2X_BENCH SLEEP3X_BENCH \
#       NUM ROUNDS BENCHMARKS OUT
#
# SLEEP2X_BENCH: build/stage7-speedups/bench built with L0_SLOWDOWN 2 in
# stage7-speedups/bg.c; SLEEP3X_BENCH: as committed (3). Writes
# OUT-sleep2x.csv, OUT-sleep3x.csv and OUT-leveldb.csv (make peers builds
# LevelDB's driver), one row per workload and round.
set -e
s2=$1; s3=$2; num=$3; rounds=$4; b=$5; out=$6
db=$(mktemp -d)/db
for r in $(seq 1 "$rounds"); do
  for e in sleep2x sleep3x leveldb; do
    rm -rf "$db"
    case $e in
      sleep2x) cmd=$s2 ;;
      sleep3x) cmd=$s3 ;;
      leveldb) cmd="build/peers/bench-leveldb -o compression=none" ;;
    esac
    $cmd -o bloom_bits=10 -o memtable_bytes=4194304 --db="$db" \
      --num="$num" --reads=200000 --benchmarks="$b" \
      --csv="$out-$e.csv" >/dev/null
    echo "round $r: $e done"
  done
done
rm -rf "$db"
