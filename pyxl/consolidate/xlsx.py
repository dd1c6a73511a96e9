"""XlsxWriter helpers for the summary: formats, typed cell writers, tables on streamed sheets.

Every string from an input goes through ``write_string`` (never ``write``), and the
workbook is opened with strings_to_formulas/urls/numbers off as a second guard, so a
cell reading "=HYPERLINK(…)" in a department's workbook stays text in the summary.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .spec import INT, NUMBER, PCT, RAW, TEXT, WAN, Column

__all__ = ["EXCEL_MAX_ROWS", "Formats", "add_streamed_table", "cell_writers", "new_workbook"]

EXCEL_MAX_ROWS = 1_048_576

WAN_FORMAT = "#,##0.00##"
PCT_FORMAT = "0.0%"
HEADER_FILL = "#D9E1F2"
INTERPOLATED_FILL = "#FFF2CC"
PARTIAL_FILL = "#EDEDED"


def new_workbook(path: str) -> Any:
    import xlsxwriter

    return xlsxwriter.Workbook(path, {
        "constant_memory": True,  # rows stream to disk: memory does not grow with the number of rows
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    })


class Formats:
    def __init__(self, wb: Any) -> None:
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.subtitle = add({"bold": True, "font_size": 11})
        self.note = add({"italic": True, "font_color": "#595959"})
        self.header = add({"bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True,
                           "valign": "vcenter"})
        self.label = add({"bold": True, "align": "right"})
        self.input = add({"bg_color": "#FFF2CC", "border": 1})
        self.total_label = add({"bold": True, "top": 1})
        self.total_wan = add({"bold": True, "top": 1, "num_format": WAN_FORMAT})
        self.total_int = add({"bold": True, "top": 1, "num_format": "0"})
        self.text = None
        self.wan = add({"num_format": WAN_FORMAT})
        self.pct = add({"num_format": PCT_FORMAT})
        self.int = add({"num_format": "0"})
        self.number = add({"num_format": "General"})
        self.interpolated = add({"num_format": WAN_FORMAT, "italic": True, "bg_color": INTERPOLATED_FILL})
        self.interpolated_pct = add({"num_format": PCT_FORMAT, "italic": True, "bg_color": INTERPOLATED_FILL})
        self.partial = add({"num_format": WAN_FORMAT, "bg_color": PARTIAL_FILL})
        self.partial_pct = add({"num_format": PCT_FORMAT, "bg_color": PARTIAL_FILL})
        self.missing = add({"bg_color": PARTIAL_FILL})

    def for_kind(self, kind: str) -> Any:
        return {WAN: self.wan, PCT: self.pct, INT: self.int, NUMBER: self.number}.get(kind)


Writer = Callable[[int, int, Any], Any]


def cell_writers(ws: Any, columns: Sequence[Column], fmt: Formats) -> list[Writer]:
    """One function per column writing a value of that column's kind; None leaves the cell empty."""
    # The private writers skip XlsxWriter's A1-notation decorator: this loop runs per cell.
    put_string, put_number = ws._write_string, ws._write_number

    def text(f: Any, show: Callable[[Any], Any] | None) -> Writer:
        def w(r: int, c: int, v: Any) -> None:
            if v is not None:
                if show is not None:
                    v = show(v)
                put_string(r, c, v if isinstance(v, str) else str(v), f)
        return w

    def number(f: Any) -> Writer:
        def w(r: int, c: int, v: Any) -> None:
            if v is not None and not isinstance(v, bool) and math.isfinite(v):
                put_number(r, c, v, f)
        return w

    def raw(r: int, c: int, v: Any) -> None:
        if v is None:
            return
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
            put_number(r, c, v, None)
        else:
            put_string(r, c, v if isinstance(v, str) else str(v), None)

    out: list[Writer] = []
    for col in columns:
        if col.kind == TEXT:
            out.append(text(None, col.display))
        elif col.kind == RAW:
            out.append(raw)
        else:
            out.append(number(fmt.for_kind(col.kind)))
    return out


def add_streamed_table(
    ws: Any, first_row: int, last_row: int, columns: Sequence[Column], name: str, fmt: Formats,
) -> None:
    """An Excel table (with filters) over rows that are streamed in afterwards.

    Call right after writing the header row yourself. XlsxWriter refuses tables in
    constant_memory mode because add_table writes the header cells itself, out of row
    order; and it records every cell of the range for an overlap check (O(rows×cols)
    memory). So the table is registered on its header plus one row, with cell writing
    switched off, and then widened to its real range.
    """
    from xlsxwriter.utility import xl_range

    last_col = len(columns) - 1
    options = {
        "name": name,
        "style": "Table Style Light 9",
        "columns": [{"header": c.header, "header_format": fmt.header} for c in columns],
    }
    saved = ws.constant_memory
    ws.constant_memory = False
    ws._write_string = lambda *args, **kwargs: 0  # the header is already written, in row order
    try:
        rc = ws.add_table(first_row, 0, first_row + 1, last_col, options)
    finally:
        del ws._write_string
        ws.constant_memory = saved
    if rc != 0:  # pragma: no cover - only on a programming error (bad name, duplicate header)
        raise ValueError(f"add_table failed ({rc}) for {name}")
    table = ws.tables[-1]
    last_row = max(last_row, first_row + 1)
    table["range"] = table["a_range"] = xl_range(first_row, 0, last_row, last_col)
    if table.get("autofilter"):
        table["autofilter"] = table["a_range"]
