"""Chapter 3's figures (docs/03-sstable.md): the functions that make its fenced
tables and its sentences quoting a measured figure, registered into kit.TABLES
and, by @prose, kit.PHRASES (tools/check_figures.py checks them against the
text)."""

import csv
import os

from . import kit
from .kit import (ROOT, Run, S2, S3, TABLES, at, board, count, dat,
                  distinct_keys, human_time, op_time, per_op, prose, sep,
                  sig3, table)


# --- chapter 3's tables (docs/03-sstable.md) ---


def ch03_measured():
    run = Run("ch03-measured")
    a, b = "stage2-hash-index", "stage3-sstable"
    both = lambda f: "%s | %s" % (f(a), f(b))
    rows = [
        "| `fillrandom` | %s |" % both(
            lambda e: op_time(run, e, "fillrandom")),
        "| `open`: time | %s |" % both(
            lambda e: human_time(run.med(e, "open"))),
        "| `open`: bytes read (reads) | %s |" % both(
            lambda e: "{:,.0f} ({:,.0f})".format(
                run.med(e, "open", "bytes_read"),
                run.med(e, "open", "reads"))),
        "| `readrandom` | %s |" % both(
            lambda e: op_time(run, e, "readrandom")),
        "| `readrandom`: reads, bytes read per get | %s |" % both(
            lambda e: "%s, %s" % (count(round(per_op(run, e, "readrandom",
                                                     "reads"), 2)),
                                  "{:,.0f}".format(per_op(
                                      run, e, "readrandom", "bytes_read")))),
        "| `readmissing` | %s |" % both(
            lambda e: op_time(run, e, "readmissing")),
        "| `readmissing`: reads per get | %s |" % both(
            lambda e: count(round(per_op(run, e, "readmissing", "reads"), 2))),
        "| `readseq` | %s |" % both(
            lambda e: op_time(run, e, "readseq", "µs/entry")),
        "| index in memory (`index_bytes`) | %s |" % both(
            lambda e: "{:,.0f}".format(run.med(e, "readrandom",
                                               "index_bytes"))),
        "| bytes on disk (after the reopen) | %s |" % both(
            lambda e: "{:,.0f}".format(run.med(e, "open", "disk_bytes"))),
    ]
    return table("| 1,000,000 entries | stage 2 | stage 3 |", rows)


TABLES["ch03-measured"] = (ch03_measured, "ch03-measured")


# --- chapter 3's sentences (docs/03-sstable.md) ---


CH03_S2, CH03_S3 = "stage2-hash-index", "stage3-sstable"


def ch03_med(e, w, col="micros_per_op"):
    """A median of ch03-measured/ (the counts are the same every round)."""
    return Run("ch03-measured").med(e, w, col)


def ch03_per_get(e, w, col):
    return ch03_med(e, w, col) / ch03_med(e, w, "ops")


def ch03_distinct_keys():
    """The distinct keys of the bench's fillrandom of a million: a readseq
    over the whole store counts them (ch07-heap/, chapter 7's run; the
    keys do not depend on the engine)."""
    got = {r["entries"] for r in Run("ch07-heap").engine("1m-after-l0")
           if r["benchmark"] == "readseq"}
    if got != {str(distinct_keys((1001,)))}:
        raise ValueError("ch07-heap/1m-after-l0.csv: readseq counts %s, "
                         "the seeds make %d" % (", ".join(sorted(got)),
                                                distinct_keys((1001,))))
    return distinct_keys((1001,))


def ch03_fill_blocks():
    """The data blocks the fill's tables hold: each table the fill flushes
    is its data blocks, an index block and a footer, one write(2) each."""
    return (ch03_med(CH03_S3, "fillrandom", "writes") -
            2 * ch03_med(CH03_S3, "fillrandom", "tables"))


@prose("03-sstable", "ch03-measured, ch07-heap",
       "the {} tables the fill flushed hold {} data blocks and {} bytes of "
       "index, {} bytes per block; the {} tables of the reopened store hold "
       "{} bytes of index, {} bytes per distinct key")
def ch03_index_per_block():
    blocks = ch03_fill_blocks()
    fill_index = ch03_med(CH03_S3, "fillrandom", "index_bytes")
    index = ch03_med(CH03_S3, "open", "index_bytes")
    return ("%.0f" % ch03_med(CH03_S3, "fillrandom", "tables"),
            "{:,.0f}".format(blocks), "{:,.0f}".format(fill_index),
            "%.0f" % (fill_index / blocks),
            "%.0f" % ch03_med(CH03_S3, "open", "tables"),
            "{:,.0f}".format(index), "%.2f" % (index / ch03_distinct_keys()))


@prose("03-sstable", "ch03-measured",
       "puts made {} flushes, about {} puts per memtable")
def ch03_flushes():
    """The fill's flushes (its tables before the close flushes one more),
    and its puts over them, to the thousand."""
    n = ch03_med(CH03_S3, "fillrandom", "tables")
    puts = ch03_med(CH03_S3, "fillrandom", "ops") / n
    return "%.0f" % n, "{:,.0f}".format(round(puts, -3))


@prose("03-sstable", "ch07-heap",
       "at random from a million, so {} distinct keys are written")
def ch03_distinct():
    return "{:,}".format(ch03_distinct_keys())


def ch03_open_ratio():
    return "%.0f" % (ch03_med(CH03_S2, "open", "bytes_read") /
                     ch03_med(CH03_S3, "open", "bytes_read"))


@prose("03-sstable", "ch03-measured",
       "reads {} times fewer bytes** ({} / {}): a footer and an index block "
       "for each of {} tables")
def ch03_open_bytes():
    return (ch03_open_ratio(),
            "{:,.0f}".format(ch03_med(CH03_S2, "open", "bytes_read")),
            "{:,.0f}".format(ch03_med(CH03_S3, "open", "bytes_read")),
            "%.0f" % ch03_med(CH03_S3, "open", "tables"))


@prose("03-sstable", "ch03-measured",
       "The index in memory is {} times smaller.")
def ch03_index_smaller():
    return "%.0f" % (ch03_med(CH03_S2, "readrandom", "index_bytes") /
                     ch03_med(CH03_S3, "readrandom", "index_bytes"))


@prose("03-sstable", "ch03-measured",
       "per put ({} writes), stage 3 writes a block at a time ({} writes)")
def ch03_fill_writes():
    return tuple("{:,.0f}".format(ch03_med(e, "fillrandom", "writes"))
                 for e in (CH03_S2, CH03_S3))


def ch03_slower():
    """Stage 3's median time over stage 2's, readrandom and readmissing."""
    return tuple("%.0f" % (ch03_med(CH03_S3, w) / ch03_med(CH03_S2, w))
                 for w in ("readrandom", "readmissing"))


@prose("03-sstable", "ch03-measured",
       "Gets are {} times slower, and gets of a missing key {} times**")
def ch03_gets_slower():
    return ch03_slower()


@prose("03-sstable", "ch03-measured",
       "random puts left {} tables, and random keys")
def ch03_tables_left():
    return "%.0f" % ch03_med(CH03_S3, "readrandom", "tables")


@prose("03-sstable", "ch03-measured",
       "The {}% of gets for a key never written read all {} tables; the "
       "others stop, on average, at table {}.")
def ch03_missing_share():
    """A get not found reads a block in every table; so the blocks the
    found ones read, over the found ones, is where they stop."""
    ops = ch03_med(CH03_S3, "readrandom", "ops")
    found = ch03_med(CH03_S3, "readrandom", "entries")
    tables = ch03_med(CH03_S3, "readrandom", "tables")
    reads = ch03_med(CH03_S3, "readrandom", "reads")
    return ("%.1f" % (100 * (ops - found) / ops), "%.0f" % tables,
            "%.0f" % ((reads - (ops - found) * tables) / found))


@prose("03-sstable", "ch03-measured",
       "That is {} block reads and {} KB per get, against stage 2's one "
       "{}-byte record, and `readmissing` reads exactly {} blocks per get.")
def ch03_reads_per_get():
    record = (ch03_med(CH03_S2, "readrandom", "bytes_read") /
              ch03_med(CH03_S2, "readrandom", "reads"))
    return ("%.1f" % ch03_per_get(CH03_S3, "readrandom", "reads"),
            sig3(ch03_per_get(CH03_S3, "readrandom", "bytes_read") / 1e3),
            "%.0f" % record,
            count(ch03_per_get(CH03_S3, "readmissing", "reads")))


@prose("03-sstable", "ch03-measured",
       "a crc and a search, about {} µs with the store in the page cache")
def ch03_read_time():
    """readmissing's median time over its block reads per get."""
    return "%.1f" % (ch03_med(CH03_S3, "readmissing") /
                     ch03_per_get(CH03_S3, "readmissing", "reads"))


@prose("03-sstable", "ch03-measured",
       "({} reads, {} MB, for its 100,000 entries)")
def ch03_readseq():
    return ("{:,.0f}".format(ch03_med(CH03_S3, "readseq", "reads")),
            sig3(ch03_med(CH03_S3, "readseq", "bytes_read") / 1e6))


@prose("03-sstable", "ch03-open-cost-stage2.dat, ch03-open-cost-stage3.dat, "
       "ch03-measured",
       "stage 2 reads {} bytes in {} ms, stage 3 {} bytes in {} ms, {} times "
       "fewer bytes ({} after `fillrandom`)")
def ch03_chart_open():
    a = at(dat("ch03-open-cost-stage2"), "entries", 1000000)
    b = at(dat("ch03-open-cost-stage3"), "entries", 1000000)
    return ("{:,.0f}".format(a["bytes_read"]), "%.0f" % a["open_ms"],
            "{:,.0f}".format(b["bytes_read"]), "%.2f" % b["open_ms"],
            "%.0f" % (a["bytes_read"] / b["bytes_read"]), ch03_open_ratio())


@prose("03-sstable", "ch03-index-memory-stage2.dat, "
       "ch03-index-memory-stage3.dat",
       "At 1,000,000 keys: {} MiB ({} bytes per key) for stage 2, {} MiB ({} "
       "bytes per key) for stage 3, and {} to {} bytes per key at every size.")
def ch03_chart_index():
    s3 = dat("ch03-index-memory-stage3")
    a = at(dat("ch03-index-memory-stage2"), "entries", 1000000)
    b = at(s3, "entries", 1000000)
    per_key = [r["index_bytes_per_key"] for r in s3]
    return ("%.1f" % a["index_mb"], "%.1f" % a["index_bytes_per_key"],
            "%.2f" % b["index_mb"], "%.2f" % b["index_bytes_per_key"],
            "%.2f" % min(per_key), "%.2f" % max(per_key))


@prose("03-sstable", "ch03-crash-loss-stage3.dat, ch03-crash-loss-stage4.dat",
       "Stage 3 loses {} at a 16 KiB memtable and {} at the default 4 MiB (a "
       "full 4 MiB memtable holds {} entries: the loss is whatever arrived "
       "since the last flush, a sawtooth); stage 4, next chapter, loses {} "
       "at every size.")
def ch03_crash():
    s3 = dat("ch03-crash-loss-stage3")
    small, full = at(s3, "memtable_kib", 16), at(s3, "memtable_kib", 4096)
    worst = max(r["writes_lost"] for r in dat("ch03-crash-loss-stage4"))
    return ("{:,.0f}".format(small["writes_lost"]),
            "{:,.0f}".format(full["writes_lost"]),
            "{:,.0f}".format(full["entries_per_flushed_table"]),
            "{:,.0f}".format(worst))


def ch03_scan_tables():
    """The tables the chart's seekrandom runs met (in the fill's process,
    so the memtable too), from the rows its sweep wrote (ch03-scan.cmd)
    into stage3-sstable.csv."""
    path = os.path.join(kit.DATA, "stage3-sstable.csv")
    if not os.path.exists(path):
        raise LookupError("%s: no such file" % os.path.relpath(path, ROOT))
    with open(path, newline="") as f:
        got = {r["tables"] for r in csv.DictReader(f)
               if r["benchmark"] == "seekrandom" and r["num"] == "1000000"}
    if len(got) != 1:
        raise ValueError("stage3-sstable.csv: seekrandom tables %s" %
                         ", ".join(sorted(got)))
    return got.pop()


@prose("03-sstable", "ch03-scan-stage3.dat",
       "a scan of 1 entry runs at {} entries/s (the seek, into {} tables and "
       "the memtable, is the whole cost: {} µs), of 100 entries at {} "
       "entries/s ({} MB/s), of 10,000 at {} entries/s ({} MB/s)")
def ch03_scan():
    rows = dat("ch03-scan-stage3")
    one, hundred = at(rows, "seek_nexts", 1), at(rows, "seek_nexts", 100)
    big = at(rows, "seek_nexts", 10000)
    rate = lambda r: "{:,.0f}".format(r["entries_per_sec"])
    return (rate(one), ch03_scan_tables(), "%.0f" % one["micros_per_seek"],
            rate(hundred), "%.1f" % hundred["mb_per_sec"], rate(big),
            "%.1f" % big["mb_per_sec"])


@prose("03-sstable", "ch03-measured",
       "*Open reads {} times fewer bytes than stage 2's. What does it read?* "
       "A footer and an index block for each of the {} tables, plus `STORE`: "
       "{} bytes against the whole log.")
def ch03_question_open():
    return (ch03_open_ratio(), "%.0f" % ch03_med(CH03_S3, "open", "tables"),
            "{:,.0f}".format(ch03_med(CH03_S3, "open", "bytes_read")))


@prose("03-sstable", "ch03-measured",
       "*Why are gets {} times slower than stage 2's?*")
def ch03_question_slower():
    return ch03_slower()[0]


@prose("03-sstable", "ch03-measured",
       "random puts left {} tables whose ranges all cover every key, so the "
       "index never rules a table out: a get reads one block per table, "
       "newest first, until it meets the key ({} reads on average), and a "
       "missing key reads all {}.")
def ch03_question_reads():
    return ("%.0f" % ch03_med(CH03_S3, "readrandom", "tables"),
            "%.1f" % ch03_per_get(CH03_S3, "readrandom", "reads"),
            count(ch03_per_get(CH03_S3, "readmissing", "reads")))


@prose("03-sstable", "ch03-measured",
       "Stage 3 writes a block at a time ({} writes, against one per put)")
def ch03_question_fill():
    return "{:,.0f}".format(ch03_med(CH03_S3, "fillrandom", "writes"))


@prose("03-sstable", "scoreboard",
       "Stage 3's figures: a get reads {} bytes at 1,000 keys and {} at "
       "4,000")
def ch03_board_get():
    n = board(S3, "get_o1")
    return sep(n[0]), sep(n[2])


@prose("03-sstable", "scoreboard",
       "open reads {} of {} bytes on disk; the index holds {} bytes per key "
       "(stage 2: {})")
def ch03_board_open_index():
    o = board(S3, "open_index")
    return (sep(o[0]), sep(o[1]), board(S3, "index_memory")[3],
            board(S2, "index_memory")[3])
