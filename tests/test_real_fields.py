"""The data contract's optional fields (issue 13) through fill: template and official form round
trips, the template's dropdowns, and the form reader's layout variants beyond the real documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pyxl.api import fill
from pyxl.core.loader import load_data_text
from pyxl.core.model import Department
from pyxl.layouts import form_reader
from pyxl.layouts.form_spec import CHOICES
from pyxl.layouts.form_writer import build_form_workbook, save_workbook
from pyxl.layouts.template_spec import INDICATOR_COLUMNS, PROJECT_INFO_COLUMNS, PROJECT_SHEET
from pyxl.workbook import open_file, read_department

DATA = """
schema: pyxl/v1
department: {name: 某某人民法庭, year: 2026}
projects:
  - code: "144001001"
    name: 长期聘用人员工资和社会保障缴费
    supervisor: 某某中级人民法院
    implementer: 某某人民法庭
    contact: 张三 0750-1234567
    nature: 经常性项目
    category: 特定目标类
    start: 2026-01-01
    end: 2026-12-31
    purpose: 支付聘用人员工资
    total_budget: 300
    budget: "74.5 万元"
    funding: {财政资金: "74.5 万元"}
    spend_plan: {"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"}
    long_term_goal: 保障审判辅助人员队伍稳定
    goal: 按时足额发放工资
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 聘用人员数量, value: "≥14人", unit: 人, polarity: 正向,
         weight: 20, basis: 计划标准}
      - {level1: 成本指标, level2: 经济成本指标, name: 人均成本, value: "≤5.3万元", unit: 万元, polarity: 反向,
         weight: 10, score: 9.5}
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, value: "≥90%"}
  - code: "144001002"
    name: 办案经费
    budget: "10 万元"
    goal: 保障办案
    spend_plan: {"12月底": "100%"}
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 结案数, value: "≥560件"}
"""


@pytest.fixture(scope="module")
def dept() -> Department:
    return load_data_text(DATA)


def _back(path: Path) -> Department:
    return read_department(open_file(path))[1]


def test_template_round_trip_with_the_new_fields(tmp_path: Path, dept: Department):
    out = fill(dept, tmp_path / "t.xlsx")
    back = _back(out)
    # weight and score are the template's 自评 columns (issue 14): they round-trip too
    assert back.to_data()["projects"] == dept.to_data()["projects"]
    wb = openpyxl.load_workbook(out)
    ws = wb[PROJECT_SHEET]
    headers = {ws.cell(row=4, column=c).value: c for c in range(1, ws.max_column + 1)}
    for _, header in PROJECT_INFO_COLUMNS:
        assert header in headers
    # the input and formula columns keep their places: the new ones come after them
    assert headers["项目编码"] == 1 and headers["预算数（万元）"] == 4
    assert min(headers[h] for _, h in PROJECT_INFO_COLUMNS) > headers["与序时进度差"]
    dvs = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    nature_col = openpyxl.utils.get_column_letter(headers["项目性质"])
    assert dvs["pyxl_nature"].startswith(f"{nature_col}5:")
    assert "pyxl_category" in dvs
    ind = wb["绩效指标"]
    ind_dvs = {dv.formula1 for dv in ind.data_validations.dataValidation}
    assert "pyxl_polarity" in ind_dvs
    assert [ind.cell(row=3, column=c).value for c in range(1, len(INDICATOR_COLUMNS) + 1)] == list(
        INDICATOR_COLUMNS.values())
    lists = wb["_pyxl_列表"]
    ref = str(wb.defined_names["pyxl_nature"].attr_text).split("!")[1].replace("$", "")
    assert tuple(c.value for row in lists[ref] for c in row) == CHOICES["nature"]


def test_blank_template_requires_what_it_has(tmp_path: Path):
    """A department's template has 项目编码 and 资金支出计划 columns: an empty one is an error per project."""
    from pyxl.api import validate

    data = load_data_text(DATA)
    data.projects[1].code = None
    data.projects[1].spend_plan = {}
    out = fill(data, tmp_path / "t.xlsx")
    report = validate(out)
    rules = {(f.rule, f.severity.value) for f in report.findings if f.project == "办案经费"}
    assert ("field-missing", "error") in rules and ("plan-missing", "error") in rules


@pytest.mark.parametrize("one_sheet", [False, True])
def test_form_round_trip_with_the_new_fields(tmp_path: Path, dept: Department, one_sheet: bool):
    path = tmp_path / "form.xlsx"
    save_workbook(build_form_workbook(dept, one_sheet=one_sheet), path)
    back = _back(path)
    assert back.read_issues == []
    assert back.to_data()["projects"] == dept.to_data()["projects"]
    wb = openpyxl.load_workbook(path)
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"主管部门", "实施单位", "项目负责人及电话", "项目性质", "项目类别", "计划开始日期", "计划完成日期",
            "项目资金总额", "中长期目标", "计量单位", "指标方向", "分值", "得分"} <= texts


def _grid_read(rows: list[list[Any]]) -> Department:
    width = max(len(r) for r in rows)
    grid = [[None if v == "" else v for v in r] + [None] * (width - len(r)) for r in rows]
    return form_reader.read(["表"], lambda _s: grid, None)


def test_amounts_in_the_unit_a_header_states():
    dept = _grid_read([
        ["项目支出绩效目标表"],
        ["填报单位:某局", "", "", "金额单位:元"],
        ["项目名称", "甲项目", "实施单位", "某局"],
        ["项目资金总额", 2000000, "年度资金申请总额", 745000],
        ["其中:财政拨款", 700000, "上年结转", 45000],
        ["年度绩效目标", "完成甲"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "甲数", "≥1个"],
    ])
    p = dept.projects[0]
    assert (p.total_budget, p.budget) == ("2000000 元", "745000 元")
    assert p.funding == {"财政拨款": "700000 元", "上年结转": "45000 元"}
    from pyxl.core.units import parse_amount

    assert parse_amount(p.budget).wan == pytest.approx(74.5)


def test_a_label_unit_wins_and_a_wan_header_keeps_numbers():
    dept = _grid_read([
        ["单位:万元"],
        ["项目名称", "乙"],
        ["项目资金(元)", "年度资金总额", 50000],
        ["", "其中:财政拨款", 50000],
        ["绩效目标", "完成乙"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "乙数", "≥1个"],
        ["项目支出绩效目标表"],
        ["项目名称", "丙"],
        ["年度资金总额", 12.5],
        ["绩效目标", "完成丙"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "丙数", "≥1个"],
    ])
    assert [p.budget for p in dept.projects] == ["50000 元", 12.5]
    assert dept.projects[0].funding == {"财政拨款": "50000 元"}


def test_direction_number_and_unit_columns_compose_the_value():
    dept = _grid_read([
        ["项目名称", "丁"],
        ["绩效目标", "完成丁"],
        ["一级指标", "二级指标", "三级指标", "指标方向", "指标值", "计量单位", "分值"],
        ["产出指标(50分)", "数量指标", "丁数", "正向", 95, "%", 20],
        ["", "", "丁成本", "反向", "≤3万元", "万元", 10],
        ["", "时效指标", "完成时间", "小于等于", 30, "天", 10],
        ["成本指标(20分)", "经济成本指标", "单价", "", 5, "元", 20],
        ["效益指标", "", "", "", "", "", ""],
        ["", "社会效益指标", "影响", "", "有效提升", "", 10],
    ])
    inds = dept.projects[0].indicators
    assert [(i.level1, i.level2, i.name, i.value, i.unit, i.polarity, i.weight) for i in inds] == [
        ("产出指标", "数量指标", "丁数", "95%", "%", "正向", 20),
        ("产出指标", "数量指标", "丁成本", "≤3万元", "万元", "反向", 10),
        ("产出指标", "时效指标", "完成时间", "小于等于30天", "天", "小于等于", 10),
        ("成本指标", "经济成本指标", "单价", "5元", "元", None, 20),
        ("效益指标", "社会效益指标", "影响", "有效提升", None, None, 10),
    ]


def test_a_row_per_indicator_table_is_not_a_block():
    """项目名称 as a column of the indicator header is the one-row-per-indicator layout (13b's reader)."""
    grid = [["项目名称", "一级指标", "二级指标", "三级指标", "指标值"], ["甲", "产出指标", "数量指标", "甲数", "1个"]]
    assert not form_reader.detect(["表"], lambda _s: grid)


def test_a_layout_without_code_or_plan_says_so_once(tmp_path: Path):
    from pyxl.core.config import load_config
    from pyxl.rules.engine import run_rules

    rows = []
    for k in range(3):
        rows += [["项目名称", f"项目{k}"], ["年度资金总额", 10], ["年度目标", "目标"],
                 ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "数", "≥1个"],
                 ["效益指标", "社会效益指标", "效", "提升10%"], ["满意度指标", "服务对象满意度指标", "满意度", "≥90%"]]
    dept = _grid_read(rows)
    assert len(dept.projects) == 3 and dept.layout_absent == ("code", "spend_plan")
    findings = run_rules(dept, load_config())
    about = [f for f in findings if f.rule in ("field-missing", "plan-missing")]
    assert sorted((f.rule, f.severity.value, f.project) for f in about) == [
        ("field-missing", "info", None), ("plan-missing", "info", None)]
    assert "项目编码" in next(f.message for f in about if f.rule == "field-missing")
    # a bureau that requires them says so in its config: then each project is an error again
    path = tmp_path / "bureau.toml"
    path.write_text('[required]\nproject = ["code", "spend_plan"]\n', "utf-8")
    strict = [f for f in run_rules(dept, load_config(path)) if f.rule in ("field-missing", "plan-missing")]
    assert sorted((f.rule, f.severity.value) for f in strict) == [("field-missing", "error")] * 3 + [
        ("plan-missing", "error")] * 3


def test_form_values():
    from pyxl.layouts.form_values import amount, checked_option, compose_value, date_text, infer_level1, period

    assert period("202001-202012") == ("2020-01-01", "2020-12-31")
    assert period("2026年1月至2026年6月") == ("2026-01-01", "2026-06-30")
    assert date_text("2026.3.5") == "2026-03-05" and date_text(20260101) == "2026-01-01"
    assert date_text("待定") == "待定" and date_text("2026-02-30") == "2026-02-30"  # not a date: as written
    assert checked_option("1、部门预算项目 ☑ 2、市直专项") == "部门预算项目"
    assert checked_option("1、常年性项目 □ 2、延续性项目 ☑ 3、一次性项目 □") == "延续性项目"
    assert checked_option("经常性项目") == "经常性项目"
    assert amount(745000, "元") == "745000 元" and amount("12.5", "万元") == 12.5 and amount("-", None) is None
    assert amount("3千元", "元") == "3千元"  # a unit written in the cell stays
    assert compose_value("≥", None, 95, "%", number_is_value=False) == ("≥95%", None)
    assert compose_value("正向", None, "≥95%", "%", number_is_value=True) == ("≥95%", "正向")
    assert compose_value(None, "大于等于", 90, "%", number_is_value=True) == ("大于等于90%", "大于等于")
    assert compose_value("定性", None, "达到", None, number_is_value=False) == ("达到", None)
    assert infer_level1("产出指标（50分）", "数量指标") == "产出指标"
    assert infer_level1("(30分)", "社会效益") == "效益指标"
    assert infer_level1(None, "服务对象满意度指标") == "满意度指标"


def test_contact_with_its_phone_in_a_cell_of_its_own_and_a_footer_after_the_table():
    dept = _grid_read([
        ["项目名称", "甲", "项目负责人", "张三", "联系电话", "13800000000"],
        ["年度目标", "甲目标"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "甲数", "1个"],
        ["填表人：", "李四", "联系电话：", "123"],
        ["产出指标", "数量指标", "不是指标", "2个"],
    ])
    assert dept.read_issues == []
    assert dept.projects[0].contact == "张三 13800000000"
    assert [i.name for i in dept.projects[0].indicators] == ["甲数"]


def test_the_2015_template_with_a_long_term_and_an_annual_table():
    """财政支出项目绩效目标申报表 of the 2015 template (佳县, 宁乡 …): 项目属性 ticked, 项目资金申请 with several
    sources, 长期目标/年度目标, then a 长期绩效指标 table and a 年度绩效指标 table per project."""
    dept = _grid_read([
        ["财政支出项目绩效目标申报表"],
        ["填报单位(盖章)"],
        ["项目名称", "镇域内基础设施建设", "项目属性", "新增项目□延续项目√"],
        ["主管部门", "坝塘镇", "主管部门编码", "001"],
        ["项目实施单位", "坝塘镇", "项目负责人", "蒋建华", "联系电话", "0731-1"],
        ["项目起止时间", "2021年1月至2021年12月"],
        ["项目资金申请(万元)", "资金总额:", 100, "财政拨款:", 70, "自有资金:", 0],
        ["", "事业收入:", "", "经营性收入:", "", "其他:", 30],
        ["项目概况", "道路等基础设施"],
        ["项目实施进度计划", "项目实施内容", "开始时间", "完成时间"],
        ["", "1、总体规划", "2016", "2020"],
        ["项目绩效目标", "长期目标", "", "年度目标"],
        ["", "改善基础设施", "", "完成集镇立面改造"],
        ["长期绩效指标", "一级指标", "二级指标", "指标内容", "指标值", "备注"],
        ["", "产出指标", "数量指标", "道路里程", "≥20公里", ""],
        ["", "效益指标", "社会效益指标", "通达率", "≥95%", ""],
        ["财政支出项目绩效目标申报表"],
        ["年度绩效指标", "一级指标", "二级指标", "指标内容", "指标值", "备注"],
        ["", "产出指标", "数量指标", "当年道路里程", "≥5公里", ""],
        ["", "", "质量指标", "验收合格率", "100%", ""],
        ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", ""],
        ["填报人:", "", "单位负责人:", "", "填报日期:"],
    ])
    assert dept.read_issues == [], [i.params for i in dept.read_issues]
    assert len(dept.projects) == 1
    p = dept.projects[0]
    assert (p.nature, p.supervisor, p.implementer, p.contact) == ("延续项目", "坝塘镇", "坝塘镇", "蒋建华 0731-1")
    assert (p.start, p.end, p.budget, p.total_budget) == ("2021-01-01", "2021-12-31", 100, None)
    assert p.funding == {"财政拨款": 70, "自有资金": 0, "其他": 30}
    assert (p.long_term_goal, p.goal, p.purpose) == ("改善基础设施", "完成集镇立面改造", "道路等基础设施")
    assert [(i.level1, i.level2, i.name, i.value) for i in p.indicators] == [
        ("产出指标", "数量指标", "当年道路里程", "≥5公里"),
        ("产出指标", "质量指标", "验收合格率", "100%"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]


def test_a_2026_shanghai_style_application_form():
    """项目性质, 项目类别, 计划开始/完成日期, 项目资金总额 beside 年度资金申请总额, 项目总目标 beside 年度总体目标,
    header 年度(/项目)指标值 and 指标性质 as 正向/反向 with 计量单位."""
    dept = _grid_read([
        ["2026年项目支出绩效目标申报表"],
        ["", "", "", "", "金额单位:万元"],
        ["项目名称", "社区养老服务", "项目编码", "31000026001"],
        ["主管部门", "某区民政局", "实施单位", "某街道"],
        ["项目性质", "经常性项目", "项目类别", "特定目标类"],
        ["计划开始日期", "2026-01-01", "计划完成日期", "2026-12-31"],
        ["项目资金总额", 300, "年度资金申请总额", 74.5],
        ["项目总目标", "建成养老服务网络", "年度总体目标", "新增助餐点10个"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "年度(/项目)指标值", "计量单位", "指标值确定依据"],
        ["产出指标", "数量指标", "新增助餐点", "正向", 10, "个", "计划标准"],
        ["", "时效指标", "完成时间", "反向", 12, "月", "计划标准"],
        ["满意度指标", "服务对象满意度指标", "老人满意度", "正向", 90, "%", "历史标准"],
    ])
    assert dept.read_issues == []
    p = dept.projects[0]
    assert (p.code, p.name, p.supervisor, p.implementer, p.nature, p.category) == (
        "31000026001", "社区养老服务", "某区民政局", "某街道", "经常性项目", "特定目标类")
    assert (p.start, p.end, p.total_budget, p.budget) == ("2026-01-01", "2026-12-31", 300, 74.5)
    assert (p.long_term_goal, p.goal) == ("建成养老服务网络", "新增助餐点10个")
    assert [(i.level1, i.level2, i.name, i.value, i.unit, i.polarity, i.basis) for i in p.indicators] == [
        ("产出指标", "数量指标", "新增助餐点", "10个", "个", "正向", "计划标准"),
        ("产出指标", "时效指标", "完成时间", "12月", "月", "反向", "计划标准"),
        ("满意度指标", "服务对象满意度指标", "老人满意度", "90%", "%", "正向", "历史标准"),
    ]
    assert dept.layout_absent == ("spend_plan",)
