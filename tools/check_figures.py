#!/usr/bin/env python3
"""check_figures.py - the chapters' measured figures (tables, sentences,
the scoreboard), made from the runs they quote, so a figure cannot drift
from its data.

    python3 tools/check_figures.py            check; exit 1 on any drift
    python3 tools/check_figures.py --write    rewrite the figures from the data
    python3 tools/check_figures.py --list     the tables and sentences it knows
    python3 tools/check_figures.py --scoreboard build
                                              also the scoreboard's (make test)

A chapter fences each such table with two comments (Markdown shows
neither):

    <!-- figures: ch07-vs-leveldb -->
    | 1,000,000 entries, µs/op | stage 6 | stage 7 | ...
    ...
    <!-- /figures -->

The name says which table to make (TABLES) and so from which run:
the CSVs bench/compare.py wrote into a folder of docs/charts/data/ (every
row of every round, each engine's own file). A cell is a median over the
rounds; a ratio is LevelDB's (or the peer's) median time over the
engine's, above 1 the engine faster, and in brackets either each round's
ratio or the rounds the engine won (for a peer run apart, as SQLite at ten
million entries: its rounds against the engine's median). `make test`
runs the check, so after a new run of a compare command, `--write` puts
its figures into every chapter that quotes it, and the prose around them
is read again by hand.

A figure quoted in a sentence rather than a table is checked the same way:
PHRASES lists each such sentence with the chapter it is in and the
function that makes its figures (see "figures in the prose" in
tools/figures/kit.py).

Where the figures live: this file is the check (reading the chapters,
comparing, --write, --list, --print). tools/figures/ holds what it
checks: kit.py the shared helpers (Run, dat, sig3, us, human_*, at,
board, prose()) and the registries TABLES and PHRASES, and one module
per chapter, ch00.py (docs/00-course.md) ... ch08.py and readme.py
(README.md), each with the functions that make that chapter's fenced
tables (registered as TABLES[NAME] = (fn, run)) and its sentences
(registered by @prose). A new figure goes into its chapter's module:
its function, and for a table a TABLES line after it.

Python 3 standard library only.
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import figures  # noqa: E402,F401 (registers every chapter's figures)
from figures import kit  # noqa: E402
from figures.kit import NOTES, PHRASES, TABLES  # noqa: E402


OPEN = re.compile(r"^<!-- figures: ([a-z0-9-]+) -->$")
CLOSE = "<!-- /figures -->"
NUMBER = r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)"


def stage_folders():
    return sorted(d for d in os.listdir(ROOT) if re.match(r"stage\d+-", d)
                  and os.path.isdir(os.path.join(ROOT, d)))


def check_matrices(rel, text):
    """The scoreboard's matrices a chapter shows (a table row "| words |
    cell | ..." or a line of 00-course.md's printed matrix, for stages 1,
    2, ... in order) against each stage's measured cell. Returns (rows
    checked, rows that differ)."""
    import scoreboard  # tools/scoreboard.py: the rows and their words
    stages = stage_folders()
    cells = {}
    for stage in stages:
        path = os.path.join(kit.SCOREBOARD, stage, "scoreboard.txt")
        if os.path.exists(path):
            for row, (_, measured, _) in scoreboard.read_rows(path).items():
                cells.setdefault(row, {})[stage] = measured
    checked = differ = 0
    seen = set()
    for row, words in scoreboard.ROWS:
        short = re.sub(r" \([^)]*\)", "", words)
        for m in re.finditer(r"^(?:\| (?:%s|%s) \|(.*)\||(?:%s) +(\S.*))$" % (
                re.escape(words), re.escape(short), re.escape(words)),
                text, re.M):
            got = (m.group(1).split("|") if m.group(1) is not None
                   else m.group(2).split())
            got = [c.strip().strip("*") for c in got]
            want = [cells.get(row, {}).get(st, "?")
                    for st in stages[:len(got)]]
            checked += 1
            seen.add(text.count("\n", 0, m.start()) + 1)
            if got != want:
                differ += 1
                print("%s:%d: the scoreboard's row %s says %s, make test "
                      "measured %s" % (rel, text.count("\n", 0, m.start())
                                       + 1, row, " ".join(got),
                                       " ".join(want)))
    # every row of a matrix ("| property | stage 1 | ...") is one of them
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("| property | stage 1 |"):
            continue
        j = i + 2
        while j < len(lines) and lines[j].startswith("|"):
            if j + 1 not in seen:
                differ += 1
                print("%s:%d: a scoreboard row with words of no row of "
                      "tools/scoreboard.py's ROWS" % (rel, j + 1))
            j += 1
    return checked, differ


def template_re(template):
    parts = []
    for i, lit in enumerate(template.split("{}")):
        if i:
            parts.append(NUMBER)
        parts.append(r"\s+".join(re.escape(w) for w in lit.split(" ")))
    return re.compile("".join(parts))


def check_phrases(rel, text, chapter, write):
    """Check (or rewrite) the phrases of one chapter. Returns the new
    text and the counts (checked, drifted, bad)."""
    checked = drifted = bad = 0
    edits, taken = [], []
    for key, (ch, template, fn, source) in PHRASES.items():
        if ch != chapter or (source == "scoreboard" and
                             kit.SCOREBOARD is None):
            continue
        checked += 1
        found = list(template_re(template).finditer(text))
        if len(found) != 1:
            print("%s: %s: the sentence \"%s\" is there %d times, not once "
                  "(reworded? change its template in %s)" % (
                      rel, key, template, len(found), "tools/figures/%s.py"
                      % fn.__module__.rpartition(".")[2]))
            bad += 1
            continue
        m = found[0]
        line = text.count("\n", 0, m.start()) + 1
        spans = [(m.start(k), m.end(k), key) for k in range(1, len(m.groups())
                                                           + 1)]
        clash = [o for a, b, _ in spans for a2, b2, o in taken
                 if a < b2 and a2 < b]
        taken += spans
        if clash:
            print("%s:%d: %s: a figure of its sentence is also %s's: each "
                  "figure belongs to one template" % (rel, line, key,
                                                      clash[0]))
            bad += 1
            continue
        try:
            want = fn()
        except (LookupError, ValueError, KeyError) as e:
            print("%s:%d: %s: %s" % (rel, line, key, e))
            bad += 1
            continue
        if isinstance(want, str):
            want = (want,)
        assert len(want) == template.count("{}"), key
        got = m.groups()
        if tuple(got) != tuple(want):
            drifted += 1
            where = ("the scoreboard" if source == "scoreboard" else
                     "docs/charts/data/" + source)
            print("%s:%d: %s: the chapter says %s, %s %s" % (
                rel, line, key, ", ".join(got), where, ", ".join(want)))
            for k in range(len(want)):
                edits.append((m.start(k + 1), m.end(k + 1), want[k]))
    if write:
        for a, b, v in sorted(edits, reverse=True):
            text = text[:a] + v + text[b:]
    return text, checked, drifted, bad


def chapters():
    """The chapters, the README (its sentences' chapter: README) and the
    notes beside the data (a note's chapter: its name, as ch06-views)."""
    docs = os.path.join(ROOT, "docs")
    return (sorted(os.path.join(docs, f) for f in os.listdir(docs)
                   if f.endswith(".md")) + [os.path.join(ROOT, "README.md")] +
            sorted(os.path.join(NOTES, f) for f in os.listdir(NOTES)
                   if f.endswith(".md")))


def show(name, ap):
    """--print NAME."""
    if name in TABLES:
        print("\n".join(TABLES[name][0]()))
    elif name in PHRASES:
        _, template, fn, _ = PHRASES[name]
        want = fn()
        print(template.format(*((want,) if isinstance(want, str)
                                else want)))
    else:
        ap.error("no table or sentence named %s (--list names them)" %
                 name)
    return 0


def main():
    ap = argparse.ArgumentParser(
        description="Check (or, with --write, rewrite) the chapters' "
        "fenced tables of figures against the runs in docs/charts/data.")
    ap.add_argument("--write", action="store_true",
                    help="rewrite every fenced table from its data")
    ap.add_argument("--data", metavar="DIR",
                    help="read the runs from DIR instead of "
                    "docs/charts/data (to try a table on a small run)")
    ap.add_argument("--scoreboard", metavar="BUILD",
                    help="check the sentences quoting the scoreboard too, "
                    "against BUILD/<stage>/scoreboard.txt (make test "
                    "passes it, after the stages' tests)")
    ap.add_argument("--print", metavar="NAME", dest="show",
                    help="print the table or sentence NAME as made from the "
                    "data, then stop")
    ap.add_argument("--list", action="store_true",
                    help="name every table and sentence and the run it is "
                    "made from")
    args = ap.parse_args()
    if args.data:
        kit.DATA = os.path.abspath(args.data)
    if args.scoreboard:
        kit.SCOREBOARD = os.path.abspath(args.scoreboard)
    if args.show:
        try:
            return show(args.show, ap)
        except (LookupError, ValueError, KeyError) as e:
            print("check_figures: %s: %s" % (args.show, e), file=sys.stderr)
            return 1
    if args.list:
        for k, (_, run) in TABLES.items():
            print("%-24s docs/charts/data/%s" % (k, run))
        for k, (ch, _, _, run) in PHRASES.items():
            print("%-24s docs/charts/data/%s (a sentence of docs/%s.md)" %
                  (k, run, ch))
        return 0
    drifted, used, bad, phrases, matrices = 0, set(), 0, 0, 0
    for path in chapters():
        with open(path) as f:
            lines = f.read().split("\n")
        out, i, changed = [], 0, False
        rel = os.path.relpath(path, ROOT)
        while i < len(lines):
            m = OPEN.match(lines[i])
            out.append(lines[i])
            i += 1
            if not m:
                continue
            start = i
            while i < len(lines) and lines[i] != CLOSE:
                i += 1
            if i == len(lines):
                print("%s:%d: figures %s: no closing %s" % (
                    rel, start, m.group(1), CLOSE))
                bad += 1
                out.extend(lines[start:])
                break
            key = m.group(1)
            if key not in TABLES:
                print("%s:%d: no table named %s (--list names them)" % (
                    rel, start, key))
                bad += 1
                out.extend(lines[start:i])
                continue
            used.add(key)
            try:
                want = TABLES[key][0]()
            except (LookupError, ValueError, KeyError) as e:
                print("%s:%d: figures %s: %s" % (rel, start, key, e))
                bad += 1
                out.extend(lines[start:i])
                continue
            if lines[start:i] != want:
                drifted += 1
                changed = True
                print("%s:%d: figures %s differ from docs/charts/data/%s" %
                      (rel, start, key, TABLES[key][1]))
                if not args.write:
                    for old, new in zip(lines[start:i], want):
                        if old != new:
                            print("    chapter: %s\n    data:    %s" % (
                                old, new))
                            break
            out.extend(want)
        chapter = os.path.basename(path)[:-len(".md")]
        text, n, d, b = check_phrases(rel, "\n".join(out), chapter,
                                      args.write)
        if kit.SCOREBOARD:
            n2, d2 = check_matrices(rel, text)
            matrices, bad = matrices + n2, bad + d2
        phrases, drifted, bad = phrases + n, drifted + d, bad + b
        changed = changed or d
        if changed and args.write:
            with open(path, "w") as f:
                f.write(text)
    n = len(used)
    known = {ch for ch, _, _, _ in PHRASES.values()}
    have = {os.path.basename(p)[:-len(".md")] for p in chapters()}
    for ch in sorted(known - have):
        print("docs/%s.md: no such chapter (a sentence "
              "registered in tools/figures/)" % ch)
        bad += 1
    if args.write:
        print("figures: %d tables and %d sentences written, %d rewritten" %
              (n, phrases, drifted))
        return 1 if bad else 0
    unseen = sum(1 for v in PHRASES.values() if v[3] == "scoreboard")
    print("figures: %d tables and %d sentences checked, %s%d drifted%s" % (
        n, phrases, "%d scoreboard rows, " % matrices if kit.SCOREBOARD
        else "", drifted + bad, "" if kit.SCOREBOARD else
        " (%d sentences and the matrices quoting the scoreboard not "
        "checked: --scoreboard BUILD)" % unseen))
    return 1 if drifted or bad else 0


if __name__ == "__main__":
    sys.exit(main())
