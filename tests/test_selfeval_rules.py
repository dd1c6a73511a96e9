"""自评 rules: each fires on its mistake and keeps quiet on a correct 自评表."""

from __future__ import annotations

import copy

import pytest

from pyxl.core.config import load_config
from pyxl.core.model import Department, Indicator, Location, Project, SelfEval
from pyxl.rules import run_rules

SELFEVAL = {"weight-sum", "score-over-weight", "score-mismatch", "score-reason-missing", "total-mismatch",
            "grade-mismatch", "execution-rate-mismatch"}


def good_project() -> Project:
    """A consistent 自评: 10 (执行率 95% → 9.5) + 50 + 30 + 10 points, total 86.5 → 良."""
    inds = [
        Indicator("产出指标", "数量指标", "办结案件数", value="≥100件", actual="80件", weight=50, score=40,
                  deviation_reason="人员保障"),
        Indicator("效益指标", "社会效益指标", "司法公信力", value="达成年度指标", actual="达成", weight=30, score=27,
                  deviation_reason="其他"),
        Indicator("满意度指标", "服务对象满意度指标", "当事人满意度", value="≥90%", actual="95%", weight=10, score=10),
    ]
    for row, ind in enumerate(inds, start=4):
        ind.loc = {"score": Location("绩效指标", f"N{row}"), "deviation_reason": Location("绩效指标", f"K{row}")}
    se = SelfEval(initial_budget=100, annual_budget=100, executed="95万元", rate="95%", rate_weight=10,
                  rate_score=9.5, total=86.5, grade="良")
    se.loc = {k: Location("自评", f"{c}5") for k, c in (("rate", "G"), ("rate_score", "H"), ("total", "L"),
                                                        ("grade", "M"), ("rate_weight", "F"))}
    return Project(code="144001001", name="测试项目", indicators=inds, selfeval=se)


def found(p: Project) -> list[tuple[str, str | None]]:
    dept = Department(name="测试单位", year=2026, projects=[p])
    return sorted((f.rule, f.cell) for f in run_rules(dept) if f.rule in SELFEVAL)


def test_quiet_on_consistent_selfeval() -> None:
    assert found(good_project()) == []


def test_quiet_before_selfeval() -> None:
    """A 申报 project with weights that do not add to 100 is not in 自评 yet."""
    p = good_project()
    p.selfeval = None
    for ind in p.indicators:
        ind.score = None
        ind.weight = 5
    assert found(p) == []


def mutate(**changes) -> Project:
    p = good_project()
    for path, value in changes.items():
        obj: object = p
        *parts, last = path.split("__")
        for part in parts:
            obj = obj.indicators[int(part[1:])] if part.startswith("i") else getattr(obj, part)
        setattr(obj, last, value)
    return p


@pytest.mark.parametrize(("changes", "expected"), [
    ({"i0__weight": 45, "i0__score": 36, "selfeval__total": 82.5}, [("weight-sum", "F5")]),
    ({"selfeval__rate_weight": 5, "selfeval__rate_score": 4.75, "selfeval__total": 81.75},
     [("weight-sum", "F5")]),
    ({"i2__score": 12, "selfeval__total": 88.5}, [("score-over-weight", "N6")]),
    ({"i0__score": 50, "selfeval__total": 96.5, "selfeval__grade": "优"}, [("score-mismatch", "N4")]),
    ({"i1__score": 20, "selfeval__total": 79.5, "selfeval__grade": "中"}, [("score-mismatch", "N5")]),
    ({"i0__deviation_reason": None}, [("score-reason-missing", "K4")]),
    ({"selfeval__total": 90}, [("grade-mismatch", "M5"), ("total-mismatch", "L5")]),
    ({"selfeval__grade": "优"}, [("grade-mismatch", "M5")]),
    ({"selfeval__rate": "100%"}, [("execution-rate-mismatch", "G5")]),
    ({"selfeval__rate_score": 8, "selfeval__total": 85}, [("score-mismatch", "H5")]),
])
def test_fires(changes: dict, expected: list) -> None:
    assert found(mutate(**changes)) == sorted(expected)


def test_tolerances_from_config(tmp_path) -> None:
    p = mutate(i0__score=40.4)  # score and total off by 0.4, within the default 0.5 points
    assert found(p) == []
    path = tmp_path / "rules.toml"
    path.write_text("[selfeval]\nscore_tolerance = 0.1\n", "utf-8")
    dept = Department(name="测试单位", year=2026, projects=[copy.deepcopy(p)])
    rules = sorted(f.rule for f in run_rules(dept, load_config(path)) if f.rule in SELFEVAL)
    assert rules == ["score-mismatch", "total-mismatch"]


def test_messages_are_chinese_and_located() -> None:
    dept = Department(name="测试单位", year=2026, projects=[mutate(selfeval__rate="100%")])
    [f] = [f for f in run_rules(dept) if f.rule == "execution-rate-mismatch"]
    assert f.message == "执行率填报 100%，全年执行数 95 万元 ÷ 全年预算数 100 万元 = 95.00%"
    assert (f.sheet, f.cell, f.project) == ("自评", "G5", "144001001")


def _reason_rules(p: Project) -> list[tuple[str, str | None]]:
    dept = Department(name="测试单位", year=2026, projects=[p])
    return sorted((f.rule, f.cell) for f in run_rules(dept)
                  if f.rule in ("score-reason-missing", "deviation-reason-missing"))


def test_a_missed_scored_indicator_without_reason_is_one_finding() -> None:
    """办结案件数 misses its target (80 of ≥100件) and scores 40 of 50 with no reason: score-reason-missing
    owns the case (rules/_score_reason.py); deviation-reason-missing keeps quiet on that cell."""
    assert _reason_rules(mutate(i0__deviation_reason=None)) == [("score-reason-missing", "K4")]


def test_deviation_reason_missing_still_fires_where_no_score_asks() -> None:
    # before 自评: the same missed indicator without a 得分
    assert _reason_rules(mutate(i0__deviation_reason=None, i0__score=None)) == [("deviation-reason-missing", "K4")]
    # far exceeding the target at full points: no points lost, the reason is asked by the monitoring rule
    p = mutate(i2__actual="150%", i2__value="≥60%")
    assert _reason_rules(p) == [("deviation-reason-missing", "K6")]


def test_score_reason_missing_fires_where_the_actual_is_not_missed() -> None:
    # 定性 达成 scored 27 of 30 (inside the band): no miss to explain, still points lost without a reason
    assert _reason_rules(mutate(i1__deviation_reason=None)) == [("score-reason-missing", "K5")]
