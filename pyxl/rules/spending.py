"""Spending plan checks (资金支出计划): present, within 0–100%, cumulative, 100% at the end,
and not far behind 序时进度."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

from ..core.errors import ConfigError
from ..core.findings import Finding, Severity
from ..core.model import Department, Project
from ..core.schedule import TIME_PROGRESS_MODES, PlanPoint, plan_points, time_progress
from ..core.units import format_number
from ._where import absent_from_layout, is_blank, text_of, where
from .catalog import PlanBehindTime, PlanDecreasing, PlanIncomplete, PlanMissing, PlanPercentRange
from .registry import Context, register

__all__ = ["check_spend_plan"]


def _pct(x: float) -> str:
    return f"{format_number(x)}%"


def _in_order(points: list[PlanPoint]) -> list[PlanPoint]:
    """Points by month when every month is known, else as written."""
    if all(pt.month is not None for pt in points):
        return sorted(points, key=lambda pt: pt.month or 0)
    return points


def _at(p: Project, i: int, pt: PlanPoint) -> dict[str, object]:
    return {
        "loc": where(p, f"spend_plan.{pt.label}"),
        "project": p.label,
        "path": f"projects[{i}].spend_plan.{pt.label}",
    }


@register
def check_spend_plan(dept: Department, ctx: Context) -> Iterator[Finding]:
    behind = float(ctx.config["plan.behind_time_points"])
    mode = ctx.config["plan.time_progress"]
    if mode not in TIME_PROGRESS_MODES:
        raise ConfigError(
            f"配置项 plan.time_progress 应为 {' 或 '.join(TIME_PROGRESS_MODES)}，实际为 {mode!r}",
            f"config key plan.time_progress must be one of {', '.join(TIME_PROGRESS_MODES)}, got {mode!r}",
        )
    absent = absent_from_layout(dept, ctx.config, "spend_plan")
    if absent and dept.projects:
        # once: the form has no 资金支出计划 section at all
        yield replace(PlanMissing.finding(severity=Severity.INFO), message="表中没有“资金支出计划”栏目，各项目均无资金支出计划")
    for i, p in enumerate(dept.projects):
        points = [pt for pt in plan_points(p) if not is_blank(pt.raw)]
        if not points:
            if absent:
                continue
            yield PlanMissing.finding(
                loc=where(p, "spend_plan"), project=p.label, path=f"projects[{i}].spend_plan"
            )
            continue

        valid: list[PlanPoint] = []
        for pt in points:
            problem = None
            if pt.percent is None:
                problem = "无法识别为百分比"
            elif pt.percent < 0:
                problem = "小于 0%"
            elif pt.percent > 100:
                problem = "超过 100%"
            if problem:
                yield PlanPercentRange.finding(
                    **_at(p, i, pt), checkpoint=pt.label, value=text_of(pt.raw), problem=problem
                )
            else:
                valid.append(pt)

        for prev, cur in pairwise(_in_order(valid)):
            assert prev.percent is not None and cur.percent is not None
            if cur.percent < prev.percent:
                yield PlanDecreasing.finding(
                    **_at(p, i, cur),
                    checkpoint=cur.label,
                    value=_pct(cur.percent),
                    previous=prev.label,
                    previous_value=_pct(prev.percent),
                )

        # the last checkpoint of the plan, unless it was already reported as out of range
        last = _in_order(points)[-1]
        if last in valid and abs((last.percent or 0) - 100) > 1e-9:
            yield PlanIncomplete.finding(**_at(p, i, last), checkpoint=last.label, value=text_of(last.raw))

        for pt in valid:
            if pt.month is None or pt.percent is None:
                continue
            progress = time_progress(pt.month, ctx.year, mode)
            gap = progress - pt.percent
            if gap > behind:
                yield PlanBehindTime.finding(
                    **_at(p, i, pt), checkpoint=pt.label, planned=pt.percent, progress=progress, gap=gap
                )
