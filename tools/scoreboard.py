#!/usr/bin/env python3
"""scoreboard.py - prints the failure-mode scoreboard of docs/00-course.md from the
rows the stages' test runs wrote.

    python3 tools/scoreboard.py BUILDDIR STAGE...
    python3 tools/scoreboard.py build stage1-append-log stage2-hash-index

Each stage's `make test` runs the shared suite (common/suite_scoreboard.c),
which writes BUILDDIR/<stage>/scoreboard.txt, one line per row:

    <row-id> <expected: ok|x|-> <measured: ok|x|-|?> <the measured figures>

This prints one line per row with the row's words and one column per stage.
A cell shows what was measured; a '!' marks a cell where that differs from
what the stage's expect.c declares (the scoreboard test failed), and the
figures of every such cell are listed below the matrix. Exits 1 if any cell
has a '!' or if a stage has no scoreboard file, else 0.
Python 3 standard library only.
"""
import os
import re
import sys

# The rows in docs/00-course.md's order, with its words (common/suite.c has the same).
ROWS = [
    ("get_o1", "a get reads O(1) records, not the log"),
    ("open_index", "open reads index data, not all data"),
    ("index_memory", "index memory grows slower than key count"),
    ("range_scan", "ordered range scan"),
    ("kill9", "kill -9 loses no acknowledged write"),
    ("power_loss", "simulated power loss loses no acknowledged write (sync=always from stage 4)"),
    ("disk_bounded", "disk bytes bounded under overwrites and deletes"),
    ("missing_key", "a missing-key get reads no data block (almost always)"),
    ("no_wait", "a get never waits for a running compaction"),
    ("corruption", "every corrupted byte is detected or harmless"),
    ("torn_tail", "a torn last write (log cut at every byte of its tail) opens to a prefix"),
    ("one_process", "a second process on the same store is refused"),
]

LEGEND = ("legend: ok = the stage has the property; x = it lacks it (its charted "
          "failure mode); - = does not apply; ? = not measured; "
          "! = measured differs from the stage's expect.c")


def read_rows(path):
    """Returns {row-id: (expected, measured, figures)} from one file."""
    rows = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 3)
            if len(parts) < 3:
                continue
            figures = parts[3] if len(parts) > 3 else ""
            rows[parts[0]] = (parts[1], parts[2], figures)
    return rows


def column_name(stage):
    """'stage1-append-log' -> '1', as docs/00-course.md heads its columns."""
    m = re.match(r"stage(\d+)-", stage)
    return m.group(1) if m else stage


def main(argv):
    if len(argv) < 3:
        print("usage: scoreboard.py BUILDDIR STAGE...", file=sys.stderr)
        return 2
    build, stages = argv[1], argv[2:]
    tables, problems = {}, []
    for stage in stages:
        path = os.path.join(build, stage, "scoreboard.txt")
        if os.path.exists(path):
            tables[stage] = read_rows(path)
        else:
            problems.append("%s: no scoreboard (%s is missing: did its tests run?)"
                            % (stage, path))
    ids = [r[0] for r in ROWS]
    for rows in tables.values():
        ids += [i for i in rows if i not in ids]
    words = dict(ROWS)
    width = max(len(words.get(i, i)) for i in ids)
    cols = [column_name(s) for s in stages]
    colw = max([4] + [len(c) + 1 for c in cols])
    head = "%-*s %s" % (width, "property", "".join(c.ljust(colw) for c in cols))
    print(head.rstrip())
    for row in ids:
        cells = []
        for stage in stages:
            if stage not in tables:
                cells.append("?")
                continue
            want, got, figures = tables[stage].get(row, ("?", "?", "no such row"))
            cell = got
            if got != want:
                cell += "!"
                problems.append("%s %s: expected %s, measured %s: %s"
                                % (stage, row, want, got, figures))
            cells.append(cell)
        line = "%-*s %s" % (width, words.get(row, row), "".join(c.ljust(colw) for c in cells))
        print(line.rstrip())
    print(LEGEND)
    for p in problems:
        print("scoreboard: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
