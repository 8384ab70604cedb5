#!/bin/sh
# run.sh - the costs chapters 4 and 7 quote, measured apart from any
# engine: bench/write_append.c (a bare write(2) of one 133-byte log record
# to an O_APPEND file, no sync: chapter 4), bench/pread_mmap.c (a random
# 4 KiB pread against two bytes read through a mapping, and a malloc, a
# 4 KiB copy and a free: chapter 7) and bench/crc_cost.c (the CRC-32C of a
# 4 KiB block by common/crc32c.c's tables and by crc32c_extend, the
# processor's instruction: chapter 7).
#
#   sh docs/charts/data/ch04-ch07-syscalls/run.sh [--writes N] [--entries N] ROUNDS OUT
#
# Compiles the programs with cc -O2 into build/syscalls/; fills a scratch
# store of stage 7 (--entries fillrandom entries, default 1,000,000:
# build/stage7-speedups/bench) and concatenates its tables (*.sst) into
# one file, read once so that it is in the page cache; then runs each
# program ROUNDS times, taking turns (write_append: --writes calls,
# default 1,000,000, into a new file each round; pread_mmap: 200,000 reads
# of the tables' file; crc_cost: 200,000 blocks each way). Writes
# OUT-write-append.csv, OUT-pread-mmap.csv and OUT-crc.csv (a header,
# then a row per round; times in µs) and machine.txt beside them,
# replacing earlier ones. Scratch files go under $TMPDIR or /tmp and are
# removed at the end. Run from the repository root after `make`.
usage() {
  echo "usage: sh docs/charts/data/ch04-ch07-syscalls/run.sh" \
    "[--writes N] [--entries N] ROUNDS OUT (--help)"
}
die() { echo "run.sh: $*" >&2; exit 1; }
args="$*"; writes=1000000; entries=1000000
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --writes) [ $# -ge 2 ] || { usage >&2; exit 2; }; writes=$2; shift 2 ;;
    --entries) [ $# -ge 2 ] || { usage >&2; exit 2; }; entries=$2; shift 2 ;;
    -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || { usage >&2; exit 2; }
rounds=$1; out=$2
for n in "$rounds" "$writes" "$entries"; do
  case $n in '' | *[!0-9]* | 0) die "not a positive count: '$n'" ;; esac
done
[ -f bench/write_append.c ] || die "run it from the repository root"
s7=build/stage7-speedups/bench
[ -x "$s7" ] || die "$s7: not built (run make first, from the repository root)"
[ -d "$(dirname "$out")" ] || die "$(dirname "$out"): no such folder"
bin=build/syscalls
mkdir -p "$bin" || die "cannot make $bin"
for p in write_append pread_mmap; do
  cc -O2 -Wall -Wextra -o "$bin/$p" "bench/$p.c" || die "bench/$p.c: cc failed"
done
cc -O2 -Wall -Wextra -Icommon -o "$bin/crc_cost" bench/crc_cost.c \
  common/crc32c.c || die "bench/crc_cost.c: cc failed"
d=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$d"' EXIT
trap 'exit 1' INT TERM
echo "filling a store of $entries entries" >&2
$s7 --benchmarks=fillrandom --num="$entries" --db="$d/store" >/dev/null ||
  die "$s7: the fill failed"
set -- "$d"/store/*.sst
[ -e "$1" ] || die "the store has no tables (*.sst): too few --entries?"
cat "$@" > "$d/tables.bin" || die "cannot write $d/tables.bin"
rm -rf "$d/store"
cat "$d/tables.bin" > /dev/null
size=$(wc -c < "$d/tables.bin")
echo "tables: $# files, $size bytes" >&2
wa=$out-write-append.csv; pm=$out-pread-mmap.csv; cr=$out-crc.csv
echo "round,writes,record_bytes,micros_per_write" > "$wa" || die "cannot write $wa"
echo "round,reads,file_bytes,pread,mapped_first,mapped_second,malloc_copy_free" \
  > "$pm" || die "cannot write $pm"
echo "round,blocks,tables,crc32c_extend" > "$cr" || die "cannot write $cr"
# the numbers each program prints before " us"
micros() {
  awk '{ s = ""; for (i = 1; i < NF; i++) if ($(i + 1) ~ /^us/) {
    printf "%s%s", s, $i; s = "," }; print "" }'
}
for r in $(seq 1 "$rounds"); do
  line=$("$bin/write_append" "$d/log" "$writes") || die "write_append failed"
  rm -f "$d/log"
  echo "$r,$writes,133,$(echo "$line" | micros)" >> "$wa"
  echo "round $r: $line" >&2
  line=$("$bin/pread_mmap" "$d/tables.bin") || die "pread_mmap failed"
  echo "$r,200000,$size,$(echo "$line" | micros)" >> "$pm"
  echo "round $r: $line" >&2
  line=$("$bin/crc_cost") || die "crc_cost failed"
  echo "$r,200000,$(echo "$line" | micros)" >> "$cr"
  echo "round $r: $line" >&2
done
sh bench/machine.sh "$(dirname "$out")" sh docs/charts/data/ch04-ch07-syscalls/run.sh $args
echo "wrote $wa, $pm, $cr" >&2
