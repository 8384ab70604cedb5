#!/usr/bin/env python3
"""Tests the `kv` command of every stage against COURSE.md's contract.

usage: test_cli.py BUILDDIR STAGE...

For each stage it runs BUILDDIR/STAGE/kv through pipes, as a script or a
person would: the shell's answers line by line, a store reopened, usage
errors (stderr, exit 2), a store of another stage refused, `dump`, `stats`,
and `scan` where the stage scans. Ends with the line "N passed, N failed".
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile


class Failed(Exception):
    pass


def run(kv, *args, stdin=""):
    p = subprocess.run([str(kv), *args], input=stdin, capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def expect(cond, what):
    if not cond:
        raise Failed(what)


def test_shell_contract(kv, tmp, stage):
    store = tmp / "s"
    code, out, _ = run(kv, "-d", str(store), "shell", stdin=(
        "set alpha one two\nget alpha\ndel alpha\nget alpha\n"
        "bogus\nset beta 2\n\nget\n"))
    lines = out.splitlines()
    expect(code == 0, f"shell exit {code}")
    expect(lines[:5] == ["OK", "one two", "OK", "(nil)", lines[4]],
           f"shell answers {lines}")
    expect(lines[4].startswith("error: "), f"bogus answered {lines[4]!r}")
    expect(lines[5] == "OK", f"set beta answered {lines[5:6]}")
    expect(len(lines) == 7 and lines[6].startswith("error: "),
           f"'get' with no key answered {lines[6:]}")
    code, out, _ = run(kv, "-d", str(store), "shell", stdin="get beta\n")
    expect(out == "2\n", f"after reopening, get beta answered {out!r}")


def test_one_shot_commands(kv, tmp, stage):
    store = str(tmp / "s")
    expect(run(kv, "-d", store, "set", "k", "v")[:2] == (0, "OK\n"), "set")
    expect(run(kv, "-d", store, "get", "k")[:2] == (0, "v\n"), "get")
    code, out, _ = run(kv, "-d", store, "get", "nothere")
    expect((code, out) == (1, "(nil)\n"), f"get missing: {code} {out!r}")
    expect(run(kv, "-d", store, "del", "k")[:2] == (0, "OK\n"), "del")


def test_usage_errors(kv, tmp, stage):
    code, out, _ = run(kv, "--help")
    expect(code == 0 and out.startswith("usage: kv"), "--help")
    for args in (["frobnicate"], [], ["get"], ["set", "k"], ["-o", "novalue", "get", "k"]):
        code, out, err = run(kv, "-d", str(tmp / "s"), *args)
        expect(code == 2 and out == "" and "kv: " in err,
               f"kv {' '.join(args)}: exit {code}, stderr {err!r}")


def test_unknown_option(kv, tmp, stage):
    code, _, err = run(kv, "-d", str(tmp / "s"), "-o", "no_such_knob=1", "get", "k")
    expect(code == 1 and "no_such_knob" in err and stage in err,
           f"unknown option: exit {code}, {err!r}")


def test_other_stage_refused(kv, tmp, stage):
    store = tmp / "s"
    store.mkdir()
    (store / "STORE").write_text("kv-course store\nstage: stage9-other\n")
    code, _, err = run(kv, "-d", str(store), "get", "k")
    expect(code == 1 and "stage9-other" in err, f"exit {code}, {err!r}")


def test_stats_after_open(kv, tmp, stage):
    store = str(tmp / "s")
    run(kv, "-d", store, "set", "k", "v")
    code, out, _ = run(kv, "-d", store, "stats")
    names = [line.split()[0] for line in out.splitlines()]
    expect(code == 0 and names[:6] == ["reads", "bytes_read", "writes",
           "bytes_written", "syncs", "files_opened"], f"stats: {names}")
    values = dict(line.split() for line in out.splitlines())
    expect(int(values["bytes_read"]) > 0, "the first stats shows what open read")


def test_dump(kv, tmp, stage):
    store = str(tmp / "s")
    run(kv, "-d", store, "shell", stdin="set apple red\nset pear green\ndel pear\n")
    code, out, _ = run(kv, "-d", store, "dump")
    expect(code == 0 and "STORE" in out and "apple" in out, f"dump: {out!r}")
    code, _, err = run(kv, "-d", str(tmp / "missing"), "dump")
    expect(code == 1 and err and not (tmp / "missing").exists(),
           "dump of a missing store fails and creates nothing")


def test_scan(kv, tmp, stage):
    store = str(tmp / "s")
    code, out, _ = run(kv, "-d", store, "shell",
                       stdin="set b 2\nset a 1\nset c 3\ndel c\nscan\nscan a b\n")
    lines = out.splitlines()
    if any("not supported" in l or "no order" in l for l in lines):
        expect(lines[4].startswith("error: "), "scan unsupported answers error:")
        return "this stage does not scan"
    expect(lines[4:] == ["a\t1", "b\t2", "(2 keys)", "a\t1", "(1 keys)"],
           f"scan answered {lines[4:]}")


TESTS = [test_shell_contract, test_one_shot_commands, test_usage_errors,
         test_unknown_option, test_other_stage_refused, test_stats_after_open,
         test_dump, test_scan]


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) > 1 else 2
    build = pathlib.Path(sys.argv[1])
    passed = failed = skipped = 0
    for stage in sys.argv[2:]:
        kv = build / stage / "kv"
        for test in TESTS:
            tmp = pathlib.Path(tempfile.mkdtemp(prefix="kvcli-"))
            name = f"{stage}/{test.__name__}"
            try:
                why = test(kv.resolve(), tmp, stage)
                if why:
                    print(f"skip {name}: {why}")
                    skipped += 1
                else:
                    print(f"ok   {name}")
                    passed += 1
            except (Failed, subprocess.TimeoutExpired, OSError, IndexError) as e:
                print(f"FAIL {name}: {type(e).__name__}: {e}")
                failed += 1
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
