"""date-order: 计划开始日期 after 计划完成日期, or an annual project's dates outside the budget year.

Dates are read as written: "2026-03-01", "2026/3/1", "2026年3月1日", a month ("2026-03", "202603",
"2026年3月") or a year ("2026年"); a month or a year stands for its whole span, so "2026年3月"
to "2026年3月" is in order. A project is annual unless its 项目性质/类别 holds a word of
``dates.multi_year_words`` or its 项目资金总额 exceeds the year's 预算数. The year is checked only
where the department states its budget year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ..core.findings import Finding
from ..core.model import Department, Project
from ..core.units import normalize_text, parse_amount
from ._where import is_blank, squash, text_of, where
from .catalog import DateOrder
from .registry import Context, register

__all__ = ["check_dates", "date_span", "is_annual"]

_DAY_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_MONTH_RE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})月?|(\d{2}))")
_YEAR_RE = re.compile(r"(\d{4})年?(?:度)?")


def date_span(value: Any) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) a written date stands for; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date(), value.date()
    if isinstance(value, dt.date):
        return value, value
    if not isinstance(value, str):
        return None
    text = normalize_text(value).strip()
    try:
        if m := _DAY_RE.fullmatch(text):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _MONTH_RE.fullmatch(text):
            year, month = int(m[1]), int(m[2] or m[3])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        if m := _YEAR_RE.fullmatch(text):
            year = int(m[1])
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:  # 2026-02-30, month 13
        return None
    return None


def is_annual(p: Project, multi_year_words: tuple[str, ...]) -> bool:
    text = squash(p.nature) + squash(p.category)
    if any(w and w in text for w in multi_year_words):
        return False
    total, budget = parse_amount(p.total_budget), parse_amount(p.budget)
    return not (total is not None and budget is not None and total.wan > budget.wan * (1 + 1e-9))


@register
def check_dates(dept: Department, ctx: Context) -> Iterator[Finding]:
    words = tuple(squash(w) for w in ctx.config["dates.multi_year_words"])
    for i, p in enumerate(dept.projects):
        if is_blank(p.start) and is_blank(p.end):
            continue
        start, end = date_span(p.start), date_span(p.end)
        base = f"projects[{i}]"
        if start and end and start[0] > end[1]:
            yield DateOrder.finding(
                loc=where(p, "start"), project=p.label, path=f"{base}.start",
                problem=f"计划开始日期“{text_of(p.start)}”晚于计划完成日期“{text_of(p.end)}”",
                fix="请核对两个日期，开始日期应不晚于完成日期。")
            continue
        if dept.year is None or not is_annual(p, words):
            continue
        year = dept.year
        for key, span, label in (("start", start, "计划开始日期"), ("end", end, "计划完成日期")):
            if span is None or (span[0].year == year and span[1].year == year):
                continue
            yield DateOrder.finding(
                loc=where(p, key), project=p.label, path=f"{base}.{key}",
                problem=f"{label}“{text_of(getattr(p, key))}”不在预算年度 {year} 年内",
                fix=f"年度项目的实施期应在 {year} 年内；跨年度项目请在项目性质中注明（如“延续性项目”）"
                    "并填写项目资金总额。")
