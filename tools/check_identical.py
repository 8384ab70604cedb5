#!/usr/bin/env python3
"""tools/check_identical.py [--list]: checks that the files tools/identical.txt
declares identical are byte for byte the same in every stage it names.

A stage carries most of its files from the stage before, and a carried file
changes only where the new layer needs it. Where it does not change, the
copies must stay the same: a bug fixed in one copy is fixed in all, and a
comment in one says only what is true of every stage that carries it. Each
line of identical.txt names a file and a range of stages ("wal.c 4-7");
this script fails, naming the file and the first copy that differs, when
the copies are not identical. --list prints the runs of identical copies
the stage folders hold now, in the same format (to review a change to the
list, not to write it blindly).

Exits 0 when every declared run holds, 1 otherwise, 2 on bad usage."""
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(ROOT, "tools", "identical.txt")


def stages():
    """The stage folders, by number: {1: 'stage1-append-log', ...}."""
    out = {}
    for d in os.listdir(ROOT):
        if d.startswith("stage") and os.path.isfile(os.path.join(ROOT, d, "Makefile")):
            out[int(d[5:d.index("-")])] = d
    return out


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def runs(by_number):
    """Each file's runs of two or more consecutive stages holding it alike."""
    names = sorted({f for d in by_number.values()
                    for f in os.listdir(os.path.join(ROOT, d))
                    if os.path.isfile(os.path.join(ROOT, d, f))})
    for name in names:
        run, last = [], None
        for n in sorted(by_number):
            path = os.path.join(ROOT, by_number[n], name)
            h = digest(path) if os.path.isfile(path) else None
            if h is not None and run and h == last and run[-1] == n - 1:
                run.append(n)
            else:
                if len(run) > 1:
                    yield name, run[0], run[-1]
                run = [n] if h is not None else []
            last = h
        if len(run) > 1:
            yield name, run[0], run[-1]


def check(by_number):
    bad = 0
    with open(LIST) as f:
        lines = f.read().splitlines()
    for lineno, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            name, span = line.split()
            lo, hi = (int(x) for x in span.split("-"))
        except ValueError:
            print(f"tools/identical.txt:{lineno}: not 'FILE N-M': {line}")
            bad += 1
            continue
        first = None
        for n in range(lo, hi + 1):
            if n not in by_number:
                print(f"tools/identical.txt:{lineno}: there is no stage {n}")
                bad += 1
                break
            path = os.path.join(by_number[n], name)
            if not os.path.isfile(os.path.join(ROOT, path)):
                print(f"tools/identical.txt:{lineno}: {path} is missing")
                bad += 1
                break
            h = digest(os.path.join(ROOT, path))
            if first is None:
                first = (path, h)
            elif h != first[1]:
                print(f"{path} differs from {first[0]} "
                      f"(tools/identical.txt:{lineno} says stages {lo}-{hi} "
                      f"share it: fix every copy, or change the list)")
                bad += 1
                break
    print(f"copies: {len([l for l in lines if l.split('#', 1)[0].strip()])} "
          f"runs checked, {bad} broken")
    return bad


def main(argv):
    if argv[1:] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    by_number = stages()
    if argv[1:] == ["--list"]:
        for name, lo, hi in runs(by_number):
            print(f"{name} {lo}-{hi}")
        return 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if check(by_number) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
