"""Chapter 4's figures (docs/04-wal-recovery.md): the functions that make its
fenced tables and its sentences quoting a measured figure, registered into
kit.TABLES and, by @prose, kit.PHRASES (tools/check_figures.py checks them
against the text)."""

import csv
import os
import re
import statistics

from . import kit
from .kit import (ROOT, Run, S4, TABLES, at, board, dat, human_bytes, op_time,
                  prose, sig3, table, us, versus_rows)


# --- chapter 4's tables (docs/04-wal-recovery.md) ---


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


TABLES["ch04-measured"] = (ch04_measured, "ch04-measured")
TABLES["ch04-pileup"] = (ch04_pileup, "ch04-pileup.dat")


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
    path = os.path.join(kit.DATA, "ch04-sync-cost.dat")
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
    path = os.path.join(kit.DATA, "crash.csv")
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
