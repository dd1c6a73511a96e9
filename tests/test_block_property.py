"""Property: a block-per-project table drawn with any of the label and header words of the
vocabulary, values beside or below their labels, amounts in 元 or 万元 stated in a header or a
label, 一级/二级 repeated or left blank below ("same as above"), 一级 with or without its score,
and 指标值 joined or split into 符号/数值/单位, reads to the same project."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyxl.core.units import parse_amount
from pyxl.layouts import form_reader

ALPHABET = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南西北山川河海"
text = st.text(ALPHABET, min_size=2, max_size=16)
LEVELS = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("成本指标", "经济成本指标"),
          ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标")]
VALUES = [("≥", 95, "%"), ("≤", 3, "万元"), ("=", 100, "%"), ("≥", 560, "件"), (">", 12, "个")]


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 8))
    levels = sorted(draw(st.lists(st.sampled_from(LEVELS), min_size=n, max_size=n)), key=LEVELS.index)
    return {
        "name": draw(text), "supervisor": draw(text), "implementer": draw(text), "goal": draw(text),
        "budget": Decimal(draw(st.integers(1, 10**6))) / 100,
        "indicators": [(l1, l2, draw(text), draw(st.sampled_from(VALUES))) for l1, l2 in levels],
    }


@st.composite
def layouts(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "name": draw(st.sampled_from(["项目名称", "预算项目名称"])),
        "supervisor": draw(st.sampled_from(["主管部门", "项目主管部门", "主管部门及编码"])),
        "implementer": draw(st.sampled_from(["实施单位", "项目实施单位", "项目执行单位"])),
        "budget": draw(st.sampled_from(["年度资金总额", "预算数", "年度资金申请总额", "当年资金总额"])),
        "goal": draw(st.sampled_from(["年度目标", "年度绩效目标", "绩效目标"])),
        "goal_below": draw(st.booleans()),
        "unit": draw(st.sampled_from([None, "单位:万元", "金额单位:元", "label元", "label万元"])),
        "name_header": draw(st.sampled_from(["三级指标", "指标名称", "指标内容"])),
        "value_header": draw(st.sampled_from(["指标值", "目标值", "年度指标值", "年度(/项目)指标值"])),
        "split": draw(st.booleans()),
        "repeat_levels": draw(st.booleans()),
        "score_suffix": draw(st.booleans()),
        "order": draw(st.permutations(["name", "value"])),
    }


def _grid(p: dict[str, Any], lay: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["项目支出绩效目标表"]]
    if lay["unit"] in ("单位:万元", "金额单位:元"):
        rows.append(["", "", "", lay["unit"]])
    in_yuan = lay["unit"] in ("金额单位:元", "label元")
    amount = int(p["budget"] * 10000) if in_yuan else float(p["budget"])
    rows += [[lay["name"], p["name"]], [lay["supervisor"], p["supervisor"], lay["implementer"], p["implementer"]]]
    if lay["unit"] and lay["unit"].startswith("label"):
        rows.append([f"资金情况({lay['unit'][5:]})", lay["budget"], amount])
    else:
        rows.append([lay["budget"], amount])
    if lay["goal_below"]:
        rows += [["总体目标", lay["goal"]], ["", p["goal"]]]
    else:
        rows.append([lay["goal"], p["goal"]])
    value_cols = ["符号", "数值", "单位"] if lay["split"] else [lay["value_header"]]
    header = ["一级指标", "二级指标"]
    for key in lay["order"]:
        header += [lay["name_header"]] if key == "name" else ([lay["value_header"]] + [""] * (len(value_cols) - 1))
    rows.append(header)
    if lay["split"]:
        sub = ["", ""]
        for key in lay["order"]:
            sub += [""] if key == "name" else value_cols
        rows.append(sub)
    prev: tuple[str, str] | None = None
    for l1, l2, name, (op, num, unit) in p["indicators"]:
        first1 = prev is None or prev[0] != l1
        c1 = (f"{l1}(50分)" if lay["score_suffix"] else l1) if first1 or lay["repeat_levels"] else ""
        c2 = l2 if first1 or prev is None or prev[1] != l2 or lay["repeat_levels"] else ""
        row = [c1, c2]
        for key in lay["order"]:
            row += [name] if key == "name" else ([op, num, unit] if lay["split"] else [f"{op}{num}{unit}"])
        rows.append(row)
        prev = (l1, l2)
    width = max(len(r) for r in rows)
    return [[None if v == "" else v for v in r] + [None] * (width - len(r)) for r in rows]


@settings(max_examples=150, deadline=None)
@given(projects(), layouts())
def test_any_block_layout_reads_to_the_same_project(p: dict[str, Any], lay: dict[str, Any]):
    grid = _grid(p, lay)
    dept = form_reader.read(["表"], lambda _s: grid, None)
    assert dept.read_issues == []
    assert len(dept.projects) == 1
    got = dept.projects[0]
    assert (got.name, got.supervisor, got.implementer, got.goal) == (
        p["name"], p["supervisor"], p["implementer"], p["goal"])
    assert float(parse_amount(got.budget).wan) == pytest.approx(float(p["budget"]))
    want = [(l1, l2, name, f"{op}{num}{unit}") for l1, l2, name, (op, num, unit) in p["indicators"]]
    assert [(i.level1, i.level2, i.name, i.value) for i in got.indicators] == want
