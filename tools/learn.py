#!/usr/bin/env python3
"""learn.py - the course built, not only read: a starter for every stage,
graded step by step by the stage's own tests.

    python3 tools/learn.py new N [--dir DIR] [--force]   (make learn STAGE=N [DIR=...])
    python3 tools/learn.py check [--all] STAGEDIR BUILD    (make -C DIR check [ALL=1])
    python3 tools/learn.py fill DIR [FUNCTION...]          put the stage's own bodies back
    python3 tools/learn.py verify [N...] [--progressive]   what CI checks (tools/learn_check.sh)
    python3 tools/learn.py changed N                       functions new or changed since N-1

Each stage folder holds a learn.txt: the chapter, then the steps its tests
are graded in, smallest first. A step names the test tables (or
table/test names) it runs, the chapter section that explains it, and the
functions it asks you to write (file, then names):

    chapter docs/03-sstable.md
    step the skip list
      tests memtable
      read  The memtable: a skip list
      write memtable.c random_height memtable_new memtable_put

`new` copies the stage folder to DIR (default learn/<stage>) with the body
of every function a step writes replaced by a stub that fails clearly: a
function returning kv_status returns KV_NOT_IMPLEMENTED with "not
implemented: write F (docs/..., section ...)"; any other function prints
that to stderr and aborts (common/learn.h). Everything else, including
every function carried from the stage before, stays as it is. The copied
Makefile includes the repository's common/stage.mk and builds into
DIR/build/, so `make -C DIR test` and `make -C DIR check` work there.

`check` (make check) runs the steps in order, stops at the first that
fails and says which step of how many it was, the functions it needs and
the section to read; once the last step ran it prints the stage's
scoreboard column. --all runs every step whatever fails.

`fill DIR [F...]` replaces the named functions' bodies in a starter (all
of them by default) with the stage's own, for a learner who wants to skip
one, and for `verify`.

`verify` is CI's proof that the starters are honest, for each stage: the
steps name every test table once and every section is a heading of the
chapter; the starter builds; every step fails on it; filling it gives the
stage's files back byte for byte; and the stage passes every step.
--progressive also checks that with the functions of steps 1..k-1 filled
in, step k fails, and passes once its own are (slow: a build per step).

Python 3 standard library only.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEARN_INCLUDE = '#include "learn.h" /* the stubs of a starter (tools/learn.py) */\n'
UNUSED = "LEARN_UNUSED "
STUB = "LEARN_STUB "
SCOREBOARD_STEP_TESTS = {"scoreboard"}


# --- C: finding a function's body ------------------------------------------

def mask(text):
    """text with comments, strings, char literals and preprocessor lines
    blanked out (newlines kept), so braces and names can be counted."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in " \t":
            i += 1
            continue
        if line_start and c == "#":
            # a preprocessor line, with its continuations
            j = i
            while j < n and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                    continue
                if text.startswith("/*", j):  # a comment may run past the line
                    k = text.find("*/", j + 2)
                    j = n if k < 0 else k + 2
                    continue
                j += 1
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
            continue
        line_start = False
        if c == "\n":
            line_start = True
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                if out[k] != "\n":
                    out[k] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)


def matching(m, i, open_c, close_c):
    """The index of the bracket closing the one at m[i]."""
    depth = 0
    for j in range(i, len(m)):
        if m[j] == open_c:
            depth += 1
        elif m[j] == close_c:
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced %s at offset %d" % (open_c, i))


def strip_attributes(s):
    """s with every __attribute__((...)) removed (s is masked text)."""
    while True:
        k = s.find("__attribute__")
        if k < 0:
            return s
        p = s.find("(", k)
        e = matching(s, p, "(", ")")
        s = s[:k] + " " * (e + 1 - k) + s[e + 1:]


class Func:
    """A top-level definition: name, header [start, lbrace), body [lbrace, end]."""

    def __init__(self, name, start, lbrace, end, ret, params, static):
        self.name, self.start, self.lbrace, self.end = name, start, lbrace, end
        self.ret, self.params, self.static = ret, params, static


def param_names(plist):
    """The names in a parameter list's text (masked)."""
    names, depth, cur = [], 0, ""
    parts = []
    for c in plist:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    for p in parts:
        p = strip_attributes(p).strip()
        if p in ("", "void", "..."):
            continue
        m = re.search(r"\(\s*\*\s*(\w+)\s*\)", p)  # a function pointer
        if m:
            names.append(m.group(1))
            continue
        p = re.sub(r"\[[^\]]*\]", "", p).strip()
        m = re.search(r"(\w+)\s*$", p)
        if m:
            names.append(m.group(1))
    return names


def top_level(text, m=None):
    """Top-level items of a C file: (functions by name, the other static
    declarations as (name, start, end))."""
    m = m or mask(text)
    funcs, statics = {}, []
    depth, start, i, n = 0, 0, 0, len(m)
    while i < n:
        c = m[i]
        if c == "{":
            header = m[start:i]
            hs = strip_attributes(header)
            par = hs.find("(")
            if "=" not in hs and par >= 0 and hs.rstrip().endswith(")"):
                name_m = re.search(r"(\w+)\s*$", hs[:par])
                close = matching(hs, par, "(", ")")
                end = matching(m, i, "{", "}")
                if name_m:
                    pre = hs[:name_m.start()]
                    words = pre.split()
                    ret = " ".join(w for w in words if w not in ("static", "inline", "extern"))
                    ret = re.sub(r"\s*\*", "*", ret)
                    s0 = start + (len(header) - len(header.lstrip()))
                    f = Func(name_m.group(1), s0, i, end, ret,
                             param_names(hs[par + 1:close]), "static" in words)
                    funcs[f.name] = f
                    i = end + 1
                    start = i
                    continue
            # a struct, enum or initializer: skip to its end
            i = matching(m, i, "{", "}") + 1
            continue
        if c == ";":
            decl = m[start:i]
            s0 = start + (len(decl) - len(decl.lstrip()))
            ds = strip_attributes(decl)
            if re.match(r"\s*static\b", ds) and "(" not in ds.split("=")[0]:
                nm = re.search(r"(\w+)\s*(\[[^\]]*\]\s*)*(=|$)", ds.split("=")[0] + "=")
                if nm:
                    statics.append((nm.group(1), s0, i + 1))
            start = i + 1
        i += 1
    return funcs, statics


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def body_lines(body):
    """The lines of a body {...} a learner writes: those with more than a brace."""
    inner = body[1:-1]
    return sum(1 for l in inner.splitlines() if l.strip() not in ("", "{", "}"))


def stub_body(f, where):
    lines = ["{"]
    for p in f.params:
        lines.append("    (void)%s;" % p)
    call = "learn_todo%s(%s, %s)" % ("_status" if f.ret == "kv_status" else "",
                                      c_string(f.name), c_string(where))
    lines.append("    %s%s;" % ("return " if f.ret == "kv_status" else "", call))
    lines.append("}")
    return "\n".join(lines)


def stub_file(text, stubs):
    """text with the bodies of stubs {name: where} replaced; statics left
    unused by that marked LEARN_UNUSED; learn.h included. Returns (new
    text, {name: lines of the body taken out})."""
    funcs, statics = top_level(text)
    missing = [s for s in stubs if s not in funcs]
    if missing:
        raise LookupError("no definition of %s" % ", ".join(missing))
    edits, taken = [], {}
    for name, where in stubs.items():
        f = funcs[name]
        body = text[f.lbrace:f.end + 1]
        taken[name] = body_lines(body)
        edits.append((f.lbrace, f.end + 1, stub_body(f, where)))
        # its callers may all be stubs now; inlined, it would leave the
        # callers' out-parameters unset in the compiler's eyes
        edits.append((f.start, f.start, STUB))
    # what is still named outside its own definition once the bodies go
    kept = list(text)
    for a, b, _ in edits:
        for k in range(a, b):
            kept[k] = " "
    m = mask("".join(kept))
    decls = [(f.name, f.start, f.end + 1) for f in funcs.values()
             if f.static and f.name not in stubs] + statics
    for name, a, b in decls:
        rest = m[:a] + m[b:]
        if not re.search(r"\b%s\b" % re.escape(name), rest):
            edits.append((a, a, UNUSED))
    for a, b, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:a] + new + text[b:]
    inc = re.search(r"^#include", text, re.M)
    k = inc.start() if inc else 0
    text = text[:k] + LEARN_INCLUDE + text[k:]
    return text, taken


def fill_file(text, solution, names):
    """text (a starter's file) with the bodies of names put back from
    solution; once no stub is left the starter's marks go too."""
    have, _ = top_level(text)
    want, _ = top_level(solution)
    edits = []
    for name in names:
        if name not in have or name not in want:
            raise LookupError("no definition of %s" % name)
        f, g = have[name], want[name]
        edits.append((f.lbrace, f.end + 1, solution[g.lbrace:g.end + 1]))
        if text.startswith(STUB, f.start):
            edits.append((f.start, f.start + len(STUB), ""))
    for a, b, new in sorted(edits, reverse=True):
        text = text[:a] + new + text[b:]
    if "learn_todo" not in mask(text):
        text = text.replace(LEARN_INCLUDE, "").replace(UNUSED, "").replace(STUB, "")
    return text


# --- learn.txt --------------------------------------------------------------

class Step:
    def __init__(self, title):
        self.title, self.tests, self.read, self.write = title, [], "", []


class Plan:
    """A stage's learn.txt: chapter, steps; write lists (file, function)."""

    def __init__(self, stage_dir):
        self.dir = stage_dir
        self.chapter, self.steps = "", []
        path = os.path.join(stage_dir, "learn.txt")
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                word, _, rest = line.partition(" ")
                rest = rest.strip()
                if word == "chapter":
                    self.chapter = rest
                elif word == "step":
                    self.steps.append(Step(rest))
                elif word in ("tests", "read", "write") and self.steps:
                    s = self.steps[-1]
                    if word == "tests":
                        s.tests += rest.split()
                    elif word == "read":
                        s.read = rest
                    else:
                        file, *names = rest.split()
                        s.write += [(file, n) for n in names]
                else:
                    raise SystemExit("%s:%d: cannot read: %s" % (path, lineno, line))
        if not self.chapter or not self.steps:
            raise SystemExit("%s: needs a chapter and at least one step" % path)

    def where(self, step):
        return '%s, section "%s"' % (self.chapter, step.read)

    def stubs(self):
        """{file: {function: where}} for every function a step writes."""
        out = {}
        for s in self.steps:
            for file, name in s.write:
                out.setdefault(file, {})[name] = self.where(s)
        return out


# --- new / fill ---------------------------------------------------------------

def stage_of(n):
    for d in sorted(os.listdir(ROOT)):
        if re.match(r"stage%s-" % re.escape(str(n)), d) and \
                os.path.exists(os.path.join(ROOT, d, "Makefile")):
            return d
    raise SystemExit("learn: no stage %s (the stages: %s)" % (
        n, " ".join(d.split("-")[0][5:] for d in sorted(os.listdir(ROOT))
                    if re.match(r"stage\d-", d))))


def starter_makefile(text, dest):
    rel = os.path.relpath(os.path.join(ROOT, "common"), os.path.abspath(dest))
    head = ("# A starter made by tools/learn.py: `make test`, `make check` (the steps\n"
            "# of learn.txt, in order). Its products go to build/ in this folder.\n"
            "BUILD_ROOT := $(CURDIR)/build\n")
    new = re.sub(r"^include \.\./common/", "include %s/" % rel, text, flags=re.M)
    if new == text:
        raise SystemExit("learn: the stage's Makefile does not include ../common/stage.mk")
    return head + new


def make_starter(stage, dest, keep=()):
    """Writes stage's starter into dest; keep names functions left whole.
    Returns {(file, function): lines of its body taken out}."""
    src = os.path.join(ROOT, stage)
    plan = Plan(src)
    os.makedirs(dest, exist_ok=True)
    stubs = plan.stubs()
    taken = {}
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if name == "Makefile":
            text = starter_makefile(text, dest)
        elif name in stubs:
            want = {k: v for k, v in stubs[name].items() if k not in keep}
            if want:
                text, t = stub_file(text, want)
                taken.update({(name, k): v for k, v in t.items()})
        write_if_changed(os.path.join(dest, name), text)
    write_if_changed(os.path.join(dest, ".stage"), stage + "\n")
    return taken


def write_if_changed(path, text):
    """Writes text to path unless it holds that already (make rebuilds less)."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def cmd_new(args):
    stage = stage_of(args.stage)
    dest = args.dir or os.path.join(ROOT, "learn", stage)
    if os.path.exists(dest) and os.listdir(dest) and not args.force:
        raise SystemExit("learn: %s exists (your work?): remove it, or add FORCE=1 "
                         "(--force) to write over it" % dest)
    taken = make_starter(stage, dest)
    plan = Plan(os.path.join(ROOT, stage))
    rel = os.path.relpath(dest)
    print("wrote %s: stage %s with %d functions to write (%d lines in the stage), "
          "graded in %d steps" % (rel, stage, len(taken), sum(taken.values()),
                                  len(plan.steps)))
    print("  read   %s" % plan.chapter)
    print("  grade  make -C %s check     (the steps in order; stops at the first "
          "that fails)" % rel)
    print("  test   make -C %s test      (every test, as the stage's own make test)" % rel)
    print("  skip   python3 tools/learn.py fill %s FUNCTION   (puts the stage's "
          "own body back)" % rel)


def starter_stage(d):
    try:
        with open(os.path.join(d, ".stage")) as f:
            return f.read().strip()
    except OSError:
        raise SystemExit("learn: %s is not a starter (no .stage file)" % d)


def fill(d, names=None):
    stage = starter_stage(d)
    src = os.path.join(ROOT, stage)
    plan = Plan(src)
    stubs = plan.stubs()
    every = {n for fs in stubs.values() for n in fs}
    names = set(names) if names else every
    unknown = names - every
    if unknown:
        raise SystemExit("learn: %s: not a function of this starter" % ", ".join(sorted(unknown)))
    for file, fs in stubs.items():
        mine = [n for n in fs if n in names]
        if not mine:
            continue
        with open(os.path.join(d, file), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(src, file), encoding="utf-8") as f:
            sol = f.read()
        text = fill_file(text, sol, mine)
        with open(os.path.join(d, file), "w", encoding="utf-8") as f:
            f.write(text)
    return sorted(names)


def cmd_fill(args):
    done = fill(args.dir, args.functions)
    print("filled in %s: %s" % (args.dir, " ".join(done)))


# --- check -------------------------------------------------------------------

def run_step(tests_bin, build, step, timeout=None):
    """Runs one step's tests; returns (passed, output)."""
    env = dict(os.environ, KV_SCOREBOARD=os.path.join(build, "scoreboard.txt"))
    try:
        p = subprocess.run([tests_bin] + step.tests, cwd=build, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return False, out + "\n(timed out after %d s)\n" % timeout
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode < 0:
        out += "(the tests died of signal %d)\n" % -p.returncode
    ok = p.returncode == 0 and re.search(r"^\d+ passed, 0 failed", out, re.M) is not None
    return ok, out


def describe(plan, k, step):
    n = len(plan.steps)
    fs = ", ".join("%s (%s)" % (name, file) for file, name in step.write)
    return ("step %d of %d: %s\n"
            "  tests: %s\n"
            "  needs: %s\n"
            "  read:  %s" % (k, n, step.title, " ".join(step.tests),
                             fs or "no new function: everything the steps before wrote",
                             plan.where(step)))


def cmd_check(args):
    stage_dir, build = os.path.abspath(args.stage_dir), os.path.abspath(args.build)
    plan = Plan(stage_dir)
    tests_bin = os.path.join(build, "tests")
    failed = 0
    for k, step in enumerate(plan.steps, 1):
        ok, out = run_step(tests_bin, build, step)
        if ok:
            last = re.findall(r"^\d+ passed.*$", out, re.M)
            print("ok   step %d of %d: %s (%s)" % (k, len(plan.steps), step.title,
                                                  last[-1] if last else "passed"))
            continue
        failed += 1
        shown = [l for l in out.splitlines() if not l.startswith("ok   ")]
        print("\n".join("     | " + l for l in shown))
        print("FAIL " + describe(plan, k, step))
        print("  rerun this step alone: (cd %s && ./tests %s)" % (
            os.path.relpath(build), " ".join(step.tests)))
        if not args.all:
            print("\nstep %d of %d failed; the steps after it did not run." % (k, len(plan.steps)))
            return 1
    if any(t in SCOREBOARD_STEP_TESTS for s in plan.steps for t in s.tests):
        stage = os.path.basename(build)
        print("\nYour scoreboard column (stage %s):" % stage)
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "scoreboard.py"),
                        os.path.dirname(build), stage])
    if failed:
        print("\n%d of %d steps failed." % (failed, len(plan.steps)))
        return 1
    print("\nall %d steps pass." % len(plan.steps))
    return 0


# --- verify ------------------------------------------------------------------

def make_env():
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "STAGE", "SAN", "BUILD_ROOT"):
        env.pop(k, None)
    return env


def build(d, jobs):
    p = subprocess.run(["make", "-s", "-j%d" % jobs, "-C", d, "all"], env=make_env(),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode == 0, p.stdout.decode("utf-8", "replace")


def headings(chapter):
    with open(os.path.join(ROOT, chapter), encoding="utf-8") as f:
        return {l.lstrip("#").strip() for l in f if l.startswith("#")}


def table_names(tests_bin):
    out = subprocess.run([tests_bin, "-l"], stdout=subprocess.PIPE, check=True).stdout
    return out.decode().split()


def verify_stage(stage, tmp, jobs, progressive, timeout, log):
    problems = []
    src = os.path.join(ROOT, stage)
    plan = Plan(src)
    heads = headings(plan.chapter)
    for s in plan.steps:
        if s.read not in heads:
            problems.append('section "%s" is not a heading of %s' % (s.read, plan.chapter))
    dest = os.path.join(tmp, stage)
    taken = make_starter(stage, dest)
    ok, out = build(dest, jobs)
    if not ok:
        return problems + ["the starter does not build:\n" + out]
    build_dir = os.path.join(dest, "build", stage)
    tests_bin = os.path.join(build_dir, "tests")
    # every test in exactly one step
    listed = table_names(tests_bin)
    seen = {}
    for k, s in enumerate(plan.steps, 1):
        for t in s.tests:
            hits = [x for x in listed if t == x or x.startswith(t + "/")]
            if not hits:
                problems.append("step %d names %s: no such test" % (k, t))
            for x in hits:
                if x in seen:
                    problems.append("%s is in steps %d and %d" % (x, seen[x], k))
                seen[x] = k
    for x in listed:
        if x not in seen:
            problems.append("%s is in no step" % x)
    # each step fails on the starter
    for k, s in enumerate(plan.steps, 1):
        ok, out = run_step(tests_bin, build_dir, s, timeout)
        log("  starter step %d (%s): %s" % (k, s.title, "passes (wrong)" if ok else "fails"))
        if ok:
            problems.append("step %d (%s) passes on the starter: its stubs are not "
                            "exercised" % (k, s.title))
    if progressive:
        every = [n for s in plan.steps for _, n in s.write]
        have = []
        for k, s in enumerate(plan.steps, 1):
            mine = [n for _, n in s.write]
            if mine:
                make_starter(stage, dest, keep=set(have))
                ok, out = build(dest, jobs)
                if not ok:
                    problems.append("with steps 1..%d filled it does not build:\n%s"
                                    % (k - 1, out))
                    break
                ok, out = run_step(tests_bin, build_dir, s, timeout)
                log("  steps 1..%d filled, step %d: %s" % (k - 1, k, "passes" if ok else "fails"))
                if ok:
                    problems.append("step %d passes before its functions are written" % k)
            have += mine
            make_starter(stage, dest, keep=set(have))
            ok, out = build(dest, jobs)
            if not ok:
                problems.append("with steps 1..%d filled it does not build:\n%s" % (k, out))
                break
            ok, out = run_step(tests_bin, build_dir, s, timeout)
            log("  steps 1..%d filled, step %d: %s" % (k, k, "passes" if ok else "FAILS"))
            if not ok:
                problems.append("step %d fails with steps 1..%d filled:\n%s" % (k, k, out))
        del every
        make_starter(stage, dest)
    # filling it in gives the stage back
    fill(dest)
    for name in sorted(os.listdir(src)):
        if name == "Makefile" or not os.path.isfile(os.path.join(src, name)):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as a, \
                open(os.path.join(dest, name), encoding="utf-8") as b:
            if a.read() != b.read():
                problems.append("%s: filled in, it differs from the stage's" % name)
    # the stage, which is the solution, passes every step
    ok, out = build(src, jobs)
    if not ok:
        return problems + ["the stage does not build:\n" + out]
    sol_build = os.path.join(ROOT, "build", stage)
    for k, s in enumerate(plan.steps, 1):
        ok, out = run_step(os.path.join(sol_build, "tests"), sol_build, s, timeout)
        log("  stage step %d (%s): %s" % (k, s.title, "passes" if ok else "FAILS"))
        if not ok:
            problems.append("the stage fails its own step %d (%s):\n%s" % (k, s.title, out))
    shutil.rmtree(dest, ignore_errors=True)
    log("  %d functions stubbed, %d steps, %d lines to write"
        % (len(taken), len(plan.steps), sum(taken.values())))
    return problems


def cmd_verify(args):
    stages = [stage_of(n) for n in args.stages] if args.stages else \
        [d for d in sorted(os.listdir(ROOT)) if re.match(r"stage\d-", d)
         and os.path.exists(os.path.join(d, "learn.txt"))]
    tmp = tempfile.mkdtemp(prefix="learn-verify-")
    bad = 0
    try:
        for stage in stages:
            print("== %s" % stage, flush=True)
            problems = verify_stage(stage, tmp, args.jobs, args.progressive, args.timeout,
                                    lambda s: print(s, flush=True))
            for p in problems:
                print("learn: %s: %s" % (stage, p))
            bad += bool(problems)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("learn: %d of %d stages honest" % (len(stages) - bad, len(stages)))
    return 1 if bad else 0


def cmd_changed(args):
    """Functions new or changed in stage N against stage N-1 (a help for
    writing learn.txt), with the lines of their bodies."""
    cur, prev = stage_of(args.stage), stage_of(int(args.stage) - 1) if int(args.stage) > 1 else None
    for name in sorted(os.listdir(os.path.join(ROOT, cur))):
        if not name.endswith(".c") or name.startswith("test_"):
            continue
        text = open(os.path.join(ROOT, cur, name), encoding="utf-8").read()
        funcs, _ = top_level(text)
        old = {}
        if prev and os.path.exists(os.path.join(ROOT, prev, name)):
            ot = open(os.path.join(ROOT, prev, name), encoding="utf-8").read()
            of, _ = top_level(ot)
            old = {k: ot[f.lbrace:f.end + 1] for k, f in of.items()}
        for k, f in sorted(funcs.items(), key=lambda kv: kv[1].start):
            body = text[f.lbrace:f.end + 1]
            state = "new" if k not in old else ("changed" if old[k] != body else "same")
            if state != "same" or args.all:
                print("%-16s %-32s %-8s %4d  %s" % (name, k, state, body_lines(body), f.ret))


def main(argv):
    ap = argparse.ArgumentParser(description="starters for the course's stages")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("new")
    p.add_argument("stage")
    p.add_argument("--dir")
    p.add_argument("--force", action="store_true")
    p = sub.add_parser("check")
    p.add_argument("--all", action="store_true")
    p.add_argument("stage_dir")
    p.add_argument("build")
    p = sub.add_parser("fill")
    p.add_argument("dir")
    p.add_argument("functions", nargs="*")
    p = sub.add_parser("verify")
    p.add_argument("stages", nargs="*")
    p.add_argument("--progressive", action="store_true")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=120)
    p = sub.add_parser("changed")
    p.add_argument("stage")
    p.add_argument("--all", action="store_true")
    args = ap.parse_args(argv[1:])
    return {"new": cmd_new, "check": cmd_check, "fill": cmd_fill,
            "verify": cmd_verify, "changed": lambda a: cmd_changed(a) or 0}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
