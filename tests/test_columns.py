"""Column roles from header words (pyxl/layouts/columns.py, vocabulary in pyxl/data/columns.toml)."""

from __future__ import annotations

import pytest

from pyxl.layouts.columns import classify, clean_level, header_roles, is_indicator_header, stated_unit


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("三级指标", "name"),
        ("指标内容", "name"),
        ("指标名称", "name"),
        ("指标值", "value"),
        ("目标值", "value"),
        ("年度指标值", "value"),
        ("年度(/项目)指标值", "value"),
        ("年初目标值(A)", "value"),
        ("符号", "symbol"),
        ("计算符号", "symbol"),
        ("指标性质", "symbol"),
        ("指标方向", "direction"),
        ("指标方向性", "direction"),
        ("单位", "unit"),
        ("计量单位", "unit"),
        ("度量单位", "unit"),
        ("分值", "weight"),
        ("权重", "weight"),
        ("指标值确定依据", "basis"),
        ("实际完成值(B)", "actual"),
        ("得分", "score"),
        ("偏差原因分析及改进措施", "deviation_reason"),
        ("一级\n指标", "level1"),
        ("二级指标", "level2"),
        ("项目名称", "project_name"),
        ("项目单位", "implementer"),
        ("预算数", "budget"),
        ("年度绩效目标", "goal"),
        ("一审案件撤诉率", None),
        (12, None),
    ],
)
def test_header_words_name_their_role(header: object, role: str | None) -> None:
    found = classify(header)
    assert (found.role if found else None) == role


def test_brackets_state_unit_and_qualifier() -> None:
    budget = classify("项目资金（元）")
    assert budget is not None and (budget.role, budget.amount_unit) == ("budget", "元")
    long = classify("三级指标(长期)")
    assert long is not None and long.qualifier == "long_term"


def test_header_row_roles_prefer_annual_and_strong_words() -> None:
    row = ["绩效指标", "一级指标", "二级指标(长期)", "三级指标(长期)", "指标值(长期)", "二级指标(年度)", "三级指标(年度)",
           "指标值(年度)", "指标内容"]
    roles = header_roles(row)
    assert roles["level2"].col == 5 and roles["name"].col == 6 and roles["value"].col == 7
    assert is_indicator_header(roles)
    weak = header_roles(["绩效指标", "一级指标", "二级指标", "指标内容", "指标值"])
    assert weak["name"].col == 3
    assert not is_indicator_header(header_roles(["项目名称", "预算数", "备注"]))


@pytest.mark.parametrize(
    ("cell", "unit"),
    [("金额单位:元", "元"), ("单位：万元", "万元"), ("（单位：元）", "元"), ("项目资金（元）", "元"),
     ("单位名称", None), ("207101天津市河北区人民法院", None), (None, None)],
)
def test_stated_amount_unit(cell: object, unit: str | None) -> None:
    assert stated_unit(cell) == unit


def test_level_annotations_are_dropped() -> None:
    assert clean_level("产出指标(50分)") == "产出指标"
    assert clean_level("成本指标(必填硬性指标)") == "成本指标"
    assert clean_level("效益指标（30分）") == "效益指标"
    assert clean_level("社会效益指标") == "社会效益指标"
