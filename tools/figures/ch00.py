"""The course's figures (docs/00-course.md): the functions that make its
sentences quoting a measured figure, registered into kit.PHRASES by @prose
(tools/check_figures.py checks them against the text)."""

from .kit import board, prose


@prose("00-course", "scoreboard",
       "these counts are exact, so the tests assert on them (\"open read {} "
       "bytes\"")
def ch00_board_open():
    return board("stage1-append-log", "open_index")[0]
