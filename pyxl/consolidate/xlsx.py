"""XlsxWriter helpers for the summary: formats, typed cell writers, tables on streamed sheets.

Every string from an input goes through ``write_string`` (never ``write``), and the
workbook is opened with strings_to_formulas/urls/numbers off as a second guard, so a
cell reading "=HYPERLINK(…)" in a department's workbook stays text in the summary.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from .spec import INT, NUMBER, PCT, RAW, TEXT, WAN, Column

__all__ = ["EXCEL_MAX_ROWS", "Formats", "add_streamed_table", "new_workbook", "write_rows"]

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


_TEXT, _RAW, _NUMBER = 0, 1, 2


def write_rows(
    ws: Any, first: int, columns: Sequence[Column], rows: Iterable[Sequence[Any]], fmt: Formats,
) -> int:
    """Write rows from ``first`` on, each value as its column's kind says; None leaves the cell empty.

    Text is always written as a string. This loop runs once per cell of the long tables, so it
    calls XlsxWriter's private writers (skipping the A1-notation decorator of the public ones)
    and dispatches on a small integer rather than through a function per column.
    """
    put_string, put_number = ws._write_string, ws._write_number
    kinds = [_TEXT if c.kind == TEXT else _RAW if c.kind == RAW else _NUMBER for c in columns]
    formats = [fmt.for_kind(c.kind) for c in columns]
    shows = [c.display for c in columns]
    isfinite = math.isfinite
    r = first
    for row in rows:
        for c, v in enumerate(row):
            if v is None:
                continue
            kind = kinds[c]
            if kind == _TEXT:
                show = shows[c]
                if show is not None:
                    v = show(v)
                put_string(r, c, v if type(v) is str else str(v), None)
            elif isinstance(v, bool) or not isinstance(v, int | float):
                if kind == _RAW:  # text as typed (a number typed as text stays text)
                    put_string(r, c, v if isinstance(v, str) else str(v), None)
            elif isfinite(v):
                put_number(r, c, v, formats[c])
        r += 1
    return r - first


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
