"""Page set-up of an openpyxl sheet: A4, a readable scale, repeated headers, column groups per page.

The plan comes from :mod:`pyxl.layouts.print_pages`; this module only writes it into the sheet.
"""

from __future__ import annotations

from typing import Any

from .print_pages import A4_PAPER, MARGIN_IN, plan_pages

__all__ = ["apply_print_setup", "sheet_widths", "wrapped_height"]


def sheet_widths(ws: Any, last_col: int) -> list[float | None]:
    """Column widths in characters as the sheet sets them (None: Excel's default; 0: hidden)."""
    from openpyxl.utils import get_column_letter

    out: list[float | None] = []
    for col in range(1, last_col + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        if dim is None:
            out.append(None)
        elif dim.hidden:
            out.append(0)
        else:
            out.append(dim.width if dim.customWidth or dim.width else None)
    return out


def apply_print_setup(ws: Any, *, title_rows: str | None, last_col: int, repeat_cols: int = 0,
                      scale: int = 100, orientation: str = "landscape") -> None:
    """A4 at ``scale`` % (never below the readable minimum), header rows and the first ``repeat_cols``
    columns on every page, a manual page break after each group of columns that fills a page."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    plan = plan_pages(sheet_widths(ws, last_col), repeat=repeat_cols, scale=scale, orientation=orientation)
    ws.page_setup.paperSize = A4_PAPER
    ws.page_setup.orientation = plan.orientation
    ws.page_setup.scale = plan.scale
    ws.page_setup.fitToWidth = None
    ws.page_setup.fitToHeight = None
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = MARGIN_IN
    if title_rows:
        ws.print_title_rows = title_rows
    if repeat_cols and plan.breaks:
        ws.print_title_cols = f"A:{get_column_letter(repeat_cols)}"
    for col in plan.breaks:
        ws.col_breaks.append(Break(id=col))
    ws.print_options.horizontalCentered = not plan.breaks
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def wrapped_height(text: str, width: float, line_pt: float = 15.0) -> float:
    """Row height (pt) for ``text`` wrapped in a column ``width`` characters wide (CJK counts double)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    lines = max(1, -(-units // max(1, int(width) - 2)))
    return lines * line_pt
