#!/usr/bin/env python3
"""Checks that every code excerpt in the docs still appears in its file.

A chapter quotes code in a fenced block whose first line names the file it
comes from, as a comment:

    ```c
    // stage1-append-log/log.c
    uint64_t log_record_size(size_t klen, size_t vlen) {
    ...
    ```

The rest of the block must appear, verbatim and in one piece, in that file
(a line "..." inside the block splits it into pieces, each checked on its
own, in order). `make test` runs this, so prose and code cannot drift apart.
Exits 1 naming the chapter, line and file of every excerpt that drifted.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```")
SOURCE = re.compile(r"^(?://|#)\s*((?:common|stage\d-[a-z0-9-]+|bench|tools)/\S+)\s*$")


def excerpts(md):
    """Yields (line number, file, body lines) for each named excerpt."""
    lines = md.read_text().splitlines()
    i = 0
    while i < len(lines):
        if FENCE.match(lines[i]) and i + 1 < len(lines):
            m = SOURCE.match(lines[i + 1].strip())
            j = i + 1
            while j < len(lines) and not FENCE.match(lines[j]):
                j += 1
            if m:
                yield i + 1, m.group(1), lines[i + 2:j]
            i = j + 1
        else:
            i += 1


def pieces(body):
    piece = []
    for line in body:
        if line.strip() == "...":
            if piece:
                yield "\n".join(piece)
            piece = []
        else:
            piece.append(line)
    if piece:
        yield "\n".join(piece)


def main():
    if len(sys.argv) > 1:
        print(__doc__.strip() if sys.argv[1] in ("-h", "--help") else
              "usage: check_excerpts.py (no arguments; --help for more)")
        return 0 if sys.argv[1] in ("-h", "--help") else 2
    bad = checked = 0
    for md in sorted((ROOT / "docs").glob("*.md")):
        for line, name, body in excerpts(md):
            src = ROOT / name
            rel = md.relative_to(ROOT)
            if not src.is_file():
                print(f"{rel}:{line}: excerpt names {name}, which does not exist")
                bad += 1
                continue
            text = src.read_text()
            at = 0
            for piece in pieces(body):
                found = text.find(piece, at)
                if found < 0:
                    first = piece.splitlines()[0] if piece else ""
                    print(f"{rel}:{line}: excerpt no longer in {name}: {first!r}...")
                    bad += 1
                    break
                at = found + len(piece)
            checked += 1
    print(f"excerpts: {checked} checked, {bad} drifted")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
