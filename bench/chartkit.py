"""bench/chartkit.py - what every chart module shares: the registry of
charts, the Sweep a chart function asks for runs, the stage names and the
gnuplot look of each stage. Python 3 standard library only.

A chart is a function registered with @chart(name, stages): it receives a
Sweep, asks it for the points it needs (sweep.point(...) for a run of a
stage's driver, sweep.job(...) for any other lib.Runner job such as a
crash.Crash run), and returns a drawing function that runs after all
points have run. plots.py holds chapters 1 and 2; ch03.py to ch06.py the
later ones, ch07.py stage 7's before and after, ch08.py the closing
comparison. The engines charts (stages 6 and 7 beside the peers `make
peers` builds) share the settings and the grouped-bar drawing below.
"""

import math
import os

import lib

S1 = "stage1-append-log"
S2 = "stage2-hash-index"
S3 = "stage3-sstable"
S4 = "stage4-wal-recovery"
S5 = "stage5-compaction"
S6 = "stage6-bloom-concurrency"
S7 = "stage7-speedups"

# Every sweep point runs these workloads, so one run serves several charts:
# fillseq builds the store, readrandom measures gets, open measures open.
SWEEP = "fillseq,readrandom,open"

CHARTS = []


def chart(name, stages):
    """Registers a chart function needing the drivers of `stages`."""
    def register(fn):
        CHARTS.append((name, stages, fn))
        return fn
    return register


class Sweep:
    """What a chart function sees: the mode and a way to ask for points."""

    def __init__(self, runner, quick):
        self.runner, self.quick = runner, quick
        self.asked = []  # the points the current chart asked for
        self.notes = []  # lines for the current chart's .cmd file

    def note(self, line):
        """A line for the chart's .cmd file, after the commands (e.g. the
        bench/compare.py command that tabulates the same comparison)."""
        self.notes.append(line)

    def point(self, stage, num, reads, benchmarks=SWEEP, extra=()):
        return self.job(lib.Point(stage, num, reads, benchmarks, extra))

    def job(self, job):
        p = self.runner.need(job)
        if p not in self.asked:
            self.asked.append(p)
        return p

    def med(self, point, benchmark, column, nth=0):
        return self.runner.median(point, benchmark, column, nth)

    def latency(self, point, rep=0):
        """The --latency_csv rows of one rep of point."""
        return self.runner.latency(point, rep)


# ---- the sweeps the first two chapters share -----------------------------

def stage1_points(sw):
    """Stage 1: every get scans the whole log (13 MB at 100k entries), so
    its gets are few: at most `budget` records scanned per point."""
    nums = ([1000, 10000, 100000] if sw.quick else
            [1000, 3000, 10000, 30000, 100000, 300000, 1000000])
    budget, most = (5000000, 50) if sw.quick else (20000000, 200)
    return [sw.point(S1, n, max(10, min(n, most, budget // n))) for n in nums]


def stage2_points(sw):
    """Stage 2: a get is one hash lookup and one pread; to 1M entries."""
    nums = ([1000, 10000, 100000] if sw.quick else
            [1000, 3000, 10000, 30000, 100000, 300000, 1000000])
    reads = 2000 if sw.quick else 100000
    return [sw.point(S2, n, min(n, reads)) for n in nums]


MIB = 1048576.0

# Shared gnuplot settings: two panels stacked, log-spaced entries.
PANELS = """set multiplot layout 2,1 title "%s" font ',12'
set xrange [%g:%g]
set offsets 0, 0, graph 0.08, 0
set lmargin 12
set grid
set key top left
set logscale x
set format x '10^{%%L}'
set xlabel 'entries in the store (16-byte keys, 100-byte values)'
"""


def panels(title, points):
    """PANELS for a chart of these points, the x range a little wider."""
    nums = [p.num for p in points]
    return PANELS % (title, min(nums) / 1.5, max(nums) * 1.5)


# One look per stage in every chart, so a reader can follow a stage across
# chapters; WIDE is a pale backdrop line (the size a scan would read).
STYLES = {
    "%(s1)s": "lw 2 pt 7 ps 1.2 lc rgb '#9400d3'",
    "%(s2)s": "lw 2 pt 5 ps 1.2 lc rgb '#009e73'",
    "%(s3)s": "lw 2 pt 9 ps 1.3 lc rgb '#0072b2'",
    "%(s4)s": "lw 2 pt 11 ps 1.3 lc rgb '#e69f00'",
    "%(s3b)s": "lw 2 dt 2 pt 8 ps 1.3 lc rgb '#0072b2'",
    "%(s4b)s": "lw 2 dt 2 pt 10 ps 1.3 lc rgb '#e69f00'",
    "%(s5)s": "lw 2 pt 13 ps 1.3 lc rgb '#d55e00'",
    "%(s5b)s": "lw 2 dt 2 pt 12 ps 1.3 lc rgb '#d55e00'",
    "%(s6)s": "lw 2 pt 15 ps 1.2 lc rgb '#cc79a7'",
    "%(s6b)s": "lw 2 dt 2 pt 14 ps 1.2 lc rgb '#cc79a7'",
    "%(s7)s": "lw 2 pt 7 ps 1.2 lc rgb '#882255'",
    "%(ldb)s": "lw 2 pt 4 ps 1.2 lc rgb '#56b4e9'",
    "%(rdb)s": "lw 2 pt 6 ps 1.2 lc rgb '#333333'",
    "%(sql)s": "lw 2 pt 3 ps 1.2 lc rgb '#999999'",
    "%(cmp)s": "lw 1 lc rgb '#bbbbbb'",
    "%(wide)s": "lw 8 lc rgb '#d0d0d0'",
}


def styled(script):
    for name, style in STYLES.items():
        script = script.replace(name, style)
    return script


def per_get(sw, p, column):
    """A readrandom count per get, from the run's totals."""
    total, ops = sw.med(p, "readrandom", column), sw.med(p, "readrandom", "ops")
    return None if total is None or not ops else total / ops




# ---- engines side by side: stages 6 and 7 and the peers -------------------

# db_bench's six workloads, and the settings every engine runs them with in
# chapters 6 to 8 (the peers also without compression, as the stages).
SIX = ["fillseq", "fillrandom", "overwrite", "readrandom", "readmissing",
       "readseq"]
SAME = ("-o", "bloom_bits=10", "-o", "memtable_bytes=4194304")
SETTINGS = ("compression none, bloom\\\\_bits=10, memtable 4 MiB, "
            "sync=none, one thread")

# Each engine's colour and name in the bar charts.
LOOKS = {S6: "#cc79a7", S7: "#882255", "leveldb": "#56b4e9",
         "rocksdb": "#333333", "sqlite": "#999999"}
NAMES = {S6: S6, S7: S7, "leveldb": "LevelDB", "rocksdb": "RocksDB",
         "sqlite": "SQLite"}


def built_peers():
    """The peers whose drivers `make peers` built."""
    return [p for p in lib.PEERS if lib.stage_built(p)]


def engine_extra(engine):
    """The -o flags of an engine: SAME, and no compression for a peer."""
    return (("-o", "compression=none") + SAME if engine in lib.PEERS
            else SAME)


def engine_points(sw, engines, num, reads, workloads):
    """One point per engine (runs shared between charts), and a note for
    the .cmd file: the compare.py command that tabulates the same runs."""
    pts = [(e, sw.point(e, num, reads, ",".join(workloads), engine_extra(e)))
           for e in engines]
    sw.note("# the same comparison as tables (medians, speed against "
            "LevelDB round by round, peak memory):")
    sw.note("python3 bench/compare.py --engines %s --num %d --reads %d "
            "--rounds %d --benchmarks %s --out build/compare" % (
                ",".join(engines), num, reads, sw.runner.reps,
                ",".join(workloads)))
    return pts


def write_table(path, header, rows):
    """As lib.write_dat, but a string is written bare (gnuplot reads a
    word without spaces as a string column, and 'quoted' ones it does
    not)."""
    with open(path, "w") as f:
        f.write("# " + " ".join(header) + "\n")
        for row in rows:
            f.write(" ".join("NaN" if v is None else v if isinstance(v, str)
                             else repr(v) for v in row) + "\n")


def write_bars(path, labels, series, values):
    """A .dat for grouped bars: one row per label (index, label, then one
    value per series); values[(label, series)], None -> NaN."""
    write_table(path, ["index", "label"] + list(series),
                [[i, label] + [values.get((label, s)) for s in series]
                 for i, label in enumerate(labels)])


def bar_plot(dat, series, base, labels=None, width=0.8):
    """gnuplot plot clauses drawing the columns of write_bars' file as
    bars grouped by row, each from `base` to its value (on a log axis a
    ratio's bar grows up or down from 1), in the series' LOOKS; labels:
    a printf format to print each value above its bar (turned upright
    when there are more than three bars to a group, so they fit)."""
    k = len(series)
    w = width / k
    parts = []
    for j, s in enumerate(series):
        off = (j - (k - 1) / 2.0) * w
        col = j + 3
        parts.append(
            "'%s' using ($1+%g):%d:($1+%g):($1+%g):(%g):%d with boxxyerror "
            "lc rgb '%s' fs solid 0.85 border lt -1 title '%s'" % (
                dat, off, col, off - w / 2, off + w / 2, base, col,
                LOOKS.get(s, "#888888"), NAMES.get(s, s)))
        if labels:  # above a bar that rises from base, below one that falls
            upright = k > 3
            for test, dy, turn in ((">=", "0.55", "rotate by 90 left"),
                                   ("<", "-0.55", "rotate by 90 right")):
                parts.append(
                    "'%s' using ($1+%g):(column(%d) %s %g ? column(%d) : "
                    "NaN):(sprintf('%s', column(%d))) with labels font ',7' "
                    "%s offset 0,%s notitle" % (
                        dat, off, col, test, base, col, labels, col,
                        turn if upright else "", "0.3" if upright and
                        dy[0] != "-" else "-0.3" if upright else dy))
    return ", \\\n     ".join(parts)


def bar_xtics(labels):
    """set xtics/xrange for bars grouped by row at 0, 1, ..."""
    return "set xrange [-0.6:%g]\nset xtics (%s)\n" % (
        len(labels) - 0.4, ", ".join("'%s' %d" % (l.replace("_", "\\_"), i)
                                     for i, l in enumerate(labels)))


# The panels of the engines charts (ch06-vs-leveldb, ch07-speedups,
# ch08-peers*): each writes its .dat and returns its gnuplot lines.

def _us(sw, pts, workloads):
    return {(w, e): sw.med(p, w, "micros_per_op")
            for e, p in pts for w in workloads}


def time_panel(sw, out, dat, pts, workloads, title, key=True):
    """Microseconds per op, a bar per engine per workload, log scale."""
    us = _us(sw, pts, workloads)
    write_bars(os.path.join(out, "data", dat), workloads,
               [e for e, _ in pts], us)
    vals = [v for v in us.values() if v]
    lo, hi = (min(vals), max(vals)) if vals else (0.1, 100)
    base = 10 ** math.floor(math.log10(lo / 1.5))
    top = hi * 4
    tics = [m * 10 ** e for e in range(int(math.log10(base)),
                                       int(math.log10(top)) + 1)
            for m in (1, 2, 5) if base <= m * 10 ** e <= top]
    return (bar_xtics(workloads) + """set logscale y
set format y '%%g'
set yrange [%g:%g]
set ytics (%s)
set ylabel 'microseconds per op (log scale)'
set title '%s'
%s
plot %s
""" % (base, top, ", ".join("'%g' %g" % (t, t) for t in tics), title, "set key tmargin center horizontal" if key
       else "unset key", bar_plot("data/" + dat, [e for e, _ in pts], base,
                                   "%.3g")))


def speed_panel(sw, out, dat, pts, workloads, series, title, key=True):
    """Speed against LevelDB: LevelDB's time / the engine's, a bar per
    engine of `series` per workload growing from 1 (log scale); needs
    LevelDB among pts."""
    us = _us(sw, pts, workloads)
    speed = {(w, e): (None if us[(w, "leveldb")] is None or not us[(w, e)]
                      else us[(w, "leveldb")] / us[(w, e)])
             for w in workloads for e in series}
    write_bars(os.path.join(out, "data", dat), workloads, series, speed)
    vals = [v for v in speed.values() if v]
    lo = min(vals + [0.5]) / 1.6
    hi = max(vals + [2.0]) * 1.6
    tics = [t for t in (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10,
                        20) if lo <= t <= hi]
    return (bar_xtics(workloads) + """set logscale y
set yrange [%g:%g]
set ytics (%s)
set format y '%%g'
set ylabel "LevelDB time / engine time (log)\\nabove 1: faster than LevelDB"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb '#000000' front
set title '%s'
%s
plot %s
unset arrow 1
""" % (lo, hi, ", ".join("'%g' %g" % (t, t) for t in tics), title,
       "set key tmargin center horizontal" if key else "unset key",
       bar_plot("data/" + dat, series, 1, "%.2f")))


def memory_panel(sw, out, dat, pts, last, title):
    """Peak memory per engine: the driver's max_rss_kb after the last
    workload of its run (the whole run's peak), in MiB."""
    rows = []
    for i, (e, p) in enumerate(pts):
        kb = sw.med(p, last, "max_rss_kb")
        rows.append((i, NAMES.get(e, e), None if kb is None else kb / 1024.0,
                     int(LOOKS.get(e, "#888888")[1:], 16)))
    write_table(os.path.join(out, "data", dat),
                ["index", "engine", "peak_rss_mib", "colour"], rows)
    hi = max([r[2] for r in rows if r[2]] or [1])
    return """unset logscale y
unset key
set format y '%%g'
set yrange [0:%g]
set ytics autofreq
set xrange [-0.6:%g]
set xtics ()
set ylabel 'peak memory (max RSS, MiB)'
set title '%s'
plot 'data/%s' using 1:3:(0.6):4:xtic(2) with boxes lc rgb variable fs solid 0.85 border lt -1 notitle, \\
     '' using 1:3:(sprintf('%%.1f', $3)) with labels font ',8' offset 0,0.6 notitle
""" % (hi * 1.2, len(rows) - 0.4, title, dat)
