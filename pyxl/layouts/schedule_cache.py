"""Cached values for the 项目 sheet's schedule formulas: what the formulas show, computed in Python.

The template's 项目 sheet computes 预算数(万元), 累计计划金额, 本期计划金额, 执行率, 与计划差 and 当前执行率
by formulas, and repeats each checkpoint label in the headers of its formula columns (``=E$4``).
openpyxl saves a formula without its value, so a previewer that does not calculate (WPS preview,
mail previews, calamine, the browser page) shows blanks there. This module records, for the filled
project rows, the value each formula gives (:func:`cached_values.remember`), and
``write_package`` puts them into the file.

The values are computed from the cells as written, step by step as the formulas do (not from the
model): a column of another project's checkpoint is blank for this one, a period is the difference
of two adjacent columns. Where Python cannot be sure what the spreadsheet's VALUE() makes of a text
(a plan typed as text, an amount in a form the formulas may not read) nothing is cached for that
cell or anything computed from it: Excel and LibreOffice still calculate it on opening; only a
previewer shows a blank, as before. The cell-for-cell agreement with LibreOffice's recalculation is
tested (tests/test_template.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from typing import Any

from .cached_values import remember
from .template_spec import EVAL_YEAR_CELL, TIME_PROGRESS_CELL, ProjectColumns

__all__ = ["remember_schedule"]


class _Unknown:
    """A value Python cannot be sure the spreadsheet computes the same way."""

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
# what the formulas' IFERROR(…, "") and IF(…="", "", …) give: an empty text, cached as nothing
BLANK = None

# wan_expr (live_checks) strips these units in this order, then VALUE()s the rest
_UNITS = (("万元", 1.0), ("亿元", 10000.0), ("千元", 0.1), ("元", 0.0001))
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # ASCII digits: VALUE() may not read full-width ones


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _empty(v: Any) -> bool:
    return v is None or v == ""


def _surely_not_a_number(text: str) -> bool:
    """VALUE() fails on this text in any spreadsheet: it holds a letter (other than an exponent's e)
    or an ideograph. Digits and punctuation alone ("1/2", "3:00", "1e3") may be a date or a number."""
    return any(ch.isalpha() and ch not in "eE" for ch in text)


def _wan(v: Any) -> Any:
    """wan_expr(ref): a number as it is; else the first unit whose removal leaves a number, in 万元;
    BLANK where every reading surely fails; UNKNOWN where Python cannot be sure."""
    if _is_number(v):
        return float(v)
    if _empty(v):
        return BLANK  # VALUE("") fails in every branch
    if not isinstance(v, str):
        return UNKNOWN
    for unit, factor in _UNITS:
        rest = v.replace(unit, "").replace(" ", "").replace(",", "")
        if _PLAIN_NUMBER.fullmatch(rest):
            return float(rest) * factor
        if not _surely_not_a_number(rest):
            return UNKNOWN
    return BLANK


def _plan(v: Any) -> Any:
    """IF(ISNUMBER(pct), pct, VALUE(pct)) for a non-empty plan cell."""
    if _is_number(v):
        return float(v)
    return UNKNOWN  # a plan kept as text: VALUE()'s reading is the spreadsheet's business


def _known(*values: Any) -> bool:
    return all(v is not UNKNOWN for v in values)


def _year(year: Any, as_of: dt.date | None) -> int | None:
    """评估年度: =IF(ISNUMBER(year),year,IFERROR(VALUE(LEFT(ASC(year),4)),YEAR(effective)))."""
    if _is_number(year):
        return int(year) if float(year).is_integer() else None
    if isinstance(year, str) and re.fullmatch(r"[0-9]{4}", unicodedata.normalize("NFKC", year)[:4]):
        return int(unicodedata.normalize("NFKC", year)[:4])
    if isinstance(year, str) and year.strip():
        return None  # VALUE() of other text: left to the spreadsheet
    return as_of.year if as_of is not None else None


def _progress(as_of: dt.date, year: int) -> float:
    """序时进度: days elapsed ÷ days in the year, 0 before it and 1 after it (the formula's reading)."""
    if as_of.year < year:
        return 0.0
    if as_of.year > year:
        return 1.0
    return ((as_of - dt.date(year, 1, 1)).days + 1) / (366 if calendar.isleap(year) else 365)


def _month_end(label: Any, year: int) -> int | None:
    """Row 2's checkpoint date as an Excel serial: the number before 月 (after 截至/截止), month end."""
    if not isinstance(label, str):
        return None
    bare = unicodedata.normalize("NFKC", label).replace("截至", "").replace("截止", "")
    head = bare.split("月", 1)[0] if "月" in bare else None
    if head is None or not re.fullmatch(r"[0-9]{1,2}", head) or not 1 <= int(head) <= 12:
        return None
    month = int(head)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return (end - dt.date(1899, 12, 30)).days


def remember_schedule(ws: Any, columns: ProjectColumns, first: int, last: int, *, year: Any = None,
                      as_of: dt.date | None = None) -> None:
    """Record the cached values of the schedule formulas of rows ``first``..``last`` of ``ws`` (the
    项目 sheet as template_writer filled it) and of the checkpoint labels in the formula headers.
    With the 评估日期 (``as_of``) also 评估年度, 序时进度, the checkpoint dates and 与序时进度差 (without
    it those formulas read TODAY(): a cached value would be stale, so none is written)."""
    wb, sheet = ws.parent, ws.title
    n = len(columns.checkpoints)
    hr = first - 1  # the header row is right above the first project row

    def put(row: int, col: int, value: Any) -> None:
        if value is not UNKNOWN and value is not BLANK:
            remember(wb, sheet, ws.cell(row=row, column=col).coordinate, value)

    for i in range(n):
        label = ws.cell(row=hr, column=columns.plan_start + i).value
        if isinstance(label, str) and label:
            for start in (columns.actual_start, columns.cumulative_start, columns.period_start,
                          columns.exec_start, columns.gap_plan_start):
                put(hr, start + i, label)

    budget_year = _year(year, as_of) if as_of is not None else None
    progress = _progress(as_of, budget_year) if as_of is not None and budget_year is not None else None
    if budget_year is not None:
        put(1, EVAL_YEAR_CELL[1], budget_year)
        if progress is not None:
            put(1, TIME_PROGRESS_CELL[1], progress)
        for i in range(n):
            serial = _month_end(ws.cell(row=hr, column=columns.plan_start + i).value, budget_year)
            if serial is not None:
                put(2, columns.exec_start + i, serial)

    for r in range(first, last + 1):
        wan = _wan(ws.cell(row=r, column=4).value)  # 预算数, as written
        put(r, columns.budget_wan_col, wan)
        cumulative: list[Any] = []
        executed: list[Any] = []
        for i in range(n):
            pct = ws.cell(row=r, column=columns.plan_start + i).value
            plan = BLANK if _empty(pct) else _plan(pct)
            # =IF(OR($wan="",pct=""),"",IFERROR($wan*plan,""))
            if not _known(wan, plan):
                cum = UNKNOWN
            elif wan is BLANK or _empty(pct):
                cum = BLANK
            else:
                cum = wan * plan
            cumulative.append(cum)
            put(r, columns.cumulative_start + i, cum)
            # first: =cum; then =IF(OR(this="",prev=""),"",this-prev)
            if i == 0:
                period = cum
            else:
                prev = cumulative[i - 1]
                if not _known(cum, prev):
                    period = UNKNOWN
                elif cum is BLANK or prev is BLANK:
                    period = BLANK
                else:
                    period = cum - prev
            put(r, columns.period_start + i, period)
            # =IF(OR(spent="",$wan=""),"",IFERROR(wan_expr(spent)/$wan,""))
            spent = ws.cell(row=r, column=columns.actual_start + i).value
            spent_wan = BLANK if _empty(spent) else _wan(spent)
            if _empty(spent) or wan is BLANK:
                rate = BLANK
            elif not _known(wan, spent_wan):
                rate = UNKNOWN
            elif spent_wan is BLANK or wan == 0:
                rate = BLANK
            else:
                rate = spent_wan / wan
            executed.append(rate)
            put(r, columns.exec_start + i, rate)
            # =IF(OR(executed="",pct=""),"",IFERROR(executed-plan,""))
            if rate is BLANK or _empty(pct):
                gap = BLANK
            elif not _known(rate, plan):
                gap = UNKNOWN
            else:
                gap = rate - plan
            put(r, columns.gap_plan_start + i, gap)
        # 当前执行率: the rightmost execution rate that is not ""
        current = BLANK
        for rate in reversed(executed):
            if rate is BLANK:
                continue
            current = rate
            break
        put(r, columns.current_exec_col, current)
        # =IF(current="","",current-序时进度)
        if progress is not None and current is not BLANK and current is not UNKNOWN:
            put(r, columns.gap_time_col, current - progress)
