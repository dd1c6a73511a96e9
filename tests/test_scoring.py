"""自评 scoring (pyxl.core.scoring): 定量 met/missed for every operator, 定性 bands, 执行率, 总分, 等级."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyxl.core.config import load_config
from pyxl.core.grammar import Op
from pyxl.core.model import Indicator, Project, SelfEval
from pyxl.core.scoring import (
    SelfEvalRules,
    completion,
    grade_of,
    indicator_score,
    number_of,
    project_score,
    round_score,
)

RULES = SelfEvalRules.from_mapping(load_config().get("selfeval"))


def score(value: object, actual: object, weight: object = 10, **kw: str) -> float | None:
    return indicator_score(Indicator(name=kw.get("name", "指标"), level1=kw.get("level1", "产出指标"),
                                     level2=kw.get("level2", "数量指标"), value=value, actual=actual,
                                     weight=weight), RULES).computed


def test_defaults_from_config() -> None:
    assert RULES.rate_weight == 10 and RULES.total_points == 100
    assert RULES.grades == (("优", 90), ("良", 80), ("中", 60), ("差", 0))
    assert RULES.bands["部分达成"] == (60, 80)


@pytest.mark.parametrize(("value", "actual", "expected"), [
    ("≥100件", "120件", 10), ("≥100件", "80件", 8), ("≥100件", 0, 0), ("100件以上", "100件", 10),
    ("≤5天", "4天", 10), ("≤5天", "10天", 5), ("≤3万元", "40000元", 7.5),   # 3 ÷ 4 万元
    ("=100%", "100%", 10), ("=100%", "90%", 9), ("=10人", "12人", 8.33),
    ("90%-95%", "92%", 10), ("90%-95%", "81%", 9), ("90%-95%", "100%", 9.5),
    ("14人", "7人", 5),                                   # no operator: ≥ assumed
    ("≥95%", "96.5%", 10), (">90%", "90%", 10),           # the boundary counts as met
    ("≥95%", "达成", None), ("以实际为准", "3次", None),
])
def test_quantitative(value: str, actual: object, expected: float | None) -> None:
    assert score(value, actual) == expected


def test_cost_without_operator_is_lower_is_better() -> None:
    assert score("5万元", "6万元", level1="成本指标", level2="经济成本指标", name="设备购置成本") == 8.33


def test_qualitative_bands() -> None:
    met = indicator_score(Indicator(value="达成年度指标", actual="达成", weight=10, score=9), RULES)
    assert (met.kind, met.light, met.band, met.computed, met.standing) == ("定性", "达成", (8, 10), None, 9)
    part = indicator_score(Indicator(value="达成年度指标", actual="基本达成", weight=5), RULES)
    assert part.band == (3, 4)
    miss = indicator_score(Indicator(value="优", actual="差", weight=10), RULES)
    assert miss.band == (0, 6)


def test_number_of() -> None:
    assert [number_of(x) for x in (10, "12分", " 7.5 ", "１０", "", "十", True, None)] == [
        10, 12, 7.5, 10, None, None, None, None]


def test_round_half_away_from_zero() -> None:
    assert round_score(8.325) == 8.33 and round_score(2.675) == 2.68 and round_score(0.125) == 0.13


def test_project_total_and_grade() -> None:
    p = Project(code="P1", indicators=[
        Indicator(value="≥100件", actual="80件", weight=50),            # 40
        Indicator(value="达成年度指标", actual="达成", weight=30, score=27),  # reported, in band
        Indicator(value="≥90%", actual="95%", weight=10),              # 10
    ], selfeval=SelfEval(annual_budget="100", executed="95万元", rate="95%"))
    ps = project_score(p, RULES)
    assert ps.rate == pytest.approx(0.95) and ps.rate_score == 9.5 and ps.rate_reported == pytest.approx(0.95)
    assert ps.weight_sum == 100 and ps.score_sum == 77 and ps.total == 86.5 and ps.grade == "良"


@pytest.mark.parametrize(("total", "grade"), [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.5, "中"),
                                              (60, "中"), (59.99, "差"), (0, "差")])
def test_grades(total: float, grade: str) -> None:
    assert grade_of(total, RULES) == grade


def test_rate_score_capped() -> None:
    p = Project(selfeval=SelfEval(annual_budget=100, executed=120))
    assert project_score(p, RULES).rate_score == 10


# ---------------------------------------------------------------- property

OPS = {"≥": Op.GE, "≤": Op.LE, "=": Op.EQ, ">": Op.GT, "<": Op.LT}
numbers = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=0, max_value=60, places=1, allow_nan=False, allow_infinity=False)
rows = st.tuples(weights, st.sampled_from([*OPS, "range", "定性"]), numbers, numbers, numbers,
                 st.sampled_from(["达成", "部分达成", "未达成"]))


def _indicator(w, sym, target, upper, actual, light) -> Indicator:
    if sym == "定性":
        return Indicator(value="达成年度指标", actual=light, weight=float(w))
    if sym == "range":
        lo, hi = sorted((target, upper))
        return Indicator(value=f"{lo}-{hi}件", actual=f"{actual}件", weight=float(w))
    return Indicator(value=f"{sym}{target}件", actual=f"{actual}件", weight=float(w))


@settings(max_examples=300, deadline=None)
@given(st.lists(rows, min_size=1, max_size=12), numbers, numbers, weights)
def test_property_scores_within_weights(rows, budget, executed, rate_weight) -> None:
    inds = [_indicator(*r) for r in rows]
    p = Project(indicators=inds, selfeval=SelfEval(annual_budget=str(budget), executed=str(executed),
                                                   rate_weight=float(rate_weight)))
    ps = project_score(p, RULES)
    for s in ps.indicators:
        assert s.weight is not None
        if s.computed is not None:
            assert 0 <= s.computed <= s.weight
        if s.band is not None:
            assert 0 <= s.band[0] <= s.band[1] <= s.weight + 1e-9
    if ps.rate_score is not None:
        assert 0 <= ps.rate_score <= ps.rate_weight
    parts = [s.standing or 0 for s in ps.indicators] + [ps.rate_score or 0]
    assert ps.total == pytest.approx(sum(parts), abs=0.011 * len(parts))
    assert ps.total == round_score(round_score(sum(s.standing or 0 for s in ps.indicators)) + (ps.rate_score or 0))
    low = dict(RULES.grades)
    assert ps.total >= low[ps.grade]
    better = [g for g, b in RULES.grades if b > low[ps.grade]]
    assert all(ps.total < low[g] for g in better)


@given(st.sampled_from([*list(OPS.values()), Op.RANGE]), numbers, numbers, numbers)
def test_property_completion_in_unit_interval(op, target, actual, upper) -> None:
    c = completion(op, float(target), float(actual), float(max(target, upper)))
    assert 0 <= c <= 1
