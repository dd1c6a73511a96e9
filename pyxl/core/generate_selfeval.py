"""Year-end (自评) data for synthetic departments: weights, actuals met and missed, budget execution.

Deterministic for a seed. Weights follow the default 一级 points of ``[selfeval]`` (成本指标 shares
产出指标's points, 效果指标 is 效益指标), split evenly in whole points; actuals meet or miss each
target by its operator (≥, ≤, =, ranges; 定性 达成/部分达成/未达成). 定量 得分 are left to the
workbook's formulas (nothing reported), 定性 得分 are the department's pick at the top of the band.
"""

from __future__ import annotations

import random

from .framework import DEVIATION_REASONS
from .grammar import Kind, Op, parse_target
from .model import Department, Indicator, Project, SelfEval
from .scoring import SelfEvalRules, indicator_score
from .units import format_number, parse_amount

__all__ = ["add_year_end", "distribute_weights", "group_of"]

_GROUP_ALIASES = {"成本指标": "产出指标", "效果指标": "效益指标"}


def group_of(level1: str | None, rules: SelfEvalRules) -> str:
    """The 一级 whose default points an indicator shares."""
    name = _GROUP_ALIASES.get(level1 or "", level1 or "")
    return name if name in rules.level1_weights else next(iter(rules.level1_weights))


def distribute_weights(project: Project, rules: SelfEvalRules) -> None:
    """Whole-point weights adding up, with the 执行率 分值, to ``rules.total_points``."""
    groups: dict[str, list[Indicator]] = {}
    for ind in project.indicators:
        groups.setdefault(group_of(ind.level1, rules), []).append(ind)
    if not groups:
        return
    points = {g: rules.level1_weights[g] for g in groups}
    spare = rules.total_points - rules.rate_weight - sum(points.values())
    biggest = max(groups, key=lambda g: len(groups[g]))
    points[biggest] += spare  # a 一级 without indicators gives its points to the largest
    for g, members in groups.items():
        base, extra = divmod(int(points[g]), len(members))
        for i, ind in enumerate(members):
            ind.weight = base + (1 if i < extra else 0)


def _actual(value: object, met: bool, rng: random.Random) -> str | None:
    tv = parse_target(value)
    if tv.kind is Kind.QUALITATIVE:
        return "达成" if met else rng.choice(("部分达成", "未达成"))
    if tv.kind is not Kind.QUANTITATIVE or tv.number is None:
        return None
    n, unit = tv.number, tv.unit or ""
    op = tv.op or Op.GE
    if op is Op.RANGE:
        hi = tv.upper if tv.upper is not None else n
        x = (n + hi) / 2 if met else rng.choice((n * 0.9, hi * 1.1))
    elif op in (Op.LE, Op.LT):
        x = n * 0.8 if met else n * 1.25
    elif op is Op.EQ:
        x = n if met else n * 0.9
    else:
        x = n * 1.05 if met else n * 0.8
    return f"{format_number(round(x, 2))}{unit}"


def add_year_end(dept: Department, *, seed: int = 0, rules: SelfEvalRules | None = None,
                 miss_share: float = 0.35) -> Department:
    """Fill ``dept`` in place with 自评 data and return it."""
    rules = rules or SelfEvalRules()
    rng = random.Random(seed)
    for p in dept.projects:
        distribute_weights(p, rules)
        for ind in p.indicators:
            met = rng.random() >= miss_share
            ind.actual = _actual(ind.value, met, rng)
            s = indicator_score(ind, rules)
            if s.kind == "定性" and s.band is not None:
                ind.score = s.band[1]
            score = s.computed if s.kind == "定量" else ind.score
            if score is not None and s.weight is not None and score < s.weight:
                ind.deviation_reason = rng.choice(DEVIATION_REASONS)
        budget = parse_amount(p.budget)
        wan = budget.wan if budget is not None else 10.0
        share = rng.choice((1.0, 1.0, 0.98, 0.93, 0.85, 0.6))
        p.selfeval = SelfEval(initial_budget=round(wan, 4), annual_budget=round(wan, 4),
                              executed=round(wan * share, 4), goal_actual="年度目标基本完成。")
    return dept
