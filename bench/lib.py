"""bench/lib.py - the machinery under bench/plots.py: run the benchmark
driver over a sweep, collect its CSV rows, draw with gnuplot.

Python 3 standard library only. Everything here is chart-agnostic; the
charts themselves (which runs they need, what they draw) live in plots.py.

A *point* is one invocation of build/<stage>/bench:

    build/<stage>/bench --benchmarks=LIST --num=N --reads=R [EXTRA...] \
        --db=$DB --csv=OUT/data/<stage>.csv

(EXTRA: further flags, such as --seek_nexts=100 or -o memtable_bytes=M.
The bare flag --latency_csv in EXTRA becomes
--latency_csv=OUT/data/<stage>.latency.csv: the driver's per-second rows,
kept per rep as the CSV rows are; Runner.latency(point, rep) returns them.)
Other jobs, such as crash.Crash (a kill -9 run), go through the same Runner:
anything with key(), label(), command(csv) and run(scratch, csv) -> rows.

Points are deduplicated, so two charts that need the same point share one
run, and each point runs `reps` times; charts read the median of the reps.
The driver appends its rows to OUT/data/<stage>.csv (the raw data, one row
per workload per run) and its text report to OUT/data/<stage>.txt.
"""

import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# The drivers `make peers` builds: the same bench.c on another engine.
PEERS = ("leveldb", "rocksdb", "sqlite")


def bench_path(stage):
    """The driver of a stage (or of a peer: build/peers/bench-<peer>),
    relative to the repository root."""
    if stage in PEERS:
        return os.path.join("build", "peers", "bench-" + stage)
    return os.path.join("build", stage, "bench")


def stage_built(stage):
    return os.access(os.path.join(ROOT, bench_path(stage)), os.X_OK)


def shown_path(path):
    """path relative to the current directory when it is below it, so the
    commands we record name no absolute path of this machine."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


class Point:
    """One run of a stage's driver; hashable so charts can share runs."""

    def __init__(self, stage, num, reads, benchmarks, extra=()):
        self.stage, self.num, self.reads = stage, num, reads
        self.benchmarks, self.extra = benchmarks, tuple(extra)

    def key(self):
        return (self.stage, self.num, self.reads, self.benchmarks,
                self.extra)

    def label(self):
        return "%s %s num=%d reads=%d%s" % (
            self.stage, self.benchmarks, self.num, self.reads,
            "".join(" " + a for a in self.extra))

    def argv(self, db, csv):
        extra = ["--latency_csv=" + latency_path(csv)
                 if a == "--latency_csv" else a for a in self.extra]
        return ([bench_path(self.stage), "--benchmarks=" + self.benchmarks,
                 "--num=%d" % self.num, "--reads=%d" % self.reads] +
                extra + ["--db=" + db, "--csv=" + csv])


def latency_path(csv):
    """Where the per-second rows of a point go, beside its CSV."""
    return csv[:-len(".csv")] + ".latency.csv"


class Runner:
    """Runs points (each `reps` times) and answers questions about the rows."""

    def __init__(self, out, reps):
        self.out, self.reps = out, reps
        self.data = os.path.join(out, "data")
        self.points = {}   # key -> Point, in order of registration
        self.rows = {}     # key -> list of row dicts, all reps
        self.lat = {}      # key -> list of --latency_csv rows, all reps
        self.scratch = None

    def need(self, point):
        self.points.setdefault(point.key(), point)
        return point

    def csv_path(self, stage):
        return os.path.join(self.data, stage + ".csv")

    def job_csv(self, job):
        """Where a job that is not a driver point writes its rows."""
        return os.path.join(self.data, job.key()[0] + ".csv")

    def command(self, point):
        """The command line of a point, as recorded in <chart>.cmd."""
        if not isinstance(point, Point):
            return point.command(shown_path(self.job_csv(point)))
        argv = point.argv("$DB", shown_path(self.csv_path(point.stage)))
        return " ".join(shlex.quote(a) if a != "--db=$DB" else a
                        for a in argv)

    def run_all(self):
        """Runs every registered point reps times, printing progress."""
        os.makedirs(self.data, exist_ok=True)
        names = {p.stage if isinstance(p, Point) else p.key()[0]
                 for p in self.points.values()}
        for name in names:
            for ext in (".csv", ".txt", ".latency.csv"):
                path = os.path.join(self.data, name + ext)
                if os.path.exists(path):
                    os.remove(path)
        base = os.environ.get("TMPDIR") or "/tmp"
        self.scratch = tempfile.mkdtemp(prefix="kvplots-", dir=base)
        total = len(self.points) * self.reps
        done = 0
        try:
            for rep in range(self.reps):
                for point in self.points.values():
                    done += 1
                    self._run_one(point, rep, "[%d/%d]" % (done, total),
                                  " (run %d of %d)" % (rep + 1, self.reps)
                                  if self.reps > 1 else "")
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def load_compare(self, dirs):
        """Instead of running: takes every point's rows from the runs of
        bench/compare.py in dirs (DIR/<engine>.csv, one run per round), so
        a chart draws the very runs a chapter's table quotes. A point takes
        the rows of its engine at its --num, the nth run of each workload
        becoming rep n. Returns the points no dir had rows for."""
        missing = []
        for point in self.points.values():
            rows = []
            for d in dirs:
                rows += [r for r in _read_rows(
                    os.path.join(d, point.stage + ".csv"))
                    if r.get("num") == str(point.num) and
                    r.get("benchmark") in point.benchmarks.split(",")]
            seen = {}
            for r in rows:
                r["_rep"] = seen.get(r["benchmark"], 0)
                seen[r["benchmark"]] = r["_rep"] + 1
            if rows:
                self.rows.setdefault(point.key(), []).extend(rows)
            else:
                missing.append(point)
        return missing

    def _run_one(self, point, rep, progress, which):
        """Runs point once; its rows are kept with _rep = rep."""
        if not isinstance(point, Point):
            print("%s %s%s ..." % (progress, point.label(), which), end="",
                  flush=True)
            start = time.monotonic()
            rows = point.run(self.scratch, self.job_csv(point))
            print(" %.1f s" % (time.monotonic() - start), flush=True)
            for r in rows:
                r["_rep"] = rep
            self.rows.setdefault(point.key(), []).extend(rows)
            return
        db = os.path.join(self.scratch, "db")
        csv_file = self.csv_path(point.stage)
        before = _count_rows(csv_file)
        lat_file = latency_path(csv_file)
        lat_before = _count_rows(lat_file)
        print("%s %s%s ..." % (progress, point.label(), which), end="",
              flush=True)
        start = time.monotonic()
        proc = subprocess.run(point.argv(db, csv_file), cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        shutil.rmtree(db, ignore_errors=True)
        if proc.returncode != 0:
            print(" failed")
            sys.stderr.write(proc.stderr)
            raise SystemExit("plots: %s exited with %d" %
                             (bench_path(point.stage), proc.returncode))
        print(" %.1f s" % (time.monotonic() - start), flush=True)
        with open(os.path.join(self.data, point.stage + ".txt"), "a") as f:
            f.write("$ %s\n%s\n" % (self.command(point), proc.stdout))
        rows = _read_rows(csv_file)[before:]
        for r in rows:
            r["_rep"] = rep
        self.rows.setdefault(point.key(), []).extend(rows)
        if "--latency_csv" in point.extra:
            lat = _read_rows(lat_file)[lat_before:]
            for r in lat:
                r["_rep"] = rep
            self.lat.setdefault(point.key(), []).extend(lat)

    def latency(self, point, rep=0):
        """The --latency_csv rows of one rep of point (dicts of strings)."""
        return [r for r in self.lat.get(point.key(), []) if r["_rep"] == rep]

    def median(self, point, benchmark, column, nth=0):
        """The median over the reps of column in the benchmark's rows of
        point, as a float (None when the column is empty or missing). A
        point that runs the benchmark several times (a list such as
        overwrite,readrandom,overwrite,readrandom) has its nth row in each
        rep; nth counts from 0."""
        per_rep = {}
        for r in self.rows.get(point.key(), []):
            if r.get("benchmark") == benchmark:
                per_rep.setdefault(r["_rep"], []).append(r)
        values = [rows[nth].get(column) for rows in per_rep.values()
                  if nth < len(rows)]
        values = [v for v in values if v not in ("", None)]
        if not values:
            return None
        return statistics.median(float(v) for v in values)


def _read_rows(path):
    import csv
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _count_rows(path):
    return len(_read_rows(path))


# ---- drawing --------------------------------------------------------------

_terminal = None


def terminal():
    """pngcairo when this gnuplot has it, else png."""
    global _terminal
    if _terminal is None:
        out = subprocess.run(["gnuplot", "-e", "set terminal"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True).stdout
        if "pngcairo" in out:
            _terminal = "pngcairo enhanced font 'sans,10'"
        else:
            _terminal = "png enhanced"
    return _terminal


def write_dat(path, header, rows):
    """A whitespace-separated table for gnuplot; None becomes NaN (a gap)."""
    with open(path, "w") as f:
        f.write("# " + " ".join(header) + "\n")
        for row in rows:
            f.write(" ".join("NaN" if v is None else repr(v) for v in row)
                    + "\n")


def draw(out, chart, script, size=(900, 720)):
    """Writes OUT/data/<chart>.gp (output OUT/<chart>.png, data read from
    data/) and runs gnuplot on it in OUT, so the script is relocatable."""
    gp = os.path.join(out, "data", chart + ".gp")
    with open(gp, "w") as f:
        f.write("set terminal %s size %d,%d\n" % ((terminal(),) + size))
        f.write("set output '%s.png'\n" % chart)
        f.write(script)
    proc = subprocess.run(["gnuplot", os.path.join("data", chart + ".gp")],
                          cwd=out)
    if proc.returncode != 0:
        raise SystemExit("plots: gnuplot failed on %s" %
                         shown_path(gp))
    return "cd %s && gnuplot data/%s.gp" % (shown_path(out), chart)


# ---- where the numbers came from ----------------------------------------

def _first(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.split(":")[0].strip() == key:
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_txt(out):
    """Writes OUT/machine.txt: the machine and file system of the run."""
    base = os.environ.get("TMPDIR") or "/tmp"
    fs = subprocess.run(["df", "--output=fstype", base],
                        stdout=subprocess.PIPE, universal_newlines=True)
    mem = _first("/proc/meminfo", "MemTotal")
    u = platform.uname()
    lines = [
        "date:       " + time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "system:     %s %s %s" % (u.system, u.release, u.machine),
        "cpu:        " + _first("/proc/cpuinfo", "model name"),
        "nproc:      %d" % (os.cpu_count() or 0),
        "memory:     " + mem,
        "db fs:      " + (fs.stdout.split() or ["", "unknown"])[-1] +
        " (the scratch store under $TMPDIR or /tmp)",
        "command:    " + " ".join(["python3"] + [shown_path(a) if
                                   os.path.exists(a) else a
                                   for a in sys.argv]),
    ]
    with open(os.path.join(out, "machine.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
