"""bench/ch08.py - the course's closing charts (chapter 8): stage 7 and
stage 6 beside LevelDB, RocksDB and SQLite (the peers `make peers` built),
the same driver and settings for all:

    ch08-peers      1,000,000 entries (quick: 50,000), db_bench's six
                    workloads: speed against LevelDB, time per op, and each
                    engine's peak memory over the run (max RSS)
    ch08-peers-10m  10,000,000 entries (quick: 100,000), fillrandom,
                    readrandom, readmissing and readseq: the same three
                    panels. The full run is long (SQLite's fillrandom alone
                    takes minutes, three times over).

Peak memory is the driver's max_rss_kb after the last workload of its run
(bench.c: the process's peak resident memory, which counts the pages of
mapped files it touched as well as what it allocated). Imported by
plots.py; see chartkit.py for the pieces.
"""

import lib
from ch06 import peer_size
from chartkit import (S6, S7, SETTINGS, SIX, built_peers, chart,
                      engine_points, memory_panel, speed_panel, time_panel)

TEN_M = ["fillrandom", "readrandom", "readmissing", "readseq"]


def closing(sw, name, num, reads, workloads):
    engines = [S7, S6] + built_peers()
    if "leveldb" not in engines:
        print("%s: build/peers/bench-leveldb not built (make peers): "
              "drawing the stages alone" % name)
    pts = engine_points(sw, engines, num, reads, workloads)

    def draw(out):
        versus = "leveldb" in engines
        script = """set multiplot layout %d,1 title "Closing: stage 7 (and stage 6) against LevelDB, RocksDB and SQLite\\n%s entries, %s reads (readseq: time per entry read)\\n%s" font ',12'
set grid y
set lmargin 12
""" % (3 if versus else 2, "{:,}".format(num), "{:,}".format(reads),
       SETTINGS)
        if versus:
            script += speed_panel(
                sw, out, name + "-speed.dat", pts, workloads,
                [e for e in engines if e != "leveldb"],
                "against LevelDB (LevelDB time / engine time; below the "
                "line, slower)", key=False)
        script += time_panel(sw, out, name + ".dat", pts, workloads,
                             "time per op (lower is faster)",
                             )
        script += memory_panel(
            sw, out, name + "-memory.dat", pts, workloads[-1],
            "peak memory of each driver over its whole run (max RSS, "
            "counting touched pages of mapped files)")
        return lib.draw(out, name, script + "unset multiplot\n",
                        size=(900, 1080 if versus else 760))
    return draw


@chart("ch08-peers", [S6, S7])
def ch08_peers(sw):
    num, reads = peer_size(sw)
    return closing(sw, "ch08-peers", num, reads, SIX)


@chart("ch08-peers-10m", [S6, S7])
def ch08_peers_10m(sw):
    num, reads = (100000, 20000) if sw.quick else (10000000, 200000)
    return closing(sw, "ch08-peers-10m", num, reads, TEN_M)
