"""The table reader on hand-drawn grids: a 自评表 laid out one row per indicator, 一级 with a
score suffix and 成本指标 as 一级 or under 产出, merged cells, an indented tree without a
project line, and what it cannot place."""

from __future__ import annotations

from typing import Any

from pyxl.core.model import Department
from pyxl.layouts.table_reader import detect, find_tables, read, read_grid

SELFEVAL = [
    ["2023年度项目支出绩效自评表"],
    ["项目名称", "项目单位", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
     "偏差原因分析及改进措施"],
    ["档案数字化", "某某档案馆", "产出指标(50分)", "数量指标", "数字化卷数", "≥5000卷", "4600卷", 20, 18.4,
     "扫描设备故障停工两周，已更换设备"],
    [None, None, None, "质量指标", "验收合格率", "100%", "100%", 20, 20, None],
    [None, None, "产出指标", None, "整理及时率", "100%", "100%", 0, 0, None],  # 一级 repeated, 二级 blank
    [None, None, "成本指标", None, "单卷成本", "≤12元", "11.5元", 10, 10, None],
    [None, None, "满意度指标(10分)", "服务对象满意度指标", "查档群众满意度", "≥90%", "95%", 10, 10, None],
]


def _read(rows: list[list[Any]], merged: list[tuple[int, int, int, int]] | None = None) -> Department:
    dept = Department()
    assert read_grid("自评", rows, dept, merged) == 1
    return dept


def test_a_selfeval_table_reads_actual_weight_score_and_reason() -> None:
    dept = _read(SELFEVAL)
    (p,) = dept.projects
    assert (p.name, p.implementer) == ("档案数字化", "某某档案馆")
    got = [(i.level1, i.level2, i.name, i.value, i.actual, i.weight, i.score, i.deviation_reason) for i in p.indicators]
    assert got == [
        ("产出指标", "数量指标", "数字化卷数", "≥5000卷", "4600卷", 20, 18.4, "扫描设备故障停工两周，已更换设备"),
        ("产出指标", "质量指标", "验收合格率", "100%", "100%", 20, 20, None),
        ("产出指标", "质量指标", "整理及时率", "100%", "100%", 0, 0, None),
        # 成本指标 as its own 一级 starts a group: no 二级 is carried over from 产出指标
        ("成本指标", None, "单卷成本", "≤12元", "11.5元", 10, 10, None),
        ("满意度指标", "服务对象满意度指标", "查档群众满意度", "≥90%", "95%", 10, 10, None),
    ]
    assert str(p.indicators[1].loc["level1"]) == "自评!C3"  # blank = the cell above, marked there


def test_merged_category_cells_read_like_blank_ones_and_keep_the_merge_as_location() -> None:
    rows = [list(r) for r in SELFEVAL]
    rows[3][2] = "这格被合并遮住"  # a covered cell's own value is not what the sheet shows
    rows[4][2] = None
    dept = _read(rows, merged=[(2, 2, 4, 2), (2, 0, 6, 0), (2, 1, 6, 1)])
    (p,) = dept.projects
    assert [i.level1 for i in p.indicators] == ["产出指标", "产出指标", "产出指标", "成本指标", "满意度指标"]
    assert str(p.indicators[1].loc["level1"]) == "自评!C3"


def test_a_tree_without_a_project_line_is_one_unnamed_project() -> None:
    rows = [["项目", "指标值"], ["产出指标"], ["  数量指标"], ["    培训人数", "≥50人"], ["  质量指标"],
            ["    合格率", "≥95%"], ["效益指标"], ["  社会效益指标"], ["    知晓率", "≥80%"]]
    dept = _read(rows)
    (p,) = dept.projects
    assert p.name is None
    assert [(i.level1, i.level2, i.name, i.value) for i in p.indicators] == [
        ("产出指标", "数量指标", "培训人数", "≥50人"),
        ("产出指标", "质量指标", "合格率", "≥95%"),
        ("效益指标", "社会效益指标", "知晓率", "≥80%"),
    ]


def test_an_indicator_row_before_any_project_is_reported_at_its_cell() -> None:
    rows = [list(SELFEVAL[1]), [None, None, "产出指标", "数量指标", "孤立指标", "≥1", None, 5, None, None],
            *[list(r) for r in SELFEVAL[2:]]]
    dept = _read(rows)
    assert [len(p.indicators) for p in dept.projects] == [5]
    # the stray row has no project to belong to: said at its first cell, not lost silently
    (issue,) = dept.read_issues
    assert issue.rule == "layout-unrecognized" and str(issue.loc) == "自评!C2"


def test_not_a_table() -> None:
    assert find_tables([["会议纪要"], ["今天开会"]]) == []
    assert not detect(["Sheet1"], lambda _s: [["项目编码", "项目名称"], ["1", "甲"]])
    dept = read(["Sheet1"], lambda _s: [["一级指标", "二级指标", "三级指标", "指标值"]])
    assert dept.projects == []


def test_a_tree_indented_with_full_width_spaces() -> None:
    rows = [["单位：万元"], ["项目", "指标值", "金额"], ["某中心"], ["\u3000培训项目", None, 12.5], ["\u3000\u3000产出指标(50分)"],
            ["\u3000\u3000\u3000数量指标"], ["\u3000\u3000\u3000\u3000培训人数", "≥50人"]]
    dept = _read(rows)
    (p,) = dept.projects
    assert (dept.name, p.name, p.budget) == ("某中心", "培训项目", 12.5)  # 万元: the number as it stands
    assert [(i.level1, i.level2, i.name, i.value) for i in p.indicators] == [("产出指标", "数量指标", "培训人数", "≥50人")]
