"""Styles and page set-up shared by the department workbook's sheets (template_writer, selfeval_sheet):
a module of its own so that sheet writers import it and never each other."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["AMOUNT_FORMAT", "COLOURS", "HEADER_FILL", "PRINT_SCALE", "WAN_FORMAT", "header", "print_setup",
           "stamp_rows", "styles"]

# Excel's Bad / Neutral / Good styles
COLOURS = {"E": ("FFC7CE", "9C0006"), "W": ("FFEB9C", "9C5700"), "G": ("C6EFCE", "006100")}
HEADER_FILL = "D9E1F2"
AMOUNT_FORMAT = "#,##0.00##"
WAN_FORMAT = "#,##0.0000"

PRINT_SCALE = 90  # percent of A4 landscape: 11 pt text prints at ~10 pt; wider sheets split into column groups


def styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "title": Font(name="等线", size=14, bold=True),
        "header_font": Font(name="等线", bold=True),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "note": Font(name="等线", size=9, color="666666"),
    }


def header(ws: Any, row: int, headers: Iterable[str], start_col: int = 1) -> None:
    st = styles()
    for i, text in enumerate(headers):
        c = ws.cell(row=row, column=start_col + i, value=text)
        c.font, c.fill, c.border, c.alignment = st["header_font"], st["header_fill"], st["border"], st["center"]


def stamp_rows(ws: Any, first: int, last: int, ncols: int) -> None:
    """Copy row ``first``'s cell styles down to row ``last``.

    openpyxl hashes every style object on assignment; copying the compact style array
    instead makes a few thousand pre-formatted rows cost milliseconds, not seconds.
    """
    from copy import copy

    protos = [ws.cell(row=first, column=c)._style for c in range(1, ncols + 1)]
    for r in range(first + 1, last + 1):
        for c, style in enumerate(protos, start=1):
            ws.cell(row=r, column=c)._style = copy(style)


def print_setup(ws: Any, title_rows: str | None, repeat_cols: int = 0) -> None:
    # A4 at a readable scale, wide sheets split into column groups (pyxl/layouts/print_layout.py)
    from .print_layout import apply_print_setup

    apply_print_setup(ws, title_rows=title_rows, last_col=ws.max_column, repeat_cols=repeat_cols, scale=PRINT_SCALE)
