"""The spending schedule (资金支出计划): checkpoints, cumulative %, amounts, 序时进度.

Pure Python. The workbook carries the same arithmetic as formulas (cumulative
planned amount = budget × %, amount per period = difference of cumulatives), so
the numbers here and there agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .units import parse_amount

__all__ = [
    "TIME_PROGRESS_MODES",
    "PlanPoint",
    "ScheduleRow",
    "checkpoint_month",
    "parse_percent",
    "plan_points",
    "schedule",
    "time_progress",
    "time_progress_at",
]

TIME_PROGRESS_MODES = ("days", "months")

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_MONTH_RE = re.compile(r"(?:截至|截止|至|到)?(\d{1,2})月(?:份)?(?:底|末|止|\d{1,2}日)?(?:止|前)?")
_QUARTER_RE = re.compile(r"(?:第)?([一二三四1-4])季度?(?:末|底|止)?")
_Q_RE = re.compile(r"Q([1-4])", re.IGNORECASE)
_NAMED = {
    "上半年": 6,
    "上半年末": 6,
    "上半年底": 6,
    "半年": 6,
    "年中": 6,
    "前三季度": 9,
    "前三季度末": 9,
    "年底": 12,
    "年末": 12,
    "全年": 12,
}


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def checkpoint_month(label: str) -> int | None:
    """The month a checkpoint label stands for: "3月底" → 3, "第二季度末" → 6, "Q4" → 12."""
    if not isinstance(label, str):
        return None
    s = _squash(label)
    if not s:
        return None
    m = _MONTH_RE.fullmatch(s)
    if m:
        month = int(m.group(1))
        return month if 1 <= month <= 12 else None
    m = _QUARTER_RE.fullmatch(s)
    if m:
        return _CN_DIGITS[m.group(1)] * 3
    m = _Q_RE.fullmatch(s)
    if m:
        return int(m.group(1)) * 3
    return _NAMED.get(s)


_PERCENT_RE = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))%?")


def parse_percent(value: object) -> float | None:
    """Percent points from a plan cell: "25%", "２５％", "25" and 25 all give 25.0. Never raises."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        x = float(value)
        return x if math.isfinite(x) else None
    if not isinstance(value, str):
        return None
    s = _squash(value).replace(",", "")
    m = _PERCENT_RE.fullmatch(s)
    if not m:
        return None
    try:
        x = float(m.group(1))
    except ValueError:  # pragma: no cover - the pattern only admits numbers
        return None
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class PlanPoint:
    label: str  # the checkpoint as written, e.g. "3月底"
    month: int | None  # the month it stands for, None if not recognised
    percent: float | None  # cumulative planned %, None if empty or not a percentage
    raw: object  # the value as written


def plan_points(project: Any) -> list[PlanPoint]:
    """The project's spending plan, in the order written."""
    plan = getattr(project, "spend_plan", None) or {}
    return [
        PlanPoint(str(label), checkpoint_month(str(label)), parse_percent(raw), raw)
        for label, raw in plan.items()
    ]


def _days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def time_progress(month: int, year: int, mode: str = "days") -> float:
    """序时进度 in % at the end of ``month``: days elapsed ÷ days in year, or month ÷ 12."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    if mode == "months":
        return month / 12 * 100
    if mode != "days":
        raise ValueError(f"time progress mode must be one of {TIME_PROGRESS_MODES}, got {mode!r}")
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last.timetuple().tm_yday / _days_in_year(year) * 100


def time_progress_at(date: dt.date, mode: str = "days") -> float:
    """序时进度 in % at the end of ``date`` (in "months" mode, the month's days count pro rata)."""
    if mode == "months":
        days_in_month = calendar.monthrange(date.year, date.month)[1]
        return (date.month - 1 + date.day / days_in_month) / 12 * 100
    if mode != "days":
        raise ValueError(f"time progress mode must be one of {TIME_PROGRESS_MODES}, got {mode!r}")
    return date.timetuple().tm_yday / _days_in_year(date.year) * 100


@dataclass(frozen=True)
class ScheduleRow:
    label: str
    month: int | None
    percent: float | None
    cumulative_wan: float | None  # cumulative planned amount, 万元
    period_wan: float | None  # planned in this period (since the previous checkpoint), 万元


def schedule(project: Any) -> list[ScheduleRow]:
    """Planned amounts per checkpoint, in the order written: budget (万元) × cumulative %."""
    amount = parse_amount(getattr(project, "budget", None))
    budget_wan = amount.wan if amount is not None else None
    rows: list[ScheduleRow] = []
    previous: float | None = None
    for i, point in enumerate(plan_points(project)):
        cumulative = None
        if budget_wan is not None and point.percent is not None:
            cumulative = budget_wan * point.percent / 100
        if cumulative is None:
            period = None
        elif i == 0:
            period = cumulative
        else:
            period = cumulative - previous if previous is not None else None
        rows.append(ScheduleRow(point.label, point.month, point.percent, cumulative, period))
        previous = cumulative
    return rows
