"""Page set-up of an openpyxl sheet: A4, a readable scale, repeated headers, column groups per page.

The plan comes from :mod:`pyxl.layouts.print_pages`; this module only writes it into the sheet.
"""

from __future__ import annotations

import unicodedata
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


# A column ``w`` characters wide is 7·w + 5 pixels in Excel's default font (Calibri 11: a digit is 7 px),
# of which a few are the cell's padding. A wide character — CJK, full-width forms, and the "ambiguous"
# ones a Chinese font draws full width (“ ” ‘ ’ ≥ ÷ → …) — is 14.67 px (11 pt); any other character is
# counted as wide as a digit (most are narrower: the estimate errs on the tall side).
_DIGIT_PX = 7.0
_WIDE_PX = 14.67
# Chinese line breaking (禁则): these never start a line, these never end one; each stays with its neighbour
_NO_LINE_START = set("，。、；：？！）」』】》〉”’％…—·,.;:?!)]}%")
_NO_LINE_END = set("（「『【《〈“‘([{")


def _char_px(ch: str) -> float:
    return _WIDE_PX if unicodedata.east_asian_width(ch) in ("W", "F", "A") else _DIGIT_PX


def _tokens(paragraph: str) -> list[str]:
    """Pieces a line never breaks inside: one wide character, a space, a run of other characters; a
    closing mark glued to what precedes it and an opening mark to what follows."""
    raw: list[str] = []
    for ch in paragraph:
        if ch.isspace() or _char_px(ch) == _WIDE_PX or not raw or raw[-1].isspace() or _char_px(raw[-1][-1]) == _WIDE_PX:
            raw.append(ch)
        else:
            raw[-1] += ch
    out: list[str] = []
    for piece in raw:
        if out and (piece[0] in _NO_LINE_START or out[-1][-1] in _NO_LINE_END) and not piece.isspace():
            out[-1] += piece
        else:
            out.append(piece)
    return out


# A row of one line keeps the default height; a wrapped line of Chinese text takes 16 pt (LibreOffice's
# Noto Sans CJK at 11 pt, measured; Excel's 等线 takes about 14.5), plus 2 pt so the last line is not cut
_WRAPPED_LINE_PT = 16.0
_WRAPPED_PAD_PT = 2.0


def wrapped_height(text: str, width: float, line_pt: float = 15.0) -> float:
    """Row height (pt) for ``text`` wrapped in a column ``width`` characters wide, as Excel wraps it:
    between wide characters (keeping Chinese punctuation with its neighbour), at spaces between
    other words, and at each line break of the text."""
    room = max(_DIGIT_PX, width * _DIGIT_PX - 1)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        x = 0.0
        for token in _tokens(paragraph):
            if token.isspace():
                x += _DIGIT_PX if x else 0.0  # a space that ends a line takes no room on the next
                continue
            size = sum(_char_px(ch) for ch in token)
            if x and x + size > room:
                lines += 1
                x = 0.0
            while size > room:  # a word wider than the column is broken across lines
                lines += 1
                size -= room
            x += size
    return line_pt if lines == 1 else lines * max(line_pt, _WRAPPED_LINE_PT) + _WRAPPED_PAD_PT
