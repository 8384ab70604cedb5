"""bench/ch03.py - the charts of chapter 3 (stage 3, sorted tables):

    ch03-open-cost     open time and bytes read at open, stage 2 vs 3
    ch03-index-memory  index memory against keys, stage 2 vs 3
    ch03-crash-loss    acknowledged writes a kill -9 loses, against
                       memtable_bytes (stage 3's failure; stage 4 if built)
    ch03-scan          range scan throughput against scan length

Imported by plots.py, which runs them; see chartkit.py for the pieces.
"""

import os

import crash
import lib
from chartkit import (MIB, S2, S3, S4, SWEEP, chart, panels, stage2_points,
                      styled)

# Memtable sizes for the crash chart: 16 KiB to 4 MiB, doubling.
MEMTABLES = [16384 << i for i in range(9)]
MEMTABLES_QUICK = [16384, 131072, 1048576]


def stage3_points(sw):
    """Stage 3 over the sizes of stage2_points: fillseq, then gets, then
    `open` (close untimed, then reopen)."""
    nums = ([1000, 10000, 100000] if sw.quick else
            [1000, 3000, 10000, 30000, 100000, 300000, 1000000])
    reads = 2000 if sw.quick else 20000
    return [sw.point(S3, n, min(n, reads), SWEEP) for n in nums]


def _dat(out, name):
    return os.path.join(out, "data", name + ".dat")


def _later_stages():
    """Stage 4 (and on) when built, for charts that add their lines."""
    return [s for s in (S4,) if lib.stage_built(s)]


@chart("ch03-open-cost", [S2, S3])
def ch03_open_cost(sw):
    p2, p3 = stage2_points(sw), stage3_points(sw)

    def draw(out):
        for tag, pts in (("stage2", p2), ("stage3", p3)):
            rows = []
            for p in pts:
                us = sw.med(p, "open", "micros_per_op")
                rows.append((p.num, None if us is None else us / 1000.0,
                             sw.med(p, "open", "bytes_read"),
                             sw.med(p, "open", "disk_bytes")))
            lib.write_dat(_dat(out, "ch03-open-cost-" + tag),
                          ["entries", "open_ms", "bytes_read",
                           "store_bytes"], rows)
        return lib.draw(out, "ch03-open-cost", styled(panels(
            "Chapter 3: stage 3 opens by reading footers and indexes, "
            "not the data (after fillseq)", p2 + p3) + """
set logscale y
set format y '10^{%L}'
set ylabel 'time to reopen (ms)'
set title 'open: time to reopen the store (the close before it not timed)'
plot 'data/ch03-open-cost-stage2.dat' using 1:2 with linespoints %(s2)s \
     title 'stage2-hash-index', \
     'data/ch03-open-cost-stage3.dat' using 1:2 with linespoints %(s3)s \
     title 'stage3-sstable'
set ylabel 'bytes read by the open'
set title 'open: bytes read (pread) by the open, against the size of the store'
plot 'data/ch03-open-cost-stage2.dat' using 1:4 with lines %(wide)s \
     title 'size of stage 2''s store', \
     'data/ch03-open-cost-stage2.dat' using 1:3 with linespoints %(s2)s \
     title 'stage2-hash-index', \
     'data/ch03-open-cost-stage3.dat' using 1:3 with linespoints %(s3)s \
     title 'stage3-sstable'
unset multiplot
"""))
    return draw


@chart("ch03-index-memory", [S2, S3])
def ch03_index_memory(sw):
    p2, p3 = stage2_points(sw), stage3_points(sw)

    def draw(out):
        for tag, pts in (("stage2", p2), ("stage3", p3)):
            rows = []
            for p in pts:
                ib = sw.med(p, "open", "index_bytes")
                rows.append((p.num, None if ib is None else ib / MIB,
                             None if ib is None else ib / p.num))
            lib.write_dat(_dat(out, "ch03-index-memory-" + tag),
                          ["entries", "index_mb", "index_bytes_per_key"],
                          rows)
        return lib.draw(out, "ch03-index-memory", styled(panels(
            "Chapter 3: a sparse index keeps one key per block in RAM, "
            "not every key", p2 + p3) + """
set logscale y
set format y '10^{%L}'
set ylabel 'index size (MiB, index\\_bytes)'
set title 'index memory after fillseq, close and reopen (stat index\\_bytes)'
plot 'data/ch03-index-memory-stage2.dat' using 1:2 with linespoints %(s2)s \
     title 'stage2-hash-index (every key)', \
     'data/ch03-index-memory-stage3.dat' using 1:2 with linespoints %(s3)s \
     title 'stage3-sstable (one key per block)'
set ylabel 'index bytes per key'
set title 'index bytes per key in the store'
plot 'data/ch03-index-memory-stage2.dat' using 1:3 with linespoints %(s2)s \
     title 'stage2-hash-index', \
     'data/ch03-index-memory-stage3.dat' using 1:3 with linespoints %(s3)s \
     title 'stage3-sstable'
unset multiplot
"""))
    return draw


@chart("ch03-crash-loss", [S3])
def ch03_crash_loss(sw):
    writes = 10000 if sw.quick else 50000
    sizes = MEMTABLES_QUICK if sw.quick else MEMTABLES
    stages = [S3] + _later_stages()
    jobs = {s: [sw.job(crash.Crash(s, writes, m)) for m in sizes]
            for s in stages}

    def draw(out):
        for s in stages:
            rows = []
            for j in jobs[s]:
                lost = sw.med(j, "crash", "lost")
                present = sw.med(j, "crash", "present")
                tables = sw.med(j, "crash", "tables")
                full = present / tables if tables and s == S3 else None
                rows.append((j.memtable_bytes / 1024.0, lost, full))
            lib.write_dat(_dat(out, "ch03-crash-loss-" + s[:6]),
                          ["memtable_kib", "writes_lost",
                           "entries_per_flushed_table"], rows)
        lines = ["'data/ch03-crash-loss-stage3.dat' using 1:3 with lines "
                 "%(wide)s title 'a full memtable (entries per table "
                 "flushed): the most a crash can lose'",
                 "'' using 1:2 with linespoints %(s3)s title "
                 "'stage3-sstable: acknowledged writes lost'"]
        for s in stages[1:]:
            lines.append("'data/ch03-crash-loss-%s.dat' using 1:2 with "
                         "linespoints %%(%s)s title '%s: acknowledged writes "
                         "lost'" % (s[:6], "s" + s[5], s))
        return lib.draw(out, "ch03-crash-loss", styled("""
set title "Chapter 3: kill -9 after %d acknowledged sets loses what the memtable held\\n(kv shell, keys %%016d in order, 100-byte values)" font ',12'
set grid
set key top left
set logscale x 2
set xrange [%g:%g]
set xtics ('16K' 16, '64K' 64, '256K' 256, '1M' 1024, '4M' 4096)
set xlabel 'memtable\\_bytes (KiB)'
set ylabel 'acknowledged writes lost'
set yrange [0:*]
set offsets 0, 0, graph 0.05, 0
plot %s
""" % (writes, sizes[0] / 1024.0 / 1.3, sizes[-1] / 1024.0 * 1.3,
                ", \\\n     ".join(lines))), size=(900, 520))
    return draw


def _scan_points(sw, stage):
    """fillrandom then seekrandom at each scan length; fewer seeks for
    longer scans so every point reads about the same entries."""
    num = 50000 if sw.quick else 1000000
    nexts = [1, 100, 10000] if sw.quick else [1, 10, 100, 1000, 10000]
    budget, most = (100000, 500) if sw.quick else (500000, 2000)
    return [sw.point(stage, num, max(20, min(most, budget // n)),
                     "fillrandom,seekrandom", ("--seek_nexts=%d" % n,))
            for n in nexts]


def _nexts(p):
    return int(p.extra[0].split("=")[1])


@chart("ch03-scan", [S3])
def ch03_scan(sw):
    stages = [S3] + _later_stages()
    pts = {s: _scan_points(sw, s) for s in stages}

    def draw(out):
        for s in stages:
            rows = []
            for p in pts[s]:
                entries = sw.med(p, "seekrandom", "entries")
                ops = sw.med(p, "seekrandom", "ops")
                us = sw.med(p, "seekrandom", "micros_per_op")
                per_s = (entries / (ops * us / 1e6)
                         if entries is not None and ops and us else None)
                rows.append((_nexts(p), per_s,
                             sw.med(p, "seekrandom", "mb_per_sec"), us))
            lib.write_dat(_dat(out, "ch03-scan-" + s[:6]),
                          ["seek_nexts", "entries_per_sec", "mb_per_sec",
                           "micros_per_seek"], rows)
        num = pts[S3][0].num
        plot1 = ", ".join("'data/ch03-scan-%s.dat' using 1:2 with linespoints"
                          " %%(s%s)s title '%s'" % (s[:6], s[5], s)
                          for s in stages)
        plot2 = plot1.replace("1:2", "1:3")
        return lib.draw(out, "ch03-scan", styled("""
set multiplot layout 2,1 title "Chapter 3: range scans, seek then next (seekrandom after fillrandom of %d)" font ',12'
set grid
set key top left
set lmargin 12
set logscale x
set xrange [0.6:16000]
set format x '10^{%%L}'
set xlabel 'scan length: entries read after each seek (--seek\\_nexts)'
set logscale y
set format y '10^{%%L}'
set ylabel 'entries read per second'
set title 'scan throughput in entries per second (each op: seek to a random key, then next)'
plot %s
unset logscale y
set format y '%%g'
set yrange [0:*]
set ylabel 'MB/s (keys + values read)'
set title 'scan throughput in MB/s'
plot %s
unset multiplot
""" % (num, plot1, plot2)))
    return draw
