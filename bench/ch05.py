"""bench/ch05.py - the charts of chapter 5 (stage 5, leveled compaction),
stage 4 against stage 5:

    ch05-space       bytes on disk (and tables) as overwrite rounds go on
    ch05-read-amp    preads and time per get as overwrite rounds go on
    ch05-write-amp   write amplification over a long fillrandom, sampled in
                     steps of --writes puts in one process
    ch05-latency     stage 5's failure: put and get latency per second
                     during readwhilewriting, compactions marked; preads per
                     missing-key get
    ch05-shape       the shape of a store after the same fillrandom in
                     stages 3, 4 and 5: each table a box at its level from
                     its first key to its last, read from `kv dump`
    ch05-growth      one stage 5 store at four moments of a fill, the
                     tables flushes and compactions wrote since the moment
                     before marked

The rounds (fillrandom, then overwrite rounds, each followed by readrandom
and readmissing) are ch04-pileup's run, so stage 4's is shared with it.
Imported by plots.py, which runs them; see chartkit.py for the pieces.
"""

import math
import os
import random
import re
import shutil
import subprocess

import lib
from chartkit import MIB, S3, S4, S5, chart, styled

KV = 116  # bytes put per entry: 16-byte key, 100-byte value


def _dat(out, name):
    return os.path.join(out, "data", name + ".dat")


def _div(a, b):
    return None if a is None or not b else a / b


def rounds_setup(sw):
    """num, rounds, reads of the overwrite rounds (as ch04-pileup)."""
    return (20000, 4, 500) if sw.quick else (100000, 10, 1000)


def rounds_point(sw, stage):
    """fillrandom, then `rounds` overwrite rounds over the same num keys,
    readrandom and readmissing after each; 256 KiB memtable. The same
    point as ch04-pileup's for stage 4 (so the run is shared)."""
    num, rounds, reads = rounds_setup(sw)
    marks = ("fillrandom,readrandom,readmissing" +
             ",overwrite,readrandom,readmissing" * rounds)
    return sw.point(stage, num, reads, marks, ("-o", "memtable_bytes=262144"))


def rounds_rows(sw, p):
    """Per round: puts so far, MiB put, MiB on disk, tables, preads per get,
    micros per get, preads per missing get, micros per missing get, MiB of
    live data (the distinct keys expected after that many random puts)."""
    num, rounds, _ = rounds_setup(sw)
    rows = []
    for r in range(rounds + 1):
        puts = (r + 1) * num
        ops = sw.med(p, "readrandom", "ops", r)
        mops = sw.med(p, "readmissing", "ops", r)
        live = num * (1 - math.exp(-(r + 1))) * KV / MIB
        rows.append((puts, puts * KV / MIB,
                     _div(sw.med(p, "readrandom", "disk_bytes", r), MIB),
                     sw.med(p, "readrandom", "tables", r),
                     _div(sw.med(p, "readrandom", "reads", r), ops),
                     sw.med(p, "readrandom", "micros_per_op", r),
                     _div(sw.med(p, "readmissing", "reads", r), mops),
                     sw.med(p, "readmissing", "micros_per_op", r), live))
    return rows


ROUNDS_COLUMNS = ["puts", "mb_put", "disk_mb", "tables", "reads_per_get",
                  "micros_per_get", "reads_per_missing_get",
                  "micros_per_missing_get", "live_mb"]


def _write_rounds(sw, out, name, pts):
    for stage, p in pts:
        lib.write_dat(_dat(out, "%s-%s" % (name, stage[:6])), ROUNDS_COLUMNS,
                      rounds_rows(sw, p))


def _rounds_title(sw):
    num, rounds, _ = rounds_setup(sw)
    return ("(fillrandom, then %d rounds of %d random overwrites over the "
            "same %d keys;\\nmemtable\\\\_bytes=262144)" % (rounds, num, num))


@chart("ch05-space", [S4, S5])
def ch05_space(sw):
    pts = [(S4, rounds_point(sw, S4)), (S5, rounds_point(sw, S5))]

    def draw(out):
        _write_rounds(sw, out, "ch05-space", pts)
        return lib.draw(out, "ch05-space", styled("""
set multiplot layout 2,1 title "Chapter 5: compaction bounds the space overwrites take\\n%s" font ',12'
set grid
set key top left
set lmargin 12
set xrange [0:*]
set yrange [0:*]
set xlabel 'MiB put so far (16-byte keys + 100-byte values)'
set ylabel 'MiB on disk'
set title 'bytes on disk after each round (tables, write-ahead log, manifest)'
plot 'data/ch05-space-stage4.dat' using 2:3 with linespoints %%(s4)s \\
     title 'stage4-wal-recovery (no compaction)', \\
     'data/ch05-space-stage5.dat' using 2:3 with linespoints %%(s5)s \\
     title 'stage5-compaction (leveled)', \\
     'data/ch05-space-stage5.dat' using 2:9 with lines %%(wide)s \\
     title 'live data (distinct keys expected x 116 bytes)'
set ylabel 'tables (log scale)'
set logscale y
set format y '%%g'
set yrange [1:*]
set title 'tables on disk after each round'
plot 'data/ch05-space-stage4.dat' using 2:4 with linespoints %%(s4)s \\
     title 'stage4-wal-recovery', \\
     'data/ch05-space-stage5.dat' using 2:4 with linespoints %%(s5)s \\
     title 'stage5-compaction'
unset multiplot
""" % _rounds_title(sw)))
    return draw


@chart("ch05-read-amp", [S4, S5])
def ch05_read_amp(sw):
    pts = [(S4, rounds_point(sw, S4)), (S5, rounds_point(sw, S5))]

    def draw(out):
        _write_rounds(sw, out, "ch05-read-amp", pts)
        return lib.draw(out, "ch05-read-amp", styled("""
set multiplot layout 2,1 title "Chapter 5: compaction bounds the tables a get reads\\n%s" font ',12'
set grid
set key center right box opaque
set lmargin 12
set xrange [0:*]
set yrange [0:*]
set xlabel 'MiB put so far (16-byte keys + 100-byte values)'
set ylabel 'I/O reads (pread) per get'
set logscale y
set format y '%%g'
set yrange [0.5:*]
set title 'readrandom after each round: preads per get (log scale)'
plot 'data/ch05-read-amp-stage4.dat' using 2:5 with linespoints %%(s4)s \\
     title 'stage4-wal-recovery', \\
     'data/ch05-read-amp-stage5.dat' using 2:5 with linespoints %%(s5)s \\
     title 'stage5-compaction'
set ylabel 'microseconds per get'
set yrange [1:*]
set title 'readrandom after each round: time per get (log scale)'
plot 'data/ch05-read-amp-stage4.dat' using 2:6 with linespoints %%(s4)s \\
     title 'stage4-wal-recovery', \\
     'data/ch05-read-amp-stage5.dat' using 2:6 with linespoints %%(s5)s \\
     title 'stage5-compaction'
unset multiplot
""" % _rounds_title(sw)))
    return draw


def _amp_setup(sw):
    """num, writes per step, steps, extra flags of ch05-write-amp."""
    if sw.quick:
        return 100000, 10000, 10, ("--writes=10000", "-o",
                                   "memtable_bytes=262144")
    return 1000000, 100000, 10, ("--writes=100000",)


@chart("ch05-write-amp", [S4, S5])
def ch05_write_amp(sw):
    num, step, steps, extra = _amp_setup(sw)
    marks = ",".join(["fillrandom"] + ["overwrite"] * (steps - 1))
    pts = [(s, sw.point(s, num, step, marks, extra)) for s in (S4, S5)]

    def rows(p):
        out, put, written = [], 0, 0
        for i in range(steps):
            name = "fillrandom" if i == 0 else "overwrite"
            nth = 0 if i == 0 else i - 1
            ops = sw.med(p, name, "ops", nth)
            w = sw.med(p, name, "bytes_written", nth)
            if ops is None or w is None:
                out.append(((i + 1) * step, None, None, None, None))
                continue
            put += ops * KV
            written += w
            stat = sw.med(p, name, "write_amp_x100", nth)
            out.append(((i + 1) * step, put / MIB, written / put,
                        w / (ops * KV), None if stat is None else stat / 100))
        return out

    def draw(out):
        for s, p in pts:
            lib.write_dat(_dat(out, "ch05-write-amp-" + s[:6]),
                          ["puts", "mb_put", "io_written_per_byte_put",
                           "step_written_per_byte_put",
                           "write_amplification_stat"], rows(p))
        mem = "memtable\\\\_bytes=262144" if sw.quick else \
            "default options: memtable 4 MiB, L0 trigger 4, L1 10 MiB, x10"
        return lib.draw(out, "ch05-write-amp", styled("""
set multiplot layout 2,1 title "Chapter 5: the price of compaction is write amplification\\n(one fillrandom of %d puts over %d keys, run in one process as fillrandom + overwrite\\nsteps of %d puts each, --writes; %s)" font ',11'
set grid
set key top left
set lmargin 12
set xrange [0:*]
set yrange [0:*]
set xlabel 'MiB put so far (16-byte keys + 100-byte values)'
set ylabel 'bytes written per byte put'
set title 'so far: the stat write\\_amplification\\_x100 / 100, and the I/O layer''s bytes\\_written / bytes put'
plot 'data/ch05-write-amp-stage5.dat' using 2:5 with linespoints %%(s5)s \\
     title 'stage5-compaction: write\\_amplification\\_x100 / 100 (log + flushes + compactions)', \\
     '' using 2:3 with linespoints %%(s5b)s \\
     title 'stage5-compaction: bytes\\_written / bytes put (all files)', \\
     'data/ch05-write-amp-stage4.dat' using 2:3 with linespoints %%(s4)s \\
     title 'stage4-wal-recovery: bytes\\_written / bytes put (log + flushes)'
set ylabel 'bytes written per byte put'
set title 'in each step alone: bytes\\_written / bytes put of that step (grows as levels fill)'
plot 'data/ch05-write-amp-stage5.dat' using 2:4 with linespoints %%(s5)s \\
     title 'stage5-compaction', \\
     'data/ch05-write-amp-stage4.dat' using 2:4 with linespoints %%(s4)s \\
     title 'stage4-wal-recovery'
unset multiplot
""" % (num, num, step, mem)))
    return draw


# ---- latency over time (shared with ch06-latency-compaction) -------------

def latency_setup(sw):
    """num, reads and extra flags of the readwhilewriting runs; the
    latency rows are LATENCY_MS apart (--latency_ms), finer than the
    driver's default second, since a compaction takes a fraction of one."""
    if sw.quick:
        return 50000, 20000, ("--latency_ms=50", "-o",
                              "memtable_bytes=262144")
    return 200000, 500000, ("--latency_ms=100",)


def latency_ms(sw):
    return 50 if sw.quick else 100


def latency_point(sw, stage):
    """fillrandom, then readwhilewriting: one reader doing `reads` gets
    while a writer puts random keys; per-second latencies kept."""
    num, reads, extra = latency_setup(sw)
    return sw.point(stage, num, reads, "fillrandom,readwhilewriting",
                    ("--threads=1", "--histogram=1", "--latency_csv") + extra)


def latency_rows(sw, p):
    """Per interval of readwhilewriting (first rep): its start (seconds),
    get ops, get p50, p99, max, put ops, put p50, p99, max, compactions
    finished in it (from the second interval on)."""
    by_sec = {}
    for r in sw.latency(p, 0):
        if r["benchmark"] != "readwhilewriting":
            continue
        by_sec.setdefault(float(r["second"]), {})[r["kind"]] = r
    rows, last = [], None
    for sec in sorted(by_sec):
        row = [sec]
        for kind in ("get", "put"):
            r = by_sec[sec].get(kind, {})
            row.append(float(r.get("ops") or 0))
            for col in ("p50_us", "p99_us", "max_us"):
                v = r.get(col)
                row.append(float(v) if v else None)
        c = next((r["compactions"] for r in by_sec[sec].values()
                  if r.get("compactions")), None)
        c = None if c is None else float(c)
        row.append(None if c is None or last is None else c - last)
        last = c if c is not None else last
        rows.append(tuple(row))
    return rows


LATENCY_COLUMNS = ["second", "get_ops", "get_p50_us", "get_p99_us",
                   "get_max_us", "put_ops", "put_p50_us", "put_p99_us",
                   "put_max_us", "compactions_in_second"]


def latency_panel(dat, title, color, xmax=None):
    """A gnuplot panel: get and put latency per second, compactions as
    impulses on the right axis."""
    return """
set title '%s'
set xlabel 'seconds into readwhilewriting'
set ylabel 'latency (microseconds)'
set logscale y
set format y '10^{%%L}'
set y2label 'compactions finished in the interval'
set y2tics
set ytics nomirror
set y2range [0:*]
set yrange [*:*]
set xrange [0:%s]
plot '%s' using 1:10 axes x1y2 with impulses lw 6 lc rgb '#cccccc' \\
     title 'compactions (right axis)', \\
     '' using 1:5 with linespoints lw 1 pt 6 ps 0.8 lc rgb '%s' \\
     title 'get: slowest', \\
     '' using 1:4 with linespoints lw 2 pt 7 ps 0.6 lc rgb '%s' \\
     title 'get: p99', \\
     '' using 1:3 with linespoints lw 2 dt 2 pt 1 ps 0.6 lc rgb '%s' \\
     title 'get: p50', \\
     '' using 1:8 with lines lw 1 lc rgb '#555555' title 'put: p99'
unset logscale y
unset y2tics
unset y2label
set format y '%%g'
set ytics mirror
""" % (title, "*" if xmax is None else repr(xmax), dat, color, color,
       color)


@chart("ch05-latency", [S4, S5])
def ch05_latency(sw):
    lp = latency_point(sw, S5)
    pts = [(S4, rounds_point(sw, S4)), (S5, rounds_point(sw, S5))]

    def draw(out):
        lib.write_dat(_dat(out, "ch05-latency-time-stage5"), LATENCY_COLUMNS,
                      latency_rows(sw, lp))
        _write_rounds(sw, out, "ch05-latency", pts)
        num, reads, _ = latency_setup(sw)
        return lib.draw(out, "ch05-latency", styled("""
set multiplot layout 2,1 title "Chapter 5: stage 5's failures: a get waits for the compaction a put runs,\\nand a missing key still reads a block in every level" font ',12'
set grid
set key tmargin center horizontal maxcols 5 samplen 2 width -3 font ',9'
set lmargin 12
set rmargin 12
""" + latency_panel(
            "data/ch05-latency-time-stage5.dat",
            "stage5-compaction, readwhilewriting: 1 reader (%d gets) while "
            "1 writer puts (after fillrandom %d); per %d ms" % (
                reads, num, latency_ms(sw)),
            "#d55e00") + """
set xrange [0:*]
set yrange [0.5:*]
set logscale y
set format y '%g'
set key inside top left box opaque
set xlabel 'MiB put so far (ch05-space''s rounds)'
set ylabel 'I/O reads (pread) per get'
set title 'readmissing after each round: preads per get of a key that is not there (log scale)'
plot 'data/ch05-latency-stage4.dat' using 2:7 with linespoints %(s4)s \\
     title 'stage4-wal-recovery (every table)', \\
     'data/ch05-latency-stage5.dat' using 2:7 with linespoints %(s5)s \\
     title 'stage5-compaction (L0 tables + one per level)'
unset multiplot
"""), size=(900, 760))
    return draw


# ---- the shape of a store: each table a box at its level ------------------

SHAPE_COLUMNS = ["stage", "num", "options", "file", "level", "bytes",
                 "entries", "smallest", "largest"]

# Lines of `kv dump` (dump.c): a table's first line (stage 5's names its
# level; a table the manifest does not name, which is not live, has another
# wording and is left out), each data block's first and last key, and the
# count of entries.
_TABLE = re.compile(r"^(\S+\.sst): a table(?: at level (\d+))?, (\d+) bytes$")
_BLOCK = re.compile(r'^  block \d+ .* first "([^"]*)" \(\d+\) '
                    r'last "([^"]*)" \(\d+\)$')
_ENTRIES = re.compile(r"^  \d+ data blocks?, (\d+) entries")


def parse_dump(text):
    """The live tables of a `kv dump`, in the order it lists them (by file
    name): dicts of file, level (0 for stages 3 and 4, which have only a
    pile), bytes, entries, smallest and largest (the first key of the first
    block, the last key of the last)."""
    tables, cur = [], None
    for line in text.splitlines():
        m = _TABLE.match(line)
        if m:
            cur = {"file": os.path.basename(m.group(1)),
                   "level": int(m.group(2) or 0), "bytes": int(m.group(3)),
                   "entries": None, "smallest": None, "largest": None}
            tables.append(cur)
        elif not line.startswith("  "):
            cur = None  # another file's listing
        elif cur is not None:
            m = _BLOCK.match(line)
            if m:
                if cur["smallest"] is None:
                    cur["smallest"] = m.group(1)
                cur["largest"] = m.group(2)
            m = _ENTRIES.match(line)
            if m:
                cur["entries"] = int(m.group(1))
    return [t for t in tables if t["smallest"] is not None]


def fill_then_dump(fill_argv, dump_argv, db):
    """Runs fill_argv (which fills the store db), then dump_argv (`kv
    dump` of it), with db removed before and after; returns the dump."""
    shutil.rmtree(db, ignore_errors=True)
    try:
        subprocess.run(fill_argv, cwd=lib.ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        return subprocess.run(dump_argv, cwd=lib.ROOT, check=True,
                              stdout=subprocess.PIPE,
                              universal_newlines=True).stdout
    finally:
        shutil.rmtree(db, ignore_errors=True)


def append_csv(csv, columns, rows, benchmark):
    """Appends rows (dicts of strings) to csv, with the header if the file
    is new, and marks each row with benchmark for the runner."""
    with open(csv, "a") as f:
        if f.tell() == 0:
            f.write(",".join(columns) + "\n")
        for r in rows:
            f.write(",".join(r[k] for k in columns) + "\n")
    for r in rows:
        r["benchmark"] = benchmark
    return rows


def get_order(tables):
    """tables (rows of parse_dump) in the order a get reads them, as
    (row, table) pairs: each L0 table its own row, newest first, then one
    row per deeper level, its tables by first key. Also returns the L0
    tables and {level: row} of the deeper levels."""
    l0 = sorted((t for t in tables if t["level"] in (0, "0")),
                key=lambda t: -int(t["file"][:-4]))
    rows, level_row = list(enumerate(l0)), {}
    for t in sorted((t for t in tables if t["level"] not in (0, "0")),
                    key=lambda t: (int(t["level"]), t["smallest"])):
        lv = int(t["level"])
        if lv not in level_row:
            level_row[lv] = len(l0) + len(level_row)
        rows.append((level_row[lv], t))
    return rows, l0, level_row


class Shape:
    """A lib.Runner job: fills a fresh store with the stage's driver
    (fillrandom, `num` puts, the -o options given), lets it close, and
    lists each live table of `kv dump`: its level and key range. Its rows
    (SHAPE_COLUMNS, benchmark "shape") go to data/shape.csv, one per
    table. fillrandom's keys come from a fixed seed, so every rep makes
    the same store."""

    def __init__(self, stage, num, options):
        self.stage, self.num, self.options = stage, num, tuple(options)

    def key(self):
        return ("shape", self.stage, self.num, self.options)

    def label(self):
        return "%s shape: fillrandom num=%d %s, then kv dump" % (
            self.stage, self.num, " ".join(self.options))

    def fill_argv(self, db):
        argv = [lib.bench_path(self.stage), "--benchmarks=fillrandom",
                "--num=%d" % self.num]
        for o in self.options:
            argv += ["-o", o]
        return argv + ["--db=" + db]

    def dump_argv(self, db):
        return [os.path.join("build", self.stage, "kv"), "-d", db, "dump"]

    def command(self, csv):
        return ("%s > /dev/null && %s   # each table's level and first and "
                "last key, one row per table in %s" % (
                    " ".join(self.fill_argv("$DB")),
                    " ".join(self.dump_argv("$DB")), csv))

    def run(self, scratch, csv):
        db = os.path.join(scratch, "shapedb")
        text = fill_then_dump(self.fill_argv(db), self.dump_argv(db), db)
        rows = []
        for t in parse_dump(text):
            row = dict(t, stage=self.stage, num=self.num,
                       options=" ".join(self.options))
            rows.append({k: str(row[k]) for k in SHAPE_COLUMNS})
        return append_csv(csv, SHAPE_COLUMNS, rows, "shape")


def shape_setup(sw):
    """The fill of ch05-shape, the same for every stage (quick or not: it
    takes about a second): 22,000 random puts and a 128 KiB memtable, about
    700 entries a table, so the pile is tens of tables; stage 5 also small
    tables and a small L1, so the same data reaches L3."""
    same = ("memtable_bytes=131072",)
    return 22000, same, same + ("l0_trigger=4", "table_bytes=65536",
                                "level1_bytes=65536")


def shape_rows(sw, job):
    """ch05-shape's .dat rows for one store (the first rep; every rep makes
    the same store): one row per table, drawn top to bottom in the order a
    get reads them: L0 newest first (one row per table), then one row per
    deeper level. Columns: row, smallest and largest key (as numbers),
    level, file number, entries, bytes."""
    tables = [r for r in sw.runner.rows.get(job.key(), [])
              if r["_rep"] == 0]
    rows = get_order(tables)[0]
    return [(y, int(t["smallest"]), int(t["largest"]), int(t["level"]),
             int(t["file"][:-4]), int(t["entries"]), int(t["bytes"]))
            for y, t in rows]


SHAPE_DAT_COLUMNS = ["row", "smallest", "largest", "level", "file",
                     "entries", "bytes"]


def _shape_panel(dat, rows, title, style, probe):
    """A gnuplot panel: each table a box on its row from its smallest to
    its largest key, the first row at the top; the dashed line is the key
    `probe`."""
    last = max(r[0] for r in rows)
    l0 = [r for r in rows if r[3] == 0]
    tics = []
    if len(l0) > 8:  # a pile: name every fifth table by its file number
        tics = ["'%06d' %d" % (r[4], r[0]) for r in l0
                if r[0] % 5 == 0 or r[0] == len(l0) - 1]
        ylabel = "L0: one row per table\\n(its file number)"
    else:
        seen = set()
        for r in rows:
            if r[0] not in seen:
                seen.add(r[0])
                tics.append("'L%d' %d" % (r[3], r[0]))
        ylabel = "level"
    lines = "".join(
        "set arrow from graph 0, first %g to graph 1, first %g nohead "
        "dt 3 lc rgb '#888888'\n" % (y - 0.5, y - 0.5)
        for y in sorted({r[0] for r in rows if r[3] > 0}))
    return """
unset arrow
%sset arrow from %d, graph 0 to %d, graph 1 nohead dt 2 lw 2 lc rgb '#000000' front
set title "%s"
set ylabel "%s" offset -2,0
set yrange [%g:-0.6]
set ytics (%s)
plot '%s' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4) with boxxyerror \\
     %s fs solid 0.45 border lc rgb '#333333' notitle
""" % (lines, probe, probe, title, ylabel, last + 0.6, ", ".join(tics),
       dat, style)


@chart("ch05-shape", [S3, S4, S5])
def ch05_shape(sw):
    num, same, s5 = shape_setup(sw)
    jobs = [(S3, sw.job(Shape(S3, num, same))),
            (S4, sw.job(Shape(S4, num, same))),
            (S5, sw.job(Shape(S5, num, s5)))]
    probe = num // 2

    def draw(out):
        script = """
set multiplot layout 3,1 title "Chapter 5: the shape of a store, drawn from kv dump after the same fill\\n(fillrandom: %d random puts over keys 0 .. %d, %s; stage 5 also\\n%s). Each table is a box from its first key to its last." font ',11'
set grid x
set lmargin 16
set xrange [0:%d]
set format x '%%g'
unset xlabel
""" % (num, num - 1, _opts(same), _opts(s5[len(same):]), num)
        stage3 = None
        for stage, job in jobs:
            rows = shape_rows(sw, job)
            dat = "data/ch05-shape-%s.dat" % stage[:6]
            lib.write_dat(os.path.join(out, dat), SHAPE_DAT_COLUMNS, rows)
            hit = sum(1 for r in rows if r[1] <= probe <= r[2])
            levels = sorted({r[3] for r in rows})
            if levels == [0]:
                ranges = [r[1:3] for r in rows]
                same_as = " (the same as stage 3's)" if stage != S3 and \
                    ranges == stage3 else ""
                stage3 = stage3 or ranges
                title = ("%s: %d tables%s, all in L0 (newest on top), each "
                         "spanning nearly every key;\\nthe dashed key %d "
                         "lies in the range of %d of them" % (
                             stage, len(rows), same_as, probe, hit))
            else:
                count = ", ".join(
                    "%d in L%d" % (sum(1 for r in rows if r[3] == lv), lv)
                    for lv in levels)
                title = ("%s: %s (%d tables);\\nbelow L0 no two tables "
                         "of a level overlap: the dashed key %d lies in the "
                         "range of %d" % (stage, count, len(rows), probe,
                                          hit))
            if stage == jobs[-1][0]:
                script += ("set xlabel 'key (the keys are numbers written "
                           "as %%016d: key %d is %016d)'\n" % (probe, probe))
            script += _shape_panel(
                dat, rows, title, "lc rgb '%s'" % STAGE_COLOURS[stage],
                probe)
        return lib.draw(out, "ch05-shape", script + "unset multiplot\n",
                        size=(900, 1100))
    return draw


# ---- one store growing: its shape at four moments -------------------------

GROWTH_COLUMNS = ["moment", "puts"] + SHAPE_COLUMNS[3:]


class Growth:
    """A lib.Runner job: random puts (keys below `keys`, a fixed seed)
    into a fresh stage 5 store through `kv shell`: `first` of them, then
    `moments` - 1 more steps of `step`; after each step the shell exits
    (the close flushes the memtable, a compaction following if L0 is
    full) and `kv dump` lists the live tables. One row per table per
    moment (GROWTH_COLUMNS, benchmark "growth")."""

    def __init__(self, first, step, keys, moments, options):
        self.first, self.step, self.keys = first, step, keys
        self.moments, self.options = moments, tuple(options)

    def key(self):
        return ("growth", self.first, self.step, self.keys, self.moments,
                self.options)

    def puts(self, m):
        """The puts made by moment m (1, 2, ...)."""
        return self.first + self.step * (m - 1)

    def label(self):
        return "%s growth: %d random puts, then %d steps of %d, through kv " \
               "shell; kv dump after each" % (S5, self.first,
                                               self.moments - 1, self.step)

    def kv_argv(self, db, *args):
        argv = [os.path.join("build", S5, "kv"), "-d", db]
        for o in self.options:
            argv += ["-o", o]
        return argv + list(args)

    def command(self, csv):
        return ("%s < (%d set lines, then %d x %d more, each step followed "
                "by) %s   # one row per table per moment in %s" % (
                    " ".join(self.kv_argv("$DB", "shell")), self.first,
                    self.moments - 1, self.step,
                    " ".join(self.kv_argv("$DB", "dump")), csv))

    def run(self, scratch, csv):
        db = os.path.join(scratch, "growthdb")
        shutil.rmtree(db, ignore_errors=True)
        rng = random.Random(301)
        rows = []
        try:
            for m in range(self.moments):
                lines = []
                for _ in range(self.first if m == 0 else self.step):
                    k = rng.randrange(self.keys)
                    lines.append("set %016d %s\n" % (k, ("v%016d" % k) * 6))
                subprocess.run(self.kv_argv(db, "shell"), cwd=lib.ROOT,
                               input="".join(lines), check=True,
                               stdout=subprocess.DEVNULL,
                               universal_newlines=True)
                text = subprocess.run(self.kv_argv(db, "dump"), cwd=lib.ROOT,
                                      check=True, stdout=subprocess.PIPE,
                                      universal_newlines=True).stdout
                for t in parse_dump(text):
                    row = dict(t, moment=m + 1, puts=self.puts(m + 1))
                    rows.append({k: str(row[k]) for k in GROWTH_COLUMNS})
        finally:
            shutil.rmtree(db, ignore_errors=True)
        return append_csv(csv, GROWTH_COLUMNS, rows, "growth")


@chart("ch05-growth", [S5])
def ch05_growth(sw):
    keys, moments, first, step = 22000, 4, 16000, 1000
    options = shape_setup(sw)[2]
    job = sw.job(Growth(first, step, keys, moments, options))

    def draw(out):
        tables = [r for r in sw.runner.rows.get(job.key(), [])
                  if r["_rep"] == 0]
        script = """
set multiplot layout %d,1 title "Chapter 5: one stage 5 store at four moments, drawn from kv dump\\n%d random puts over keys 0 .. %d, then %d more at a time, the store closed after each step\\n(%s). Each table is a box from its first key\\nto its last; the coloured ones were written since the moment before." font ',11'
set grid x
set lmargin 10
set xrange [0:%d]
set format x '%%g'
unset xlabel
""" % (moments, first, keys - 1, step, _opts(options), keys)
        before = set()
        for m in range(1, moments + 1):
            now = [t for t in tables if t["moment"] == str(m)]
            names = {t["file"] for t in now}
            new = names - before
            gone = len(before - names)
            flushed = sum(1 for t in now if t["file"] in new and
                          t["level"] == "0")
            merged = len(new) - flushed
            rows, l0, level_row = get_order(now)
            tics = ", ".join(["'L0' %d" % y for y, _ in enumerate(l0)] +
                             ["'L%d' %d" % (lv, y)
                              for lv, y in sorted(level_row.items())])
            count = ", ".join(
                "%d in L%d" % (sum(1 for t in now if int(t["level"]) == lv),
                               lv)
                for lv in sorted({int(t["level"]) for t in now}))
            if m == 1:
                new = set()  # the starting point: nothing marked
                title = "after %d puts: %s (the starting point)" % (
                    first, count)
            else:
                title = ("after %d puts: %s\\nsince the moment before: %d "
                         "flushed, %d written by compactions, %d merged "
                         "away" % (first + step * (m - 1), count, flushed,
                                   merged, gone))
            dat = "data/ch05-growth-%d.dat" % m
            lib.write_dat(os.path.join(out, dat),
                          ["row", "smallest", "largest", "level", "new"],
                          [(y, int(t["smallest"]), int(t["largest"]),
                            int(t["level"]), int(t["file"] in new))
                           for y, t in rows])
            if m == moments:
                script += ("set xlabel 'key (the keys are numbers written "
                           "as %016d)'\n")
            script += """
set title "%s"
set yrange [%g:-0.6]
set ytics (%s)
plot '%s' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4):($5 > 0 ? 0x%s : 0xcccccc) \\
     with boxxyerror lc rgb variable fs solid 0.8 border lc rgb '#333333' \\
     notitle
""" % (title, max(y for y, _ in rows) + 0.6, tics, dat,
                STAGE_COLOURS[S5][1:])
            before = names
        return lib.draw(out, "ch05-growth", script + "unset multiplot\n",
                        size=(1000, 1250))
    return draw


def _opts(options):
    """-o options as a title shows them (gnuplot's enhanced text would
    take an underscore for a subscript)."""
    return ", ".join(o.replace("_", "\\\\_") for o in options)


STAGE_COLOURS = {S3: "#0072b2", S4: "#e69f00", S5: "#d55e00"}
