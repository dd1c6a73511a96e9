"""Live 双监控 in the workbook: LibreOffice recalculates the formulas and they agree with Python cell by cell.

The colours are conditional formats keyed on formula cells (实时判定 beside the
indicators and targets; hidden 节点状态 / 序时状态 on the 项目 sheet), so
comparing those cached values with Python's findings compares the colours.
A rendered probe checks that LibreOffice paints them, ahead of stale 校验 marks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from libreoffice import needs_libreoffice, recalculate, rendered_cell_colours

from pyxl.api import fill, validate
from pyxl.core.loader import load_data
from pyxl.core.model import Department, Indicator, Project, Target
from pyxl.core.monitoring import Outcome
from pyxl.core.schedule import time_progress_at
from pyxl.core.units import parse_amount
from pyxl.layouts.live_checks import VERDICTS
from pyxl.layouts.template_spec import (
    ACTUAL_GROUP,
    BUDGET_WAN_HEADER,
    DEPT_SHEET,
    EXEC_GROUP,
    GAP_TIME_HEADER,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    LIVE_VERDICT_HEADER,
    PROJECT_SHEET,
    SPEND_STATUS,
    STATUS_GROUP,
    TIME_PROGRESS_LABEL,
    TIME_STATUS_HEADER,
)
from pyxl.marks import status_codes
from pyxl.rules.monitoring import assessments
from pyxl.workbook import Report, open_file, validate_book

FIXTURE = Path(__file__).parent / "data" / "tribunal_monitoring.yaml"
AS_OF = dt.date(2026, 10, 31)
MONITORING = {"actual-misses-target", "actual-near-target", "actual-far-exceeds-target", "actual-unparsed",
              "deviation-reason-missing", "spend-behind-plan", "spend-behind-time", "spend-over-budget"}

pytestmark = [needs_libreoffice, pytest.mark.libreoffice]

# (指标值, 实际完成值, 一级, 二级, 三级, whether the live formula must read it)
CASES: list[tuple[object, object, str, str, str, bool]] = [
    ("≥95%", "96%", "产出指标", "质量指标", "结案率", True),
    ("≥95%", "95%", "产出指标", "质量指标", "结案率", True),  # exactly at the target
    ("≥95%", "90.25%", "产出指标", "质量指标", "结案率", True),  # exactly at the tolerance edge
    ("≥95%", "90.24%", "产出指标", "质量指标", "结案率", True),
    (">95%", "95%", "产出指标", "质量指标", "结案率", True),  # strict
    ("＞90%", "91%", "产出指标", "质量指标", "结案率", True),
    ("≥ 95 %", "96 %", "产出指标", "质量指标", "结案率", True),
    ("≥９５％", "９４％", "产出指标", "质量指标", "结案率", True),  # full width
    ("≥95%", 96, "产出指标", "质量指标", "结案率", True),  # a number cell
    ("≥95%", "0.96", "产出指标", "质量指标", "结案率", True),  # read as 0.96 %, as Python does
    ("≤3.5万元", "35000元", "成本指标", "经济成本指标", "印刷费", True),
    ("≤3.5万元", "36750元", "成本指标", "经济成本指标", "印刷费", True),  # 3.5 × 1.05 万元
    ("≤3.5万元", "36751元", "成本指标", "经济成本指标", "印刷费", True),
    ("≤0.5万元", "3,000 元", "成本指标", "经济成本指标", "印刷费", True),
    ("≥1000元", "0.1万元", "产出指标", "数量指标", "补助发放额", True),
    ("≥1千元", "999元", "产出指标", "数量指标", "补助发放额", True),
    ("<5天", "5天", "产出指标", "时效指标", "办结时限", True),
    ("=100%", "100%", "产出指标", "质量指标", "准确率", True),
    ("=100%", "96%", "产出指标", "质量指标", "准确率", True),
    ("=100%", "94%", "产出指标", "质量指标", "准确率", True),
    ("不低于80%", "79%", "效益指标", "社会效益指标", "服判息诉率", True),
    ("80%以上", "85%", "效益指标", "社会效益指标", "服判息诉率", True),
    ("90%（含）以上", "90%", "效益指标", "社会效益指标", "服判息诉率", True),
    ("达到 560 件以上", "800件", "产出指标", "数量指标", "受理案件数", True),  # far exceeds
    ("达到 560 件以上", "727件", "产出指标", "数量指标", "受理案件数", True),
    ("达到 560 件以上", "728件", "产出指标", "数量指标", "受理案件数", True),  # exactly 130 %
    ("达到 100%", "100%", "产出指标", "质量指标", "发放准确率", True),
    ("至少3次", "3次", "产出指标", "数量指标", "培训次数", True),
    ("高于90%", "90%", "满意度指标", "服务对象满意度指标", "满意度", True),
    ("低于5%", "4%", "效益指标", "社会效益指标", "投诉率", True),
    ("不超过10次", "12次", "产出指标", "数量指标", "超期次数", True),
    ("10次以内", "10次", "产出指标", "数量指标", "超期次数", True),
    ("控制在5万元以内", "5万元", "成本指标", "经济成本指标", "会议费", True),
    ("3天内", "4天", "产出指标", "时效指标", "办结时限", True),
    ("14 人", "14", "产出指标", "数量指标", "聘用人员数量", True),  # ≥ assumed
    ("14 人", "13人", "产出指标", "数量指标", "聘用人员数量", True),
    ("74.5 万元", "80万元", "产出指标", "成本指标", "项目实际支出是否控制在预算内", True),  # ≤ assumed (成本)
    ("50万元", "52万元", "产出指标", "数量指标", "会议费支出控制数", True),  # ≤ assumed (支出…控制)
    ("85 天", "88天", "产出指标", "时效指标", "平均审理天数", True),  # ≤ assumed (time limit)
    ("8小时", "7小时", "产出指标", "数量指标", "培训时长", True),  # ≥: a 时长 to reach
    ("≤0起", "0起", "效益指标", "社会效益指标", "安全事故", True),
    ("≤0起", "1起", "效益指标", "社会效益指标", "安全事故", True),  # zero target, no tolerance
    ("达到", "达成", "效益指标", "社会效益指标", "依法履职", True),
    ("达到", "基本达到", "效益指标", "社会效益指标", "依法履职", True),
    ("达到", "未达到", "效益指标", "社会效益指标", "依法履职", True),
    ("达成年度指标", "部分达成", "效益指标", "社会效益指标", "依法履职", True),
    ("优", "优", "效益指标", "社会效益指标", "服务质量", True),
    ("是", "是", "产出指标", "质量指标", "是否按时", True),
    ("否", "否", "产出指标", "质量指标", "是否发生事故", True),
    # beyond what a formula reads: no live colour, 校验 decides
    ("90%-95%", "92%", "产出指标", "质量指标", "结案率", False),
    ("在 98%", "99%", "产出指标", "质量指标", "出勤率", False),
    ("≥95%", "快完成了", "产出指标", "质量指标", "结案率", False),
    ("≥95%", "达成", "产出指标", "质量指标", "结案率", False),
    ("≥95%", "≥96%", "产出指标", "质量指标", "结案率", False),
    ("≥95%", "96%以上", "产出指标", "质量指标", "结案率", False),
    ("≥1万人次", "9,600人次", "产出指标", "数量指标", "服务人次", False),
    ("3天", "2日", "产出指标", "时效指标", "办结时限", False),
    ("优", "良", "效益指标", "社会效益指标", "服务质量", False),
    ("以实际发生次数为准", "3次", "产出指标", "数量指标", "送达次数", False),
    ("≥95%", None, "产出指标", "质量指标", "结案率", False),
]

# (budget, plan, cumulative actual spending)
PLAN = {"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"}
SPENDING: list[tuple[object, dict, dict]] = [
    ("100万元", PLAN, {"3月底": 30, "6月底": "400000元", "10月底": 70}),  # behind plan twice, behind time
    (10, PLAN, {"3月底": 12}),  # over budget
    ("500000元", PLAN, {"3月底": 12.5, "6月底": 25, "10月底": 40}),  # on track (80 % at 10月底)
    ("3千元", PLAN, {"6月底": "2500元"}),  # 千元 and 元
    (100, PLAN, {"12月底": 10}),  # a checkpoint not yet passed: not behind plan, but behind time
    (50, {"3月底": "25%", "6月底": "50%", "9月底": "75%", "12月底": "100%"}, {"9月底": 30}),  # behind plan
]


def generated() -> Department:
    dept = Department(name="测试单位", year=2026, as_of="2026-10-31")
    p = Project(code="900001", name="指标样例", budget=100, spend_plan=dict(PLAN), goal="样例")
    for value, actual, l1, l2, name, _ in CASES:
        p.indicators.append(Indicator(level1=l1, level2=l2, name=name, description=name, value=value,
                                      basis="计划标准", actual=actual))
    dept.projects.append(p)
    for i, (budget, plan, spent) in enumerate(SPENDING):
        dept.projects.append(Project(code=f"90010{i}", name=f"支出样例{i}", budget=budget,
                                     spend_plan=dict(plan), spend_actual=dict(spent), goal="样例"))
    dept.targets = [Target(goal="样例", indicator=name, value=value, actual=actual)
                    for value, actual, _, _, name, _ in CASES[:12]]
    return dept


def header_columns(ws, row: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for cell in ws[row]:
        if cell.value is not None:
            out.setdefault(str(cell.value), []).append(cell.column)
    return out


def recalculated(dept: Department, tmp_path: Path) -> tuple[Path, Report]:
    filled = fill(dept, tmp_path / "monitoring.xlsx")
    out = recalculate(filled, tmp_path / "lo")
    # Python reads the LibreOffice-saved book (cached header values and all) and judges the same data
    report = validate_book(open_file(out), as_of=AS_OF, mark=False)
    assert report.department is not None
    assert report.department.to_data() == dept.to_data()
    return out, report


Row = tuple[str, str, str | None, str | None, Outcome, object]


def live_verdicts(out: Path, report: Report) -> list[Row]:
    """(sheet, actual cell, live code, Python code, Python outcome, actual) for every target line."""
    wb = openpyxl.load_workbook(out, data_only=True)
    findings = [f for f in report.findings if f.rule in MONITORING]
    codes = status_codes(findings, report.met)
    rows = []
    from pyxl.core.config import load_config

    for a in assessments(report.department, load_config()):
        loc = a.item.loc["actual"]
        ws = wb[loc.sheet]
        header_row = {DEPT_SHEET: None, INDICATOR_SHEET: 3}[loc.sheet]
        if header_row is None:
            header_row = next(r for r in range(1, 30) if ws.cell(row=r, column=5).value == "实际完成值")
        [col] = header_columns(ws, header_row)[LIVE_VERDICT_HEADER]
        row = ws[loc.cell].row
        live = ws.cell(row=row, column=col).value
        rows.append((loc.sheet, loc.cell, VERDICTS.get(live) if live else None,
                     codes.get(loc.sheet, {}).get(loc.cell), a.verdict.outcome, a.item.actual))
    return rows


def test_generated_cases_live_verdicts_agree_with_python(tmp_path: Path) -> None:
    dept = generated()
    out, report = recalculated(dept, tmp_path)
    rows = live_verdicts(out, report)
    covered = [c[-1] for c in CASES[:12]] + [c[-1] for c in CASES]  # targets come first
    assert len(rows) == len(covered)
    for (sheet, cell, live, python, outcome, actual), must_read in zip(rows, covered, strict=True):
        if live is not None:
            assert live == python, f"{sheet}!{cell} ({actual!r}): live {live}, Python {python} ({outcome})"
        assert (live is not None) == must_read, f"{sheet}!{cell} ({actual!r}): live {live!r}"
    # the cases cover every colour
    assert {live for _, _, live, *_ in rows} == {"G", "W", "E", None}


def spending_view(out: Path) -> dict:
    """The 项目 sheet's formula results: per project row, execution per checkpoint and the status words."""
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb[PROJECT_SHEET]
    groups, headers = header_columns(ws, 3), header_columns(ws, 4)
    labels = {c: ws.cell(row=4, column=c).value for c in range(1, ws.max_column + 1)}
    start = {name: groups[name][0] for name in (ACTUAL_GROUP, EXEC_GROUP, STATUS_GROUP)}
    width = headers[BUDGET_WAN_HEADER][0] - start[ACTUAL_GROUP]  # one column per checkpoint
    [progress_label] = [c for c in range(1, 12) if ws.cell(row=1, column=c).value == TIME_PROGRESS_LABEL]
    view = {"progress": ws.cell(row=1, column=progress_label + 1).value, "rows": {}}
    for r in range(5, ws.max_row + 1):
        code = ws.cell(row=r, column=1).value
        if code is None:
            continue
        view["rows"][str(code)] = {
            "row": r,
            "labels": [labels[start[ACTUAL_GROUP] + i] for i in range(width)],
            "actual_cells": [ws.cell(row=r, column=start[ACTUAL_GROUP] + i).coordinate for i in range(width)],
            "exec": [ws.cell(row=r, column=start[EXEC_GROUP] + i).value for i in range(width)],
            "status": [ws.cell(row=r, column=start[STATUS_GROUP] + i).value for i in range(width)],
            "gap_time": ws.cell(row=r, column=headers[GAP_TIME_HEADER][0]).value,
            "time_status": ws.cell(row=r, column=headers[TIME_STATUS_HEADER][0]).value,
        }
    return view


def assert_spending_agrees(out: Path, report: Report) -> None:
    view = spending_view(out)
    assert view["progress"] == pytest.approx(time_progress_at(AS_OF) / 100, abs=1e-12)
    by_cell = {(f.rule, f.cell) for f in report.findings if f.rule.startswith("spend-")}
    for p in report.department.projects:
        if not p.spend_actual:
            continue
        row = view["rows"][p.code]
        budget = parse_amount(p.budget).wan
        columns = zip(row["labels"], row["actual_cells"], row["exec"], row["status"], strict=True)
        for label, cell, executed, status in columns:
            spent = p.spend_actual.get(label)
            if spent is None:
                assert executed is None and status is None
                continue
            assert executed == pytest.approx(parse_amount(spent).wan / budget, rel=1e-12), (p.code, label)
            python = {SPEND_STATUS_WORD[r] for r, c in by_cell if c == cell and r in SPEND_STATUS_WORD}
            assert ({status} - {None}) == python, (p.code, label, status, python)
        python_time = any(r == "spend-behind-time" and p.loc[f"spend_actual.{max_label(p)}"].cell == c
                          for r, c in by_cell)
        assert (row["time_status"] == "落后序时进度") == python_time, p.code


SPEND_STATUS_WORD = {"spend-over-budget": "超预算", "spend-behind-plan": "落后计划"}


def max_label(p: Project) -> str:
    from pyxl.core.schedule import checkpoint_month

    return max(p.spend_actual, key=lambda k: checkpoint_month(k) or 0)


def test_generated_spending_live_status_agrees_with_python(tmp_path: Path) -> None:
    out, report = recalculated(generated(), tmp_path)
    assert_spending_agrees(out, report)
    rules = sorted(f.rule for f in report.findings if f.rule.startswith("spend-"))
    # behind plan: 100万元 at 6月底 and 10月底, 50 at 9月底; behind time: those two and the one whose only
    # actual is at 12月底 (10 %); over budget: 12 of 10
    assert rules == ["spend-behind-plan"] * 3 + ["spend-behind-time"] * 3 + ["spend-over-budget"]
    assert set(SPEND_STATUS) == {"超预算", "落后计划", "落后序时进度"}


def test_seed_with_actuals_live_and_python_agree(tmp_path: Path) -> None:
    dept = load_data(FIXTURE)
    out, report = recalculated(dept, tmp_path)
    for sheet, cell, live, python, outcome, actual in live_verdicts(out, report):
        compared = outcome in (Outcome.MET, Outcome.NEAR, Outcome.MISSED)
        # every target line of the seed a formula can read gets its colour live, the same as 校验's
        assert (live is not None) == compared, f"{sheet}!{cell} ({actual!r})"
        if compared:
            assert live == python, f"{sheet}!{cell} ({actual!r}): live {live}, Python {python}"
    assert_spending_agrees(out, report)
    view = spending_view(out)["rows"]["144001002"]
    assert view["time_status"] == "落后序时进度"
    assert view["gap_time"] == pytest.approx(2.1 / 3.5 - 304 / 365, rel=1e-12)


def test_live_formats_are_on_the_actual_cells(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(fill(load_data(FIXTURE), tmp_path / "m.xlsx"))
    rules = {(str(cf.sqref), r.formula[0], r.dxf.fill.fgColor.rgb[-6:])
             for cf in wb[INDICATOR_SHEET].conditional_formatting for r in cf.rules}
    verdict = openpyxl.utils.get_column_letter(len(INDICATOR_COLUMNS) + 1)  # right of the input columns
    assert ("I4:I521", f'${verdict}4="达成"', "C6EFCE") in rules
    assert ("I4:I521", f'${verdict}4="未达成"', "FFC7CE") in rules
    assert ("I4:I521", f'OR(${verdict}4="接近",${verdict}4="大幅超额")', "FFEB9C") in rules
    project_rules = {(str(cf.sqref), r.formula[0]) for cf in wb[PROJECT_SHEET].conditional_formatting
                     for r in cf.rules}
    assert any(f.endswith('5="超预算"') for _, f in project_rules)
    assert any(f.endswith('5="落后序时进度"') for _, f in project_rules)


def test_libreoffice_paints_live_colours_over_stale_marks(tmp_path: Path) -> None:
    """After 校验 the user corrects an actual: the live verdict shows at once, not the old mark."""
    checked = tmp_path / "checked.xlsx"
    validate(fill(load_data(FIXTURE), tmp_path / "m.xlsx"), out=checked, as_of=AS_OF)
    wb = openpyxl.load_workbook(checked)
    ws = wb[INDICATOR_SHEET]
    assert wb["_pyxl_绩效指标"]["I9"].value == "E"  # 80% against ≥95%: marked red by 校验
    ws["I9"] = "97%"  # corrected after 校验, without running it again
    ws["I4"] = "12人"  # was met (green mark); now missed
    wb.save(checked)
    want = {"I9": (198, 239, 206), "I4": (255, 199, 206), "I6": (255, 235, 156)}
    got = rendered_cell_colours(checked, [(INDICATOR_SHEET, cell) for cell in want], tmp_path / "probes")
    seen = {cell: (colour, want[cell]) for cell, colour in zip(want, got, strict=True)}
    assert all(got == want for got, want in seen.values()), seen
