"""A1 addresses ↔ row/column numbers (no spreadsheet library needed)."""

from __future__ import annotations

import re

__all__ = ["a1", "cell_index", "quote_sheet"]

_A1 = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def a1(row: int, col: int) -> str:
    """0-based row/col → A1."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def cell_index(cell: str) -> tuple[int, int]:
    """A1 → (row, col), 1-based."""
    m = _A1.fullmatch(cell)
    if not m:
        raise ValueError(f"not an A1 address: {cell!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def quote_sheet(name: str) -> str:
    """A sheet name as formulas and defined names write it: in apostrophes, an apostrophe doubled
    (``O'Brien项目`` → ``'O''Brien项目'``). Always quoted: Excel accepts quotes on any name."""
    return "'" + name.replace("'", "''") + "'"
