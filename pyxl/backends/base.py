"""The backend interface the workbook orchestrator talks to.

Reads are bulk (a sheet's used range in one call) and so are writes (one block per
sheet); notes are the only per-cell calls. That keeps live Excel (xlwings over COM)
at O(sheets) + notes calls, whatever the size of the workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["Backend", "Formula", "Grid", "is_risky_text"]

Grid = list[list[Any]]


class Formula(str):
    """A string pyxl itself built as a formula (e.g. a HYPERLINK). Any other string is written as text.

    ``cached`` is the value the formula computes, when pyxl knows it: writers that can store it
    (the package writer) do, so that readers without a calculation engine show it.
    """

    cached: object = None

    def __new__(cls, text: str, cached: object = None) -> Formula:
        obj = super().__new__(cls, text)
        obj.cached = cached
        return obj


def is_risky_text(value: object) -> bool:
    """Text that a spreadsheet would take for a formula if typed as is."""
    return isinstance(value, str) and not isinstance(value, Formula) and value[:1] in ("=", "+", "-", "@")


class Backend(Protocol):
    def sheet_names(self) -> list[str]: ...

    def read_values(self, sheet: str) -> Grid:
        """The sheet's values from A1 to the end of its used range, as Excel shows them.

        Cached values for formulas and an error as its text ("#DIV/0!"). A merged
        area's value stays in its top-left cell only (see ``merged_ranges``).
        """
        ...

    def write_block(self, sheet: str, top_left: tuple[int, int], values: Sequence[Sequence[Any]]) -> None:
        """Write a rectangle of values in one call; top_left is (row, col), 1-based."""
        ...

    def clear_block(self, sheet: str, top_left: tuple[int, int], shape: tuple[int, int]) -> None:
        """Empty a rectangle (values only) in one call."""
        ...

    def notes(self, sheet: str) -> dict[str, str]:
        """Existing notes (comments) on the sheet, by A1 address."""
        ...

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        """Set or (text None) delete the note of one cell."""
        ...

    def ensure_sheet(self, sheet: str) -> None:
        """Add an empty visible sheet at the end unless it exists."""
        ...


# Optional backend methods, looked up with getattr by the callers that can use them:
#   merged_ranges(sheet) -> list[(first row, first col, last row, last col)], 0-based inclusive;
#       the form reader needs it because a merged cell keeps its value in the top-left cell only.
#   add_status_mirror(sheet, mirror, name, (rows, cols), colours) -> None: give a sheet that has
#       none (a department's own form) a hidden status mirror reached through the defined name
#       `name`, and conditional formats that read it, so validate colours the department's own
#       sheet without touching its formatting. Without it, validate still writes notes.
#   fit_rows(sheet, first_row, heights) -> None: row heights in points from first_row on (None: the
#       default height), so 校验结果's wrapped text shows whole; column_widths(sheet) -> the sheet's
#       column widths in characters (None: default, 0: hidden), which the height estimate uses.
#   add_sheet(sheet, *, widths, frozen_rows, wrap_from_row, colours) -> None: add pyxl's own sheet
#       with its look (column widths, frozen header, wrapped cells, conditional colours), as the
#       template draws 校验结果; without it, validate adds a plain sheet (ensure_sheet).
