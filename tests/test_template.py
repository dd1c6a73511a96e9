"""The department template: native Excel features, fill/read round trip, live formulas in LibreOffice."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libreoffice import needs_libreoffice, recalculate

from pyxl.api import fill, template
from pyxl.core.generate import generate_department
from pyxl.core.model import Department, Indicator, Project, Target
from pyxl.core.schedule import schedule
from pyxl.layouts.template_spec import (
    DEPT_SHEET,
    INDICATOR_SHEET,
    INSTRUCTIONS_SHEET,
    PROJECT_SHEET,
    RESULTS_SHEET,
    SELFEVAL_SHEET,
    STATUS_NAMES,
    ProjectColumns,
)
from pyxl.workbook import open_file, read_department


def read_back(path: Path) -> Department:
    return read_department(open_file(path))[1]


def test_blank_template_has_the_sheets_and_native_features(tmp_path: Path):
    out = template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == [INSTRUCTIONS_SHEET, DEPT_SHEET, PROJECT_SHEET, INDICATOR_SHEET, SELFEVAL_SHEET, RESULTS_SHEET]
    ind = wb[INDICATOR_SHEET]
    lists = {dv.formula1: str(dv.sqref) for dv in ind.data_validations.dataValidation}
    assert "pyxl_level1" in lists and "pyxl_basis" in lists and "pyxl_deviation" in lists
    # 二级 depends on the chosen 一级: INDIRECT over a defined name per 一级
    assert any(f.startswith("INDIRECT($C") for f in lists)  # no leading "=", as Excel stores it
    for level1 in ("产出指标", "成本指标", "效益指标", "满意度指标", "效果指标"):
        assert level1 in wb.defined_names
    assert ind.freeze_panes == "C4" and wb[PROJECT_SHEET].freeze_panes == "C5"
    assert wb[PROJECT_SHEET].print_title_rows == "$3:$4"
    assert wb[PROJECT_SHEET].page_setup.orientation == "landscape"
    # highlighting reads the hidden mirror through a defined name (no direct cross-sheet reference)
    for sheet, name in STATUS_NAMES.items():
        assert name in wb.defined_names
        rules = [r for cf in wb[sheet].conditional_formatting for r in cf.rules]
        assert {r.formula[0] for r in rules} >= {f'INDEX({name},ROW(),COLUMN())="E"', f'INDEX({name},ROW(),COLUMN())="W"'}
        assert wb[f"_pyxl_{sheet}"].sheet_state == "hidden"
    # text columns are text-formatted so Excel keeps 100% and codes as typed
    assert ind["G4"].number_format == "@" and wb[PROJECT_SHEET]["A5"].number_format == "@"


def test_seed_round_trip(tmp_path: Path, seed_dept):
    out = fill(seed_dept, tmp_path / "seed.xlsx")
    back = read_back(out)
    assert back.to_data() == seed_dept.to_data()
    # every value knows its cell
    p = back.projects[1]
    assert str(p.loc["funding.财政资金"]) == "项目!E6"
    assert str(p.indicators[0].loc["description"]) == "绩效指标!F13"
    assert str(back.targets[0].loc["value"]) == "部门整体!D9"


def test_generated_round_trip_and_custom_checkpoints(tmp_path: Path):
    dept = generate_department(30, 14, seed=7)
    for p in dept.projects:
        p.spend_plan = {"3月底": "20%", "6月底": "45%", "9月底": "70%", "12月底": "100%"}
        p.funding["上级补助"] = 1
    out = fill(dept, tmp_path / "g.xlsx")
    assert read_back(out).to_data() == dept.to_data()
    headers = [c.value for c in openpyxl.load_workbook(out)[PROJECT_SHEET][4]]
    assert "9月底" in headers and "上级补助" in headers


def test_user_renames_a_checkpoint_header(tmp_path: Path, seed_dept):
    out = fill(seed_dept, tmp_path / "seed.xlsx")
    wb = openpyxl.load_workbook(out)
    cols = ProjectColumns()
    wb[PROJECT_SHEET].cell(row=4, column=cols.plan_start + 2).value = "9月底"
    wb.save(out)
    back = read_back(out)
    assert list(back.projects[0].spend_plan) == ["3月底", "6月底", "9月底", "12月底"]


def test_bare_plan_numbers_are_percent_points(tmp_path: Path):
    dept = Department(projects=[Project(code="P1", name="x", budget=10, goal="g", spend_plan={"6月底": 40, "12月底": 100})])
    back = read_back(fill(dept, tmp_path / "p.xlsx"))
    # same meaning, written the way the sheet shows it
    assert back.projects[0].spend_plan == {"6月底": "40%", "12月底": "100%"}


def test_formula_looking_text_is_written_as_text(tmp_path: Path):
    dept = Department(name="=HYPERLINK(\"http://x\",\"点我\")", projects=[
        Project(code="P001", name="+cmd|' /C calc'!A0", budget=1, goal="@SUM(A1:A9)",
                indicators=[Indicator(level1="产出指标", level2="数量指标", name="-1+1", value="=1+1")])])
    out = fill(dept, tmp_path / "inj.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb[DEPT_SHEET]["B2"].data_type == "s"
    assert wb[INDICATOR_SHEET]["G4"].value == "=1+1" and wb[INDICATOR_SHEET]["G4"].data_type == "s"
    assert read_back(out).to_data() == dept.to_data()


_text = st.text(alphabet=st.sampled_from(list("测试项目指标≥≤%万元 0123456789=+-@、，")), min_size=1, max_size=12)
_scalar = st.one_of(st.none(), _text, st.integers(-10**6, 10**9), st.floats(0.5, 1e6).map(lambda x: round(x, 2)))


@st.composite
def departments(draw):
    def opt(s):
        return draw(st.one_of(st.none(), s))

    n = draw(st.integers(0, 4))
    projects = []
    for i in range(n):
        inds = [Indicator(level1=opt(_text), level2=opt(_text), name=draw(_text), description=opt(_text),
                          value=draw(_scalar), basis=opt(_text), actual=draw(_scalar))
                for _ in range(draw(st.integers(0, 3)))]
        projects.append(Project(code=f"C{i:03d}", name=opt(_text), purpose=opt(_text), budget=draw(_scalar),
                                funding={"财政资金": draw(_scalar)} if draw(st.booleans()) else {},
                                spend_plan={"3月底": "25%", "12月底": draw(st.sampled_from(["100%", "90%", "全年"]))},
                                goal=opt(_text), indicators=inds))
    targets = [Target(goal=draw(_text), indicator=opt(_text), value=draw(_scalar), numbering=opt(_text))
               for _ in range(draw(st.integers(0, 3)))]
    return Department(name=opt(_text), code=opt(st.from_regex(r"[0-9]{6}", fullmatch=True)),
                      year=opt(st.integers(2000, 2100)), overall_goal=opt(_text), targets=targets, projects=projects)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dept=departments())
def test_round_trip_property(tmp_path: Path, dept: Department):
    for obj in [dept, *dept.targets, *dept.projects, *(i for p in dept.projects for i in p.indicators)]:
        for k, v in vars(obj).items():
            if isinstance(v, str) and not v.strip():
                setattr(obj, k, None)  # a blank cell reads back as empty, by design
    # a target with nothing in it is a blank row of 部门整体, which is no target (an indicator row keeps its
    # project code, so an empty indicator is still a row)
    dept.targets = [t for t in dept.targets if any(v is not None for k, v in vars(t).items() if k != "loc")]
    out = fill(dept, tmp_path / "h.xlsx")
    assert read_back(out).to_data() == dept.to_data()


@needs_libreoffice
def test_libreoffice_recalculates_the_schedule_as_python_does(tmp_path: Path, seed_dept):
    filled = fill(seed_dept, tmp_path / "seed.xlsx")
    recalculated = recalculate(filled, tmp_path / "lo")
    grid = python_calamine.CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name(PROJECT_SHEET).to_python()
    cols = ProjectColumns()
    for i, project in enumerate(seed_dept.projects):
        row = grid[4 + i]
        rows = schedule(project)
        lo_cumulative = row[cols.cumulative_start - 1: cols.cumulative_start - 1 + 4]
        lo_period = row[cols.period_start - 1: cols.period_start - 1 + 4]
        assert row[cols.budget_wan_col - 1] == pytest.approx(float(project.budget.split()[0]))
        assert lo_cumulative == pytest.approx([r.cumulative_wan for r in rows])
        assert lo_period == pytest.approx([r.period_wan for r in rows])
    # the example of the issue: 74.5 万元 × 25% = 18.625 at 3月底
    assert grid[4][cols.cumulative_start - 1] == pytest.approx(18.625)
    # the indicator sheet looks up the project name from its code
    ind = python_calamine.CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name(INDICATOR_SHEET).to_python()
    assert ind[3][1] == "长期聘用人员工资和社会保障缴费"


@needs_libreoffice
def test_libreoffice_reads_amounts_written_in_yuan(tmp_path: Path):
    dept = Department(projects=[Project(code="P1", name="x", budget="745000 元", goal="g",
                                        spend_plan={"6月底": "40%", "12月底": "100%"})])
    grid = python_calamine.CalamineWorkbook.from_path(
        str(recalculate(fill(dept, tmp_path / "y.xlsx"), tmp_path / "lo"))).get_sheet_by_name(PROJECT_SHEET).to_python()
    cols = ProjectColumns(checkpoints=("6月底", "12月底"))
    assert grid[4][cols.budget_wan_col - 1] == pytest.approx(74.5)
    assert grid[4][cols.cumulative_start - 1] == pytest.approx(29.8)
