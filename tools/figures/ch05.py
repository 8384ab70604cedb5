"""Chapter 5's figures (docs/05-compaction.md): the functions that make its
fenced tables and its sentences quoting a measured figure, registered into
kit.TABLES and, by @prose, kit.PHRASES (tools/check_figures.py checks them
against the text)."""

import statistics

from .kit import (Run, S3, S4, S5, TABLES, at, board, dat, distinct_keys,
                  per_op, prose, sep, sig3, table, versus_rows)
from .ch03 import ch03_distinct_keys


# --- chapter 5's tables (docs/05-compaction.md) ---


def ch05_measured():
    run = Run("ch05-measured")
    a, b = "stage4-wal-recovery", "stage5-compaction"

    def extra(w):
        if w.startswith("fill") or w == "overwrite":
            amp = lambda e: "%.2f" % (run.med(e, w, "bytes_written") /
                                      (run.med(e, w, "ops") * 116))
            disk = lambda e: "%.1f MB" % (run.med(e, w, "disk_bytes") / 1e6)
            return ["-", "-", amp(a), amp(b), disk(a), disk(b)]
        rp = lambda e: "%.2f" % per_op(run, e, w, "reads")
        return [rp(a), rp(b), "", "", "", ""]

    rows = versus_rows(run, a, b, ["fillrandom", "overwrite", "readrandom",
                                   "readmissing", "readseq"], extra)
    return table("| workload | stage 4 | stage 5 | 5 / 4 | reads per op: 4 | "
                 "5 | write amp.: 4 | 5 | on disk: 4 | 5 |", rows)


def live_after_overwrite():
    """Live bytes after fillrandom then overwrite of a million: 16-byte
    keys and 100-byte values."""
    return distinct_keys((1001, 1002)) * 116


def ch05_policy():
    """Stage 5 at four l0_trigger settings and stage 4, from
    ch05-policy/ (compare.py --reopen, one round: the counts are exact)."""
    run = Run("ch05-policy")
    rows = []
    for e, label in [("stage5-compaction+l0_trigger=2",
                      "leveled, l0_trigger=2"),
                     ("stage5-compaction", "leveled, l0_trigger=4 (stage 5)"),
                     ("stage5-compaction+l0_trigger=8",
                      "leveled, l0_trigger=8"),
                     ("stage5-compaction+l0_trigger=16",
                      "leveled, l0_trigger=16"),
                     ("stage4-wal-recovery", "no merge (stage 4)")]:
        amp = (run.med(e, "fillrandom", "bytes_written") +
               run.med(e, "overwrite", "bytes_written")) / (2 * 116e6)
        r = [x for x in run.engine(e) if x["benchmark"] == "readrandom"][0]
        l0 = r.get("tables_l0") or r["tables"]  # stage 4: all of them
        rows.append("| %s | %.2f | %s | %.2f | %.2f | %.2f |" % (
            label, amp, l0, per_op(run, e, "readrandom", "reads"),
            per_op(run, e, "readmissing", "reads"),
            run.med(e, "overwrite", "disk_bytes") / live_after_overwrite()))
    return table("| policy | write amp. (both fills) | L0 tables at the end "
                 "| reads per get | per missing get | on disk / live |", rows)


TABLES["ch05-policy"] = (ch05_policy, "ch05-policy")
TABLES["ch05-measured"] = (ch05_measured, "ch05-measured")


# --- chapter 5's sentences (docs/05-compaction.md) ---


@prose("05-compaction", "ch05-space-stage4.dat, ch05-space-stage5.dat",
       "after {} puts (the fill and ten rounds): stage 4 holds {} MiB in {} "
       "tables, stage 5 {} MiB in {} tables, for {} MiB of live keys")
def ch05_space_end():
    a, b = dat("ch05-space-stage4")[-1], dat("ch05-space-stage5")[-1]
    return ("{:,.0f}".format(a["puts"]), "%.1f" % a["disk_mb"],
            "%.0f" % a["tables"], "%.1f" % b["disk_mb"], "%.0f" % b["tables"],
            "%.1f" % a["live_mb"])

CH05_S4, CH05_S5 = "stage4-wal-recovery", "stage5-compaction"
CH05_RECORD = 17 + 16 + 100  # a put's log record: header, key, value
CH05_PROBE = 11000  # the dashed key of ch05-shape (bench/ch05.py: num // 2)


def ch05_live_after_fill():
    """Distinct keys after one fillrandom of 1,000,000 (db_bench's seed,
    the same in every stage)."""
    return ch03_distinct_keys()


def ch05_one(values, what):
    """The one value that several figures share, as the sentence says."""
    if len(set(values)) != 1:
        raise ValueError("%s differ (%s): reword the sentence" % (
            what, ", ".join(values)))
    return values[0]


@prose("05-compaction", "ch04-pileup.dat, ch05-space-stage4.dat",
       "ended on that pile-up: {} tables and {} MB on disk for {} MB of "
       "live data")
def ch05_pileup_end():
    a = dat("ch04-pileup")[-1]
    live = dat("ch05-space-stage4")[-1]["live_mb"]
    return ("%.0f" % a["tables"], "%.1f" % (a["disk_mb"] * 1.048576),
            "%.1f" % (live * 1.048576))


def ch05_shape():
    """The three stages' tables in ch05-shape: (level, first key, last
    key, entries) each."""
    out = []
    for s in (3, 4, 5):
        rows = dat("ch05-shape-stage%d" % s)
        out.append([(int(r["level"]), r["smallest"], r["largest"],
                     int(r["entries"])) for r in rows])
    return out


@prose("05-compaction", "ch05-shape-stage3.dat, ch05-shape-stage4.dat, "
       "ch05-shape-stage5.dat",
       "Stages 3 and 4 end with the same {} tables, all in one pile: random "
       "keys spread every flush over nearly the whole key space, so the "
       "dashed key lies in the range of all {}. Stage 5 ends with {} "
       "tables: {} in L0, overlapping just as stage 4's do, then {} in L1, "
       "{} in L2 and {} in L3, each level cut into ranges that never "
       "overlap. The same key lies in the range of {} of them: the {} in L0")
def ch05_shape_tables():
    s3, s4, s5 = ch05_shape()
    hit = lambda ts: sum(1 for t in ts if t[1] <= CH05_PROBE <= t[2])
    old = ch05_one(["%d" % len(s3), "%d" % len(s4)], "stage 3's and 4's "
                   "tables")
    old_hit = ch05_one(["%d" % hit(s3), "%d" % hit(s4)], "stage 3's and "
                       "4's tables covering the dashed key")
    levels = [sum(1 for t in s5 if t[0] == l) for l in range(4)]
    if sum(levels) != len(s5):
        raise ValueError("ch05-shape-stage5.dat: a level past L3")
    return ((old, old_hit, "%d" % len(s5)) +
            tuple("%d" % n for n in levels) +
            ("%d" % hit(s5), "%d" % levels[0]))


@prose("05-compaction", "ch05-shape-stage3.dat, ch05-shape-stage4.dat, "
       "ch05-shape-stage5.dat",
       "stage 5's tables hold {} entries, stages 3 and 4 hold {}.")
def ch05_shape_entries():
    s3, s4, s5 = ch05_shape()
    total = lambda ts: "{:,}".format(sum(t[3] for t in ts))
    return (total(s5), ch05_one([total(s3), total(s4)], "stage 3's and "
                                "4's entries"))


def ch05_growth():
    """Per moment of ch05-growth: (tables in L0, tables flushed since the
    moment before, written by compactions, merged away), as the chart's
    titles count them (bench/ch05.py)."""
    out, before = [], None
    for m in range(1, 5):
        rows = dat("ch05-growth-%d" % m)
        new = [r for r in rows if r["new"]]
        flushed = sum(1 for r in new if r["level"] == 0)
        l0 = sum(1 for r in rows if r["level"] == 0)
        gone = before - (len(rows) - len(new)) if before is not None else 0
        out.append((l0, flushed, len(new) - flushed, gone))
        before = len(rows)
    return out


@prose("05-compaction", "ch05-growth-1.dat .. ch05-growth-4.dat",
       "At the start, L0 holds {} tables.")
def ch05_growth_start():
    return "%d" % ch05_growth()[0][0]


@prose("05-compaction", "ch05-growth-1.dat, ch05-growth-2.dat",
       "and so on down: {} tables written, {} merged away")
def ch05_growth_cascade():
    g = ch05_growth()[1]
    return "%d" % g[2], "%d" % g[3]


@prose("05-compaction", "ch05-growth-3.dat, ch05-growth-4.dat",
       "through other ranges of L2 and L3 ({} tables written, {} merged "
       "away)")
def ch05_growth_second():
    g = ch05_growth()[3]
    return "%d" % g[2], "%d" % g[3]


@prose("05-compaction", "ch05-policy",
       "(8 and 16 both ended with {} L0 tables")
def ch05_policy_l0():
    run = Run("ch05-policy")
    l0 = ["%s" % [r for r in run.engine("stage5-compaction+l0_trigger=%d" % t)
                  if r["benchmark"] == "readrandom"][0]["tables_l0"]
          for t in (8, 16)]
    return ch05_one(l0, "the L0 tables of l0_trigger=8 and 16")


@prose("05-compaction", "ch05-measured",
       "compaction merges four L0 tables (about {} MB each)")
def ch05_l0_table_mb():
    """Stage 4's fill writes the log and its flushes only: the bytes
    past the log, over its tables."""
    run = Run("ch05-measured")
    tables = (run.med(CH05_S4, "fillrandom", "bytes_written") -
              CH05_RECORD * run.med(CH05_S4, "fillrandom", "ops"))
    return "%.1f" % (tables / run.med(CH05_S4, "fillrandom", "tables") / 1e6)


@prose("05-compaction", "ch05-measured",
       "That is {} blocks per missing-key get at 1,000,000 entries (stage "
       "4: {})")
def ch05_missing_blocks():
    run = Run("ch05-measured")
    return ("%.2f" % per_op(run, CH05_S5, "readmissing", "reads"),
            "%.1f" % per_op(run, CH05_S4, "readmissing", "reads"))


@prose("05-compaction", "ch05-measured",
       "stage 4's readmissing takes {} ms a get")
def ch05_missing_ms():
    return "%.1f" % (Run("ch05-measured").med(CH05_S4, "readmissing") / 1e3)


@prose("05-compaction", "ch05-measured",
       "stage 5's overwrite wrote {} bytes, so {}. Stage 4's {} MB per fill "
       "is the log (1,000,000 records of 133 bytes) plus {} MB of tables.")
def ch05_write_bytes():
    run = Run("ch05-measured")
    b = run.med(CH05_S5, "overwrite", "bytes_written")
    fill = ch05_one(["%.1f" % (run.med(CH05_S4, w, "bytes_written") / 1e6)
                     for w in ("fillrandom", "overwrite")],
                    "stage 4's bytes written by its two fills")
    tables = (run.med(CH05_S4, "fillrandom", "bytes_written") -
              CH05_RECORD * run.med(CH05_S4, "fillrandom", "ops"))
    return ("{:,.0f}".format(b),
            "%.2f" % (b / (run.med(CH05_S5, "overwrite", "ops") * 116)),
            fill, "%.1f" % (tables / 1e6))


@prose("05-compaction", "ch05-measured",
       "the rest is compaction (and a few KB of manifest): {} MB in "
       "fillrandom ({} compactions), {} MB in overwrite ({} more). The "
       "engine's stat agrees: `write_amplification_x100` was {} after both "
       "fills ({} MB written for 232 MB put). Compaction reads too: {} and "
       "{} MB, where stage 4 read {} MB.")
def ch05_compaction_bytes():
    """Stage 5's bytes past stage 4's (the same log and flushes); its
    counters compactions and write_amp_x100 run on over both fills."""
    run = Run("ch05-measured")
    rest = lambda w: "%.1f" % ((run.med(CH05_S5, w, "bytes_written") -
                                run.med(CH05_S4, w, "bytes_written")) / 1e6)
    c1 = run.med(CH05_S5, "fillrandom", "compactions")
    c2 = run.med(CH05_S5, "overwrite", "compactions")
    both = sum(run.med(CH05_S5, w, "bytes_written")
               for w in ("fillrandom", "overwrite"))
    read = lambda e, w: "%.1f" % (run.med(e, w, "bytes_read") / 1e6)
    return (rest("fillrandom"), "%.0f" % c1, rest("overwrite"),
            "%.0f" % (c2 - c1),
            "%.0f" % run.med(CH05_S5, "overwrite", "write_amp_x100"),
            "{:,.0f}".format(both / 1e6), read(CH05_S5, "fillrandom"),
            read(CH05_S5, "overwrite"),
            ch05_one([read(CH05_S4, w) for w in ("fillrandom", "overwrite")],
                     "stage 4's bytes read by its two fills"))


@prose("05-compaction", "ch05-measured",
       "{} keys ({} MB) after fillrandom, {} ({} MB) after overwrite")
def ch05_live_fill():
    n, m = ch05_live_after_fill(), distinct_keys((1001, 1002))
    return ("{:,.0f}".format(n), "%.1f" % (n * 116 / 1e6),
            "{:,.0f}".format(m), "%.1f" % (m * 116 / 1e6))


@prose("05-compaction", "ch05-measured",
       "So stage 4 holds {} times its live data after the first fill and {} "
       "times after the second, and it only grows. Stage 5 holds {} and {} "
       "times.")
def ch05_space_ratios():
    """On disk over live: after the fill, the distinct keys of
    ch05_live_after_fill; after the overwrite, live_after_overwrite()."""
    run = Run("ch05-measured")
    live = [ch05_live_after_fill() * 116, live_after_overwrite()]
    r = lambda e, w, n: "%.2f" % (run.med(e, w, "disk_bytes") / n)
    return (r(CH05_S4, "fillrandom", live[0]),
            r(CH05_S4, "overwrite", live[1]),
            r(CH05_S5, "fillrandom", live[0]),
            r(CH05_S5, "overwrite", live[1]))


@prose("05-compaction", "ch05-measured",
       "`kv stats` puts its {} tables at {} in L0 and {} in L1 and L2")
def ch05_tables_after_reopen():
    run = Run("ch05-measured")
    n = run.med(CH05_S5, "readrandom", "tables")
    l0 = run.med(CH05_S5, "readrandom", "tables_l0")
    return "%.0f" % n, "%.0f" % l0, "%.0f" % (n - l0)


@prose("05-compaction", "ch05-measured",
       "A stage 4 get visits {} of its {} tables on average, a missing key "
       "all {}; stage 5 visits at most the {} L0 tables")
def ch05_tables_visited():
    run = Run("ch05-measured")
    return ("%.0f" % per_op(run, CH05_S4, "readrandom", "reads"),
            "%.0f" % run.med(CH05_S4, "readrandom", "tables"),
            "%.0f" % per_op(run, CH05_S4, "readmissing", "reads"),
            "%.0f" % run.med(CH05_S5, "readrandom", "tables_l0"))


@prose("05-compaction", "ch05-measured",
       "That is the {}x and {}x in the times. The price is the puts, {} to "
       "{} times slower")
def ch05_speed_ratios():
    run = Run("ch05-measured")
    r = lambda w: run.med(CH05_S4, w) / run.med(CH05_S5, w)
    return ("%.0f" % r("readrandom"), "%.0f" % r("readmissing"),
            "%.1f" % (1 / r("fillrandom")), "%.1f" % (1 / r("overwrite")))


@prose("05-compaction", "ch05-read-amp-stage4.dat, ch05-read-amp-stage5.dat",
       "After the last round: stage 4 reads {} blocks per get ({} µs) and {} "
       "per missing-key get; stage 5 reads {} ({} µs) and {}.")
def ch05_read_amp_end():
    a, b = dat("ch05-read-amp-stage4")[-1], dat("ch05-read-amp-stage5")[-1]
    return ("%.1f" % a["reads_per_get"], sig3(a["micros_per_get"]),
            "%.0f" % a["reads_per_missing_get"], "%.1f" % b["reads_per_get"],
            sig3(b["micros_per_get"]), "%.1f" % b["reads_per_missing_get"])


@prose("05-compaction", "ch05-read-amp-stage5.dat",
       "figure moves between {} and {} from round to round")
def ch05_read_amp_range():
    v = [r["reads_per_get"] for r in dat("ch05-read-amp-stage5")]
    return "%.0f" % min(v), "%.0f" % max(v)


@prose("05-compaction", "ch05-write-amp-stage4.dat, ch05-write-amp-stage5.dat",
       "After a million random puts: stage 4 writes {} bytes per byte put "
       "(the log and one flush), stage 5 {} (its own write_amplification_x100 "
       "stat says {}); the bytes written per byte put in the last step alone "
       "were {}.")
def ch05_write_amp_end():
    a = at(dat("ch05-write-amp-stage4"), "puts", 1000000)
    b = at(dat("ch05-write-amp-stage5"), "puts", 1000000)
    return ("%.2f" % a["io_written_per_byte_put"],
            "%.2f" % b["io_written_per_byte_put"],
            "%.2f" % b["write_amplification_stat"],
            "%.2f" % b["step_written_per_byte_put"])


@prose("05-compaction", "ch05-latency-time-stage5.dat",
       "In the reference run, {} of stage 5's {} intervals finished no get "
       "at all, and the slowest get took {} ms; the median interval's p99 "
       "was {} µs.")
def ch05_latency_intervals():
    """Intervals with no get have NaN percentiles: the median p99 is over
    the others."""
    rows = dat("ch05-latency-time-stage5")
    gets = [r for r in rows if r["get_ops"] > 0]
    return ("%d" % (len(rows) - len(gets)), "%d" % len(rows),
            sig3(max(r["get_max_us"] for r in gets) / 1e3),
            sig3(statistics.median(r["get_p99_us"] for r in gets)))


@prose("05-compaction", "ch05-latency-stage4.dat, ch05-latency-stage5.dat",
       "reads {} to {} blocks in stage 4 as tables pile up, {} to {} in "
       "stage 5")
def ch05_latency_missing():
    def f(x):
        return "%d" % x if x == int(x) else "%.1f" % x
    out = []
    for s in (4, 5):
        v = [r["reads_per_missing_get"]
             for r in dat("ch05-latency-stage%d" % s)]
        out += [f(min(v)), f(max(v))]
    return tuple(out)


@prose("05-compaction", "ch05-measured",
       "Stage 5's overwrite has a write amplification of {}. Where do the "
       "bytes come from?* {} bytes written for 116,000,000 put: the same log "
       "and flushes as stage 4, and the rest ({} MB) compaction")
def ch05_quiz_write():
    w = ch05_write_bytes()
    return w[1], w[0], ch05_compaction_bytes()[2]


@prose("05-compaction", "ch05-measured",
       "A missing get reads {} blocks in stage 4 and {} in stage 5. Why?* "
       "Stage 4 reads every one of its {} tables; stage 5 at most the {} L0 "
       "tables")
def ch05_quiz_missing():
    run = Run("ch05-measured")
    t = ch05_tables_visited()
    return (t[2], "%.2f" % per_op(run, CH05_S5, "readmissing", "reads"),
            "%.0f" % run.med(CH05_S4, "readmissing", "tables"), t[3])


@prose("05-compaction", "ch05-measured",
       "After the second fill stage 4 holds {} times its live data, stage 5 "
       "{} times.")
def ch05_quiz_space():
    r = ch05_space_ratios()
    return r[1], r[3]


@prose("05-compaction", "scoreboard",
       "against a bound of {} bytes (4 times the live data plus 64 KiB). "
       "Stage 4 left {} bytes, stage 5 leaves {}")
def ch05_board_disk():
    a, b = board(S4, "disk_bounded"), board(S5, "disk_bounded")
    return sep(a[3]), sep(a[0]), sep(b[0])


@prose("05-compaction", "scoreboard",
       "{} bytes per get at 1,000 keys and {} at 4,000 (stages 3 and 4: {} "
       "and {})")
def ch05_board_get():
    five, three, four = (board(s, "get_o1") for s in (S5, S3, S4))
    if (three[0], three[2]) != (four[0], four[2]):
        raise ValueError("scoreboard: stages 3 and 4 read %s and %s bytes "
                         "per get; the sentence gives one figure for both" %
                         (three, four))
    return sep(five[0]), sep(five[2]), sep(three[0]), sep(three[2])


@prose("05-compaction", "scoreboard",
       "the missing-key row ({} blocks per missing-key get)")
def ch05_board_missing():
    return board(S5, "missing_key")[0]
