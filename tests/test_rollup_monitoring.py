"""双监控 in the rollup (issue 6, deliverable 4): 预算执行率 and 目标达成/接近/未达成 per department
and project, 完成情况 per indicator, and the monitoring findings in 问题清单 and the JSON.

Three departments: the seed tribunal with its in-year actuals (tests/data/tribunal_monitoring.yaml),
a generated department whose targets and actuals this test writes (so every verdict is known by
construction), and a generated department with no actuals at all.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from pyxl.api import fill, validate
from pyxl.consolidate import rollup
from pyxl.core.generate import generate_department
from pyxl.core.loader import load_data
from pyxl.core.model import Department
from pyxl.core.schedule import checkpoint_month
from pyxl.core.units import parse_amount

AS_OF = dt.date(2026, 10, 31)
TRIBUNAL = Path(__file__).parent / "data" / "tribunal_monitoring.yaml"
MONITORING_PREFIXES = ("actual-", "spend-", "deviation-")

# (指标值, 实际完成值, 完成情况) — each verdict follows from the operator, the unit and the 5 % tolerance
CASES = (
    ("≥95%", "96%", "达成"),
    ("≥95%", "92%", "接近"),  # 95 − 92 = 3 ≤ 5 % × 95 = 4.75
    ("≥95%", "80%", "未达成"),
    ("≤3个工作日", "3个工作日", "达成"),  # exactly at the bound
    ("≤3个工作日", "4个工作日", "未达成"),  # 4 > 3 + 0.15
    ("≤0.5万元", "3000元", "达成"),  # units normalised
    ("=100%", "97%", "接近"),
    ("90%-95%", "100%", "未达成"),  # above the range by more than 5 % of 95 (99.75)
    ("达到", "基本达成", "部分达成"),  # 定性: the traffic light's word
    ("≥120次", "一些", "无法比较"),
    ("≥120次", None, None),  # nothing reported yet
)
COUNTED = {"达成": "met", "接近": "near", "部分达成": "near", "未达成": "missed"}
# spending per project of the monitored department: {checkpoint: amount}; budgets come from the generator
SPENDING = (
    {"3月底": "10%", "6月底": "50%", "10月底": "80%"},  # on plan
    {"3月底": "5%", "6月底": "10%"},  # behind plan and behind 序时进度; latest is June
    {},  # nothing reported
)


def _monitored() -> Department:
    dept = generate_department(len(SPENDING), len(CASES), seed=61, name="监控测试单位", code="610001")
    for p, spending in zip(dept.projects, SPENDING, strict=True):
        budget = Decimal(repr(p.budget))
        # amounts as 万元 text with exact decimals, a share of the budget
        p.spend_actual = {k: f"{budget * Decimal(v.rstrip('%')) / 100}万元" for k, v in spending.items()}
        for ind, (value, actual, _) in zip(p.indicators, CASES, strict=True):
            ind.value, ind.actual = value, actual
    dept.targets[0].actual = "91%"  # ≥90%: met
    dept.targets[1].actual = "80%"  # ≥90%: missed
    return dept


def _quiet() -> Department:
    return generate_department(2, 4, seed=62, name="未填报单位", code="620001")


def _latest_rate(budget: object, spend: dict[str, object]) -> tuple[Decimal, Decimal] | None:
    """(latest cumulative actual, budget) in 万元, computed here from the data; None if nothing is reported."""
    points = {checkpoint_month(k): parse_amount(v) for k, v in spend.items() if v is not None}
    points = {m: a for m, a in points.items() if m is not None and a is not None}
    b = parse_amount(budget)
    if not points or b is None:
        return None
    latest = points[max(points)]
    scale = {"元": Decimal("0.0001"), "万元": Decimal(1)}
    return Decimal(repr(latest.value)) * scale[latest.unit], Decimal(repr(b.value)) * scale[b.unit]


@pytest.fixture(scope="module")
def rolled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rollup_monitoring")
    depts = {"a_tribunal.xlsx": load_data(TRIBUNAL), "b_monitored.xlsx": _monitored(), "c_quiet.xlsx": _quiet()}
    for name, dept in depts.items():
        fill(dept, folder / name)
    result = rollup(folder, as_of=AS_OF, root=folder)
    yield folder, depts, result
    result.close()


def test_execution_rate_per_project_and_department(rolled) -> None:
    _folder, depts, result = rolled
    projects = result.projects.set_index(["file", "code"])
    departments = result.departments.set_index("file")
    for file, dept in depts.items():
        spent = budgeted = Decimal(0)
        for p in dept.projects:
            got = projects.loc[(file, p.code), "execution_rate"]
            pair = _latest_rate(p.budget, p.spend_actual)
            if pair is None:
                assert got is None or got != got, (file, p.code, got)  # None / NaN
                continue
            spent, budgeted = spent + pair[0], budgeted + pair[1]
            assert got == float(pair[0] / pair[1]), (file, p.code)
        rate = departments.loc[file, "execution_rate"]
        if budgeted:
            assert rate == float(spent / budgeted), file
        else:
            assert rate is None or rate != rate, file
    # the monitored department by hand: 80 % (October) and 10 % (June) of their budgets
    b = [Decimal(repr(p.budget)) for p in depts["b_monitored.xlsx"].projects]
    assert projects.loc[("b_monitored.xlsx", "6100010001"), "execution_rate"] == pytest.approx(0.8)
    assert projects.loc[("b_monitored.xlsx", "6100010002"), "execution_rate"] == pytest.approx(0.1)
    expected = (b[0] * Decimal("0.8") + b[1] * Decimal("0.1")) / (b[0] + b[1])
    assert departments.loc["b_monitored.xlsx", "execution_rate"] == pytest.approx(float(expected))


def test_verdict_column_and_counts(rolled) -> None:
    _folder, _depts, result = rolled
    ind = result.indicators
    mine = ind[(ind["file"] == "b_monitored.xlsx") & (ind["scope"] == "项目")]
    for code, rows in mine.groupby("project_code"):
        got = [None if v is None or v != v else v for v in rows["verdict"]]
        assert got == [c[2] for c in CASES], code
    per_project = {k: sum(COUNTED.get(c[2]) == k for c in CASES) for k in ("met", "near", "missed")}
    assert per_project == {"met": 3, "near": 3, "missed": 3}
    projects = result.projects[result.projects["file"] == "b_monitored.xlsx"]
    for _, row in projects.iterrows():
        assert (row["met"], row["near"], row["missed"]) == (3, 3, 3)
    targets = ind[(ind["file"] == "b_monitored.xlsx") & (ind["scope"] == "部门整体")]
    assert list(targets["verdict"])[:2] == ["达成", "未达成"]
    dept = result.departments.set_index("file")
    # three projects × (3, 3, 3) plus the two 部门整体 targets with an actual
    assert tuple(dept.loc["b_monitored.xlsx", ["met", "near", "missed"]]) == (3 * 3 + 1, 3 * 3, 3 * 3 + 1)
    assert tuple(dept.loc["c_quiet.xlsx", ["met", "near", "missed"]]) == (0, 0, 0)
    # every department: its counts are exactly the verdict column's, 部门整体 targets included
    for file, rows in ind.groupby("file"):
        words = list(rows["verdict"])
        want = tuple(sum(COUNTED.get(w) == k for w in words) for k in ("met", "near", "missed"))
        assert tuple(dept.loc[file, ["met", "near", "missed"]]) == want, file
    # and the tribunal's counts agree with its findings: one finding per missed / near target line
    rules = result.findings[result.findings["file"] == "a_tribunal.xlsx"]["rule"].value_counts()
    assert dept.loc["a_tribunal.xlsx", "missed"] == rules.get("actual-misses-target", 0) > 0
    assert dept.loc["a_tribunal.xlsx", "near"] == rules.get("actual-near-target", 0) > 0


def test_monitoring_findings_in_summary_and_json(rolled, tmp_path) -> None:
    folder, _depts, result = rolled
    found = result.findings
    for file in ("a_tribunal.xlsx", "b_monitored.xlsx"):
        # the findings validate gives the file on its own, monitoring ones included, all reach 问题清单
        alone = validate(folder / file, as_of=AS_OF)
        want = {(f.rule, f.sheet, f.cell) for f in alone.findings if f.rule.startswith(MONITORING_PREFIXES)}
        assert want, file
        mine = found[found["file"] == file]
        assert want <= set(zip(mine["rule"], mine["sheet"], mine["cell"], strict=True)), file
    monitored = set(found[found["file"] == "b_monitored.xlsx"]["rule"])
    assert {"actual-misses-target", "actual-near-target", "actual-unparsed", "deviation-reason-missing",
            "spend-behind-plan", "spend-behind-time"} <= monitored
    assert "spend-behind-time" in set(found[found["file"] == "a_tribunal.xlsx"]["rule"])
    assert not any(r.startswith(MONITORING_PREFIXES) for r in found[found["file"] == "c_quiet.xlsx"]["rule"])

    report = json.loads(result.write_json(tmp_path / "汇总.json").read_text("utf-8"))
    in_json = {(f["file"], f["rule"], f["cell"]) for f in report["findings"] if f["rule"].startswith(MONITORING_PREFIXES)}
    in_frame = {(r.file, r.rule, r.cell) for r in found.itertuples() if r.rule.startswith(MONITORING_PREFIXES)}
    assert in_json == in_frame and in_json
    dept = result.departments.set_index("file")
    for entry in report["departments"]:
        row = dept.loc[entry["file"]]
        assert entry["targets"] == {k: int(row[k]) for k in ("met", "near", "missed")}
        rate = row["execution_rate"]
        assert entry["execution_rate"] == (None if rate is None or rate != rate else rate)


def test_summary_workbook_shows_the_new_columns(rolled, tmp_path) -> None:
    from openpyxl import load_workbook

    _folder, _depts, result = rolled
    out = tmp_path / "汇总.xlsx"
    result.write(out)
    wb = load_workbook(out, read_only=True)
    dept_rows = [r for r in wb["部门汇总"].iter_rows(values_only=True) if r and "预算执行率" in r]
    header = dept_rows[0]
    for h in ("预算执行率", "目标达成", "目标接近", "目标未达成"):
        assert h in header
    ind_rows = list(wb["指标明细"].iter_rows(values_only=True))
    col = ind_rows[2].index("完成情况")
    assert {"达成", "接近", "未达成", "部分达成", "无法比较"} <= {r[col] for r in ind_rows[3:]}
    wb.close()
