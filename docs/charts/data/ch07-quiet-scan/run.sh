#!/bin/sh
# run.sh - chapter 7's scan on stores whose compactions are done: stage 7
# (mapped and -o mmap=0) and LevelDB, the chapter's settings, one store of
# 1,000,000 fillrandom entries per engine (stage 7's two settings share
# one), then ROUNDS rounds, the three taking turns, each one process
# running `readseq` twice over 200,000 entries with --use_existing_db=1
# (the first pass maps or opens and checks the blocks it meets, the second
# finds them ready). Appends to OUT-<engine>.csv, and writes machine.txt
# beside it.
#
#   sh docs/charts/data/ch07-quiet-scan/run.sh ROUNDS OUT
#
# Run from the repository root after `make` and `make peers`.
set -e
rounds=$1; out=$2
d=$(mktemp -d)
s7=build/stage7-speedups/bench
ldb=build/peers/bench-leveldb
opts="-o bloom_bits=10 -o memtable_bytes=4194304"
$s7 $opts --num=1000000 --benchmarks=fillrandom --db="$d/s7" >/dev/null
$ldb $opts -o compression=none --num=1000000 --benchmarks=fillrandom \
  --db="$d/ldb" >/dev/null
# let both finish their compactions: reopen, then wait for bytes_written
# to stay 0 over a scan
for e in s7 ldb; do
  eval cmd=\$$e
  extra=; [ $e = ldb ] && extra="-o compression=none"
  $cmd $opts $extra --num=1000000 --reads=1000000 --benchmarks=readseq \
    --use_existing_db=1 --db="$d/$e" >/dev/null
done
sleep 10
for r in $(seq 1 "$rounds"); do
  for e in stage7 stage7-mmap0 leveldb; do
    case $e in
      stage7) cmd="$s7"; db=$d/s7 ;;
      stage7-mmap0) cmd="$s7 -o mmap=0"; db=$d/s7 ;;
      leveldb) cmd="$ldb -o compression=none"; db=$d/ldb ;;
    esac
    $cmd $opts --num=1000000 --reads=200000 --benchmarks=readseq,readseq \
      --use_existing_db=1 --db="$db" --csv="$out-$e.csv" >/dev/null
  done
  echo "round $r done"
done
rm -rf "$d"
sh bench/machine.sh "$(dirname "$out")" sh docs/charts/data/ch07-quiet-scan/run.sh $rounds $out
