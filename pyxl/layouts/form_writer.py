"""Write a department as the printable official form (`pyxl fill --form`).

One sheet for the 部门整体 part (总体绩效目标 and the 分项绩效目标 table) and one
项目支出绩效目标表 per project, laid out as the published forms are (the seed):
项目编码 / 预算项目名称, 项目资金主要用途 ("预算数 X。其中：…。用途"), 资金支出计划（%）
with a checkpoint row and a % row, 绩效目标, then the indicator table with 一级 and
二级 merged over their rows. A4 with the indicator header repeated on every page.

What is written reads back to the same model through form_reader, with two limits
the printed form itself sets: a bare-number amount is printed "N 万元" (what a bare
number means) and comes back as that text; and a blank 一级/二级 below a filled one
reads as the one above (the printed convention for merged categories).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..core.model import Department, Indicator, Project
from .form_selfeval import SelfEvalRows, fund_rows, has_foot, has_fund, write_foot, write_fund, write_goal_actual
from .form_spec import DEPT_TITLE, FORM_TITLE, WRITE_LABELS, compose_purpose
from .template_writer import _percent_cell, put, save_workbook

__all__ = ["DEPT_SHEET_NAME", "build_form_workbook", "project_sheet_names", "save_workbook", "write_block"]

DEPT_SHEET_NAME = "部门整体绩效目标"
BASE_WIDTHS = (11, 12, 16, 30, 12, 14)  # 一级 二级 三级 描述 指标值 依据
MONITOR_COLUMNS = (
    ("actual", "实际完成值"),
    ("forecast", "全年预计完成值"),
    ("deviation_reason", "偏差原因"),
    ("corrective_action", "纠偏措施"),
)
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
# Columns a department's form has only when some indicator fills them (real forms print them).
EXTRA_COLUMNS = (("unit", "计量单位"), ("polarity", "指标方向"), ("weight", "分值"))
SCORE_COLUMN = ("score", "得分")
# Project fields printed as label rows below 项目编码/名称 when the project has them: pairs share a row.
INFO_ROWS = (
    (("supervisor", "主管部门"), ("implementer", "实施单位")),
    (("contact", "项目负责人及电话"),),
    (("nature", "项目性质"), ("category", "项目类别")),
    (("start", "计划开始日期"), ("end", "计划完成日期")),
    # the year's amount beside the whole-life total, so that a form with only the total is not misread
    (("total_budget", "项目资金总额"), ("budget", "年度资金总额")),
)
LONG_TERM_LABEL = "中长期目标"
TARGET_HEADER = ("编号", "绩效目标", "绩效指标", "指标值", "实际完成值")
TARGET_WIDTHS = (9, 40, 28, 14, 14)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_RESERVED = {DEPT_SHEET_NAME, "校验结果", "说明"}


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    return {
        "title": Font(name="宋体", size=16, bold=True),
        "label": Font(name="宋体", size=10.5, bold=True),
        "body": Font(name="宋体", size=10.5),
        "small": Font(name="宋体", size=10),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "right": Alignment(horizontal="right", vertical="center"),
        "header_fill": PatternFill("solid", fgColor="F2F2F2"),
    }


def _text_units(value: Any) -> float:
    """Approximate width of a text in Excel column units (a 10.5 pt CJK glyph is about 1.5)."""
    text = "" if value is None else str(value)
    return sum(1.5 if unicodedata.east_asian_width(ch) in "WF" else 0.85 for ch in text)


def _height(values: Sequence[tuple[Any, float]], minimum: float = 20.0) -> float:
    """Row height that shows every wrapped cell: (value, column width) pairs."""
    lines = 1
    for value, width in values:
        for part in str(value if value is not None else "").split("\n"):
            lines = max(lines, math.ceil(_text_units(part) / max(width * 0.92, 1)) or 1)
    return max(minimum, 15.0 * lines + 6)


def project_sheet_names(dept: Department) -> list[str]:
    """A sheet per project: its code when that is a usable, unique sheet name, else 项目N."""
    names: list[str] = []
    for i, p in enumerate(dept.projects, start=1):
        name = (p.code or "").strip()
        if (
            not name
            or _BAD_SHEET_CHARS.search(name)
            or len(name) > 31
            or name in _RESERVED
            or name in names
            or name.startswith("_pyxl_")
            or name.startswith("'")
        ):
            name = f"项目{i}"
            while name in names:
                name += "'"
        names.append(name)
    return names


def build_form_workbook(dept: Department, *, one_sheet: bool = False) -> Any:
    """The department as the official form: a sheet per project (or all blocks on one sheet)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = DEPT_SHEET_NAME
    _dept_sheet(ws, dept)
    if one_sheet:
        ws = wb.create_sheet("项目支出绩效目标表")
        from openpyxl.worksheet.pagebreak import Break

        row = 1
        for k, p in enumerate(dept.projects):
            if k:
                ws.row_breaks.append(Break(id=row - 1))  # each project starts a page
            _, last = write_block(ws, p, dept, top=row)
            row = last + 3
        _page_setup(ws, _block_width(dept), None)
    else:
        for name, p in zip(project_sheet_names(dept), dept.projects, strict=True):
            ws = wb.create_sheet(name)
            header_row, _ = write_block(ws, p, dept, top=1)
            _page_setup(ws, _block_width(dept), header_row)
    wb.active = 0
    return wb


def _block_width(dept: Department) -> int:
    return len(_indicator_columns(dept))


def _indicator_columns(dept: Department) -> list[tuple[str, str]]:
    """(model key, header) of the indicator table: the six base columns, then the optional ones
    some indicator of the department fills."""
    keys = ["level1", "level2", "name", "description", "value", "basis"]
    cols = list(zip(keys, INDICATOR_HEADER, strict=True))
    inds = [i for p in dept.projects for i in p.indicators]
    # a 自评表 always prints 分值 and 得分 (and its fund block needs the width)
    selfeval = any(has_fund(p) for p in dept.projects)
    cols += [(k, h) for k, h in EXTRA_COLUMNS
             if any(getattr(i, k) is not None for i in inds) or (selfeval and k == "weight")]
    if _has_monitoring(dept):
        cols += list(MONITOR_COLUMNS)
    if selfeval or any(i.score is not None for i in inds):
        cols.append(SCORE_COLUMN)
    return cols


def _has_monitoring(dept: Department) -> bool:
    return any(
        getattr(i, key) is not None for p in dept.projects for i in p.indicators for key, _ in MONITOR_COLUMNS
    )


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _layout(p: Project, dept: Department, top: int) -> dict[str, Any]:
    width = _block_width(dept)
    per_row = width - 1
    rows: dict[str, Any] = {"title": top, "unit": top + 1, "code": top + 2}
    r = top + 3
    rows["info"] = []
    for pair in INFO_ROWS:
        if any(getattr(p, key) is not None for key, _ in pair if key != "budget"):
            rows["info"].append((r, pair))
            r += 1
    rows["purpose"] = r
    r += 1
    rows["plan"] = r
    r += 2 * len(_chunks(list(p.spend_plan), per_row))
    if p.spend_actual:
        rows["actual"] = r
        r += 2 * len(_chunks(list(p.spend_actual), per_row))
    if has_fund(p):
        rows["fund"] = r
        r += fund_rows(p)
    if p.long_term_goal is not None:
        rows["long_term_goal"] = r
        r += 1
    rows["goal"] = r
    if p.selfeval is not None and p.selfeval.goal_actual is not None:
        r += 1
        rows["goal_actual"] = r
    rows["header"] = r + 1
    rows["first"] = r + 2
    rows["last"] = r + 1 + len(p.indicators)
    if has_foot(p):
        rows["last"] += 1
        rows["foot"] = rows["last"]
    return rows


def write_block(ws: Any, p: Project, dept: Department, *, top: int = 1, left: int = 1) -> tuple[int, int]:
    """One project's 项目支出绩效目标表 at (top, left); returns (indicator header row, last row)."""
    from openpyxl.utils import get_column_letter as L

    st = _styles()
    width = _block_width(dept)
    lay = _layout(p, dept, top)
    columns = _indicator_columns(dept)
    widths = list(BASE_WIDTHS) + [12] * (width - len(BASE_WIDTHS))
    for i, w in enumerate(widths):
        letter = L(left + i)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, w)
    right = left + width - 1

    def merge(r0: int, c0: int, r1: int, c1: int) -> None:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)

    def label(r: int, c: int, text: str, r1: int | None = None, c1: int | None = None) -> None:
        cell = ws.cell(row=r, column=c, value=text)
        cell.font, cell.alignment = st["label"], st["center"]
        merge(r, c, r1 or r, c1 or c)

    def value(
        r: int, c: int, v: Any, c1: int | None = None, *, align: str = "left", fmt: str | None = None
    ) -> None:
        cell = ws.cell(row=r, column=c)
        put(cell, v)
        cell.font, cell.alignment = st["body"], st[align]
        if fmt:
            cell.number_format = fmt
        merge(r, c, r, c1 or c)

    # title and unit line (framing, not fields)
    t = ws.cell(row=lay["title"], column=left, value=FORM_TITLE)
    t.font, t.alignment = st["title"], st["center"]
    merge(lay["title"], left, lay["title"], right)
    ws.row_dimensions[lay["title"]].height = 30
    u = ws.cell(row=lay["unit"], column=left, value=f"填报单位：{dept.name or ''}")
    u.font, u.alignment = st["small"], st["left"]
    merge(lay["unit"], left, lay["unit"], left + 3)
    m = ws.cell(row=lay["unit"], column=left + 4, value="金额单位：万元")
    m.font, m.alignment = st["small"], st["right"]
    merge(lay["unit"], left + 4, lay["unit"], right)

    r = lay["code"]
    label(r, left, WRITE_LABELS["code"])
    value(r, left + 1, p.code, align="center", fmt="@")
    label(r, left + 2, WRITE_LABELS["name"])
    value(r, left + 3, p.name, right)
    ws.row_dimensions[r].height = _height([(p.name, sum(widths[3:]))], 24)

    for r, pair in lay["info"]:
        for k, (key, text_) in enumerate(pair):
            c = left + 2 * k
            label(r, c, text_)
            last_value = k == len(pair) - 1
            value(r, c + 1, getattr(p, key), right if last_value else None, fmt="@")
        ws.row_dimensions[r].height = _height([(getattr(p, key), sum(widths[1:3])) for key, _ in pair], 22)

    r = lay["purpose"]
    text = compose_purpose(p.budget, p.funding, p.purpose)
    label(r, left, WRITE_LABELS["purpose"])
    value(r, left + 1, text, right)
    ws.row_dimensions[r].height = _height([(text, sum(widths[1:]))], 30)

    for key, data in (("plan", p.spend_plan), ("actual", p.spend_actual)):
        if key not in lay:
            continue
        r0 = lay[key]
        chunks = _chunks(list(data), width - 1)
        label(r0, left, WRITE_LABELS[key], r0 + 2 * len(chunks) - 1)
        for k, chunk in enumerate(chunks):
            rm, rv = r0 + 2 * k, r0 + 2 * k + 1
            for j, checkpoint in enumerate(chunk):
                c = left + 1 + j
                last = j == len(chunk) - 1 and k == len(chunks) - 1
                c1 = right if last else c
                value(rm, c, checkpoint, c1, align="center")
                raw, fmt = _percent_cell(data[checkpoint]) if key == "plan" else (data[checkpoint], None)
                if fmt and abs(raw) > 1.5:  # the reader takes numbers above 150 as typed points
                    raw, fmt = data[checkpoint], None
                value(rv, c, raw, c1, align="center", fmt=fmt)
            for rr in (rm, rv):
                ws.row_dimensions[rr].height = 20

    draw = SelfEvalRows(label, value, lambda r_, h: setattr(ws.row_dimensions[r_], "height", h))
    if "fund" in lay:
        write_fund(p, lay["fund"], left, right, draw)

    if "long_term_goal" in lay:
        r = lay["long_term_goal"]
        label(r, left, LONG_TERM_LABEL)
        value(r, left + 1, p.long_term_goal, right)
        ws.row_dimensions[r].height = _height([(p.long_term_goal, sum(widths[1:]))], 30)

    r = lay["goal"]
    label(r, left, WRITE_LABELS["goal"])
    value(r, left + 1, p.goal, right)
    ws.row_dimensions[r].height = _height([(p.goal, sum(widths[1:]))], 30)
    if "goal_actual" in lay:
        assert p.selfeval is not None
        write_goal_actual(p, lay["goal_actual"], left, right, draw)
        ws.row_dimensions[lay["goal_actual"]].height = _height([(p.selfeval.goal_actual, sum(widths[1:]))], 30)

    hr = lay["header"]
    headers = [h for _, h in columns]
    for i, h in enumerate(headers):
        label(hr, left + i, h)
        ws.cell(row=hr, column=left + i).fill = st["header_fill"]
    ws.row_dimensions[hr].height = 30
    _indicator_rows(ws, p.indicators, lay["first"], left, [k for k, _ in columns], widths, st, merge)
    if "foot" in lay:
        write_foot(p, lay["foot"], left, right, draw)

    for row in ws.iter_rows(min_row=lay["code"], max_row=lay["last"], min_col=left, max_col=right):
        for cell in row:
            cell.border = st["border"]
    return hr, lay["last"]


def _runs(indicators: list[Indicator]) -> list[tuple[int, int]]:
    """Index ranges [start, end) of consecutive indicators sharing a (non-empty) 一级 with a 二级 each;
    an indicator without 二级 stands alone (its 一级 is merged across the 二级 column instead)."""
    runs, i = [], 0
    while i < len(indicators):
        j = i + 1
        ind = indicators[i]
        if ind.level1 is not None and ind.level2 is not None:
            while (
                j < len(indicators)
                and indicators[j].level1 == ind.level1
                and indicators[j].level2 is not None
            ):
                j += 1
        runs.append((i, j))
        i = j
    return runs


def _indicator_rows(
    ws: Any,
    inds: list[Indicator],
    first: int,
    left: int,
    keys: list[str],
    widths: list[int],
    st: dict[str, Any],
    merge: Any,
) -> None:
    for i, ind in enumerate(inds):
        r = first + i
        for j, key in enumerate(keys):
            cell = ws.cell(row=r, column=left + j)
            if key not in ("level1", "level2"):
                put(cell, getattr(ind, key))
            cell.font = st["body"]
            cell.alignment = (
                st["left"]
                if key in ("name", "description", "deviation_reason", "corrective_action")
                else st["center"]
            )
        ws.row_dimensions[r].height = _height([(getattr(ind, k), widths[j]) for j, k in enumerate(keys)], 20)
    for start, end in _runs(inds):
        head = inds[start]
        c1 = ws.cell(row=first + start, column=left)
        put(c1, head.level1)
        if head.level2 is None and head.level1 is not None:
            merge(first + start, left, first + start, left + 1)  # 一级 without 二级 (成本指标 as 一级)
        else:
            merge(first + start, left, first + end - 1, left)
            k = start
            while k < end:  # 二级 merged over its own run inside the 一级
                m = k + 1
                while m < end and inds[m].level2 == inds[k].level2:
                    m += 1
                put(ws.cell(row=first + k, column=left + 1), inds[k].level2)
                merge(first + k, left + 1, first + m - 1, left + 1)
                k = m


def _page_setup(ws: Any, width: int, header_row: int | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if width <= len(BASE_WIDTHS) else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.footer = 0.3
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.sheet_view.showGridLines = False


def _dept_sheet(ws: Any, dept: Department) -> None:
    from openpyxl.utils import get_column_letter as L

    st = _styles()
    n = len(TARGET_HEADER)
    for i, w in enumerate(TARGET_WIDTHS, start=1):
        ws.column_dimensions[L(i)].width = w
    t = ws.cell(row=1, column=1, value=DEPT_TITLE)
    t.font, t.alignment = st["title"], st["center"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.row_dimensions[1].height = 30
    fields = (
        ("dept_name", dept.name),
        ("dept_code", dept.code),
        ("year", dept.year),
        ("overall", dept.overall_goal),
    )
    for r, (key, v) in enumerate(fields, start=2):
        c = ws.cell(row=r, column=1, value=WRITE_LABELS[key])
        c.font, c.alignment = st["label"], st["center"]
        cell = ws.cell(row=r, column=2)
        put(cell, v)
        cell.font, cell.alignment = st["body"], st["left"]
        if key == "dept_code":
            cell.number_format = "@"
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=n)
        ws.row_dimensions[r].height = _height([(v, sum(TARGET_WIDTHS[1:]))], 22)
    sub = ws.cell(row=6, column=1, value="分项绩效目标")
    sub.font, sub.alignment = st["label"], st["left"]
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=n)
    ws.row_dimensions[6].height = 24
    hr = 7
    for i, h in enumerate(TARGET_HEADER, start=1):
        c = ws.cell(row=hr, column=i, value=h)
        c.font, c.alignment, c.fill = st["label"], st["center"], st["header_fill"]
    keys = ("numbering", "goal", "indicator", "value", "actual")
    targets = dept.targets
    for k, t_ in enumerate(targets):
        r = hr + 1 + k
        for i, key in enumerate(keys, start=1):
            cell = ws.cell(row=r, column=i)
            if key not in ("numbering", "goal"):
                put(cell, getattr(t_, key))
            cell.font = st["body"]
            cell.alignment = st["left"] if key in ("goal", "indicator") else st["center"]
        ws.row_dimensions[r].height = _height(
            [(t_.indicator, TARGET_WIDTHS[2]), (t_.value, TARGET_WIDTHS[3])], 20
        )
    k = 0
    while k < len(targets):  # 编号 and 绩效目标 merged over the indicators of one goal
        m = k + 1
        same = (targets[k].numbering, targets[k].goal)
        # a row that would hold nothing of its own under the merge is kept apart, or it would vanish
        while (m < len(targets) and (targets[m].numbering, targets[m].goal) == same and same != (None, None)
               and any(v is not None for v in (targets[m].indicator, targets[m].value, targets[m].actual))):
            m += 1
        for i, key in enumerate(("numbering", "goal"), start=1):
            put(ws.cell(row=hr + 1 + k, column=i), getattr(targets[k], key))
            if m - k > 1:
                ws.merge_cells(start_row=hr + 1 + k, start_column=i, end_row=hr + m, end_column=i)
        # the merged goal must show whole: grow its rows evenly when they are too short for it
        rows = range(hr + 1 + k, hr + 1 + m)
        need = _height([(targets[k].goal, TARGET_WIDTHS[1])], 20)
        have = sum(ws.row_dimensions[r].height or 20 for r in rows)
        if need > have:
            for r in rows:
                ws.row_dimensions[r].height = (ws.row_dimensions[r].height or 20) * need / have
        k = m
    for row in ws.iter_rows(min_row=2, max_row=hr + len(targets), min_col=1, max_col=n):
        for cell in row:
            if cell.row != 6:
                cell.border = st["border"]
    _page_setup(ws, len(BASE_WIDTHS), hr)
