#!/usr/bin/env python3
"""bench/crash.py - what a kill -9 costs a stage: acknowledged writes lost,
and the time and bytes its next open spends recovering.

    python3 bench/crash.py --stage STAGE --writes W [--memtable_bytes M]
                           [--db DIR] [--csv FILE]

One run, from the repository root (Python 3 standard library only):

  1. starts `build/STAGE/kv -d DIR -o memtable_bytes=M shell` with pipes
     (DIR emptied first) and sends W lines `set KEY VALUE`, keys "%016d"
     0..W-1 in order, 100-byte values; every "OK" it answers is an
     acknowledged write;
  2. once all W are acknowledged, SIGKILLs it: no close, no flush, the
     shell's stdin still open (at EOF it would close the store cleanly);
  3. times `build/STAGE/kv -d DIR stats` (the wall time of the whole
     command, process start included) and keeps what its open read: stats
     run right after open, so their I/O counters are the open's; then
     times it once more (again_ms: the same command with nothing left to
     recover, a baseline for process start, open and close);
  4. runs `build/STAGE/kv -d DIR scan` and counts the acknowledged keys
     that came back with their value; the rest are lost.

It prints one line and, with --csv, appends a row (columns in COLUMNS).
plots.py runs the same function in-process for the crash charts.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

COLUMNS = ["stage", "writes", "memtable_bytes", "acked", "present", "lost",
           "disk_bytes", "open_ms", "open_reads", "open_bytes_read",
           "open_syncs", "tables", "again_ms"]


def kv_path(stage):
    return os.path.join("build", stage, "kv")


def value_of(i):
    """The 100-byte value written under key i."""
    return ("%016d" % i) * 6 + "vvvv"


def _dir_bytes(path):
    return sum(os.path.getsize(os.path.join(path, n)) for n in os.listdir(path)
               if os.path.isfile(os.path.join(path, n)))


def fill_and_kill(stage, db, writes, memtable_bytes):
    """Steps 1 and 2; returns the number of writes acknowledged."""
    argv = [kv_path(stage), "-d", db]
    if memtable_bytes:
        argv += ["-o", "memtable_bytes=%d" % memtable_bytes]
    proc = subprocess.Popen(argv + ["shell"], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, bufsize=0)
    text = "".join("set %016d %s\n" % (i, value_of(i))
                   for i in range(writes)).encode()

    def feed():  # a thread, so a full stdout pipe cannot deadlock us
        try:
            proc.stdin.write(text)
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    acked = 0
    out = proc.stdout
    while acked < writes:
        line = out.readline()
        if not line:
            break
        if line == b"OK\n":
            acked += 1
        else:
            proc.kill()
            raise SystemExit("crash: %s answered %r" % (kv_path(stage), line))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    feeder.join()
    for f in (proc.stdin, proc.stdout):
        try:
            f.close()
        except OSError:
            pass
    return acked


def _kv(stage, db, *args):
    proc = subprocess.run([kv_path(stage), "-d", db] + list(args), cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise SystemExit("crash: kv %s failed: %s" %
                         (" ".join(args), proc.stderr.decode(errors="replace")))
    return proc.stdout


def recover(stage, db):
    """Step 3: (wall ms of `kv stats`, its counters as a dict)."""
    start = time.monotonic()
    out = _kv(stage, db, "stats")
    ms = (time.monotonic() - start) * 1000.0
    stats = {}
    for line in out.decode().splitlines():
        name, _, value = line.partition(" ")
        stats.setdefault(name, int(value))  # the first: the I/O layer's
    return ms, stats


def count_present(stage, db, writes):
    """Step 4: how many of keys 0..writes-1 came back with their value."""
    present = 0
    for line in _kv(stage, db, "scan").decode().splitlines():
        key, tab, value = line.partition("\t")
        if tab and key.isdigit() and int(key) < writes and \
                value == value_of(int(key)):
            present += 1
    return present


def _empty(db):
    """Removes the store in db; refuses a directory that is not a store."""
    if os.path.isdir(db) and os.listdir(db) and \
            not os.path.exists(os.path.join(db, "STORE")):
        raise SystemExit("crash: %s holds files but no STORE: not removing "
                         "them" % db)
    shutil.rmtree(db, ignore_errors=True)


def run(stage, db, writes, memtable_bytes):
    """One whole run in an emptied db; returns a row (dict of COLUMNS)."""
    _empty(db)
    acked = fill_and_kill(stage, db, writes, memtable_bytes)
    disk = _dir_bytes(db)
    ms, stats = recover(stage, db)
    again_ms, _ = recover(stage, db)
    present = count_present(stage, db, writes)
    _empty(db)
    return {"stage": stage, "writes": writes,
            "memtable_bytes": memtable_bytes, "acked": acked,
            "present": present, "lost": acked - present, "disk_bytes": disk,
            "open_ms": round(ms, 3), "open_reads": stats.get("reads", ""),
            "open_bytes_read": stats.get("bytes_read", ""),
            "open_syncs": stats.get("syncs", ""),
            "tables": stats.get("tables", ""), "again_ms": round(again_ms, 3)}


def append_csv(path, row):
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a") as f:
        if new:
            f.write(",".join(COLUMNS) + "\n")
        f.write(",".join(str(row[c]) for c in COLUMNS) + "\n")


def command(stage, writes, memtable_bytes, csv):
    """The command line of one run, as plots.py records it."""
    cmd = "python3 bench/crash.py --stage %s --writes %d" % (stage, writes)
    if memtable_bytes:
        cmd += " --memtable_bytes %d" % memtable_bytes
    return cmd + " --db $DB --csv " + csv


class Crash:
    """One run as a job of lib.Runner (plots.py): shared by charts with the
    same stage, writes and memtable_bytes; its rows are the runs' dicts,
    with benchmark "crash"."""

    def __init__(self, stage, writes, memtable_bytes):
        self.stage, self.writes = stage, writes
        self.memtable_bytes = memtable_bytes

    def key(self):
        return ("crash", self.stage, self.writes, self.memtable_bytes)

    def label(self):
        return "%s crash writes=%d memtable_bytes=%d" % (
            self.stage, self.writes, self.memtable_bytes)

    def command(self, csv):
        return command(self.stage, self.writes, self.memtable_bytes, csv)

    def run(self, scratch, csv):
        row = run(self.stage, os.path.join(scratch, "crashdb"), self.writes,
                  self.memtable_bytes)
        append_csv(csv, row)
        row = {k: str(v) for k, v in row.items()}
        row["benchmark"] = "crash"
        return [row]


def main():
    ap = argparse.ArgumentParser(description="Count the acknowledged writes "
                                 "a kill -9 loses; time the recovery.")
    ap.add_argument("--stage", required=True, help="e.g. stage3-sstable")
    ap.add_argument("--writes", type=int, required=True)
    ap.add_argument("--memtable_bytes", type=int, default=0,
                    help="the engine option (default: the stage's own)")
    ap.add_argument("--db", help="scratch directory (default: a new one "
                    "under $TMPDIR or /tmp); emptied first")
    ap.add_argument("--csv", help="append a row to this file")
    args = ap.parse_args()
    scratch = None
    db = args.db
    if db is None:
        scratch = tempfile.mkdtemp(prefix="kvcrash-")
        db = os.path.join(scratch, "db")
    try:
        row = run(args.stage, os.path.abspath(db), args.writes,
                  args.memtable_bytes)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    print("%s: %d of %d acknowledged writes lost to kill -9; recovery %.1f ms,"
          " %s bytes read" % (row["stage"], row["lost"], row["acked"],
                              row["open_ms"], row["open_bytes_read"]))
    if args.csv:
        append_csv(args.csv, row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
