"""The 校验结果 sheet on screen: problem text wraps, the 级别 cell shows its severity's colour.

The rows are styled ahead in the template (validate writes values only, in one bulk call), and
the colour comes from conditional formats on the 级别 column, so a rerun or clearing needs no
per-cell formatting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "RESULT_STYLED_ROWS", "RESULT_WIDTHS", "SEVERITY_FILLS", "result_row_heights", "results_sheet_look",
    "style_result_rows",
]

RESULT_STYLED_ROWS = 1000
# 序号 级别 规则 工作表 单元格 项目 问题 修改建议: one A4 landscape page across at 90 %
RESULT_WIDTHS = (5, 6, 22, 9, 9, 12, 34, 24)
# 级别 word → (fill, font colour): Excel's Bad / Neutral styles as the marks use, info a light blue
SEVERITY_FILLS = {"错误": ("FFC7CE", "9C0006"), "警告": ("FFEB9C", "9C5700"), "提示": ("DDEBF7", "1F4E78")}
LEVEL_COLUMN = "B"
DEFAULT_COLUMN_WIDTH = 8.43  # Excel's width of a column the sheet does not size (a form's 校验结果 made on the fly)
DEFAULT_ROW_PT = 15.0


def style_result_rows(ws: Any, *, first: int, last: int, width: int) -> None:
    from copy import copy

    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill

    top = ws.cell(row=first, column=1)
    top.alignment = Alignment(wrap_text=True, vertical="top")
    proto = top._style
    for r in range(first, last + 1):
        for c in range(1, width + 1):
            ws.cell(row=r, column=c)._style = copy(proto)  # the compact style array: fast for 1,000 rows
    cells = f"{LEVEL_COLUMN}{first}:{LEVEL_COLUMN}{last}"
    for word, (fill, font) in SEVERITY_FILLS.items():
        ws.conditional_formatting.add(cells, FormulaRule(
            formula=[f'${LEVEL_COLUMN}{first}="{word}"'],
            fill=PatternFill("solid", start_color=fill, end_color=fill), font=Font(color=font)))


def results_sheet_look(first: int = 4) -> dict[str, Any]:
    """The template's 校验结果 look for a backend that adds the sheet itself (a department's own form):
    the column widths, the header frozen, the header and result rows wrapped, 级别 coloured."""
    from .print_pages import MARGIN_IN, plan_pages
    from .sheet_style import PRINT_SCALE

    last = first - 1 + RESULT_STYLED_ROWS
    rules = [(f'${LEVEL_COLUMN}{first}="{word}"', fill, font) for word, (fill, font) in SEVERITY_FILLS.items()]
    plan = plan_pages(RESULT_WIDTHS, scale=PRINT_SCALE)  # one A4 page across, as the template prints it
    return {"widths": RESULT_WIDTHS, "frozen_rows": first - 1, "wrap_from_row": first - 1,
            "colours": (f"{LEVEL_COLUMN}{first}:{LEVEL_COLUMN}{last}", rules),
            "page": (plan.orientation, plan.scale, MARGIN_IN)}


def result_row_heights(rows: list[list[object]], widths: Sequence[float | None] | None = None) -> list[float]:
    """Row heights (pt) that show each result row's wrapped text whole (Excel and LibreOffice do not
    grow a row written by a program; a row without a height shows one line of 问题 and clips the rest).

    Every cell of a result row wraps (a long 问题, but also 单元格's ``绩效指标!K8`` in its narrow
    column), so the tallest cell decides. ``widths``: the sheet's column widths in characters as the
    backend reads them (None: Excel's default width, 0: hidden); without them, the widths the template
    gives 校验结果."""
    from .print_layout import wrapped_height

    sheet = list(widths) if widths is not None else list(RESULT_WIDTHS)
    return [max((wrapped_height(_shown(value), _width(sheet, i)) for i, value in enumerate(row)
                 if _width(sheet, i) > 0),  # a hidden column shows nothing
                default=DEFAULT_ROW_PT) for row in rows]


def _shown(value: object) -> str:
    """The text a cell shows: a formula's computed value (the HYPERLINK's label), else the value."""
    cached = getattr(value, "cached", None)
    shown = cached if cached is not None else value
    return "" if shown is None else str(shown)


def _width(widths: list[float | None], i: int) -> float:
    w = widths[i] if i < len(widths) else None
    return DEFAULT_COLUMN_WIDTH if w is None else w
