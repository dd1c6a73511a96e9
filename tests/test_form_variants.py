"""Hand-drawn variants of the official 项目支出绩效目标表, as departments send them.

Each sheet is written out literally (a grid of cells plus its merged ranges), the way a
department would have typed it, not through pyxl's writer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from formkit import read_form, write_sheets
from hypothesis import given, settings
from hypothesis import strategies as st

from pyxl.backends.openpyxl_backend import OpenpyxlBackend
from pyxl.core.errors import WorkbookError
from pyxl.layouts import form_reader
from pyxl.rules.engine import read_issue_findings

N = None
HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]


def _seed_like_block(code: str = "144001001", name: str = "长期聘用人员工资和社会保障缴费") -> list[list]:
    return [
        ["项目编码", code, "预算项目名称", name, N, N],
        ["项目资金主要用途", "预算数 74.5 万元。其中：财政资金 74.5 万元。主要用于工资。", N, N, N, N],
        ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底", N],
        [N, 0.25, 0.5, 0.75, 1, N],
        ["绩效目标", "保证人员经费及时足额发放", N, N, N, N],
        HEADER,
        ["产出指标", "数量指标", "聘用人员数量", "聘用人员数量", "14 人", "计划标准"],
        [N, "质量指标", "工资发放精准性", "发放数据准确", "100%", "计划标准"],
        [N, "成本指标", "支出控制在预算内", "支出控制在预算内", "≤74.5万元", "计划标准"],
        ["效果指标", "社会效益指标", "依法履职尽责", "依法履职尽责", "≥95%", "年度工作计划"],
        ["满意度指标", "服务对象满意度指标", "被服务对象满意", "被服务对象满意", "≥95%", "行业标准"],
    ]


SEED_MERGES = ["B2:F2", "A3:A4", "B5:F5", "A7:A9", "D1:F1"]


def _down(merges: list[str], rows: int) -> list[str]:
    from openpyxl.worksheet.cell_range import CellRange

    out = []
    for m in merges:
        cr = CellRange(m)
        cr.shift(row_shift=rows)
        out.append(cr.coord)
    return out


def test_seed_layout_as_typed(tmp_path: Path) -> None:
    path = write_sheets(tmp_path / "v.xlsx", {"表1": (_seed_like_block(), SEED_MERGES)})
    dept = read_form(path)
    assert dept.read_issues == []
    (p,) = dept.projects
    assert (p.code, p.name, p.budget, p.funding, p.purpose) == (
        "144001001",
        "长期聘用人员工资和社会保障缴费",
        "74.5 万元",
        {"财政资金": "74.5 万元"},
        "主要用于工资。",
    )
    assert p.spend_plan == {"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"}
    assert p.goal == "保证人员经费及时足额发放"
    # 产出指标 is merged over three rows: it applies to each, located at the merged cell
    assert [(i.level1, i.level2) for i in p.indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "成本指标"),
        ("效果指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    assert {str(i.loc["level1"]) for i in p.indicators[:3]} == {"表1!A7"}
    assert str(p.indicators[1].loc["value"]) == "表1!E8"
    assert str(p.loc["spend_plan.10月底"]) == "表1!D4"
    assert str(p.loc["budget"]) == "表1!B2"


def test_label_wording_shifted_block_and_title_rows(tmp_path: Path) -> None:
    """项目名称 / 年度绩效目标 / 资金支出计划（累计%） / 效益指标 wording, the code in its label's
    cell, title and blank rows above, and the whole block moved two columns right."""
    pad = [N, N]
    rows = [
        [N, N, "2026年项目支出绩效目标表"],
        [N, N, "填报单位：某某中学", N, N, N, N, "金额单位：万元"],
        [],
        [*pad, "项目编码：440101", N, "项目名称", "校园安保服务", N, N],
        [],
        [*pad, "主要用途", "年度资金总额 30 万元。其中：财政拨款 30 万元。用于购买安保服务。"],
        [*pad, "资金支出计划（累计%）", "一季度", "二季度", "三季度", "四季度"],
        [*pad, N, "20%", "45%", "70%", "100%"],
        [*pad, "年度绩效目标", "全年校园安全事故为零"],
        [*pad, "一级", "二级", "三级指标", "指标解释", "目标值", "指标值设定依据"],
        [*pad, "产出指标", "数量指标", "安保人员数", "在岗安保人员", "≥6人", "计划标准"],
        [*pad, "效益指标", "社会效益指标", "安全事故数", "校园安全事故", "=0起", "历史标准"],
        [*pad, "满意度指标", "服务对象满意度指标", "师生满意度", "问卷调查", "≥90%", "行业标准"],
        [],
        [N, N, "注：本表由财务科填写。"],
    ]
    dept = read_form(write_sheets(tmp_path / "v.xlsx", {"Sheet1": (rows, ["C1:H1"])}))
    assert dept.read_issues == []
    assert dept.name == "某某中学"
    (p,) = dept.projects
    assert (p.code, p.name, p.goal) == ("440101", "校园安保服务", "全年校园安全事故为零")
    assert (p.budget, p.funding) == ("30 万元", {"财政拨款": "30 万元"})
    assert p.spend_plan == {"一季度": "20%", "二季度": "45%", "三季度": "70%", "四季度": "100%"}
    assert [(i.level1, i.name, i.description, i.value, i.basis) for i in p.indicators] == [
        ("产出指标", "安保人员数", "在岗安保人员", "≥6人", "计划标准"),
        ("效益指标", "安全事故数", "校园安全事故", "=0起", "历史标准"),
        ("满意度指标", "师生满意度", "问卷调查", "≥90%", "行业标准"),
    ]
    assert str(p.loc["code"]) == "Sheet1!C4"


def test_value_split_into_symbol_number_unit(tmp_path: Path) -> None:
    """指标值 over 符号/数值/单位 sub-columns (预算管理一体化 exports), and the variant with the
    three as plain header cells."""
    rows = [
        ["项目编码", "110001", "项目名称", "设备购置"],
        ["绩效目标", "完成设备购置"],
        ["一级指标", "二级指标", "三级指标", "指标值", N, N, "指标值确定依据"],
        [N, N, N, "符号", "数值", "单位", N],
        ["产出指标", "数量指标", "购置台数", "≥", 20, "台", "计划标准"],
        [N, "质量指标", "验收合格率", "=", 100, "%", "行业标准"],
        ["成本指标", "经济成本指标", "购置成本", "≤", 35.5, "万元", "计划标准"],
        ["效益指标", "社会效益指标", "服务水平", "定性", "优", N, "其他"],
        ["满意度指标", "服务对象满意度指标", "使用人员满意度", N, 95, N, "历史标准"],
    ]
    merges = ["D3:F3", "A3:A4", "B3:B4", "C3:C4", "G3:G4", "A5:A6"]
    other = [
        ["项目编码", "110002", "项目名称", "培训"],
        ["一级指标", "二级指标", "三级指标", "符号", "指标值", "计量单位", "指标值确定依据"],
        ["产出指标", "数量指标", "培训人次", ">=", 300, "人次", "计划标准"],
    ]
    dept = read_form(write_sheets(tmp_path / "v.xlsx", {"A": (rows, merges), "B": (other, [])}))
    assert dept.read_issues == []
    a, b = dept.projects
    assert [i.value for i in a.indicators] == ["≥20台", "=100%", "≤35.5万元", "优", 95]
    assert [i.level1 for i in a.indicators] == ["产出指标", "产出指标", "成本指标", "效益指标", "满意度指标"]
    assert str(a.indicators[2].loc["value"]) == "A!E7"  # the 数值 cell
    assert [i.value for i in b.indicators] == [">=300人次"]


def test_cost_as_level1_and_as_level2(tmp_path: Path) -> None:
    """成本指标 as a 一级 (with or without a 二级 of its own, merged across both columns) and,
    in the older layout, as a 二级 under 产出指标."""
    rows = [
        ["项目编码", "2001", "项目名称", "新版"],
        HEADER,
        ["产出指标", "数量指标", "检查次数", "检查次数", "≥12次", "计划标准"],
        ["成本指标", "经济成本指标", "人均成本", "人均成本", "≤500元", "计划标准"],
        [N, "社会成本指标", "社会成本", "无新增社会成本", "=0", "其他"],
        ["成本指标", N, "预算控制", "支出不超预算", "≤20万元", "计划标准"],
        ["效益指标", "可持续影响指标", "长效机制", "建立长效机制", "是", "其他"],
        [],
        ["项目编码", "2002", "项目名称", "旧版"],
        HEADER,
        ["产出指标", "数量指标", "检查次数", "检查次数", "≥12次", "计划标准"],
        [N, "成本指标", "预算控制", "支出不超预算", "≤20万元", "计划标准"],
    ]
    merges = ["A4:A5", "A6:B6", "A11:A12"]
    new, old = read_form(write_sheets(tmp_path / "v.xlsx", {"S": (rows, merges)})).projects
    assert [(i.level1, i.level2) for i in new.indicators] == [
        ("产出指标", "数量指标"),
        ("成本指标", "经济成本指标"),
        ("成本指标", "社会成本指标"),
        ("成本指标", None),
        ("效益指标", "可持续影响指标"),
    ]
    assert [(i.level1, i.level2) for i in old.indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "成本指标"),
    ]


def test_two_projects_per_sheet_and_one_per_sheet(tmp_path: Path) -> None:
    title = ["项目支出绩效目标表"]
    sheet1 = [
        title,
        *_seed_like_block("001", "甲项目"),
        [],
        [],
        title,
        ["填报单位：某局"],
        *_seed_like_block("002", "乙项目"),
    ]
    merges1 = ["A1:F1", "A15:F15", *_down(SEED_MERGES, 1), *_down(SEED_MERGES, 16)]
    sheet2 = _seed_like_block("003", "丙项目")
    dept = read_form(
        write_sheets(tmp_path / "v.xlsx", {"一": (sheet1, merges1), "二": (sheet2, SEED_MERGES)})
    )
    assert dept.read_issues == []
    assert [p.code for p in dept.projects] == ["001", "002", "003"]
    assert [len(p.indicators) for p in dept.projects] == [5, 5, 5]
    assert [str(p.loc["code"]) for p in dept.projects] == ["一!B2", "一!B17", "二!B1"]
    # the second block's 产出指标 merge (A23:A25) applies to its own rows only
    assert [i.level1 for i in dept.projects[1].indicators] == ["产出指标"] * 3 + ["效果指标", "满意度指标"]


def test_block_missing_code_label_is_reported_at_the_cell(tmp_path: Path) -> None:
    rows = _seed_like_block()
    rows[0][0] = N  # the 项目编码 label is missing; its value sits there unlabeled
    dept = read_form(write_sheets(tmp_path / "v.xlsx", {"表": (rows, SEED_MERGES)}))
    (p,) = dept.projects
    assert p.code is None and p.name == "长期聘用人员工资和社会保障缴费" and len(p.indicators) == 5
    (f,) = read_issue_findings(dept)
    assert (f.rule, f.sheet, f.cell) == ("layout-unrecognized", "表", "B1")
    assert "144001001" in f.message


def test_block_without_indicator_header_reports_where_reading_stopped(tmp_path: Path) -> None:
    good = _seed_like_block("001", "甲项目")
    bad = _seed_like_block("002", "乙项目")
    del bad[5]  # no header row: the table cannot be read
    rows = [*good, [], *bad]
    dept = read_form(write_sheets(tmp_path / "v.xlsx", {"表": (rows, [])}))
    assert [p.code for p in dept.projects] == ["001", "002"]
    assert dept.projects[1].indicators == []
    (f,) = read_issue_findings(dept)
    assert (f.rule, f.severity.value, f.cell) == (
        "layout-unrecognized",
        "error",
        "A18",
    )  # first row of the table
    assert f.project == "002"


def test_only_block_unreadable_raises(tmp_path: Path) -> None:
    rows = _seed_like_block()
    rows[5] = ["一级指标", "二级指标"]  # header without 三级指标/指标值
    path = write_sheets(tmp_path / "v.xlsx", {"表": (rows, [])})
    backend = OpenpyxlBackend(path)
    with pytest.raises(WorkbookError) as err:
        form_reader.read(backend.sheet_names(), backend.read_values)
    assert err.value.rule == "layout-unrecognized"


def test_plain_grid_without_merge_information_fills_categories_down(tmp_path: Path) -> None:
    """Rollup may read values only (no merged ranges): blank 一级/二级 under a filled one still
    belong to it, and a merge's value is where the merge starts."""
    rows = _seed_like_block()
    rows.insert(8, [N, N, "工资发放及时率", "按月发放", "100%", "计划标准"])  # 质量指标 continued
    path = write_sheets(tmp_path / "v.xlsx", {"表": (rows, ["A7:A10", "B8:B9", "F7:F10"])})
    backend = OpenpyxlBackend(path)
    plain = form_reader.read(backend.sheet_names(), lambda s: backend.read_values(s), merged_ranges=None)
    merged = form_reader.read(backend.sheet_names(), backend.read_values)
    for dept in (plain, merged):
        inds = dept.projects[0].indicators
        assert [(i.level1, i.level2) for i in inds[:4]] == [
            ("产出指标", "数量指标"),
            ("产出指标", "质量指标"),
            ("产出指标", "质量指标"),
            ("产出指标", "成本指标"),
        ]
    # 确定依据 merged over four rows applies to each only when the merge is known
    assert [i.basis for i in merged.projects[0].indicators[:4]] == ["计划标准"] * 4
    assert str(merged.projects[0].indicators[3].loc["basis"]) == "表!F7"


def test_separate_budget_and_funding_cells(tmp_path: Path) -> None:
    rows = [
        ["项目编码", "3001", "项目名称", "维修"],
        ["年度资金总额（万元）", 80, "其中：财政拨款（万元）", 60, "其他资金（元）", 200000],
        ["项目资金主要用途", "办公楼维修"],
        HEADER,
        ["产出指标", "数量指标", "维修面积", "维修面积", "≥500平方米", "计划标准"],
    ]
    (p,) = read_form(write_sheets(tmp_path / "v.xlsx", {"表": (rows, [])})).projects
    assert (p.budget, p.funding, p.purpose) == (80, {"财政拨款": 60, "其他资金": "200000 元"}, "办公楼维修")
    assert str(p.loc["funding.其他资金"]) == "表!F2"


def test_department_sheet_and_targets(tmp_path: Path) -> None:
    dept_rows = [
        ["部门整体绩效目标表"],
        ["单位名称", "某某中学"],
        ["预算年度", "2026年"],
        ["年度总体目标", "办好人民满意的教育"],
        [],
        ["序号", "绩效目标", "绩效指标", "指标值"],
        ["（一）", "提高教学质量", "升学率", "≥95%"],
        [N, N, "巩固率", "100%"],
        ["（二）", "保障安全", "安全事故", "=0"],
    ]
    path = write_sheets(
        tmp_path / "v.xlsx",
        {"部门": (dept_rows, ["A7:A8", "B7:B8"]), "项目": (_seed_like_block(), SEED_MERGES)},
    )
    dept = read_form(path)
    assert (dept.name, dept.year, dept.overall_goal) == ("某某中学", 2026, "办好人民满意的教育")
    assert [(t.numbering, t.goal, t.indicator, t.value) for t in dept.targets] == [
        ("（一）", "提高教学质量", "升学率", "≥95%"),
        ("（一）", "提高教学质量", "巩固率", "100%"),
        ("（二）", "保障安全", "安全事故", "=0"),
    ]
    assert len(dept.projects) == 1


VOCAB = ["项目编码", "预算项目名称", "项目资金主要用途", "资金支出计划（%）", "绩效目标", "一级指标", "二级指标",
         "三级指标", "绩效指标描述", "指标值", "指标值确定依据", "符号", "数值", "单位", "产出指标", "数量指标",
         "3月底", "25%", "≥95%", "项目支出绩效目标表", "填报单位：", "编号", "绩效指标", "年度总体目标", "", "", "",
         0.25, 14, None, "其中：财政拨款", "预算数 1 万元。其中：财政 1 元。"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(VOCAB), max_size=9), max_size=30),
       st.lists(st.tuples(st.integers(0, 29), st.integers(0, 8), st.integers(0, 3), st.integers(0, 3)), max_size=6))
def test_any_grid_reads_or_fails_cleanly(grid: list[list], spans: list[tuple[int, int, int, int]]) -> None:
    """Whatever a sheet holds, the reader returns a department or raises layout-unrecognized."""
    merges = [(r, c, r + dr, c + dc) for r, c, dr, dc in spans]
    try:
        dept = form_reader.read(["表"], lambda _s: grid, merged_ranges=lambda _s: merges)
    except WorkbookError as exc:
        assert exc.rule == "layout-unrecognized"
        return
    assert all(i.rule == "layout-unrecognized" for i in dept.read_issues)
    dept.to_data()
