"""Chapter 1's figures (docs/01-append-log.md): the functions that make its
fenced tables and its sentences quoting a measured figure, registered into
kit.TABLES and, by @prose, kit.PHRASES (tools/check_figures.py checks them
against the text)."""

from .kit import TABLES, at, dat, human_bytes, human_time, prose, sig3


# --- chapter 1's tables (docs/01-append-log.md) ---


def ch01_get_scan():
    rows = dat("ch01-get-scan")
    out = []
    for n in [1000, 10000, 100000, 1000000]:
        r = at(rows, "entries", n)
        out.append("| {:,} | {} | {} | {} |".format(
            n, human_bytes(r["log_bytes"]), human_time(r["micros_per_get"]),
            human_bytes(r["bytes_read_per_get"])))
    return ["| entries | log size | time per get | bytes read per get |",
            "|---:|---:|---:|---:|"] + out


TABLES["ch01-get-scan"] = (ch01_get_scan, "ch01-get-scan.dat")


# --- chapter 1's sentences (docs/01-append-log.md) ---


def ch01_million():
    """Stage 1 at a million entries, from the chart's data."""
    return at(dat("ch01-get-scan"), "entries", 1000000)


@prose("01-append-log", "ch01-get-scan.dat",
       "At a million entries a get takes {} ms, and that is with the whole "
       "log already in memory: from a disk it would be the time to read {} "
       "MB")
def ch01_get_million():
    r = ch01_million()
    return (sig3(r["micros_per_get"] / 1e3),
            sig3(r["bytes_read_per_get"] / 1e6))


@prose("01-append-log", "ch01-get-scan.dat",
       "At a million entries a get reads {} MB. Why that much?")
def ch01_check_reads():
    return sig3(ch01_million()["bytes_read_per_get"] / 1e6)


@prose("01-append-log", "ch01-get-scan.dat",
       "the key decides, and the log is {} MB;")
def ch01_check_log():
    return sig3(ch01_million()["log_bytes"] / 1e6)
