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
import math
import os
import re
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "docs", "charts", "data")
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
                raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
            with open(path, newline="") as f:
                self.rows[e] = list(csv.DictReader(f))
        return self.rows[e]

    def rounds(self, e, w, col="micros_per_op"):
        """Engine e's values of col in workload w, one per round."""
        v = [float(r[col]) for r in self.engine(e) if r["benchmark"] == w]
        if not v:
            raise LookupError("%s/%s.csv: no %s rows" % (self.folder, e, w))
        return v

    def med(self, e, w, col="micros_per_op"):
        return statistics.median(self.rounds(e, w, col))

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
        "| `fillrandom` | %s |" % both(lambda e: op_time(run, e, "fillrandom")),
        "| `open`: time | %s |" % both(
            lambda e: human_time(run.med(e, "open"))),
        "| `open`: bytes read (reads) | %s |" % both(
            lambda e: "{:,.0f} ({:,.0f})".format(
                run.med(e, "open", "bytes_read"), run.med(e, "open", "reads"))),
        "| `readrandom` | %s |" % both(lambda e: op_time(run, e, "readrandom")),
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


# Distinct keys after fillrandom then overwrite of a million (db_bench's
# seeds): chapter 5 counts them with a readseq over the whole store.
LIVE_AFTER_OVERWRITE = 864811 * 116


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
            run.med(e, "overwrite", "disk_bytes") / LIVE_AFTER_OVERWRITE))
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
    edits = []
    for key, (ch, template, fn, source) in PHRASES.items():
        if ch != chapter:
            continue
        checked += 1
        found = list(template_re(template).finditer(text))
        if len(found) != 1:
            print("%s: %s: the sentence \"%s\" is there %d times, not once "
                  "(reworded? change its template in %s)" % (
                      rel, key, template, len(found), "tools/check_figures.py"))
            bad += 1
            continue
        m = found[0]
        line = text.count("\n", 0, m.start()) + 1
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
            print("%s:%d: %s: the chapter says %s, docs/charts/data/%s %s" % (
                rel, line, key, ", ".join(got), source, ", ".join(want)))
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



# --- chapter 2's sentences (docs/02-hash-index.md) ---



# --- chapter 3's sentences (docs/03-sstable.md) ---



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
       "in the reference run stage 3 lost {} of {} acknowledged writes, "
       "stage 4 lost {}.")
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


# --- chapter 5's sentences (docs/05-compaction.md) ---

@prose("05-compaction", "ch05-space-stage4.dat, ch05-space-stage5.dat",
       "after {} puts (the fill and ten rounds): stage 4 holds {} MiB in {} "
       "tables, stage 5 {} MiB in {} tables, for {} MiB of live keys")
def ch05_space_end():
    a, b = dat("ch05-space-stage4")[-1], dat("ch05-space-stage5")[-1]
    return ("{:,.0f}".format(a["puts"]), "%.1f" % a["disk_mb"],
            "%.0f" % a["tables"], "%.1f" % b["disk_mb"], "%.0f" % b["tables"],
            "%.1f" % a["live_mb"])


# --- chapter 6's sentences (docs/06-bloom-concurrency.md) ---



# --- chapter 7's sentences (docs/07-speedups.md) ---



# --- chapter 8's sentences (docs/08-against-leveldb.md) ---



# --- the README's sentences (README.md) ---



def chapters():
    """The chapters, and the README (its sentences' chapter: README)."""
    docs = os.path.join(ROOT, "docs")
    return sorted(os.path.join(docs, f) for f in os.listdir(docs)
                  if f.endswith(".md")) + [os.path.join(ROOT, "README.md")]


def main():
    ap = argparse.ArgumentParser(
        description="Check (or, with --write, rewrite) the chapters' "
        "fenced tables of figures against the runs in docs/charts/data.")
    ap.add_argument("--write", action="store_true",
                    help="rewrite every fenced table from its data")
    ap.add_argument("--data", metavar="DIR",
                    help="read the runs from DIR instead of "
                    "docs/charts/data (to try a table on a small run)")
    ap.add_argument("--print", metavar="NAME", dest="show",
                    help="print the table or sentence NAME as made from the "
                    "data, then stop")
    ap.add_argument("--list", action="store_true",
                    help="name every table and sentence and the run it is "
                    "made from")
    args = ap.parse_args()
    if args.data:
        global DATA
        DATA = os.path.abspath(args.data)
    if args.show:
        if args.show in TABLES:
            print("\n".join(TABLES[args.show][0]()))
        elif args.show in PHRASES:
            _, template, fn, _ = PHRASES[args.show]
            want = fn()
            print(template.format(*((want,) if isinstance(want, str)
                                    else want)))
        else:
            ap.error("no table or sentence named %s (--list names them)" %
                     args.show)
        return 0
    if args.list:
        for k, (_, run) in TABLES.items():
            print("%-24s docs/charts/data/%s" % (k, run))
        for k, (ch, _, _, run) in PHRASES.items():
            print("%-24s docs/charts/data/%s (a sentence of docs/%s.md)" %
                  (k, run, ch))
        return 0
    drifted, used, bad, phrases = 0, set(), 0, 0
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
                print("%s:%d: figures %s: no closing %s" % (rel, start, m.group(1), CLOSE))
                bad += 1
                out.extend(lines[start:])
                break
            key = m.group(1)
            if key not in TABLES:
                print("%s:%d: no table named %s (--list names them)" % (rel, start, key))
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
                            print("    chapter: %s\n    data:    %s" % (old, new))
                            break
            out.extend(want)
        chapter = os.path.basename(path)[:-len(".md")]
        text, n, d, b = check_phrases(rel, "\n".join(out), chapter,
                                      args.write)
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
    print("figures: %d tables and %d sentences checked, %d drifted" %
          (n, phrases, drifted + bad))
    return 1 if drifted or bad else 0


if __name__ == "__main__":
    sys.exit(main())
