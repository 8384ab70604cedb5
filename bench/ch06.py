"""bench/ch06.py - the charts of chapter 6 (stage 6, bloom filters and
concurrency), stage 5 against stage 6, and the course's closing chart:

    ch06-missing-reads       preads per missing-key get against entries
    ch06-bloom-fp            the filter's false-positive rate against bits
                             per key, measured (stage 6's fp_rate) and theory
    ch06-table-layout        one table's bytes to scale, from `kv dump`:
                             data blocks, filter, index, footer
    ch06-latency-compaction  get latency per second during readwhilewriting
    ch06-threads             readrandom throughput against threads (and
                             LevelDB's, if `make peers` built it)
    ch06-vs-leveldb          where stage 6 stops: its speed against
                             LevelDB's on db_bench's six workloads, and
                             both times (stage 6 alone without `make peers`)

Imported by plots.py, which runs them; see chartkit.py for the pieces.
"""

import os
import re
import subprocess

import ch05
import lib
from chartkit import (S5, S6, SETTINGS, SIX, chart, engine_points,
                      speed_panel, styled, time_panel)


def _dat(out, name):
    return os.path.join(out, "data", name + ".dat")


def _div(a, b):
    return None if a is None or not b else a / b


def _short(stage):
    """stage5-compaction -> stage5; a peer keeps its name."""
    return stage[:6] if stage.startswith("stage") else stage


# ---- missing keys -------------------------------------------------------

@chart("ch06-missing-reads", [S5, S6])
def ch06_missing_reads(sw):
    nums = ([10000, 30000, 100000] if sw.quick else
            [10000, 30000, 100000, 300000, 1000000])
    reads = 5000 if sw.quick else 100000
    pts = {s: [sw.point(s, n, min(n, reads), "fillrandom,readmissing",
                        ("-o", "memtable_bytes=262144")) for n in nums]
           for s in (S5, S6)}

    def draw(out):
        for s in (S5, S6):
            rows = []
            for p in pts[s]:
                ops = sw.med(p, "readmissing", "ops")
                rows.append((p.num, _div(sw.med(p, "readmissing", "reads"),
                                         ops),
                             sw.med(p, "readmissing", "micros_per_op"),
                             sw.med(p, "readmissing", "tables")))
            lib.write_dat(_dat(out, "ch06-missing-reads-" + s[:6]),
                          ["entries", "reads_per_missing_get",
                           "micros_per_missing_get", "tables"], rows)
        return lib.draw(out, "ch06-missing-reads", styled("""
set multiplot layout 2,1 title "Chapter 6: a bloom filter per table lets a missing key skip it\\n(fillrandom, then readmissing; memtable\\\\_bytes=262144; stage 6 with bloom\\\\_bits=10, its default)" font ',12'
set grid
set key top left
set lmargin 12
set logscale x
set format x '10^{%%L}'
set xrange [%g:%g]
set xlabel 'entries put (fillrandom; 16-byte keys, 100-byte values)'
set yrange [0:*]
set ylabel 'I/O reads (pread) per get'
set title 'readmissing: preads per get of a key that is not there'
plot 'data/ch06-missing-reads-stage5.dat' using 1:2 with linespoints %%(s5)s \\
     title 'stage5-compaction (a block per table whose range holds the key)', \\
     'data/ch06-missing-reads-stage6.dat' using 1:2 with linespoints %%(s6)s \\
     title 'stage6-bloom-concurrency (the filter says no)'
set ylabel 'microseconds per get'
set title 'readmissing: time per get'
plot 'data/ch06-missing-reads-stage5.dat' using 1:3 with linespoints %%(s5)s \\
     title 'stage5-compaction', \\
     'data/ch06-missing-reads-stage6.dat' using 1:3 with linespoints %%(s6)s \\
     title 'stage6-bloom-concurrency'
unset multiplot
""" % (nums[0] / 1.5, nums[-1] * 1.5)))
    return draw


# ---- the filter's false-positive rate -----------------------------------

class FpRate:
    """A lib.Runner job: runs stage 6's fp_rate (a tool of the stage's
    Makefile, TOOLS, which `make` built) with --keys=N and returns one row
    per bits_per_key."""

    def __init__(self, keys):
        self.keys = keys
        self.exe = os.path.join("build", S6, "fp_rate")

    def key(self):
        return ("fp_rate", self.keys)

    def label(self):
        return "stage6-bloom-concurrency fp_rate --keys=%d" % self.keys

    def command(self, csv):
        return "%s --keys=%d" % (self.exe, self.keys)

    def run(self, scratch, csv):
        proc = subprocess.run([self.exe, "--keys=%d" % self.keys],
                              cwd=lib.ROOT, check=True,
                              stdout=subprocess.PIPE, universal_newlines=True)
        rows = []
        lines = proc.stdout.split("\n")
        with open(csv, "a") as f:
            if f.tell() == 0:
                f.write("keys,bits_per_key,k,measured,theory\n")
            for line in lines[1:]:
                if not line.strip():
                    continue
                bits, k, measured, theory = line.split()
                f.write("%d,%s,%s,%s,%s\n" % (self.keys, bits, k, measured,
                                              theory))
                rows.append({"benchmark": "fp_rate", "bits_per_key": bits,
                             "k": k, "measured": measured, "theory": theory})
        return rows


@chart("ch06-bloom-fp", [S6])
def ch06_bloom_fp(sw):
    keys = 20000 if sw.quick else 1000000
    job = sw.job(FpRate(keys))

    def draw(out):
        rows = []
        for i in range(20):
            bits = sw.med(job, "fp_rate", "bits_per_key", i)
            if bits is None:
                break
            rows.append((bits, sw.med(job, "fp_rate", "k", i),
                         sw.med(job, "fp_rate", "measured", i),
                         sw.med(job, "fp_rate", "theory", i)))
        lib.write_dat(_dat(out, "ch06-bloom-fp"),
                      ["bits_per_key", "k", "measured", "theory"], rows)
        return lib.draw(out, "ch06-bloom-fp", styled("""
set title "Chapter 6: the bloom filter's false-positive rate against its size\\n(stage 6's filter of %d keys, asked about %d absent ones; k = bits per key x ln 2, rounded)" font ',12'
set grid
set key bottom left box opaque
set logscale y
set format y '10^{%%L}'
set xrange [0.5:20.5]
set xtics 1
set xlabel 'bits per key (bloom\\_bits)'
set ylabel 'false-positive rate'
set arrow from 10, graph 0 to 10, graph 1 nohead dt 3 lc rgb '#888888'
set label 'bloom\\_bits=10 (the default, as LevelDB)' at 10.2, graph 0.6
plot 'data/ch06-bloom-fp.dat' using 1:4 with lines lw 8 lc rgb '#d0d0d0' \\
     title 'theory: (1 - e^{-k/b})^k', \\
     '' using 1:3 with linespoints %%(s6)s title 'measured (stage6 bloom.c)'
""" % (keys, keys)), size=(900, 520))
    return draw


# ---- one table to scale ----------------------------------------------------

# The lines of stage 6's `kv dump` (dump.c) that place a table's parts.
_SST = re.compile(r"^(\S+\.sst): a table at level \d+, (\d+) bytes$")
_PARTS = [
    ("footer", re.compile(r"^  footer @(\d+) \((\d+) bytes\)")),
    ("filter", re.compile(r"^  filter @(\d+) size (\d+):")),
    ("index", re.compile(r"^  index @(\d+) size (\d+):")),
    ("block", re.compile(r"^  block \d+\s+@(\d+)\s+size (\d+)\s")),
]
LAYOUT_COLUMNS = ["file", "file_bytes", "part", "offset", "bytes"]


def parse_layout(text):
    """The parts of the first table of a `kv dump`: (file, its size, and a
    list of (part, offset, bytes)), part one of block, filter, index,
    footer."""
    name, size, parts = None, 0, []
    for line in text.splitlines():
        m = _SST.match(line)
        if m:
            if name is not None:
                break
            name, size = os.path.basename(m.group(1)), int(m.group(2))
            continue
        if name is None:
            continue
        for part, rx in _PARTS:
            m = rx.match(line)
            if m:
                parts.append((part, int(m.group(1)), int(m.group(2))))
    return name, size, sorted(parts, key=lambda p: p[1])


class TableLayout:
    """A lib.Runner job: fills a fresh stage 6 store (fillrandom, `num`
    puts, the default 4 MiB memtable, so the close flushes them into one
    table), then lists where `kv dump` says each part of that table lies.
    One row per part (LAYOUT_COLUMNS, benchmark "layout")."""

    def __init__(self, num):
        self.num = num

    def key(self):
        return ("layout", self.num)

    def label(self):
        return "%s layout: fillrandom num=%d, then kv dump" % (S6, self.num)

    def fill_argv(self, db):
        return [lib.bench_path(S6), "--benchmarks=fillrandom",
                "--num=%d" % self.num, "--db=" + db]

    def dump_argv(self, db):
        return [os.path.join("build", S6, "kv"), "-d", db, "dump"]

    def command(self, csv):
        return ("%s > /dev/null && %s   # each part's offset and size, one "
                "row per part in %s" % (" ".join(self.fill_argv("$DB")),
                                        " ".join(self.dump_argv("$DB")), csv))

    def run(self, scratch, csv):
        db = os.path.join(scratch, "layoutdb")
        text = ch05.fill_then_dump(self.fill_argv(db), self.dump_argv(db), db)
        name, size, parts = parse_layout(text)
        if name is None or not parts:
            raise SystemExit("plots: kv dump listed no table for %s" %
                             self.label())
        rows = [{"file": name, "file_bytes": str(size), "part": part,
                 "offset": str(off), "bytes": str(n)}
                for part, off, n in parts]
        return ch05.append_csv(csv, LAYOUT_COLUMNS, rows, "layout")


PART_COLOURS = {"filter": 0xe69f00, "index": 0x009e73, "footer": 0x000000}
BLOCK_COLOURS = (0x56b4e9, 0x0072b2)


@chart("ch06-table-layout", [S6])
def ch06_table_layout(sw):
    num = 2000  # about 50 blocks: each one still a visible stripe
    job = sw.job(TableLayout(num))

    def draw(out):
        rows = [r for r in sw.runner.rows.get(job.key(), [])
                if r["_rep"] == 0]
        size = int(rows[0]["file_bytes"])
        dat, nblocks, sums = [], 0, {}
        for r in rows:
            off, n, part = int(r["offset"]), int(r["bytes"]), r["part"]
            colour = PART_COLOURS.get(part)
            if part == "block":
                colour = BLOCK_COLOURS[nblocks % 2]
                nblocks += 1
            sums[part] = sums.get(part, 0) + n
            dat.append((off, off + n, colour, part))
        lib.write_dat(_dat(out, "ch06-table-layout"),
                      ["start", "end", "colour", "part"], dat)
        tail = sums["filter"] + sums["index"] + sums["footer"]
        zoom_from = size - int(tail * 1.25)

        def pct(n):
            return 100.0 * n / size

        first = {}
        for start, end, _, part in dat:
            first.setdefault(part, (start, end))
        fstart, istart = first["filter"][0], first["index"][0]
        ostart = first["footer"][0]
        v = {"file": rows[0]["file"], "num": num, "size": size,
             "sizes": format(size, ","), "nblocks": nblocks,
             "blocks": format(sums["block"], ","),
             "pblocks": pct(sums["block"]), "bmid": sums["block"] / 2,
             "ptail": pct(tail), "tstart": size - tail,
             "zbytes": format(size - zoom_from, ","), "zfrom": zoom_from,
             "zlabel": zoom_from + tail * 0.01,
             "filter": format(sums["filter"], ","),
             "pfilter": pct(sums["filter"]), "fmid": (fstart + istart) / 2,
             "index": format(sums["index"], ","),
             "imid": (istart + ostart) / 2, "footer": sums["footer"],
             "omid": (ostart + size) / 2}
        script = """
set multiplot layout 2,1 title "Chapter 6: one table to scale, from kv dump\\n(%(file)s, stage 6: fillrandom of %(num)d entries, flushed at close into one table of %(sizes)s bytes)" font ',12'
unset ytics
set yrange [0:2]
set style fill solid 1.0 border lc rgb '#ffffff'
set title "the whole file"
set xrange [0:%(size)d]
set format x "%%.0s %%cB"
set xlabel 'byte offset in the file'
set label 1 "%(nblocks)d data blocks of about 4 KiB: %(blocks)s bytes, %(pblocks).1f%% of the file" at %(bmid)g, 1.65 center
set label 2 "filter, index and footer: the last %(ptail).1f%%" at %(size)d, 0.3 right
set arrow 1 from %(tstart)d, 0.45 to %(tstart)d, 0.62 lw 1
plot 'data/ch06-table-layout.dat' using (($1+$2)/2):(1):1:2:(0.6):(1.4):3 \\
     with boxxyerror lc rgb variable notitle
unset label
unset arrow
set title "the same file, its last %(zbytes)s bytes magnified"
set xrange [%(zfrom)d:%(size)d]
set format x "%%.0f"
set label 1 "the last data blocks" at %(zlabel)g, 1.65 left
set label 2 "filter: %(filter)s bytes (%(pfilter).1f%%),\\none bloom filter for all the table's keys" at %(fmid)g, 1.7 center
set label 3 "index: %(index)s bytes, a key and an offset per block" at %(size)d, 0.3 right
set label 4 "footer: %(footer)d bytes" at %(size)d, 1.65 right
set arrow 1 from %(imid)g, 0.45 to %(imid)g, 0.62 lw 1
set arrow 2 from %(omid)g, 1.5 to %(omid)g, 1.42 lw 1
plot 'data/ch06-table-layout.dat' using (($1+$2)/2):(1):1:2:(0.6):(1.4):3 \\
     with boxxyerror lc rgb variable notitle
unset multiplot
""" % v
        return lib.draw(out, "ch06-table-layout", script, size=(1000, 560))
    return draw


# ---- latency while compactions run --------------------------------------

@chart("ch06-latency-compaction", [S5, S6])
def ch06_latency_compaction(sw):
    pts = [(S5, ch05.latency_point(sw, S5)), (S6, ch05.latency_point(sw, S6))]

    def draw(out):
        rows = {}
        for s, p in pts:
            rows[s] = ch05.latency_rows(sw, p)
            lib.write_dat(_dat(out, "ch06-latency-compaction-" + s[:6]),
                          ch05.LATENCY_COLUMNS, rows[s])
        vals = [v for s in rows for r in rows[s] for v in (r[2], r[4])
                if v]
        lo, hi = (min(vals) / 2, max(vals) * 2) if vals else (0.1, 1e6)
        xmax = max([r[0] for s in rows for r in rows[s]] or [1]) + \
            ch05.latency_ms(sw) / 1000.0
        num, reads, _ = ch05.latency_setup(sw)
        script = """
set multiplot layout 2,1 title "Chapter 6: in stage 6 a get does not wait for a compaction\\n(fillrandom %d, then readwhilewriting: 1 reader doing %d gets while 1 writer puts;\\nlatency per %d ms; the same axes)" font ',11'
set grid
set key tmargin center horizontal maxcols 5 samplen 2 width -3 font ',9'
set lmargin 12
set rmargin 12
""" % (num, reads, ch05.latency_ms(sw))
        for s, style in ((S5, "#d55e00"), (S6, "#cc79a7")):
            script += ch05.latency_panel(
                "data/ch06-latency-compaction-%s.dat" % s[:6],
                s + ": get latency per interval", style, xmax).replace(
                    "set yrange [*:*]", "set yrange [%g:%g]" % (lo, hi))
        return lib.draw(out, "ch06-latency-compaction",
                        styled(script + "unset multiplot\n"),
                        size=(900, 760))
    return draw


# ---- threads ------------------------------------------------------------

@chart("ch06-threads", [S5, S6])
def ch06_threads(sw):
    num, reads = (20000, 40000) if sw.quick else (100000, 400000)
    threads = [1, 2, 4]
    engines = [(S5, ()), (S6, ())]
    if lib.stage_built("leveldb"):
        engines.append(("leveldb", ("-o", "compression=none", "-o",
                                    "bloom_bits=10", "-o",
                                    "memtable_bytes=4194304")))
    pts = {s: [sw.point(s, num, reads // t, "fillseq,readrandom",
                        ("--threads=%d" % t,) + extra) for t in threads]
           for s, extra in engines}

    def draw(out):
        for s, _ in engines:
            lib.write_dat(_dat(out, "ch06-threads-" + _short(s)),
                          ["threads", "ops_per_sec", "micros_per_op"],
                          [(t, sw.med(p, "readrandom", "ops_per_sec"),
                            sw.med(p, "readrandom", "micros_per_op"))
                           for t, p in zip(threads, pts[s])])
        plot = ["'data/ch06-threads-stage5.dat' using 1:2 with linespoints "
                "%(s5)s title 'stage5-compaction (one lock for every call)'",
                "'data/ch06-threads-stage6.dat' using 1:2 with linespoints "
                "%(s6)s title 'stage6-bloom-concurrency (readers in "
                "parallel)'"]
        if len(engines) > 2:
            plot.append("'data/ch06-threads-leveldb.dat' using 1:2 with "
                        "linespoints %(ldb)s title 'LevelDB'")
        return lib.draw(out, "ch06-threads", styled("""
set title "Chapter 6: readers in parallel (this machine has %d cores: see machine.txt)\\n(fillseq %d, then readrandom in N threads, %d gets in all; ops/s over the wall time)" font ',12'
set grid
set key bottom right box opaque
set xrange [0.8:4.5]
set logscale x 2
set xtics (1, 2, 4)
set yrange [0:*]
set xlabel 'reader threads (--threads)'
set ylabel 'gets per second, all threads'
plot %s
""" % (os.cpu_count() or 0, num, reads, ", \\\n     ".join(plot))),
            size=(900, 520))
    return draw


# ---- where stage 6 stops: against LevelDB ---------------------------------

def peer_size(sw):
    """The store size of the engines charts at 1,000,000 entries (quick:
    50,000), shared by ch06-vs-leveldb, ch07-speedups and ch08-peers."""
    return (50000, 50000) if sw.quick else (1000000, 200000)


@chart("ch06-vs-leveldb", [S6])
def ch06_vs_leveldb(sw):
    num, reads = peer_size(sw)
    engines = [S6] + (["leveldb"] if lib.stage_built("leveldb") else [])
    if len(engines) == 1:
        print("ch06-vs-leveldb: build/peers/bench-leveldb not built (make "
              "peers): drawing stage 6 alone")
    pts = engine_points(sw, engines, num, reads, SIX)

    def draw(out):
        head = """set multiplot layout %d,1 title "Chapter 6: stage 6 against LevelDB on db\\\\_bench's six workloads\\n%s entries, %s reads (readseq: time per entry read)\\n%s" font ',12'
set grid y
set lmargin 12
set style fill solid 0.85 border -1
""" % (len(engines), "{:,}".format(num), "{:,}".format(reads),
       SETTINGS)
        script = head
        if len(engines) > 1:
            script += speed_panel(
                sw, out, "ch06-vs-leveldb-speed.dat", pts, SIX, [S6],
                "stage 6 against LevelDB: below the line, stage 6 is "
                "slower (LevelDB time / stage 6 time)", key=False)
            script += time_panel(
                sw, out, "ch06-vs-leveldb.dat", pts, SIX,
                "time per op (lower is faster)")
        else:
            script += time_panel(
                sw, out, "ch06-vs-leveldb.dat", pts, SIX,
                "time per op (LevelDB not built: make peers)")
        return lib.draw(out, "ch06-vs-leveldb", script + "unset multiplot\n",
                        size=(900, 760 if len(engines) > 1 else 480))
    return draw
