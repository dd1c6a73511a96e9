"""The fund block of published 自评表 (tests/data/real/M01_*, M03_*) read from grids and scored.

The grids are the pages' tables laid out cell for cell (the text import turns the same pages into
these grids); M01 lost the header cell above its row labels, M03 states the 执行率 分值 as “(20分)”.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyxl.core.model import Department, Project
from pyxl.core.scoring import SelfEvalRules, project_score
from pyxl.layouts.selfeval_block import read_fund_blocks
from pyxl.rules import run_rules

REAL = Path(__file__).parent / "data" / "real"

M01 = [
    ["项目支出绩效自评表(2021年度)"],
    ["项目名称", "禁毒经费"],
    ["主管部门", "宣城市公安局", "实施单位", "禁毒支队"],
    ["项目资金", "(万元)"],
    ["年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
    ["年度资金总额:", 100, 100, 100, 10, "100%", 10],
    ["其中:本年财政拨款", 100, 100, 100, "-", "-"],
    ["上年结转资金", "-", "-"],
    ["其他资金", "-", "-"],
    ["年度总体目标完成情况", "预期目标", "实际完成情况"],
    [None, "支持公安机关开展禁毒业务工作", "有效的打击了毒品犯罪"],
    ["年度绩效指标完成情况", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
     "偏差原因分析及改进措施"],
]
M03 = [
    ["2022年度共享工程项目自评表"],
    ["项目名称", "共享工程"],
    ["主管部门", "黄石市文化和旅游局", "项目实施单位", "黄石市图书馆"],
    ["预算执行情况(万元) (20分)", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分 (20分*执行率)"],
    ["年度财政资金总额", 5, 5, "100%", 20],
    ["年度绩效目标1 (80分)", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
]


def test_the_grids_are_the_pages() -> None:
    """Every non-empty cell of the grids is text of the real page (nothing invented)."""
    for grid, name in ((M01, "M01_xuancheng_police_selfeval_2021.txt"), (M03, "M03_huangshi_library_selfeval_2022.txt")):
        text = "".join((REAL / name).read_text("utf-8").split())
        for row in grid:
            for v in row:
                if v is not None:
                    assert "".join(str(v).split()) in text, v


def test_m01_fund_block() -> None:
    [block] = read_fund_blocks(M01, sheet="M01")
    se = block.selfeval
    assert (se.initial_budget, se.annual_budget, se.executed, se.rate_weight, se.rate, se.rate_score) == (
        100, 100, 100, 10, "100%", 10)
    assert se.goal_actual == "有效的打击了毒品犯罪"
    assert str(se.loc["rate"]) == "M01!F6" and str(se.loc["executed"]) == "M01!D6"
    assert se.total is None and se.grade is None  # the page is cut before 总分


def test_m03_fund_block_weight_in_the_label() -> None:
    [block] = read_fund_blocks(M03, sheet="M03")
    se = block.selfeval
    assert (se.initial_budget, se.annual_budget, se.executed, se.rate_weight, se.rate, se.rate_score) == (
        None, 5, 5, 20, "100%", 20)
    assert str(se.loc["rate_score"]) == "M03!E5"


def test_amounts_in_yuan_and_total_and_grade() -> None:
    grid = [
        ["项目资金(元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", 200000, 200000, 150000, 10, "75%", 7.5],
        ["总分", 87.5, "自评等级", "良"],
    ]
    [block] = read_fund_blocks(grid)
    se = block.selfeval
    assert (se.annual_budget, se.executed, se.total, se.grade) == ("200000元", "150000元", 87.5, "良")
    assert project_score(Project(selfeval=se), SelfEvalRules()).rate == pytest.approx(0.75)


@pytest.mark.parametrize(("grid", "weight", "rate"), [(M01, 10, 1.0), (M03, 20, 1.0)])
def test_real_execution_rate_scored_as_reported(grid, weight, rate) -> None:
    """Finding: both pages report 执行率 and its 得分 as the rule computes them (no mismatch)."""
    [block] = read_fund_blocks(grid)
    p = Project(name="x", selfeval=block.selfeval)
    ps = project_score(p, SelfEvalRules())
    assert (ps.rate, ps.rate_reported, ps.rate_weight, ps.rate_score, ps.rate_score_reported) == (
        rate, rate, weight, weight, weight)
    found = [f.rule for f in run_rules(Department(name="x", projects=[p]))
             if f.rule in ("execution-rate-mismatch", "score-mismatch", "score-over-weight")]
    assert found == []


@pytest.mark.parametrize(("doc", "fund"), [
    ("M01_xuancheng_police_selfeval_2021", (100, 100, 100, 10, "100%", 10)),
    ("M03_huangshi_library_selfeval_2022", (None, 5, 5, 20, "100%", 20)),
])
def test_form_reader_attaches_the_fund_block(doc: str, fund: tuple) -> None:
    """A 自评表 laid out as a workbook sheet (tests/real_blocks.py): the block reader reads the project and
    its indicators, the fund block becomes its selfeval."""
    from real_blocks import DOCUMENTS

    from pyxl.layouts import form_reader

    grid, _ = DOCUMENTS[doc]
    width = max(len(r) for r in grid)
    rows = [[None if v == "" else v for v in list(r) + [None] * (width - len(r))] for r in grid]
    [p] = form_reader.read(["表1"], lambda _s: rows, None).projects
    se = p.selfeval
    assert se is not None
    assert (se.initial_budget, se.annual_budget, se.executed, se.rate_weight, se.rate, se.rate_score) == fund
