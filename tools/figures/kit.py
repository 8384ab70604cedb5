"""The figures' shared kit: what the chapters' modules (ch00.py ...
ch08.py, readme.py) make their figures with, and the registries they add
to, which tools/check_figures.py checks.

DATA and SCOREBOARD are where the figures are read from: main() of
check_figures.py sets them from --data and --scoreboard, so a chapter's
function reads them as kit.DATA and kit.SCOREBOARD, at the time it runs.
TABLES maps a fenced table's name to (function, the run it is made from)
and PHRASES a sentence's name to (chapter, template, function, source):
a chapter's module adds its tables as TABLES[NAME] = (fn, run) and its
sentences with @prose(chapter, source, template).
"""
import csv
import functools
import math
import os
import re
import statistics

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "docs", "charts", "data")
NOTES = DATA  # the notes are read here even when --data moves DATA

S1, S2, S3, S4, S5 = ("stage1-append-log", "stage2-hash-index",
                      "stage3-sstable", "stage4-wal-recovery",
                      "stage5-compaction")
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


# --- chapters 3 to 6: a stage against the one before, bench/compare.py
# --reopen (the fills in one process, the reads in a second) ----------------


def per_op(run, e, w, col):
    return run.med(e, w, col) / run.med(e, w, "ops")


def op_time(run, e, w, unit="µs/op"):
    if w not in run.workloads(e) or not run.engine(e) or not any(
            r["benchmark"] == w and r["micros_per_op"] for r in run.engine(e)):
        return "not supported"
    return "%s %s" % (sig3(run.med(e, w)), unit)


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
    if abs(round(x, digits)) >= 10 ** (3 - digits):  # 99.97 rounds to 100
        digits = max(0, digits - 1)
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


# --- figures in the prose -------------------------------------------------
#
# A sentence that quotes a measured figure is registered by @prose in its
# chapter's module (tools/figures/chNN.py): the chapter it is in, a template
# whose {} stand for the figures, and a function that makes them from the
# data, as strings written as the chapter writes them. The check
# (tools/check_figures.py) finds the template in the chapter exactly once (a
# space in the template matches any run of white space, as the chapter wraps
# its lines; a {} matches a number such as 1,100,000 or 0.362) and compares
# the figures; --write puts the data's figures in their place. A sentence
# reworded so that its template no longer matches is an error, not a silent
# pass: change the template with the sentence.

PHRASES = {}


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


def sep(x):
    """An integer as prose writes it: 53,914."""
    return "{:,}".format(int(x))


# The fenced tables: each chapter's module adds its own, after the
# functions that make them: TABLES[NAME] = (fn, run).

TABLES = {}
