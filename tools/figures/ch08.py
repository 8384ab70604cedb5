"""Chapter 8's figures (docs/08-against-leveldb.md): the functions that make
its fenced tables and its sentences quoting a measured figure, registered into
kit.TABLES and, by @prose, kit.PHRASES (tools/check_figures.py checks them
against the text)."""

from .kit import (FOUR, LDB, RDB, Run, S6, S7, SIX, SQL, TABLES, count,
                  disk_mb, ms, name, peak_mib, per_op, prose, ratio_wins,
                  sig3, table, us)


# --- chapter 8's tables (docs/08-against-leveldb.md) ---


def peers_table(run, workloads, header, sqlite_run):
    rows = []
    engines = [S6, S7, LDB, RDB, SQL]
    src = lambda e: sqlite_run if e == SQL else run
    for w in workloads:
        cells = [us(src(e).med(e, w)) for e in engines]
        ratios = []
        for p in [LDB, RDB, SQL]:
            if p == SQL and sqlite_run is not run:  # its rounds: vs the median
                a, m7 = sqlite_run.rounds(SQL, w), run.med(S7, w)
                ratios.append("%.2f (%d of %d)" % (
                    sqlite_run.med(SQL, w) / m7, sum(x > m7 for x in a),
                    len(a)))
            else:
                ratios.append(ratio_wins(run, p, S7, w))
        ratios[0] = "**%s**" % ratios[0]
        rows.append("| %s | %s | %s |" % (name(w), " | ".join(cells),
                                          " | ".join(ratios)))
    rows.append("| peak memory (max RSS) | %s | | | |" % " | ".join(
        "%.0f MiB" % peak_mib(src(e), e) for e in engines))
    rows.append("| bytes on disk at the end | %s | | | |" % " | ".join(
        "%.1f MB" % disk_mb(src(e), e) for e in engines))
    return table(header, rows)


def ch08_peers_1m():
    run = Run("peers-1m")
    return peers_table(run, SIX, "| 1,000,000 entries | stage 6 | stage 7 | "
                       "LevelDB | RocksDB | SQLite | **LevelDB / 7** | "
                       "RocksDB / 7 | SQLite / 7 |", run)


def ch08_peers_10m():
    return peers_table(Run("peers-10m"), FOUR, "| 10,000,000 entries | "
                       "stage 6 | stage 7 | LevelDB | RocksDB | SQLite (1 "
                       "round) | **LevelDB / 7** | RocksDB / 7 | SQLite / 7 "
                       "|", Run("peers-10m-sqlite"))


def ch08_stages_100k():
    stages = ["stage1-append-log", "stage2-hash-index", "stage3-sstable",
              "stage4-wal-recovery", "stage5-compaction", S6, S7]
    one, rest = Run("stages-100k/stage1"), Run("stages-100k")
    src = lambda s: one if s.startswith("stage1") else rest

    def cells(f):
        return " | ".join(f(src(s), s) for s in stages)

    def per_op(col, w):
        return lambda r, s: count(r.med(s, w, col) / r.med(s, w, "ops"))

    def scan(r, s):
        if "readseq" not in r.workloads(s):
            return "not supported"
        return us(r.med(s, "readseq"))

    rows = [
        "| `fillrandom` µs/op | %s |" % cells(
            lambda r, s: us(r.med(s, "fillrandom"))),
        "| `readrandom` µs/op | %s |" % cells(
            lambda r, s: us(r.med(s, "readrandom"))),
        "| reads per get | %s |" % cells(per_op("reads", "readrandom")),
        "| `readmissing` µs/op | %s |" % cells(
            lambda r, s: us(r.med(s, "readmissing"))),
        "| reads per missing get | %s |" % cells(
            per_op("reads", "readmissing")),
        "| `readseq` µs/entry | %s |" % cells(scan),
        "| `open` ms | %s |" % cells(lambda r, s: ms(r.med(s, "open"))),
        "| `open`: bytes read | %s |" % cells(
            lambda r, s: "{:,.0f}".format(r.med(s, "open", "bytes_read"))),
        "| bytes on disk after the fill | %s |" % cells(
            lambda r, s: "{:,.0f}".format(r.med(s, "fillrandom",
                                                "disk_bytes"))),
    ]
    return table("| 100,000 entries | 1 append-log | 2 hash-index | "
                 "3 sstable | 4 wal-recovery | 5 compaction | "
                 "6 bloom-concurrency | 7 speedups |", rows)


def ch08_defaults():
    """The peers with their own defaults (-o defaults=1), one round, from
    peers-1m-defaults/."""
    run = Run("peers-1m-defaults")
    rows = []
    for w in SIX:
        rows.append("| `%s` | %s |" % (w, " | ".join(
            sig3(run.med(e, w)) for e in (LDB, RDB, SQL))))
    rows.append("| on disk at the end | %s |" % " | ".join(
        "%.1f MB" % disk_mb(run, e) for e in (LDB, RDB, SQL)))
    return table("| 1,000,000 entries, `defaults=1`, µs/op | LevelDB | "
                 "RocksDB | SQLite |", rows)


TABLES["ch08-defaults"] = (ch08_defaults, "peers-1m-defaults")
TABLES["ch08-peers-1m"] = (ch08_peers_1m, "peers-1m")
TABLES["ch08-peers-10m"] = (ch08_peers_10m, "peers-10m, peers-10m-sqlite")
TABLES["ch08-stages-100k"] = (ch08_stages_100k, "stages-100k, "
                              "stages-100k/stage1")


# --- chapter 8's sentences (docs/08-against-leveldb.md) ---


CH08 = "08-against-leveldb"


def ch08_stages(s):
    """Stage s's run in stages-100k (stage 1's: its own folder)."""
    return Run("stages-100k/stage1" if s.startswith("stage1") else
               "stages-100k")


@prose(CH08, "stages-100k/stage1",
       "Stage 1 reads its whole log ({} reads, {} MB) per get")
def ch08_stage1_get():
    s = "stage1-append-log"
    run = ch08_stages(s)
    return (count(per_op(run, s, "readrandom", "reads")),
            "%.1f" % (per_op(run, s, "readrandom", "bytes_read") / 1e6))


@prose(CH08, "stages-100k", "its open reads the whole log again, {} MB")
def ch08_stage2_open():
    s = "stage2-hash-index"
    return "%.1f" % (ch08_stages(s).med(s, "open", "bytes_read") / 1e6)


@prose(CH08, "stages-100k",
       "index blocks ({} KB), and can scan, but a get reads a block in "
       "every table until it finds the key: {} tables at this size")
def ch08_stage3():
    s = "stage3-sstable"
    run = ch08_stages(s)
    return ("%.0f" % (run.med(s, "open", "bytes_read") / 1e3),
            "%.0f" % run.med(s, "readrandom", "tables"))


@prose(CH08, "stages-100k", "(the fill is {} times as slow)")
def ch08_stage4_fill():
    run = ch08_stages("stage4")
    return "%.1f" % (run.med("stage4-wal-recovery", "fillrandom") /
                     run.med("stage3-sstable", "fillrandom"))


@prose(CH08, "stages-100k", "so a get reads one block ({})")
def ch08_stage5_get():
    s = "stage5-compaction"
    return count(per_op(ch08_stages(s), s, "readrandom", "reads"))


@prose(CH08, "stages-100k",
       "Stage 6 answers a missing key from its filters ({} reads per "
       "missing get), and its fill no longer waits for flushes and "
       "compactions in the writer's thread; its open reads the filters "
       "too ({} KB)")
def ch08_stage6():
    run = ch08_stages(S6)
    return (count(per_op(run, S6, "readmissing", "reads")),
            "%.0f" % (run.med(S6, "open", "bytes_read") / 1e3))


@prose(CH08, "stages-100k",
       "Stage 7 reads the same blocks as stage 6 ({} per get: a mapped "
       "read is counted as the read it replaces), in place, and takes "
       "less than half the time; its scan is {} times as fast")
def ch08_stage7():
    run = ch08_stages(S7)
    return (count(per_op(run, S7, "readrandom", "reads")),
            "%.1f" % (run.med(S6, "readseq") / run.med(S7, "readseq")))


@prose(CH08, "stages-100k, ch03-measured, ch05-measured",
       "stage 3's pile-up is only {} tables: its chapter and chapter 5 "
       "(for stage 4) show it at a million, where a missing get read {} "
       "and {} blocks")
def ch08_pileup():
    """Stage 3's tables at 100,000 entries; at a million, the reads per
    missing get of stage 3 (ch03-measured) and stage 4 (ch05-measured)."""
    s3, s4 = "stage3-sstable", "stage4-wal-recovery"
    return ("%.0f" % ch08_stages(s3).med(s3, "readrandom", "tables"),
            count(per_op(Run("ch03-measured"), s3, "readmissing", "reads")),
            count(per_op(Run("ch05-measured"), s4, "readmissing", "reads")))


def ch08_rounds_lost(run, peer, w):
    """The rounds of w in RUN that stage 7 lost to PEER."""
    return sum(1 for x, y in zip(run.rounds(peer, w), run.rounds(S7, w))
               if x < y)


@prose(CH08, "peers-1m",
       "SQLite's writes take {} to {} times as long (a B-tree rewrites a "
       "page per random put where an LSM appends to a log); its get of a "
       "present key, one descent of one B-tree through an 8 MiB page cache, "
       "{} times.")
def ch08_sqlite_1m():
    """The fills' SQLite / stage 7 medians, lowest and highest, then
    readrandom's; the check fails unless stage 7 won every workload
    against RocksDB and SQLite by the medians and lost one scan round to
    each and nothing else, as the sentence before says."""
    run = Run("peers-1m")
    for peer in (RDB, SQL):
        lost = {w: ch08_rounds_lost(run, peer, w) for w in SIX}
        if (any(run.med(peer, w) < run.med(S7, w) for w in SIX) or
                lost["readseq"] != 1 or sum(lost.values()) != 1):
            raise ValueError("peers-1m: stage 7 lost rounds %s to %s: "
                             "reword" % (lost, peer))
    fills = [run.med(SQL, w) / run.med(S7, w)
             for w in ["fillseq", "fillrandom", "overwrite"]]
    return ("%.1f" % min(fills), "%.1f" % max(fills),
            "%.2f" % (run.med(SQL, "readrandom") / run.med(S7, "readrandom")))


@prose(CH08, "peers-1m", "which is why they are {} and {} times stage 6's")
def ch08_memory_1m():
    run = Run("peers-1m")
    return tuple("%.1f" % (peak_mib(run, e) / peak_mib(run, S6))
                 for e in (S7, LDB))


@prose(CH08, "peers-10m-sqlite",
       "its fill of ten million random keys takes {} minutes")
def ch08_sqlite_fill_minutes():
    run = Run("peers-10m-sqlite")
    return "%.1f" % (run.med(SQL, "fillrandom") *
                     run.med(SQL, "fillrandom", "ops") / 60e6)


@prose(CH08, "peers-10m, peers-10m-sqlite",
       "LevelDB ({} against {} µs) but in {} times stage 7's time, scans "
       "in {} times stage 7's, and fills in {} times")
def ch08_sqlite_10m():
    run, sql = Run("peers-10m"), Run("peers-10m-sqlite")
    x = lambda w: sql.med(SQL, w) / run.med(S7, w)
    return (us(sql.med(SQL, "readrandom")), us(run.med(LDB, "readrandom")),
            "%.2f" % x("readrandom"), "%.2f" % x("readseq"),
            "%.1f" % x("fillrandom"))


@prose(CH08, "peers-10m",
       "by the medians stage 7 answers a present key in {}% of LevelDB's "
       "time and a missing one in {}%, it wins both in every round, and it "
       "beats RocksDB on all four.")
def ch08_gets_10m():
    """Stage 7's share of LevelDB's time on the two gets; the check fails
    if stage 7 lost a round of a get to LevelDB, or a round of anything to
    RocksDB."""
    run = Run("peers-10m")
    lost = [(p, w) for p, ws in ((LDB, ("readrandom", "readmissing")),
                                 (RDB, FOUR))
            for w in ws if ch08_rounds_lost(run, p, w)]
    if lost:
        raise ValueError("peers-10m: stage 7 lost rounds of %s" % lost)
    return tuple("%.0f" % (100 * run.med(S7, w) / run.med(LDB, w))
                 for w in ("readrandom", "readmissing"))


@prose(CH08, "peers-10m",
       "The fill is stage 7's in every round ({}), and so is the scan, "
       "narrowly ({}).")
def ch08_leveldb_10m():
    """LevelDB / stage 7 medians; the check fails if stage 7 lost a
    round of either."""
    run = Run("peers-10m")
    for w in ("fillrandom", "readseq"):
        if ch08_rounds_lost(run, LDB, w):
            raise ValueError("peers-10m: stage 7 lost a round of %s" % w)
    return ("%.2f" % (run.med(LDB, "fillrandom") / run.med(S7, "fillrandom")),
            "%.2f" % (run.med(LDB, "readseq") / run.med(S7, "readseq")))


@prose(CH08, "peers-10m",
       "({} to {} MB written during `readrandom`, {} to {} MB during the")
def ch08_compaction_writes():
    """Stage 7's bytes written during two reads, lowest and highest
    round."""
    run = Run("peers-10m")
    rr = run.rounds(S7, "readrandom", "bytes_written")
    rs = run.rounds(S7, "readseq", "bytes_written")
    return ("%.0f" % (min(rr) / 1e6), "%.0f" % (max(rr) / 1e6),
            "%.1f" % (min(rs) / 1e6), "%.1f" % (max(rs) / 1e6))


@prose(CH08, "peers-10m",
       "stage 7's writer slept {} to {} times for a full L0 (the CSV's "
       "`slowdowns`: {} to {} of its {} to {} seconds), waiting for "
       "compactions to bring L0 down, and the fill wrote {} GB, {} times "
       "the {} GB put")
def ch08_slowdowns():
    """Stage 7's fillrandom: slowdowns (a sleep of 1 ms each) and the
    fill's seconds, lowest and highest round; the median bytes written
    against the bytes put (a 16-byte key and a 100-byte value each)."""
    run = Run("peers-10m")
    n = run.rounds(S7, "fillrandom", "slowdowns")
    secs = [t * ops / 1e6 for t, ops in zip(
        run.rounds(S7, "fillrandom"), run.rounds(S7, "fillrandom", "ops"))]
    put = run.med(S7, "fillrandom", "ops") * 116
    wrote = run.med(S7, "fillrandom", "bytes_written")
    return ("{:,.0f}".format(min(n)), "{:,.0f}".format(max(n)),
            "%.0f" % (min(n) / 1e3), "%.0f" % (max(n) / 1e3),
            "%.0f" % min(secs), "%.0f" % max(secs), "%.1f" % (wrote / 1e9),
            "%.1f" % (wrote / put), "%.2f" % (put / 1e9))


@prose(CH08, "peers-10m",
       "over about {} tables, is {} times slower than stage 7's")
def ch08_stage6_scan():
    """Stage 6's tables (to the hundred, as "about" says) and its scan's
    time over stage 7's."""
    run = Run("peers-10m")
    return ("%.0f" % round(run.med(S6, "readseq", "tables"), -2),
            "%.0f" % (run.med(S6, "readseq") / run.med(S7, "readseq")))


@prose(CH08, "peers-10m", "cache, stays at {} MiB")
def ch08_rocksdb_memory():
    return "%.0f" % peak_mib(Run("peers-10m"), RDB)


@prose(CH08, "peers-1m-defaults, peers-1m",
       "Snappy shrinks LevelDB's store to {} MB (the values are "
       "half-compressible text; {} MB without it, in the run above)")
def ch08_snappy():
    return ("%.1f" % disk_mb(Run("peers-1m-defaults"), LDB),
            "%.1f" % disk_mb(Run("peers-1m"), LDB))


@prose(CH08, "peers-1m-defaults",
       "here they take {}% and {}% of the time of a get that finds its key")
def ch08_missing_no_filter():
    run = Run("peers-1m-defaults")
    return tuple("%.0f" % (100 * run.med(e, "readmissing") /
                           run.med(e, "readrandom")) for e in (LDB, RDB))


@prose(CH08, "peers-1m-defaults, peers-1m",
       "RocksDB's store came out larger with compression than without "
       "({} MB here, {} MB in the run above)")
def ch08_rocksdb_snappy():
    a, b = disk_mb(Run("peers-1m-defaults"), RDB), disk_mb(Run("peers-1m"),
                                                           RDB)
    if a <= b:
        raise ValueError("RocksDB's store: %.1f MB compressed, %.1f MB not: "
                         "reword" % (a, b))
    return "%.1f" % a, "%.1f" % b


@prose(CH08, "peers-1m-defaults, peers-1m", "a store of {} MB against {} MB")
def ch08_compression_row():
    """The table of what production engines do: its compression row."""
    return ch08_snappy()
