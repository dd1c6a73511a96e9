"""双监控 rules: each fires and keeps quiet; the seed with actuals gives exactly the expected findings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pyxl.cli import main
from pyxl.core.config import load_config
from pyxl.core.errors import ConfigError
from pyxl.core.loader import load_data
from pyxl.core.model import Department, Indicator, Location, Project, Target
from pyxl.rules import run_rules
from pyxl.rules.monitoring import met_cells, parse_date, required_progress

FIXTURE = Path(__file__).parent / "data" / "tribunal_monitoring.yaml"
MONITORING = {"actual-misses-target", "actual-near-target", "actual-far-exceeds-target", "actual-unparsed",
              "deviation-reason-missing", "spend-behind-plan", "spend-behind-time", "spend-over-budget"}
AS_OF = dt.date(2026, 10, 31)


def located(ind: Indicator, row: int) -> Indicator:
    ind.loc = {k: Location("绩效指标", f"{c}{row}") for k, c in (("actual", "I"), ("deviation_reason", "K"))}
    return ind


def dept_with(
    *indicators: Indicator, spend_actual: dict | None = None, budget: object = "74.5 万元"
) -> Department:
    p = Project(code="144001001", name="测试项目", budget=budget,
                spend_plan={"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"},
                spend_actual=dict(spend_actual or {}),
                indicators=[located(ind, 4 + i) for i, ind in enumerate(indicators)])
    for i, label in enumerate(p.spend_plan):
        p.loc[f"spend_actual.{label}"] = Location("项目", f"{'LMNO'[i]}5")
    return Department(name="测试单位", year=2026, projects=[p])


def monitoring(dept: Department, config=None, as_of: dt.date | None = AS_OF) -> list[tuple[str, str | None]]:
    return sorted((f.rule, f.cell) for f in run_rules(dept, config, as_of=as_of) if f.rule in MONITORING)


def ind(value: str, actual: object, *, reason: str | None = None, level1: str = "产出指标",
        level2: str = "质量指标", name: str = "结案率") -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, description=name, value=value, basis="计划标准",
                     actual=actual, deviation_reason=reason)


def toml(tmp_path: Path, text: str):
    path = tmp_path / "rules.toml"
    path.write_text(text, "utf-8")
    return load_config(path)


# ------------------------------------------------------------------ actual vs target


def test_actual_misses_target_fires_and_asks_for_a_reason() -> None:
    assert monitoring(dept_with(ind("≥95%", "80%"))) == [
        ("actual-misses-target", "I4"), ("deviation-reason-missing", "K4")]


def test_missed_target_with_a_reason_gives_only_the_miss() -> None:
    assert monitoring(dept_with(ind("≥95%", "80%", reason="人员保障"))) == [("actual-misses-target", "I4")]


def test_met_target_is_quiet_and_green() -> None:
    dept = dept_with(ind("≥95%", "96%"), ind("≤0.5万元", "3,000 元", level1="成本指标", name="印刷费"))
    assert monitoring(dept) == []
    assert met_cells(dept, load_config()) == [("绩效指标", "I4"), ("绩效指标", "I5")]


def test_near_target_is_a_warning_without_deviation_reason() -> None:
    assert monitoring(dept_with(ind("≥95%", "93%"))) == [("actual-near-target", "I4")]


def test_tolerance_comes_from_config(tmp_path: Path) -> None:
    wide = toml(tmp_path, "[monitoring]\nnear_tolerance = 0.2\n")
    assert monitoring(dept_with(ind("≥95%", "80%")), wide) == [("actual-near-target", "I4")]


def test_far_exceeds_fires_at_130_percent_and_needs_a_reason() -> None:
    dept = dept_with(ind("≥100件", "130件", name="受理案件数"), ind("≥100件", "129件", name="结案数"))
    assert monitoring(dept) == [("actual-far-exceeds-target", "I4"), ("deviation-reason-missing", "K4")]
    [far] = [f for f in run_rules(dept, as_of=AS_OF) if f.rule == "actual-far-exceeds-target"]
    assert "130%" in far.message
    assert (("绩效指标", "I4")) in met_cells(dept, load_config())  # met, and warned


def test_far_exceeds_ratio_from_config(tmp_path: Path) -> None:
    cfg = toml(tmp_path, "[monitoring]\nfar_exceeds_ratio = 1.2\n")
    assert ("actual-far-exceeds-target", "I4") in monitoring(dept_with(ind("≥100件", "125件")), cfg)


def test_actual_unparsed_says_why() -> None:
    dept = dept_with(ind("≥95%", "快完成了"), ind("≥95%", "14人"), ind("≥95%", "96%"))
    assert monitoring(dept) == [("actual-unparsed", "I4"), ("actual-unparsed", "I5")]
    messages = [f.message for f in run_rules(dept, as_of=AS_OF) if f.rule == "actual-unparsed"]
    assert "不是可识别的数值" in messages[0] and "单位" in messages[1]


def test_no_actual_and_no_target_are_quiet() -> None:
    assert monitoring(dept_with(ind("≥95%", None), ind("以实际发生次数为准", "12次"))) == []


def test_assumed_direction_is_stated_in_the_message() -> None:
    dept = dept_with(ind("74.5 万元", "80万元", level1="成本指标", level2="经济成本指标", name="项目支出"))
    [f] = [f for f in run_rules(dept, as_of=AS_OF) if f.rule == "actual-misses-target"]
    assert "按“≤”理解" in f.message


def test_qualitative_traffic_light() -> None:
    dept = dept_with(ind("达到", "达成"), ind("达到", "基本达到"), ind("优", "差", reason="其他"))
    assert monitoring(dept) == [("actual-misses-target", "I6"), ("actual-near-target", "I5")]
    assert met_cells(dept, load_config()) == [("绩效指标", "I4")]


def test_department_targets_are_monitored_too() -> None:
    dept = dept_with()
    t = Target(goal="依法审查立案", indicator="一审简易程序适用率", value="≥80%", actual="70%")
    t.loc = {"actual": Location("部门整体", "E9")}
    dept.targets.append(t)
    assert monitoring(dept) == [("actual-misses-target", "E9")]  # no 偏差原因 column there


# ------------------------------------------------------------------ spending


def test_spend_over_budget_fires_after_unit_conversion() -> None:
    assert monitoring(dept_with(spend_actual={"3月底": 19, "6月底": "800000元"})) == [
        ("spend-over-budget", "M5")]
    assert monitoring(dept_with(spend_actual={"3月底": 19, "6月底": "745000元"})) == []


def test_spend_behind_plan_only_at_passed_checkpoints() -> None:
    spent = {"3月底": 19, "6月底": 30, "10月底": 70}
    assert monitoring(dept_with(spend_actual=spent), as_of=dt.date(2026, 6, 29)) == []
    june = monitoring(dept_with(spend_actual=spent), as_of=dt.date(2026, 6, 30))
    assert june == [("spend-behind-plan", "M5")]


def test_spend_behind_plan_points_from_config(tmp_path: Path) -> None:
    cfg = toml(tmp_path, "[monitoring]\nbehind_plan_points = 15\n")
    spent = {"3月底": 19, "6月底": 30}  # 6月底: 40.3 % against 50 %
    assert monitoring(dept_with(spend_actual=spent), cfg, as_of=dt.date(2026, 7, 1)) == []
    july = monitoring(dept_with(spend_actual=spent), as_of=dt.date(2026, 7, 1))
    assert july == [("spend-behind-plan", "M5")]


def test_spend_behind_time_default_profile() -> None:
    # 2026-10-31: 序时进度 = 304 / 365 = 83.3 %; 10 points of slack
    behind = [("spend-behind-plan", "N5"), ("spend-behind-time", "N5")]
    assert monitoring(dept_with(spend_actual={"10月底": 52})) == behind  # 69.8 %: under 75 % and 73.3 %
    assert monitoring(dept_with(spend_actual={"10月底": 57})) == []  # 76.5 %
    [f] = [f for f in run_rules(dept_with(spend_actual={"10月底": 52}), as_of=AS_OF)
           if f.rule == "spend-behind-time"]
    assert "2026-10-31" in f.message and "序时进度 83.3%" in f.message


def test_spend_behind_time_uses_the_latest_actual() -> None:
    assert monitoring(dept_with(spend_actual={"3月底": 10, "6月底": 30}), as_of=dt.date(2026, 7, 20)) == [
        ("spend-behind-plan", "L5"), ("spend-behind-plan", "M5"), ("spend-behind-time", "M5")]


def test_fixed_lines_profile(tmp_path: Path) -> None:
    cfg = toml(tmp_path, '[monitoring]\nprofile = "fixed_lines"\n')
    spent = {"10月底": 59.6}  # 80.0 %
    assert monitoring(dept_with(spend_actual=spent), cfg) == []
    assert monitoring(dept_with(spend_actual={"10月底": 59}), cfg) == [("spend-behind-time", "N5")]
    assert required_progress(cfg, 2026, dt.date(2026, 10, 30)) == (60.0, "8月底进度线", 0.0)
    assert required_progress(cfg, 2026, dt.date(2026, 4, 29))[0] == 0.0
    [f] = [f for f in run_rules(dept_with(spend_actual={"10月底": 59}), cfg, as_of=AS_OF)
           if f.rule == "spend-behind-time"]
    assert "10月底进度线 80.0%" in f.message


def test_unknown_profile_is_a_config_error(tmp_path: Path) -> None:
    # refused when the file is loaded, before any rule runs (whether or not the workbook has actuals)
    with pytest.raises(ConfigError, match=r"monitoring\.profile"):
        toml(tmp_path, '[monitoring]\nprofile = "sichuan"\n')


def test_unreadable_actual_spending_is_amount_unparsed() -> None:
    findings = run_rules(dept_with(spend_actual={"3月底": "约二十万"}), as_of=AS_OF)
    assert [(f.rule, f.cell) for f in findings if f.rule == "amount-unparsed" and f.cell == "L5"] == [
        ("amount-unparsed", "L5")]


def test_as_of_from_the_department_then_today() -> None:
    dept = dept_with(spend_actual={"10月底": 52})
    behind = [("spend-behind-plan", "N5"), ("spend-behind-time", "N5")]
    dept.as_of = "2026-10-31"
    assert monitoring(dept, as_of=None) == behind
    dept.as_of = "2026-04-01"  # early in the year: nothing is due or behind yet
    assert monitoring(dept, as_of=None) == []
    assert monitoring(dept, as_of=AS_OF) == behind  # --as-of wins


@pytest.mark.parametrize(("text", "date"), [
    ("2026-10-31", dt.date(2026, 10, 31)), ("2026/10/31", dt.date(2026, 10, 31)),
    ("2026年10月31日", dt.date(2026, 10, 31)), ("2026-02-30", None), ("下月", None), (None, None),
    (dt.datetime(2026, 1, 2, 3, 4), dt.date(2026, 1, 2)),
])
def test_parse_date(text: object, date: dt.date | None) -> None:
    assert parse_date(text) == date


# ------------------------------------------------------------------ the seed with actuals


def expected_cells(dept: Department) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]]]:
    """What the fixture must give, by item, mapped to the cells the workbook put them in."""
    targets = {t.indicator: t for t in dept.targets}
    projects = {p.code: p for p in dept.projects}

    def indicator(code: str, name: str, nth: int = 0):
        return [i for i in projects[code].indicators if i.name == name][nth]

    def cell(obj, key: str) -> tuple[str, str]:
        loc = obj.loc[key]
        return loc.sheet, loc.cell

    # why each one: see the comments in tests/data/tribunal_monitoring.yaml
    findings = {
        ("actual-near-target", *cell(targets["一审服判息诉率"], "actual")),  # ≥80%, 78%
        ("actual-far-exceeds-target", *cell(targets["受理案件数"], "actual")),  # ≥560件, 800件 = 143%
        ("actual-misses-target", *cell(targets["案件结案率"], "actual")),  # 达到76%, 70%
        ("actual-near-target", *cell(indicator("144001001", "工作任务完成及时率"), "actual")),  # 100%, 96%
        ("actual-misses-target", *cell(indicator("144001001", "依法履职尽责"), "actual")),  # reason given
        ("actual-misses-target", *cell(indicator("144001001", "生态可持续"), "actual")),
        ("deviation-reason-missing", *cell(indicator("144001001", "生态可持续"), "deviation_reason")),
        ("actual-unparsed", *cell(indicator("144001002", "保全、查封时效性"), "actual")),  # 基本完成 vs 100%
        ("actual-near-target", *cell(indicator("144001002", "生态可持续"), "actual")),  # ≥95%, 94%
        # 差旅费 3.5 万元: 6月底 1.5 (42.9% < 50%), 10月底 21000元 = 2.1 (60% < 75%, and < 83.3% - 10)
        ("spend-behind-plan", *cell(projects["144001002"], "spend_actual.6月底")),
        ("spend-behind-plan", *cell(projects["144001002"], "spend_actual.10月底")),
        ("spend-behind-time", *cell(projects["144001002"], "spend_actual.10月底")),
    }
    met = {cell(targets[n], "actual") for n in
           ("一审简易程序适用率", "一审案件撤诉率", "审限内结案率", "平均审理时", "受理案件数",
            "当事人对民事诉讼案件满意度")}
    met |= {cell(indicator("144001001", n), "actual") for n in
            ("聘用人员数量", "工资发放精准性", "项目实际支出是否控制在预算内", "项目实现功能",
             "被服务对象满意")}
    met |= {cell(indicator("144001002", n), "actual") for n in
            ("保全、查封精确性", "项目实际支出是否控制在预算内", "项目实现功能", "依法履职尽责",
             "被服务对象满意")}
    return findings, met


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pyxl.api import fill

    return fill(load_data(FIXTURE), tmp_path_factory.mktemp("mon") / "monitoring.xlsx")


def test_seed_with_actuals_gives_exactly_the_expected_findings(filled: Path) -> None:
    from pyxl.workbook import open_file, validate_book

    report = validate_book(open_file(filled), as_of=AS_OF, mark=False)
    got = {(f.rule, f.sheet, f.cell) for f in report.findings if f.rule in MONITORING}
    findings, met = expected_cells(report.department)
    assert got == findings
    assert set(report.met) == met
    assert len(report.met) == len(met)
    # the same verdicts from the data file alone, without a workbook
    from_data = sorted(f.rule for f in run_rules(load_data(FIXTURE), as_of=AS_OF) if f.rule in MONITORING)
    assert from_data == sorted(r for r, _, _ in findings)


def test_seed_uses_its_own_as_of_date(filled: Path) -> None:
    from pyxl.workbook import open_file, validate_book

    with_date = {(f.rule, f.cell) for f in validate_book(open_file(filled), as_of=AS_OF, mark=False).findings}
    from_cell = {(f.rule, f.cell) for f in validate_book(open_file(filled), mark=False).findings}
    assert with_date == from_cell  # the workbook's 评估日期 is 2026-10-31
    june = {(f.rule, f.cell) for f in validate_book(open_file(filled), as_of=dt.date(2026, 6, 30),
                                                     mark=False).findings if f.rule.startswith("spend")}
    assert {r for r, _ in june} == {"spend-behind-plan"}  # 10月底 has not passed; 60% is ahead of 49.6%


def test_cli_validate_colours_met_targets_green(filled: Path, tmp_path: Path) -> None:
    import openpyxl

    out, report = tmp_path / "checked.xlsx", tmp_path / "report.json"
    result = CliRunner().invoke(main, ["validate", str(filled), "-o", str(out), "--json", str(report),
                                       "--as-of", "2026-10-31", "-q"])
    assert result.exit_code == 1, result.output  # actual-misses-target is an error
    data = json.loads(report.read_text("utf-8"))
    assert {f["rule"] for f in data["findings"]} >= MONITORING - {"spend-over-budget"}
    wb = openpyxl.load_workbook(out)
    mirror = wb["_pyxl_绩效指标"]
    dept = load_data(FIXTURE)
    assert dept.projects[0].indicators[0].name == "聘用人员数量"
    assert mirror["I4"].value == "G"  # met: green
    assert mirror["I6"].value == "W"  # near
    assert mirror["I9"].value == "E"  # missed
    assert wb["_pyxl_部门整体"]["E14"].value == "W"  # met but far exceeded: the warning wins
