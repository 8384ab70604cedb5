"""bench/ch07.py - the chart of chapter 7 (stage 7, LevelDB's speed-ups):

    ch07-speedups   before and after: stage 6 and stage 7 against LevelDB on
                    db_bench's six workloads (LevelDB's time divided by
                    each's), and the time per op of stage 6, stage 7,
                    LevelDB, RocksDB and SQLite (the peers `make peers`
                    built; without LevelDB the speed panel is left out)

The runs are those of ch06-vs-leveldb and ch08-peers (the same points), so
drawing all three costs one run per engine. Imported by plots.py; see
chartkit.py for the pieces.
"""

import lib
from ch06 import peer_size
from chartkit import (S6, S7, SETTINGS, SIX, built_peers, chart,
                      engine_points, speed_panel, time_panel)


@chart("ch07-speedups", [S6, S7])
def ch07_speedups(sw):
    num, reads = peer_size(sw)
    engines = [S6, S7] + built_peers()
    if "leveldb" not in engines:
        print("ch07-speedups: build/peers/bench-leveldb not built (make "
              "peers): drawing stage 6 and stage 7 alone")
    pts = engine_points(sw, engines, num, reads, SIX)

    def draw(out):
        versus = "leveldb" in engines
        script = """set multiplot layout %d,1 title "Chapter 7: stage 6 before and stage 7 after LevelDB's speed-ups\\n%s entries, %s reads (readseq: time per entry read)\\n%s" font ',12'
set grid y
set lmargin 12
""" % (2 if versus else 1, "{:,}".format(num), "{:,}".format(reads),
       SETTINGS)
        if versus:
            script += speed_panel(
                sw, out, "ch07-speedups-speed.dat", pts, SIX, [S6, S7],
                "against LevelDB, before and after (LevelDB time / engine "
                "time; below the line, slower)", key=False)
        script += time_panel(
            sw, out, "ch07-speedups.dat", pts, SIX,
            "time per op, every engine (lower is faster)")
        return lib.draw(out, "ch07-speedups", script + "unset multiplot\n",
                        size=(900, 800 if versus else 480))
    return draw
