"""Values readers: the grid of each sheet, as Excel last showed it, from a workbook file.

Two readers give the same grids:

- ``calamine`` (python-calamine, Rust): about ten times faster; the default wherever it
  is installed;
- ``openpyxl`` (pure Python): where python-calamine cannot be imported — the browser
  page (Pyodide has no build of it in the npm package) — or when asked for.

The choice is made at run time (:func:`open_reader`); ``PYXL_READER=openpyxl|calamine``
forces one (tests and benchmarks compare them). Grids follow calamine's conventions,
which every layout reader was written against: A1 to the last cell holding a value,
rows padded to one width, an empty cell as ``""``, every number a float, a date
without time of day as a ``datetime.date``. Cells cached as an error (#DIV/0!) are
the backend's business (calamine drops them; openpyxl reads their text).

Parser failures propagate as the parser raised them: the backend turns them into
one-line ``file-unreadable`` errors.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Protocol

from .base import Grid

__all__ = ["READERS", "ValuesReader", "available_reader", "normalize_grid", "open_reader"]

READERS = ("calamine", "openpyxl")
Merged = list[tuple[int, int, int, int]]  # (first row, first col, last row, last col), 0-based inclusive


class ValuesReader(Protocol):
    name: str

    def sheet_names(self) -> list[str]: ...

    def grid(self, sheet: str) -> Grid: ...

    def merged(self, sheet: str) -> Merged: ...


def available_reader() -> str:
    """The reader :func:`open_reader` uses: ``PYXL_READER`` if set, else calamine where importable."""
    forced = os.environ.get("PYXL_READER", "").strip().lower()
    if forced in READERS:
        return forced
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "calamine"


def open_reader(path: Path, name: str | None = None) -> ValuesReader:
    """Open ``path`` (already through pyxl.backends.safety) with the reader ``name`` (default: :func:`available_reader`)."""
    name = name or available_reader()
    if name == "calamine":
        return CalamineReader(path)
    if name == "openpyxl":
        return OpenpyxlReader(path)
    raise ValueError(f"unknown reader {name!r}; one of {READERS}")


class CalamineReader:
    name = "calamine"

    def __init__(self, path: Path) -> None:
        import python_calamine

        self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        self._sheets: dict[str, Any] = {}  # parsed once: grid and merged both need a sheet

    def _sheet(self, sheet: str) -> Any:
        if sheet not in self._sheets:
            self._sheets[sheet] = self._book.get_sheet_by_name(sheet)
        return self._sheets[sheet]

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def grid(self, sheet: str) -> Grid:
        return self._sheet(sheet).to_python(skip_empty_area=False)

    def merged(self, sheet: str) -> Merged:
        ranges = self._sheet(sheet).merged_cell_ranges or []
        return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]


class OpenpyxlReader:
    """Cached values (``data_only``) through openpyxl's public API; grids normalised to calamine's form."""

    name = "openpyxl"

    def __init__(self, path: Path) -> None:
        import openpyxl

        from .safety import ensure_defusedxml

        ensure_defusedxml()
        # not read_only: merged ranges are only parsed by a full load
        self._book = openpyxl.load_workbook(path, data_only=True, rich_text=False)

    def sheet_names(self) -> list[str]:
        return list(self._book.sheetnames)

    def grid(self, sheet: str) -> Grid:
        ws = self._book[sheet]
        if not hasattr(ws, "iter_rows"):  # a chartsheet holds no cells
            return []
        return normalize_grid(ws.iter_rows(min_row=1, min_col=1, values_only=True))

    def merged(self, sheet: str) -> Merged:
        ws = self._book[sheet]
        ranges = getattr(ws, "merged_cells", None)
        if ranges is None:
            return []
        return [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ranges.ranges]


def _value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return float(v)  # calamine: every spreadsheet number is a float
    if isinstance(v, dt.datetime) and v.time() == dt.time(0) and v.tzinfo is None:
        return v.date()  # calamine: a date serial without a fraction of a day is a date
    return v


def normalize_grid(rows: Any) -> Grid:
    """Rows of raw cell values → calamine's grid: ``""`` for empty, floats, trailing empties cut."""
    grid: Grid = []
    last_row = -1
    width = 0
    for r, row in enumerate(rows):
        values = [_value(v) for v in row]
        end = len(values)
        while end and values[end - 1] == "":
            end -= 1
        if end:
            last_row = r
            width = max(width, end)
        grid.append(values)
    grid = grid[: last_row + 1]
    for row in grid:
        if len(row) > width:
            del row[width:]
        elif len(row) < width:
            row.extend([""] * (width - len(row)))
    return grid
