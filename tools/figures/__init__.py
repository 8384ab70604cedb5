"""The figures tools/check_figures.py checks, a module per chapter.

kit.py holds the shared helpers and the registries, TABLES (the fenced
tables) and PHRASES (the sentences quoting a measured figure); ch00.py
(docs/00-course.md), ch01.py ... ch08.py (docs/01-*.md ... docs/08-*.md)
and readme.py (README.md) each hold the functions that make that
chapter's figures and register them. Importing the package registers
them all, in the order below, which is the order --list prints them in
(chapter 0's one sentence after chapter 1's, as it was registered when
every figure was in check_figures.py).
"""
from . import kit
from . import ch01, ch00
from . import ch02, ch03, ch04, ch05, ch06, ch07, ch08, readme

__all__ = ["kit", "ch00", "ch01", "ch02", "ch03", "ch04", "ch05", "ch06",
           "ch07", "ch08", "readme"]
