"""bench/ch05.py - the charts of chapter 5 (stage 5, leveled compaction),
stage 4 against stage 5:

    ch05-space       bytes on disk (and tables) as overwrite rounds go on
    ch05-read-amp    preads and time per get as overwrite rounds go on
    ch05-write-amp   write amplification over a long fillrandom, sampled in
                     steps of --writes puts in one process
    ch05-latency     stage 5's failure: put and get latency per second
                     during readwhilewriting, compactions marked; preads per
                     missing-key get

The rounds (fillrandom, then overwrite rounds, each followed by readrandom
and readmissing) are ch04-pileup's run, so stage 4's is shared with it.
Imported by plots.py, which runs them; see chartkit.py for the pieces.
"""

import math
import os

import lib
from chartkit import MB, S4, S5, chart, styled

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
    """Per round: puts so far, MB put, MB on disk, tables, preads per get,
    micros per get, preads per missing get, micros per missing get, MB of
    live data (the distinct keys expected after that many random puts)."""
    num, rounds, _ = rounds_setup(sw)
    rows = []
    for r in range(rounds + 1):
        puts = (r + 1) * num
        ops = sw.med(p, "readrandom", "ops", r)
        mops = sw.med(p, "readmissing", "ops", r)
        live = num * (1 - math.exp(-(r + 1))) * KV / MB
        rows.append((puts, puts * KV / MB,
                     _div(sw.med(p, "readrandom", "disk_bytes", r), MB),
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
set xlabel 'MB put so far (16-byte keys + 100-byte values)'
set ylabel 'MB on disk'
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
set xlabel 'MB put so far (16-byte keys + 100-byte values)'
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
            out.append(((i + 1) * step, put / MB, written / put,
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
set xlabel 'MB put so far (16-byte keys + 100-byte values)'
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
set xlabel 'MB put so far (ch05-space''s rounds)'
set ylabel 'I/O reads (pread) per get'
set title 'readmissing after each round: preads per get of a key that is not there (log scale)'
plot 'data/ch05-latency-stage4.dat' using 2:7 with linespoints %(s4)s \\
     title 'stage4-wal-recovery (every table)', \\
     'data/ch05-latency-stage5.dat' using 2:7 with linespoints %(s5)s \\
     title 'stage5-compaction (L0 tables + one per level)'
unset multiplot
"""), size=(900, 760))
    return draw
