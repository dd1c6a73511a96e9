"""The 汇总 button through the real xlwings API (remote engine), on an emulated summary workbook.

The committed workbook/汇总.xlsx is loaded into the emulated Excel (tests/xlwings_payload.py);
the button's command from macros/pyxl_rollup.bas runs against it; the actions xlwings queued are
carried out and the workbook is read back.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from xlwings_payload import LiveWorkbook

from pyxl.api import fill
from pyxl.consolidate.summary_writer import FOLDER_CELL, SUMMARY_TOTAL_ROW
from pyxl.core.errors import UserError
from pyxl.core.generate import generate_department

xw = pytest.importorskip("xlwings")
SUMMARY = ROOT / "workbook" / "汇总.xlsx"
TOTALS = re.compile(r"^=(SUBTOTAL\(109,[A-Z]+\d+:[A-Z]+\d+\)|D\d+-G\d+)$")


@pytest.fixture(autouse=True)
def _remote_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))


def _button_command() -> str:
    text = (ROOT / "macros" / "pyxl_rollup.bas").read_bytes().decode("ascii")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    subs = dict(re.findall(r'Public Sub (\w+)\(\)\r\n\s+RunPyxl "([^"]+)"\r\nEnd Sub', text))
    assert set(subs) == {"PyxlRollup"}
    return subs["PyxlRollup"]


def _click(live: LiveWorkbook) -> None:
    book = live.book()
    book.set_mock_caller()
    try:
        exec(_button_command(), {})  # what RunPython executes, verbatim
    finally:
        del xw.Book._mock_caller
    live.apply(book.json()["actions"])


def _table(live: LiveWorkbook, sheet: str, first_header: str) -> list[dict[str, object]]:
    grid = live.sheet(sheet).grid()
    h = next(i for i, row in enumerate(grid) if row and row[0] == first_header)
    header = grid[h]
    rows = []
    for row in grid[h + 1:]:
        if all(v in (None, "") for v in row):
            break
        rows.append(dict(zip(header, row, strict=False)))
    return rows


@pytest.fixture
def inbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The summary's folder as on a bureau's disk: the shipped departments plus one that arrived later."""
    shutil.copytree(ROOT / "workbook" / "部门", tmp_path / "部门")
    late = generate_department(3, 6, seed=77, code="144099", name="=HYPERLINK(\"http://x\",\"新到单位\")")
    fill(late, tmp_path / "部门" / "新到单位.xlsx")
    monkeypatch.chdir(tmp_path)  # the emulated book has no folder of its own: the button uses the cwd
    return tmp_path


def test_button_refills_the_summary_in_place(inbox: Path) -> None:
    live = LiveWorkbook.from_file(SUMMARY)
    live.allowed_formulas = TOTALS
    before = _table(live, "部门汇总", "序号")
    assert len(before) == 4

    _click(live)

    after = _table(live, "部门汇总", "序号")
    names = [r["部门名称"] for r in after]
    assert len(after) == 5 and '=HYPERLINK("http://x","新到单位")' in names  # text stays text
    assert {r["部门名称"] for r in before} < set(names)
    dept = live.sheet("部门汇总")
    assert dept.cells[(FOLDER_CELL[0] + 1, FOLDER_CELL[1] + 1)] == "部门"  # the folder cell is kept
    totals = {c: f for (r, c), f in dept.formulas.items() if r == SUMMARY_TOTAL_ROW + 1}
    assert totals and all(TOTALS.match(f) for f in totals.values())
    assert all(f.endswith(f"{SUMMARY_TOTAL_ROW + 3 + 4})") for f in totals.values())  # down to the 5th row
    log = _table(live, "处理记录", "序号")
    assert [r["状态"] for r in log] == ["已读取"] * 5
    indicators = _table(live, "指标明细", "部门")
    assert len(indicators) == sum(int(r["指标数"]) + int(r["部门整体目标数"]) for r in after)
    assert not any(f for s in live.sheets for f in s.formulas.values() if "HYPERLINK" in f)

    snapshot = live.snapshot()
    _click(live)  # a second click with nothing new changes nothing
    assert live.snapshot() == snapshot


def test_button_without_a_folder_says_so_in_the_sheet(inbox: Path) -> None:
    live = LiveWorkbook.from_file(SUMMARY)
    live.sheet("部门汇总").cells.pop((FOLDER_CELL[0] + 1, FOLDER_CELL[1] + 1))
    book = live.book()
    import pyxl.excel

    with pytest.raises(UserError, match="E1"):
        pyxl.excel.rollup(book)
    live.apply(book.json()["actions"])
    assert live.sheet("部门汇总").cells[(2, 1)].startswith("汇总未完成：")


def test_xlwings_lite_is_told_to_use_desktop_excel(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import pyxl.excel

    monkeypatch.setattr(sys, "platform", "emscripten")
    with pytest.raises(UserError, match="xlwings Lite"):
        pyxl.excel.rollup(object())
