"""Rules from the field (issue 15): each fires on a line quoted from a real published document
(tests/data/real/, copied verbatim from the development set) and stays quiet on the seed and on
clean generated departments; the [policy] section and the strict policy shipped with pyxl."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyxl.core.config import load_config
from pyxl.core.errors import ConfigError
from pyxl.core.findings import Severity
from pyxl.core.generate import generate_department
from pyxl.core.loader import load_data
from pyxl.core.model import Department, Indicator, Location, Project, Target
from pyxl.rules import CATALOG, run_rules

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(__file__).parent / "data" / "real"
SEED = ROOT / "pyxl" / "data" / "tribunal.yaml"
STRICT = ROOT / "pyxl" / "policies" / "strict.toml"
NEW_RULES = ("target-vague", "placeholder-left", "indicator-name-duplicate", "unit-missing",
             "polarity-conflict", "date-order")


def quoted(file: str, line: str) -> str:
    """The line as the real document prints it (so a test cannot quote what is not there)."""
    text = (REAL / file).read_text("utf-8")
    assert line in text, f"{line!r} is not in {file}"
    return line


def project(*indicators: Indicator, **fields) -> Project:
    base = dict(code="207101001", name="安全隐患维修", budget="20万元", funding={"财政资金": "20万元"},
                spend_plan={"6月底": "50%", "12月底": "100%"}, goal="消除外延脱落安全隐患",
                indicators=list(indicators))
    base.update(fields)
    return Project(**base)


def dept(*projects: Project, year: int | None = 2023, targets: list[Target] | None = None) -> Department:
    return Department(name="某单位", year=year, projects=list(projects), targets=targets or [])


def rules_of(d: Department, config=None) -> list:
    return run_rules(d, config)


def fired(d: Department, rule: str, config=None) -> list:
    return [f for f in rules_of(d, config) if f.rule == rule]


# ---------------------------------------------------------------- quiet on the seed and generated data


@pytest.mark.parametrize("rule", NEW_RULES)
def test_quiet_on_seed_and_generated(rule: str) -> None:
    assert CATALOG[rule].id == rule
    seed = load_data(SEED)
    assert not fired(seed, rule)
    for seed_no in range(4):
        assert not fired(generate_department(12, 14, seed=seed_no), rule)


# ---------------------------------------------------------------- target-vague


def test_target_vague_fires_on_real_values() -> None:
    # D01: the court's 可持续影响 indicator has the value “持续影响”
    line = quoted("D01_tianjin_hebei_court_2023.txt", "效益指标 | 可持续影响指标 | 消除安全隐患 | 消除安全隐患 | 持续影响 |")
    cells = [c.strip() for c in line.split("|")]
    d05 = quoted("D05_qingshan_school_2020.txt", "效益指标可持续影响指标义务教育优质均衡发展情况稳步提高")
    d03 = quoted("D03_huangshan_police_2025.txt", "指标1:为全市经济发展保驾护航(正面支撑)")
    p = project(
        Indicator(cells[0], cells[1], cells[2], cells[3], cells[4], basis="计划标准"),
        Indicator("效益指标", "可持续影响指标", "义务教育优质均衡发展情况", value=d05.removeprefix(
            "效益指标可持续影响指标义务教育优质均衡发展情况")),
        Indicator("效益指标", "经济效益指标", "为全市经济发展保驾护航", value=d03.split("(")[1].rstrip(")")),
    )
    p.indicators[0].loc["value"] = Location("项目", "E15")
    found = fired(dept(p), "target-vague")
    assert [f.message for f in found] == [
        "指标值“持续影响”不可衡量（“持续影响”）",
        "指标值“稳步提高”不可衡量（“稳步提高”）",
        "指标值“正面支撑”不可衡量（“正面支撑”）",
    ]
    assert (found[0].sheet, found[0].cell, found[0].severity) == ("项目", "E15", Severity.WARNING)
    assert found[0].hint
    # one diagnosis per cell: “持续影响” is vague, not an unreadable 指标值
    assert not fired(dept(p), "target-unparsed")


@pytest.mark.parametrize("value", ["优", "良", "中", "差", "达成", "部分达成", "未达成", "是", "否", "达到",
                                   "≥95%", "有效提升10%", "提升至 98%"])
def test_target_vague_quiet_on_grades_and_numbers(value: str) -> None:
    p = project(Indicator("效益指标", "社会效益指标", "群众安全感", value=value))
    assert not fired(dept(p), "target-vague")


def test_target_vague_word_list_is_config(tmp_path: Path) -> None:
    p = project(Indicator("效益指标", "社会效益指标", "服务保障民生", value="有力保障"))
    assert fired(dept(p), "target-vague")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[vague]\nwords = ["长期"]\n', "utf-8")
    assert not fired(dept(p), "target-vague", load_config(cfg))


def test_target_vague_on_department_targets() -> None:
    d = dept(project(Indicator("产出指标", "数量指标", "维修面积", value="≥400平方米")),
             targets=[Target(goal="改善办学条件", indicator="办学条件", value="持续改善")])
    [f] = fired(d, "target-vague")
    assert f.path == "department.targets[0].value" and f.project is None


# ---------------------------------------------------------------- placeholder-left


def test_placeholder_left_fires_on_real_template_leftovers() -> None:
    # D08 kept the template's “( ≥**个 )” in the 三级 names
    line = quoted("D08_nanyue_poverty_2018.txt", "贫困地区旅游景点开发数量( ≥**个 ) >=4个")
    name, value = line.rsplit(" ", 1)
    money = quoted("D08_nanyue_poverty_2018.txt", "乡村旅游带动增加贫困村收入(≥**万元) >=6万元")
    p = project(Indicator("产出指标", "数量指标", name, value=value),
                Indicator("效益指标", "经济效益指标", money.rsplit(" ", 1)[0], value=money.rsplit(" ", 1)[1]))
    p.indicators[0].loc["name"] = Location("项目", "C3")
    found = fired(dept(p), "placeholder-left")
    assert len(found) == 2
    assert found[0].message == "第 1 条指标的三级指标中留有模板占位符或填写说明“≥**个”"
    assert (found[0].sheet, found[0].cell, found[0].severity) == ("项目", "C3", Severity.ERROR)
    assert found[1].path == "projects[0].indicators[1].name"


@pytest.mark.parametrize(("field", "text", "hit"), [
    ("goal", "完成XX项目建设任务", "XX"),
    ("purpose", "用于××工作", "××"),
    ("implementer", "待填写", "待填写"),
    ("goal", "注:各地请根据实际情况设置指标", "各地请根据实际情况"),
    ("long_term_goal", "（必填）", "(必填)"),
])
def test_placeholder_left_in_any_text_field(field: str, text: str, hit: str) -> None:
    p = project(Indicator("产出指标", "数量指标", "维修面积", value="≥400平方米"), **{field: text})
    [f] = fired(dept(p), "placeholder-left")
    assert f.path == f"projects[0].{field}" and f"“{hit}”" in f.message


def test_placeholder_left_quiet_on_real_clean_lines() -> None:
    line = quoted("D01_tianjin_hebei_court_2023.txt", "产出指标 | 数量指标 | 维修面积 | 维修面积 | ≥400平方米 |")
    cells = [c.strip() for c in line.split("|")]
    p = project(Indicator(*cells[:5], basis="计划标准"), purpose="用于维修审判楼玻璃幕墙等",
                goal="1.维修审判大楼玻璃幕墙等,消除外延脱落安全隐患。")
    assert not fired(dept(p), "placeholder-left")


def test_placeholder_merged_cell_is_reported_once() -> None:
    a = Indicator("产出指标", "数量指标(必填硬性指标)", "疫苗使用率", value="100%")
    b = Indicator("产出指标", "数量指标(必填硬性指标)", "维持治疗需求", value="100%")
    for ind in (a, b):
        ind.loc["level2"] = Location("批复表", "B7")  # one merged cell read into both rows
    assert len(fired(dept(project(a, b)), "placeholder-left")) == 1


def test_placeholder_bad_pattern_is_a_config_error(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[placeholders]\npatterns = ['(']\n", "utf-8")
    with pytest.raises(ConfigError):
        rules_of(dept(project()), load_config(cfg))


# ---------------------------------------------------------------- indicator-name-duplicate


def test_indicator_name_duplicate_fires_on_real_table() -> None:
    # D14 lists “满足海洛因成瘾患者维持治疗需求” under 数量指标 and again under 社会效益指标
    text = (REAL / "D14_shizuishan_cdc_2020.txt").read_text("utf-8")
    name = quoted("D14_shizuishan_cdc_2020.txt", "满足海洛因成瘾患者维持治疗需求")
    assert text.count(name) == 2
    p = project(Indicator("产出指标", "数量指标", "疫苗使用率", value="100%"),
                Indicator("产出指标", "数量指标", name, value="100%"),
                Indicator("效益指标", "社会效益指标", "满足辖区居民对常用疫苗的需求", value="100%"),
                Indicator("效益指标", "社会效益指标", name, value="100%"))
    p.indicators[1].loc["name"] = Location("批复表", "A12")
    p.indicators[3].loc["name"] = Location("批复表", "A30")
    [f] = fired(dept(p), "indicator-name-duplicate")
    assert (f.sheet, f.cell, f.severity) == ("批复表", "A30", Severity.ERROR)
    assert f.message == f"三级指标“{name}”在本项目中重复（另见第 2 条指标，批复表!A12）"


def test_indicator_name_duplicate_quiet_across_projects() -> None:
    ind = Indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", value="≥90%")
    other = Indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", value="≥90%")
    assert not fired(dept(project(ind), project(other, code="207101002", name="办案业务费")),
                     "indicator-name-duplicate")


# ---------------------------------------------------------------- unit-missing


def test_unit_missing_fires_on_real_bare_count() -> None:
    # D06: “重点建设工程安排数量” with the value 2, no unit anywhere
    text = (REAL / "D06_qingshan_edu_infra_2020.txt").read_text("utf-8")
    assert "重点建设工程安排数量\n\n2\n" in text
    p = project(Indicator("产出指标", "数量指标", "重点建设工程安排数量", value="2"))
    [f] = fired(dept(p), "unit-missing")
    assert f.message == "指标值“2”没有计量单位" and f.severity is Severity.WARNING
    p.indicators[0].value = 2  # a number cell
    assert fired(dept(p), "unit-missing")


@pytest.mark.parametrize(("name", "value", "unit"), [
    ("重点建设工程安排数量", "2", "个"),  # the unit column holds it
    ("重点建设工程验收合格率", "100%", None),  # a percentage
    ("视频监控在线率", "≥0.97", None),  # a count-free ratio (D03 writes “≥0.97比例”)
    ("维修面积", "≥400平方米", None),
    ("满意度", "达到", None),
])
def test_unit_missing_quiet(name: str, value: str, unit: str | None) -> None:
    p = project(Indicator("产出指标", "数量指标", name, value=value, unit=unit))
    assert not fired(dept(p), "unit-missing")


def test_unit_missing_quiet_on_real_split_columns() -> None:
    # D10 keeps 指标性质 / 指标值 / 度量单位 in separate columns: the reader composes the value, keeps the unit
    line = quoted("D10_jingyan_mata_town_2023.txt", "| 产出指标 | 数量指标 | 村组干部230人 | ≥ | 230 | 个 | 10 | 正向指标 |")
    cells = [c.strip() for c in line.strip("|").split("|")]
    p = project(Indicator(cells[0], cells[1], cells[2], value=cells[3] + cells[4], unit=cells[5],
                          weight=cells[6], polarity=cells[7]))
    assert not fired(dept(p), "unit-missing")
    p.indicators[0].unit = None
    assert fired(dept(p), "unit-missing")


# ---------------------------------------------------------------- polarity-conflict


def _d10_row() -> list[str]:
    line = quoted("D10_jingyan_mata_town_2023.txt",
                  "| 效益指标 | 社会效益指标 | 维护社会稳定 | ≥ | 95 | % | 10 | 正向指标 | |")
    return [c.strip() for c in line.strip("|").split("|")]


def test_polarity_conflict_fires() -> None:
    # The development set has no row whose direction contradicts its symbol; D10's row (正向指标, ≥)
    # is taken as printed with 指标方向性 set to 反向指标, the mistake reviewers report.
    cells = _d10_row()
    ind = Indicator(cells[0], cells[1], cells[2], value=cells[3] + cells[4] + cells[5], weight=cells[6],
                    polarity="反向指标")
    ind.loc["value"] = Location("申报表", "I5")
    [f] = fired(dept(project(ind)), "polarity-conflict")
    assert f.message == "指标方向“反向指标”与指标值“≥95%”的符号“≥”矛盾"
    assert (f.sheet, f.cell, f.severity) == ("申报表", "I5", Severity.WARNING)
    assert "≤95%" in f.hint
    ind.polarity, ind.value = "正向", "≤24小时"
    [f] = fired(dept(project(ind)), "polarity-conflict")
    assert "≥24小时" in f.hint


@pytest.mark.parametrize(("polarity", "value"), [
    ("正向指标", "≥95%"),  # D10 as printed
    ("反向", "≤3个工作日"), ("正向", "=100%"), ("不低于", "≥95%"), ("小于等于", "<5%"), (None, "≤95%"),
    ("正向", "达成"),
])
def test_polarity_conflict_quiet(polarity: str | None, value: str) -> None:
    cells = _d10_row()
    ind = Indicator(cells[0], cells[1], cells[2], value=value, polarity=polarity)
    assert not fired(dept(project(ind)), "polarity-conflict")


# ---------------------------------------------------------------- date-order


def test_date_order_real_period_is_quiet_and_reversed_fires() -> None:
    # D06 (2020年度): 项目起止时间 202001-202012, inside its budget year
    text = (REAL / "D06_qingshan_edu_infra_2020.txt").read_text("utf-8")
    assert "项目起止时间\n\n202001-202012" in text and "2020年度" in text
    start, end = "202001-202012".split("-")
    p = project(Indicator("产出指标", "数量指标", "重点建设工程安排数量", value="2个"), start=start, end=end)
    assert not fired(dept(p, year=2020), "date-order")
    # the same period typed the wrong way round
    p.start, p.end = end, start
    p.loc["start"] = Location("项目", "K5")
    [f] = fired(dept(p, year=2020), "date-order")
    assert f.message == "计划开始日期“202012”晚于计划完成日期“202001”"
    assert (f.sheet, f.cell, f.severity) == ("项目", "K5", Severity.ERROR)


def test_date_order_outside_budget_year() -> None:
    p = project(start="2026-01-01", end="2027-06-30")
    [f] = fired(dept(p, year=2026), "date-order")
    assert f.path == "projects[0].end" and "不在预算年度 2026 年内" in f.message
    # a multi-year project (延续性, or a 项目资金总额 above the year's budget) may run past the year
    assert not fired(dept(project(start="2026-01-01", end="2027-06-30", nature="延续性项目"), year=2026),
                     "date-order")
    assert not fired(dept(project(start="2025-07-01", end="2027-06-30", total_budget="60万元"), year=2026),
                     "date-order")
    # no budget year stated: only the order is checked
    assert not fired(dept(project(start="2026-01-01", end="2027-06-30"), year=None), "date-order")


@pytest.mark.parametrize(("start", "end"), [
    ("2026-03-01", "2026-12-31"), ("2026/3/1", "2026年12月31日"), ("2026年3月", "2026年3月"), ("2026", "2026"),
    ("2026-12-31", "2026-12-31"), ("不详", "2026-12-31"),
])
def test_date_order_quiet(start: str, end: str) -> None:
    assert not fired(dept(project(start=start, end=end), year=2026), "date-order")


# ---------------------------------------------------------------- policy


def _operator_missing(config=None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in run_rules(load_data(SEED), config):
        if f.rule == "target-operator-missing":
            out.setdefault(f.severity.value, []).append(f.path)
    return out


def test_strict_policy_makes_the_seeds_seven_missing_operators_errors() -> None:
    default = _operator_missing()
    assert set(default) == {"info"} and len(default["info"]) == 10  # 7 indicator rows + 3 部门整体 targets
    strict = _operator_missing(load_config(STRICT))
    assert len(strict["error"]) == 7 and all(p.startswith("projects[") for p in strict["error"])
    assert len(strict["info"]) == 3 and all(p.startswith("department.targets") for p in strict["info"])


def test_default_policy_keeps_catalog_severities() -> None:
    for f in run_rules(load_data(SEED)):
        assert f.severity is CATALOG[f.rule].severity


def test_policy_required_fields_and_severities(tmp_path: Path) -> None:
    p = project(Indicator("产出指标", "数量指标", "重点建设工程安排数量", value="2"))
    cfg = tmp_path / "c.toml"
    cfg.write_text('[policy]\nrequired_project_fields = ["name", "implementer"]\n'
                   'required_indicator_fields = ["name", "basis"]\n'
                   '[policy.severity]\nunit-missing = "错误"\n', "utf-8")
    found = run_rules(dept(p), load_config(cfg))
    missing = sorted(f.message for f in found if f.rule == "field-missing")
    assert missing == ["实施单位未填写", "指标“重点建设工程安排数量”的指标值确定依据未填写"]
    assert [f.severity for f in found if f.rule == "unit-missing"] == [Severity.ERROR]


@pytest.mark.parametrize("text", [
    '[policy]\noperator_missing_severity = "fatal"\n',
    '[policy]\nrequired_project_fields = ["colour"]\n',
])
def test_policy_bad_values_are_config_errors(tmp_path: Path, text: str) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(text, "utf-8")
    with pytest.raises(ConfigError):
        run_rules(dept(project()), load_config(cfg))


def test_strict_policy_file_is_the_documented_one() -> None:
    docs = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert STRICT.read_text("utf-8").strip() in docs
    load_config(STRICT)  # every key is known and typed like its default


def test_rollup_refuses_a_bad_policy_up_front(tmp_path: Path) -> None:
    import subprocess
    import sys

    cfg = tmp_path / "c.toml"
    cfg.write_text('[policy.severity]\nunit-missing = "严重"\n', "utf-8")
    (tmp_path / "in").mkdir()
    proc = subprocess.run([sys.executable, "-m", "pyxl", "rollup", str(tmp_path / "in"), "-o", str(tmp_path / "s.xlsx"),
                           "--config", str(cfg), "-q"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "policy.severity.unit-missing" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "s.xlsx").exists()


def test_real_court_table_as_a_workbook(tmp_path: Path) -> None:
    """D01 laid out as a grid (one row per line, one cell per “|” field) and validated like any
    workbook: the official-form reader finds its blocks, target-vague marks “持续影响” at its own cell,
    and its “≥95百分比” is not taken for a value without a unit."""
    import openpyxl

    from pyxl.api import validate

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "目标表"
    text = (REAL / "D01_tianjin_hebei_court_2023.txt").read_text("utf-8")
    for line in text.splitlines():
        ws.append([c.strip() or None for c in line.split("|")])
    wb.save(tmp_path / "d01.xlsx")
    report = validate(tmp_path / "d01.xlsx")
    vague = [(f.sheet, f.cell, f.message) for f in report.findings if f.rule == "target-vague"]
    assert vague == [("目标表", "E15", "指标值“持续影响”不可衡量（“持续影响”）")]
    assert ws["E15"].value == "持续影响"
    assert not [f for f in report.findings if f.rule in ("unit-missing", "target-unparsed") and f.cell == "E15"]
    assert not [f for f in report.findings if f.rule == "unit-missing"]


@pytest.mark.parametrize(("pattern", "text"), [
    ("(?i:tbd)", "目标值TBD"), (r"\d{3}待定", "完成100待定"), ("a?待核", "数量待核"), ("(?:x|y)?待核实", "待核实"),
])
def test_placeholder_patterns_of_any_shape_are_found(tmp_path: Path, pattern: str, text: str) -> None:
    """The search's speed-up (a lookahead on the characters a match starts with) never hides a match:
    patterns it cannot analyse are searched as written."""
    from pyxl.rules.placeholders import compile_patterns, first_chars

    cfg = tmp_path / "c.toml"
    cfg.write_text(f"[placeholders]\npatterns = ['{pattern}']\n", "utf-8")
    p = project(Indicator("产出指标", "数量指标", "维修面积", value="≥400平方米"), goal=text)
    [f] = fired(dept(p), "placeholder-left", load_config(cfg))
    assert f.path == "projects[0].goal"
    assert compile_patterns((pattern,)).search(text)
    assert first_chars("a?待核") == {"a", "待"} and first_chars("(?i:tbd)") is None
