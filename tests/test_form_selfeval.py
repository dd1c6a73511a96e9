"""自评 in the printable form (`pyxl fill DATA --form`): 分值/得分 columns, the 项目资金 fund block,
实际完成情况, 总分 and 等级 are printed and read back as they were reported (issues 13/14).

The property over any 自评 data is in test_form_roundtrip.py (its generators draw weights, scores
and selfeval); here: the CLI on the year-end tribunal and a generated year-end department, read by
the reader ``validate`` uses, and the findings the 自评 rules give on the form."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from pyxl.cli import main
from pyxl.core.config import load_config
from pyxl.core.generate import generate_department
from pyxl.core.generate_selfeval import add_year_end
from pyxl.core.loader import dump_data, load_data
from pyxl.core.model import Department
from pyxl.core.scoring import SelfEvalRules, grade_of, project_score
from pyxl.layouts.form_spec import amount_text
from pyxl.rules import run_rules
from pyxl.workbook import open_file, read_department

RULES = SelfEvalRules.from_mapping(load_config().get("selfeval"))
SELFEVAL_RULES = {"weight-sum", "score-over-weight", "score-mismatch", "score-reason-missing", "total-mismatch",
                  "grade-mismatch", "execution-rate-mismatch"}
TRIBUNAL = Path(str(resources.files("pyxl").joinpath("data/tribunal_selfeval.yaml")))


def _fill_form(data: Path, out: Path) -> Department:
    result = CliRunner().invoke(main, ["fill", str(data), "-o", str(out), "--form"])
    assert result.exit_code == 0, result.output
    layout, back = read_department(open_file(out))
    assert layout == "form"
    assert back.read_issues == []
    return back


def test_tribunal_form_round_trips_with_each_mistake_once(tmp_path: Path) -> None:
    dept = load_data(TRIBUNAL)
    assert all(p.selfeval is not None for p in dept.projects)
    back = _fill_form(TRIBUNAL, tmp_path / "form.xlsx")
    assert back.to_data() == dept.to_data()
    found = Counter(f.rule for f in run_rules(back) if f.rule in SELFEVAL_RULES)
    assert found == Counter(f.rule for f in run_rules(dept) if f.rule in SELFEVAL_RULES)
    assert found == dict.fromkeys(SELFEVAL_RULES, 1)
    # findings point at the form's cells, not at the template's sheets
    sheets = {f.sheet for f in run_rules(back) if f.rule in SELFEVAL_RULES}
    assert sheets and sheets <= set(CalamineWorkbook.from_path(str(tmp_path / "form.xlsx")).sheet_names)


def test_generated_year_end_department_round_trips(tmp_path: Path) -> None:
    dept = add_year_end(generate_department(3, 12, seed=5, code="144555"), seed=5, rules=RULES)
    for p in dept.projects:  # a form is what was reported: report every score Python computes
        ps = project_score(p, RULES)
        for ind, sc in zip(p.indicators, ps.indicators, strict=True):
            ind.score = sc.standing
        assert p.selfeval is not None
        p.selfeval.rate_weight, p.selfeval.rate_score = ps.rate_weight, ps.rate_score
        p.selfeval.rate = f"{ps.rate * 100:g}%" if ps.rate is not None else None
        p.selfeval.total, p.selfeval.grade = ps.total, grade_of(ps.total, RULES)
    inds = [i for p in dept.projects for i in p.indicators]
    assert all(p.selfeval and p.selfeval.total is not None for p in dept.projects)
    assert all(i.weight is not None for i in inds) and any(i.score is not None for i in inds)
    data = tmp_path / "d.yaml"
    dump_data(dept, data)
    back = _fill_form(data, tmp_path / "form.xlsx")
    want = load_data(data)
    for p in want.projects:  # the form's own limit: a bare-number amount is printed (and read) "N 万元"
        p.budget = amount_text(p.budget) if p.budget is not None else None
        p.funding = {k: amount_text(v) if v is not None else None for k, v in p.funding.items()}
    assert back.to_data() == want.to_data()
    assert [f for f in run_rules(back) if f.rule in SELFEVAL_RULES] == []


def test_fund_block_is_printed_as_the_published_form(tmp_path: Path) -> None:
    """One header row with the six fund columns over a 年度资金合计 row; 实际完成情况 after 绩效目标;
    总分 and 等级 on the row after the last indicator; 分值 and 得分 in the indicator header."""
    _fill_form(TRIBUNAL, tmp_path / "form.xlsx")
    dept = load_data(TRIBUNAL)
    wb = CalamineWorkbook.from_path(str(tmp_path / "form.xlsx"))
    grid = wb.get_sheet_by_name(wb.sheet_names[1]).to_python()
    p = dept.projects[0]
    assert p.selfeval is not None
    words = [[str(v) for v in row] for row in grid]
    hr = next(r for r, row in enumerate(words) if "全年执行数（B）" in row)
    assert words[hr][:7] == ["项目资金（万元）", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]
    assert words[hr + 1][0] == "年度资金合计"
    ih = next(r for r, row in enumerate(words) if "三级指标" in row)
    assert "分值" in words[ih] and "得分" in words[ih]
    goal_row = next(r for r, row in enumerate(words) if row[0] == "绩效目标")
    assert words[goal_row + 1][:2] == ["实际完成情况", p.selfeval.goal_actual]
    foot = ih + 1 + len(p.indicators)
    assert words[foot][0] == "总分" and words[foot][2] == "等级"


@pytest.mark.parametrize("fields", [{"grade": "良"}, {"total": 88}, {"goal_actual": "完成"}, {"executed": 5}])
def test_a_lone_selfeval_field_round_trips(tmp_path: Path, fields: dict) -> None:
    """Whatever a project's 自评 part holds alone comes back alone (the fund block is printed even when
    it has no figure: the reader finds the 自评 part by its header)."""
    from pyxl.core.model import Indicator, Project, SelfEval
    from pyxl.layouts.form_writer import build_form_workbook, save_workbook

    ind = Indicator(level1="产出指标", level2="数量指标", name="场次", value="≥1场")
    dept = Department(name="某单位", projects=[Project(code="1", name="甲", indicators=[ind]),
                                            Project(code="2", name="乙", indicators=[ind], selfeval=SelfEval(**fields))])
    for one_sheet in (False, True):
        path = tmp_path / f"f{one_sheet}.xlsx"
        save_workbook(build_form_workbook(dept, one_sheet=one_sheet), path)
        _, back = read_department(open_file(path))
        assert back.read_issues == []
        assert back.to_data() == dept.to_data()
