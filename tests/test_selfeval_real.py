"""The real 自评表 of tests/data/real/ (M01 宣城市公安局 禁毒经费 2021, M03 黄石市图书馆 共享工程 2022) read end
to end from the published text (text import → block reader → 项目资金 block) and scored; reported and
computed figures compared. What differs is asserted here as the findings it is:

- M01: both scored indicators (≥1场 → 1场, ≥2400份 → 3200份) are met, reported 12 of 12 = computed;
  执行率 100 ÷ 100 = 100 % and its 得分 10 of 10 = computed. The page is cut after two indicators, so the
  分值 visible add up to 24 + 10 = 34: weight-sum fires (on a complete form it would not).
- M03: 执行率 5 ÷ 5 = 100 %, its 得分 20 of 20 (分值 stated as “(20分)”) = computed. The form prints
  no 分值 per indicator (only 一级 points such as “产出指标(40分)” and one 得分 per 二级 group), so no
  indicator score can be recomputed; the reported 得分 add up to 70 + 20 = 90 (优), the page being cut
  before its 总分.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyxl.core.scoring import SelfEvalRules, grade_of, project_score
from pyxl.imports import read_source
from pyxl.rules import run_rules

REAL = Path(__file__).parent / "data" / "real"
RULES = SelfEvalRules()
SELFEVAL = {"weight-sum", "score-over-weight", "score-mismatch", "score-reason-missing", "total-mismatch",
            "grade-mismatch", "execution-rate-mismatch"}


def read(name: str):
    dept = read_source(REAL / f"{name}.txt")[0]
    [project] = dept.projects
    return dept, project, project_score(project, RULES)


def test_m01_reported_equals_computed_where_scorable() -> None:
    dept, p, ps = read("M01_xuancheng_police_selfeval_2021")
    assert p.name == "禁毒经费" and p.selfeval is not None
    scored = [(s.reported, s.computed) for s in ps.indicators if s.computed is not None]
    assert scored == [(12, 12), (12, 12)]
    assert (ps.rate, ps.rate_reported, ps.rate_score, ps.rate_score_reported) == (1.0, 1.0, 10, 10)
    found = sorted((f.rule, f.message) for f in run_rules(dept) if f.rule in SELFEVAL)
    assert found == [("weight-sum", "指标分值合计 24 加执行率分值 10，共 34，应为 100")]


def test_m03_execution_scored_indicator_scores_not_recomputable() -> None:
    dept, p, ps = read("M03_huangshi_library_selfeval_2022")
    assert p.name == "共享工程" and p.selfeval is not None
    assert (ps.rate_weight, ps.rate, ps.rate_reported, ps.rate_score, ps.rate_score_reported) == (
        20, 1.0, 1.0, 20, 20)
    assert all(s.weight is None and s.computed is None for s in ps.indicators)
    reported = [s.reported for s in ps.indicators if s.reported is not None]
    assert sum(reported) == 70 and ps.total == 90 and grade_of(ps.total, RULES) == "优"
    assert [f.rule for f in run_rules(dept) if f.rule in SELFEVAL] == []


@pytest.mark.parametrize("name", ["M01_xuancheng_police_selfeval_2021", "M03_huangshi_library_selfeval_2022"])
def test_fund_block_cells_point_into_the_text(name: str) -> None:
    _, p, _ = read(name)
    assert p.selfeval is not None and {"rate", "rate_score", "executed"} <= set(p.selfeval.loc)
