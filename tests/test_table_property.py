"""Property: a row-per-indicator table reads to the same model whatever its header words, their
order, where it sits, whether the 指标值 is one column or 符号/数值/单位, whether the amounts'
unit is stated in a title, in the header or not at all, whether a cell equal to the one above
(a category, the project's cells) is repeated or left blank, and with or without a 合计 line."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pyxl.core.model import Department
from pyxl.layouts.columns import vocabulary
from pyxl.layouts.table_reader import read_grid

# (一级, 二级, 三级, operator, number, unit, weight)
PROJECTS = [
    ("项目甲", 120000, "目标甲", [
        ("产出指标", "数量指标", "培训人数", "≥", 95, "人", 10),
        ("产出指标", "质量指标", "培训合格率", "≥", 98, "%", 20),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥", 90, "%", 10),
    ]),
    ("项目乙", 35000, "目标乙", [
        ("产出指标", "数量指标", "宣传场次", "=", 4, "场", 30),
        ("产出指标", "数量指标", "受众人次", "≥", 200, "人次", 20),
        ("效益指标", "社会效益指标", "知晓率", "≥", 80, "%", 20),
    ]),
]

WORDS = {
    "project_name": ["项目名称", "预算项目名称"],
    "budget": ["预算数", "年度预算数", "预算金额"],
    "goal": ["年度目标", "年度绩效目标"],
    "level1": ["一级指标", "一级"],
    "level2": ["二级指标", "二级"],
    "name": ["三级指标", "指标名称", "指标内容", "三级指标名称"],
    "value": ["指标值", "目标值", "年度指标值", "年度(/项目)指标值"],
    "symbol": ["符号", "计算符号", "指标性质"],
    "number": ["数值", "指标值"],  # 符号 | 指标值 | 单位: D10 prints the number under 指标值
    "unit": ["单位", "计量单位", "度量单位"],
    "weight": ["分值", "权重"],
    "direction": ["指标方向", "指标方向性"],
}
SPELLINGS = {"≥": ["≥", "大于等于", "≧", ">="], "=": ["=", "等于", "═"]}


# every word the vocabulary knows for a role is a "known header word" too
_VOCAB = vocabulary()["roles"]
WORDS = {role: sorted({*words, *_VOCAB[role]["words"]}) for role, words in WORDS.items()}


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[Any]], bool, str]:
    split = draw(st.booleans())
    unit_at = draw(st.sampled_from(["title", "header", "none"]))
    direction = draw(st.booleans())
    repeat_project = draw(st.booleans())  # project cells on every row, or on the first only
    roles = ["project_name", "budget", "goal", "level1", "level2", "name", "weight"]
    roles += ["symbol", "number", "unit"] if split else ["value"]
    roles += ["direction"] if direction else []
    order = draw(st.permutations(roles))
    header = []
    for role in order:
        word = draw(st.sampled_from(WORDS[role]))
        if role == "budget" and unit_at == "header":
            word += "（元）"
        header.append(word)
    left = draw(st.integers(0, 2))
    rows: list[list[Any]] = [[None] * left + ["某单位项目支出绩效目标表"]] if draw(st.booleans()) else []
    if unit_at == "title":
        rows.append([None] * left + [draw(st.sampled_from(["金额单位:元", "单位：元", "（单位：元）"]))])
    rows.append([None] * left + header)
    for name, budget, goal, inds in PROJECTS:
        prev: tuple[str, str] | None = None
        for k, (l1, l2, l3, op, num, unit, weight) in enumerate(inds):
            cells: dict[str, Any] = {"name": l3, "weight": weight}
            blank_above = draw(st.booleans())
            same1 = prev is not None and prev[0] == l1
            same2 = same1 and prev is not None and prev[1] == l2
            cells["level1"] = None if (same1 and blank_above) else l1
            cells["level2"] = None if (same2 and blank_above) else l2
            if k == 0 or repeat_project:
                cells["project_name"], cells["goal"] = name, goal
                cells["budget"] = budget if unit_at != "none" else budget / 10000
            if split:
                cells["symbol"] = draw(st.sampled_from(SPELLINGS[op]))
                cells["number"] = draw(st.sampled_from([num, str(num)]))
                cells["unit"] = unit
            else:
                cells["value"] = f"{op}{num}{unit}"
            if direction:
                cells["direction"] = "正向"
            rows.append([None] * left + [cells.get(role) for role in order])
            prev = (l1, l2)
    if draw(st.booleans()):
        total = {"project_name": "合计", "budget": sum(p[1] for p in PROJECTS) / (1 if unit_at != "none" else 10000)}
        rows.append([None] * left + [total.get(role) for role in order])
    return rows, split, unit_at


@settings(max_examples=300, deadline=None)
@given(tables())
def test_any_header_words_order_and_spelling_read_to_the_same_model(table: tuple[list[list[Any]], bool, str]) -> None:
    rows, split, unit_at = table
    dept = Department()
    assert read_grid("表", rows, dept) == 1
    assert not dept.read_issues
    assert [p.name for p in dept.projects] == [p[0] for p in PROJECTS]
    for p, (_, budget, goal, inds) in zip(dept.projects, PROJECTS, strict=True):
        assert p.goal == goal
        assert p.budget == (f"{budget} 元" if unit_at != "none" else budget / 10000)
        got = [(i.level1, i.level2, i.name, i.value, i.weight) for i in p.indicators]
        assert got == [(l1, l2, l3, f"{op}{num}{unit}", w) for l1, l2, l3, op, num, unit, w in inds]
        assert [i.unit for i in p.indicators] == ([ind[5] for ind in inds] if split else [None] * len(inds))
