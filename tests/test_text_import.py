"""Importing published text (PDF extractions like the seed) into pyxl/v1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyxl.core.loader import load_data, model_from_data
from pyxl.layouts.text_import import import_text, split_indicator_phrases
from pyxl.rules.engine import read_issue_findings

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = ROOT / "tests" / "data" / "000_5289086af22c52ff.txt"  # the published seed document, copied in


def field_diff(got: Any, want: Any, path: str = "") -> list[str]:
    """Every differing leaf as "path: imported … / transcribed …"."""
    if isinstance(got, dict) and isinstance(want, dict):
        out = []
        for k in list(want) + [k for k in got if k not in want]:
            out += field_diff(got.get(k), want.get(k), f"{path}.{k}" if path else str(k))
        return out
    if isinstance(got, list) and isinstance(want, list):
        out = [f"{path}: {len(got)} items imported, {len(want)} transcribed"] if len(got) != len(want) else []
        for i, (g, w) in enumerate(zip(got, want, strict=False)):
            out += field_diff(g, w, f"{path}[{i}]")
        return out
    return [] if got == want else [f"{path}:\n    imported    {got!r}\n    transcribed {want!r}"]


def test_seed_text_gives_the_hand_transcription(seed_path: Path) -> None:
    # The text names no department; the transcription calls it 某人民法庭, given here as
    # `pyxl import --name` would.
    dept = import_text(SEED_TEXT.read_text("utf-8"), name="某人民法庭")
    diff = field_diff(dept.to_data(), load_data(seed_path).to_data())
    assert not diff, "imported text differs from pyxl/data/tribunal.yaml:\n" + "\n".join(diff)


def test_seed_import_reports_its_doubts() -> None:
    dept = import_text(SEED_TEXT.read_text("utf-8"))
    found = [(f.rule, f.message.split("：", 1)[0]) for f in read_issue_findings(dept)]
    assert found.count(("import-numbering-duplicate", "第 63 行")) == 1  # the second （六）
    assert ("import-ambiguous", "第 59 行") in found  # （六）绩效指标 attached to goal （五）
    assert ("import-ambiguous", "第 67 行") in found  # 尽职尽责率和工资发放准确率 share 达到 100%
    assert ("import-ambiguous", "第 83 行") in found  # 三、目标规划及保障措施: no field in pyxl/v1
    funding = [f for f in read_issue_findings(dept) if "资金来源" in f.message]
    assert [f.project for f in funding] == ["144001001", "144001002"]  # 财政资 / 财政 → 财政资金
    assert len(found) == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一审简易程序适用率≥80%。", [("一审简易程序适用率", "≥80%")]),
        ("一审案件撤诉率 29%。", [("一审案件撤诉率", "29%")]),
        ("审限内结案率≥100%，平均审理时 85 天。", [("审限内结案率", "≥100%"), ("平均审理时", "85 天")]),
        (
            "受理案件数达到 560 件以上，案件结案率达到 76%，当事人对民事诉讼案件满意度达到 90%以上等。",
            [
                ("受理案件数", "达到 560 件以上"),
                ("案件结案率", "达到 76%"),
                ("当事人对民事诉讼案件满意度", "达到 90%以上"),
            ],
        ),
        (
            "确保在岗在编人员出勤率在 98%、机关工作人员尽职尽责率和工资发放准确率达到 100%",
            [
                ("在岗在编人员出勤率", "98%"),
                ("机关工作人员尽职尽责率", "达到 100%"),
                ("工资发放准确率", "达到 100%"),
            ],
        ),
        (
            "工作日保障单位运转 8小时以上，正常运转事项及时率达到 98%以上。",
            [("工作日保障单位运转", "8小时以上"), ("正常运转事项及时率", "达到 98%以上")],
        ),
        (
            "保全、查封次数不少于 5 次；办结时间不超过 3 个工作日",
            [("保全、查封次数", "不少于 5 次"), ("办结时间", "不超过 3 个工作日")],
        ),
        ("群众满意度提升", [("群众满意度提升", None)]),
        ("满意度、知晓率达到 90%", [("满意度", "达到 90%"), ("知晓率", "达到 90%")]),
    ],
)
def test_indicator_phrases(text: str, expected: list[tuple[str, str | None]]) -> None:
    phrases, _ = split_indicator_phrases(text)
    assert phrases == expected


def test_shared_values_are_doubts() -> None:
    _, doubts = split_indicator_phrases("满意度、知晓率达到 90%，A率和B率达到 1%")
    assert len(doubts) == 2


TABLE = """\
项目编码 440101001 预算项目名称 校园安保服务
项目资金
主要用途
预算数 30 万元。其中：财政拨款 30 万元。用于购买安保服务。
资金支出
计划（%）
3月底 6月底 9月底 12月底
20% 45% 70% 100%
绩效
目标
全年校园安全事故为零，师生满意
一级
指标
二级指标 三级指标 绩效指标描述 指标值
指标值确
定依据
产出
指标
数量指标
安保人员数 在岗安保人员数量 ≥6人 计划标准
巡查次数
每日对校园进行巡查
次数
≥3次 计划标准
质量指标
安全事故发
生率
校园安全事故发生率 =0 历史标准
成本指标
经济成本指
标
安保服务成
本
年度安保服务合同金
额
≤30万元 计划标准
满意度指
标
服务对象
满意度指
标
师生满意度 问卷调查师生满意度 ≥90% 行业标准
"""


def test_table_rows_rejoined_from_wrapped_lines() -> None:
    """Cells wrapped over lines, two rows under one 二级 (merged in print), 成本指标 as a 一级."""
    dept = import_text(TABLE)
    assert read_issue_findings(dept) == []
    (p,) = dept.projects
    assert (p.code, p.name, p.budget, p.funding) == (
        "440101001",
        "校园安保服务",
        "30 万元",
        {"财政拨款": "30 万元"},
    )
    assert p.spend_plan == {"3月底": "20%", "6月底": "45%", "9月底": "70%", "12月底": "100%"}
    assert p.goal == "全年校园安全事故为零，师生满意"
    rows = [(i.level1, i.level2, i.name, i.description, i.value, i.basis) for i in p.indicators]
    assert rows == [
        ("产出指标", "数量指标", "安保人员数", "在岗安保人员数量", "≥6人", "计划标准"),
        ("产出指标", "数量指标", "巡查次数", "每日对校园进行巡查次数", "≥3次", "计划标准"),
        ("产出指标", "质量指标", "安全事故发生率", "校园安全事故发生率", "=0", "历史标准"),
        ("成本指标", "经济成本指标", "安保服务成本", "年度安保服务合同金额", "≤30万元", "计划标准"),
        ("满意度指标", "服务对象满意度指标", "师生满意度", "问卷调查师生满意度", "≥90%", "行业标准"),
    ]


def test_nothing_is_dropped_silently() -> None:
    """Text that has no place in pyxl/v1 is reported with its line, wherever it stands."""
    text = "\n".join(
        [
            "2026年某某局部门整体绩效目标",  # 1 title: gives the year
            "请各科室认真落实。",  # 2 stray line before the sections
            "一、总体绩效目标",  # 3
            "做好各项工作。",  # 4
            "二、分项绩效目标",  # 5
            "（一）绩效目标：做好服务。",  # 6
            "绩效指标：服务满意度达到 95%。",  # 7
            "（二）另行研究。",  # 8 item without 绩效目标/绩效指标
            "三、保障措施",  # 9
            "加强领导。",  # 10
            TABLE.strip(),  # 11… a project table
            "单位负责人：王五 填表人：李四",  # after the table
            "以上数据仅供参考",
        ]
    )
    dept = import_text(text)
    assert dept.year == 2026
    assert dept.overall_goal == "做好各项工作。"
    assert [(t.goal, t.indicator, t.value) for t in dept.targets] == [("做好服务", "服务满意度", "达到 95%")]
    lines = {f.message.split("：", 1)[0] for f in read_issue_findings(dept)}
    assert {"第 2 行", "第 8 行", "第 9 行"} <= lines
    after = [f for f in read_issue_findings(dept) if "以上数据仅供参考" in f.message]
    assert len(after) == 1
    assert len(dept.projects[0].indicators) == 5  # the trailing lines did not leak into the table


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pyxl", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_cli_import_to_yaml_json_and_form(tmp_path: Path, seed_path: Path) -> None:
    out, report = tmp_path / "seed.yaml", tmp_path / "r.json"
    proc = _run("import", str(SEED_TEXT), "-o", str(out), "--name", "某人民法庭", "--json", str(report))
    assert proc.returncode == 0, proc.stderr
    assert "import-numbering-duplicate" in proc.stdout
    assert load_data(out).to_data() == load_data(seed_path).to_data()
    data = json.loads(report.read_text("utf-8"))
    assert data["counts"] == {"error": 0, "warning": 5, "info": 1}
    assert {f["rule"] for f in data["findings"]} == {"import-ambiguous", "import-numbering-duplicate"}

    form = tmp_path / "seed-form.xlsx"
    assert _run("import", str(SEED_TEXT), "-o", str(form), "--form", "--name", "某人民法庭").returncode == 0
    back = tmp_path / "back.json"
    proc = _run("import", str(form), "-o", str(back))
    assert proc.returncode == 0, proc.stderr
    again = model_from_data(json.loads(back.read_text("utf-8")))
    assert again.to_data() == load_data(seed_path).to_data()


def test_cli_import_rejects_text_without_targets(tmp_path: Path) -> None:
    src = tmp_path / "x.txt"
    src.write_text("会议纪要\n今天开会。\n", "utf-8")
    proc = _run("import", str(src), "-o", str(tmp_path / "x.yaml"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("错误：") and "Error:" in proc.stderr and "Traceback" not in proc.stderr


SEED_LINES = [s for s in SEED_TEXT.read_text("utf-8").splitlines() if s.strip()]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SEED_LINES), max_size=120), st.randoms(use_true_random=False))
def test_any_text_imports_or_reports(lines: list[str], rnd: Any) -> None:
    """Shuffled and cut-up pieces of the seed never crash the importer; every issue has a known rule."""
    from pyxl.rules.catalog import CATALOG

    rnd.shuffle(lines)
    dept = import_text("\n".join(lines))
    assert all(i.rule in CATALOG for i in dept.read_issues)
    read_issue_findings(dept)
    model_from_data(dept.to_data())
