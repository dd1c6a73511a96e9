"""The 项目 sheet's schedule formulas carry cached values (pyxl/layouts/schedule_cache.py): a reader that
does not calculate (calamine here; WPS preview, mail previews, the browser page) sees the numbers,
and they are the numbers LibreOffice computes when it recalculates the same file."""

from __future__ import annotations

from pathlib import Path

import pytest
import python_calamine
from libreoffice import needs_libreoffice, recalculate

from pyxl.api import fill
from pyxl.core.model import Department, Project
from pyxl.core.schedule import schedule
from pyxl.layouts.schedule_cache import BLANK, UNKNOWN, _wan
from pyxl.layouts.template_spec import EVAL_YEAR_CELL, PROJECT_SHEET, TIME_PROGRESS_CELL, ProjectColumns
from pyxl.layouts.template_writer import PROJECT_HEADER_ROW
from pyxl.workbook import open_file, read_department


def _department(seed: Department) -> Department:
    """The seed's projects and rows the formulas treat differently: 元 and 万元 text, a budget that is
    no amount, none, checkpoints other projects lack (blank columns between), a plan kept as text."""
    extra = [
        Project(code="Y1", name="元", budget="745,000 元", goal="g",
                spend_plan={"6月底": "40%", "12月底": "100%"}, spend_actual={"6月底": "300000 元", "12月底": 70}),
        Project(code="N1", name="数字", budget=50, goal="g",
                spend_plan={"3月底": 25, "9月底": "未定", "12月底": 100}, spend_actual={"3月底": "10万元"}),
        Project(code="T1", name="文字计划", budget="12 万元", goal="g",
                spend_plan={"3月底": "12.50%", "6月底": "50%"}, spend_actual={"6月底": 3}),
        Project(code="B1", name="无金额", budget="待定", goal="g", spend_plan={"3月底": "30%"}),
        Project(code="B2", name="空", goal="g", spend_plan={"6月底": "60%"}, spend_actual={"6月底": 0}),
        Project(code="Z0", name="零", budget=0, goal="g", spend_plan={"6月底": "60%"}, spend_actual={"6月底": 1}),
    ]
    # with a 评估日期, the dated formulas (评估年度, 序时进度, checkpoint dates, 与序时进度差) are cached too
    return Department(name=seed.name, code=seed.code, year=seed.year, as_of="2026-10-31",
                      projects=[*seed.projects, *extra])


def _grid(path: Path) -> list[list]:
    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(PROJECT_SHEET).to_python()


def _formula_cells(dept: Department) -> tuple[ProjectColumns, list[tuple[int, int]]]:
    """(row, col) 0-based of every schedule formula of the filled rows and the checkpoint headers."""
    from pyxl.layouts.template_writer import _project_columns

    cols = _project_columns(dept)
    n = len(cols.checkpoints)
    starts = (cols.actual_start, cols.cumulative_start, cols.period_start, cols.exec_start, cols.gap_plan_start)
    cells = [(PROJECT_HEADER_ROW - 1, s - 1 + i) for s in starts[1:] for i in range(n)]
    cells += [(PROJECT_HEADER_ROW - 1, cols.actual_start - 1 + i) for i in range(n)]
    cells += [(0, EVAL_YEAR_CELL[1] - 1), (0, TIME_PROGRESS_CELL[1] - 1)]
    cells += [(1, cols.exec_start - 1 + i) for i in range(n)]
    for k in range(len(dept.projects)):
        r = PROJECT_HEADER_ROW + k
        cells.append((r, cols.budget_wan_col - 1))
        cells += [(r, s - 1 + i) for s in starts[1:] for i in range(n)]
        cells.append((r, cols.current_exec_col - 1))
        cells.append((r, cols.gap_time_col - 1))
    return cols, cells


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> tuple[Department, Path, Path]:
    from importlib import resources

    from pyxl.core.loader import load_data

    dept = _department(load_data(Path(str(resources.files("pyxl").joinpath("data/tribunal.yaml")))))
    out = tmp_path_factory.mktemp("schedule_cache")
    filled = fill(dept, out / "d.xlsx")
    return dept, filled, out


def test_cached_values_are_pythons_schedule(books) -> None:
    """Without any recalculation the file holds the planned amounts core/schedule.py computes (for
    projects whose checkpoints fill adjacent columns), and the checkpoint labels of the headers."""
    dept, filled, _ = books
    grid = _grid(filled)
    cols, _ = _formula_cells(dept)
    n = len(cols.checkpoints)
    headers = grid[PROJECT_HEADER_ROW - 1]
    for start in (cols.cumulative_start, cols.period_start, cols.exec_start):
        assert headers[start - 1: start - 1 + n] == list(cols.checkpoints)
    checked = 0
    for k, p in enumerate(dept.projects):
        row = grid[PROJECT_HEADER_ROW + k]
        by_label = {c: row[cols.cumulative_start - 1 + i] for i, c in enumerate(cols.checkpoints)}
        for s in schedule(p):
            if s.cumulative_wan is not None and p.code != "T1":
                assert by_label[s.label] == pytest.approx(s.cumulative_wan), (p.code, s.label)
                checked += 1
    assert checked >= 12
    # the budget in 万元 of the 元 project, its execution rate at 6月底 (30 ÷ 74.5)
    y = grid[PROJECT_HEADER_ROW + [p.code for p in dept.projects].index("Y1")]
    assert y[cols.budget_wan_col - 1] == pytest.approx(74.5)
    assert y[cols.exec_start - 1 + cols.checkpoints.index("6月底")] == pytest.approx(30 / 74.5)
    # 序时进度 at 2026-10-31: day 304 of 365
    assert grid[0][TIME_PROGRESS_CELL[1] - 1] == pytest.approx(304 / 365)


def test_without_an_as_of_date_nothing_dated_is_cached(tmp_path: Path) -> None:
    """Without 评估日期 the dated formulas read TODAY(): a cached value would go stale, none is written."""
    dept = Department(projects=[Project(code="P1", name="x", budget=10, goal="g", spend_plan={"6月底": "50%"},
                                        spend_actual={"6月底": 4})])
    grid = _grid(fill(dept, tmp_path / "n.xlsx"))
    cols = ProjectColumns(checkpoints=("6月底",))
    assert grid[0][TIME_PROGRESS_CELL[1] - 1] == "" and grid[1][cols.exec_start - 1] == ""
    assert grid[PROJECT_HEADER_ROW][cols.gap_time_col - 1] == ""
    assert grid[PROJECT_HEADER_ROW][cols.current_exec_col - 1] == pytest.approx(0.4)


@needs_libreoffice
def test_cached_values_equal_libreoffices_recalculation(books) -> None:
    dept, filled, out = books
    cached, lo = _grid(filled), _grid(recalculate(filled, out / "lo"))
    _, cells = _formula_cells(dept)
    agree = missing = 0
    missing_rows = set()
    for r, c in cells:
        mine, theirs = cached[r][c], lo[r][c]
        if mine == "":
            if theirs != "":
                missing += 1
                missing_rows.add(dept.projects[r - PROJECT_HEADER_ROW].code if r >= PROJECT_HEADER_ROW else "header")
            continue
        if isinstance(mine, float):
            assert theirs == pytest.approx(mine, rel=1e-12, abs=1e-12), (r + 1, c + 1, mine, theirs)
        else:
            assert theirs == mine, (r + 1, c + 1, mine, theirs)
        agree += 1
    assert agree >= 60, (agree, missing, len(cells))
    # nothing cached only where a plan is kept as text ("12.50%"): VALUE() is left to the spreadsheet
    assert missing_rows <= {"T1"}, missing_rows
    print(f"schedule cache: {agree} cells agree with LibreOffice, {missing} left to it")


@pytest.mark.parametrize(("text", "wan"), [
    (74.5, 74.5), ("74.5 万元", 74.5), ("745,000 元", 74.5), ("3千元", 0.3), ("2亿元", 20000.0), ("100", 100.0),
    (None, BLANK), ("待定", BLANK), ("1e3", UNKNOWN), ("25%", UNKNOWN), ("１２万元", UNKNOWN),
])
def test_amount_reading_mirrors_the_formula(text, wan) -> None:
    got = _wan(text)
    assert got is wan if wan in (BLANK, UNKNOWN) else got == pytest.approx(wan)


def test_a_workbook_read_back_is_unchanged_by_the_cache(books) -> None:
    dept, filled, _ = books
    back = read_department(open_file(filled))[1]
    assert [p.code for p in back.projects] == [p.code for p in dept.projects]
    from pyxl.core.schedule import parse_percent

    def plans(d: Department) -> list:
        return [{k: parse_percent(v) if parse_percent(v) is not None else v for k, v in p.spend_plan.items()}
                for p in d.projects]

    assert plans(back) == plans(dept)
    assert [p.budget for p in back.projects] == [p.budget for p in dept.projects]
