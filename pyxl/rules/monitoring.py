"""双监控 checks: actuals against targets (绩效目标实现) and spending against plan (预算执行).

Actual-vs-target verdicts come from :mod:`pyxl.core.monitoring`; spending uses the
schedule module's 序时进度.  The as-of date is the one given to validate, else
the workbook's 评估日期, else today — the same date the workbook's own formulas use.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..core.config import Config
from ..core.errors import ConfigError
from ..core.findings import Finding
from ..core.model import Department, Indicator, Location, Project, Target
from ..core.monitoring import Outcome, Verdict, assess
from ..core.schedule import checkpoint_month, parse_percent, time_progress_at
from ..core.units import format_wan, parse_amount
from . import catalog as C
from ._score_reason import score_asks_reason
from ._where import is_blank, target, text_of, where
from .registry import Context, register

__all__ = [
    "PROFILES",
    "Assessed",
    "assessments",
    "check_actuals",
    "check_spending",
    "met_cells",
    "parse_date",
    "required_progress",
    "resolve_as_of",
]

PROFILES = ("default", "fixed_lines")


# --------------------------------------------------------------------------
# Dates


_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(value: Any) -> dt.date | None:
    """A date as a cell or data file holds it: a date, "2026-10-31", "2026/10/31", "2026年10月31日"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def resolve_as_of(dept: Department, given: dt.date | None) -> dt.date:
    return given or parse_date(dept.as_of) or dt.date.today()


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _due(year: int, month: int | None, as_of: dt.date) -> bool:
    """Has the checkpoint passed at the as-of date? A checkpoint of unknown month always counts."""
    return month is None or _month_end(year, month) <= as_of


def required_progress(config: Config, year: int, as_of: dt.date) -> tuple[float, str, float]:
    """(required execution %, what it is called, points of slack) at ``as_of``, by the configured profile."""
    profile = config["monitoring.profile"]
    if profile == "default":
        if as_of.year < year:
            progress = 0.0
        elif as_of.year > year:
            progress = 100.0
        else:
            progress = time_progress_at(as_of, config["plan.time_progress"])
        return progress, "序时进度", float(config["monitoring.default.behind_time_points"])
    if profile == "fixed_lines":
        months, percents = config["monitoring.fixed_lines.months"], config["monitoring.fixed_lines.percents"]
        if len(months) != len(percents) or not all(isinstance(m, int) and 1 <= m <= 12 for m in months):
            raise ConfigError(
                "monitoring.fixed_lines 的 months 与 percents 应一一对应，月份为 1–12",
                "monitoring.fixed_lines: months and percents must pair up, months 1-12",
            )
        passed = [(m, float(p)) for m, p in zip(months, percents, strict=True) if _due(year, m, as_of)]
        if not passed:
            return 0.0, "进度线", 0.0
        month, line = max(passed, key=lambda mp: (mp[1], mp[0]))
        return line, f"{month}月底进度线", 0.0
    raise ConfigError(
        f"monitoring.profile 应为 {' 或 '.join(PROFILES)}，实际为 {profile!r}",
        f"monitoring.profile must be one of {', '.join(PROFILES)}, got {profile!r}",
    )


# --------------------------------------------------------------------------
# Actuals against targets


@dataclass(frozen=True)
class Assessed:
    """One target line (a project indicator or a 部门整体 target) with its verdict."""

    item: Indicator | Target
    project: Project | None
    name: str
    verdict: Verdict


def _parsed(value: Any, actual: Any) -> Any:
    # the rules' shared (cached) parse, and none at all while no actual is reported
    return value if is_blank(actual) else target(value)


def assessments(dept: Department, config: Config) -> Iterator[Assessed]:
    """Every target line (分项 targets, then project indicators) with the verdict of its actual."""
    tol = float(config["monitoring.near_tolerance"])
    far = float(config["monitoring.far_exceeds_ratio"])
    for t in dept.targets:
        v = assess(_parsed(t.value, t.actual), t.actual, name=t.indicator, tolerance=tol, far_ratio=far)
        yield Assessed(t, None, t.indicator or "", v)
    for p in dept.projects:
        for ind in p.indicators:
            v = assess(_parsed(ind.value, ind.actual), ind.actual, level1=ind.level1, level2=ind.level2,
                       name=ind.name, tolerance=tol, far_ratio=far)
            yield Assessed(ind, p, ind.name or "", v)


def met_cells(dept: Department, config: Config) -> list[tuple[str, str]]:
    """(sheet, cell) of every actual that meets its target: validate colours them green."""
    out = []
    for a in assessments(dept, config):
        loc = a.item.loc.get("actual")
        if a.verdict.outcome is Outcome.MET and loc is not None:
            out.append((loc.sheet, loc.cell))
    return out


def _project_label(p: Project | None) -> str | None:
    return (p.code or p.name) if p is not None else None


def _assumption(v: Verdict) -> str:
    return f"（{v.assumed}）" if v.assumed else ""


@register
def check_actuals(dept: Department, ctx: Context) -> Iterable[Finding]:
    for a in assessments(dept, ctx.config):
        v, item = a.verdict, a.item
        if not v.compared and v.outcome is not Outcome.UNPARSED:
            continue
        loc = where(item, "actual")
        common = {"loc": loc, "project": _project_label(a.project), "actual": text_of(item.actual),
                  "value": text_of(item.value)}
        if v.outcome is Outcome.UNPARSED:
            yield C.ActualUnparsed.finding(reason=v.reason, **common)
            continue
        if v.outcome is Outcome.MISSED:
            yield C.ActualMissesTarget.finding(assumption=_assumption(v), **common)
        elif v.outcome is Outcome.NEAR:
            yield C.ActualNearTarget.finding(assumption=_assumption(v), **common)
        if v.far_exceeds and v.ratio is not None:
            yield C.ActualFarExceedsTarget.finding(ratio=v.ratio * 100, **common)
        # only indicator rows carry a 偏差原因 column
        if isinstance(item, Indicator) and (v.outcome is Outcome.MISSED or v.far_exceeds):
            # a scored indicator (自评) asks for its reason through score-reason-missing: one finding
            if not (item.deviation_reason or "").strip() and not score_asks_reason(item):
                ratio = f"实际完成值为目标的 {(v.ratio or 0) * 100:.0f}%"
                state = "未达成目标" if v.outcome is Outcome.MISSED else ratio
                yield C.DeviationReasonMissing.finding(
                    loc=where(item, "deviation_reason"), project=_project_label(a.project),
                    name=a.name or text_of(item.value), state=state,
                )


# --------------------------------------------------------------------------
# Spending against plan and time


@dataclass(frozen=True)
class _Spent:
    label: str
    month: int | None
    wan: float
    loc: Location | None


def _spent(p: Project) -> tuple[list[_Spent], list[Finding]]:
    points, bad = [], []
    for label, raw in p.spend_actual.items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        loc = p.loc.get(f"spend_actual.{label}") or p.loc.get("row")
        amount = parse_amount(raw)
        if amount is None:
            bad.append(C.AmountUnparsed.finding(loc=loc, project=_project_label(p),
                                                what=f"{label}累计实际支出", value=text_of(raw)))
            continue
        points.append(_Spent(label, checkpoint_month(label), amount.wan, loc))
    return points, bad


def _latest(points: list[_Spent]) -> _Spent:
    """The latest cumulative actual: greatest month; written order when months are unknown."""
    known = [pt for pt in points if pt.month is not None]
    return max(known, key=lambda pt: pt.month or 0) if known else points[-1]


@register
def check_spending(dept: Department, ctx: Context) -> Iterable[Finding]:
    if not any(p.spend_actual for p in dept.projects):
        return
    as_of = resolve_as_of(dept, ctx.as_of)
    year = dept.year or as_of.year
    cfg = ctx.config
    required, line, slack = required_progress(cfg, year, as_of)
    behind_plan = float(cfg["monitoring.behind_plan_points"])
    tolerance = float(cfg["amounts.tolerance"])
    for p in dept.projects:
        points, bad = _spent(p)
        yield from bad
        budget = parse_amount(p.budget)
        if not points or budget is None or budget.wan <= 0:
            continue
        label = _project_label(p)
        plan = {k: parse_percent(v) for k, v in p.spend_plan.items()}
        for pt in points:
            if pt.wan > budget.wan * (1 + tolerance):
                yield C.SpendOverBudget.finding(loc=pt.loc, project=label, checkpoint=pt.label,
                                                actual=format_wan(pt.wan), budget=format_wan(budget.wan))
            planned = plan.get(pt.label)
            executed = pt.wan / budget.wan * 100
            behind = planned is not None and planned - executed > behind_plan + 1e-9
            if behind and _due(year, pt.month, as_of):
                yield C.SpendBehindPlan.finding(loc=pt.loc, project=label, checkpoint=pt.label,
                                                actual_wan=format_wan(pt.wan), actual=executed,
                                                planned=planned)
        latest = _latest(points)
        executed = latest.wan / budget.wan * 100
        if required - executed > slack + 1e-9:
            yield C.SpendBehindTime.finding(loc=latest.loc, project=label, as_of=as_of.isoformat(),
                                            actual=executed, line=line, required=required)
