#!/usr/bin/env python3
"""bench/plots.py - runs the benchmark sweeps and draws the course's charts.

    python3 bench/plots.py [--quick] [--out DIR] [--skip CHART]... [CHART...]

(`make plots` runs it with --out build/plots; `make plots QUICK=1` adds
--quick.) For every chart whose stages are built it runs the stages' drivers
(build/<stage>/bench) over a range of store sizes, then draws DIR/<chart>.png
with gnuplot. Beside the charts:

    DIR/machine.txt        the machine, the file system and the date
    DIR/data/<stage>.csv   every row the drivers wrote (bench.c's columns)
    DIR/data/<stage>.txt   the drivers' own reports, db_bench style
    DIR/data/<chart>.dat   the numbers plotted (medians of the reps)
    DIR/data/<chart>.gp    the gnuplot script (run in DIR)
    DIR/data/<chart>.cmd   the commands that made the chart

Each point runs 3 times and the median is plotted (once with --quick, which
also shrinks every sweep so the whole thing takes well under two minutes).

A chart is a function registered with @chart(name, stages) (chartkit.py):
it receives a Sweep, asks it for the points it needs (sweep.point(...) for
a driver run, sweep.job(...) for a crash.py run), and returns a drawing
function that runs after all points have run. Chapters 1 and 2 are here,
chapter 3 in ch03.py, chapter 4 in ch04.py, chapter 5 in ch05.py, chapter
6 in ch06.py (ending on ch06-vs-leveldb: stage 6 against LevelDB), chapter
7 in ch07.py (ch07-speedups: stage 6 and stage 7 against LevelDB, RocksDB
and SQLite) and the closing comparison in ch08.py (ch08-peers at 1,000,000
entries, ch08-peers-10m at 10,000,000, with each engine's peak memory).
The peers are those `make peers` built; without them these charts draw
the stages alone. To add a chart for a later stage, write one more such
function; runs shared by several charts (same stage, num, reads,
benchmarks and flags) are made once, and with 3 reps every point runs
once before any runs again, so engines side by side take turns.
`python3 bench/plots.py --list` names every chart and the stages it needs.
For tables of the same engine comparisons (medians, ratios round by
round, peak memory), see bench/compare.py.

    DIR/data/crash.csv     every row of the kill -9 runs (crash.py COLUMNS)
"""

import argparse
import os
import sys

import lib

from chartkit import (CHARTS, MIB, S1, S2, Sweep, chart, panels, per_get,
                      stage1_points, stage2_points, styled)


@chart("ch01-get-scan", [S1])
def ch01_get_scan(sw):
    pts = stage1_points(sw)

    def draw(out):
        rows = [(p.num, sw.med(p, "readrandom", "micros_per_op"),
                 per_get(sw, p, "bytes_read"), sw.med(p, "fillseq",
                 "disk_bytes")) for p in pts]
        lib.write_dat(os.path.join(out, "data", "ch01-get-scan.dat"),
                      ["entries", "micros_per_get", "bytes_read_per_get",
                       "log_bytes"], rows)
        return lib.draw(out, "ch01-get-scan", styled(panels(
            "Chapter 1: every get in stage 1 scans the whole log", pts) + """
set logscale y
set format y '10^{%L}'
set ylabel 'time per get (microseconds)'
set title 'readrandom: time per get'
plot 'data/ch01-get-scan.dat' using 1:2 with linespoints %(s1)s \
     title 'stage1-append-log'
set ylabel 'bytes read per get'
set title 'readrandom: bytes read (pread) per get, against the size of the log'
plot 'data/ch01-get-scan.dat' using 1:4 with lines %(wide)s \
     title 'size of the log', \
     '' using 1:3 with linespoints %(s1)s \
     title 'stage1-append-log: bytes read per get'
unset multiplot
"""))
    return draw


@chart("ch02-get-fix", [S1, S2])
def ch02_get_fix(sw):
    p1, p2 = stage1_points(sw), stage2_points(sw)

    def draw(out):
        for stage, pts in ((S1, p1), (S2, p2)):
            lib.write_dat(os.path.join(out, "data", "ch02-get-fix-%s.dat"
                                       % stage[:6]),
                          ["entries", "micros_per_get", "bytes_read_per_get"],
                          [(p.num, sw.med(p, "readrandom", "micros_per_op"),
                            per_get(sw, p, "bytes_read")) for p in pts])
        return lib.draw(out, "ch02-get-fix", styled(panels(
            "Chapter 2: the hash index turns a scan into one pread",
            p1 + p2) + """
set logscale y
set format y '10^{%L}'
set ylabel 'time per get (microseconds)'
set title 'readrandom: time per get'
plot 'data/ch02-get-fix-stage1.dat' using 1:2 with linespoints %(s1)s \
     title 'stage1-append-log (scan)', \
     'data/ch02-get-fix-stage2.dat' using 1:2 with linespoints %(s2)s \
     title 'stage2-hash-index (lookup + pread)'
set ylabel 'bytes read per get'
set title 'readrandom: bytes read (pread) per get'
plot 'data/ch02-get-fix-stage1.dat' using 1:3 with linespoints %(s1)s \
     title 'stage1-append-log', \
     'data/ch02-get-fix-stage2.dat' using 1:3 with linespoints %(s2)s \
     title 'stage2-hash-index'
unset multiplot
"""))
    return draw


@chart("ch02-open-cost", [S1, S2])
def ch02_open_cost(sw):
    p1, p2 = stage1_points(sw), stage2_points(sw)

    def draw(out):
        for stage, pts in ((S1, p1), (S2, p2)):
            rows = []
            for p in pts:
                us = sw.med(p, "open", "micros_per_op")
                read = sw.med(p, "open", "bytes_read")
                disk = sw.med(p, "open", "disk_bytes")
                rows.append((p.num, None if us is None else us / 1000.0,
                             read, disk))
            lib.write_dat(os.path.join(out, "data", "ch02-open-cost-%s.dat"
                                       % stage[:6]),
                          ["entries", "open_ms", "bytes_read", "store_bytes"],
                          rows)
        return lib.draw(out, "ch02-open-cost", styled(panels(
            "Chapter 2: stage 2 pays at open, rebuilding its index from the "
            "whole log", p1 + p2) + """
set logscale y
set format y '10^{%L}'
set ylabel 'time to reopen (ms)'
set title 'open: time to reopen the store (the close before it not timed)'
plot 'data/ch02-open-cost-stage1.dat' using 1:2 with linespoints %(s1)s \
     title 'stage1-append-log', \
     'data/ch02-open-cost-stage2.dat' using 1:2 with linespoints %(s2)s \
     title 'stage2-hash-index'
set ylabel 'bytes read by the open'
set title 'open: bytes read (pread) by the open; stage 2 reads the whole log'
plot 'data/ch02-open-cost-stage2.dat' using 1:4 with lines %(wide)s \
     title 'size of the store', \
     'data/ch02-open-cost-stage1.dat' using 1:3 with linespoints %(s1)s \
     title 'stage1-append-log', \
     'data/ch02-open-cost-stage2.dat' using 1:3 with linespoints %(s2)s \
     title 'stage2-hash-index'
unset multiplot
"""))
    return draw


@chart("ch02-index-memory", [S2])
def ch02_index_memory(sw):
    pts = stage2_points(sw)

    def draw(out):
        rows = []
        for p in pts:
            ib = sw.med(p, "fillseq", "index_bytes")
            rows.append((p.num, None if ib is None else ib / MIB,
                         None if ib is None else ib / p.num))
        lib.write_dat(os.path.join(out, "data", "ch02-index-memory.dat"),
                      ["entries", "index_mb", "index_bytes_per_key"], rows)
        return lib.draw(out, "ch02-index-memory", styled(panels(
            "Chapter 2: every key of stage 2 lives in RAM", pts) + """
set logscale y
set format y '10^{%L}'
set ylabel 'index size (MiB, index\\_bytes)'
set title 'the in-memory index grows with the number of keys'
plot 'data/ch02-index-memory.dat' using 1:2 with linespoints %(s2)s \
     title 'stage2-hash-index'
unset logscale y
set format y '%g'
set yrange [0:*]
set ylabel 'index bytes per key'
set title 'index bytes per key (the key itself is 16 bytes)'
plot 'data/ch02-index-memory.dat' using 1:3 with linespoints %(s2)s \
     title 'stage2-hash-index'
unset multiplot
"""))
    return draw


# The later chapters' charts register themselves on import, after these.
import ch03  # noqa: E402,F401
import ch04  # noqa: E402,F401
import ch05  # noqa: E402,F401
import ch06  # noqa: E402,F401
import ch07  # noqa: E402,F401
import ch08  # noqa: E402,F401


# ---- main -------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description="Run the benchmark sweeps and "
                                 "draw the charts.")
    ap.add_argument("--quick", action="store_true",
                    help="small sweeps, one run per point (for CI)")
    ap.add_argument("--out", default="build/plots",
                    help="where the charts go (default build/plots)")
    ap.add_argument("--list", action="store_true",
                    help="name every chart and the stages it needs, then "
                    "stop")
    ap.add_argument("--skip", action="append", default=[], metavar="CHART",
                    help="leave this chart out (repeatable), e.g. --skip "
                    "ch08-peers-10m, the longest run")
    ap.add_argument("--from-compare", action="append", default=[],
                    metavar="DIR",
                    help="run nothing: draw from the runs bench/compare.py "
                    "wrote in DIR (repeatable), for the charts whose points "
                    "it ran (ch06-vs-leveldb, ch07-speedups, ch08-peers, "
                    "ch08-peers-10m)")
    ap.add_argument("charts", nargs="*",
                    help="only these charts (default: all that can run; "
                    "--list names them)")
    args = ap.parse_args()
    if args.list:
        for name, stages, _ in CHARTS:
            print("%-26s %s" % (name, " ".join(stages)))
        return 0

    unknown = set(args.charts + args.skip) - {name for name, _, _ in CHARTS}
    if unknown:
        ap.error("unknown chart %s (known: %s)" % (", ".join(sorted(unknown)),
                 " ".join(name for name, _, _ in CHARTS)))
    out = os.path.abspath(args.out)
    runner = lib.Runner(out, reps=1 if args.quick else 3)
    sw = Sweep(runner, args.quick)
    drawers = []
    for name, stages, fn in CHARTS:
        if (args.charts and name not in args.charts) or name in args.skip:
            continue
        missing = [s for s in stages if not lib.stage_built(s)]
        if missing:
            print("skipping %s.png: needs %s (not built)" %
                  (name, ", ".join(lib.bench_path(s) for s in missing)))
            continue
        sw.asked, sw.notes = [], []
        drawers.append((name, fn(sw), sw.asked, sw.notes))
    if not drawers:
        print("plots: no chart can run (build the stages first: make)")
        return 0

    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    if not args.from_compare:  # else the runs' folders hold theirs
        lib.machine_txt(out)
    if args.from_compare:
        missing = runner.load_compare(args.from_compare)
        if missing:
            raise SystemExit("plots: no rows in %s for %s" % (
                ", ".join(args.from_compare),
                "; ".join(p.label() for p in missing)))
    else:
        runner.run_all()
    for name, draw, points, notes in drawers:
        gp_cmd = draw(out)
        write_cmd(out, name, args, runner, points, notes, gp_cmd)
        print("wrote %s" % lib.shown_path(os.path.join(out, name + ".png")))
    return 0


def write_cmd(out, name, args, runner, points, notes, gp_cmd):
    """DIR/data/<chart>.cmd: how to make the chart again, by hand. Its
    first command is the plots.py command line as given (the charts named,
    if any); then every driver command the chart's points ran, in the
    order they ran, each from the repository root with $DB a fresh
    scratch store; then the chart's notes (such as the bench/compare.py
    command that tabulates the same runs); then the gnuplot command."""
    cmd = ["python3", "bench/plots.py"] + (["--quick"] if args.quick else [])
    cmd += ["--out", lib.shown_path(out)]
    cmd += ["--skip=" + c for c in args.skip] + list(args.charts)
    cmd += ["--from-compare=" + lib.shown_path(os.path.abspath(d))
            for d in args.from_compare]
    lines = ["# %s.png was made by:" % name, " ".join(cmd), "",
             "# which ran, from the repository root, each %d time(s), with "
             "DB a scratch directory under $TMPDIR or /tmp:" % runner.reps]
    if args.from_compare:
        lines[-1] = ("# running nothing: it drew the runs of bench/compare.py "
                     "whose commands (each engine in turn, every round) and "
                     "every row are in %s." % ", ".join(
                         lib.shown_path(os.path.abspath(d))
                         for d in args.from_compare))
        lines += ["", "# and drew the chart with:", gp_cmd]
        with open(os.path.join(out, "data", name + ".cmd"), "w") as f:
            f.write("\n".join(lines) + "\n")
        return
    if runner.reps > 1:
        lines[-1] = lines[-1][:-1] + (
            "; in turns (every point of the run once, then every point "
            "again), so engines side by side share the machine's state:")
    lines += [runner.command(p) for p in points]
    if notes:
        lines += [""] + list(notes)
    lines += ["", "# and drew the chart with:", gp_cmd]
    with open(os.path.join(out, "data", name + ".cmd"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
