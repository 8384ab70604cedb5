#!/usr/bin/env python3
"""bench/test_bench.py - checks of the benchmark driver's threads, latency
histogram and per-interval rows, by counts (never by time):

    python3 bench/test_bench.py        (after `make`; skips stages not built)

- the CSV header ends with the new columns, p50_us, p99_us, max_rss_kb,
  then stalls, stall_micros, slowdowns and tables_l0 (filled by the stages
  that have those stats, empty for the others); max_rss_kb (the process's peak so far) never falls from one row
  to the next, leaves out the peak of the process that started the
  driver, and the last line on stdout is the run's peak;
- --threads=N: every thread runs the whole workload (ops = N x reads),
  with db_bench's seeds (thread i of the first workload: 1000 + i + 1), so
  two threads of readrandom find what two single-thread runs with those
  seeds find;
- a store with kv_thread_safe == 0 refuses --threads=2 (exit 2) and says
  "not supported" for readwhilewriting;
- readwhilewriting reports the readers only, and the writer's puts are in
  --latency_csv;
- --latency_csv rows add up to the ops of the workload;
- bench/compare.py runs two stages in turns and writes its tables, and
  with --reopen runs the leading fills and the rest as two processes;
- the reference run (bench/reference.sh) makes every run the chapters'
  tables of figures are made from (tools/check_figures.py).
"""

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
S4 = os.path.join(ROOT, "build", "stage4-wal-recovery", "bench")
S5 = os.path.join(ROOT, "build", "stage5-compaction", "bench")
S6 = os.path.join(ROOT, "build", "stage6-bloom-concurrency", "bench")


def built(path):
    return os.access(path, os.X_OK)


class BenchTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="kvbenchtest-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_bench(self, exe, *args, check=True):
        db = os.path.join(self.tmp, "db")
        proc = subprocess.run([exe, "--db=" + db] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        if check:
            self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def rows(self, name):
        with open(os.path.join(self.tmp, name), newline="") as f:
            return list(csv.DictReader(f))

    @unittest.skipUnless(built(S5), "stage 5 not built")
    def test_threads_each_run_the_workload(self):
        out = os.path.join(self.tmp, "t.csv")
        self.run_bench(S5, "--num=2000", "--reads=500", "--threads=2",
                       "--histogram=1", "--benchmarks=fillseq,readrandom",
                       "--csv=" + out)
        with open(out) as f:
            header = f.readline().strip().split(",")
        self.assertEqual(header[-7:], ["p50_us", "p99_us", "max_rss_kb",
                                       "stalls", "stall_micros", "slowdowns",
                                       "tables_l0"])
        fill, read = self.rows("t.csv")
        self.assertEqual(int(fill["ops"]), 4000)
        self.assertEqual(int(read["ops"]), 1000)
        self.assertEqual(int(read["entries"]), 1000)  # fillseq: all there
        self.assertEqual(read["threads"], "2")
        self.assertTrue(float(read["p50_us"]) <= float(read["p99_us"]))

    @unittest.skipUnless(built(S5) and built(S6), "stages 5, 6 not built")
    def test_engine_counters(self):
        # Stage 6 has stalls and tables_l0 (no slowdowns: stage 7's);
        # stage 5 has tables_l0 only. A 1 KiB memtable: many flushes.
        args = ["--num=3000", "--reads=100", "-o", "memtable_bytes=1024",
                "--benchmarks=fillrandom,readrandom"]
        for exe, name, has_stalls in ((S6, "s6.csv", True),
                                      (S5, "s5.csv", False)):
            self.run_bench(exe, *args, "--csv=" + os.path.join(self.tmp, name))
            shutil.rmtree(os.path.join(self.tmp, "db"), ignore_errors=True)
            fill, read = self.rows(name)
            self.assertEqual(fill["slowdowns"], "")
            self.assertTrue(int(fill["tables_l0"]) >= 0)
            if has_stalls:
                self.assertTrue(int(fill["stalls"]) >= 0)
                self.assertTrue(int(fill["stall_micros"]) >= 0)
                self.assertEqual(read["stalls"], "0")  # reads never wait
            else:
                self.assertEqual(fill["stalls"], "")

    @unittest.skipUnless(built(S5), "stage 5 not built")
    def test_max_rss(self):
        # 64 MiB resident here: the driver's peak must not include ours
        # (Linux's ru_maxrss would: it survives fork and exec).
        ballast = b"x" * (64 << 20)
        out = os.path.join(self.tmp, "m.csv")
        proc = self.run_bench(S5, "--num=20000", "--reads=1000",
                              "--benchmarks=fillseq,readrandom,readseq",
                              "--csv=" + out)
        rss = [int(r["max_rss_kb"]) for r in self.rows("m.csv")]
        self.assertEqual(len(rss), 3)
        self.assertTrue(rss[0] > 1000, rss)  # KiB: more than 1 MiB of text
        self.assertEqual(rss, sorted(rss))   # a peak so far never falls
        last = proc.stdout.strip().split("\n")[-1]
        self.assertTrue(last.startswith("Max RSS:"), last)
        self.assertTrue(int(last.split()[2]) >= rss[-1], last)
        self.assertTrue(rss[-1] < (64 << 10), rss)  # KiB
        del ballast

    @unittest.skipUnless(built(S5), "stage 5 not built")
    def test_seeds_follow_db_bench(self):
        # keys 0..499 of [0, 1000) are there (fillseq --writes=500), so a
        # readrandom's found count depends on its seed alone. One thread:
        # fillseq takes seed 1001, the readrandoms 1002, 1003, 1004. Two
        # threads: fillseq takes 1001 and 1002, readrandom 1003 and 1004.
        flags = ["--num=1000", "--writes=500", "--reads=300"]
        self.run_bench(S5, *flags,
                       "--benchmarks=fillseq,readrandom,readrandom,readrandom",
                       "--csv=" + os.path.join(self.tmp, "one.csv"))
        one = [int(r["entries"]) for r in self.rows("one.csv")[1:]]
        self.run_bench(S5, *flags, "--threads=2",
                       "--benchmarks=fillseq,readrandom",
                       "--csv=" + os.path.join(self.tmp, "two.csv"))
        two = self.rows("two.csv")
        self.assertEqual(int(two[0]["ops"]), 1000)
        self.assertEqual(int(two[1]["ops"]), 600)
        self.assertEqual(int(two[1]["entries"]), one[1] + one[2])
        self.assertNotEqual(one[0] + one[1], one[1] + one[2])

    @unittest.skipUnless(built(S4), "stage 4 not built")
    def test_not_thread_safe_refuses(self):
        proc = self.run_bench(S4, "--num=10", "--threads=2", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("not thread-safe", proc.stderr)
        proc = self.run_bench(S4, "--num=100",
                              "--benchmarks=fillseq,readwhilewriting")
        self.assertIn("readwhilewriting : not supported", proc.stdout)

    @unittest.skipUnless(built(S5), "stage 5 not built")
    def test_readwhilewriting_and_latency_rows(self):
        lat = os.path.join(self.tmp, "lat.csv")
        proc = self.run_bench(S5, "--num=5000", "--reads=3000",
                              "--benchmarks=fillseq,readwhilewriting",
                              "--latency_csv=" + lat, "--latency_ms=5",
                              "--csv=" + os.path.join(self.tmp, "r.csv"))
        row = self.rows("r.csv")[1]
        self.assertEqual(int(row["ops"]), 3000)  # the reader only
        self.assertIn("puts meanwhile", proc.stdout)
        puts = int(proc.stdout.split("(")[-1].split()[0])
        rows = [r for r in self.rows("lat.csv")
                if r["benchmark"] == "readwhilewriting"]
        got = sum(int(r["ops"]) for r in rows if r["kind"] == "get")
        put = sum(int(r["ops"]) for r in rows if r["kind"] == "put")
        self.assertEqual(got, 3000)
        self.assertEqual(put, puts)
        fill = [r for r in self.rows("lat.csv") if r["benchmark"] == "fillseq"]
        self.assertEqual(sum(int(r["ops"]) for r in fill), 5000)
        self.assertTrue(all(r["compactions"] != "" for r in rows))

    @unittest.skipUnless(built(S5) and built(S6), "stages 5, 6 not built")
    def test_compare(self):
        out = os.path.join(self.tmp, "cmp")
        proc = subprocess.run(
            [sys.executable, os.path.join(ROOT, "bench", "compare.py"),
             "--engines", "stage5,stage6-bloom-concurrency", "--num", "2000",
             "--reads", "500", "--rounds", "2", "--benchmarks",
             "fillseq,readrandom,readmissing", "--out", out],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            universal_newlines=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("round 2 of 2: stage5-compaction", proc.stdout)
        self.assertIn("### stage6-bloom-concurrency against "
                      "stage5-compaction", proc.stdout)
        self.assertIn("| readmissing |", proc.stdout)
        with open(os.path.join(out, "rounds.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 2 * 2 * 3)
        self.assertTrue(all(float(r["max_rss_kb"]) > 0 for r in rows))
        with open(os.path.join(out, "compare.cmd")) as f:
            cmd = f.read()
        # stage 5 knows memtable_bytes but not bloom_bits
        self.assertIn("build/stage5-compaction/bench --benchmarks=fillseq,"
                      "readrandom,readmissing --num=2000 --reads=500 -o "
                      "memtable_bytes=4194304 --db=$DB", cmd)
        self.assertIn("-o bloom_bits=10 -o memtable_bytes=4194304", cmd)
        for f in ("machine.txt", "summary.md", "stage5-compaction.csv",
                  "stage6-bloom-concurrency.txt"):
            self.assertTrue(os.path.exists(os.path.join(out, f)), f)

    @unittest.skipUnless(built(S5), "stage 5 not built")
    def test_compare_reopen(self):
        out = os.path.join(self.tmp, "cmp")
        proc = subprocess.run(
            [sys.executable, os.path.join(ROOT, "bench", "compare.py"),
             "--engines", "stage5", "--num", "2000", "--reads", "100",
             "--rounds", "2", "--reopen", "--stage-options=", "--benchmarks",
             "fillsync,fillrandom,overwrite,readrandom", "--out", out],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            universal_newlines=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(out, "compare.cmd")) as f:
            cmd = [l for l in f.read().splitlines()
                   if l.startswith("build/")]
        # the leading fills, then the rest on the reopened store
        self.assertEqual(len(cmd), 2, cmd)
        self.assertIn("--benchmarks=fillsync,fillrandom,overwrite ", cmd[0])
        self.assertNotIn("--use_existing_db", cmd[0])
        self.assertIn("--benchmarks=readrandom ", cmd[1])
        self.assertIn("--use_existing_db=1", cmd[1])
        with open(os.path.join(out, "stage5-compaction.csv"),
                  newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["benchmark"] for r in rows],
                         ["fillsync", "fillrandom", "overwrite",
                          "readrandom"] * 2)
        # the reads found the fills' keys: the store was not emptied
        reads = [r for r in rows if r["benchmark"] == "readrandom"]
        self.assertTrue(all(int(r["entries"]) > 0 for r in reads), reads)
        # a fill after a read would be skipped on the reopened store
        proc = subprocess.run(
            [sys.executable, os.path.join(ROOT, "bench", "compare.py"),
             "--engines", "stage5", "--num", "2000", "--reopen",
             "--benchmarks", "fillrandom,readrandom,fillsync", "--out", out],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            universal_newlines=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("fillsync comes after a read", proc.stderr)

    @unittest.skipUnless(built(S5), "stage 5 not built")
    def test_compare_threads(self):
        """--threads 1,2: one fill, then the reads once per count on the
        same store, the rows told apart by their threads column."""
        out = os.path.join(self.tmp, "cmp")
        argv = [sys.executable, os.path.join(ROOT, "bench", "compare.py"),
                "--engines", "stage5", "--num", "2000", "--reads", "100",
                "--rounds", "1", "--stage-options=", "--benchmarks",
                "fillrandom,readrandom", "--threads", "1,2", "--out", out]
        proc = subprocess.run(argv, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(proc.returncode, 2)  # the fill would run twice
        self.assertIn("--threads needs --reopen", proc.stderr)
        proc = subprocess.run(argv + ["--reopen"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(out, "stage5-compaction.csv"),
                  newline="") as f:
            rows = [(r["benchmark"], r["threads"], r["ops"])
                    for r in csv.DictReader(f)]
        self.assertEqual(rows, [("fillrandom", "1", "2000"),
                                ("readrandom", "1", "100"),
                                ("readrandom", "2", "200")])
        with open(os.path.join(out, "summary.md")) as f:
            self.assertIn("stage5-compaction, 2 threads", f.read())

    def test_reference_makes_every_run_the_figures_read(self):
        proc = subprocess.run(["sh", os.path.join(ROOT, "bench",
                                                  "reference.sh"), "--list"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        made = set()
        for line in proc.stdout.splitlines():
            words = line.split()
            for i, w in enumerate(words):
                if w == "--out" and i + 1 < len(words):
                    made.add(words[i + 1])
                if w == ">" and i + 1 < len(words):
                    made.add(words[i + 1])
                if w.endswith("/run.sh") and i + 2 < len(words):
                    made.add(os.path.dirname(words[i + 2]))
        # the sweep of every chart but those skipped (they come from the
        # compare runs): a chart's .dat files are made there
        sweep = [l.split() for l in proc.stdout.splitlines()
                 if l.startswith("python3 bench/plots.py --out docs/charts")
                 and "--from-compare" not in l]
        self.assertEqual(len(sweep), 1, proc.stdout)
        skipped = {w for i, w in enumerate(sweep[0][1:])
                   if sweep[0][i] == "--skip"}
        listed = subprocess.run([sys.executable, os.path.join(
            ROOT, "bench", "plots.py"), "--list"], stdout=subprocess.PIPE,
            universal_newlines=True).stdout.splitlines()
        listed = [l.split()[0] for l in listed if l.strip()]
        sys.path.insert(0, os.path.join(ROOT, "tools"))
        import check_figures
        # the A/B runs of a code change, which reference.sh names as
        # those it cannot remake (two builds of one stage)
        with open(os.path.join(ROOT, "bench", "reference.sh")) as f:
            header = f.read().split("case ")[0]
        ab = re.findall(r"docs/charts/data/(ch[0-9]+-[a-z-]+)", header)
        ab += re.findall(r", (ch[0-9]+-[a-z-]+)\b", header)
        sources = [(k, v[1]) for k, v in check_figures.TABLES.items()]
        sources += [(k, v[3]) for k, v in check_figures.PHRASES.items()]
        cmds = {}
        data = os.path.join(ROOT, "docs", "charts", "data")
        for f in os.listdir(data):
            if f.endswith(".cmd"):
                with open(os.path.join(data, f)) as g:
                    cmds[f[:-len(".cmd")]] = g.read()
        for name, runs in sources:
            for run in runs.split(", "):
                if run.split("/")[0] in ab or run == "scoreboard":
                    continue  # an A/B run, or make test's own rows
                if run.endswith(".csv") and "/" not in run:
                    # rows a chart's sweep wrote beside its .dat
                    charts = [c for c, t in cmds.items()
                              if "docs/charts/data/" + run in t and
                              c not in skipped]
                    self.assertTrue(charts, "%s: no chart the sweep draws "
                                    "writes %s" % (name, run))
                    continue
                if run.endswith(".dat"):
                    chart = max((c for c in listed if run.startswith(c)),
                                key=len, default=None)
                    self.assertIsNotNone(chart, "%s: %s is no chart's" %
                                         (name, run))
                    self.assertNotIn(chart, skipped, name)
                    continue
                self.assertIn("docs/charts/data/" + run, made,
                              "%s's run is not made by reference.sh" % name)
        self.assertIn("python3 tools/check_figures.py --write",
                      proc.stdout.splitlines()[-1])

    def test_figures_in_a_sentence(self):
        """A sentence's figures are found across a line break, a drifted
        one is reported and rewritten, a reworded sentence is an error."""
        sys.path.insert(0, os.path.join(ROOT, "tools"))
        import check_figures
        made = ("1,100,000", "2.50")
        check_figures.PHRASES["t"] = (
            "test", "after {} puts it holds {} MiB", lambda: made, "x.dat")
        try:
            ok = "Then, after 1,100,000 puts it\nholds 2.50 MiB.\n"
            text, n, d, b = check_figures.check_phrases("t.md", ok, "test",
                                                        True)
            self.assertEqual((text, n, d, b), (ok, 1, 0, 0))
            old = ok.replace("2.50", "2.4")
            text, n, d, b = check_figures.check_phrases("t.md", old, "test",
                                                        False)
            self.assertEqual((text, d, b), (old, 1, 0))
            text, n, d, b = check_figures.check_phrases("t.md", old, "test",
                                                        True)
            self.assertEqual((text, d, b), (ok, 1, 0))
            gone = ok.replace("it\nholds", "it keeps")
            text, n, d, b = check_figures.check_phrases("t.md", gone, "test",
                                                        True)
            self.assertEqual((text, d, b), (gone, 0, 1))
            twice = ok + ok
            self.assertEqual(check_figures.check_phrases(
                "t.md", twice, "test", False)[3], 1)
            # a second template over the same figure: --write would edit
            # it twice
            check_figures.PHRASES["u"] = ("test", "it holds {} MiB",
                                          lambda: "2.50", "x.dat")
            self.assertEqual(check_figures.check_phrases(
                "t.md", ok, "test", False)[3], 1)
        finally:
            del check_figures.PHRASES["t"]
            check_figures.PHRASES.pop("u", None)

    def test_scoreboard_matrix(self):
        """A chapter's scoreboard matrix is checked cell by cell against
        the rows make test wrote; a row of unknown words is an error."""
        sys.path.insert(0, os.path.join(ROOT, "tools"))
        import check_figures
        os.makedirs(os.path.join(self.tmp, "stage1-append-log"))
        with open(os.path.join(self.tmp, "stage1-append-log",
                               "scoreboard.txt"), "w") as f:
            f.write("range_scan x x no iterator\nkill9 ok ok 3 rounds\n")
        head = "| property | stage 1 |\n|---|---|\n"
        kit = check_figures.kit
        saved, kit.SCOREBOARD = kit.SCOREBOARD, self.tmp
        try:
            m = check_figures.check_matrices
            self.assertEqual(m("t.md", head + "| ordered range scan | x |\n"
                               "| kill -9 loses no acknowledged write | "
                               "**ok** |\n"), (2, 0))
            self.assertEqual(m("t.md", head + "| ordered range scan | ok "
                               "|\n"), (1, 1))
            self.assertEqual(m("t.md", head + "| ordered scans | x |\n"),
                             (0, 1))
        finally:
            kit.SCOREBOARD = saved


if __name__ == "__main__":
    # The closing line "N passed, N failed" that make test's summary reads.
    result = unittest.main(exit=False).result
    bad = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - bad - len(result.skipped)} passed, {bad} failed"
          + (f", {len(result.skipped)} skipped" if result.skipped else ""))
    sys.exit(1 if bad else 0)
