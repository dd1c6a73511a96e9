"""The validation rules: for every rule id, one case that makes it fire and one that keeps
it quiet, on small departments built here; then the seed document."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyxl.core.config import load_config
from pyxl.core.errors import ConfigError
from pyxl.core.findings import Severity
from pyxl.core.loader import load_data
from pyxl.core.model import Department, Indicator, Location, Project, Target
from pyxl.rules import CATALOG, run_rules
from pyxl.rules._where import where

SEED = Path(__file__).resolve().parents[1] / "pyxl" / "data" / "tribunal.yaml"


def good_project(code: str = "144001001", name: str = "办案业务经费", goal: str | None = None) -> Project:
    return Project(
        code=code,
        name=name,
        purpose="主要用于办案业务支出。",
        budget="50万元",
        funding={"财政资金": "50万元", "其他资金": 0},
        spend_plan={"3月底": "25%", "6月底": "50%", "9月底": "75%", "12月底": "100%"},
        goal=goal or "保障审判执行工作正常开展，按期完成年度办案任务",
        indicators=[
            Indicator("产出指标", "数量指标", "办结案件数", "全年办结各类案件的数量", "≥560件", "计划标准"),
            Indicator("产出指标", "质量指标", "结案率", "审结案件占受理案件的比例", "≥90%", "历史标准"),
            Indicator("产出指标", "时效指标", "平均审理天数", "立案到结案的平均天数", "≤85天", "行业标准"),
            Indicator(
                "成本指标", "经济成本指标", "办案经费支出", "全年办案经费的实际支出", "≤50万元", "计划标准"
            ),
            Indicator(
                "效益指标", "社会效益指标", "一审服判息诉率", "一审判决后不再上诉的比例", "≥80%", "历史标准"
            ),
            Indicator(
                "满意度指标", "服务对象满意度指标", "当事人满意度", "问卷调查中表示满意的比例", "≥95%", "其他"
            ),
        ],
    )


def good_dept(*projects: Project) -> Department:
    return Department(
        name="某人民法庭",
        year=2025,
        targets=[Target(goal="依法审查立案", indicator="一审简易程序适用率", value="≥80%")],
        projects=list(projects) or [good_project()],
    )


def run(dept: Department, config=None):
    return run_rules(dept, config)


def of(findings, rule: str):
    return [f for f in findings if f.rule == rule]


def with_indicator(index: int, **changes) -> Department:
    p = good_project()
    for key, value in changes.items():
        setattr(p.indicators[index], key, value)
    return good_dept(p)


def test_a_good_department_has_no_findings():
    assert run(good_dept()) == []


def test_running_twice_gives_the_same_findings():
    dept = load_data(SEED)
    assert run(dept) == run(dept)


# --- where findings point -------------------------------------------------------------


def test_where_prefers_the_field_and_falls_back_to_the_row():
    ind = Indicator(loc={"row": Location("绩效指标", "A7"), "value": Location("绩效指标", "E7")})
    assert where(ind, "value") == Location("绩效指标", "E7")
    assert where(ind, "basis") == Location("绩效指标", "A7")
    assert where(Indicator(), "value") is None


def test_findings_carry_the_cell():
    p = good_project()
    p.budget = None
    p.loc = {"row": Location("项目", "A3")}
    p.indicators[0].value = None
    p.indicators[0].loc = {"value": Location("绩效指标", "E2"), "row": Location("绩效指标", "A2")}
    found = of(run(good_dept(p)), "field-missing")
    assert {(f.path, f.sheet, f.cell) for f in found} == {
        ("projects[0].budget", "项目", "A3"),
        ("projects[0].indicators[0].value", "绩效指标", "E2"),
    }


# --- field-missing -----------------------------------------------------------------


def test_field_missing_fires():
    p = good_project()
    p.budget = None
    p.goal = "   "
    p.indicators[1].value = ""
    p.indicators[2].level2 = None
    found = of(run(good_dept(p)), "field-missing")
    assert {f.path for f in found} == {
        "projects[0].budget",
        "projects[0].goal",
        "projects[0].indicators[1].value",
        "projects[0].indicators[2].level2",
    }
    messages = {f.message for f in found}
    assert "预算数未填写" in messages
    assert "指标“结案率”的指标值未填写" in messages
    assert all(f.severity is Severity.ERROR and f.project == "144001001" for f in found)


def test_field_missing_quiet_for_department_fields_and_blank_rows():
    dept = good_dept()
    dept.name = None
    dept.overall_goal = None
    dept.projects[0].indicators.append(Indicator())  # an empty row of the table
    dept.projects[0].purpose = None
    assert of(run(dept), "field-missing") == []


# --- code-invalid / code-duplicate ------------------------------------------------------


@pytest.mark.parametrize("code", ["144001001.0", "1.44E+08", "144 001", "１４４００１", "ab"])
def test_code_invalid_fires(code):
    found = of(run(good_dept(good_project(code=code))), "code-invalid")
    assert len(found) == 1 and code.strip() in found[0].message


@pytest.mark.parametrize("code", ["144001001", "ZF-2025-001", " 144001001 "])
def test_code_invalid_quiet(code):
    assert of(run(good_dept(good_project(code=code))), "code-invalid") == []


def test_code_duplicate_fires_on_the_later_project():
    dept = good_dept(good_project(), good_project(name="差旅费", goal="保障办案人员外出办案的差旅需要"))
    found = of(run(dept), "code-duplicate")
    assert [f.path for f in found] == ["projects[1].code"]
    assert "办案业务经费" in found[0].message


def test_code_duplicate_quiet():
    dept = good_dept(
        good_project(), good_project(code="144001002", name="差旅费", goal="保障办案人员外出办案的差旅需要")
    )
    assert of(run(dept), "code-duplicate") == []


# --- categories ------------------------------------------------------------------------


def test_category_unknown_fires_for_either_level():
    found = of(run(with_indicator(0, level1="产出")), "category-unknown")
    assert [f.path for f in found] == ["projects[0].indicators[0].level1"]
    assert "一级指标“产出”" in found[0].message and "产出指标" in found[0].hint
    found = of(run(with_indicator(0, level2="数量")), "category-unknown")
    assert [f.path for f in found] == ["projects[0].indicators[0].level2"]
    assert "二级指标“数量”" in found[0].message and "数量指标" in found[0].hint


def test_category_unknown_quiet_for_old_names():
    dept = with_indicator(4, level1="效果指标", level2="可持续性影响")
    assert of(run(dept), "category-unknown") == []
    assert of(run(dept), "category-misplaced") == []


def test_category_misplaced_fires():
    found = of(run(with_indicator(0, level2="社会效益指标")), "category-misplaced")
    assert len(found) == 1
    assert "应属于“效益指标”" in found[0].message


def test_category_misplaced_quiet_for_the_old_cost_layout():
    # before 2021 成本指标 sat under 产出指标: outdated, not misplaced
    found = run(with_indicator(3, level1="产出指标", level2="成本指标"))
    assert of(found, "category-misplaced") == [] and of(found, "category-unknown") == []
    assert [f.message for f in of(found, "category-outdated")] == [
        "“产出指标/成本指标”是旧版名称，现行指标体系为“成本指标/经济成本指标”"
    ]


def test_category_outdated_fires_once_per_project_and_name():
    p = good_project()
    p.indicators[4].level1 = "效果指标"
    p.indicators.append(
        Indicator("效果指标", "经济效益指标", "节约成本", "节约的诉讼成本", "有所降低", "其他")
    )
    found = of(run(good_dept(p)), "category-outdated")
    assert len(found) == 1
    assert found[0].severity is Severity.INFO and found[0].path == "projects[0].indicators[4].level1"
    assert "效益指标" in found[0].message


def test_category_outdated_quiet():
    assert of(run(good_dept()), "category-outdated") == []


def test_category_required_missing_level1_is_an_error():
    p = good_project()
    del p.indicators[5]  # no 满意度指标
    found = of(run(good_dept(p)), "category-required-missing")
    # the missing 服务对象满意度指标 is not repeated as a warning
    assert [(f.severity, f.message) for f in found] == [(Severity.ERROR, "项目缺少一级指标“满意度指标”")]


def test_category_required_missing_level2_is_a_warning():
    p = good_project()
    del p.indicators[2]  # no 时效指标
    found = of(run(good_dept(p)), "category-required-missing")
    assert [(f.severity, f.message) for f in found] == [(Severity.WARNING, "项目缺少二级指标“时效指标”")]


def test_category_required_missing_without_indicators_reports_only_level1():
    p = good_project()
    p.indicators = []
    found = of(run(good_dept(p)), "category-required-missing")
    assert {f.severity for f in found} == {Severity.ERROR}
    assert len(found) == 3


def test_category_required_missing_quiet_with_old_names():
    # 效果指标 counts as 效益指标
    assert of(run(with_indicator(4, level1="效果指标")), "category-required-missing") == []


# --- 指标值 --------------------------------------------------------------------------------


def test_target_unparsed_fires():
    found = of(run(with_indicator(0, value="约八成左右")), "target-unparsed")
    assert [f.path for f in found] == ["projects[0].indicators[0].value"]


def test_target_unparsed_quiet():
    assert of(run(with_indicator(0, value="560件以上")), "target-unparsed") == []


def test_target_unquantified_fires():
    found = of(run(with_indicator(0, value="以实际发生次数为准")), "target-unquantified")
    assert len(found) == 1 and found[0].severity is Severity.WARNING


def test_target_unquantified_quiet_for_grades():
    assert of(run(with_indicator(4, value="达到")), "target-unquantified") == []
    assert of(run(with_indicator(4, value="优")), "target-unquantified") == []


def test_target_operator_missing_states_the_assumed_direction():
    found = of(run(with_indicator(0, value="560件")), "target-operator-missing")
    assert len(found) == 1 and found[0].severity is Severity.INFO
    assert "“≥”" in found[0].message and "≥560件" in found[0].hint
    found = of(run(with_indicator(3, value="50万元")), "target-operator-missing")
    assert "“≤”" in found[0].message and "≤50万元" in found[0].hint


def test_target_operator_missing_suggests_a_consistent_symbol():
    # a bare 100%: "≥100%" would be flagged by target-percent-range, so suggest "=100%"
    found = of(run(with_indicator(1, value="100%")), "target-operator-missing")
    assert "=100%" in found[0].hint
    # a rate where lower is better: the suggestion follows target-direction-suspect
    dept = good_dept()
    dept.targets = [Target(indicator="一审案件撤诉率", value="29%")]
    found = of(run(dept), "target-operator-missing")
    assert found[0].path == "department.targets[0].value" and found[0].project is None
    assert "≤29%" in found[0].hint and "越低越好" in found[0].message


def test_target_operator_missing_quiet():
    assert of(run(with_indicator(0, value="不少于560件")), "target-operator-missing") == []


@pytest.mark.parametrize("value", ["≥100%", "100%以上", "不低于100%", "120%", "≥120%", "-5%", "90%-110%"])
def test_target_percent_range_fires(value):
    found = of(run(with_indicator(1, value=value)), "target-percent-range")
    assert len(found) == 1 and found[0].severity is Severity.WARNING


def test_target_percent_range_message_for_ge_100():
    found = of(run(with_indicator(1, value="≥100%")), "target-percent-range")
    assert "只有“=100%”可达成" in found[0].message
    assert found[0].hint == "写成“=100%”或“100%”。"


@pytest.mark.parametrize("value", ["100%", "=100%", "达到100%", "≤100%", "0%", "95%-100%"])
def test_target_percent_range_quiet(value):
    assert of(run(with_indicator(1, value=value)), "target-percent-range") == []


@pytest.mark.parametrize(
    ("index", "changes"),
    [
        (3, {"value": "≥50万元"}),  # a cost with a floor
        (3, {"level1": "产出指标", "level2": "成本指标", "value": "50万元以上"}),  # old layout
        (3, {"name": "人均办案成本", "value": "≥500元/人"}),
        (1, {"value": "≤90%"}),  # 结案率 should go up
        (5, {"value": "≤95%"}),  # 满意度 should go up
        (1, {"name": "投诉率", "value": "≥5%"}),  # a rate where lower is better
    ],
)
def test_target_direction_suspect_fires(index, changes):
    found = of(run(with_indicator(index, **changes)), "target-direction-suspect")
    assert len(found) == 1, changes


@pytest.mark.parametrize(
    ("index", "changes"),
    [
        (3, {"value": "≤50万元"}),
        (1, {"name": "投诉率", "value": "≤5%"}),
        (3, {"name": "成本节约率", "value": "≥5%"}),  # a rate under 成本指标 that should go up
        (2, {"value": "≤85天"}),
        (3, {"value": "≥120次"}),  # a count filed under 成本指标: not an amount, so no cap is implied
    ],
)
def test_target_direction_suspect_quiet(index, changes):
    assert of(run(with_indicator(index, **changes)), "target-direction-suspect") == []


@pytest.mark.parametrize("value", ["≥85%", "85%以上", "80%-95%", "＞88%"])
def test_satisfaction_below_floor_fires(value):
    found = of(run(with_indicator(5, value=value)), "satisfaction-below-floor")
    assert len(found) == 1 and "90%" in found[0].message


def test_satisfaction_below_floor_on_department_targets():
    dept = good_dept()
    dept.targets.append(Target(indicator="当事人对民事诉讼案件满意度", value="达到 85%以上"))
    assert [f.path for f in of(run(dept), "satisfaction-below-floor")] == ["department.targets[1].value"]


@pytest.mark.parametrize(
    ("changes"),
    [{"value": "≥90%"}, {"value": "达到 90%以上"}, {"name": "不满意率", "value": "≤5%"}, {"value": "满意"}],
)
def test_satisfaction_below_floor_quiet(changes):
    assert of(run(with_indicator(5, **changes)), "satisfaction-below-floor") == []


def test_satisfaction_floor_is_configurable(tmp_path):
    cfg = tmp_path / "rules.toml"
    cfg.write_text("[policy]\nsatisfaction_floor_percent = 96\n", "utf-8")
    assert len(of(run(good_dept(), load_config(cfg)), "satisfaction-below-floor")) == 1


def test_basis_nonstandard_fires():
    found = of(run(with_indicator(0, basis="根据管委会研究决定")), "basis-nonstandard")
    assert len(found) == 1 and found[0].severity is Severity.INFO
    assert "计划标准、行业标准、历史标准、其他" in found[0].hint


@pytest.mark.parametrize(
    "basis", ["计划标准", "其他经财政部门确认的标准", "计划标准（年度工作计划）", None, "  "]
)
def test_basis_nonstandard_quiet(basis):
    assert of(run(with_indicator(0, basis=basis)), "basis-nonstandard") == []


# --- amounts -------------------------------------------------------------------------------


def test_amount_unparsed_fires():
    p = good_project()
    p.budget = "七十四万"
    p.funding = {"财政资金": "五十万", "其他资金": 0}
    found = of(run(good_dept(p)), "amount-unparsed")
    assert {f.path for f in found} == {"projects[0].budget", "projects[0].funding.财政资金"}
    # nothing else is said about amounts that cannot be read
    assert of(run(good_dept(p)), "funding-sum-mismatch") == []


def test_amount_unparsed_quiet():
    p = good_project()
    p.budget = 50  # a bare number is 万元
    p.funding = {"财政资金": "500,000 元", "其他资金": 0, "自筹资金": None}
    found = run(good_dept(p))
    assert of(found, "amount-unparsed") == [] and of(found, "funding-sum-mismatch") == []


def test_funding_sum_mismatch_fires():
    p = good_project()
    p.funding = {"财政资金": "40万元", "其他资金": "5万元"}
    found = of(run(good_dept(p)), "funding-sum-mismatch")
    assert [f.message for f in found] == ["资金来源合计 45 万元，不等于预算数 50 万元"]


def test_funding_sum_mismatch_quiet_across_units():
    p = good_project()
    p.funding = {"财政资金": "300000元", "其他资金": "20万元"}
    assert of(run(good_dept(p)), "funding-sum-mismatch") == []


def test_amount_unit_suspect_on_the_funding_cell():
    p = good_project()
    p.funding = {"财政资金": "50 元", "其他资金": 0}
    found = run(good_dept(p))
    assert of(found, "funding-sum-mismatch") == []
    [f] = of(found, "amount-unit-suspect")
    assert f.path == "projects[0].funding.财政资金"
    assert f.message.startswith("财政资金“50 元”与预算数“50万元”相差 10000 倍")
    assert "“元”疑为“万元”" in f.message
    assert "50 万元" in f.hint


def test_amount_unit_suspect_on_the_budget():
    p = good_project()
    p.budget = "500000"  # meant as 元, read as 万元
    p.funding = {"财政资金": "300000元", "其他资金": "200000元"}
    [f] = of(run(good_dept(p)), "amount-unit-suspect")
    assert f.path == "projects[0].budget"
    assert "未写单位" in f.message and "“元”" in f.message


def test_amount_unit_suspect_hundred_million():
    p = good_project()
    p.budget = "0.5亿元"
    p.funding = {"财政资金": "5000万元"}
    assert of(run(good_dept(p)), "amount-unit-suspect") == []
    p.funding = {"财政资金": "5000元"}
    [f] = of(run(good_dept(p)), "amount-unit-suspect")
    assert "10000 倍" in f.message and "“元”疑为“万元”" in f.message
    p.funding = {"财政资金": "0.5元"}
    [f] = of(run(good_dept(p)), "amount-unit-suspect")
    assert "100000000 倍" in f.message and "“元”疑为“亿元”" in f.message


def test_amount_unit_suspect_on_a_cost_instead_of_cost_over_budget():
    found = run(with_indicator(3, value="≤500000万元"))
    assert of(found, "cost-over-budget") == []
    [f] = of(found, "amount-unit-suspect")
    assert f.path == "projects[0].indicators[3].value"
    assert "≤500000元" in f.hint


def test_amount_unit_suspect_quiet():
    assert of(run(good_dept()), "amount-unit-suspect") == []
    # a unit cost of 50 元 beside a budget of 50 万元 is plausible
    assert of(run(with_indicator(3, name="人均办案经费支出", value="≤50元")), "amount-unit-suspect") == []


def test_cost_over_budget_fires():
    found = of(run(with_indicator(3, value="≤60万元")), "cost-over-budget")
    assert [f.message for f in found] == ["成本指标“≤60万元”（60 万元）超过项目预算 50 万元"]
    assert of(run(with_indicator(3, value="40-600000元")), "cost-over-budget")


@pytest.mark.parametrize("value", ["≤50万元", "500000元", "40-50万元", "≤49.99万元"])
def test_cost_over_budget_quiet(value):
    assert of(run(with_indicator(3, value=value)), "cost-over-budget") == []


# --- text ----------------------------------------------------------------------------------


def two_projects(**second) -> Department:
    a = good_project()
    b = good_project(code="144001002", name="差旅费", goal="保障办案人员外出办案、送达和执行的差旅需要")
    b.indicators = [
        b.indicators[0],
        Indicator("产出指标", "质量指标", "送达及时率", "法定期限内完成送达的比例", "≥95%", "历史标准"),
        *b.indicators[2:3],
        Indicator("成本指标", "经济成本指标", "差旅费支出", "全年差旅费支出", "≤50万元", "计划标准"),
        *b.indicators[4:5],
        Indicator(
            "满意度指标", "服务对象满意度指标", "当事人满意度", "受送达当事人的满意比例", "≥95%", "其他"
        ),
    ]
    for key, value in second.items():
        setattr(b, key, value)
    return good_dept(a, b)


def test_two_different_projects_are_quiet():
    assert run(two_projects()) == []


def test_goal_duplicate_fires_on_the_later_project():
    dept = two_projects(goal="保障审判执行工作正常开展，按期完成年度办案任务。")
    [f] = of(run(dept), "goal-duplicate")
    assert f.path == "projects[1].goal" and f.project == "144001002"
    assert "办案业务经费（144001001）" in f.message


def test_goal_duplicate_quiet_for_short_goals():
    dept = two_projects()
    dept.projects[0].goal = dept.projects[1].goal = "保障运转"
    assert of(run(dept), "goal-duplicate") == []


def test_indicator_text_mismatch_fires():
    found = of(
        run(with_indicator(0, name="保全、查封、送达次数", description="保全、拆封、送达次数")),
        "indicator-text-mismatch",
    )
    assert len(found) == 1
    assert "“查”→“拆”" in found[0].message


@pytest.mark.parametrize(
    ("name", "description"),
    [
        ("聘用人员数量", "聘用人员的数量"),  # an added word elaborates, it is no typo
        ("工资发放精准性", "工资发放人员范围的精准性和发放数据的准确性"),
        ("结案率", "审结案件占受理案件的比例"),
        ("保全、查封", "保全，查封"),  # punctuation only
    ],
)
def test_indicator_text_mismatch_quiet(name, description):
    assert of(run(with_indicator(0, name=name, description=description)), "indicator-text-mismatch") == []


def test_indicator_text_redundant_fires():
    found = of(run(with_indicator(4, description=" 一审服判息诉率。")), "indicator-text-redundant")
    assert len(found) == 1 and found[0].path == "projects[0].indicators[4].description"


def test_indicator_text_redundant_quiet():
    assert of(run(with_indicator(4, description=None)), "indicator-text-redundant") == []


def test_indicator_copied_fires_once_per_block():
    dept = two_projects()
    # make indicators 2..5 of the second project a copy of the first's
    dept.projects[1].indicators[1:] = copy.deepcopy(dept.projects[0].indicators[1:])
    [f] = of(run(dept), "indicator-copied")
    assert f.path == "projects[1].indicators[0].name"  # 数量指标 was already the same
    assert f.message == "6 条指标与项目“办案业务经费（144001001）”逐字相同"


def test_indicator_copied_quiet_below_the_block_size():
    dept = two_projects()
    assert of(run(dept), "indicator-copied") == []  # only scattered single indicators are the same


# --- spending plan --------------------------------------------------------------------------


def with_plan(plan) -> Department:
    p = good_project()
    p.spend_plan = plan
    return good_dept(p)


@pytest.mark.parametrize("plan", [{}, {"3月底": None, "12月底": " "}])
def test_plan_missing_fires(plan):
    found = run(with_plan(plan))
    assert [f.rule for f in found] == ["plan-missing"]


def test_plan_missing_quiet():
    assert of(run(good_dept()), "plan-missing") == []


def test_plan_percent_range_fires():
    found = run(with_plan({"3月底": "abc", "6月底": "50%", "9月底": "75%", "12月底": "120%"}))
    found = of(found, "plan-percent-range")
    assert {f.path for f in found} == {"projects[0].spend_plan.3月底", "projects[0].spend_plan.12月底"}
    assert of(run(with_plan({"12月底": "120%"})), "plan-incomplete") == []  # already said


def test_plan_percent_range_quiet():
    assert of(run(with_plan({"6月底": 0, "12月底": 100})), "plan-percent-range") == []


def test_plan_decreasing_fires():
    found = of(
        run(with_plan({"3月底": "25%", "6月底": "50%", "9月底": "40%", "12月底": "100%"})), "plan-decreasing"
    )
    assert [f.message for f in found] == ["9月底的累计计划 40% 小于6月底的 50%"]


def test_plan_decreasing_quiet_when_written_out_of_order():
    dept = with_plan({"12月底": "100%", "3月底": "25%", "6月底": "50%", "9月底": "75%"})
    assert run(dept) == []


def test_plan_incomplete_fires():
    found = of(
        run(with_plan({"3月底": "25%", "6月底": "50%", "9月底": "75%", "12月底": "90%"})), "plan-incomplete"
    )
    assert [f.path for f in found] == ["projects[0].spend_plan.12月底"]


def test_plan_incomplete_quiet():
    assert of(run(with_plan({"6月底": "60%", "12月底": "100.0%"})), "plan-incomplete") == []


def test_plan_behind_time_fires():
    found = of(
        run(with_plan({"3月底": "25%", "6月底": "50%", "9月底": "50%", "12月底": "100%"})), "plan-behind-time"
    )
    assert len(found) == 1 and found[0].severity is Severity.INFO
    # 2025-09-30 is day 273 of 365: 74.8%
    assert found[0].message == "9月底计划累计 50%，低于序时进度 74.8%（差 24.8 个百分点）"


def test_plan_behind_time_quiet():
    assert of(run(good_dept()), "plan-behind-time") == []


def test_plan_time_progress_by_months(tmp_path):
    cfg = tmp_path / "rules.toml"
    cfg.write_text('[plan]\ntime_progress = "months"\nbehind_time_points = 0.1\n', "utf-8")
    found = of(run(with_plan({"3月底": "24%", "12月底": "100%"}), load_config(cfg)), "plan-behind-time")
    assert "25.0%" in found[0].message


def test_plan_time_progress_mode_must_be_known(tmp_path):
    cfg = tmp_path / "rules.toml"
    cfg.write_text('[plan]\ntime_progress = "weeks"\n', "utf-8")
    with pytest.raises(ConfigError):
        run(good_dept(), load_config(cfg))


# --- the seed document -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings():
    return run_rules(load_data(SEED))


def test_seed_errors_are_exactly_the_two_unit_slips(seed_findings):
    errors = {(f.rule, f.project, f.path) for f in seed_findings if f.severity is Severity.ERROR}
    # 预算数 is printed as 74.5 万元 / 3.5 万元 but 财政资金 as 74.5 元 / 3.5 元: one of the two units is
    # wrong, and the cost indicators (74.5 万元 / 3.5 万元) show it is the 财政资金 one.
    assert errors == {
        ("amount-unit-suspect", "144001001", "projects[0].funding.财政资金"),
        ("amount-unit-suspect", "144001002", "projects[1].funding.财政资金"),
    }
    messages = sorted(f.message for f in seed_findings if f.severity is Severity.ERROR)
    assert messages[1].startswith("财政资金“74.5 元”与预算数“74.5 万元”相差 10000 倍")


def test_seed_warnings(seed_findings):
    warnings = {(f.rule, f.path) for f in seed_findings if f.severity is Severity.WARNING}
    # 审限内结案率≥100%: a rate cannot exceed 100%, so "≥100%" asks for the impossible; =100% is meant.
    assert ("target-percent-range", "department.targets[2].value") in warnings
    # 以实际发生次数为准 is no target at all: whatever happens meets it.
    assert ("target-unquantified", "projects[1].indicators[0].value") in warnings
    # 差旅费's 年度绩效目标 speaks of 长期聘用人员经费: it was copied from project 144001001.
    assert ("goal-duplicate", "projects[1].goal") in warnings
    # name 保全、查封、送达次数 vs description 保全、拆封、送达次数: 拆封 is a typo for 查封.
    assert ("indicator-text-mismatch", "projects[1].indicators[0].description") in warnings
    # "达到 100%" (尽职尽责率, 工资发放准确率) asks to reach 100%, which is attainable: no warning.
    assert ("target-percent-range", "department.targets[9].value") not in warnings


def test_seed_infos(seed_findings):
    infos = {f.rule for f in seed_findings if f.severity is Severity.INFO}
    assert {
        "target-operator-missing",  # 一审案件撤诉率 29%, 14 人, 74.5 万元: no ≥/≤
        "basis-nonstandard",  # 根据管委会研究决定 is not 计划/行业/历史标准/其他
        "category-outdated",  # 效果指标, 可持续性影响, 成本指标 under 产出指标
        "indicator-text-redundant",  # 依法履职尽责 / 依法履职尽责
        "indicator-copied",  # the 效果 and 满意度 blocks of both projects are identical
    } <= infos
    outdated = {f.message.split("”")[0].lstrip("“") for f in seed_findings if f.rule == "category-outdated"}
    assert outdated == {"效果指标", "可持续性影响", "产出指标/成本指标"}
    # 10月底 75% vs 序时进度 83.3%: 8.3 points, within the default 10
    assert "plan-behind-time" not in infos


def test_config_override_makes_plan_behind_time_fire_on_the_seed(tmp_path):
    cfg = tmp_path / "strict.toml"
    cfg.write_text("[plan]\nbehind_time_points = 5\n", "utf-8")
    found = of(run_rules(load_data(SEED), load_config(cfg)), "plan-behind-time")
    assert {(f.project, f.path) for f in found} == {
        ("144001001", "projects[0].spend_plan.10月底"),
        ("144001002", "projects[1].spend_plan.10月底"),
    }


# --- robustness ---------------------------------------------------------------------------------

_text = st.text(
    alphabet=st.sampled_from(list("产出成本效益满意度指标率≥≤<>=%万元亿 0123456789.-、，以上月底季度")),
    max_size=12,
)
_scalar = st.one_of(
    st.none(), _text, st.integers(-(10**9), 10**9), st.floats(allow_nan=True, allow_infinity=True)
)


@st.composite
def departments(draw):
    projects = []
    for _ in range(draw(st.integers(0, 3))):
        indicators = [
            Indicator(
                level1=draw(
                    st.one_of(st.none(), _text, st.sampled_from(["产出指标", "效果指标", "成本指标"]))
                ),
                level2=draw(
                    st.one_of(st.none(), _text, st.sampled_from(["数量指标", "成本指标", "可持续性影响"]))
                ),
                name=draw(st.one_of(st.none(), _text)),
                description=draw(st.one_of(st.none(), _text)),
                value=draw(_scalar),
                basis=draw(st.one_of(st.none(), _text)),
            )
            for _ in range(draw(st.integers(0, 4)))
        ]
        projects.append(
            Project(
                code=draw(st.one_of(st.none(), _text)),
                name=draw(st.one_of(st.none(), _text)),
                budget=draw(_scalar),
                funding=draw(st.dictionaries(_text, _scalar, max_size=2)),
                spend_plan=draw(st.dictionaries(_text, _scalar, max_size=4)),
                goal=draw(st.one_of(st.none(), _text)),
                indicators=indicators,
            )
        )
    targets = [Target(indicator=draw(_text), value=draw(_scalar)) for _ in range(draw(st.integers(0, 2)))]
    return Department(
        year=draw(st.one_of(st.none(), st.integers(2000, 2100))), targets=targets, projects=projects
    )


@settings(max_examples=200, deadline=None)
@given(dept=departments())
def test_rules_never_crash_and_every_finding_is_in_the_catalog(dept):
    for f in run_rules(dept):
        assert f.rule in CATALOG
        assert f.severity is CATALOG[f.rule].severity or f.rule == "category-required-missing"
        assert f.message and "{" not in f.message
