#!/usr/bin/env python3
"""check_figures.py - the chapters' tables of measured figures, made from
the runs they quote, so a table cannot drift from its data.

    python3 tools/check_figures.py            check; exit 1 on any drift
    python3 tools/check_figures.py --write    rewrite the tables from the data
    python3 tools/check_figures.py --list     the tables and sentences it knows

A chapter fences each such table with two comments (Markdown shows
neither):

    <!-- figures: ch07-vs-leveldb -->
    | 1,000,000 entries, µs/op | stage 6 | stage 7 | ...
    ...
    <!-- /figures -->

The name says which table to make (TABLES below) and so from which run:
the CSVs bench/compare.py wrote into a folder of docs/charts/data/ (every
row of every round, each engine's own file). A cell is a median over the
rounds; a ratio is LevelDB's (or the peer's) median time over the
engine's, above 1 the engine faster, and in brackets either each round's
ratio or the rounds the engine won (for a peer run apart, as SQLite at ten
million entries: its rounds against the engine's median). `make test`
runs the check, so after a new run of a compare command, `--write` puts
its figures into every chapter that quotes it, and the prose around them
is read again by hand.

A figure quoted in a sentence rather than a table is checked the same way:
PHRASES below lists each such sentence with the chapter it is in and the
function that makes its figures (see "figures in the prose").

Python 3 standard library only.
"""
import argparse
import csv
import functools
import math
import os
import re
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
DATA = os.path.join(ROOT, "docs", "charts", "data")
NOTES = DATA  # the notes are read here even when --data moves DATA
OPEN = re.compile(r"^<!-- figures: ([a-z0-9-]+) -->$")
CLOSE = "<!-- /figures -->"

S6, S7, S70 = ("stage6-bloom-concurrency", "stage7-speedups",
               "stage7-speedups+mmap=0")
LDB, RDB, SQL = "leveldb", "rocksdb", "sqlite"
SIX = ["fillseq", "fillrandom", "overwrite", "readrandom", "readmissing",
       "readseq"]
FOUR = ["fillrandom", "readrandom", "readmissing", "readseq"]


class Run:
    """The rows bench/compare.py wrote into one data folder, by engine."""

    def __init__(self, folder):
        self.folder = folder
        self.rows = {}

    def engine(self, e):
        if e not in self.rows:
            path = os.path.join(DATA, self.folder, e + ".csv")
            if not os.path.exists(path):
                raise LookupError("%s: no such file" %
                                  os.path.relpath(path, ROOT))
            with open(path, newline="") as f:
                self.rows[e] = list(csv.DictReader(f))
        return self.rows[e]

    def rounds(self, e, w, col="micros_per_op", threads=1):
        """Engine e's values of col in workload w, one per round (the rows
        run in THREADS threads: compare.py --threads)."""
        v = [float(r[col]) for r in self.engine(e) if r["benchmark"] == w
             and int(r.get("threads") or 1) == threads]
        if not v:
            raise LookupError("%s/%s.csv: no %s rows%s" % (
                self.folder, e, w,
                " in %d threads" % threads if threads > 1 else ""))
        return v

    def med(self, e, w, col="micros_per_op", threads=1):
        return statistics.median(self.rounds(e, w, col, threads))

    def workloads(self, e):
        seen = []
        for r in self.engine(e):
            if r["benchmark"] not in seen:
                seen.append(r["benchmark"])
        return seen

    def per_round(self, e):
        """The rows of e, round by round (a round: one run of every
        workload, in order)."""
        n = len(self.workloads(e))
        rows = self.engine(e)
        return [rows[i:i + n] for i in range(0, len(rows), n)]


def us(x):
    """A time as the chapters print it: 3 decimals below 1, else 2, and
    thousands separated from 100 on."""
    if x < 1:
        return "%.3f" % x
    if x < 100:
        return "%.2f" % x
    return "{:,.0f}".format(x)


def ms(micros):
    """Microseconds as milliseconds: 2 decimals below 10, else 1."""
    x = micros / 1000
    return "%.2f" % x if x < 10 else "%.1f" % x


def count(x):
    """A count per op: whole numbers as such, else 2 decimals."""
    return "{:,.0f}".format(x) if x == int(x) else "%.2f" % x


def name(w):
    return "`%s` (per entry)" % w if w == "readseq" else "`%s`" % w


def ratio_rounds(run, peer, e, w):
    """peer's median over e's, and each round's ratio."""
    a, b = run.rounds(peer, w), run.rounds(e, w)
    return (run.med(peer, w) / run.med(e, w),
            " ".join("%.2f" % (x / y) for x, y in zip(a, b)))


def ratio_wins(run, peer, e, w):
    """'R (N of M)': peer's median over e's, and the rounds e won."""
    a, b = run.rounds(peer, w), run.rounds(e, w)
    wins = sum(1 for x, y in zip(a, b) if x > y)
    return "%.2f (%d of %d)" % (run.med(peer, w) / run.med(e, w), wins,
                                len(b))


def peak_mib(run, e):
    """The median over rounds of each round's largest max RSS."""
    return statistics.median(max(float(r["max_rss_kb"]) for r in rnd)
                             for rnd in run.per_round(e)) / 1024


def disk_mb(run, e):
    """The median over rounds of the bytes on disk after the last
    workload."""
    return statistics.median(float(rnd[-1]["disk_bytes"])
                             for rnd in run.per_round(e)) / 1e6


def table(header, rows):
    cols = header.count("|") - 1
    return ([header, "|---" + "|---:" * (cols - 1) + "|"] + rows)


# --- the tables -----------------------------------------------------------


def ch06_vs_leveldb():
    run = Run("peers-1m")
    rows = []
    for w in SIX:
        m, rounds = ratio_rounds(run, LDB, S6, w)
        rows.append("| %s | %s | %s | **%.2f** (%s) |" % (
            name(w), us(run.med(S6, w)), us(run.med(LDB, w)), m, rounds))
    return table("| 1,000,000 entries, µs/op | stage 6 | LevelDB | "
                 "LevelDB / stage 6 (rounds) |", rows)


def ch07_versus(s7, label):
    run = Run("peers-1m")
    rows = []
    for w in SIX:
        m6, _ = ratio_rounds(run, LDB, S6, w)
        m, rounds = ratio_rounds(run, LDB, s7, w)
        rows.append("| %s | %s | %s | %s | %.2f | **%.2f** (%s) |" % (
            name(w), us(run.med(S6, w)), us(run.med(s7, w)),
            us(run.med(LDB, w)), m6, m, rounds))
    return table("| 1,000,000 entries, µs/op | stage 6 | %s | LevelDB | "
                 "LevelDB / stage 6 | **LevelDB / %s** (rounds) |" %
                 (label, label), rows)


def ch07_mmap0():
    return ch07_versus(S70, "stage 7, `mmap=0`")


def ch07_vs_leveldb():
    return ch07_versus(S7, "stage 7")


def ch07_mapped():
    run = Run("peers-1m")
    rows = []
    for w in ["readrandom", "readmissing", "readseq"]:
        a, b = run.med(S70, w), run.med(S7, w)
        rows.append("| %s | %s | %s | %.2f |" % (name(w), us(a), us(b),
                                                  b / a))
    return table("| 1,000,000 entries, µs/op | stage 7, `mmap=0` | "
                 "stage 7 (mapped) | mapped / `mmap=0` |", rows)


def ch07_fill_counters():
    run = Run("peers-1m")
    rows = []
    for w in ["fillseq", "fillrandom", "overwrite"]:
        mb = lambda e, c: "%.1f MB" % (run.med(e, w, c) / 1e6)
        n = lambda e, c: "{:,.0f}".format(run.med(e, w, c))
        rows.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
            w, mb(S6, "bytes_written"), mb(S7, "bytes_written"),
            n(S6, "syncs"), n(S7, "syncs"), mb(S6, "bytes_read"),
            mb(S7, "bytes_read")))
    return table("| 1,000,000 entries | bytes written: stage 6 | stage 7 | "
                 "syncs: stage 6 | stage 7 | bytes read: stage 6 | "
                 "stage 7 |", rows)


def peers_table(run, workloads, header, sqlite_run):
    rows = []
    engines = [S6, S7, LDB, RDB, SQL]
    src = lambda e: sqlite_run if e == SQL else run
    for w in workloads:
        cells = [us(src(e).med(e, w)) for e in engines]
        ratios = []
        for p in [LDB, RDB, SQL]:
            if p == SQL and sqlite_run is not run:  # its rounds: vs the median
                a, m7 = sqlite_run.rounds(SQL, w), run.med(S7, w)
                ratios.append("%.2f (%d of %d)" % (
                    sqlite_run.med(SQL, w) / m7, sum(x > m7 for x in a),
                    len(a)))
            else:
                ratios.append(ratio_wins(run, p, S7, w))
        ratios[0] = "**%s**" % ratios[0]
        rows.append("| %s | %s | %s |" % (name(w), " | ".join(cells),
                                          " | ".join(ratios)))
    rows.append("| peak memory (max RSS) | %s | | | |" % " | ".join(
        "%.0f MiB" % peak_mib(src(e), e) for e in engines))
    rows.append("| bytes on disk at the end | %s | | | |" % " | ".join(
        "%.1f MB" % disk_mb(src(e), e) for e in engines))
    return table(header, rows)


def ch08_peers_1m():
    run = Run("peers-1m")
    return peers_table(run, SIX, "| 1,000,000 entries | stage 6 | stage 7 | "
                       "LevelDB | RocksDB | SQLite | **LevelDB / 7** | "
                       "RocksDB / 7 | SQLite / 7 |", run)


def ch08_peers_10m():
    return peers_table(Run("peers-10m"), FOUR, "| 10,000,000 entries | "
                       "stage 6 | stage 7 | LevelDB | RocksDB | SQLite (1 "
                       "round) | **LevelDB / 7** | RocksDB / 7 | SQLite / 7 "
                       "|", Run("peers-10m-sqlite"))


def ch08_stages_100k():
    stages = ["stage1-append-log", "stage2-hash-index", "stage3-sstable",
              "stage4-wal-recovery", "stage5-compaction", S6, S7]
    one, rest = Run("stages-100k/stage1"), Run("stages-100k")
    src = lambda s: one if s.startswith("stage1") else rest

    def cells(f):
        return " | ".join(f(src(s), s) for s in stages)

    def per_op(col, w):
        return lambda r, s: count(r.med(s, w, col) / r.med(s, w, "ops"))

    def scan(r, s):
        if "readseq" not in r.workloads(s):
            return "not supported"
        return us(r.med(s, "readseq"))

    rows = [
        "| `fillrandom` µs/op | %s |" % cells(
            lambda r, s: us(r.med(s, "fillrandom"))),
        "| `readrandom` µs/op | %s |" % cells(
            lambda r, s: us(r.med(s, "readrandom"))),
        "| reads per get | %s |" % cells(per_op("reads", "readrandom")),
        "| `readmissing` µs/op | %s |" % cells(
            lambda r, s: us(r.med(s, "readmissing"))),
        "| reads per missing get | %s |" % cells(
            per_op("reads", "readmissing")),
        "| `readseq` µs/entry | %s |" % cells(scan),
        "| `open` ms | %s |" % cells(lambda r, s: ms(r.med(s, "open"))),
        "| `open`: bytes read | %s |" % cells(
            lambda r, s: "{:,.0f}".format(r.med(s, "open", "bytes_read"))),
        "| bytes on disk after the fill | %s |" % cells(
            lambda r, s: "{:,.0f}".format(r.med(s, "fillrandom",
                                                "disk_bytes"))),
    ]
    return table("| 100,000 entries | 1 append-log | 2 hash-index | "
                 "3 sstable | 4 wal-recovery | 5 compaction | "
                 "6 bloom-concurrency | 7 speedups |", rows)


# --- chapters 3 to 6: a stage against the one before, bench/compare.py
# --reopen (the fills in one process, the reads in a second) ----------------


def per_op(run, e, w, col):
    return run.med(e, w, col) / run.med(e, w, "ops")


def op_time(run, e, w, unit="µs/op"):
    if w not in run.workloads(e) or not run.engine(e) or not any(
            r["benchmark"] == w and r["micros_per_op"] for r in run.engine(e)):
        return "not supported"
    return "%s %s" % (sig3(run.med(e, w)), unit)


def ch03_measured():
    run = Run("ch03-measured")
    a, b = "stage2-hash-index", "stage3-sstable"
    both = lambda f: "%s | %s" % (f(a), f(b))
    rows = [
        "| `fillrandom` | %s |" % both(
            lambda e: op_time(run, e, "fillrandom")),
        "| `open`: time | %s |" % both(
            lambda e: human_time(run.med(e, "open"))),
        "| `open`: bytes read (reads) | %s |" % both(
            lambda e: "{:,.0f} ({:,.0f})".format(
                run.med(e, "open", "bytes_read"),
                run.med(e, "open", "reads"))),
        "| `readrandom` | %s |" % both(
            lambda e: op_time(run, e, "readrandom")),
        "| `readrandom`: reads, bytes read per get | %s |" % both(
            lambda e: "%s, %s" % (count(round(per_op(run, e, "readrandom",
                                                     "reads"), 2)),
                                  "{:,.0f}".format(per_op(
                                      run, e, "readrandom", "bytes_read")))),
        "| `readmissing` | %s |" % both(
            lambda e: op_time(run, e, "readmissing")),
        "| `readmissing`: reads per get | %s |" % both(
            lambda e: count(round(per_op(run, e, "readmissing", "reads"), 2))),
        "| `readseq` | %s |" % both(
            lambda e: op_time(run, e, "readseq", "µs/entry")),
        "| index in memory (`index_bytes`) | %s |" % both(
            lambda e: "{:,.0f}".format(run.med(e, "readrandom",
                                               "index_bytes"))),
        "| bytes on disk (after the reopen) | %s |" % both(
            lambda e: "{:,.0f}".format(run.med(e, "open", "disk_bytes"))),
    ]
    return table("| 1,000,000 entries | stage 2 | stage 3 |", rows)


def versus_rows(run, a, b, workloads, extra):
    """Rows "| w | a's time | b's time | b / a | extra cells... |"."""
    rows = []
    for w in workloads:
        ta, tb = op_time(run, a, w), op_time(run, b, w)
        if "not" in ta or "not" in tb:
            ratio = "-"
        else:
            ratio = "%.2f" % (run.med(b, w) / run.med(a, w))
        label = w
        if w == "fillsync" and "not" not in tb:  # num / 1000 puts
            label = "fillsync ({:,.0f} puts)".format(run.med(b, w, "ops"))
        row = "| %s | %s | %s | %s | %s |" % (label, ta, tb, ratio,
                                             " | ".join(extra(w)))
        while "|  |" in row:  # an empty cell
            row = row.replace("|  |", "| |")
        rows.append(row)
    return rows


def ch04_measured():
    run = Run("ch04-measured")
    a, b = "stage3-sstable", "stage4-wal-recovery"

    def n(e, w, col):
        if w not in run.workloads(e) or op_time(run, e, w) == "not supported":
            return "-"
        return "{:,.0f}".format(run.med(e, w, col))

    rows = versus_rows(run, a, b, ["fillseq", "fillrandom", "overwrite",
                                   "readrandom", "fillsync"],
                       lambda w: [n(a, w, "writes"), n(b, w, "writes"),
                                  n(a, w, "syncs"), n(b, w, "syncs")])
    return table("| workload | stage 3 | stage 4 | stage 4 / stage 3 | "
                 "writes: stage 3 | writes: stage 4 | syncs: stage 3 | "
                 "syncs: stage 4 |", rows)


def ch05_measured():
    run = Run("ch05-measured")
    a, b = "stage4-wal-recovery", "stage5-compaction"

    def extra(w):
        if w.startswith("fill") or w == "overwrite":
            amp = lambda e: "%.2f" % (run.med(e, w, "bytes_written") /
                                      (run.med(e, w, "ops") * 116))
            disk = lambda e: "%.1f MB" % (run.med(e, w, "disk_bytes") / 1e6)
            return ["-", "-", amp(a), amp(b), disk(a), disk(b)]
        rp = lambda e: "%.2f" % per_op(run, e, w, "reads")
        return [rp(a), rp(b), "", "", "", ""]

    rows = versus_rows(run, a, b, ["fillrandom", "overwrite", "readrandom",
                                   "readmissing", "readseq"], extra)
    return table("| workload | stage 4 | stage 5 | 5 / 4 | reads per op: 4 | "
                 "5 | write amp.: 4 | 5 | on disk: 4 | 5 |", rows)


def ch06_measured():
    run = Run("ch06-measured")
    a, b = "stage5-compaction", "stage6-bloom-concurrency"

    def extra(w):
        if w.startswith("fill"):
            return ["-", "-"]
        return ["%.3f" % per_op(run, e, w, "reads") for e in (a, b)]

    rows = versus_rows(run, a, b, ["fillrandom", "readrandom",
                                   "readmissing"], extra)
    return table("| workload | stage 5 | stage 6 | 6 / 5 | reads per op: 5 | "
                 "6 |", rows)


def ch06_readers():
    """Chapter 6's readers in parallel: gets per second of wall time with
    the reads in 1 and 2 threads on the same reopened store (compare.py
    --threads 1,2), from ch06-measured/."""
    run = Run("ch06-measured")
    rows = []
    for w in ["readrandom", "readmissing"]:
        cells = []
        for e in ["stage5-compaction", "stage6-bloom-concurrency"]:
            one = run.med(e, w, "ops_per_sec")
            two = run.med(e, w, "ops_per_sec", threads=2)
            cells += ["{:,.0f}".format(one),
                      "{:,.0f} ({:.2f}x)".format(two, two / one)]
        rows.append("| %s | %s |" % (w, " | ".join(cells)))
    return table("| workload | stage 5, 1 thread | 2 threads | stage 6, 1 "
                 "thread | 2 threads |", rows)


@functools.lru_cache(maxsize=None)
def distinct_keys(seeds, num=1000000):
    """The distinct keys num random puts per seed write, in the bench's
    order: common/bench_workloads.c's Park-Miller generator (LevelDB's
    util/random.h), key = next() % num. The bench's Nth workload thread
    takes seed 1000 + N, so a fillrandom is seeds (1001,), a fillrandom
    then an overwrite in one process (1001, 1002). The same in every
    engine; a readseq over a whole store counts them too (ch07-heap)."""
    m, keys = 2147483647, set()
    for seed in seeds:
        x = seed & m
        if x in (0, m):
            x = 1
        for _ in range(num):
            p = x * 16807
            x = (p >> 31) + (p & m)
            if x > m:
                x -= m
            keys.add(x % num)
    return len(keys)


def live_after_overwrite():
    """Live bytes after fillrandom then overwrite of a million: 16-byte
    keys and 100-byte values."""
    return distinct_keys((1001, 1002)) * 116


def ch05_policy():
    """Stage 5 at four l0_trigger settings and stage 4, from
    ch05-policy/ (compare.py --reopen, one round: the counts are exact)."""
    run = Run("ch05-policy")
    rows = []
    for e, label in [("stage5-compaction+l0_trigger=2",
                      "leveled, l0_trigger=2"),
                     ("stage5-compaction", "leveled, l0_trigger=4 (stage 5)"),
                     ("stage5-compaction+l0_trigger=8",
                      "leveled, l0_trigger=8"),
                     ("stage5-compaction+l0_trigger=16",
                      "leveled, l0_trigger=16"),
                     ("stage4-wal-recovery", "no merge (stage 4)")]:
        amp = (run.med(e, "fillrandom", "bytes_written") +
               run.med(e, "overwrite", "bytes_written")) / (2 * 116e6)
        r = [x for x in run.engine(e) if x["benchmark"] == "readrandom"][0]
        l0 = r.get("tables_l0") or r["tables"]  # stage 4: all of them
        rows.append("| %s | %.2f | %s | %.2f | %.2f | %.2f |" % (
            label, amp, l0, per_op(run, e, "readrandom", "reads"),
            per_op(run, e, "readmissing", "reads"),
            run.med(e, "overwrite", "disk_bytes") / live_after_overwrite()))
    return table("| policy | write amp. (both fills) | L0 tables at the end "
                 "| reads per get | per missing get | on disk / live |", rows)


def ch08_defaults():
    """The peers with their own defaults (-o defaults=1), one round, from
    peers-1m-defaults/."""
    run = Run("peers-1m-defaults")
    rows = []
    for w in SIX:
        rows.append("| `%s` | %s |" % (w, " | ".join(
            sig3(run.med(e, w)) for e in (LDB, RDB, SQL))))
    rows.append("| on disk at the end | %s |" % " | ".join(
        "%.1f MB" % disk_mb(run, e) for e in (LDB, RDB, SQL)))
    return table("| 1,000,000 entries, `defaults=1`, µs/op | LevelDB | "
                 "RocksDB | SQLite |", rows)


# --- tables made from a chart's data (bench/plots.py's .dat files) --------


def dat(name):
    """The rows of docs/charts/data/NAME.dat: a header comment naming the
    columns, then numbers. Returns a list of dicts."""
    path = os.path.join(DATA, name + ".dat")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    with open(path) as f:
        lines = [l.split() for l in f if l.strip()]
    cols = lines[0][1:]
    return [dict(zip(cols, map(float, l))) for l in lines[1:]]


def sig3(x):
    """x to three significant digits, as written: 0.731, 1.06, 11.0, 133."""
    if x == 0:
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(x)))))
    return "{:,.{d}f}".format(round(x, digits), d=digits)


def human_time(micros):
    if micros < 1000:
        return sig3(micros) + " µs"
    if micros < 1e6:
        return sig3(micros / 1e3) + " ms"
    return sig3(micros / 1e6) + " s"


def human_bytes(b):
    if b < 1e3:
        return "{:,.0f}".format(b)
    if b < 1e6:
        return sig3(b / 1e3) + " KB"
    if b < 1e9:
        return sig3(b / 1e6) + " MB"
    return sig3(b / 1e9) + " GB"


def at(rows, col, value):
    for r in rows:
        if r[col] == value:
            return r
    raise LookupError("no row with %s = %g" % (col, value))


def ch01_get_scan():
    rows = dat("ch01-get-scan")
    out = []
    for n in [1000, 10000, 100000, 1000000]:
        r = at(rows, "entries", n)
        out.append("| {:,} | {} | {} | {} |".format(
            n, human_bytes(r["log_bytes"]), human_time(r["micros_per_get"]),
            human_bytes(r["bytes_read_per_get"])))
    return ["| entries | log size | time per get | bytes read per get |",
            "|---:|---:|---:|---:|"] + out


def stage1_vs_stage2(chart, time_col, to_micros, bytes_col, header):
    """Chapter 2's tables: stage 1 and stage 2 at three sizes, from the
    chart's two .dat files (time_col x to_micros is a time in µs)."""
    s1, s2 = dat(chart + "-stage1"), dat(chart + "-stage2")
    out = []
    for n in [1000, 100000, 1000000]:
        a, b = at(s1, "entries", n), at(s2, "entries", n)
        out.append("| {:,} | {} | {} | {} |".format(
            n, human_time(a[time_col] * to_micros),
            human_time(b[time_col] * to_micros), human_bytes(b[bytes_col])))
    return [header, "|---:|---:|---:|---:|"] + out


def ch02_get_fix():
    return stage1_vs_stage2("ch02-get-fix", "micros_per_get", 1,
                            "bytes_read_per_get",
                            "| entries | stage 1 get | stage 2 get | stage 2 "
                            "bytes read per get |")


def ch02_open_cost():
    return stage1_vs_stage2("ch02-open-cost", "open_ms", 1000, "bytes_read",
                            "| entries | stage 1 open | stage 2 open | "
                            "stage 2 bytes read at open |")


def ch04_pileup():
    rows = dat("ch04-pileup")
    out = []
    for n in [100000, 200000, 300000, 600000, 1100000]:
        r = at(rows, "writes", n)
        label = "{:,}".format(n) + (" (fillrandom)" if n == 100000 else "")
        out.append("| %s | %d | %s | %.1f | %.0f |" % (
            label, r["tables"], human_bytes(r["disk_mb"] * 1024 * 1024),
            r["reads_per_get"], r["reads_per_missing_get"]))
    return ["| puts so far | tables | on disk | preads per get | preads per "
            "missing get |", "|---:|---:|---:|---:|---:|"] + out


def ch06_bloom_fp():
    out = []
    for r in dat("ch06-bloom-fp"):
        if r["bits_per_key"] > 10 and r["bits_per_key"] % 2:
            continue  # the chapter cuts the odd rows past 10
        cells = ["%d" % r["bits_per_key"], "%d" % r["k"],
                 "%.6f" % r["measured"], "%.6f" % r["theory"]]
        if r["bits_per_key"] == 10:  # the course's setting
            cells = ["**%s**" % c for c in cells]
        out.append("| %s |" % " | ".join(cells))
    return ["| bits per key | k | measured | theory |",
            "|---:|---:|---:|---:|"] + out


def ch07_quiet_scan():
    """From ch07-quiet-scan/run.sh: each process scans twice, so an
    engine's rows alternate first scan, second scan."""
    run = Run("ch07-quiet-scan")
    engines = ["1m-stage7", "1m-stage7-mmap0", "1m-leveldb"]
    rows = []
    for k, label in [(0, "first scan in a process"), (1, "second scan")]:
        med = [statistics.median(float(r["micros_per_op"])
                                 for r in run.engine(e)[k::2])
               for e in engines]
        a = [float(r["micros_per_op"]) for r in run.engine(engines[2])[k::2]]
        b = [float(r["micros_per_op"]) for r in run.engine(engines[0])[k::2]]
        rows.append("| %s | %s | %.2f (%s) |" % (
            label, " | ".join(us(x) for x in med), med[2] / med[0],
            " ".join("%.2f" % (x / y) for x, y in zip(a, b))))
    return table("| 200,000 entries, µs per entry | stage 7 (mapped) | "
                 "stage 7, `mmap=0` | LevelDB | LevelDB / stage 7 (rounds) "
                 "|", rows)


def ch07_instructions():
    """From bench/callgrind.sh's lines "ENGINE WORKLOAD COUNT" (comments
    and blank lines skipped)."""
    path = os.path.join(DATA, "ch07", "callgrind.txt")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    got = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and not line.startswith("#"):
                got[(parts[0], parts[1])] = int(parts[2])
    rows = []
    for w, label in [("readrandom", "`readrandom` (a get)"),
                     ("readmissing", "`readmissing`"),
                     ("readseq", "`readseq` (per entry)")]:
        cells = []
        for e in ["s7-mmap0", "s7", "leveldb"]:
            if (e, w) not in got:
                raise LookupError("ch07/callgrind.txt: no line %s %s" % (e, w))
            cells.append("{:,}".format(got[(e, w)]))
        rows.append("| %s | %s |" % (label, " | ".join(cells)))
    return table("| instructions per op | stage 7, `mmap=0` | "
                 "stage 7 (mapped) | LevelDB |", rows)


# --- figures in the prose -------------------------------------------------
#
# A sentence that quotes a measured figure is listed here: the chapter it
# is in, a template whose {} stand for the figures, and a function that
# makes them from the data, as strings written as the chapter writes them.
# The check finds the template in the chapter exactly once (a space in the
# template matches any run of white space, as the chapter wraps its lines;
# a {} matches a number such as 1,100,000 or 0.362) and compares the
# figures; --write puts the data's figures in their place. A sentence
# reworded so that its template no longer matches is an error, not a
# silent pass: change the template with the sentence.

PHRASES = {}
NUMBER = r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)"


def prose(chapter, source, template):
    """Register the decorated function as the maker of the figures in
    TEMPLATE, a sentence of docs/CHAPTER.md, from SOURCE (for --list)."""
    def add(fn):
        key = fn.__name__.replace("_", "-")
        assert key not in PHRASES, key
        PHRASES[key] = (chapter, template, fn, source)
        return fn
    return add


# A sentence may quote the measured figure of a scoreboard cell: the text
# common/suite_scoreboard.c writes into BUILD/<stage>/scoreboard.txt as the
# stage's tests run (its source: "scoreboard"). Exact counts, but there
# only after `make test`: tools/test-all passes --scoreboard BUILD, and
# without it those sentences are left unchecked, and said so.

SCOREBOARD = None


def board(stage, row):
    """The numbers in ROW's figure of STAGE's scoreboard.txt, as written
    there (53914, 0.3)."""
    if SCOREBOARD is None:
        raise LookupError("no --scoreboard BUILD given")
    path = os.path.join(SCOREBOARD, stage, "scoreboard.txt")
    if not os.path.exists(path):
        raise LookupError("%s: no such file (run make test)" % path)
    with open(path) as f:
        for line in f:
            p = line.split(None, 3)
            if p and p[0] == row:
                return re.findall(r"[0-9]+(?:\.[0-9]+)?",
                                  p[3] if len(p) > 3 else "")
    raise LookupError("%s: no row %s" % (path, row))


def stage_folders():
    return sorted(d for d in os.listdir(ROOT) if re.match(r"stage\d+-", d)
                  and os.path.isdir(os.path.join(ROOT, d)))


def check_matrices(rel, text):
    """The scoreboard's matrices a chapter shows (a table row "| words |
    cell | ..." or a line of 00-course.md's printed matrix, for stages 1,
    2, ... in order) against each stage's measured cell. Returns (rows
    checked, rows that differ)."""
    import scoreboard  # tools/scoreboard.py: the rows and their words
    stages = stage_folders()
    cells = {}
    for stage in stages:
        path = os.path.join(SCOREBOARD, stage, "scoreboard.txt")
        if os.path.exists(path):
            for row, (_, measured, _) in scoreboard.read_rows(path).items():
                cells.setdefault(row, {})[stage] = measured
    checked = differ = 0
    seen = set()
    for row, words in scoreboard.ROWS:
        short = re.sub(r" \([^)]*\)", "", words)
        for m in re.finditer(r"^(?:\| (?:%s|%s) \|(.*)\||(?:%s) +(\S.*))$" % (
                re.escape(words), re.escape(short), re.escape(words)),
                text, re.M):
            got = (m.group(1).split("|") if m.group(1) is not None
                   else m.group(2).split())
            got = [c.strip().strip("*") for c in got]
            want = [cells.get(row, {}).get(st, "?")
                    for st in stages[:len(got)]]
            checked += 1
            seen.add(text.count("\n", 0, m.start()) + 1)
            if got != want:
                differ += 1
                print("%s:%d: the scoreboard's row %s says %s, make test "
                      "measured %s" % (rel, text.count("\n", 0, m.start())
                                       + 1, row, " ".join(got),
                                       " ".join(want)))
    # every row of a matrix ("| property | stage 1 | ...") is one of them
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("| property | stage 1 |"):
            continue
        j = i + 2
        while j < len(lines) and lines[j].startswith("|"):
            if j + 1 not in seen:
                differ += 1
                print("%s:%d: a scoreboard row with words of no row of "
                      "tools/scoreboard.py's ROWS" % (rel, j + 1))
            j += 1
    return checked, differ


def sep(x):
    """An integer as prose writes it: 53,914."""
    return "{:,}".format(int(x))


def template_re(template):
    parts = []
    for i, lit in enumerate(template.split("{}")):
        if i:
            parts.append(NUMBER)
        parts.append(r"\s+".join(re.escape(w) for w in lit.split(" ")))
    return re.compile("".join(parts))


def check_phrases(rel, text, chapter, write):
    """Check (or rewrite) the phrases of one chapter. Returns the new
    text and the counts (checked, drifted, bad)."""
    checked = drifted = bad = 0
    edits, taken = [], []
    for key, (ch, template, fn, source) in PHRASES.items():
        if ch != chapter or (source == "scoreboard" and SCOREBOARD is None):
            continue
        checked += 1
        found = list(template_re(template).finditer(text))
        if len(found) != 1:
            print("%s: %s: the sentence \"%s\" is there %d times, not once "
                  "(reworded? change its template in %s)" % (
                      rel, key, template, len(found),
                      "tools/check_figures.py"))
            bad += 1
            continue
        m = found[0]
        line = text.count("\n", 0, m.start()) + 1
        spans = [(m.start(k), m.end(k), key) for k in range(1, len(m.groups())
                                                           + 1)]
        clash = [o for a, b, _ in spans for a2, b2, o in taken
                 if a < b2 and a2 < b]
        taken += spans
        if clash:
            print("%s:%d: %s: a figure of its sentence is also %s's: each "
                  "figure belongs to one template" % (rel, line, key,
                                                      clash[0]))
            bad += 1
            continue
        try:
            want = fn()
        except (LookupError, ValueError, KeyError) as e:
            print("%s:%d: %s: %s" % (rel, line, key, e))
            bad += 1
            continue
        if isinstance(want, str):
            want = (want,)
        assert len(want) == template.count("{}"), key
        got = m.groups()
        if tuple(got) != tuple(want):
            drifted += 1
            where = ("the scoreboard" if source == "scoreboard" else
                     "docs/charts/data/" + source)
            print("%s:%d: %s: the chapter says %s, %s %s" % (
                rel, line, key, ", ".join(got), where, ", ".join(want)))
            for k in range(len(want)):
                edits.append((m.start(k + 1), m.end(k + 1), want[k]))
    if write:
        for a, b, v in sorted(edits, reverse=True):
            text = text[:a] + v + text[b:]
    return text, checked, drifted, bad


TABLES = {
    "ch05-policy": (ch05_policy, "ch05-policy"),
    "ch08-defaults": (ch08_defaults, "peers-1m-defaults"),
    "ch03-measured": (ch03_measured, "ch03-measured"),
    "ch04-measured": (ch04_measured, "ch04-measured"),
    "ch05-measured": (ch05_measured, "ch05-measured"),
    "ch06-measured": (ch06_measured, "ch06-measured"),
    "ch06-readers": (ch06_readers, "ch06-measured"),
    "ch01-get-scan": (ch01_get_scan, "ch01-get-scan.dat"),
    "ch02-get-fix": (ch02_get_fix, "ch02-get-fix-stage1.dat, "
                     "ch02-get-fix-stage2.dat"),
    "ch02-open-cost": (ch02_open_cost, "ch02-open-cost-stage1.dat, "
                       "ch02-open-cost-stage2.dat"),
    "ch04-pileup": (ch04_pileup, "ch04-pileup.dat"),
    "ch06-bloom-fp": (ch06_bloom_fp, "ch06-bloom-fp.dat"),
    "ch06-vs-leveldb": (ch06_vs_leveldb, "peers-1m"),
    "ch07-mmap0": (ch07_mmap0, "peers-1m"),
    "ch07-mapped": (ch07_mapped, "peers-1m"),
    "ch07-vs-leveldb": (ch07_vs_leveldb, "peers-1m"),
    "ch07-fill-counters": (ch07_fill_counters, "peers-1m"),
    "ch07-instructions": (ch07_instructions, "ch07/callgrind.txt"),
    "ch07-quiet-scan": (ch07_quiet_scan, "ch07-quiet-scan"),
    "ch08-peers-1m": (ch08_peers_1m, "peers-1m"),
    "ch08-peers-10m": (ch08_peers_10m, "peers-10m, peers-10m-sqlite"),
    "ch08-stages-100k": (ch08_stages_100k, "stages-100k, stages-100k/stage1"),
}


# A chapter's block below may add to TABLES too: TABLES[NAME] = (fn, run).

# --- chapter 1's sentences (docs/01-append-log.md) ---


def ch01_million():
    """Stage 1 at a million entries, from the chart's data."""
    return at(dat("ch01-get-scan"), "entries", 1000000)


@prose("01-append-log", "ch01-get-scan.dat",
       "At a million entries a get takes {} ms, and that is with the whole "
       "log already in memory: from a disk it would be the time to read {} "
       "MB")
def ch01_get_million():
    r = ch01_million()
    return (sig3(r["micros_per_get"] / 1e3),
            sig3(r["bytes_read_per_get"] / 1e6))


@prose("01-append-log", "ch01-get-scan.dat",
       "At a million entries a get reads {} MB. Why that much?")
def ch01_check_reads():
    return sig3(ch01_million()["bytes_read_per_get"] / 1e6)


@prose("01-append-log", "ch01-get-scan.dat",
       "the key decides, and the log is {} MB;")
def ch01_check_log():
    return sig3(ch01_million()["log_bytes"] / 1e6)


@prose("00-course", "scoreboard",
       "these counts are exact, so the tests assert on them (\"open read {} "
       "bytes\"")
def ch00_board_open():
    return board("stage1-append-log", "open_index")[0]


# --- chapter 2's sentences (docs/02-hash-index.md) ---


def ch02_million(chart):
    return at(dat(chart), "entries", 1000000)


def ch02_log_mb():
    """The store at a million entries, from the open chart's data."""
    return sig3(ch02_million("ch02-open-cost-stage2")["store_bytes"] / 1e6)


def ch02_get_bytes():
    """Stage 2's bytes read per get: the same at every size, or an
    error (the chapter says "whatever the size of the log")."""
    got = {r["bytes_read_per_get"] for r in dat("ch02-get-fix-stage2")}
    if len(got) != 1:
        raise ValueError("ch02-get-fix-stage2.dat: bytes read per get "
                         "differ across sizes: %s" % sorted(got))
    return "{:,.0f}".format(got.pop())


def ch02_keydir_mib():
    return "%.0f" % ch02_million("ch02-index-memory")["index_mb"]


@prose("02-hash-index", "ch02-open-cost-stage2.dat",
       "A store of a million 100-byte values is about {} MB of log")
def ch02_log_million():
    return ch02_log_mb()


@prose("02-hash-index", "ch02-get-fix-stage2.dat",
       "A get in stage 2 reads {} bytes, one record, whatever the size of "
       "the log.")
def ch02_get_record():
    return ch02_get_bytes()


@prose("02-hash-index", "ch02-index-memory.dat",
       "because the keydir ({} MB by then)")
def ch02_keydir_then():
    """index_mb is in MiB; the sentence says MB."""
    mib = ch02_million("ch02-index-memory")["index_mb"]
    return "%.0f" % (mib * 1024 * 1024 / 1e6)


@prose("02-hash-index", "ch02-index-memory.dat, ch02-open-cost-stage2.dat",
       "At a million keys the keydir holds {} MiB ({} bytes per key) to "
       "index {} MB of log")
def ch02_keydir_million():
    r = ch02_million("ch02-index-memory")
    return (ch02_keydir_mib(), "%.1f" % r["index_bytes_per_key"],
            ch02_log_mb())


@prose("02-hash-index", "ch02-get-fix-stage2.dat",
       "Why does a stage 2 get read {} bytes whatever the size of the log?")
def ch02_check_get():
    return ch02_get_bytes()


@prose("02-hash-index", "ch02-open-cost-stage1.dat, "
       "ch02-open-cost-stage2.dat",
       "Open went from {} ms in stage 1 to {} ms at a million entries.")
def ch02_check_open():
    a = ch02_million("ch02-open-cost-stage1")["open_ms"]
    b = ch02_million("ch02-open-cost-stage2")["open_ms"]
    return "%.2f" % a, sig3(b)


@prose("02-hash-index", "ch02-open-cost-stage2.dat",
       "The whole log, {} MB, to learn where every key's latest")
def ch02_check_open_reads():
    r = ch02_million("ch02-open-cost-stage2")
    return sig3(r["bytes_read"] / 1e6)


@prose("02-hash-index", "ch02-index-memory.dat, ch02-open-cost-stage2.dat",
       "At a million keys the keydir holds {} MiB to index {} MB of log.")
def ch02_check_keydir():
    return ch02_keydir_mib(), ch02_log_mb()


# --- chapter 3's sentences (docs/03-sstable.md) ---

CH03_S2, CH03_S3 = "stage2-hash-index", "stage3-sstable"


def ch03_med(e, w, col="micros_per_op"):
    """A median of ch03-measured/ (the counts are the same every round)."""
    return Run("ch03-measured").med(e, w, col)


def ch03_per_get(e, w, col):
    return ch03_med(e, w, col) / ch03_med(e, w, "ops")


def ch03_distinct_keys():
    """The distinct keys of the bench's fillrandom of a million: a readseq
    over the whole store counts them (ch07-heap/, chapter 7's run; the
    keys do not depend on the engine)."""
    got = {r["entries"] for r in Run("ch07-heap").engine("1m-after-l0")
           if r["benchmark"] == "readseq"}
    if got != {str(distinct_keys((1001,)))}:
        raise ValueError("ch07-heap/1m-after-l0.csv: readseq counts %s, "
                         "the seeds make %d" % (", ".join(sorted(got)),
                                                distinct_keys((1001,))))
    return distinct_keys((1001,))


def ch03_fill_blocks():
    """The data blocks the fill's tables hold: each table the fill flushes
    is its data blocks, an index block and a footer, one write(2) each."""
    return (ch03_med(CH03_S3, "fillrandom", "writes") -
            2 * ch03_med(CH03_S3, "fillrandom", "tables"))


@prose("03-sstable", "ch03-measured, ch07-heap",
       "the {} tables the fill flushed hold {} data blocks and {} bytes of "
       "index, {} bytes per block; the {} tables of the reopened store hold "
       "{} bytes of index, {} bytes per distinct key")
def ch03_index_per_block():
    blocks = ch03_fill_blocks()
    fill_index = ch03_med(CH03_S3, "fillrandom", "index_bytes")
    index = ch03_med(CH03_S3, "open", "index_bytes")
    return ("%.0f" % ch03_med(CH03_S3, "fillrandom", "tables"),
            "{:,.0f}".format(blocks), "{:,.0f}".format(fill_index),
            "%.0f" % (fill_index / blocks),
            "%.0f" % ch03_med(CH03_S3, "open", "tables"),
            "{:,.0f}".format(index), "%.2f" % (index / ch03_distinct_keys()))


@prose("03-sstable", "ch03-measured",
       "puts made {} flushes, about {} puts per memtable")
def ch03_flushes():
    """The fill's flushes (its tables before the close flushes one more),
    and its puts over them, to the thousand."""
    n = ch03_med(CH03_S3, "fillrandom", "tables")
    puts = ch03_med(CH03_S3, "fillrandom", "ops") / n
    return "%.0f" % n, "{:,.0f}".format(round(puts, -3))


@prose("03-sstable", "ch07-heap",
       "at random from a million, so {} distinct keys are written")
def ch03_distinct():
    return "{:,}".format(ch03_distinct_keys())


def ch03_open_ratio():
    return "%.0f" % (ch03_med(CH03_S2, "open", "bytes_read") /
                     ch03_med(CH03_S3, "open", "bytes_read"))


@prose("03-sstable", "ch03-measured",
       "reads {} times fewer bytes** ({} / {}): a footer and an index block "
       "for each of {} tables")
def ch03_open_bytes():
    return (ch03_open_ratio(),
            "{:,.0f}".format(ch03_med(CH03_S2, "open", "bytes_read")),
            "{:,.0f}".format(ch03_med(CH03_S3, "open", "bytes_read")),
            "%.0f" % ch03_med(CH03_S3, "open", "tables"))


@prose("03-sstable", "ch03-measured",
       "The index in memory is {} times smaller.")
def ch03_index_smaller():
    return "%.0f" % (ch03_med(CH03_S2, "readrandom", "index_bytes") /
                     ch03_med(CH03_S3, "readrandom", "index_bytes"))


@prose("03-sstable", "ch03-measured",
       "per put ({} writes), stage 3 writes a block at a time ({} writes)")
def ch03_fill_writes():
    return tuple("{:,.0f}".format(ch03_med(e, "fillrandom", "writes"))
                 for e in (CH03_S2, CH03_S3))


def ch03_slower():
    """Stage 3's median time over stage 2's, readrandom and readmissing."""
    return tuple("%.0f" % (ch03_med(CH03_S3, w) / ch03_med(CH03_S2, w))
                 for w in ("readrandom", "readmissing"))


@prose("03-sstable", "ch03-measured",
       "Gets are {} times slower, and gets of a missing key {} times**")
def ch03_gets_slower():
    return ch03_slower()


@prose("03-sstable", "ch03-measured",
       "random puts left {} tables, and random keys")
def ch03_tables_left():
    return "%.0f" % ch03_med(CH03_S3, "readrandom", "tables")


@prose("03-sstable", "ch03-measured",
       "The {}% of gets for a key never written read all {} tables; the "
       "others stop, on average, at table {}.")
def ch03_missing_share():
    """A get not found reads a block in every table; so the blocks the
    found ones read, over the found ones, is where they stop."""
    ops = ch03_med(CH03_S3, "readrandom", "ops")
    found = ch03_med(CH03_S3, "readrandom", "entries")
    tables = ch03_med(CH03_S3, "readrandom", "tables")
    reads = ch03_med(CH03_S3, "readrandom", "reads")
    return ("%.1f" % (100 * (ops - found) / ops), "%.0f" % tables,
            "%.0f" % ((reads - (ops - found) * tables) / found))


@prose("03-sstable", "ch03-measured",
       "That is {} block reads and {} KB per get, against stage 2's one "
       "{}-byte record, and `readmissing` reads exactly {} blocks per get.")
def ch03_reads_per_get():
    record = (ch03_med(CH03_S2, "readrandom", "bytes_read") /
              ch03_med(CH03_S2, "readrandom", "reads"))
    return ("%.1f" % ch03_per_get(CH03_S3, "readrandom", "reads"),
            sig3(ch03_per_get(CH03_S3, "readrandom", "bytes_read") / 1e3),
            "%.0f" % record,
            count(ch03_per_get(CH03_S3, "readmissing", "reads")))


@prose("03-sstable", "ch03-measured",
       "a crc and a search, about {} µs with the store in the page cache")
def ch03_read_time():
    """readmissing's median time over its block reads per get."""
    return "%.1f" % (ch03_med(CH03_S3, "readmissing") /
                     ch03_per_get(CH03_S3, "readmissing", "reads"))


@prose("03-sstable", "ch03-measured",
       "({} reads, {} MB, for its 100,000 entries)")
def ch03_readseq():
    return ("{:,.0f}".format(ch03_med(CH03_S3, "readseq", "reads")),
            sig3(ch03_med(CH03_S3, "readseq", "bytes_read") / 1e6))


@prose("03-sstable", "ch03-open-cost-stage2.dat, ch03-open-cost-stage3.dat, "
       "ch03-measured",
       "stage 2 reads {} bytes in {} ms, stage 3 {} bytes in {} ms, {} times "
       "fewer bytes ({} after `fillrandom`)")
def ch03_chart_open():
    a = at(dat("ch03-open-cost-stage2"), "entries", 1000000)
    b = at(dat("ch03-open-cost-stage3"), "entries", 1000000)
    return ("{:,.0f}".format(a["bytes_read"]), "%.0f" % a["open_ms"],
            "{:,.0f}".format(b["bytes_read"]), "%.2f" % b["open_ms"],
            "%.0f" % (a["bytes_read"] / b["bytes_read"]), ch03_open_ratio())


@prose("03-sstable", "ch03-index-memory-stage2.dat, "
       "ch03-index-memory-stage3.dat",
       "At 1,000,000 keys: {} MiB ({} bytes per key) for stage 2, {} MiB ({} "
       "bytes per key) for stage 3, and {} to {} bytes per key at every size.")
def ch03_chart_index():
    s3 = dat("ch03-index-memory-stage3")
    a = at(dat("ch03-index-memory-stage2"), "entries", 1000000)
    b = at(s3, "entries", 1000000)
    per_key = [r["index_bytes_per_key"] for r in s3]
    return ("%.1f" % a["index_mb"], "%.1f" % a["index_bytes_per_key"],
            "%.2f" % b["index_mb"], "%.2f" % b["index_bytes_per_key"],
            "%.2f" % min(per_key), "%.2f" % max(per_key))


@prose("03-sstable", "ch03-crash-loss-stage3.dat, ch03-crash-loss-stage4.dat",
       "Stage 3 loses {} at a 16 KiB memtable and {} at the default 4 MiB (a "
       "full 4 MiB memtable holds {} entries: the loss is whatever arrived "
       "since the last flush, a sawtooth); stage 4, next chapter, loses {} "
       "at every size.")
def ch03_crash():
    s3 = dat("ch03-crash-loss-stage3")
    small, full = at(s3, "memtable_kib", 16), at(s3, "memtable_kib", 4096)
    worst = max(r["writes_lost"] for r in dat("ch03-crash-loss-stage4"))
    return ("{:,.0f}".format(small["writes_lost"]),
            "{:,.0f}".format(full["writes_lost"]),
            "{:,.0f}".format(full["entries_per_flushed_table"]),
            "{:,.0f}".format(worst))


def ch03_scan_tables():
    """The tables the chart's seekrandom runs met (in the fill's process,
    so the memtable too), from the rows its sweep wrote (ch03-scan.cmd)
    into stage3-sstable.csv."""
    path = os.path.join(DATA, "stage3-sstable.csv")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    with open(path, newline="") as f:
        got = {r["tables"] for r in csv.DictReader(f)
               if r["benchmark"] == "seekrandom" and r["num"] == "1000000"}
    if len(got) != 1:
        raise ValueError("stage3-sstable.csv: seekrandom tables %s" %
                         ", ".join(sorted(got)))
    return got.pop()


@prose("03-sstable", "ch03-scan-stage3.dat",
       "a scan of 1 entry runs at {} entries/s (the seek, into {} tables and "
       "the memtable, is the whole cost: {} µs), of 100 entries at {} "
       "entries/s ({} MB/s), of 10,000 at {} entries/s ({} MB/s)")
def ch03_scan():
    rows = dat("ch03-scan-stage3")
    one, hundred = at(rows, "seek_nexts", 1), at(rows, "seek_nexts", 100)
    big = at(rows, "seek_nexts", 10000)
    rate = lambda r: "{:,.0f}".format(r["entries_per_sec"])
    return (rate(one), ch03_scan_tables(), "%.0f" % one["micros_per_seek"],
            rate(hundred), "%.1f" % hundred["mb_per_sec"], rate(big),
            "%.1f" % big["mb_per_sec"])


@prose("03-sstable", "ch03-measured",
       "*Open reads {} times fewer bytes than stage 2's. What does it read?* "
       "A footer and an index block for each of the {} tables, plus `STORE`: "
       "{} bytes against the whole log.")
def ch03_question_open():
    return (ch03_open_ratio(), "%.0f" % ch03_med(CH03_S3, "open", "tables"),
            "{:,.0f}".format(ch03_med(CH03_S3, "open", "bytes_read")))


@prose("03-sstable", "ch03-measured",
       "*Why are gets {} times slower than stage 2's?*")
def ch03_question_slower():
    return ch03_slower()[0]


@prose("03-sstable", "ch03-measured",
       "random puts left {} tables whose ranges all cover every key, so the "
       "index never rules a table out: a get reads one block per table, "
       "newest first, until it meets the key ({} reads on average), and a "
       "missing key reads all {}.")
def ch03_question_reads():
    return ("%.0f" % ch03_med(CH03_S3, "readrandom", "tables"),
            "%.1f" % ch03_per_get(CH03_S3, "readrandom", "reads"),
            count(ch03_per_get(CH03_S3, "readmissing", "reads")))


@prose("03-sstable", "ch03-measured",
       "Stage 3 writes a block at a time ({} writes, against one per put)")
def ch03_question_fill():
    return "{:,.0f}".format(ch03_med(CH03_S3, "fillrandom", "writes"))


S1, S2, S3, S4, S5 = ("stage1-append-log", "stage2-hash-index",
                      "stage3-sstable", "stage4-wal-recovery",
                      "stage5-compaction")


@prose("03-sstable", "scoreboard",
       "Stage 3's figures: a get reads {} bytes at 1,000 keys and {} at "
       "4,000")
def ch03_board_get():
    n = board(S3, "get_o1")
    return sep(n[0]), sep(n[2])


@prose("03-sstable", "scoreboard",
       "open reads {} of {} bytes on disk; the index holds {} bytes per key "
       "(stage 2: {})")
def ch03_board_open_index():
    o = board(S3, "open_index")
    return (sep(o[0]), sep(o[1]), board(S3, "index_memory")[3],
            board(S2, "index_memory")[3])


# --- chapter 4's sentences (docs/04-wal-recovery.md) ---


def ch04_one(values, what):
    """The one value of a count that the chapter says is the same every
    time (every round, every fill, both stages)."""
    if len(set(values)) != 1:
        raise ValueError("%s differs: %s (reword the sentence)" % (
            what, ", ".join("%g" % v for v in values)))
    return values[0]


def ch04_fill_counts():
    """ch04-measured: stage 4's extra writes on each fill (over stage 3's),
    its syncs, and its flushes (the tables a fill on a fresh store makes),
    each the same in every round and on every fill."""
    run = Run("ch04-measured")
    a, b = "stage3-sstable", "stage4-wal-recovery"
    fills = ["fillseq", "fillrandom", "overwrite"]
    more = ch04_one([y - x for w in fills for x, y in zip(
        run.rounds(a, w, "writes"), run.rounds(b, w, "writes"))],
        "stage 4's extra writes")
    puts = ch04_one([v for w in fills for v in run.rounds(b, w, "ops")],
                    "the puts of a fill")
    syncs = ch04_one([v for w in fills for v in run.rounds(b, w, "syncs")],
                     "stage 4's syncs")
    flushes = ch04_one(run.rounds(b, "fillseq", "tables"), "the flushes")
    if more != puts + flushes or syncs != 3 * flushes:
        raise ValueError("%g more writes, %g syncs for %g puts and %g "
                         "flushes: not one write per put and per log, 3 "
                         "syncs per flush (reword)" % (more, syncs, puts,
                                                       flushes))
    return ("{:,.0f}".format(more), "{:,.0f}".format(syncs),
            "{:,.0f}".format(flushes))


@prose("04-wal-recovery", "ch04-measured",
       "Stage 4 makes {} more writes than stage 3 on each fill: one per put, "
       "and one for the first record of each of the {} logs its flushes "
       "start")
def ch04_more_writes():
    more, _, flushes = ch04_fill_counts()
    return more, flushes


@prose("04-wal-recovery", "ch04-measured",
       "Its {} syncs are 3 for each of {} flushes")
def ch04_fill_syncs():
    return ch04_fill_counts()[1:]


@prose("04-wal-recovery", "ch04-measured",
       "Both stages read the same {} blocks in readrandom's 100,000 gets")
def ch04_get_reads():
    run = Run("ch04-measured")
    return "{:,.0f}".format(ch04_one(
        run.rounds("stage3-sstable", "readrandom", "reads") +
        run.rounds("stage4-wal-recovery", "readrandom", "reads"),
        "readrandom's reads"))


@prose("04-wal-recovery", "ch04-measured",
       "the log costs `fillrandom` a factor of {} here, and the steadier "
       "figure is the difference, about {} µs per put")
def ch04_log_cost():
    run = Run("ch04-measured")
    a = run.med("stage3-sstable", "fillrandom")
    b = run.med("stage4-wal-recovery", "fillrandom")
    return "%.1f" % (b / a), "%.0f" % (b - a)


def ch04_sync_ratio():
    """ch04-measured: the median synced put (fillsync) and its ratio to
    the median put of stage 4's fillrandom (sync=none)."""
    run = Run("ch04-measured")
    s = run.med("stage4-wal-recovery", "fillsync")
    return us(s), "%.0f" % (s / run.med("stage4-wal-recovery", "fillrandom"))


@prose("04-wal-recovery", "ch04-measured",
       "A synced put took {} µs (the median of three), about {} times a put "
       "with `sync=none`")
def ch04_synced_put():
    return ch04_sync_ratio()


@prose("04-wal-recovery", "ch04-measured",
       "(The {} times above compares a synced put")
def ch04_synced_put_again():
    return ch04_sync_ratio()[1]


@prose("04-wal-recovery", "ch04-measured",
       "A synced put took about {} times a put with `sync=none`")
def ch04_synced_put_question():
    return ch04_sync_ratio()[1]


@prose("04-wal-recovery", "ch04-measured",
       "makes exactly {} more writes than stage 3")
def ch04_more_writes_question():
    return ch04_fill_counts()[0]


@prose("04-wal-recovery", "ch04-measured",
       "of each of the {} logs the flushes start")
def ch04_logs_answer():
    return ch04_fill_counts()[2]


@prose("04-wal-recovery", "ch04-measured",
       "yet the fill counts {} syncs. Whose are they?* 3 for each of {} "
       "flushes")
def ch04_fill_syncs_question():
    return ch04_fill_counts()[1:]


@prose("04-wal-recovery", "ch04-crash-loss-stage3.dat, "
       "ch04-crash-loss-stage4.dat",
       "there stage 3 lost {} of {} acknowledged writes, stage 4 lost {}.")
def ch04_crash_point():
    a = at(dat("ch04-crash-loss-stage3"), "writes_since_flush", 10000)
    b = at(dat("ch04-crash-loss-stage4"), "writes_since_flush", 10000)
    return ("{:,.0f}".format(a["writes_lost"]),
            "{:,.0f}".format(a["writes_since_flush"]),
            "{:,.0f}".format(b["writes_lost"]))


@prose("04-wal-recovery", "ch04-crash-loss-stage3.dat, "
       "ch04-crash-loss-stage4.dat",
       "for W from {} to {}: stage 3 lost {}% at every point, stage 4 {}%")
def ch04_crash_range():
    a, b = dat("ch04-crash-loss-stage3"), dat("ch04-crash-loss-stage4")
    ws = [r["writes_since_flush"] for r in a]
    if ws != [r["writes_since_flush"] for r in b]:
        raise ValueError("the two stages' points differ")
    pa = ch04_one([r["percent_lost"] for r in a], "stage 3's share lost")
    pb = ch04_one([r["percent_lost"] for r in b], "stage 4's share lost")
    return ("{:,.0f}".format(min(ws)), "{:,.0f}".format(max(ws)),
            "%.0f" % pa, "%.0f" % pb)


def ch04_sync_cost_rows():
    """ch04-sync-cost.dat, whose first column is a quoted label: the rows
    by label."""
    path = os.path.join(DATA, "ch04-sync-cost.dat")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    with open(path) as f:
        lines = [l for l in f if l.strip()]
    cols = lines[0].split()[2:]
    rows = {}
    for l in lines[1:]:
        m = re.match(r'"([^"]*)"\s+(.*)', l)
        rows[m.group(1)] = dict(zip(cols, map(float, m.group(2).split())))
    return rows


@prose("04-wal-recovery", "ch04-sync-cost.dat",
       "{} puts/s with `sync=none` ({} syncs per put: the flushes'), {} "
       "puts/s for `fillsync` and {} for `fillrandom -o sync=always` ({} "
       "sync per put): about {} times slower")
def ch04_sync_cost():
    """The ratio: sync=none's rate over the mean of the two synced runs',
    to the nearest ten ("about")."""
    rows = ch04_sync_cost_rows()
    none = rows["fillrandom, sync=none"]
    fs, fa = rows["fillsync (sync=always)"], rows["fillrandom -o sync=always"]
    synced = ch04_one(["%.1f" % fs["syncs_per_put"],
                       "%.1f" % fa["syncs_per_put"]], "syncs per synced put")
    ratio = none["ops_per_sec"] / ((fs["ops_per_sec"] + fa["ops_per_sec"]) / 2)
    return ("{:,.0f}".format(none["ops_per_sec"]),
            "%.2g" % none["syncs_per_put"],
            "{:,.0f}".format(fs["ops_per_sec"]),
            "{:,.0f}".format(fa["ops_per_sec"]), synced,
            "%.0f" % round(ratio, -1))


def ch04_recovery_point(n):
    """ch04-recovery.dat at N writes: the log's size, the first open's time
    and bytes read, and the time of the same command again (a log_mb is
    MiB, the chapter's MB 10^6 bytes)."""
    r = at(dat("ch04-recovery"), "writes", n)
    mb = lambda x: sig3(x * 1024 * 1024 / 1e6)
    return ("{:,}".format(n), mb(r["log_mb"]), sig3(r["open_ms"]),
            mb(r["open_mb_read"]), sig3(r["again_ms"]))


@prose("04-wal-recovery", "ch04-recovery.dat",
       "{} writes left a {} MB log, and the first open after the kill took "
       "{} ms and read {} MB")
def ch04_recovery_10k():
    return ch04_recovery_point(10000)[:4]


@prose("04-wal-recovery", "ch04-recovery.dat",
       "{} writes, {} MB, {} ms, {} MB")
def ch04_recovery_100k():
    return ch04_recovery_point(100000)[:4]


def ch04_open_reads(n):
    """The first open's reads after N writes (stage 4, the memtable never
    flushed), the median of the runs in crash.csv, the crash points'
    rows that ch04-recovery's sweep wrote."""
    path = os.path.join(DATA, "crash.csv")
    if not os.path.exists(path):
        raise LookupError("crash.csv: no such file")
    with open(path, newline="") as f:
        v = [float(r["open_reads"]) for r in csv.DictReader(f)
             if r["stage"] == "stage4-wal-recovery" and
             r["memtable_bytes"] == "1073741824" and int(r["writes"]) == n]
    if not v:
        raise LookupError("crash.csv: no stage 4 row at %d writes" % n)
    return "{:,.0f}".format(statistics.median(v))


@prose("04-wal-recovery", "crash.csv", "MB in {} reads; ")
def ch04_recovery_reads_10k():
    return ch04_open_reads(10000)


@prose("04-wal-recovery", "crash.csv",
       "MB in {} reads (the log is read in 64 KiB chunks)")
def ch04_recovery_reads_100k():
    return ch04_open_reads(100000)


@prose("04-wal-recovery", "ch04-recovery.dat",
       "with nothing left to replay, took {} and {} ms.")
def ch04_recovery_again():
    return ch04_recovery_point(10000)[4], ch04_recovery_point(100000)[4]


@prose("04-wal-recovery", "ch04-recovery.dat",
       "The largest point: a {} MB log ({} writes) took {} ms to open and "
       "read {} MB; the same command again took {} ms.")
def ch04_recovery_largest():
    n = dat("ch04-recovery")[-1]["writes"]
    size, time, read, again = ch04_recovery_point(int(n))[1:]
    return size, "{:,.0f}".format(n), time, read, again


@prose("04-wal-recovery", "ch04-pileup.dat",
       "Reads per get level off between {} and {} (the chart has every "
       "round)")
def ch04_pileup_level():
    """From the fourth round (400,000 puts) on."""
    v = [r["reads_per_get"] for r in dat("ch04-pileup")
         if r["writes"] >= 400000]
    return "%.0f" % min(v), "%.0f" % max(v)


@prose("04-wal-recovery", "ch04-pileup.dat",
       "about one key in {} (a round's 100,000 random puts fill {} tables)")
def ch04_pileup_round():
    t = "%.0f" % at(dat("ch04-pileup"), "writes", 100000)["tables"]
    return t, t


@prose("04-wal-recovery", "ch04-pileup.dat",
       "one per table, {} after the tenth round")
def ch04_pileup_missing():
    r = dat("ch04-pileup")[-1]
    if r["reads_per_missing_get"] != r["tables"]:
        raise ValueError("a missing get read %g blocks in %g tables: not "
                         "one per table" % (r["reads_per_missing_get"],
                                            r["tables"]))
    return "%.0f" % r["reads_per_missing_get"]


@prose("04-wal-recovery", "ch05-shape-stage4.dat",
       "this stage holds {} tables, every one in the pile, and every one "
       "spanning nearly all the keys: any key lies in the range of all {},")
def ch04_shape():
    """Chapter 5's shape chart, stage 4: its tables (one row each), all in
    level 0, with a range of keys common to all."""
    rows = dat("ch05-shape-stage4")
    if any(r["level"] for r in rows):
        raise ValueError("stage 4's tables are not all in the pile")
    if max(r["smallest"] for r in rows) > min(r["largest"] for r in rows):
        raise ValueError("no key lies in the range of every table")
    return "%d" % len(rows), "%d" % len(rows)


@prose("04-wal-recovery", "scoreboard",
       "\"{} bytes on disk after 5000 puts and 100 deletes (bound {})\"")
def ch04_board_disk():
    n = board(S4, "disk_bounded")
    return n[0], n[3]


def ch04_bare_writes():
    """ch04-ch07-syscalls/1m-write-append.csv (run.sh there, with
    bench/write_append.c): the mean µs per 133-byte write(2), a row per
    round."""
    rows = Run("ch04-ch07-syscalls").engine("1m-write-append")
    if not rows or any(r["record_bytes"] != "133" for r in rows):
        raise ValueError("ch04-ch07-syscalls/1m-write-append.csv: no rows, "
                         "or not of 133-byte records")
    return [float(r["micros_per_write"]) for r in rows]


@prose("04-wal-recovery", "ch04-ch07-syscalls",
       "took {} to {} µs per call over three runs")
def ch04_bare_write():
    t = ch04_bare_writes()
    if len(t) != 3:
        raise ValueError("%d rounds, not three (reword)" % len(t))
    return "%.2f" % min(t), "%.2f" % max(t)


# --- chapter 5's sentences (docs/05-compaction.md) ---

@prose("05-compaction", "ch05-space-stage4.dat, ch05-space-stage5.dat",
       "after {} puts (the fill and ten rounds): stage 4 holds {} MiB in {} "
       "tables, stage 5 {} MiB in {} tables, for {} MiB of live keys")
def ch05_space_end():
    a, b = dat("ch05-space-stage4")[-1], dat("ch05-space-stage5")[-1]
    return ("{:,.0f}".format(a["puts"]), "%.1f" % a["disk_mb"],
            "%.0f" % a["tables"], "%.1f" % b["disk_mb"], "%.0f" % b["tables"],
            "%.1f" % a["live_mb"])

CH05_S4, CH05_S5 = "stage4-wal-recovery", "stage5-compaction"
CH05_RECORD = 17 + 16 + 100  # a put's log record: header, key, value
CH05_PROBE = 11000  # the dashed key of ch05-shape (bench/ch05.py: num // 2)


def ch05_live_after_fill():
    """Distinct keys after one fillrandom of 1,000,000 (db_bench's seed,
    the same in every stage)."""
    return ch03_distinct_keys()


def ch05_one(values, what):
    """The one value that several figures share, as the sentence says."""
    if len(set(values)) != 1:
        raise ValueError("%s differ (%s): reword the sentence" % (
            what, ", ".join(values)))
    return values[0]


@prose("05-compaction", "ch04-pileup.dat, ch05-space-stage4.dat",
       "ended on that pile-up: {} tables and {} MB on disk for {} MB of "
       "live data")
def ch05_pileup_end():
    a = dat("ch04-pileup")[-1]
    live = dat("ch05-space-stage4")[-1]["live_mb"]
    return ("%.0f" % a["tables"], "%.1f" % (a["disk_mb"] * 1.048576),
            "%.1f" % (live * 1.048576))


def ch05_shape():
    """The three stages' tables in ch05-shape: (level, first key, last
    key, entries) each."""
    out = []
    for s in (3, 4, 5):
        rows = dat("ch05-shape-stage%d" % s)
        out.append([(int(r["level"]), r["smallest"], r["largest"],
                     int(r["entries"])) for r in rows])
    return out


@prose("05-compaction", "ch05-shape-stage3.dat, ch05-shape-stage4.dat, "
       "ch05-shape-stage5.dat",
       "Stages 3 and 4 end with the same {} tables, all in one pile: random "
       "keys spread every flush over nearly the whole key space, so the "
       "dashed key lies in the range of all {}. Stage 5 ends with {} "
       "tables: {} in L0, overlapping just as stage 4's do, then {} in L1, "
       "{} in L2 and {} in L3, each level cut into ranges that never "
       "overlap. The same key lies in the range of {} of them: the {} in L0")
def ch05_shape_tables():
    s3, s4, s5 = ch05_shape()
    hit = lambda ts: sum(1 for t in ts if t[1] <= CH05_PROBE <= t[2])
    old = ch05_one(["%d" % len(s3), "%d" % len(s4)], "stage 3's and 4's "
                   "tables")
    old_hit = ch05_one(["%d" % hit(s3), "%d" % hit(s4)], "stage 3's and "
                       "4's tables covering the dashed key")
    levels = [sum(1 for t in s5 if t[0] == l) for l in range(4)]
    if sum(levels) != len(s5):
        raise ValueError("ch05-shape-stage5.dat: a level past L3")
    return ((old, old_hit, "%d" % len(s5)) +
            tuple("%d" % n for n in levels) +
            ("%d" % hit(s5), "%d" % levels[0]))


@prose("05-compaction", "ch05-shape-stage3.dat, ch05-shape-stage4.dat, "
       "ch05-shape-stage5.dat",
       "stage 5's tables hold {} entries, stages 3 and 4 hold {}.")
def ch05_shape_entries():
    s3, s4, s5 = ch05_shape()
    total = lambda ts: "{:,}".format(sum(t[3] for t in ts))
    return (total(s5), ch05_one([total(s3), total(s4)], "stage 3's and "
                                "4's entries"))


def ch05_growth():
    """Per moment of ch05-growth: (tables in L0, tables flushed since the
    moment before, written by compactions, merged away), as the chart's
    titles count them (bench/ch05.py)."""
    out, before = [], None
    for m in range(1, 5):
        rows = dat("ch05-growth-%d" % m)
        new = [r for r in rows if r["new"]]
        flushed = sum(1 for r in new if r["level"] == 0)
        l0 = sum(1 for r in rows if r["level"] == 0)
        gone = before - (len(rows) - len(new)) if before is not None else 0
        out.append((l0, flushed, len(new) - flushed, gone))
        before = len(rows)
    return out


@prose("05-compaction", "ch05-growth-1.dat .. ch05-growth-4.dat",
       "At the start, L0 holds {} tables.")
def ch05_growth_start():
    return "%d" % ch05_growth()[0][0]


@prose("05-compaction", "ch05-growth-1.dat, ch05-growth-2.dat",
       "and so on down: {} tables written, {} merged away")
def ch05_growth_cascade():
    g = ch05_growth()[1]
    return "%d" % g[2], "%d" % g[3]


@prose("05-compaction", "ch05-growth-3.dat, ch05-growth-4.dat",
       "through other ranges of L2 and L3 ({} tables written, {} merged "
       "away)")
def ch05_growth_second():
    g = ch05_growth()[3]
    return "%d" % g[2], "%d" % g[3]


@prose("05-compaction", "ch05-policy",
       "(8 and 16 both ended with {} L0 tables")
def ch05_policy_l0():
    run = Run("ch05-policy")
    l0 = ["%s" % [r for r in run.engine("stage5-compaction+l0_trigger=%d" % t)
                  if r["benchmark"] == "readrandom"][0]["tables_l0"]
          for t in (8, 16)]
    return ch05_one(l0, "the L0 tables of l0_trigger=8 and 16")


@prose("05-compaction", "ch05-measured",
       "compaction merges four L0 tables (about {} MB each)")
def ch05_l0_table_mb():
    """Stage 4's fill writes the log and its flushes only: the bytes
    past the log, over its tables."""
    run = Run("ch05-measured")
    tables = (run.med(CH05_S4, "fillrandom", "bytes_written") -
              CH05_RECORD * run.med(CH05_S4, "fillrandom", "ops"))
    return "%.1f" % (tables / run.med(CH05_S4, "fillrandom", "tables") / 1e6)


@prose("05-compaction", "ch05-measured",
       "That is {} blocks per missing-key get at 1,000,000 entries (stage "
       "4: {})")
def ch05_missing_blocks():
    run = Run("ch05-measured")
    return ("%.2f" % per_op(run, CH05_S5, "readmissing", "reads"),
            "%.1f" % per_op(run, CH05_S4, "readmissing", "reads"))


@prose("05-compaction", "ch05-measured",
       "stage 4's readmissing takes {} ms a get")
def ch05_missing_ms():
    return "%.1f" % (Run("ch05-measured").med(CH05_S4, "readmissing") / 1e3)


@prose("05-compaction", "ch05-measured",
       "stage 5's overwrite wrote {} bytes, so {}. Stage 4's {} MB per fill "
       "is the log (1,000,000 records of 133 bytes) plus {} MB of tables.")
def ch05_write_bytes():
    run = Run("ch05-measured")
    b = run.med(CH05_S5, "overwrite", "bytes_written")
    fill = ch05_one(["%.1f" % (run.med(CH05_S4, w, "bytes_written") / 1e6)
                     for w in ("fillrandom", "overwrite")],
                    "stage 4's bytes written by its two fills")
    tables = (run.med(CH05_S4, "fillrandom", "bytes_written") -
              CH05_RECORD * run.med(CH05_S4, "fillrandom", "ops"))
    return ("{:,.0f}".format(b),
            "%.2f" % (b / (run.med(CH05_S5, "overwrite", "ops") * 116)),
            fill, "%.1f" % (tables / 1e6))


@prose("05-compaction", "ch05-measured",
       "the rest is compaction (and a few KB of manifest): {} MB in "
       "fillrandom ({} compactions), {} MB in overwrite ({} more). The "
       "engine's stat agrees: `write_amplification_x100` was {} after both "
       "fills ({} MB written for 232 MB put). Compaction reads too: {} and "
       "{} MB, where stage 4 read {} MB.")
def ch05_compaction_bytes():
    """Stage 5's bytes past stage 4's (the same log and flushes); its
    counters compactions and write_amp_x100 run on over both fills."""
    run = Run("ch05-measured")
    rest = lambda w: "%.1f" % ((run.med(CH05_S5, w, "bytes_written") -
                                run.med(CH05_S4, w, "bytes_written")) / 1e6)
    c1 = run.med(CH05_S5, "fillrandom", "compactions")
    c2 = run.med(CH05_S5, "overwrite", "compactions")
    both = sum(run.med(CH05_S5, w, "bytes_written")
               for w in ("fillrandom", "overwrite"))
    read = lambda e, w: "%.1f" % (run.med(e, w, "bytes_read") / 1e6)
    return (rest("fillrandom"), "%.0f" % c1, rest("overwrite"),
            "%.0f" % (c2 - c1),
            "%.0f" % run.med(CH05_S5, "overwrite", "write_amp_x100"),
            "{:,.0f}".format(both / 1e6), read(CH05_S5, "fillrandom"),
            read(CH05_S5, "overwrite"),
            ch05_one([read(CH05_S4, w) for w in ("fillrandom", "overwrite")],
                     "stage 4's bytes read by its two fills"))


@prose("05-compaction", "ch05-measured",
       "{} keys ({} MB) after fillrandom, {} ({} MB) after overwrite")
def ch05_live_fill():
    n, m = ch05_live_after_fill(), distinct_keys((1001, 1002))
    return ("{:,.0f}".format(n), "%.1f" % (n * 116 / 1e6),
            "{:,.0f}".format(m), "%.1f" % (m * 116 / 1e6))


@prose("05-compaction", "ch05-measured",
       "So stage 4 holds {} times its live data after the first fill and {} "
       "times after the second, and it only grows. Stage 5 holds {} and {} "
       "times.")
def ch05_space_ratios():
    """On disk over live: after the fill, the distinct keys of
    ch05_live_after_fill; after the overwrite, live_after_overwrite()."""
    run = Run("ch05-measured")
    live = [ch05_live_after_fill() * 116, live_after_overwrite()]
    r = lambda e, w, n: "%.2f" % (run.med(e, w, "disk_bytes") / n)
    return (r(CH05_S4, "fillrandom", live[0]),
            r(CH05_S4, "overwrite", live[1]),
            r(CH05_S5, "fillrandom", live[0]),
            r(CH05_S5, "overwrite", live[1]))


@prose("05-compaction", "ch05-measured",
       "`kv stats` puts its {} tables at {} in L0 and {} in L1 and L2")
def ch05_tables_after_reopen():
    run = Run("ch05-measured")
    n = run.med(CH05_S5, "readrandom", "tables")
    l0 = run.med(CH05_S5, "readrandom", "tables_l0")
    return "%.0f" % n, "%.0f" % l0, "%.0f" % (n - l0)


@prose("05-compaction", "ch05-measured",
       "A stage 4 get visits {} of its {} tables on average, a missing key "
       "all {}; stage 5 visits at most the {} L0 tables")
def ch05_tables_visited():
    run = Run("ch05-measured")
    return ("%.0f" % per_op(run, CH05_S4, "readrandom", "reads"),
            "%.0f" % run.med(CH05_S4, "readrandom", "tables"),
            "%.0f" % per_op(run, CH05_S4, "readmissing", "reads"),
            "%.0f" % run.med(CH05_S5, "readrandom", "tables_l0"))


@prose("05-compaction", "ch05-measured",
       "That is the {}x and {}x in the times. The price is the puts, {} to "
       "{} times slower")
def ch05_speed_ratios():
    run = Run("ch05-measured")
    r = lambda w: run.med(CH05_S4, w) / run.med(CH05_S5, w)
    return ("%.0f" % r("readrandom"), "%.0f" % r("readmissing"),
            "%.1f" % (1 / r("fillrandom")), "%.1f" % (1 / r("overwrite")))


@prose("05-compaction", "ch05-read-amp-stage4.dat, ch05-read-amp-stage5.dat",
       "After the last round: stage 4 reads {} blocks per get ({} µs) and {} "
       "per missing-key get; stage 5 reads {} ({} µs) and {}.")
def ch05_read_amp_end():
    a, b = dat("ch05-read-amp-stage4")[-1], dat("ch05-read-amp-stage5")[-1]
    return ("%.1f" % a["reads_per_get"], sig3(a["micros_per_get"]),
            "%.0f" % a["reads_per_missing_get"], "%.1f" % b["reads_per_get"],
            sig3(b["micros_per_get"]), "%.1f" % b["reads_per_missing_get"])


@prose("05-compaction", "ch05-read-amp-stage5.dat",
       "figure moves between {} and {} from round to round")
def ch05_read_amp_range():
    v = [r["reads_per_get"] for r in dat("ch05-read-amp-stage5")]
    return "%.0f" % min(v), "%.0f" % max(v)


@prose("05-compaction", "ch05-write-amp-stage4.dat, ch05-write-amp-stage5.dat",
       "After a million random puts: stage 4 writes {} bytes per byte put "
       "(the log and one flush), stage 5 {} (its own write_amplification_x100 "
       "stat says {}); the bytes written per byte put in the last step alone "
       "were {}.")
def ch05_write_amp_end():
    a = at(dat("ch05-write-amp-stage4"), "puts", 1000000)
    b = at(dat("ch05-write-amp-stage5"), "puts", 1000000)
    return ("%.2f" % a["io_written_per_byte_put"],
            "%.2f" % b["io_written_per_byte_put"],
            "%.2f" % b["write_amplification_stat"],
            "%.2f" % b["step_written_per_byte_put"])


@prose("05-compaction", "ch05-latency-time-stage5.dat",
       "In the reference run, {} of stage 5's {} intervals finished no get "
       "at all, and the slowest get took {} ms; the median interval's p99 "
       "was {} µs.")
def ch05_latency_intervals():
    """Intervals with no get have NaN percentiles: the median p99 is over
    the others."""
    rows = dat("ch05-latency-time-stage5")
    gets = [r for r in rows if r["get_ops"] > 0]
    return ("%d" % (len(rows) - len(gets)), "%d" % len(rows),
            sig3(max(r["get_max_us"] for r in gets) / 1e3),
            sig3(statistics.median(r["get_p99_us"] for r in gets)))


@prose("05-compaction", "ch05-latency-stage4.dat, ch05-latency-stage5.dat",
       "reads {} to {} blocks in stage 4 as tables pile up, {} to {} in "
       "stage 5")
def ch05_latency_missing():
    def f(x):
        return "%d" % x if x == int(x) else "%.1f" % x
    out = []
    for s in (4, 5):
        v = [r["reads_per_missing_get"]
             for r in dat("ch05-latency-stage%d" % s)]
        out += [f(min(v)), f(max(v))]
    return tuple(out)


@prose("05-compaction", "ch05-measured",
       "Stage 5's overwrite has a write amplification of {}. Where do the "
       "bytes come from?* {} bytes written for 116,000,000 put: the same log "
       "and flushes as stage 4, and the rest ({} MB) compaction")
def ch05_quiz_write():
    w = ch05_write_bytes()
    return w[1], w[0], ch05_compaction_bytes()[2]


@prose("05-compaction", "ch05-measured",
       "A missing get reads {} blocks in stage 4 and {} in stage 5. Why?* "
       "Stage 4 reads every one of its {} tables; stage 5 at most the {} L0 "
       "tables")
def ch05_quiz_missing():
    run = Run("ch05-measured")
    t = ch05_tables_visited()
    return (t[2], "%.2f" % per_op(run, CH05_S5, "readmissing", "reads"),
            "%.0f" % run.med(CH05_S4, "readmissing", "tables"), t[3])


@prose("05-compaction", "ch05-measured",
       "After the second fill stage 4 holds {} times its live data, stage 5 "
       "{} times.")
def ch05_quiz_space():
    r = ch05_space_ratios()
    return r[1], r[3]


@prose("05-compaction", "scoreboard",
       "against a bound of {} bytes (4 times the live data plus 64 KiB). "
       "Stage 4 left {} bytes, stage 5 leaves {}")
def ch05_board_disk():
    a, b = board(S4, "disk_bounded"), board(S5, "disk_bounded")
    return sep(a[3]), sep(a[0]), sep(b[0])


@prose("05-compaction", "scoreboard",
       "{} bytes per get at 1,000 keys and {} at 4,000 (stages 3 and 4: {} "
       "and {})")
def ch05_board_get():
    five, three, four = (board(s, "get_o1") for s in (S5, S3, S4))
    if (three[0], three[2]) != (four[0], four[2]):
        raise ValueError("scoreboard: stages 3 and 4 read %s and %s bytes "
                         "per get; the sentence gives one figure for both" %
                         (three, four))
    return sep(five[0]), sep(five[2]), sep(three[0]), sep(three[2])


@prose("05-compaction", "scoreboard",
       "the missing-key row ({} blocks per missing-key get)")
def ch05_board_missing():
    return board(S5, "missing_key")[0]


# --- chapter 6's sentences (docs/06-bloom-concurrency.md) ---

CH06 = "06-bloom-concurrency"


def ch06_fp_keys():
    """The number of keys fp_rate was run with, from the chart's .cmd
    (the .dat holds only the rates)."""
    path = os.path.join(DATA, "ch06-bloom-fp.cmd")
    if not os.path.exists(path):
        raise LookupError("ch06-bloom-fp.cmd: no such file")
    with open(path) as f:
        m = re.search(r"fp_rate --keys=([0-9]+)", f.read())
    if not m:
        raise LookupError("ch06-bloom-fp.cmd: no fp_rate --keys=")
    return int(m.group(1))


@prose(CH06, "ch06-bloom-fp.dat",
       "At 10 bits per key, {} of {} absent keys got through where the "
       "formula says {}, a little over one standard deviation ({} keys) "
       "off; at 20 bits it is {} keys against {}.")
def ch06_fp_counts():
    """Rates times the keys asked; the deviation is the binomial's,
    sqrt(n f (1 - f)), at the theory's f."""
    rows, n = dat("ch06-bloom-fp"), ch06_fp_keys()
    ten, twenty = at(rows, "bits_per_key", 10), at(rows, "bits_per_key", 20)
    keys = lambda r, col: "{:,.0f}".format(r[col] * n)
    f = ten["theory"]
    return (keys(ten, "measured"), "{:,}".format(n), keys(ten, "theory"),
            "%.0f" % math.sqrt(n * f * (1 - f)), keys(twenty, "measured"),
            keys(twenty, "theory"))


@prose(CH06, "ch06-bloom-fp.dat",
       "by about a third: {}% at 10 bits.")
def ch06_fp_key_idea():
    return "%.1f" % (at(dat("ch06-bloom-fp"), "bits_per_key", 10)
                     ["measured"] * 100)


def ch06_layout():
    """Bytes per part of the table drawn in ch06-table-layout, and the
    number of data blocks."""
    size = {}
    blocks = 0
    path = os.path.join(DATA, "ch06-table-layout.dat")
    if not os.path.exists(path):
        raise LookupError("ch06-table-layout.dat: no such file")
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) != 4 or line.startswith("#"):
                continue
            part = p[3].strip("'")
            size[part] = size.get(part, 0) + int(p[1]) - int(p[0])
            blocks += part == "block"
    for part in ("block", "filter", "index", "footer"):
        if part not in size:
            raise LookupError("ch06-table-layout.dat: no %s" % part)
    return size, blocks


@prose(CH06, "ch06-table-layout.dat",
       "one stage 6 table to scale: {} data blocks are {}% of the file; the "
       "filter, the index and the footer share the last {}%")
def ch06_layout_caption():
    size, blocks = ch06_layout()
    data = 100.0 * size["block"] / sum(size.values())
    return "%d" % blocks, "%.1f" % data, "%.1f" % (100 - data)


@prose(CH06, "ch06-table-layout.dat",
       "The filter, at 10 bits a key, is {} times the index, and both "
       "together are about {}% of the file")
def ch06_layout_filter():
    size, _ = ch06_layout()
    return ("%.0f" % (size["filter"] / size["index"]),
            "%.1f" % (100.0 * (size["filter"] + size["index"]) /
                      sum(size.values())))


# chapter 6's views: ch06-views/run.sh, "before" (a view copies the
# version) and "after" (views share it), files PREFIX.WHO.open.csv,
# PREFIX.WHO.rww.csv and PREFIX.WHO.rww.ROUND.txt.

def ch06_views_slowest(prefix, who):
    """The slowest get of readwhilewriting in each round, in ms: the
    histogram's Max in the round's output."""
    out = []
    for k in (1, 2, 3):
        name = "ch06-views/%s.%s.rww.%d.txt" % (prefix, who, k)
        path = os.path.join(DATA, name)
        if not os.path.exists(path):
            raise LookupError("%s: no such file" % name)
        with open(path) as f:
            m = re.search(r"Median: \S+ +Max: ([0-9.]+)", f.read())
        if not m:
            raise LookupError("%s: no histogram Max" % name)
        out.append(float(m.group(1)) / 1000)
    return out


def ch06_views_ms(x):
    return "%.2f" % x if x < 1 else "%.1f" % x


def ch06_views_tables(prefix):
    run = Run("ch06-views")
    n = {r["tables"] for who in ("before", "after")
         for r in run.engine("%s.%s.open" % (prefix, who))}
    if len(n) != 1:
        raise ValueError("ch06-views/%s: tables differ: %s" % (prefix, n))
    return int(n.pop())


def ch06_views():
    """The table of ch06-views.md: medians of the 3 rounds, each round
    in brackets for the slowest get, and for open at thousands of
    tables."""
    run = Run("ch06-views")
    rows = []
    for prefix in ("6-100", "6-5800", "7-100", "7-5800"):
        tables = ch06_views_tables(prefix)
        for who, label in (("before", "copy"), ("after", "share")):
            o, w = "%s.%s.open" % (prefix, who), "%s.%s.rww" % (prefix, who)
            opens = [x / 1000 for x in run.rounds(o, "open")]
            cell = "%.1f" % statistics.median(opens)
            if tables >= 1000:
                cell += " (%s)" % " ".join("%.1f" % x for x in opens)
            slow = ch06_views_slowest(prefix, who)
            first = "%s, %s" % (prefix.split("-")[0],
                                "{:,}".format(tables))
            rows.append("| %s | %s | %s | %.1f | %.2f | %.2f | %s (%s) |" % (
                first if who == "before" else "", label, cell,
                run.med(o, "readrandom"), run.med(w, "readwhilewriting"),
                run.med(w, "readwhilewriting", "p99_us"),
                ch06_views_ms(statistics.median(slow)),
                " ".join("%.1f" % x for x in slow)))
    rows = [r.replace("|  |", "| |") for r in rows]
    return ["| stage, tables | | open (ms) | first get (µs) | "
            "readwhilewriting avg (µs) | p99 (µs) | slowest get (ms) |",
            "|---|---|---:|---:|---:|---:|---:|"] + rows


TABLES["ch06-views"] = (ch06_views, "ch06-views")


def ch06_views_slowest_med(who):
    return statistics.median(ch06_views_slowest("6-5800", who))


@prose(CH06, "ch06-views",
       "With {} small tables, a view that copied the version held `db->mu` "
       "long enough that the slowest of {} gets during `readwhilewriting` "
       "waited {} ms; sharing it, {} ms")
def ch06_views_sentence():
    ops = Run("ch06-views").rounds("6-5800.before.rww", "readwhilewriting",
                                   "ops")
    return ("{:,}".format(ch06_views_tables("6-5800")),
            "{:,.0f}".format(statistics.median(ops)),
            ch06_views_ms(ch06_views_slowest_med("before")),
            ch06_views_ms(ch06_views_slowest_med("after")))


@prose(CH06, "ch06-views",
       "at {} tables a copy per view once made a get wait {} ms")
def ch06_views_key_idea():
    return ("{:,}".format(ch06_views_tables("6-5800")),
            ch06_views_ms(ch06_views_slowest_med("before")))


# chapter 6's own run (ch06-measured, the fenced table ch06-measured): the
# reads counts are exact, the times medians of 3.

CH06_S5, CH06_RUN = "stage5-compaction", "ch06-measured"


def ch06_reads(e, w):
    return per_op(Run(CH06_RUN), e, w, "reads")


@prose(CH06, CH06_RUN,
       "hold {} tables after the reopen (stage 5: {} MB on disk, stage 6: "
       "{} MB; the filters are the {} MB between). Write amplification "
       "after the fill is {} and {}.")
def ch06_measured_disk():
    """After the reopen: the reads process's rows (readrandom)."""
    run = Run(CH06_RUN)
    tables = {run.med(e, "readrandom", "tables") for e in (CH06_S5, S6)}
    if len(tables) != 1:
        raise ValueError("%s: the stores hold %s tables, not the same" % (
            CH06_RUN, sorted(tables)))
    disk = [run.med(e, "readrandom", "disk_bytes") / 1e6
            for e in (CH06_S5, S6)]
    amp = ["%.2f" % (run.med(e, "fillrandom", "write_amp_x100") / 100)
           for e in (CH06_S5, S6)]
    return ("%.0f" % tables.pop(), "%.1f" % disk[0], "%.1f" % disk[1],
            "%.2f" % (disk[1] - disk[0]), amp[0], amp[1])


@prose(CH06, CH06_RUN, "A missing-key get in stage 5 reads {} blocks:")
def ch06_missing_s5():
    return "%.3f" % ch06_reads(CH06_S5, "readmissing")


def ch06_predicted():
    """Stage 5's reads per missing get, the filter's rate at 10 bits (the
    theory's, as bloom.h gives it) and their product, each as written."""
    reads = "%.3f" % ch06_reads(CH06_S5, "readmissing")
    rate = "%.4f" % at(dat("ch06-bloom-fp"), "bits_per_key", 10)["theory"]
    return reads, rate, "%.4f" % (float(reads) * float(rate))


@prose(CH06, CH06_RUN + ", ch06-bloom-fp.dat",
       "{} of those asks get through: {} x {} = {} reads predicted, {} "
       "measured. What is left of a missing get is CPU: {} µs, where "
       "stage 5 spent {}.")
def ch06_missing_predicted():
    reads, rate, product = ch06_predicted()
    run = Run(CH06_RUN)
    return (rate, reads, rate, product,
            "%.4f" % ch06_reads(S6, "readmissing"),
            "%.1f" % run.med(S6, "readmissing"),
            "%.1f" % run.med(CH06_S5, "readmissing"))


@prose(CH06, CH06_RUN, "so {} reads become {} (the one block")
def ch06_present_reads():
    return tuple("%.3f" % ch06_reads(e, "readrandom") for e in (CH06_S5, S6))


@prose(CH06, CH06_RUN, "The fill takes {}% less time")
def ch06_fill_faster():
    run = Run(CH06_RUN)
    return "%.0f" % (100 * (1 - run.med(S6, "fillrandom") /
                            run.med(CH06_S5, "fillrandom")))


@prose(CH06, CH06_RUN, "almost nothing ({} reads to {} here)")
def ch06_key_idea_reads():
    return tuple("%.3f" % ch06_reads(e, "readmissing")
                 for e in (CH06_S5, S6))


@prose(CH06, CH06_RUN,
       "*A missing get read {} blocks in stage 5 and {} in stage 6.")
def ch06_quiz_missing():
    return ("%.3f" % ch06_reads(CH06_S5, "readmissing"),
            "%.4f" % ch06_reads(S6, "readmissing"))


@prose(CH06, CH06_RUN + ", ch06-bloom-fp.dat",
       "Stage 6 asks the same tables' filters, and {} of those asks get "
       "through: {} x {} = {}.")
def ch06_quiz_predicted():
    reads, rate, product = ch06_predicted()
    return rate, reads, rate, product


@prose(CH06, CH06_RUN,
       "*Why did gets of present keys gain too, from {} reads to {}?*")
def ch06_quiz_present():
    return ch06_present_reads()


@prose(CH06, CH06_RUN,
       "Filters to build, and {} MB of {} MB on disk for them. Its time "
       "went down all the same, {}%,")
def ch06_quiz_fill():
    d = ch06_measured_disk()
    return d[3], d[2], ch06_fill_faster()


@prose(CH06, "ch06-missing-reads-stage5.dat, ch06-missing-reads-stage6.dat",
       "stage 5 reads {} blocks per missing-key get ({} µs), stage 6 {} "
       "({} µs).")
def ch06_missing_reads_chart():
    a = at(dat("ch06-missing-reads-stage5"), "entries", 1000000)
    b = at(dat("ch06-missing-reads-stage6"), "entries", 1000000)
    return ("%.2f" % a["reads_per_missing_get"],
            "%.1f" % a["micros_per_missing_get"],
            "%.3f" % b["reads_per_missing_get"],
            "%.1f" % b["micros_per_missing_get"])


@prose(CH06, "ch06-threads-stage5.dat, ch06-threads-stage6.dat, "
       "ch06-threads-leveldb.dat",
       "stage 5 {}k, {}k and {}k gets/s at 1, 2 and 4 threads: one lock, "
       "no gain. Stage 6 {}k, {}k and {}k; LevelDB {}k, {}k and {}k.")
def ch06_threads():
    out = []
    for e in ("stage5", "stage6", "leveldb"):
        rows = dat("ch06-threads-" + e)
        out += ["%.0f" % (at(rows, "threads", n)["ops_per_sec"] / 1000)
                for n in (1, 2, 4)]
    return tuple(out)


@prose(CH06, "ch06-latency-compaction-stage5.dat, "
       "ch06-latency-compaction-stage6.dat",
       "{} of stage 5's {} intervals finished no get, none of stage 6's {}; "
       "the slowest get took {} ms in stage 5 and {} ms in stage 6")
def ch06_latency():
    a = dat("ch06-latency-compaction-stage5")
    b = dat("ch06-latency-compaction-stage6")
    idle = lambda rows: sum(1 for r in rows if r["get_ops"] == 0)
    if idle(b):
        raise ValueError("ch06-latency-compaction-stage6.dat: %d intervals "
                         "finished no get, the chapter says none" % idle(b))
    slowest = lambda rows: "%.0f" % (max(
        r["get_max_us"] for r in rows if r["get_ops"] > 0) / 1000)
    return ("%d" % idle(a), "%d" % len(a), "%d" % len(b), slowest(a),
            slowest(b))


@prose(CH06, "peers-1m",
       "Stage 6 is slower on every workload, in every round: LevelDB fills "
       "{} to {} times as fast, answers a get, present or missing, {} to {} "
       "times as fast, and scans {} times as fast.")
def ch06_vs_leveldb_words():
    """Stage 6's median over LevelDB's; the check fails if stage 6 won a
    round anywhere."""
    run = Run("peers-1m")
    for w in SIX:
        won = [x < y for x, y in zip(run.rounds(S6, w), run.rounds(LDB, w))]
        if any(won):
            raise ValueError("peers-1m: stage 6 beat LevelDB in a round of "
                             "%s; the chapter says it never does" % w)
    r = {w: run.med(S6, w) / run.med(LDB, w) for w in SIX}
    fills = [r[w] for w in ("fillseq", "fillrandom", "overwrite")]
    gets = [r[w] for w in ("readrandom", "readmissing")]
    return ("%.1f" % min(fills), "%.1f" % max(fills), "%.1f" % min(gets),
            "%.1f" % max(gets), "%.0f" % r["readseq"])


@prose(CH06, "peers-1m", "A scan merges one iterator per table, {} at this "
       "size")
def ch06_scan_tables():
    run = Run("peers-1m")
    return "%.0f" % run.med(S6, "readseq", "tables")


@prose(CH06, "scoreboard",
       "stage 5 held {} bytes for 4,000 keys ({} a key), stage 6 holds {} "
       "({} a key)")
def ch06_board_index():
    a, b = board(S5, "index_memory"), board(S6, "index_memory")
    return sep(a[0]), a[3], sep(b[0]), b[3]


@prose(CH06, "scoreboard",
       "absent keys of a store of 4,000: stage 5 read {} data blocks ({} a "
       "get), stage 6 read {} ({})")
def ch06_board_missing():
    """The row's rate over the suite's 200 absent keys."""
    a, b = board(S5, "missing_key")[0], board(S6, "missing_key")[0]
    blocks = lambda r: "%.0f" % (float(r) * 200)
    return blocks(a), a, blocks(b), b


# --- chapter 7's sentences (docs/07-speedups.md) ---


def ch07_calls(engine, w):
    """Instructions per op from ch07/callgrind.txt's lines "ENGINE WORKLOAD
    COUNT" (engines s6, s7-mmap0, s7, leveldb), as the chapter writes them."""
    path = os.path.join(DATA, "ch07", "callgrind.txt")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    with open(path) as f:
        for line in f:
            parts = line.split()
            if (not line.startswith("#") and len(parts) == 3
                    and parts[:2] == [engine, w]):
                return "{:,}".format(int(parts[2]))
    raise LookupError("ch07/callgrind.txt: no line %s %s" % (engine, w))


@prose("07-speedups", "ch07/callgrind.txt",
       "stage 6 spends {} instructions per missing get")
def ch07_missing_s6():
    return ch07_calls("s6", "readmissing")


@prose("07-speedups", "ch07/callgrind.txt",
       "{} instructions per missing get in stage 7, against LevelDB's {}")
def ch07_missing_s7():
    return ch07_calls("s7", "readmissing"), ch07_calls("leveldb",
                                                       "readmissing")


@prose("07-speedups", "ch07/callgrind.txt",
       "stage 6 spent {} instructions per get, stage 7 on this path "
       "(`-o mmap=0`, the block cache and `pread`) {}, LevelDB {}.")
def ch07_get_calls():
    return tuple(ch07_calls(e, "readrandom")
                 for e in ["s6", "s7-mmap0", "leveldb"])


@prose("07-speedups", "ch07/callgrind.txt",
       "each step of the merge compares every child's key: {} instructions "
       "per entry")
def ch07_scan_s6():
    return ch07_calls("s6", "readseq")


@prose("07-speedups", "ch07/callgrind.txt",
       "What they bought: {} instructions per scanned entry in stage 7 on "
       "this path (`-o mmap=0`), against {} in stage 6; LevelDB {} on its "
       "own store")
def ch07_scan_calls():
    return tuple(ch07_calls(e, "readseq")
                 for e in ["s7-mmap0", "s6", "leveldb"])


@prose("07-speedups", "ch07/callgrind.txt",
       "and now only for the 1% the filter lets through: {} instructions per "
       "missing get became {}.")
def ch07_missing_answer():
    return ch07_calls("s6", "readmissing"), ch07_calls("s7", "readmissing")


def ch07_heap_scan(build, store):
    """ch07-heap: the median of a build's second scans of a store (each
    process scans twice: its rows alternate first, second)."""
    rows = Run("ch07-heap").engine("1m-%s-%s" % (build, store))
    return us(statistics.median(float(r["micros_per_op"])
                                for r in rows[1::2]))


def ch07_heap_calls(build, store):
    """ch07-heap/1m-callgrind.txt's lines "BUILD STORE INSTRUCTIONS"."""
    path = os.path.join(DATA, "ch07-heap", "1m-callgrind.txt")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    with open(path) as f:
        for line in f:
            if line.split()[:2] == [build, store]:
                return "{:,}".format(int(line.split()[2]))
    raise LookupError("ch07-heap/1m-callgrind.txt: no line %s %s" %
                      (build, store))


def ch07_heap_l0():
    """The L0 tables of the store filled with l0_trigger=1000."""
    return "%d" % statistics.median(
        int(r["tables_l0"]) for r in Run("ch07-heap").engine("1m-after-l0"))


@prose("07-speedups", "ch07-heap",
       "a store of a million entries whose {} tables all sit in L0 (filled "
       "with `-o l0_trigger=1000`, so no compaction picks them): {} "
       "instructions per scanned entry against {} with the linear merge, "
       "and {} µs per entry against {}.")
def ch07_heap_many():
    return (ch07_heap_l0(), ch07_heap_calls("after", "l0"),
            ch07_heap_calls("before", "l0"), ch07_heap_scan("after", "l0"),
            ch07_heap_scan("before", "l0"))


@prose("07-speedups", "ch07-heap",
       "it still saves a little: {} against {} instructions, {} µs against "
       "{}.")
def ch07_heap_few():
    return (ch07_heap_calls("after", "quiet"),
            ch07_heap_calls("before", "quiet"),
            ch07_heap_scan("after", "quiet"),
            ch07_heap_scan("before", "quiet"))


@prose("07-speedups", "ch07-heap",
       "a scan of a store with {} L0 tables at {} instructions per entry with "
       "the linear merge, against {} on a compacted store")
def ch07_heap_recalled():
    return (ch07_heap_l0(), ch07_heap_calls("before", "l0"),
            ch07_heap_calls("before", "quiet"))


@prose("07-speedups", "peers-1m",
       "stage 6's `fillseq` read {} MB and wrote it again to rewrite tables "
       "that never overlapped; stage 7 reads {} MB")
def ch07_fillseq_moves():
    run = Run("peers-1m")
    return ("%.0f" % (run.med(S6, "fillseq", "bytes_read") / 1e6),
            "%.1f" % (run.med(S7, "fillseq", "bytes_read") / 1e6))


def ch07_slowdown_rows(rows):
    """Rows "| label | 2x | 3x | LevelDB |" of ch07-slowdown's medians, for
    (label, the runs' prefix, workload) in rows."""
    run = Run("ch07-slowdown")
    return ["| %s | %s |" % (label, " | ".join(
        us(run.med(prefix + e, w)) for e in ["sleep2x", "sleep3x",
                                             "leveldb"]))
            for label, prefix, w in rows]


def ch07_slowdown():
    """The run with stage 6's linear merge: 1m-*.csv and 10m-*.csv."""
    return table("| workload | sleep from 2x | sleep from 3x | LevelDB |",
                 ch07_slowdown_rows([
                     ("`fillrandom`, 1M", "1m-", "fillrandom"),
                     ("`overwrite`, 1M", "1m-", "overwrite"),
                     ("`fillrandom`, 10M", "10m-", "fillrandom")]))


TABLES["ch07-slowdown"] = (ch07_slowdown, "ch07-slowdown/1m-*, "
                           "ch07-slowdown/10m-*")


def ch07_slowdown_heap():
    """The run with the heap: heap-1m-*.csv."""
    return table("| 1,000,000 entries, with the heap | sleep from 2x | "
                 "sleep from 3x | LevelDB |",
                 ch07_slowdown_rows([
                     (name(w), "heap-1m-", w)
                     for w in ["fillrandom", "overwrite", "readseq"]]))


TABLES["ch07-slowdown-heap"] = (ch07_slowdown_heap,
                                "ch07-slowdown/heap-1m-*")


@prose("07-speedups", "ch07-slowdown/1m-*, ch07-slowdown/10m-*",
       "sleeping later, the fills were {} to {}% faster")
def ch07_slowdown_gain():
    """The time saved by sleeping from 3x, in the fills of the first
    table."""
    run = Run("ch07-slowdown")
    gain = [100 * (1 - run.med(p + "sleep3x", w) / run.med(p + "sleep2x", w))
            for p, w in [("1m-", "fillrandom"), ("1m-", "overwrite"),
                         ("10m-", "fillrandom")]]
    return "%.0f" % min(gain), "%.0f" % max(gain)


@prose("07-speedups", "ch07-slowdown/peers-1m-3x",
       "a compaction was still writing in two rounds of three, and took {} "
       "and {} µs per entry in those rounds against {} in the other")
def ch07_slowdown_scans():
    """Stage 7's scans in the full run with the 3x build: those with bytes
    written during the scan, then the other."""
    rows = [r for r in Run("ch07-slowdown/peers-1m-3x").engine(S7)
            if r["benchmark"] == "readseq"]
    busy = [us(float(r["micros_per_op"])) for r in rows
            if float(r["bytes_written"]) > 0]
    quiet = [us(float(r["micros_per_op"])) for r in rows
             if float(r["bytes_written"]) == 0]
    if len(busy) != 2 or len(quiet) != 1:
        raise ValueError("ch07-slowdown/peers-1m-3x: %d scans with a "
                         "compaction writing, not 2 of 3" % len(busy))
    return busy[0], busy[1], quiet[0]


@prose("07-speedups", "peers-1m",
       "stage 7's writer slept {} to {} times in each `fillrandom` of a "
       "million keys and {} to {} times in each `overwrite`, none in "
       "`fillseq`, and waited at the stop in two fills of nine, for {} and "
       "{} ms. Stage 6, with neither brake, stalled {} to {} times a fill, "
       "for up to {} seconds in all.")
def ch07_brakes():
    """The counters slowdowns, stalls and stall_micros of stage 7's (and
    stage 6's) fills, every round."""
    run = Run("peers-1m")
    fills = ["fillseq", "fillrandom", "overwrite"]
    slept = lambda w: run.rounds(S7, w, "slowdowns")
    if max(slept("fillseq")) != 0:
        raise ValueError("peers-1m: stage 7 slept in fillseq")
    waits = [r for r in run.engine(S7)
             if r["benchmark"] in fills and float(r["stalls"]) > 0]
    if len(waits) != 2 or len(run.rounds(S7, "fillseq")) != 3:
        raise ValueError("peers-1m: stage 7 stalled in %d fills, not two "
                         "of nine" % len(waits))
    s6 = [r for r in run.engine(S6) if r["benchmark"] in fills]
    n = lambda x: "{:,.0f}".format(x)
    return (n(min(slept("fillrandom"))), n(max(slept("fillrandom"))),
            n(min(slept("overwrite"))), n(max(slept("overwrite"))),
            "%.0f" % (float(waits[0]["stall_micros"]) / 1e3),
            "%.0f" % (float(waits[1]["stall_micros"]) / 1e3),
            n(min(float(r["stalls"]) for r in s6)),
            n(max(float(r["stalls"]) for r in s6)),
            "%.1f" % (max(float(r["stall_micros"]) for r in s6) / 1e6))


@prose("07-speedups", "peers-1m",
       "{} `pread`s in `fillrandom` in stage 6, {} in stage 7 with `mmap=0`")
def ch07_fill_preads():
    run = Run("peers-1m")
    return ("{:,.0f}".format(run.med(S6, "fillrandom", "reads")),
            "{:,.0f}".format(run.med(S70, "fillrandom", "reads")))


@prose("07-speedups", "peers-1m",
       "to even ({} by the medians)")
def ch07_scan_even():
    run = Run("peers-1m")
    return "%.2f" % (run.med(LDB, "readseq") / run.med(S70, "readseq"))


@prose("07-speedups", "peers-1m",
       "a get of a present key, {} times slower than LevelDB's in every "
       "round")
def ch07_get_left():
    run = Run("peers-1m")
    if any(a < b for a, b in zip(run.rounds(S70, "readrandom"),
                                 run.rounds(LDB, "readrandom"))):
        raise ValueError("peers-1m: stage 7, mmap=0 won a readrandom round")
    return "%.1f" % (run.med(S70, "readrandom") / run.med(LDB, "readrandom"))


@prose("07-speedups", "peers-1m",
       "The gets that read a block take {}% of the time")
def ch07_mapped_share():
    run = Run("peers-1m")
    return "%.0f" % (100 * run.med(S7, "readrandom") /
                     run.med(S70, "readrandom"))


@prose("07-speedups", "peers-1m",
       "counted {} to {} MB read and up to {} MB written during "
       "`readmissing`, against {} to {} MB read")
def ch07_missing_io():
    """What the I/O layer counted during readmissing, round by round: a
    compaction left over from the fills."""
    run = Run("peers-1m")
    mb = lambda x: "%.0f" % (x / 1e6)
    r7 = run.rounds(S7, "readmissing", "bytes_read")
    r0 = run.rounds(S70, "readmissing", "bytes_read")
    if max(run.rounds(S70, "readmissing", "bytes_written")) != 0:
        raise ValueError("peers-1m: mmap=0 wrote during readmissing")
    return (mb(min(r7)), mb(max(r7)),
            mb(max(run.rounds(S7, "readmissing", "bytes_written"))),
            mb(min(r0)), mb(max(r0)))


@prose("07-speedups", "ch07-quiet-scan",
       "stage 7 mapped {} to {} µs per entry after its first pass, `mmap=0` "
       "{} to {}, LevelDB {} to {}.")
def ch07_quiet_ranges():
    """Each engine's second scans (its rows alternate first, second)."""
    run = Run("ch07-quiet-scan")
    out = []
    for e in ["1m-stage7", "1m-stage7-mmap0", "1m-leveldb"]:
        v = [float(r["micros_per_op"]) for r in run.engine(e)[1::2]]
        out += [us(min(v)), us(max(v))]
    return tuple(out)


def ch07_lost(w):
    """The rounds of peers-1m in which stage 7 lost w to LevelDB."""
    run = Run("peers-1m")
    return [i for i, (a, b) in enumerate(zip(run.rounds(LDB, w),
                                             run.rounds(S7, w))) if a < b]


@prose("07-speedups", "peers-1m",
       "`fillseq` lost one: stage 7 took {} µs in its third round against {} "
       "and {} in the others")
def ch07_fillseq_lost():
    t = Run("peers-1m").rounds(S7, "fillseq")
    lost = ch07_lost("fillseq")
    if lost != [2]:
        raise ValueError("peers-1m: stage 7 lost fillseq in rounds %s, not "
                         "the third alone" % lost)
    return us(t[2]), us(t[0]), us(t[1])


@prose("07-speedups", "peers-1m",
       "The scan lost two, by {}% and {}%, and it is the shortest "
       "measurement of the six, 200,000 entries in about {} ms")
def ch07_scan_lost():
    run = Run("peers-1m")
    a, b = run.rounds(LDB, "readseq"), run.rounds(S7, "readseq")
    lost = ch07_lost("readseq")
    if len(lost) != 2:
        raise ValueError("peers-1m: stage 7 lost %d scans, not two" %
                         len(lost))
    return ("%.0f" % (100 * (1 - a[lost[0]] / b[lost[0]])),
            "%.0f" % (100 * (1 - a[lost[1]] / b[lost[1]])),
            "%.0f" % (run.med(S7, "readseq") * run.med(S7, "readseq", "ops")
                      / 1e3))


@prose("07-speedups", "peers-1m",
       "in the third round a compaction left over from the fills wrote {} MB "
       "while it ran, and stage 7 with `mmap=0`, scanning in the same round "
       "with nothing written, took {} µs per entry against its {} and {} in "
       "the others")
def ch07_scan_compaction():
    run = Run("peers-1m")
    wrote = run.rounds(S7, "readseq", "bytes_written")
    busy = [i for i, x in enumerate(wrote) if x > 0]
    if busy != [2]:
        raise ValueError("peers-1m: stage 7's scan had bytes written in "
                         "rounds %s, not the third alone" % busy)
    if run.rounds(S70, "readseq", "bytes_written")[2] != 0:
        raise ValueError("peers-1m: mmap=0 wrote during its third scan")
    t = run.rounds(S70, "readseq")
    return "%.1f" % (wrote[2] / 1e6), us(t[2]), us(t[0]), us(t[1])


@prose("07-speedups", "ch04-ch07-syscalls",
       "a random 4 KiB `pread` took {}, {} and {} µs; touching two bytes of "
       "the same block through a mapping {}, {} and {} µs ({} to {} once "
       "the pages were mapped); a malloc, a 4 KiB copy and a free {}, {} "
       "and {} µs")
def ch07_pread_mmap():
    """ch04-ch07-syscalls/1m-pread-mmap.csv (run.sh there, with
    bench/pread_mmap.c): each round's mean µs per 4 KiB read, in the
    order the rounds ran."""
    rows = Run("ch04-ch07-syscalls").engine("1m-pread-mmap")
    if len(rows) != 3:
        raise ValueError("%d rounds, not three (reword)" % len(rows))

    def col(c):
        return [float(r[c]) for r in rows]
    second = col("mapped_second")
    return tuple(["%.2f" % x for x in col("pread")] +
                 ["%.3f" % x for x in col("mapped_first")] +
                 ["%.3f" % min(second), "%.3f" % max(second)] +
                 ["%.2f" % x for x in col("malloc_copy_free")])


# --- chapter 8's sentences (docs/08-against-leveldb.md) ---

CH08 = "08-against-leveldb"


def ch08_stages(s):
    """Stage s's run in stages-100k (stage 1's: its own folder)."""
    return Run("stages-100k/stage1" if s.startswith("stage1") else
               "stages-100k")


@prose(CH08, "stages-100k/stage1",
       "Stage 1 reads its whole log ({} reads, {} MB) per get")
def ch08_stage1_get():
    s = "stage1-append-log"
    run = ch08_stages(s)
    return (count(per_op(run, s, "readrandom", "reads")),
            "%.1f" % (per_op(run, s, "readrandom", "bytes_read") / 1e6))


@prose(CH08, "stages-100k", "its open reads the whole log again, {} MB")
def ch08_stage2_open():
    s = "stage2-hash-index"
    return "%.1f" % (ch08_stages(s).med(s, "open", "bytes_read") / 1e6)


@prose(CH08, "stages-100k",
       "index blocks ({} KB), and can scan, but a get reads a block in "
       "every table until it finds the key: {} tables at this size")
def ch08_stage3():
    s = "stage3-sstable"
    run = ch08_stages(s)
    return ("%.0f" % (run.med(s, "open", "bytes_read") / 1e3),
            "%.0f" % run.med(s, "readrandom", "tables"))


@prose(CH08, "stages-100k", "(the fill is {} times as slow)")
def ch08_stage4_fill():
    run = ch08_stages("stage4")
    return "%.1f" % (run.med("stage4-wal-recovery", "fillrandom") /
                     run.med("stage3-sstable", "fillrandom"))


@prose(CH08, "stages-100k", "so a get reads one block ({})")
def ch08_stage5_get():
    s = "stage5-compaction"
    return count(per_op(ch08_stages(s), s, "readrandom", "reads"))


@prose(CH08, "stages-100k",
       "Stage 6 answers a missing key from its filters ({} reads per "
       "missing get), and its fill no longer waits for flushes and "
       "compactions in the writer's thread; its open reads the filters "
       "too ({} KB)")
def ch08_stage6():
    run = ch08_stages(S6)
    return (count(per_op(run, S6, "readmissing", "reads")),
            "%.0f" % (run.med(S6, "open", "bytes_read") / 1e3))


@prose(CH08, "stages-100k",
       "Stage 7 reads the same blocks as stage 6 ({} per get: a mapped "
       "read is counted as the read it replaces), in place, and takes "
       "less than half the time; its scan is {} times as fast")
def ch08_stage7():
    run = ch08_stages(S7)
    return (count(per_op(run, S7, "readrandom", "reads")),
            "%.1f" % (run.med(S6, "readseq") / run.med(S7, "readseq")))


@prose(CH08, "stages-100k, ch03-measured, ch05-measured",
       "stage 3's pile-up is only {} tables: its chapter and chapter 5 "
       "(for stage 4) show it at a million, where a missing get read {} "
       "and {} blocks")
def ch08_pileup():
    """Stage 3's tables at 100,000 entries; at a million, the reads per
    missing get of stage 3 (ch03-measured) and stage 4 (ch05-measured)."""
    s3, s4 = "stage3-sstable", "stage4-wal-recovery"
    return ("%.0f" % ch08_stages(s3).med(s3, "readrandom", "tables"),
            count(per_op(Run("ch03-measured"), s3, "readmissing", "reads")),
            count(per_op(Run("ch05-measured"), s4, "readmissing", "reads")))


@prose(CH08, "peers-1m",
       "SQLite's writes take {} to {} times as long (a B-tree rewrites a "
       "page per random put where an LSM appends to a log), and its get "
       "of a present key, one descent of one B-tree through an 8 MiB page "
       "cache, is the closest any peer comes ({}; in one round the two "
       "took the same time, {} µs, SQLite by {})")
def ch08_sqlite_1m():
    """The fills' SQLite / stage 7 medians, lowest and highest; then
    readrandom's, and the one round SQLite won, by how much."""
    run = Run("peers-1m")
    fills = [run.med(SQL, w) / run.med(S7, w)
             for w in ["fillseq", "fillrandom", "overwrite"]]
    a, b = run.rounds(SQL, "readrandom"), run.rounds(S7, "readrandom")
    won = [(x, y) for x, y in zip(a, b) if x < y]
    if len(won) != 1:
        raise ValueError("SQLite won %d rounds of readrandom, not one" %
                         len(won))
    x, y = won[0]
    if us(x) != us(y):
        raise ValueError("the round SQLite won: %s against %s µs, not the "
                         "same time" % (us(x), us(y)))
    return ("%.1f" % min(fills), "%.1f" % max(fills),
            "%.2f" % (run.med(SQL, "readrandom") / run.med(S7, "readrandom")),
            us(y), "%.3f" % (y - x))


@prose(CH08, "peers-1m", "which is why they are {} and {} times stage 6's")
def ch08_memory_1m():
    run = Run("peers-1m")
    return tuple("%.1f" % (peak_mib(run, e) / peak_mib(run, S6))
                 for e in (S7, LDB))


@prose(CH08, "peers-10m-sqlite",
       "its fill of ten million random keys takes {} minutes")
def ch08_sqlite_fill_minutes():
    run = Run("peers-10m-sqlite")
    return "%.1f" % (run.med(SQL, "fillrandom") *
                     run.med(SQL, "fillrandom", "ops") / 60e6)


@prose(CH08, "peers-10m, peers-10m-sqlite",
       "LevelDB ({} against {} µs) but in {} times stage 7's time, scans "
       "in {} times stage 7's, and fills in {} times")
def ch08_sqlite_10m():
    run, sql = Run("peers-10m"), Run("peers-10m-sqlite")
    x = lambda w: sql.med(SQL, w) / run.med(S7, w)
    return (us(sql.med(SQL, "readrandom")), us(run.med(LDB, "readrandom")),
            "%.2f" % x("readrandom"), "%.2f" % x("readseq"),
            "%.1f" % x("fillrandom"))


@prose(CH08, "peers-10m",
       "The fill is stage 7's in every round ({}), and the scan by the "
       "medians ({}) and in two rounds of three; in the third LevelDB "
       "scanned at {} µs per entry and stage 7 at {}")
def ch08_leveldb_10m():
    """LevelDB / stage 7 medians, and the one round of readseq LevelDB
    won."""
    run = Run("peers-10m")
    a, b = run.rounds(LDB, "readseq"), run.rounds(S7, "readseq")
    lost = [(x, y) for x, y in zip(a, b) if x < y]
    if len(lost) != 1:
        raise ValueError("stage 7 lost %d rounds of readseq, not one" %
                         len(lost))
    x, y = lost[0]
    return ("%.2f" % (run.med(LDB, "fillrandom") / run.med(S7, "fillrandom")),
            "%.2f" % (run.med(LDB, "readseq") / run.med(S7, "readseq")),
            us(x), us(y))


@prose(CH08, "peers-10m",
       "({} to {} MB written during `readrandom`, {} to {} MB during the")
def ch08_compaction_writes():
    """Stage 7's bytes written during two reads, lowest and highest
    round."""
    run = Run("peers-10m")
    rr = run.rounds(S7, "readrandom", "bytes_written")
    rs = run.rounds(S7, "readseq", "bytes_written")
    return ("%.0f" % (min(rr) / 1e6), "%.0f" % (max(rr) / 1e6),
            "%.1f" % (min(rs) / 1e6), "%.1f" % (max(rs) / 1e6))


@prose(CH08, "peers-10m",
       "stage 7's writer slept {} to {} times for a full L0 (the CSV's "
       "`slowdowns`: {} to {} of its {} to {} seconds), waiting for "
       "compactions to bring L0 down, and the fill wrote {} GB, {} times "
       "the {} GB put")
def ch08_slowdowns():
    """Stage 7's fillrandom: slowdowns (a sleep of 1 ms each) and the
    fill's seconds, lowest and highest round; the median bytes written
    against the bytes put (a 16-byte key and a 100-byte value each)."""
    run = Run("peers-10m")
    n = run.rounds(S7, "fillrandom", "slowdowns")
    secs = [t * ops / 1e6 for t, ops in zip(
        run.rounds(S7, "fillrandom"), run.rounds(S7, "fillrandom", "ops"))]
    put = run.med(S7, "fillrandom", "ops") * 116
    wrote = run.med(S7, "fillrandom", "bytes_written")
    return ("{:,.0f}".format(min(n)), "{:,.0f}".format(max(n)),
            "%.0f" % (min(n) / 1e3), "%.0f" % (max(n) / 1e3),
            "%.0f" % min(secs), "%.0f" % max(secs), "%.1f" % (wrote / 1e9),
            "%.1f" % (wrote / put), "%.2f" % (put / 1e9))


@prose(CH08, "peers-10m",
       "over about {} tables, is {} times slower than stage 7's")
def ch08_stage6_scan():
    """Stage 6's tables (to the hundred, as "about" says) and its scan's
    time over stage 7's."""
    run = Run("peers-10m")
    return ("%.0f" % round(run.med(S6, "readseq", "tables"), -2),
            "%.0f" % (run.med(S6, "readseq") / run.med(S7, "readseq")))


@prose(CH08, "peers-10m", "cache, stays at {} MiB")
def ch08_rocksdb_memory():
    return "%.0f" % peak_mib(Run("peers-10m"), RDB)


@prose(CH08, "peers-1m-defaults, peers-1m",
       "Snappy shrinks LevelDB's store to {} MB (the values are "
       "half-compressible text; {} MB without it, in the run above)")
def ch08_snappy():
    return ("%.1f" % disk_mb(Run("peers-1m-defaults"), LDB),
            "%.1f" % disk_mb(Run("peers-1m"), LDB))


@prose(CH08, "peers-1m-defaults",
       "here they take {}% and {}% of the time of a get that finds its key")
def ch08_missing_no_filter():
    run = Run("peers-1m-defaults")
    return tuple("%.0f" % (100 * run.med(e, "readmissing") /
                           run.med(e, "readrandom")) for e in (LDB, RDB))


@prose(CH08, "peers-1m-defaults, peers-1m",
       "RocksDB's store is the larger either way ({} MB here, {} MB "
       "without compression")
def ch08_rocksdb_snappy():
    return ("%.1f" % disk_mb(Run("peers-1m-defaults"), RDB),
            "%.1f" % disk_mb(Run("peers-1m"), RDB))


@prose(CH08, "peers-1m-defaults, peers-1m", "a store of {} MB against {} MB")
def ch08_compression_row():
    """The table of what production engines do: its compression row."""
    return ch08_snappy()


# --- the README's sentences (README.md) ---

@prose("README", "peers-10m",
       "(gets {} and {} times as fast, the fill {}, the scan {})")
def readme_peers_10m():
    """LevelDB / stage 7 at ten million entries, by the medians."""
    run = Run("peers-10m")
    x = lambda w: run.med(LDB, w) / run.med(S7, w)
    return ("%.1f" % x("readrandom"), "%.1f" % x("readmissing"),
            "%.2f" % x("fillrandom"), "%.2f" % x("readseq"))


def chapters():
    """The chapters, the README (its sentences' chapter: README) and the
    notes beside the data (a note's chapter: its name, as ch06-views)."""
    docs = os.path.join(ROOT, "docs")
    return (sorted(os.path.join(docs, f) for f in os.listdir(docs)
                   if f.endswith(".md")) + [os.path.join(ROOT, "README.md")] +
            sorted(os.path.join(NOTES, f) for f in os.listdir(NOTES)
                   if f.endswith(".md")))


def show(name, ap):
    """--print NAME."""
    if name in TABLES:
        print("\n".join(TABLES[name][0]()))
    elif name in PHRASES:
        _, template, fn, _ = PHRASES[name]
        want = fn()
        print(template.format(*((want,) if isinstance(want, str)
                                else want)))
    else:
        ap.error("no table or sentence named %s (--list names them)" %
                 name)
    return 0


def main():
    ap = argparse.ArgumentParser(
        description="Check (or, with --write, rewrite) the chapters' "
        "fenced tables of figures against the runs in docs/charts/data.")
    ap.add_argument("--write", action="store_true",
                    help="rewrite every fenced table from its data")
    ap.add_argument("--data", metavar="DIR",
                    help="read the runs from DIR instead of "
                    "docs/charts/data (to try a table on a small run)")
    ap.add_argument("--scoreboard", metavar="BUILD",
                    help="check the sentences quoting the scoreboard too, "
                    "against BUILD/<stage>/scoreboard.txt (make test "
                    "passes it, after the stages' tests)")
    ap.add_argument("--print", metavar="NAME", dest="show",
                    help="print the table or sentence NAME as made from the "
                    "data, then stop")
    ap.add_argument("--list", action="store_true",
                    help="name every table and sentence and the run it is "
                    "made from")
    args = ap.parse_args()
    global DATA, SCOREBOARD
    if args.data:
        DATA = os.path.abspath(args.data)
    if args.scoreboard:
        SCOREBOARD = os.path.abspath(args.scoreboard)
    if args.show:
        try:
            return show(args.show, ap)
        except (LookupError, ValueError, KeyError) as e:
            print("check_figures: %s: %s" % (args.show, e), file=sys.stderr)
            return 1
    if args.list:
        for k, (_, run) in TABLES.items():
            print("%-24s docs/charts/data/%s" % (k, run))
        for k, (ch, _, _, run) in PHRASES.items():
            print("%-24s docs/charts/data/%s (a sentence of docs/%s.md)" %
                  (k, run, ch))
        return 0
    drifted, used, bad, phrases, matrices = 0, set(), 0, 0, 0
    for path in chapters():
        with open(path) as f:
            lines = f.read().split("\n")
        out, i, changed = [], 0, False
        rel = os.path.relpath(path, ROOT)
        while i < len(lines):
            m = OPEN.match(lines[i])
            out.append(lines[i])
            i += 1
            if not m:
                continue
            start = i
            while i < len(lines) and lines[i] != CLOSE:
                i += 1
            if i == len(lines):
                print("%s:%d: figures %s: no closing %s" % (
                    rel, start, m.group(1), CLOSE))
                bad += 1
                out.extend(lines[start:])
                break
            key = m.group(1)
            if key not in TABLES:
                print("%s:%d: no table named %s (--list names them)" % (
                    rel, start, key))
                bad += 1
                out.extend(lines[start:i])
                continue
            used.add(key)
            try:
                want = TABLES[key][0]()
            except (LookupError, ValueError, KeyError) as e:
                print("%s:%d: figures %s: %s" % (rel, start, key, e))
                bad += 1
                out.extend(lines[start:i])
                continue
            if lines[start:i] != want:
                drifted += 1
                changed = True
                print("%s:%d: figures %s differ from docs/charts/data/%s" %
                      (rel, start, key, TABLES[key][1]))
                if not args.write:
                    for old, new in zip(lines[start:i], want):
                        if old != new:
                            print("    chapter: %s\n    data:    %s" % (
                                old, new))
                            break
            out.extend(want)
        chapter = os.path.basename(path)[:-len(".md")]
        text, n, d, b = check_phrases(rel, "\n".join(out), chapter,
                                      args.write)
        if SCOREBOARD:
            n2, d2 = check_matrices(rel, text)
            matrices, bad = matrices + n2, bad + d2
        phrases, drifted, bad = phrases + n, drifted + d, bad + b
        changed = changed or d
        if changed and args.write:
            with open(path, "w") as f:
                f.write(text)
    n = len(used)
    known = {ch for ch, _, _, _ in PHRASES.values()}
    have = {os.path.basename(p)[:-len(".md")] for p in chapters()}
    for ch in sorted(known - have):
        print("docs/%s.md: no such chapter (tools/check_figures.py's "
              "PHRASES)" % ch)
        bad += 1
    if args.write:
        print("figures: %d tables and %d sentences written, %d rewritten" %
              (n, phrases, drifted))
        return 1 if bad else 0
    unseen = sum(1 for v in PHRASES.values() if v[3] == "scoreboard")
    print("figures: %d tables and %d sentences checked, %s%d drifted%s" % (
        n, phrases, "%d scoreboard rows, " % matrices if SCOREBOARD else "",
        drifted + bad, "" if SCOREBOARD else
        " (%d sentences and the matrices quoting the scoreboard not "
        "checked: --scoreboard BUILD)" % unseen))
    return 1 if drifted or bad else 0


if __name__ == "__main__":
    sys.exit(main())
