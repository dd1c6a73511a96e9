"""自评 in the workbook: LibreOffice recalculates the formulas and every 得分, 总分 and 等级 equals Python's.

Two workbooks, one LibreOffice conversion each (module fixture): the tribunal at year end (reported
scores with one mistake of each kind, the rest live formulas) and a generated department whose 定量
得分 are all formulas (≥, ≤, =, ranges and 定性, met and missed).
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from libreoffice import needs_libreoffice, recalculate
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from pyxl.api import fill
from pyxl.core.config import load_config
from pyxl.core.generate import generate_department
from pyxl.core.generate_selfeval import add_year_end
from pyxl.core.grammar import Kind, Op, parse_target
from pyxl.core.loader import load_data
from pyxl.core.model import Department
from pyxl.core.scoring import SelfEvalRules, grade_of, project_score
from pyxl.layouts.template_reader import read_department
from pyxl.layouts.template_spec import (
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    SELFEVAL_COLUMNS,
    SELFEVAL_HEADER_ROW,
    SELFEVAL_SHEET,
)
from pyxl.rules import run_rules

RULES = SelfEvalRules.from_mapping(load_config().get("selfeval"))
SELFEVAL_RULES = {"weight-sum", "score-over-weight", "score-mismatch", "score-reason-missing", "total-mismatch",
                  "grade-mismatch", "execution-rate-mismatch"}
TRIBUNAL = Path(str(resources.files("pyxl").joinpath("data/tribunal_selfeval.yaml")))


def generated() -> Department:
    return add_year_end(generate_department(4, 14, seed=8, code="144777"), seed=8, rules=RULES)


def sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, tuple[Department, Path]]:
    out = tmp_path_factory.mktemp("selfeval")
    depts = {"tribunal": load_data(TRIBUNAL), "generated": generated()}
    done = {}
    for key, dept in depts.items():
        filled = fill(dept, out / f"{key}.xlsx")
        done[key] = (dept, recalculate(filled, out / f"{key}-lo"))
    return done


def test_generated_covers_every_kind() -> None:
    seen = set()
    for p in generated().projects:
        for ind, s in zip(p.indicators, project_score(p, RULES).indicators, strict=True):
            tv = parse_target(ind.value)
            kind = "定性" if tv.kind is Kind.QUALITATIVE else (tv.op or Op.GE).value
            seen.add((kind, s.completion == 1 if s.kind == "定量" else s.light == "达成"))
    for kind in (">=", "<=", "=", "range", "定性"):
        assert {(kind, True), (kind, False)} <= seen, kind


@needs_libreoffice
@pytest.mark.parametrize("key", ["tribunal", "generated"])
def test_formulas_equal_python(books, key: str) -> None:
    dept, recalculated = books[key]
    ind_grid = sheet(recalculated, INDICATOR_SHEET)
    hr = next(r for r, row in enumerate(ind_grid) if INDICATOR_COLUMNS["code"] in row)
    score_col = ind_grid[hr].index(INDICATOR_COLUMNS["score"])
    row = hr + 1
    checked = 0
    for p in dept.projects:
        ps = project_score(p, RULES)
        for s in ps.indicators:
            got = ind_grid[row][score_col]
            want = s.standing
            assert (got if got != "" else None) == want, (p.code, row + 1, got, want)
            checked += want is not None
            row += 1
    assert checked >= 15
    se_grid = sheet(recalculated, SELFEVAL_SHEET)
    cols = {k: se_grid[SELFEVAL_HEADER_ROW - 1].index(h) for k, h in SELFEVAL_COLUMNS.items()}
    for i, p in enumerate(dept.projects):
        got = se_grid[SELFEVAL_HEADER_ROW + i]
        ps = project_score(p, RULES)
        assert got[cols["code"]] == p.code
        rate = ps.rate_reported if ps.rate_reported is not None else ps.rate
        assert got[cols["rate"]] == pytest.approx(rate, abs=1e-12)
        assert got[cols["rate_score"]] == ps.rate_standing
        assert got[cols["indicator_weights"]] == ps.indicator_weight_sum
        assert got[cols["weight_sum"]] == ps.weight_sum
        assert got[cols["indicator_scores"]] == ps.score_sum
        total = ps.total_reported if ps.total_reported is not None else ps.total
        assert got[cols["total"]] == total
        assert got[cols["grade"]] == (ps.grade_reported or grade_of(total, RULES))


@needs_libreoffice
def test_recalculated_tribunal_reads_back_with_each_mistake_once(books) -> None:
    dept, recalculated = books["tribunal"]
    wb = CalamineWorkbook.from_path(str(recalculated))
    back = read_department(wb.sheet_names, lambda s: wb.get_sheet_by_name(s).to_python())
    found = Counter(f.rule for f in run_rules(back) if f.rule in SELFEVAL_RULES)
    assert found == dict.fromkeys(SELFEVAL_RULES, 1)
    from_data = Counter(f.rule for f in run_rules(dept) if f.rule in SELFEVAL_RULES)
    assert found == from_data
    cells = {(f.rule, f.sheet, f.cell) for f in run_rules(back) if f.rule in SELFEVAL_RULES}
    assert ("execution-rate-mismatch", SELFEVAL_SHEET, "G6") in cells
    score = get_column_letter(list(INDICATOR_COLUMNS).index("score") + 1)
    assert ("score-over-weight", INDICATOR_SHEET, f"{score}4") in cells


@needs_libreoffice
def test_generated_department_is_clean(books) -> None:
    _, recalculated = books["generated"]
    wb = CalamineWorkbook.from_path(str(recalculated))
    back = read_department(wb.sheet_names, lambda s: wb.get_sheet_by_name(s).to_python())
    assert [f for f in run_rules(back) if f.rule in SELFEVAL_RULES] == []
    assert all(p.selfeval is not None and p.selfeval.grade for p in back.projects)


def test_fill_then_read_keeps_what_is_reported(tmp_path) -> None:
    """Without any recalculation: reported values come back as written, the formulas' cells carry the
    values Python computes (cached in the package), so a reader that takes the file's values sees them."""
    dept = load_data(TRIBUNAL)
    filled = fill(dept, tmp_path / "t.xlsx")
    wb = CalamineWorkbook.from_path(str(filled))
    back = read_department(wb.sheet_names, lambda s: wb.get_sheet_by_name(s).to_python())
    for p, q in zip(dept.projects, back.projects, strict=True):
        ps = project_score(p, RULES)
        assert [i.weight for i in p.indicators] == [i.weight for i in q.indicators]
        assert [s.standing for s in ps.indicators] == [i.score for i in q.indicators]
        a, b = p.selfeval, q.selfeval
        assert (a.annual_budget, a.executed, a.goal_actual) == (b.annual_budget, b.executed, b.goal_actual)
        assert b.rate == (a.rate or f"{ps.rate * 100:g}%")
        assert b.rate_score == (a.rate_score if a.rate_score is not None else ps.rate_score)
        assert b.total == (a.total if a.total is not None else ps.total)
        assert b.grade == (a.grade or grade_of(ps.total, RULES))
    assert [f.rule for f in run_rules(back) if f.rule in SELFEVAL_RULES] == [
        f.rule for f in run_rules(dept) if f.rule in SELFEVAL_RULES]
