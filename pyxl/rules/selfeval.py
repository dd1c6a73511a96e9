"""自评 checks: weights, 得分, 执行率, 总分 and 等级 against what :mod:`pyxl.core.scoring` computes.

A project is checked only once it is in 自评: it has a ``selfeval`` part or a reported 得分. A
申报 workbook that merely states 分值/权重 is not held to the 100-point sum here.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.findings import Finding
from ..core.model import Department, Project
from ..core.scoring import ProjectScore, SelfEvalRules, grade_of, project_score
from ..core.units import format_wan, parse_amount
from . import catalog as C
from ._score_reason import score_asks_reason
from ._where import text_of, where
from .registry import Context, register

__all__ = ["check_selfeval", "in_selfeval", "rules_of"]

_EPS = 1e-9


def rules_of(ctx: Context) -> SelfEvalRules:
    return SelfEvalRules.from_mapping(ctx.config.get("selfeval"))


def in_selfeval(p: Project) -> bool:
    return p.selfeval is not None or any(i.score is not None for i in p.indicators)


def _name(ind: object) -> str:
    return getattr(ind, "name", None) or getattr(ind, "description", None) or text_of(getattr(ind, "value", None))


@register
def check_selfeval(dept: Department, ctx: Context) -> Iterator[Finding]:
    rules = rules_of(ctx)
    for p in dept.projects:
        if in_selfeval(p):
            yield from _project(p, project_score(p, rules), rules)


def _project(p: Project, ps: ProjectScore, rules: SelfEvalRules) -> Iterator[Finding]:
    label = p.label
    se = p.selfeval
    if any(s.weight is not None for s in ps.indicators) and abs(ps.weight_sum - rules.total_points) > _EPS:
        loc = where(se, "rate_weight") if se is not None and "rate_weight" in se.loc else where(p, "row")
        yield C.WeightSum.finding(loc=loc, project=label, indicators=ps.indicator_weight_sum,
                                  rate=ps.rate_weight, total=ps.weight_sum, expected=rules.total_points)
    tol = rules.score_tolerance
    for ind, s in zip(p.indicators, ps.indicators, strict=True):
        if s.reported is None or s.weight is None:
            continue
        common = {"loc": where(ind, "score"), "project": label, "name": _name(ind), "score": s.reported}
        if s.reported > s.weight + _EPS:
            yield C.ScoreOverWeight.finding(weight=s.weight, **common)
        elif s.kind == "定量" and s.computed is not None and abs(s.reported - s.computed) > tol + _EPS:
            yield C.ScoreMismatch.finding(expected=f"按完成情况应为 {s.computed:g}", **common)
        elif s.band is not None and not (s.band[0] - tol - _EPS <= s.reported <= s.band[1] + tol + _EPS):
            yield C.ScoreMismatch.finding(
                expected=f"定性“{s.light}”的分数区间为 {s.band[0]:g}–{s.band[1]:g}", **common)
        if score_asks_reason(ind):
            yield C.ScoreReasonMissing.finding(weight=s.weight, **{**common, "loc": where(ind, "deviation_reason")})
    if se is None:
        return
    if ps.rate_score_reported is not None:
        if ps.rate_score_reported > ps.rate_weight + _EPS:
            yield C.ScoreOverWeight.finding(loc=where(se, "rate_score"), project=label, name="预算执行率",
                                            score=ps.rate_score_reported, weight=ps.rate_weight)
        elif ps.rate_score is not None and abs(ps.rate_score_reported - ps.rate_score) > tol + _EPS:
            yield C.ScoreMismatch.finding(loc=where(se, "rate_score"), project=label, name="预算执行率",
                                          score=ps.rate_score_reported,
                                          expected=f"按执行率应为 {ps.rate_score:g}")
    if ps.rate is not None and ps.rate_reported is not None:
        if abs(ps.rate_reported - ps.rate) * 100 > rules.rate_tolerance_points + _EPS:
            yield C.ExecutionRateMismatch.finding(
                loc=where(se, "rate"), project=label, rate=round(ps.rate_reported * 100, 4),
                executed=_amount(se.executed), budget=_amount(se.annual_budget), expected=ps.rate * 100)
    if ps.total_reported is not None and abs(ps.total_reported - ps.total) > tol + _EPS:
        yield C.TotalMismatch.finding(loc=where(se, "total"), project=label, total=ps.total_reported,
                                      expected=ps.total)
    if ps.grade_reported is not None:
        basis = ps.total_reported if ps.total_reported is not None else ps.total
        expected = grade_of(basis, rules)
        if ps.grade_reported != expected:
            yield C.GradeMismatch.finding(loc=where(se, "grade"), project=label, total=basis,
                                          expected=expected, grade=ps.grade_reported)


def _amount(value: object) -> str:
    amount = parse_amount(value)
    return f"{format_wan(amount.wan)} 万元" if amount is not None else text_of(value)
