"""The README's figures (README.md): the functions that make its sentences
quoting a measured figure, registered into kit.PHRASES by @prose
(tools/check_figures.py checks them against the text)."""

from .kit import LDB, Run, S7, prose


@prose("README", "peers-10m",
       "(gets {} and {} times as fast, the fill {}, the scan {})")
def readme_peers_10m():
    """LevelDB / stage 7 at ten million entries, by the medians."""
    run = Run("peers-10m")
    x = lambda w: run.med(LDB, w) / run.med(S7, w)
    return ("%.1f" % x("readrandom"), "%.1f" % x("readmissing"),
            "%.2f" % x("fillrandom"), "%.2f" % x("readseq"))
