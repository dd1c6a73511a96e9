"""The 校验 / 清除标记 buttons through the real xlwings API (remote engine, as in xlwings Lite).

The workbook side is emulated by tests/xlwings_payload.py: an Office.js-style
payload built from a workbook file goes into ``xw.Book(json=...)``, pyxl's entry
points run, and the actions xlwings queued are carried out on the emulated
workbook so that the next click sees their result.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from xlwings_payload import LiveWorkbook, install_lite_client, note_actions

from pyxl.backends.base import Formula
from pyxl.backends.xlwings_backend import NoteTextUnavailable, XlwingsBackend, cell_value
from pyxl.core.errors import WorkbookError
from pyxl.layouts.template_spec import RESULTS_SHEET, STATUS_NAMES, mirror_sheet
from pyxl.marks import MARKER

xw = pytest.importorskip("xlwings")

MIRRORS = [mirror_sheet(s) for s in STATUS_NAMES]


@pytest.fixture(autouse=True)
def _remote_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """xlwings' remote engine under its PolyForm Noncommercial licence (testing use), for these tests only."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    # xlwings registers its engines when first imported; if that happened without the key, add it now
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))


def _fill(dept: Any, path: Path) -> Path:
    from pyxl.api import fill

    return fill(dept, path)


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tribunal's workbook filled from the seed (tests read it, never change the file)."""
    from pyxl.core.loader import load_data

    root = Path(__file__).resolve().parents[1]
    dept = load_data(root / "pyxl" / "data" / "tribunal.yaml")
    return _fill(dept, tmp_path_factory.mktemp("seed") / "tribunal.xlsx")


_GENERATED: dict[int, Path] = {}


def _generated(tmp_path: Path, n: int) -> Path:
    """A generated n-project department workbook, built once per test session."""
    from pyxl.core.generate import generate_department

    if n not in _GENERATED or not _GENERATED[n].exists():
        _GENERATED[n] = _fill(generate_department(n, seed=n), tmp_path / f"dept{n}.xlsx")
    return _GENERATED[n]


def _cli_validate(path: Path, out: Path) -> dict[str, Any]:
    """`pyxl validate FILE -o OUT --json REPORT`, the CLI the button must agree with."""
    from pyxl.cli import main

    report = out.with_suffix(".json")
    result = CliRunner().invoke(main, ["validate", str(path), "-o", str(out), "--json", str(report), "-q"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(report.read_text(encoding="utf-8"))


def _flagged(findings: Any) -> Counter[tuple[str, str | None, str | None]]:
    return Counter((f["rule"], f["sheet"], f["cell"]) for f in findings)


Actions = list[dict[str, Any]]


def _validate_lite(monkeypatch: pytest.MonkeyPatch, live: LiveWorkbook) -> tuple[Any, Actions, Any]:
    """One click of 校验 in xlwings Lite; Excel then carries out the queued actions."""
    import pyxl.excel

    book = live.book()
    with monkeypatch.context() as m:
        client = install_lite_client(m, live)
        report = asyncio.run(pyxl.excel.validate_async(book))
    actions = book.json()["actions"]
    live.apply(actions)
    return report, actions, client


def _clear_lite(monkeypatch: pytest.MonkeyPatch, live: LiveWorkbook) -> list[dict[str, Any]]:
    import pyxl.excel

    book = live.book()
    with monkeypatch.context() as m:
        install_lite_client(m, live)
        asyncio.run(pyxl.excel.clear_async(book))
    actions = book.json()["actions"]
    live.apply(actions)
    return actions


def _file_marks(path: Path) -> dict[str, Any]:
    """What the CLI wrote into its marked copy: mirror codes, notes, 校验结果 rows."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    marks: dict[str, Any] = {}
    for ws in wb.worksheets:
        if ws.title in MIRRORS:
            marks[ws.title] = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
                               if c.value not in (None, "")}
        elif ws.title == RESULTS_SHEET:
            marks[ws.title] = {(c.row, c.column): c.value for row in ws.iter_rows(min_row=2) for c in row
                               if c.value not in (None, "")}
        else:
            notes = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
            if notes:
                marks[f"notes:{ws.title}"] = notes
    return marks


def _live_marks(live: LiveWorkbook) -> dict[str, Any]:
    marks: dict[str, Any] = {}
    for s in live.sheets:
        if s.name in MIRRORS:
            marks[s.name] = {rc: v for rc, v in s.cells.items() if v not in (None, "")}
        elif s.name == RESULTS_SHEET:
            marks[s.name] = {rc: s.formulas.get(rc, v) for rc, v in s.cells.items() if rc[0] >= 2}
        elif s.notes:
            marks[f"notes:{s.name}"] = dict(s.notes)
    return marks


# ---------------------------------------------------------------- parity with the CLI


def _assert_parity(monkeypatch: pytest.MonkeyPatch, path: Path, tmp_path: Path) -> None:
    cli = _cli_validate(path, tmp_path / "cli-marked.xlsx")
    live = LiveWorkbook.from_file(path)
    report, _, _ = _validate_lite(monkeypatch, live)

    assert _flagged(f.to_dict() for f in report.findings) == _flagged(cli["findings"])
    assert report.counts == cli["counts"]
    # not only the same findings: the workbook carries the same marks, cell for cell
    assert _live_marks(live) == _file_marks(tmp_path / "cli-marked.xlsx")


def test_parity_with_cli_on_the_seed_workbook(monkeypatch, seed_book, tmp_path):
    _assert_parity(monkeypatch, seed_book, tmp_path)


def test_parity_with_cli_on_a_generated_20_project_workbook(monkeypatch, tmp_path):
    _assert_parity(monkeypatch, _generated(tmp_path, 20), tmp_path)


def test_parity_with_cli_on_the_shipped_tribunal_workbook(monkeypatch, tmp_path):
    """The ready-made workbook people open first (workbook/), as shipped."""
    import openpyxl

    from pyxl.layouts.template_reader import is_template

    def is_department(path: Path) -> bool:
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            return is_template(wb.sheetnames)
        finally:
            wb.close()

    shipped = [p for p in sorted((Path(__file__).resolve().parents[1] / "workbook").glob("*.xlsx"))
               if is_department(p)]
    if not shipped:
        pytest.skip("no shipped department workbook in this checkout")
    for path in shipped:
        _assert_parity(monkeypatch, path, tmp_path)


@pytest.mark.libreoffice
def test_parity_on_a_workbook_excel_has_calculated(monkeypatch, seed_book, tmp_path):
    """A workbook whose formulas carry computed values, as a payload from Excel would."""
    from libreoffice import SOFFICE, recalculate

    if SOFFICE is None:
        pytest.skip("LibreOffice not installed")
    calculated = recalculate(seed_book, tmp_path / "calc")
    _assert_parity(monkeypatch, calculated, tmp_path)


def test_the_sync_entry_point_agrees_with_the_lite_one(seed_book):
    """validate(book) (desktop) and validate_async(book) (Lite) queue the same actions."""
    import pyxl.excel

    live = LiveWorkbook.from_file(seed_book)  # a fresh template has no notes to read
    book = live.book()
    report = pyxl.excel.validate(book)
    assert report.findings
    assert report.file == seed_book.name
    sync_actions = book.json()["actions"]

    book2 = live.book()
    asyncio.run(pyxl.excel.validate_async(book2))
    assert book2.json()["actions"] == sync_actions


# ---------------------------------------------------------------- desktop: RunPython → Book.caller()


def test_desktop_button_uses_the_calling_book(seed_book):
    import pyxl.excel

    live = LiveWorkbook.from_file(seed_book)
    book = live.book()
    book.set_mock_caller()
    try:
        report = pyxl.excel.validate()  # exactly what the VBA macro runs
    finally:
        del xw.Book._mock_caller
    actions = book.json()["actions"]
    live.apply(actions)
    assert report.findings
    flagged_cells = {(f.sheet, f.cell) for f in report.findings if f.cell}
    assert {(s.name, c) for s in live.sheets for c in s.notes} == flagged_cells
    summary = live.sheet(RESULTS_SHEET).cells[(2, 1)]
    c = report.counts
    assert f"错误 {c['error']} 个" in summary and f"警告 {c['warning']} 个" in summary


def test_clear_button_uses_the_calling_book(seed_book):
    import pyxl.excel

    live = LiveWorkbook.from_file(seed_book)
    before = live.snapshot()
    book = live.book()
    book.set_mock_caller()
    try:
        pyxl.excel.clear()
    finally:
        del xw.Book._mock_caller
    live.apply(book.json()["actions"])
    assert live.snapshot() == before  # nothing to clear on a fresh workbook, and nothing else touched


# ---------------------------------------------------------------- clicking twice, clearing


def test_second_click_adds_no_note_and_repeats_the_highlights(monkeypatch, seed_book):
    live = LiveWorkbook.from_file(seed_book)
    first, actions1, _ = _validate_lite(monkeypatch, live)
    after_first = live.snapshot()
    second, actions2, client = _validate_lite(monkeypatch, live)

    assert note_actions(actions1), "the first click writes notes"
    assert note_actions(actions2) == [], "the second click finds its notes already right"
    assert _same_highlights(live, actions1, actions2)
    assert live.snapshot() == after_first  # twice is the same workbook as once
    assert len(client.reads) == sum(len(s.notes) for s in live.sheets)  # one read per existing note
    assert all(t.count(MARKER) == 1 for s in live.sheets for t in s.notes.values())
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]


def _same_highlights(live: LiveWorkbook, a1: list[dict[str, Any]], a2: list[dict[str, Any]]) -> bool:
    """The writes into the status mirrors (the highlights) of two clicks are the same."""
    mirrors = {i for i, s in enumerate(live.sheets) if s.name in MIRRORS}

    def writes(actions: list[dict[str, Any]]) -> list[Any]:
        return [(a["sheet_position"], a["start_row"], a["start_column"], a["values"])
                for a in actions if a["func"] == "setValues" and a["sheet_position"] in mirrors]

    return bool(writes(a1)) and writes(a1) == writes(a2)


def test_clear_removes_every_mark_and_keeps_the_users_notes(monkeypatch, seed_book):
    live = LiveWorkbook.from_file(seed_book)
    # the user's own notes: one on a cell validate will flag, one elsewhere
    probe = live.book()
    import pyxl.excel

    flagged = [f for f in pyxl.excel.validate(probe).findings if f.cell and f.sheet]
    target = flagged[0]
    live.sheet(target.sheet).notes[target.cell] = "我的备注：=SUM(A1) 请核对"
    live.sheet("说明").notes["A1"] = "说明表的批注"
    before = live.snapshot()

    _validate_lite(monkeypatch, live)
    merged = live.sheet(target.sheet).notes[target.cell]
    assert merged.startswith("我的备注：=SUM(A1) 请核对\n\n" + MARKER)
    assert live.sheet("说明").notes["A1"] == "说明表的批注"
    assert any(s.cells for s in live.sheets if s.name in MIRRORS), "highlights were written"

    _clear_lite(monkeypatch, live)
    assert live.snapshot() == before  # every mark and note of pyxl gone, the user's untouched


def test_clear_twice_changes_nothing_the_second_time(monkeypatch, seed_book):
    live = LiveWorkbook.from_file(seed_book)
    _validate_lite(monkeypatch, live)
    _clear_lite(monkeypatch, live)
    once = live.snapshot()
    actions = _clear_lite(monkeypatch, live)
    assert note_actions(actions) == []
    assert live.snapshot() == once


# ---------------------------------------------------------------- O(sheets) + notes


@pytest.mark.parametrize("n", [20, 50])
def test_remote_actions_per_validate_are_O_sheets_plus_notes(monkeypatch, tmp_path, n):
    path = _generated(tmp_path, n)
    live = LiveWorkbook.from_file(path)
    report, actions, _ = _validate_lite(monkeypatch, live)
    notes = note_actions(actions)
    bulk = [a for a in actions if a not in notes]
    flagged_cells = {(f.sheet, f.cell) for f in report.findings if f.cell}
    sheets = len(live.sheets)

    assert len(report.findings) > n, "a workbook with something to flag"
    # notes: one call per flagged cell, nothing else is per cell
    assert len(notes) == len(flagged_cells)
    # the rest: at most a clear and a write per status mirror, plus the 校验结果 block
    assert len(bulk) <= 2 * len(MIRRORS) + 4 <= sheets + 4
    assert {a["func"] for a in bulk} <= {"setValues", "rangeClearContents", "addSheet"}


def test_bulk_action_count_does_not_grow_with_the_workbook(monkeypatch, tmp_path):
    counts = {}
    for n in (20, 50):
        live = LiveWorkbook.from_file(_generated(tmp_path, n))
        _, actions, _ = _validate_lite(monkeypatch, live)
        counts[n] = len(actions) - len(note_actions(actions))
    assert counts[20] == counts[50]


# ---------------------------------------------------------------- text stays text


@pytest.mark.parametrize(
    "text", ["=1+1", "+86 123", "-5", "@SUM(A1)", "001", "2026-01-01", "TRUE", "12.5", "50%"]
)
def test_text_that_looks_like_a_formula_or_number_is_written_as_text(text):
    assert cell_value(text) == "'" + text


def test_formulas_pyxl_builds_are_written_as_formulas():
    link = Formula('=HYPERLINK("#\'项目\'!D5","项目!D5")')
    assert cell_value(link) == str(link) and type(cell_value(link)) is str
    assert cell_value("共发现 3 个问题") == "共发现 3 个问题"
    assert cell_value(12.5) == 12.5 and cell_value(None) is None


def test_results_rows_with_formula_like_text_stay_text(monkeypatch, seed_book):
    """Project names and messages copied into 校验结果 never become formulas (the emulator refuses any)."""
    live = LiveWorkbook.from_file(seed_book)
    report, _, _ = _validate_lite(monkeypatch, live)
    results = live.sheet(RESULTS_SHEET)
    assert set(results.formulas.values()) <= {f'=HYPERLINK("#\'{f.sheet}\'!{f.cell}","{f.sheet}!{f.cell}")'
                                              for f in report.findings if f.cell}
    codes = [v for (r, c), v in results.cells.items() if c == 6 and r >= 4]
    assert all(isinstance(v, str) for v in codes), "project codes stay text, leading zeros and all"


# ---------------------------------------------------------------- errors and limits


def test_sync_entry_point_on_lite_with_notes_says_to_use_the_async_one(monkeypatch, seed_book):
    import pyxl.excel

    live = LiveWorkbook.from_file(seed_book)
    _validate_lite(monkeypatch, live)  # now the workbook has notes
    before = live.snapshot()
    book = live.book()
    with pytest.raises(NoteTextUnavailable) as info:
        pyxl.excel.validate(book)
    assert "validate_async" in str(info.value)
    # it stops before touching anything, and says why where the user looks
    live.apply(book.json()["actions"])
    after = live.snapshot()
    message = after[RESULTS_SHEET]["cells"].pop((2, 1))
    before[RESULTS_SHEET]["cells"].pop((2, 1))
    assert after == before
    assert message.startswith("校验未完成：") and "校验" in message


def test_excel_without_notes_still_gets_highlights_and_results(monkeypatch, seed_book):
    """Lite on an Excel without the notes API (ExcelApi < 1.18): colours and 校验结果, no notes."""
    import pyxl.excel

    live = LiveWorkbook.from_file(seed_book)
    book = live.book(notes_supported=False)
    with monkeypatch.context() as m:
        install_lite_client(m, live)
        report = asyncio.run(pyxl.excel.validate_async(book))
    actions = book.json()["actions"]
    assert report.findings and note_actions(actions) == []
    live.apply(actions)
    assert any(live.sheet(s).cells for s in MIRRORS)
    assert "共发现" in live.sheet(RESULTS_SHEET).cells[(2, 1)]


def test_unrecognised_workbook_reports_in_the_results_sheet(tmp_path):
    import openpyxl

    import pyxl.excel

    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便一张表"
    wb.save(path)
    live = LiveWorkbook.from_file(path)
    book = live.book()
    with pytest.raises(WorkbookError):
        pyxl.excel.validate(book)
    live.apply(book.json()["actions"])
    assert live.sheet(RESULTS_SHEET).cells[(2, 1)].startswith("校验未完成：无法识别工作簿版式")


def test_reads_are_one_bulk_read_per_sheet(seed_book):
    live = LiveWorkbook.from_file(seed_book)
    backend = XlwingsBackend(live.book())
    for name in backend.sheet_names():
        grid = backend.read_values(name)
        rows, cols = live.sheet(name).extent()
        assert len(grid) == max(rows, 1) and all(len(r) == max(cols, 1) for r in grid)


# ---------------------------------------------------------------- Pyodide constraints


def test_importing_and_running_the_excel_path_needs_no_threads_or_native_file_readers(seed_book):
    """xlwings Lite runs in Pyodide: no threads or processes, and none of the compiled readers."""
    import subprocess
    import sys

    code = f"""
import sys, threading, json, os
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
sys.path.insert(0, {str(Path(__file__).parent)!r})
import pyxl, pyxl.excel
after_import = set(sys.modules)
from xlwings_payload import LiveWorkbook
live = LiveWorkbook.from_file({str(seed_book)!r})      # the test harness reads the file (openpyxl)
book = live.book()
harness = set(sys.modules)
pyxl.excel.validate(book)
used = set(sys.modules) - harness
print(json.dumps({{"threads": threading.active_count(),
                  "import": sorted(m for m in after_import if m.split('.')[0] in ("openpyxl", "pandas",
                            "python_calamine", "xlsxwriter", "xlwings", "multiprocessing", "concurrent")),
                  "run": sorted({{m.split('.')[0] for m in used}})}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    info = json.loads(out.stdout.strip().splitlines()[-1])
    assert info["threads"] == 1
    assert info["import"] == [], "import pyxl.excel must not pull in file readers, pandas or xlwings"
    assert not {"python_calamine", "pandas", "openpyxl", "xlsxwriter", "multiprocessing",
                "concurrent", "subprocess"} & set(info["run"])
    assert threading.active_count() >= 1


# ---------------------------------------------------------------- what Excel runs: .bas and Lite script

ROOT = Path(__file__).resolve().parents[1]

from vba_text import vba_function_text  # noqa: E402


def test_vba_module_is_importable_text_whose_commands_run(seed_book):
    """macros/pyxl.bas: ASCII with CRLF (the VBA editor's format), and its RunPython commands really work."""
    import re

    raw = (ROOT / "macros" / "pyxl.bas").read_bytes()
    text = raw.decode("ascii")  # the VBA editor reads .bas in the system code page: stay ASCII
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert text.startswith('Attribute VB_Name = "pyxl"')
    subs = dict(re.findall(r'Public Sub (\w+)\(\)\r\n\s+RunPyxl "([^"]+)"\r\nEnd Sub', text))
    assert set(subs) == {"PyxlValidate", "PyxlClear"}
    # RunPython of the xlwings add-in, called by name: no VBA reference to set up
    assert re.search(r"Application\.Run \"'xlwings\.xlam'!RunPython\", PythonCommand\r\n", text)
    message = vba_function_text(text, "NotFoundMessage")
    assert message.startswith("无法调用 xlwings。") and "xlwings addin install" in message

    live = LiveWorkbook.from_file(seed_book)
    book = live.book()
    book.set_mock_caller()
    try:
        exec(subs["PyxlValidate"], {})  # what RunPython executes, verbatim
        live.apply(book.json()["actions"])
        assert any(s.notes for s in live.sheets)
        assert "共发现" in live.sheet(RESULTS_SHEET).cells[(2, 1)]
        book2 = live.book()
        book2.set_mock_caller()
        # desktop Excel reads note texts itself; the remote engine can't, and says so
        with pytest.raises(NoteTextUnavailable):
            exec(subs["PyxlClear"], {})
    finally:
        del xw.Book._mock_caller


def test_lite_scripts_run_validate_and_clear(monkeypatch, seed_book, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("lite_main", ROOT / "macros" / "xlwings_lite" / "main.py")
    assert spec and spec.loader
    lite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lite)
    live = LiveWorkbook.from_file(seed_book)
    before = live.snapshot()

    for script in (lite.校验, lite.清除标记):
        book = live.book()
        with monkeypatch.context() as m:
            install_lite_client(m, live)
            asyncio.run(script(book))
        live.apply(book.json()["actions"])
        if script is lite.校验:
            assert any(s.notes for s in live.sheets)
    assert live.snapshot() == before
    out = capsys.readouterr().out
    assert "校验完成：错误" in out and "已清除" in out


def test_lite_requirements_install_pyxl_without_the_native_file_reader():
    import tomllib

    from packaging.requirements import Requirement

    reqs = (ROOT / "macros" / "xlwings_lite" / "requirements.txt").read_text(encoding="utf-8")
    names = {line.split("#")[0].strip().lower() for line in reqs.splitlines() if line.split("#")[0].strip()}
    assert names == {"xlwings", "pyxl-jixiao"}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pyodide = {"sys_platform": "emscripten"}
    in_browser = {Requirement(r).name.lower() for r in project["dependencies"]
                  if Requirement(r).marker is None or Requirement(r).marker.evaluate(pyodide)}
    assert "python-calamine" not in in_browser and "rapidfuzz" in in_browser
