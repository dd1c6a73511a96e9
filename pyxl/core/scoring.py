"""自评 scoring (财预〔2020〕10号), the pure part: what each 得分, the 执行率, the 总分 and the 等级 should be.

- 定量 indicator: target met → the full weight; missed → weight × completion, where completion is
  actual ÷ target for higher-is-better (≥, >), target ÷ actual for lower-is-better (≤, <), the
  smaller over the larger for "=", and the nearer bound for a range; never above the weight, never
  below 0. The boundary itself counts as met (a ">90%" actual of exactly 90% scores the weight), as
  the workbook formula does.
- 定性 indicator: the department picks the score within the band of its light (达成 80–100 %,
  部分达成 60–80 %, 未达成 0–60 % of the weight); nothing is computed, the band is checked.
- 执行率 = 全年执行数 ÷ 全年预算数; its 得分 = 分值 × 执行率, at most the 分值.
- 总分 = the indicators' 得分 (as they stand: reported where reported, else computed) + the 执行率 得分;
  等级 by the lowest 总分 of each grade.

Scores are rounded to 2 decimals half away from zero, as Excel's ROUND does, so the template's
formulas and this module give the same figures. Thresholds come from ``[selfeval]`` in rules.toml
as a plain mapping (:meth:`SelfEvalRules.from_mapping`). No openpyxl, no pandas: runs in Pyodide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .grammar import Kind, Op, TargetValue, assumed_op, parse_target
from .model import Indicator, Project, SelfEval
from .monitoring import grade_light, to_common_unit
from .schedule import parse_percent
from .units import normalize_text, parse_amount

__all__ = [
    "IndicatorScore",
    "ProjectScore",
    "SelfEvalRules",
    "completion",
    "grade_of",
    "indicator_score",
    "number_of",
    "project_score",
    "rate_score",
    "round_score",
]


@dataclass(frozen=True)
class SelfEvalRules:
    rate_weight: float = 10.0
    total_points: float = 100.0
    score_tolerance: float = 0.5
    rate_tolerance_points: float = 0.5
    # light → (low, high) share of the weight, in percent
    bands: dict[str, tuple[float, float]] = field(
        default_factory=lambda: {"达成": (80.0, 100.0), "部分达成": (60.0, 80.0), "未达成": (0.0, 60.0)}
    )
    # (grade, lowest 总分), best first
    grades: tuple[tuple[str, float], ...] = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0))
    level1_weights: dict[str, float] = field(
        default_factory=lambda: {"产出指标": 50.0, "效益指标": 30.0, "满意度指标": 10.0}
    )

    @classmethod
    def from_mapping(cls, section: dict[str, Any]) -> SelfEvalRules:
        """From the ``[selfeval]`` table of the config (``Config.get("selfeval")``)."""
        grades = sorted(((str(k), float(v)) for k, v in section["grades"].items()), key=lambda g: -g[1])
        return cls(
            rate_weight=float(section["rate_weight"]),
            total_points=float(section["total_points"]),
            score_tolerance=float(section["score_tolerance"]),
            rate_tolerance_points=float(section["rate_tolerance_points"]),
            bands={str(k): (float(v[0]), float(v[1])) for k, v in section["bands"].items()},
            grades=tuple(grades),
            level1_weights={str(k): float(v) for k, v in section["level1_weights"].items()},
        )


def round_score(x: float) -> float:
    """2 decimals, half away from zero (Excel's ROUND), from the float's shortest decimal form."""
    d = Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(d)


def number_of(value: object) -> float | None:
    """A weight or a score as written: 10, 10.0, "10", "10分", "１０". None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        x = float(value)
        return x if math.isfinite(x) else None
    if not isinstance(value, str):
        return None
    text = normalize_text(value).replace(" ", "").removesuffix("分")
    if not text:
        return None
    try:
        x = float(Decimal(text))
    except (InvalidOperation, ValueError):
        return None
    return x if math.isfinite(x) else None


def grade_of(total: float, rules: SelfEvalRules) -> str:
    for grade, low in rules.grades:
        if total >= low:
            return grade
    return rules.grades[-1][0]


_parse_cached = lru_cache(maxsize=16384, typed=True)(parse_target)


def _parse(value: object) -> TargetValue:
    # a department repeats the same 指标值 and 实际完成值 many times; TargetValue is immutable
    try:
        return _parse_cached(value)
    except TypeError:  # unhashable: not a cell value
        return parse_target(value)


def _exact(x: float) -> Fraction:
    return Fraction(repr(float(x)))


def completion(op: Op, target: float, actual: float, upper: float | None = None) -> float:
    """Share of the target achieved, 0..1 (1 = met), for one comparison in one unit.

    The same arithmetic as the template's 完成度 helper formula, in floats as Excel's: decimal → float is
    monotonic, so comparing the floats compares the decimals typed (short of 16 significant digits).
    """
    t, a = target, actual
    if op in (Op.GE, Op.GT):
        if a >= t:
            return 1.0
        return max(0.0, actual / target) if t > 0 else 0.0
    if op in (Op.LE, Op.LT):
        if a <= t:
            return 1.0
        return max(0.0, target / actual) if a > 0 else 0.0
    if op is Op.EQ:
        if a == t:
            return 1.0
        return min(actual, target) / max(actual, target) if a > 0 and t > 0 else 0.0
    if op is Op.RANGE:
        hi = upper if upper is not None else target
        if a < t:
            return max(0.0, actual / target) if t > 0 else 0.0
        if a > hi:
            return max(0.0, hi / actual) if a > 0 else 0.0
        return 1.0
    raise ValueError(op)  # pragma: no cover - Op is closed


@dataclass(frozen=True)
class IndicatorScore:
    """The computed side of one indicator's 得分."""

    weight: float | None
    reported: float | None  # 得分 as written
    kind: str  # "定量", "定性" or "" (no weight, no target, or no actual to score)
    computed: float | None = None  # 定量 only
    completion: float | None = None
    light: str | None = None  # 定性: 达成 / 部分达成 / 未达成
    band: tuple[float, float] | None = None  # 定性: (low, high) in points
    why: str = ""  # why nothing could be computed, in Chinese

    @property
    def standing(self) -> float | None:
        """The 得分 that counts in the 总分: reported where reported, else computed."""
        return self.reported if self.reported is not None else self.computed


def _actual_in_target_unit(tv: TargetValue, av: TargetValue) -> float | None:
    if av.kind is not Kind.QUANTITATIVE or av.number is None or av.op not in (None, Op.EQ):
        return None
    factors = to_common_unit(tv.unit, av.unit)
    if factors is None:
        return None
    ft, fa = factors
    if ft == fa:
        return av.number
    return float(_exact(av.number) * fa / ft)


def indicator_score(ind: Indicator, rules: SelfEvalRules) -> IndicatorScore:
    weight = number_of(ind.weight)
    reported = number_of(ind.score)
    if weight is None:
        return IndicatorScore(weight, reported, "", why="未填写分值")
    tv = _parse(ind.value)
    if ind.actual is None or (isinstance(ind.actual, str) and not ind.actual.strip()):
        return IndicatorScore(weight, reported, "", why="未填写实际完成值")
    if tv.kind is Kind.QUALITATIVE:
        light = grade_light(tv.grade or tv.raw, str(ind.actual))
        if light is None:
            return IndicatorScore(weight, reported, "定性", why="实际完成值不是可判定的等级（达成/部分达成/未达成）")
        low, high = rules.bands[str(light)]
        return IndicatorScore(weight, reported, "定性", light=str(light),
                              band=(round_score(weight * low / 100), round_score(weight * high / 100)))
    if tv.kind is not Kind.QUANTITATIVE or tv.number is None:
        return IndicatorScore(weight, reported, "", why="指标值不是可计分的数值或等级")
    actual = _actual_in_target_unit(tv, _parse(ind.actual))
    if actual is None:
        return IndicatorScore(weight, reported, "定量", why="实际完成值不是与指标值同单位的数值")
    if tv.op is Op.RANGE:
        op: Op = Op.RANGE
    else:
        op, _ = assumed_op(tv, level1=ind.level1 or "", level2=ind.level2 or "", name=ind.name or "")
    share = completion(op, tv.number, actual, tv.upper)
    score = min(weight, max(0.0, round_score(weight * share)))
    return IndicatorScore(weight, reported, "定量", computed=score, completion=share)


def rate_score(rate: float | None, weight: float) -> float | None:
    """执行率 得分: weight × rate (rate a fraction), capped at the weight; None without a rate."""
    if rate is None:
        return None
    return round_score(weight * min(1.0, max(0.0, rate)))


def _wan(value: object) -> float | None:
    amount = parse_amount(value)
    return amount.wan if amount is not None else None


@dataclass(frozen=True)
class ProjectScore:
    indicators: list[IndicatorScore]
    rate_weight: float
    indicator_weight_sum: float
    weight_sum: float  # indicators + 执行率
    rate: float | None  # computed 执行率 (fraction), None without budget or execution
    rate_reported: float | None  # fraction
    rate_score: float | None  # computed
    rate_score_reported: float | None
    score_sum: float  # the indicators' standing 得分
    total: float  # computed 总分: standing indicator 得分 + standing 执行率 得分
    grade: str  # of the computed 总分
    total_reported: float | None
    grade_reported: str | None

    @property
    def rate_standing(self) -> float | None:
        return self.rate_score_reported if self.rate_score_reported is not None else self.rate_score


def project_score(project: Project, rules: SelfEvalRules) -> ProjectScore:
    se = project.selfeval or SelfEval()
    scores = [indicator_score(i, rules) for i in project.indicators]
    rate_weight = number_of(se.rate_weight)
    if rate_weight is None:
        rate_weight = rules.rate_weight
    budget, executed = _wan(se.annual_budget), _wan(se.executed)
    rate = executed / budget if budget and executed is not None else None
    reported_points = parse_percent(se.rate)
    rs = rate_score(rate, rate_weight)
    rs_reported = number_of(se.rate_score)
    score_sum = round_score(sum(s.standing or 0.0 for s in scores))
    standing_rate = rs_reported if rs_reported is not None else rs
    total = round_score(score_sum + (standing_rate or 0.0))
    grade_text = se.grade.strip() if isinstance(se.grade, str) and se.grade.strip() else None
    return ProjectScore(
        indicators=scores,
        rate_weight=rate_weight,
        indicator_weight_sum=round_score(sum(s.weight or 0.0 for s in scores)),
        weight_sum=round_score(rate_weight + sum(s.weight or 0.0 for s in scores)),
        rate=rate,
        rate_reported=reported_points / 100 if reported_points is not None else None,
        rate_score=rs,
        rate_score_reported=rs_reported,
        score_sum=score_sum,
        total=total,
        grade=grade_of(total, rules),
        total_reported=number_of(se.total),
        grade_reported=grade_text,
    )
