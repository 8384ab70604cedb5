"""bench/ch04.py - the charts of chapter 4 (stage 4, a write-ahead log):

    ch04-crash-loss  acknowledged writes a kill -9 loses against writes
                     since the last flush, stage 3 vs 4
    ch04-sync-cost   put throughput and syncs per put, sync=none vs always
    ch04-recovery    recovery time and bytes read at open against log size
    ch04-pileup      stage 4's failure: tables, bytes on disk and reads per
                     get as overwrites go on

Imported by plots.py, which runs them; see chartkit.py for the pieces.
"""

import os

import crash
import lib
from chartkit import MIB, S3, S4, chart, styled

BIG_MEMTABLE = 1 << 30  # nothing flushes: every write is "since the flush"


def _dat(out, name):
    return os.path.join(out, "data", name + ".dat")


def _writes(sw, most):
    w = [100, 1000, 10000] if sw.quick else \
        [100, 300, 1000, 3000, 10000, 30000, 100000, 300000]
    return [n for n in w if n <= most]


@chart("ch04-crash-loss", [S3, S4])
def ch04_crash_loss(sw):
    ws = _writes(sw, 100000)
    jobs = {s: [sw.job(crash.Crash(s, w, BIG_MEMTABLE)) for w in ws]
            for s in (S3, S4)}

    def draw(out):
        for s in (S3, S4):
            rows = []
            for j in jobs[s]:
                lost = sw.med(j, "crash", "lost")
                acked = sw.med(j, "crash", "acked")
                rows.append((j.writes, lost, None if lost is None else
                             100.0 * lost / acked))
            lib.write_dat(_dat(out, "ch04-crash-loss-" + s[:6]),
                          ["writes_since_flush", "writes_lost",
                           "percent_lost"], rows)
        return lib.draw(out, "ch04-crash-loss", styled("""
set title "Chapter 4: with a write-ahead log, kill -9 loses no acknowledged write\\n(kv shell with memtable\\\\_bytes=1 GiB, so nothing is flushed; then kill -9 and reopen)" font ',12'
set grid
set key center right
set logscale x
set format x '10^{%%L}'
set xrange [%g:%g]
set xlabel 'acknowledged writes since the last flush (sets sent through kv shell)'
set ylabel 'acknowledged writes lost (%% of those sent)'
set yrange [-5:105]
plot 'data/ch04-crash-loss-stage3.dat' using 1:3 with linespoints %%(s3)s \
     title 'stage3-sstable (memtable only: all lost)', \
     'data/ch04-crash-loss-stage4.dat' using 1:3 with linespoints %%(s4)s \
     title 'stage4-wal-recovery (log replayed at open)'
""" % (ws[0] / 1.5, ws[-1] * 1.5)), size=(900, 520))
    return draw


@chart("ch04-sync-cost", [S4])
def ch04_sync_cost(sw):
    n_none, n_sync = (20000, 200) if sw.quick else (200000, 1000)
    runs = [
        ("fillrandom, sync=none", "fillrandom",
         sw.point(S4, n_none, n_none, "fillrandom")),
        ("fillsync (sync=always)", "fillsync",
         sw.point(S4, n_sync * 1000, n_sync, "fillsync")),
        ("fillrandom -o sync=always", "fillrandom",
         sw.point(S4, n_sync, n_sync, "fillrandom", ("-o", "sync=always"))),
    ]

    def draw(out):
        with open(_dat(out, "ch04-sync-cost"), "w") as f:
            f.write("# run ops_per_sec syncs_per_put micros_per_put puts\n")
            for label, bench, p in runs:
                ops = sw.med(p, bench, "ops")
                syncs = sw.med(p, bench, "syncs")
                f.write('"%s" %s %s %s %s\n' % (
                    label, sw.med(p, bench, "ops_per_sec"),
                    None if syncs is None else syncs / ops,
                    sw.med(p, bench, "micros_per_op"), ops))
        return lib.draw(out, "ch04-sync-cost", styled("""
set multiplot layout 2,1 title "Chapter 4: the price of durability on this machine's disk (see machine.txt)" font ',12'
set grid y
set lmargin 12
set style fill solid 0.6 border -1
set boxwidth 0.5
set xrange [-0.6:2.6]
unset key
set logscale y
set format y '10^{%L}'
set ylabel 'puts per second'
set offsets 0, 0, graph 0.12, 0
set title 'put throughput (stage4-wal-recovery, 16-byte keys, 100-byte values)'
plot 'data/ch04-sync-cost.dat' using 0:2:xtic(1) with boxes lc rgb '#e69f00', \
     '' using 0:2:(sprintf('%.0f/s', $2)) with labels offset 0,0.8
unset logscale y
set format y '%g'
set yrange [0:1.25]
set ylabel 'syncs per put'
set title 'syncs per put (the I/O layer''s count of fsync/fdatasync)'
plot 'data/ch04-sync-cost.dat' using 0:3:xtic(1) with boxes lc rgb '#e69f00', \
     '' using 0:3:(sprintf('%.2f', $3)) with labels offset 0,0.8
unset multiplot
"""))
    return draw


@chart("ch04-recovery", [S4])
def ch04_recovery(sw):
    jobs = [sw.job(crash.Crash(S4, w, BIG_MEMTABLE))
            for w in _writes(sw, 300000)]

    def draw(out):
        rows = []
        for j in jobs:
            disk = sw.med(j, "crash", "disk_bytes")
            read = sw.med(j, "crash", "open_bytes_read")
            rows.append((j.writes, disk / MIB, sw.med(j, "crash", "open_ms"),
                         None if read is None else read / MIB,
                         sw.med(j, "crash", "again_ms"),
                         sw.med(j, "crash", "open_syncs")))
        lib.write_dat(_dat(out, "ch04-recovery"),
                      ["writes", "log_mb", "open_ms", "open_mb_read",
                       "again_ms", "open_syncs"], rows)
        lo, hi = rows[0][1], rows[-1][1]
        return lib.draw(out, "ch04-recovery", styled("""
set multiplot layout 2,1 title "Chapter 4: recovery replays the whole log (kill -9 with nothing flushed, then reopen)" font ',12'
set grid
set key top left
set lmargin 12
set logscale x
set xrange [%g:%g]
set format x '%%g'
set xlabel 'log size at the crash (MiB on disk; 100-byte values)'
set logscale y
set format y '%%g'
set ylabel 'ms'
set title 'wall time of `kv -d DIR stats` (process start, open, close)'
plot 'data/ch04-recovery.dat' using 2:3 with linespoints %%(s4)s \
     title 'stage4-wal-recovery: first open after the crash (replays the log)', \
     '' using 2:5 with linespoints %%(s4b)s \
     title 'stage4-wal-recovery: the same command again (nothing to replay)'
set ylabel 'MiB read by the open'
set title 'bytes read (pread) by the open'
plot 'data/ch04-recovery.dat' using 2:2 with lines %%(wide)s \
     title 'size of the log', \
     '' using 2:4 with linespoints %%(s4)s title 'stage4-wal-recovery'
unset multiplot
""" % (lo / 1.5, hi * 1.5)))
    return draw


@chart("ch04-pileup", [S4])
def ch04_pileup(sw):
    num, rounds, reads = (20000, 4, 500) if sw.quick else (100000, 10, 1000)
    marks = ("fillrandom,readrandom,readmissing" +
             ",overwrite,readrandom,readmissing" * rounds)
    p = sw.point(S4, num, reads, marks, ("-o", "memtable_bytes=262144"))

    def draw(out):
        rows = []
        for r in range(rounds + 1):
            reads_ = sw.med(p, "readrandom", "reads", r)
            ops = sw.med(p, "readrandom", "ops", r)
            disk = sw.med(p, "readrandom", "disk_bytes", r)
            miss = sw.med(p, "readmissing", "reads", r)
            rows.append(((r + 1) * num, sw.med(p, "readrandom", "tables", r),
                         None if disk is None else disk / MIB,
                         None if reads_ is None else reads_ / ops,
                         sw.med(p, "readrandom", "micros_per_op", r),
                         None if miss is None else miss / ops,
                         sw.med(p, "readmissing", "micros_per_op", r)))
        lib.write_dat(_dat(out, "ch04-pileup"),
                      ["writes", "tables", "disk_mb", "reads_per_get",
                       "micros_per_get", "reads_per_missing_get",
                       "micros_per_missing_get"], rows)
        # Both grow in step (a table is a memtable's worth of bytes), so the
        # right axis is stretched to twice its data: the two lines part.
        mb = max([r[2] for r in rows if r[2] is not None] or [1.0])
        tables = max([r[1] for r in rows if r[1] is not None] or [1.0])
        return lib.draw(out, "ch04-pileup", styled("""
set multiplot layout 2,1 title "Chapter 4: without compaction, tables pile up and gets slow down\\n(stage 4: rounds of %d random overwrites over %d keys, memtable\\\\_bytes=262144)" font ',12'
set grid
set key top left
set lmargin 12
set rmargin 12
set xrange [0:%g]
set xlabel 'puts so far (fillrandom, then overwrite rounds)'
set ylabel 'tables on disk'
set y2label 'MiB on disk'
set ytics nomirror
set y2tics
set yrange [0:%g]
set y2range [0:%g]
set title 'tables and MiB on disk after each round (the live data stays %d keys; about %.2f MiB a table)'
plot 'data/ch04-pileup.dat' using 1:2 with linespoints %%(s4)s \
     title 'tables (left)', \
     '' using 1:3 axes x1y2 with linespoints %%(s4b)s title 'MiB on disk (right)'
unset y2tics
unset y2label
set ytics mirror
set ylabel 'I/O reads (pread) per get'
unset y2label
set title 'after each round: preads per get, for keys that are there and keys that are not'
plot 'data/ch04-pileup.dat' using 1:6 with linespoints %%(s4)s \
     title 'readmissing: a missing key reads every table', \
     '' using 1:4 with linespoints %%(s4b)s \
     title 'readrandom: keys found (most in the newest rounds'' tables)'
unset multiplot
""" % (num, num, (rounds + 1) * num * 1.05, tables * 1.1, mb * 2.2, num,
       mb / tables)))
    return draw
