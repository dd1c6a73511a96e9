"""Page set-up of a summary sheet (XlsxWriter): A4, a readable scale, column groups per page.

The same plan as the department workbook's (:mod:`pyxl.layouts.print_pages`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..layouts.print_pages import A4_PAPER, MARGIN_IN, plan_pages

__all__ = ["PRINT_SCALE", "setup_print"]

PRINT_SCALE = 90


def setup_print(ws: Any, widths: Sequence[float | None], *, header_row: int | None = None,
                repeat_cols: int = 0) -> None:
    """``widths``: the sheet's column widths in characters, first column first (0-based rows)."""
    plan = plan_pages(widths, repeat=repeat_cols, scale=PRINT_SCALE)
    ws.set_paper(A4_PAPER)
    ws.set_landscape()
    ws.set_print_scale(plan.scale)
    ws.set_margins(left=MARGIN_IN, right=MARGIN_IN)
    if header_row is not None:
        ws.repeat_rows(header_row)
    if repeat_cols and plan.breaks:
        ws.repeat_columns(0, repeat_cols - 1)
    if plan.breaks:
        ws.set_v_pagebreaks(list(plan.breaks))
    ws.set_footer("&C第 &P 页，共 &N 页")
