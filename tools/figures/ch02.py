"""Chapter 2's figures (docs/02-hash-index.md): the functions that make its
fenced tables and its sentences quoting a measured figure, registered into
kit.TABLES and, by @prose, kit.PHRASES (tools/check_figures.py checks them
against the text)."""

from .kit import TABLES, at, dat, human_bytes, human_time, prose, sig3


# --- chapter 2's tables (docs/02-hash-index.md) ---


def stage1_vs_stage2(chart, time_col, to_micros, bytes_col, header):
    """Chapter 2's tables: stage 1 and stage 2 at three sizes, from the
    chart's two .dat files (time_col x to_micros is a time in µs)."""
    s1, s2 = dat(chart + "-stage1"), dat(chart + "-stage2")
    out = []
    for n in [1000, 100000, 1000000]:
        a, b = at(s1, "entries", n), at(s2, "entries", n)
        out.append("| {:,} | {} | {} | {} |".format(
            n, human_time(a[time_col] * to_micros),
            human_time(b[time_col] * to_micros), human_bytes(b[bytes_col])))
    return [header, "|---:|---:|---:|---:|"] + out


def ch02_get_fix():
    return stage1_vs_stage2("ch02-get-fix", "micros_per_get", 1,
                            "bytes_read_per_get",
                            "| entries | stage 1 get | stage 2 get | stage 2 "
                            "bytes read per get |")


def ch02_open_cost():
    return stage1_vs_stage2("ch02-open-cost", "open_ms", 1000, "bytes_read",
                            "| entries | stage 1 open | stage 2 open | "
                            "stage 2 bytes read at open |")


TABLES["ch02-get-fix"] = (ch02_get_fix, "ch02-get-fix-stage1.dat, "
                          "ch02-get-fix-stage2.dat")
TABLES["ch02-open-cost"] = (ch02_open_cost, "ch02-open-cost-stage1.dat, "
                            "ch02-open-cost-stage2.dat")


# --- chapter 2's sentences (docs/02-hash-index.md) ---


def ch02_million(chart):
    return at(dat(chart), "entries", 1000000)


def ch02_log_mb():
    """The store at a million entries, from the open chart's data."""
    return sig3(ch02_million("ch02-open-cost-stage2")["store_bytes"] / 1e6)


def ch02_get_bytes():
    """Stage 2's bytes read per get: the same at every size, or an
    error (the chapter says "whatever the size of the log")."""
    got = {r["bytes_read_per_get"] for r in dat("ch02-get-fix-stage2")}
    if len(got) != 1:
        raise ValueError("ch02-get-fix-stage2.dat: bytes read per get "
                         "differ across sizes: %s" % sorted(got))
    return "{:,.0f}".format(got.pop())


def ch02_keydir_mib():
    return "%.0f" % ch02_million("ch02-index-memory")["index_mb"]


@prose("02-hash-index", "ch02-open-cost-stage2.dat",
       "A store of a million 100-byte values is about {} MB of log")
def ch02_log_million():
    return ch02_log_mb()


@prose("02-hash-index", "ch02-get-fix-stage2.dat",
       "A get in stage 2 reads {} bytes, one record, whatever the size of "
       "the log.")
def ch02_get_record():
    return ch02_get_bytes()


@prose("02-hash-index", "ch02-index-memory.dat",
       "because the keydir ({} MB by then)")
def ch02_keydir_then():
    """index_mb is in MiB; the sentence says MB."""
    mib = ch02_million("ch02-index-memory")["index_mb"]
    return "%.0f" % (mib * 1024 * 1024 / 1e6)


@prose("02-hash-index", "ch02-index-memory.dat, ch02-open-cost-stage2.dat",
       "At a million keys the keydir holds {} MiB ({} bytes per key) to "
       "index {} MB of log")
def ch02_keydir_million():
    r = ch02_million("ch02-index-memory")
    return (ch02_keydir_mib(), "%.1f" % r["index_bytes_per_key"],
            ch02_log_mb())


@prose("02-hash-index", "ch02-get-fix-stage2.dat",
       "Why does a stage 2 get read {} bytes whatever the size of the log?")
def ch02_check_get():
    return ch02_get_bytes()


@prose("02-hash-index", "ch02-open-cost-stage1.dat, "
       "ch02-open-cost-stage2.dat",
       "Open went from {} ms in stage 1 to {} ms at a million entries.")
def ch02_check_open():
    a = ch02_million("ch02-open-cost-stage1")["open_ms"]
    b = ch02_million("ch02-open-cost-stage2")["open_ms"]
    return "%.2f" % a, sig3(b)


@prose("02-hash-index", "ch02-open-cost-stage2.dat",
       "The whole log, {} MB, to learn where every key's latest")
def ch02_check_open_reads():
    r = ch02_million("ch02-open-cost-stage2")
    return sig3(r["bytes_read"] / 1e6)


@prose("02-hash-index", "ch02-index-memory.dat, ch02-open-cost-stage2.dat",
       "At a million keys the keydir holds {} MiB to index {} MB of log.")
def ch02_check_keydir():
    return ch02_keydir_mib(), ch02_log_mb()


@prose("02-hash-index", "ch02-open-cost-stage1.dat",
       "Stage 1's open read {} bytes")
def ch02_stage1_open_bytes():
    """The same at every size, or an error: the sentence gives one."""
    got = {r["bytes_read"] for r in dat("ch02-open-cost-stage1")}
    if len(got) != 1:
        raise ValueError("ch02-open-cost-stage1.dat: stage 1's open reads "
                         "%s bytes at different sizes" % sorted(got))
    return "{:,.0f}".format(got.pop())
