#!/usr/bin/env python3
"""bench/compare.py - several engines on the same workloads, taking turns.

    python3 bench/compare.py --engines stage6-bloom-concurrency,\\
        stage7-speedups,leveldb,rocksdb,sqlite --num 1000000 --reads 200000 \\
        --rounds 3 --out build/compare

Each round runs every engine once (the order turns by one each round, so no
engine always goes first), each run on a fresh store under $TMPDIR or /tmp,
removed afterwards. An engine is a stage folder (stage6-bloom-concurrency,
or just stage6), whose driver `make` builds as build/<stage>/bench, or a
peer (leveldb, rocksdb, sqlite), whose driver `make peers` builds as
build/peers/bench-<peer>. All run the same common/bench.c.

Settings are those of chapters 7 and 8: the peers with -o compression=none
-o bloom_bits=10 -o memtable_bytes=4194304; the stages with -o bloom_bits=10
-o memtable_bytes=4194304, keeping only the options a stage knows (stage 5
has no bloom_bits, stage 2 neither option; a one-entry probe asks each).
--stage-options and --peer-options replace these lists. An engine given as
NAME:OPT=VALUE[:OPT=VALUE...] runs with those options added, under the name
NAME+OPT=VALUE, so one stage can take turns with itself differently set
(stage7:mmap=0,stage7: stage 7 with and without its mapped reads).

--reopen runs the fills the workloads start with in one driver process and
the rest in a second, on the store just reopened (--use_existing_db=1):
the reads then start from a store as open found it, as chapters 3 to 6
measure. --threads 1,2 (with --reopen) runs the reads once per count, each
time in a process of its own on the same reopened store, with --threads=N
(N threads each run the whole workload): chapter 6's readers in parallel.
The tables then are those of the first count, and a table of ops per
second of wall time (the CSV's ops_per_sec) for each count follows.

It prints progress (round, engine, workload, elapsed time) and at the end a
markdown table: the median micros/op of each engine on each workload, each
engine's speed against the --versus engine (default leveldb), round by
round, and the peak memory (max RSS) of each engine. A speed ratio is the
--versus engine's time divided by the engine's: above 1, the engine is
faster than the --versus engine (1.25: it takes 80% of the time). In DIR (--out):

    DIR/<engine>.csv   every row the driver wrote, all rounds (bench.c's
                       columns; max_rss_kb is the process's peak so far)
    DIR/<engine>.txt   the driver's own report of every run, after its command
    DIR/rounds.csv     round, engine, workload, micros_per_op, max_rss_kb
    DIR/summary.md     the tables printed at the end
    DIR/compare.cmd    this command, and each driver command it ran
    DIR/machine.txt    the machine, the file system and the date

Python 3 standard library only.
"""

import argparse
import csv
import glob
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import lib

SIX = "fillseq,fillrandom,overwrite,readrandom,readmissing,readseq"
STAGE_OPTIONS = "bloom_bits=10,memtable_bytes=4194304"
PEER_OPTIONS = "compression=none,bloom_bits=10,memtable_bytes=4194304"


def resolve(name):
    """An engine name as given (stage6, stage6-bloom-concurrency, leveldb)
    -> the stage folder or peer name; None if there is no such engine."""
    if name in lib.PEERS:
        return name
    if os.path.isfile(os.path.join(lib.ROOT, name, "Makefile")):
        return name
    hits = sorted(os.path.basename(os.path.dirname(m)) for m in glob.glob(
        os.path.join(lib.ROOT, name + "-*", "Makefile")))
    return hits[0] if len(hits) == 1 else None


def short(engine):
    """stage7-speedups -> stage7, stage7-speedups+mmap=0 -> stage7+mmap=0;
    a peer keeps its name."""
    name, plus, extra = engine.partition("+")
    name = name.split("-")[0] if name.startswith("stage") else name
    return name + plus + extra


def options_known(engine, wanted, scratch):
    """The subset of `wanted` (NAME=VALUE strings) that a stage accepts:
    one fillseq of one entry, dropping each option the driver's error
    names as unknown ("unknown option 'X' (stage knows: a, b)")."""
    opts = list(wanted)
    for _ in range(len(wanted) + 1):
        db = os.path.join(scratch, "probe")
        argv = [lib.bench_path(engine), "--num=1", "--benchmarks=fillseq",
                "--db=" + db]
        for o in opts:
            argv += ["-o", o]
        proc = subprocess.run(argv, cwd=lib.ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        shutil.rmtree(db, ignore_errors=True)
        if proc.returncode == 0:
            return opts
        bad = [o for o in opts if "unknown option '%s'" % o.split("=")[0]
               in proc.stderr]
        if not bad:
            raise SystemExit("compare: %s refuses the options %s:\n%s" % (
                engine, " ".join(opts), proc.stderr.strip()))
        opts = [o for o in opts if o not in bad]
    return opts


class Run:
    """One engine's driver with its flags; runs once per round."""

    def __init__(self, engine, args, options, out, base=None):
        self.engine, self.options = engine, options
        self.base = base or engine  # the stage folder or peer it runs
        self.csv = os.path.join(out, engine + ".csv")
        self.txt = os.path.join(out, engine + ".txt")
        # One process runs every workload; with --reopen, the fills it
        # starts with run in one and the rest in a second, on the store
        # just reopened (main refuses a fill after the first read).
        work = [w for w in args.benchmarks.split(",") if w]
        n = 0
        while n < len(work) and (work[n].startswith("fill") or
                                 work[n] == "overwrite"):
            n += 1
        fills, rest = work[:n], work[n:]
        if args.reopen and fills and rest:
            self.phases = [(fills, [])] + [
                (rest, ["--use_existing_db=1"] + (
                    ["--threads=%d" % t] if args.threads else []))
                for t in (args.threads or [1])]
        else:
            self.phases = [(work, [])]
        self.flags = ["--num=%d" % args.num, "--reads=%d" % args.reads]
        for o in options:
            self.flags += ["-o", o]

    def argv(self, db, csv_path, phase=0):
        names, extra = self.phases[phase]
        return ([lib.bench_path(self.base), "--benchmarks=" + ",".join(names)]
                + self.flags + extra + ["--db=" + db, "--csv=" + csv_path])

    def command(self):
        """As recorded in compare.cmd: relative paths, DB for the store;
        one line per process."""
        return "\n".join(
            " ".join(a if a == "--db=$DB" else shlex.quote(a)
                     for a in self.argv("$DB", lib.shown_path(self.csv), i))
            for i in range(len(self.phases)))

    def run(self, scratch, progress):
        """Runs the driver once on a fresh store; returns its new CSV rows.
        Prints a line per workload as the driver reports it."""
        db = os.path.join(scratch, "db")
        shutil.rmtree(db, ignore_errors=True)
        before = len(read_rows(self.csv))
        start = time.monotonic()
        print("%s ..." % progress, flush=True)
        tty = sys.stderr.isatty()  # then the driver's "... finished N ops"
        for phase in range(len(self.phases)):
            argv = self.argv(db, os.path.abspath(self.csv), phase)
            proc = subprocess.Popen(argv, cwd=lib.ROOT,
                                    stdout=subprocess.PIPE,
                                    stderr=None if tty else subprocess.PIPE,
                                    universal_newlines=True)
            report = []
            for line in proc.stdout:
                report.append(line)
                if "micros/op" in line or "not supported" in line:
                    name, rest = line.split(":", 1)
                    print("    %-12s %s  (%.1f s)" % (
                        name.strip(), rest.split(";")[0].strip(),
                        time.monotonic() - start), flush=True)
            err = proc.stderr.read() if proc.stderr else ""
            rc = proc.wait()
            shown = " ".join(a if a.startswith("--db=") else shlex.quote(a)
                             for a in self.argv("$DB", lib.shown_path(
                                 self.csv), phase))
            with open(self.txt, "a") as f:
                f.write("$ %s\n%s\n" % (shown, "".join(report)))
            if rc != 0:
                shutil.rmtree(db, ignore_errors=True)
                sys.stderr.write(err)
                raise SystemExit("compare: %s exited with %d" %
                                 (lib.bench_path(self.base), rc))
        shutil.rmtree(db, ignore_errors=True)
        print("    done in %.1f s" % (time.monotonic() - start), flush=True)
        return read_rows(self.csv)[before:]


def read_rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(v):
    return None if v in ("", None) else float(v)


# ---- the tables ------------------------------------------------------------

def fmt(v, digits=3):
    return "-" if v is None else "%.*f" % (digits, v)


def ratio(a, b):
    """a / b, None when either is missing or b is 0."""
    return None if a is None or not b else a / b


def tables(engines, workloads, rounds, versus, args):
    """The markdown summary. rounds[r][engine] = the rows of that run."""
    first = str(args.threads[0]) if args.threads else "1"

    def row_of(r, e, w, threads=first):
        for row in rounds[r].get(e, []):
            if (row["benchmark"] == w and
                    (row.get("threads") or "1") == threads):
                return row
        return None

    def us(r, e, w):
        row = row_of(r, e, w)
        return num(row["micros_per_op"]) if row else None

    def med(vals):
        vals = [v for v in vals if v is not None]
        return statistics.median(vals) if vals else None

    n = len(rounds)
    median = {(e, w): med(us(r, e, w) for r in range(n))
              for e in engines for w in workloads}
    out = ["# %s" % ", ".join(engines), "",
           "%d entries, %d reads, %d round(s), engines taking turns, a fresh "
           "store each run; stages with -o %s, peers with -o %s." % (
               args.num, args.reads, n,
               " -o ".join(args.stage_options) or "(none)",
               " -o ".join(args.peer_options) or "(none)"), "",
           "## Median microseconds per op (lower is faster; readseq: per "
           "entry)", "",
           "| workload | " + " | ".join(engines) + " |",
           "|---|" + "---:|" * len(engines)]
    for w in workloads:
        out.append("| %s | %s |" % (w, " | ".join(
            fmt(median[(e, w)]) for e in engines)))
    others = [e for e in engines if e != versus]
    if versus in engines and others:
        out += ["", "## Speed against %s" % versus, "",
                "Each cell is %s's time divided by the engine's time "
                "(micros/op): above 1, the engine is faster than %s; below "
                "1, slower. The first column of each engine divides the "
                "medians; the rounds divide the two runs of one round." %
                (versus, versus), ""]
        for e in others:
            head = ["workload", "%s / %s (medians)" % (short(e),
                                                       short(versus))]
            head += ["round %d" % (r + 1) for r in range(n)]
            head.append("rounds faster")
            out += ["### %s against %s" % (e, versus), "",
                    "| " + " | ".join(head) + " |",
                    "|---|" + "---:|" * (len(head) - 1)]
            for w in workloads:
                per = [ratio(us(r, versus, w), us(r, e, w))
                       for r in range(n)]
                faster = sum(1 for v in per if v is not None and v > 1)
                out.append("| %s | %s | %s | %d of %d |" % (
                    w, fmt(ratio(median[(versus, w)], median[(e, w)]), 2),
                    " | ".join(fmt(v, 2) for v in per), faster,
                    sum(1 for v in per if v is not None)))
            out.append("")
    if args.threads and len(args.threads) > 1:
        out += ["## Ops per second of wall time, by threads", "",
                "Each thread runs the whole workload; medians over the "
                "rounds.", "",
                "| workload | " + " | ".join(
                    "%s, %d thread%s" % (e, t, "s" * (t > 1))
                    for e in engines for t in args.threads) + " |",
                "|---|" + "---:|" * (len(engines) * len(args.threads))]
        for w in workloads:
            cells = []
            for e in engines:
                for t in args.threads:
                    v = med(num(row_of(r, e, w, str(t))["ops_per_sec"])
                            if row_of(r, e, w, str(t)) else None
                            for r in range(n))
                    cells.append(fmt(v, 0))
            if any(c != "-" for c in cells):
                out.append("| %s | %s |" % (w, " | ".join(cells)))
        out.append("")
    out += ["## Peak memory (max RSS, MiB)", "",
            "The driver's peak resident memory (bench.c's max_rss_kb) "
            "after each workload: a peak so far, so each row includes the "
            "workloads above it. Medians over the rounds; the last row is "
            "the whole run's peak, round by round.", "",
            "| after | " + " | ".join(engines) + " |",
            "|---|" + "---:|" * len(engines)]

    def rss(r, e, w=None):
        vals = [num(row.get("max_rss_kb")) for row in rounds[r].get(e, [])
                if w is None or row["benchmark"] == w]
        vals = [v for v in vals if v is not None]
        return max(vals) / 1024.0 if vals else None

    for w in workloads:
        out.append("| %s | %s |" % (w, " | ".join(
            fmt(med(rss(r, e, w) for r in range(n)), 1) for e in engines)))
    out.append("| **run's peak** (rounds) | %s |" % " | ".join(
        " / ".join(fmt(rss(r, e), 1) for r in range(n)) for e in engines))
    return "\n".join(out) + "\n"


# ---- main ----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Engines: stage folders (stage6-bloom-concurrency or stage6; "
        "built by make) and peers (leveldb, rocksdb, sqlite; built by make "
        "peers). Example: python3 bench/compare.py --engines "
        "stage6,stage7,leveldb --num 1000000 --reads 200000 --rounds 3 "
        "--out build/compare")
    ap.add_argument("--engines", required=True,
                    help="comma-separated engines, in the order of a round")
    ap.add_argument("--num", type=int, default=1000000,
                    help="entries (default 1000000)")
    ap.add_argument("--reads", type=int, default=200000,
                    help="gets of readrandom and readmissing, entries of "
                    "readseq (default 200000)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds; each runs every engine once (default 3)")
    ap.add_argument("--benchmarks", default=SIX,
                    help="the driver's workloads, in order (default %s)"
                    % SIX)
    ap.add_argument("--versus", default=None,
                    help="the engine the others are divided by (default "
                    "leveldb if it runs, else the first engine)")
    ap.add_argument("--stage-options", default=STAGE_OPTIONS,
                    help="-o options for the stages, comma-separated, each "
                    "kept only where the stage knows it (default %s; '' for "
                    "none)" % STAGE_OPTIONS)
    ap.add_argument("--peer-options", default=PEER_OPTIONS,
                    help="-o options for the peers (default %s; '' for none)"
                    % PEER_OPTIONS)
    ap.add_argument("--reopen", action="store_true",
                    help="run the fills the workloads start with (fill*, "
                    "overwrite) in one process and the rest in a second, "
                    "on the store just reopened (--use_existing_db=1), as "
                    "chapters 3 to 6 measure")
    ap.add_argument("--threads", default="",
                    help="with --reopen: run the reads once per count "
                    "given (comma-separated, e.g. 1,2), each in its own "
                    "process with --threads=N, on the same store")
    ap.add_argument("--out", default="build/compare",
                    help="where the CSVs, reports and summary go (default "
                    "build/compare); its old files of these engines are "
                    "replaced")
    args = ap.parse_args()
    if args.num < 1 or args.reads < 0 or args.rounds < 1:
        ap.error("--num and --rounds must be at least 1, --reads at least 0")
    try:
        args.threads = [int(t) for t in args.threads.split(",") if t]
    except ValueError:
        ap.error("--threads %s: not a list of counts such as 1,2" %
                 args.threads)
    if any(t < 1 for t in args.threads) or len(set(args.threads)) != len(
            args.threads):
        ap.error("--threads: each count at least 1, none twice")
    if args.threads and not args.reopen:
        ap.error("--threads needs --reopen (the fills run once, in one "
                 "thread; the reads once per count)")
    args.stage_options = [o for o in args.stage_options.split(",") if o]
    args.peer_options = [o for o in args.peer_options.split(",") if o]

    engines, bases, extras = [], {}, {}
    for given in [e.strip() for e in args.engines.split(",") if e.strip()]:
        name, *extra = given.split(":")
        e = resolve(name)
        if e is None:
            ap.error("no engine %r (a stage folder such as stage6-bloom-"
                     "concurrency, or one of %s)" % (name,
                                                     ", ".join(lib.PEERS)))
        base, e = e, "+".join([e] + extra)
        if e in engines:
            ap.error("%s given twice" % e)
        engines.append(e)
        bases[e], extras[e] = base, extra
    missing = sorted({bases[e] for e in engines
                      if not lib.stage_built(bases[e])})
    if missing:
        need = []
        if any(e not in lib.PEERS for e in missing):
            need.append("make")
        if any(e in lib.PEERS for e in missing):
            need.append("make peers")
        raise SystemExit("compare: not built: %s (run %s at the top of the "
                         "repository)" % (", ".join(lib.bench_path(e)
                                                    for e in missing),
                                          " and ".join(need)))
    versus = args.versus or ("leveldb" if "leveldb" in engines
                             else engines[0])
    if versus not in engines:
        versus = resolve(versus) or versus
    if versus not in engines:
        ap.error("--versus %s is not among --engines" % versus)
    workloads = [w for w in args.benchmarks.split(",") if w]
    if args.reopen:
        first_read = next((i for i, w in enumerate(workloads)
                           if not (w.startswith("fill") or w == "overwrite")),
                          len(workloads))
        late = [w for w in workloads[first_read:] if w.startswith("fill")]
        if late:
            ap.error("--reopen: %s comes after a read, and the reopened "
                     "store would skip it (a fill starts from an empty "
                     "store): put the fills first" % ", ".join(late))

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    for e in engines:
        for ext in (".csv", ".txt"):
            if os.path.exists(os.path.join(out, e + ext)):
                os.remove(os.path.join(out, e + ext))
    lib.machine_txt(out)
    base = os.environ.get("TMPDIR") or "/tmp"
    scratch = tempfile.mkdtemp(prefix="kvcompare-", dir=base)
    rounds = []
    try:
        runs = {}
        for e in engines:
            b = bases[e]
            opts = (args.peer_options if b in lib.PEERS else
                    options_known(b, args.stage_options, scratch))
            runs[e] = Run(e, args, opts + extras[e], out, b)
        write_cmd(out, args, engines, runs)
        started = time.monotonic()
        total, done = args.rounds * len(engines), 0
        for r in range(args.rounds):
            order = engines[r % len(engines):] + engines[:r % len(engines)]
            rounds.append({})
            for e in order:
                done += 1
                rows = runs[e].run(scratch, "[%d/%d] round %d of %d: %s "
                                   "(%.0f s so far)" % (
                                       done, total, r + 1, args.rounds, e,
                                       time.monotonic() - started))
                rounds[r][e] = rows
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    with open(os.path.join(out, "rounds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "engine", "benchmark", "micros_per_op",
                    "ops_per_sec", "max_rss_kb"])
        for r, per in enumerate(rounds):
            for e in engines:
                for row in per.get(e, []):
                    w.writerow([r + 1, e, row["benchmark"],
                                row["micros_per_op"], row["ops_per_sec"],
                                row.get("max_rss_kb", "")])
    summary = tables(engines, workloads, rounds, versus, args)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(summary)
    print()
    print(summary)
    print("wrote %s (summary.md, rounds.csv, compare.cmd, machine.txt, a "
          ".csv and .txt per engine)" % lib.shown_path(out))
    return 0


def write_cmd(out, args, engines, runs):
    """DIR/compare.cmd: this command and the drivers' commands, as the
    .cmd files beside the charts record theirs."""
    argv = ["python3", "bench/compare.py"] + [
        lib.shown_path(out) if a == args.out else a for a in sys.argv[1:]]
    lines = ["# %s was made by:" % lib.shown_path(out),
             " ".join(shlex.quote(a) for a in argv), "",
             "# which ran, from the repository root, %d round(s), each "
             "running these in turn (starting one further along each "
             "round), with DB a fresh scratch directory under $TMPDIR or "
             "/tmp:" % args.rounds]
    lines += [runs[e].command() for e in engines]
    with open(os.path.join(out, "compare.cmd"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
