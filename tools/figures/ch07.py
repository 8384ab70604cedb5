"""Chapter 7's figures (docs/07-speedups.md): the functions that make its
fenced tables and its sentences quoting a measured figure, registered into
kit.TABLES and, by @prose, kit.PHRASES (tools/check_figures.py checks them
against the text)."""

import os
import statistics

from . import kit
from .kit import (LDB, ROOT, Run, S6, S7, S70, SIX, TABLES, name, prose,
                  ratio_rounds, sig3, table, us)


# --- chapter 7's tables (docs/07-speedups.md) ---


def ch07_versus(s7, label):
    run = Run("peers-1m")
    rows = []
    for w in SIX:
        m6, _ = ratio_rounds(run, LDB, S6, w)
        m, rounds = ratio_rounds(run, LDB, s7, w)
        rows.append("| %s | %s | %s | %s | %.2f | **%.2f** (%s) |" % (
            name(w), us(run.med(S6, w)), us(run.med(s7, w)),
            us(run.med(LDB, w)), m6, m, rounds))
    return table("| 1,000,000 entries, µs/op | stage 6 | %s | LevelDB | "
                 "LevelDB / stage 6 | **LevelDB / %s** (rounds) |" %
                 (label, label), rows)


def ch07_mmap0():
    return ch07_versus(S70, "stage 7, `mmap=0`")


def ch07_vs_leveldb():
    return ch07_versus(S7, "stage 7")


def ch07_mapped():
    run = Run("peers-1m")
    rows = []
    for w in ["readrandom", "readmissing", "readseq"]:
        a, b = run.med(S70, w), run.med(S7, w)
        rows.append("| %s | %s | %s | %.2f |" % (name(w), us(a), us(b),
                                                  b / a))
    return table("| 1,000,000 entries, µs/op | stage 7, `mmap=0` | "
                 "stage 7 (mapped) | mapped / `mmap=0` |", rows)


def ch07_fill_counters():
    run = Run("peers-1m")
    rows = []
    for w in ["fillseq", "fillrandom", "overwrite"]:
        mb = lambda e, c: "%.1f MB" % (run.med(e, w, c) / 1e6)
        n = lambda e, c: "{:,.0f}".format(run.med(e, w, c))
        rows.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
            w, mb(S6, "bytes_written"), mb(S7, "bytes_written"),
            n(S6, "syncs"), n(S7, "syncs"), mb(S6, "bytes_read"),
            mb(S7, "bytes_read")))
    return table("| 1,000,000 entries | bytes written: stage 6 | stage 7 | "
                 "syncs: stage 6 | stage 7 | bytes read: stage 6 | "
                 "stage 7 |", rows)


def ch07_quiet_scan():
    """From ch07-quiet-scan/run.sh: each process scans twice, so an
    engine's rows alternate first scan, second scan."""
    run = Run("ch07-quiet-scan")
    engines = ["1m-stage7", "1m-stage7-mmap0", "1m-leveldb"]
    rows = []
    for k, label in [(0, "first scan in a process"), (1, "second scan")]:
        med = [statistics.median(float(r["micros_per_op"])
                                 for r in run.engine(e)[k::2])
               for e in engines]
        a = [float(r["micros_per_op"]) for r in run.engine(engines[2])[k::2]]
        b = [float(r["micros_per_op"]) for r in run.engine(engines[0])[k::2]]
        rows.append("| %s | %s | %.2f (%s) |" % (
            label, " | ".join(us(x) for x in med), med[2] / med[0],
            " ".join("%.2f" % (x / y) for x, y in zip(a, b))))
    return table("| 200,000 entries, µs per entry | stage 7 (mapped) | "
                 "stage 7, `mmap=0` | LevelDB | LevelDB / stage 7 (rounds) "
                 "|", rows)


def ch07_instructions():
    """From bench/callgrind.sh's lines "ENGINE WORKLOAD COUNT" (comments
    and blank lines skipped)."""
    path = os.path.join(kit.DATA, "ch07", "callgrind.txt")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    got = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and not line.startswith("#"):
                got[(parts[0], parts[1])] = int(parts[2])
    rows = []
    for w, label in [("readrandom", "`readrandom` (a get)"),
                     ("readmissing", "`readmissing`"),
                     ("readseq", "`readseq` (per entry)")]:
        cells = []
        for e in ["s7-mmap0", "s7", "leveldb"]:
            if (e, w) not in got:
                raise LookupError("ch07/callgrind.txt: no line %s %s" % (e, w))
            cells.append("{:,}".format(got[(e, w)]))
        rows.append("| %s | %s |" % (label, " | ".join(cells)))
    return table("| instructions per op | stage 7, `mmap=0` | "
                 "stage 7 (mapped) | LevelDB |", rows)


TABLES["ch07-mmap0"] = (ch07_mmap0, "peers-1m")
TABLES["ch07-mapped"] = (ch07_mapped, "peers-1m")
TABLES["ch07-vs-leveldb"] = (ch07_vs_leveldb, "peers-1m")
TABLES["ch07-fill-counters"] = (ch07_fill_counters, "peers-1m")
TABLES["ch07-instructions"] = (ch07_instructions, "ch07/callgrind.txt")
TABLES["ch07-quiet-scan"] = (ch07_quiet_scan, "ch07-quiet-scan")


# --- chapter 7's sentences (docs/07-speedups.md) ---


def ch07_calls(engine, w):
    """Instructions per op from ch07/callgrind.txt's lines "ENGINE WORKLOAD
    COUNT" (engines s6, s7-mmap0, s7, leveldb), as the chapter writes them."""
    path = os.path.join(kit.DATA, "ch07", "callgrind.txt")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    with open(path) as f:
        for line in f:
            parts = line.split()
            if (not line.startswith("#") and len(parts) == 3
                    and parts[:2] == [engine, w]):
                return "{:,}".format(int(parts[2]))
    raise LookupError("ch07/callgrind.txt: no line %s %s" % (engine, w))


@prose("07-speedups", "ch07/callgrind.txt",
       "stage 6 spends {} instructions per missing get")
def ch07_missing_s6():
    return ch07_calls("s6", "readmissing")


@prose("07-speedups", "ch07/callgrind.txt",
       "{} instructions per missing get in stage 7, against LevelDB's {}")
def ch07_missing_s7():
    return ch07_calls("s7", "readmissing"), ch07_calls("leveldb",
                                                       "readmissing")


@prose("07-speedups", "ch07/callgrind.txt",
       "stage 6 spent {} instructions per get, stage 7 on this path "
       "(`-o mmap=0`, the block cache and `pread`) {}, LevelDB {}.")
def ch07_get_calls():
    return tuple(ch07_calls(e, "readrandom")
                 for e in ["s6", "s7-mmap0", "leveldb"])


@prose("07-speedups", "ch07/callgrind.txt",
       "each step of the merge compares every child's key: {} instructions "
       "per entry")
def ch07_scan_s6():
    return ch07_calls("s6", "readseq")


@prose("07-speedups", "ch07/callgrind.txt",
       "What they bought: {} instructions per scanned entry in stage 7 on "
       "this path (`-o mmap=0`), against {} in stage 6; LevelDB {} on its "
       "own store")
def ch07_scan_calls():
    return tuple(ch07_calls(e, "readseq")
                 for e in ["s7-mmap0", "s6", "leveldb"])


@prose("07-speedups", "ch07/callgrind.txt",
       "and now only for the 1% the filter lets through: {} instructions per "
       "missing get became {}.")
def ch07_missing_answer():
    return ch07_calls("s6", "readmissing"), ch07_calls("s7", "readmissing")


def ch07_heap_scan(build, store):
    """ch07-heap: the median of a build's second scans of a store (each
    process scans twice: its rows alternate first, second)."""
    rows = Run("ch07-heap").engine("1m-%s-%s" % (build, store))
    return us(statistics.median(float(r["micros_per_op"])
                                for r in rows[1::2]))


def ch07_heap_calls(build, store):
    """ch07-heap/1m-callgrind.txt's lines "BUILD STORE INSTRUCTIONS"."""
    path = os.path.join(kit.DATA, "ch07-heap", "1m-callgrind.txt")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    with open(path) as f:
        for line in f:
            if line.split()[:2] == [build, store]:
                return "{:,}".format(int(line.split()[2]))
    raise LookupError("ch07-heap/1m-callgrind.txt: no line %s %s" %
                      (build, store))


def ch07_heap_l0():
    """The L0 tables of the store filled with l0_trigger=1000."""
    return "%d" % statistics.median(
        int(r["tables_l0"]) for r in Run("ch07-heap").engine("1m-after-l0"))


@prose("07-speedups", "ch07-heap",
       "a store of a million entries whose {} tables all sit in L0 (filled "
       "with `-o l0_trigger=1000`, so no compaction picks them): {} "
       "instructions per scanned entry against {} with the linear merge, "
       "and {} µs per entry against {}.")
def ch07_heap_many():
    return (ch07_heap_l0(), ch07_heap_calls("after", "l0"),
            ch07_heap_calls("before", "l0"), ch07_heap_scan("after", "l0"),
            ch07_heap_scan("before", "l0"))


@prose("07-speedups", "ch07-heap",
       "it still saves a little: {} against {} instructions, {} µs against "
       "{}.")
def ch07_heap_few():
    return (ch07_heap_calls("after", "quiet"),
            ch07_heap_calls("before", "quiet"),
            ch07_heap_scan("after", "quiet"),
            ch07_heap_scan("before", "quiet"))


@prose("07-speedups", "ch07-heap",
       "a scan of a store with {} L0 tables at {} instructions per entry with "
       "the linear merge, against {} on a compacted store")
def ch07_heap_recalled():
    return (ch07_heap_l0(), ch07_heap_calls("before", "l0"),
            ch07_heap_calls("before", "quiet"))


@prose("07-speedups", "peers-1m",
       "stage 6's `fillseq` read {} MB and wrote it again to rewrite tables "
       "that never overlapped; stage 7 reads {} MB")
def ch07_fillseq_moves():
    run = Run("peers-1m")
    return ("%.0f" % (run.med(S6, "fillseq", "bytes_read") / 1e6),
            "%.1f" % (run.med(S7, "fillseq", "bytes_read") / 1e6))


def ch07_slowdown_rows(rows):
    """Rows "| label | 2x | 3x | LevelDB |" of ch07-slowdown's medians, for
    (label, the runs' prefix, workload) in rows."""
    run = Run("ch07-slowdown")
    return ["| %s | %s |" % (label, " | ".join(
        us(run.med(prefix + e, w)) for e in ["sleep2x", "sleep3x",
                                             "leveldb"]))
            for label, prefix, w in rows]


def ch07_slowdown():
    """The run with stage 6's linear merge: 1m-*.csv and 10m-*.csv."""
    return table("| workload | sleep from 2x | sleep from 3x | LevelDB |",
                 ch07_slowdown_rows([
                     ("`fillrandom`, 1M", "1m-", "fillrandom"),
                     ("`overwrite`, 1M", "1m-", "overwrite"),
                     ("`fillrandom`, 10M", "10m-", "fillrandom")]))


TABLES["ch07-slowdown"] = (ch07_slowdown, "ch07-slowdown/1m-*, "
                           "ch07-slowdown/10m-*")


def ch07_slowdown_heap():
    """The run with the heap: heap-1m-*.csv."""
    return table("| 1,000,000 entries, with the heap | sleep from 2x | "
                 "sleep from 3x | LevelDB |",
                 ch07_slowdown_rows([
                     (name(w), "heap-1m-", w)
                     for w in ["fillrandom", "overwrite", "readseq"]]))


TABLES["ch07-slowdown-heap"] = (ch07_slowdown_heap,
                                "ch07-slowdown/heap-1m-*")


@prose("07-speedups", "ch07-slowdown/1m-*, ch07-slowdown/10m-*",
       "sleeping later, the fills were {} to {}% faster")
def ch07_slowdown_gain():
    """The time saved by sleeping from 3x, in the fills of the first
    table."""
    run = Run("ch07-slowdown")
    gain = [100 * (1 - run.med(p + "sleep3x", w) / run.med(p + "sleep2x", w))
            for p, w in [("1m-", "fillrandom"), ("1m-", "overwrite"),
                         ("10m-", "fillrandom")]]
    return "%.0f" % min(gain), "%.0f" % max(gain)


@prose("07-speedups", "ch07-slowdown/peers-1m-3x",
       "a compaction was still writing in two rounds of three, and took {} "
       "and {} µs per entry in those rounds against {} in the other")
def ch07_slowdown_scans():
    """Stage 7's scans in the full run with the 3x build: those with bytes
    written during the scan, then the other."""
    rows = [r for r in Run("ch07-slowdown/peers-1m-3x").engine(S7)
            if r["benchmark"] == "readseq"]
    busy = [us(float(r["micros_per_op"])) for r in rows
            if float(r["bytes_written"]) > 0]
    quiet = [us(float(r["micros_per_op"])) for r in rows
             if float(r["bytes_written"]) == 0]
    if len(busy) != 2 or len(quiet) != 1:
        raise ValueError("ch07-slowdown/peers-1m-3x: %d scans with a "
                         "compaction writing, not 2 of 3" % len(busy))
    return busy[0], busy[1], quiet[0]


@prose("07-speedups", "peers-1m",
       "stage 7's writer slept {} to {} times in each `fillrandom` of a "
       "million keys and {} to {} times in each `overwrite`, none in "
       "`fillseq`, and waited at the stop in {} of its nine fills, {} ms in "
       "all. Stage 6, with neither brake, stalled {} to {} times a fill, "
       "for up to {} seconds in all.")
def ch07_brakes():
    """The counters slowdowns, stalls and stall_micros of stage 7's (and
    stage 6's) fills, every round."""
    run = Run("peers-1m")
    fills = ["fillseq", "fillrandom", "overwrite"]
    slept = lambda w: run.rounds(S7, w, "slowdowns")
    if max(slept("fillseq")) != 0:
        raise ValueError("peers-1m: stage 7 slept in fillseq")
    waits = [r for r in run.engine(S7)
             if r["benchmark"] in fills and float(r["stalls"]) > 0]
    if len(run.rounds(S7, "fillseq")) != 3:
        raise ValueError("peers-1m: not three rounds, not nine fills")
    s6 = [r for r in run.engine(S6) if r["benchmark"] in fills]
    n = lambda x: "{:,.0f}".format(x)
    return (n(min(slept("fillrandom"))), n(max(slept("fillrandom"))),
            n(min(slept("overwrite"))), n(max(slept("overwrite"))),
            "%d" % len(waits),
            "%.0f" % (sum(float(r["stall_micros"]) for r in waits) / 1e3),
            n(min(float(r["stalls"]) for r in s6)),
            n(max(float(r["stalls"]) for r in s6)),
            "%.1f" % (max(float(r["stall_micros"]) for r in s6) / 1e6))


@prose("07-speedups", "peers-1m",
       "{} `pread`s in `fillrandom` in stage 6, {} in stage 7 with `mmap=0`")
def ch07_fill_preads():
    run = Run("peers-1m")
    return ("{:,.0f}".format(run.med(S6, "fillrandom", "reads")),
            "{:,.0f}".format(run.med(S70, "fillrandom", "reads")))


@prose("07-speedups", "peers-1m",
       "the scan went from {} times slower than LevelDB's to {} of its "
       "speed")
def ch07_scan_even():
    run = Run("peers-1m")
    return ("%.0f" % (run.med(S6, "readseq") / run.med(LDB, "readseq")),
            "%.2f" % (run.med(LDB, "readseq") / run.med(S70, "readseq")))


@prose("07-speedups", "peers-1m",
       "The scan gained little ({} of the time)")
def ch07_mapped_scan():
    run = Run("peers-1m")
    r = run.med(S7, "readseq") / run.med(S70, "readseq")
    if r < 0.9:
        raise ValueError("peers-1m: the mapped scan took %.2f of mmap=0's "
                         "time, not little" % r)
    return "%.2f" % r


@prose("07-speedups", "peers-1m",
       "a get of a present key, {} times slower than LevelDB's in every "
       "round")
def ch07_get_left():
    run = Run("peers-1m")
    if any(a < b for a, b in zip(run.rounds(S70, "readrandom"),
                                 run.rounds(LDB, "readrandom"))):
        raise ValueError("peers-1m: stage 7, mmap=0 won a readrandom round")
    return "%.1f" % (run.med(S70, "readrandom") / run.med(LDB, "readrandom"))


@prose("07-speedups", "peers-1m",
       "The gets that read a block take {}% of the time")
def ch07_mapped_share():
    run = Run("peers-1m")
    return "%.0f" % (100 * run.med(S7, "readrandom") /
                     run.med(S70, "readrandom"))


@prose("07-speedups", "peers-1m",
       "counted {} to {} MB read and up to {} MB written during "
       "`readmissing`, against {} to {} MB read")
def ch07_missing_io():
    """What the I/O layer counted during readmissing, round by round: a
    compaction left over from the fills."""
    run = Run("peers-1m")
    mb = lambda x: "%.0f" % (x / 1e6)
    r7 = run.rounds(S7, "readmissing", "bytes_read")
    r0 = run.rounds(S70, "readmissing", "bytes_read")
    if max(run.rounds(S70, "readmissing", "bytes_written")) != 0:
        raise ValueError("peers-1m: mmap=0 wrote during readmissing")
    return (mb(min(r7)), mb(max(r7)),
            mb(max(run.rounds(S7, "readmissing", "bytes_written"))),
            mb(min(r0)), mb(max(r0)))


@prose("07-speedups", "ch07-quiet-scan",
       "stage 7 mapped {} to {} µs per entry after its first pass, `mmap=0` "
       "{} to {}, LevelDB {} to {}.")
def ch07_quiet_ranges():
    """Each engine's second scans (its rows alternate first, second)."""
    run = Run("ch07-quiet-scan")
    out = []
    for e in ["1m-stage7", "1m-stage7-mmap0", "1m-leveldb"]:
        v = [float(r["micros_per_op"]) for r in run.engine(e)[1::2]]
        out += [us(min(v)), us(max(v))]
    return tuple(out)


def ch07_lost(w):
    """The rounds of peers-1m in which stage 7 lost w to LevelDB."""
    run = Run("peers-1m")
    return [i for i, (a, b) in enumerate(zip(run.rounds(LDB, w),
                                             run.rounds(S7, w))) if a < b]


@prose("07-speedups", "peers-1m",
       "Stage 7 beats LevelDB on five of the six by the medians, and on four "
       "of them in every round: `fillseq`, `fillrandom` and both gets. "
       "`overwrite` lost one round of three, by {}%. The scan lost all three "
       "({} by the medians).")
def ch07_vs_leveldb_words():
    """The medians and rounds of the table above, and a guard on the
    words: which workloads won every round, and what lost."""
    run = Run("peers-1m")
    won = [w for w in SIX if run.med(LDB, w) > run.med(S7, w)]
    every = [w for w in SIX if not ch07_lost(w)]
    told = ["fillseq", "fillrandom", "readrandom", "readmissing"]
    if (len(won) != 5 or every != told or
            len(ch07_lost("overwrite")) != 1 or
            len(ch07_lost("readseq")) != 3):
        raise ValueError("peers-1m: stage 7 won every round of %s, lost "
                         "overwrite in rounds %s and readseq in %s: reword"
                         % (every, ch07_lost("overwrite"),
                            ch07_lost("readseq")))
    k = ch07_lost("overwrite")[0]
    a, b = run.rounds(LDB, "overwrite")[k], run.rounds(S7, "overwrite")[k]
    return ("%.0f" % (100 * (1 - a / b)),
            "%.2f" % (run.med(LDB, "readseq") / run.med(S7, "readseq")))


@prose("07-speedups", "peers-1m",
       "200,000 entries in about {} ms")
def ch07_scan_ms():
    run = Run("peers-1m")
    return "%.0f" % (run.med(S7, "readseq") * run.med(S7, "readseq", "ops")
                     / 1e3)


@prose("07-speedups", "peers-1m",
       "In the first round stage 7 took {} µs per entry, with {} bytes "
       "written (neither the counts nor the machine say why it was slow); "
       "in the second a compaction wrote {} MB during the scan, which took "
       "{}; in the third, with nothing written, {} against LevelDB's {}, "
       "and the store still had {} tables in L0 when it ended")
def ch07_scan_rounds():
    """Stage 7's three scans in peers-1m, round by round, with what the
    I/O layer counted written during each."""
    run = Run("peers-1m")
    t = run.rounds(S7, "readseq")
    wrote = run.rounds(S7, "readseq", "bytes_written")
    l0 = run.rounds(S7, "readseq", "tables_l0")
    if not (wrote[0] < 1e3 and wrote[1] > 1e6 and wrote[2] == 0):
        raise ValueError("peers-1m: stage 7's scans wrote %s bytes: the "
                         "sentence tells another story" % wrote)
    return (us(t[0]), "%.0f" % wrote[0], "%.1f" % (wrote[1] / 1e6),
            us(t[1]), us(t[2]), us(run.rounds(LDB, "readseq")[2]),
            "%.0f" % l0[2])


@prose("07-speedups", "ch04-ch07-syscalls",
       "a random 4 KiB `pread` took {}, {} and {} µs; touching two bytes of "
       "the same block through a mapping {}, {} and {} µs ({} to {} once "
       "the pages were mapped); a malloc, a 4 KiB copy and a free {}, {} "
       "and {} µs")
def ch07_pread_mmap():
    """ch04-ch07-syscalls/1m-pread-mmap.csv (run.sh there, with
    bench/pread_mmap.c): each round's mean µs per 4 KiB read, in the
    order the rounds ran."""
    rows = Run("ch04-ch07-syscalls").engine("1m-pread-mmap")
    if len(rows) != 3:
        raise ValueError("%d rounds, not three (reword)" % len(rows))

    def col(c):
        return [float(r[c]) for r in rows]
    second = col("mapped_second")
    return tuple(["%.2f" % x for x in col("pread")] +
                 ["%.3f" % x for x in col("mapped_first")] +
                 ["%.3f" % min(second), "%.3f" % max(second)] +
                 ["%.2f" % x for x in col("malloc_copy_free")])


@prose("07-speedups", "ch04-ch07-syscalls",
       "checking 4 KiB with `common/crc32c.c`'s tables takes {} µs (the "
       "median of three runs")
def ch07_crc_tables():
    """ch04-ch07-syscalls/1m-crc.csv (bench/crc_cost.c): µs per 4 KiB
    block, one row per round."""
    return sig3(ch07_crc("tables"))


@prose("07-speedups", "ch04-ch07-syscalls",
       "8 bytes at a time: {} µs for the same block")
def ch07_crc_hardware():
    return sig3(ch07_crc("crc32c_extend"))


def ch07_crc(col):
    rows = Run("ch04-ch07-syscalls").engine("1m-crc")
    if len(rows) != 3:
        raise ValueError("ch04-ch07-syscalls/1m-crc.csv: %d rounds, not "
                         "three" % len(rows))
    return statistics.median(float(r[col]) for r in rows)
