"""Chapter 6's figures (docs/06-bloom-concurrency.md): the functions that make
its fenced tables and its sentences quoting a measured figure, registered into
kit.TABLES and, by @prose, kit.PHRASES (tools/check_figures.py checks them
against the text)."""

import csv
import math
import os
import re
import statistics

from . import kit
from .kit import (LDB, Run, S5, S6, SIX, TABLES, at, board, dat,
                  distinct_keys, name, per_op,
                  prose, ratio_rounds, sep, sig3, table, us, versus_rows)


# --- chapter 6's tables (docs/06-bloom-concurrency.md) ---


def ch06_vs_leveldb():
    run = Run("peers-1m")
    rows = []
    for w in SIX:
        m, rounds = ratio_rounds(run, LDB, S6, w)
        rows.append("| %s | %s | %s | **%.2f** (%s) |" % (
            name(w), us(run.med(S6, w)), us(run.med(LDB, w)), m, rounds))
    return table("| 1,000,000 entries, µs/op | stage 6 | LevelDB | "
                 "LevelDB / stage 6 (rounds) |", rows)


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


def ch06_readers():
    """Chapter 6's readers in parallel: gets per second of wall time with
    the reads in 1 and 2 threads on the same reopened store (compare.py
    --threads 1,2), from ch06-measured/."""
    run = Run("ch06-measured")
    rows = []
    for w in ["readrandom", "readmissing"]:
        cells = []
        for e in ["stage5-compaction", "stage6-bloom-concurrency"]:
            one = run.med(e, w, "ops_per_sec")
            two = run.med(e, w, "ops_per_sec", threads=2)
            cells += ["{:,.0f}".format(one),
                      "{:,.0f} ({:.2f}x)".format(two, two / one)]
        rows.append("| %s | %s |" % (w, " | ".join(cells)))
    return table("| workload | stage 5, 1 thread | 2 threads | stage 6, 1 "
                 "thread | 2 threads |", rows)


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


TABLES["ch06-measured"] = (ch06_measured, "ch06-measured")
TABLES["ch06-readers"] = (ch06_readers, "ch06-measured")
TABLES["ch06-bloom-fp"] = (ch06_bloom_fp, "ch06-bloom-fp.dat")
TABLES["ch06-vs-leveldb"] = (ch06_vs_leveldb, "peers-1m")


# --- chapter 6's sentences (docs/06-bloom-concurrency.md) ---


CH06 = "06-bloom-concurrency"


def ch06_fp_keys():
    """The number of keys fp_rate was run with, from the chart's .cmd
    (the .dat holds only the rates)."""
    path = os.path.join(kit.DATA, "ch06-bloom-fp.cmd")
    if not os.path.exists(path):
        raise LookupError("ch06-bloom-fp.cmd: no such file")
    with open(path) as f:
        m = re.search(r"fp_rate --keys=([0-9]+)", f.read())
    if not m:
        raise LookupError("ch06-bloom-fp.cmd: no fp_rate --keys=")
    return int(m.group(1))


@prose(CH06, "ch06-bloom-fp.dat",
       "At 10 bits per key, {} of {} absent keys got through where the "
       "formula says {}, a little over one standard deviation ({} keys) "
       "off; at 20 bits it is {} keys against {}.")
def ch06_fp_counts():
    """Rates times the keys asked; the deviation is the binomial's,
    sqrt(n f (1 - f)), at the theory's f."""
    rows, n = dat("ch06-bloom-fp"), ch06_fp_keys()
    ten, twenty = at(rows, "bits_per_key", 10), at(rows, "bits_per_key", 20)
    keys = lambda r, col: "{:,.0f}".format(r[col] * n)
    f = ten["theory"]
    return (keys(ten, "measured"), "{:,}".format(n), keys(ten, "theory"),
            "%.0f" % math.sqrt(n * f * (1 - f)), keys(twenty, "measured"),
            keys(twenty, "theory"))


@prose(CH06, "ch06-bloom-fp.dat",
       "by about a third: {}% at 10 bits.")
def ch06_fp_key_idea():
    return "%.1f" % (at(dat("ch06-bloom-fp"), "bits_per_key", 10)
                     ["measured"] * 100)


def ch06_layout():
    """Bytes per part of the table drawn in ch06-table-layout, and the
    number of data blocks."""
    size = {}
    blocks = 0
    path = os.path.join(kit.DATA, "ch06-table-layout.dat")
    if not os.path.exists(path):
        raise LookupError("ch06-table-layout.dat: no such file")
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) != 4 or line.startswith("#"):
                continue
            part = p[3].strip("'")
            size[part] = size.get(part, 0) + int(p[1]) - int(p[0])
            blocks += part == "block"
    for part in ("block", "filter", "index", "footer"):
        if part not in size:
            raise LookupError("ch06-table-layout.dat: no %s" % part)
    return size, blocks


@prose(CH06, "ch06-table-layout.dat",
       "one stage 6 table to scale: {} data blocks are {}% of the file; the "
       "filter, the index and the footer share the last {}%")
def ch06_layout_caption():
    size, blocks = ch06_layout()
    data = 100.0 * size["block"] / sum(size.values())
    return "%d" % blocks, "%.1f" % data, "%.1f" % (100 - data)


@prose(CH06, "ch06-table-layout.dat",
       "The filter, at 10 bits a key, is {} times the index, and both "
       "together are about {}% of the file")
def ch06_layout_filter():
    size, _ = ch06_layout()
    return ("%.0f" % (size["filter"] / size["index"]),
            "%.1f" % (100.0 * (size["filter"] + size["index"]) /
                      sum(size.values())))


# chapter 6's views: ch06-views/run.sh, "before" (a view copies the
# version) and "after" (views share it), files PREFIX.WHO.open.csv,
# PREFIX.WHO.rww.csv and PREFIX.WHO.rww.ROUND.txt.

def ch06_views_slowest(prefix, who):
    """The slowest get of readwhilewriting in each round, in ms: the
    histogram's Max in the round's output."""
    out = []
    for k in (1, 2, 3):
        name = "ch06-views/%s.%s.rww.%d.txt" % (prefix, who, k)
        path = os.path.join(kit.DATA, name)
        if not os.path.exists(path):
            raise LookupError("%s: no such file" % name)
        with open(path) as f:
            m = re.search(r"Median: \S+ +Max: ([0-9.]+)", f.read())
        if not m:
            raise LookupError("%s: no histogram Max" % name)
        out.append(float(m.group(1)) / 1000)
    return out


def ch06_views_ms(x):
    return "%.2f" % x if x < 1 else "%.1f" % x


def ch06_views_tables(prefix):
    run = Run("ch06-views")
    n = {r["tables"] for who in ("before", "after")
         for r in run.engine("%s.%s.open" % (prefix, who))}
    if len(n) != 1:
        raise ValueError("ch06-views/%s: tables differ: %s" % (prefix, n))
    return int(n.pop())


def ch06_views():
    """The table of ch06-views.md: medians of the 3 rounds, each round
    in brackets for the slowest get, and for open at thousands of
    tables."""
    run = Run("ch06-views")
    rows = []
    for prefix in ("6-100", "6-5800", "7-100", "7-5800"):
        tables = ch06_views_tables(prefix)
        for who, label in (("before", "copy"), ("after", "share")):
            o, w = "%s.%s.open" % (prefix, who), "%s.%s.rww" % (prefix, who)
            opens = [x / 1000 for x in run.rounds(o, "open")]
            cell = "%.1f" % statistics.median(opens)
            if tables >= 1000:
                cell += " (%s)" % " ".join("%.1f" % x for x in opens)
            slow = ch06_views_slowest(prefix, who)
            first = "%s, %s" % (prefix.split("-")[0],
                                "{:,}".format(tables))
            rows.append("| %s | %s | %s | %.1f | %.2f | %.2f | %s (%s) |" % (
                first if who == "before" else "", label, cell,
                run.med(o, "readrandom"), run.med(w, "readwhilewriting"),
                run.med(w, "readwhilewriting", "p99_us"),
                ch06_views_ms(statistics.median(slow)),
                " ".join("%.1f" % x for x in slow)))
    rows = [r.replace("|  |", "| |") for r in rows]
    return ["| stage, tables | | open (ms) | first get (µs) | "
            "readwhilewriting avg (µs) | p99 (µs) | slowest get (ms) |",
            "|---|---|---:|---:|---:|---:|---:|"] + rows


TABLES["ch06-views"] = (ch06_views, "ch06-views")


def ch06_views_slowest_med(who):
    return statistics.median(ch06_views_slowest("6-5800", who))


@prose(CH06, "ch06-views",
       "With {} small tables, a view that copied the version held `db->mu` "
       "long enough that the slowest of {} gets during `readwhilewriting` "
       "waited {} ms; sharing it, {} ms")
def ch06_views_sentence():
    ops = Run("ch06-views").rounds("6-5800.before.rww", "readwhilewriting",
                                   "ops")
    return ("{:,}".format(ch06_views_tables("6-5800")),
            "{:,.0f}".format(statistics.median(ops)),
            ch06_views_ms(ch06_views_slowest_med("before")),
            ch06_views_ms(ch06_views_slowest_med("after")))


@prose(CH06, "ch06-views",
       "at {} tables a copy per view once made a get wait {} ms")
def ch06_views_key_idea():
    return ("{:,}".format(ch06_views_tables("6-5800")),
            ch06_views_ms(ch06_views_slowest_med("before")))


# chapter 6's own run (ch06-measured, the fenced table ch06-measured): the
# reads counts are exact, the times medians of 3.

CH06_S5, CH06_RUN = "stage5-compaction", "ch06-measured"


def ch06_reads(e, w):
    return per_op(Run(CH06_RUN), e, w, "reads")


@prose(CH06, CH06_RUN,
       "hold {} tables after the reopen (stage 5: {} MB on disk, stage 6: "
       "{} MB; the filters are the {} MB between). Write amplification "
       "after the fill is {} and {}.")
def ch06_measured_disk():
    """After the reopen: the reads process's rows (readrandom)."""
    run = Run(CH06_RUN)
    tables = {run.med(e, "readrandom", "tables") for e in (CH06_S5, S6)}
    if len(tables) != 1:
        raise ValueError("%s: the stores hold %s tables, not the same" % (
            CH06_RUN, sorted(tables)))
    disk = [run.med(e, "readrandom", "disk_bytes") / 1e6
            for e in (CH06_S5, S6)]
    amp = ["%.2f" % (run.med(e, "fillrandom", "write_amp_x100") / 100)
           for e in (CH06_S5, S6)]
    return ("%.0f" % tables.pop(), "%.1f" % disk[0], "%.1f" % disk[1],
            "%.2f" % (disk[1] - disk[0]), amp[0], amp[1])


@prose(CH06, CH06_RUN, "A missing-key get in stage 5 reads {} blocks:")
def ch06_missing_s5():
    return "%.3f" % ch06_reads(CH06_S5, "readmissing")


def ch06_predicted():
    """Stage 5's reads per missing get, the filter's rate at 10 bits (the
    theory's, as bloom.h gives it) and their product, each as written."""
    reads = "%.3f" % ch06_reads(CH06_S5, "readmissing")
    rate = "%.4f" % at(dat("ch06-bloom-fp"), "bits_per_key", 10)["theory"]
    return reads, rate, "%.4f" % (float(reads) * float(rate))


@prose(CH06, CH06_RUN + ", ch06-bloom-fp.dat",
       "{} of those asks get through: {} x {} = {} reads predicted, {} "
       "measured. What is left of a missing get is CPU: {} µs, where "
       "stage 5 spent {}.")
def ch06_missing_predicted():
    reads, rate, product = ch06_predicted()
    run = Run(CH06_RUN)
    return (rate, reads, rate, product,
            "%.4f" % ch06_reads(S6, "readmissing"),
            "%.1f" % run.med(S6, "readmissing"),
            "%.1f" % run.med(CH06_S5, "readmissing"))


@prose(CH06, CH06_RUN, "so {} reads become {} (the one block")
def ch06_present_reads():
    return tuple("%.3f" % ch06_reads(e, "readrandom") for e in (CH06_S5, S6))


@prose(CH06, CH06_RUN, "The fill takes {}% less time")
def ch06_fill_faster():
    run = Run(CH06_RUN)
    return "%.0f" % (100 * (1 - run.med(S6, "fillrandom") /
                            run.med(CH06_S5, "fillrandom")))


@prose(CH06, CH06_RUN, "almost nothing ({} reads to {} here)")
def ch06_key_idea_reads():
    return tuple("%.3f" % ch06_reads(e, "readmissing")
                 for e in (CH06_S5, S6))


@prose(CH06, CH06_RUN,
       "*A missing get read {} blocks in stage 5 and {} in stage 6.")
def ch06_quiz_missing():
    return ("%.3f" % ch06_reads(CH06_S5, "readmissing"),
            "%.4f" % ch06_reads(S6, "readmissing"))


@prose(CH06, CH06_RUN + ", ch06-bloom-fp.dat",
       "Stage 6 asks the same tables' filters, and {} of those asks get "
       "through: {} x {} = {}.")
def ch06_quiz_predicted():
    reads, rate, product = ch06_predicted()
    return rate, reads, rate, product


@prose(CH06, CH06_RUN,
       "*Why did gets of present keys gain too, from {} reads to {}?*")
def ch06_quiz_present():
    return ch06_present_reads()


@prose(CH06, CH06_RUN,
       "Filters to build, and {} MB of {} MB on disk for them. Its time "
       "went down all the same, {}%,")
def ch06_quiz_fill():
    d = ch06_measured_disk()
    return d[3], d[2], ch06_fill_faster()


@prose(CH06, "ch06-missing-reads-stage5.dat, ch06-missing-reads-stage6.dat",
       "stage 5 reads {} blocks per missing-key get ({} µs), stage 6 {} "
       "({} µs).")
def ch06_missing_reads_chart():
    a = at(dat("ch06-missing-reads-stage5"), "entries", 1000000)
    b = at(dat("ch06-missing-reads-stage6"), "entries", 1000000)
    return ("%.2f" % a["reads_per_missing_get"],
            "%.1f" % a["micros_per_missing_get"],
            "%.3f" % b["reads_per_missing_get"],
            "%.1f" % b["micros_per_missing_get"])


@prose(CH06, "ch06-threads-stage5.dat, ch06-threads-stage6.dat, "
       "ch06-threads-leveldb.dat",
       "stage 5 {}k, {}k and {}k gets/s at 1, 2 and 4 threads: one lock, "
       "no gain. Stage 6 {}k, {}k and {}k; LevelDB {}k, {}k and {}k.")
def ch06_threads():
    out = []
    for e in ("stage5", "stage6", "leveldb"):
        rows = dat("ch06-threads-" + e)
        out += ["%.0f" % (at(rows, "threads", n)["ops_per_sec"] / 1000)
                for n in (1, 2, 4)]
    return tuple(out)


@prose(CH06, "ch06-latency-compaction-stage5.dat, "
       "ch06-latency-compaction-stage6.dat",
       "{} of stage 5's {} intervals finished no get, none of stage 6's {}; "
       "the slowest get took {} ms in stage 5 and {} ms in stage 6")
def ch06_latency():
    a = dat("ch06-latency-compaction-stage5")
    b = dat("ch06-latency-compaction-stage6")
    idle = lambda rows: sum(1 for r in rows if r["get_ops"] == 0)
    if idle(b):
        raise ValueError("ch06-latency-compaction-stage6.dat: %d intervals "
                         "finished no get, the chapter says none" % idle(b))
    slowest = lambda rows: "%.0f" % (max(
        r["get_max_us"] for r in rows if r["get_ops"] > 0) / 1000)
    return ("%d" % idle(a), "%d" % len(a), "%d" % len(b), slowest(a),
            slowest(b))


@prose(CH06, "peers-1m",
       "Stage 6 is slower on every workload, in every round: LevelDB fills "
       "{} to {} times as fast, answers a get, present or missing, {} to {} "
       "times as fast, and scans {} times as fast.")
def ch06_vs_leveldb_words():
    """Stage 6's median over LevelDB's; the check fails if stage 6 won a
    round anywhere."""
    run = Run("peers-1m")
    for w in SIX:
        won = [x < y for x, y in zip(run.rounds(S6, w), run.rounds(LDB, w))]
        if any(won):
            raise ValueError("peers-1m: stage 6 beat LevelDB in a round of "
                             "%s; the chapter says it never does" % w)
    r = {w: run.med(S6, w) / run.med(LDB, w) for w in SIX}
    fills = [r[w] for w in ("fillseq", "fillrandom", "overwrite")]
    gets = [r[w] for w in ("readrandom", "readmissing")]
    return ("%.1f" % min(fills), "%.1f" % max(fills), "%.1f" % min(gets),
            "%.1f" % max(gets), "%.0f" % r["readseq"])


@prose(CH06, "peers-1m", "A scan merges one iterator per table, {} at this "
       "size")
def ch06_scan_tables():
    run = Run("peers-1m")
    return "%.0f" % run.med(S6, "readseq", "tables")


@prose(CH06, "scoreboard",
       "stage 5 held {} bytes for 4,000 keys ({} a key), stage 6 holds {} "
       "({} a key)")
def ch06_board_index():
    a, b = board(S5, "index_memory"), board(S6, "index_memory")
    return sep(a[0]), a[3], sep(b[0]), b[3]


@prose(CH06, "scoreboard",
       "absent keys of a store of 4,000: stage 5 read {} data blocks ({} a "
       "get), stage 6 read {} ({})")
def ch06_board_missing():
    """The row's rate over the suite's 200 absent keys."""
    a, b = board(S5, "missing_key")[0], board(S6, "missing_key")[0]
    blocks = lambda r: "%.0f" % (float(r) * 200)
    return blocks(a), a, blocks(b), b


def ch06_interval_medians(stage, col):
    """The median over the intervals that finished a get of COL, from
    ch06-latency-compaction's data."""
    rows = dat("ch06-latency-compaction-" + stage)
    return statistics.median(r[col] for r in rows if r["get_ops"] > 0)


@prose(CH06, "ch06-latency-compaction-stage5.dat, "
       "ch06-latency-compaction-stage6.dat",
       "in the median interval stage 6's slowest get took {} ms, and stage "
       "5's, between its spikes, {} ms")
def ch06_latency_floor():
    return tuple(sig3(ch06_interval_medians(s, "get_max_us") / 1000)
                 for s in ("stage6", "stage5"))


@prose(CH06, "ch06-latency-compaction-stage6.dat",
       "p99 line, {} µs in stage 6's median interval")
def ch06_latency_p99():
    return sig3(ch06_interval_medians("stage6", "get_p99_us"))


@prose(CH06, "stage6-bloom-concurrency.csv",
       "(stage 6's three at two threads: {}k to {}k)")
def ch06_threads_spread():
    """The rounds of ch06-threads's stage 6 point at 2 threads: the rows
    its sweep wrote (fillseq of 100,000, readrandom in 2 threads)."""
    path = os.path.join(kit.DATA, "stage6-bloom-concurrency.csv")
    if not os.path.exists(path):
        raise LookupError("stage6-bloom-concurrency.csv: no such file")
    with open(path, newline="") as f:
        v = [float(r["ops_per_sec"]) for r in csv.DictReader(f)
             if r["benchmark"] == "readrandom" and r["num"] == "100000"
             and r["threads"] == "2"]
    if len(v) != 3:
        raise ValueError("stage6-bloom-concurrency.csv: %d rounds of "
                         "readrandom in 2 threads, not 3" % len(v))
    return "%.0f" % (min(v) / 1000), "%.0f" % (max(v) / 1000)


def ch06_readers_rows(e, w, threads):
    return [r for r in Run(CH06_RUN).engine(e) if r["benchmark"] == w and
            int(r["threads"]) == threads]


@prose(CH06, CH06_RUN,
       "so only {}% of its readrandom keys exist (fillrandom put {} distinct "
       "keys of a million): its gets are cheaper, and stage 6's reads per get "
       "drop to {}.")
def ch06_readers_second_thread():
    """The second thread's gets found: all but the first thread's (which
    asks the fill's keys, all there), from the 2-thread rows."""
    run = Run(CH06_RUN)
    found = run.med(S6, "readrandom", "entries", threads=2)
    reads = run.med(S6, "readrandom", "ops", threads=1)
    return ("%.0f" % (100 * (found - reads) / reads),
            "{:,}".format(distinct_keys((1001,))),
            "%.2f" % (run.med(S6, "readrandom", "reads", threads=2) /
                      run.med(S6, "readrandom", "ops", threads=2)))


def ch06_gain(e, w):
    run = Run(CH06_RUN)
    return "%.2f" % (run.med(e, w, "ops_per_sec", threads=2) /
                     run.med(e, w, "ops_per_sec"))


@prose(CH06, CH06_RUN,
       "readrandom gains more than the two cores could give ({}x). Stage 5 "
       "loses ({}x)")
def ch06_readers_gains():
    g6, g5 = ch06_gain(S6, "readrandom"), ch06_gain(S5, "readrandom")
    if float(g6) <= 2 or float(g5) >= 1:
        raise ValueError("%s: stage 6 gained %sx, stage 5 %sx: the sentence "
                         "says more than 2 and a loss" % (CH06_RUN, g6, g5))
    return g6, g5


@prose(CH06, CH06_RUN,
       "(a get took {} µs alone, {} µs beside a second thread)")
def ch06_readers_stage5_get():
    run = Run(CH06_RUN)
    return (sig3(run.med(S5, "readrandom")),
            sig3(run.med(S5, "readrandom", threads=2)))


@prose(CH06, CH06_RUN,
       "Stage 6's readmissing, {} µs of CPU a get with no I/O, gains less, "
       "{}x.")
def ch06_readers_missing():
    g = ch06_gain(S6, "readmissing")
    if float(g) >= float(ch06_gain(S6, "readrandom")):
        raise ValueError("%s: stage 6's readmissing gained %sx, not less "
                         "than its readrandom" % (CH06_RUN, g))
    return sig3(Run(CH06_RUN).med(S6, "readmissing")), g
