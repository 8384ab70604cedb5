"""bench/chartkit.py - what every chart module shares: the registry of
charts, the Sweep a chart function asks for runs, the stage names and the
gnuplot look of each stage. Python 3 standard library only.

A chart is a function registered with @chart(name, stages): it receives a
Sweep, asks it for the points it needs (sweep.point(...) for a run of a
stage's driver, sweep.job(...) for any other lib.Runner job such as a
crash.Crash run), and returns a drawing function that runs after all
points have run. plots.py holds chapters 1 and 2; ch03.py to ch06.py the
later ones (ch06.py also draws the closing chart, ch07-peers).
"""

import lib

S1 = "stage1-append-log"
S2 = "stage2-hash-index"
S3 = "stage3-sstable"
S4 = "stage4-wal-recovery"
S5 = "stage5-compaction"
S6 = "stage6-bloom-concurrency"

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


MB = 1048576.0

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


