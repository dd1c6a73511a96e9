"""汇总 (rollup): reconciliation with the generator, month alignment, bad files, the workbook itself."""

from __future__ import annotations

import hashlib
import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from pyxl import rollup
from pyxl.api import fill
from pyxl.cli import main
from pyxl.consolidate.months import EXACT, INTERPOLATED, MISSING, percent_curve
from pyxl.core.generate import generate_department
from pyxl.core.model import Department

QUARTERLY = {"3月底": "20%", "6月底": "45%", "9月底": "70%", "12月底": "100%"}


def _dept(
    seed: int, code: str, projects: int, indicators: int, plan: dict[str, str] | None = None
) -> Department:
    d = generate_department(projects, indicators, seed=seed, code=code)
    if plan:
        for p in d.projects:
            p.spend_plan = dict(plan)
    return d


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Department]]:
    """Three departments: different sizes, codes and seeds; one plans at 3/6/9/12, the others 3/6/10/12."""
    folder = tmp_path_factory.mktemp("depts")
    depts = [_dept(11, "310001", 4, 6), _dept(12, "310002", 3, 5, QUARTERLY), _dept(13, "310003", 5, 4)]
    for p in depts[0].projects:  # one department has reported spending (万元) at 3 and 6 months
        p.spend_actual = {"3月底": round(p.budget * 0.2, 2), "6月底": round(p.budget * 0.4, 2)}
    for d in depts:
        fill(d, folder / f"{d.code}.xlsx")
    return folder, depts


@pytest.fixture(scope="module")
def summary(generated: tuple[Path, list[Department]], tmp_path_factory: pytest.TempPathFactory):
    folder, _ = generated
    result = rollup([folder])
    out = tmp_path_factory.mktemp("out") / "汇总.xlsx"
    result.write(out)
    return result, out


def _yuan(value: object) -> int:
    """The generator's budgets are whole 元 written in 万元."""
    return round(float(value) * 10_000)  # type: ignore[arg-type]


def _sheet(path: Path, name: str, header_row: int) -> list[dict[str, object]]:
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    header = grid[header_row]
    return [
        {h: (None if v == "" else v) for h, v in zip(header, row, strict=False)}
        for row in grid[header_row + 1:]
    ]


def _cell(grid: list[list[object]], a1: str) -> object:
    letters = "".join(ch for ch in a1 if ch.isalpha())
    row = int(a1[len(letters):]) - 1
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    col -= 1
    value = grid[row][col] if row < len(grid) and col < len(grid[row]) else None
    return None if value == "" else value


# ---------------------------------------------------------------- reconciliation


def test_totals_equal_the_generators_figures(generated, summary) -> None:
    _, depts = generated
    result, _ = summary
    projects = [p for d in depts for p in d.projects]
    assert result.totals == {
        "departments": 3,
        "projects": len(projects),
        "indicators": sum(len(p.indicators) for p in projects),
        "budget": Decimal(sum(_yuan(p.budget) for p in projects)) / 10_000,  # exact: Decimal, not float
        "fiscal": Decimal(sum(_yuan(p.funding["财政资金"]) for p in projects)) / 10_000,
    }
    assert all(isinstance(result.totals[k], Decimal) for k in ("budget", "fiscal"))
    by_name = result.departments.set_index("name")
    for d in depts:
        row = by_name.loc[d.name]
        assert row["projects"] == len(d.projects)
        assert row["budget"] == sum(_yuan(p.budget) for p in d.projects) / 10_000
        assert row["targets"] == len(d.targets)


def test_no_row_is_lost(generated, summary) -> None:
    _, depts = generated
    result, out = summary
    projects = [p for d in depts for p in d.projects]
    frame = result.projects
    assert sorted(frame["code"]) == sorted(p.code for p in projects)
    assert dict(zip(frame["code"], frame["budget"], strict=True)) == {p.code: p.budget for p in projects}
    targets = sum(len(d.targets) for d in depts)
    assert len(result.indicators) == sum(len(p.indicators) for p in projects) + targets
    expected = sorted((p.code, i.name, str(i.value)) for p in projects for i in p.indicators)
    got = result.indicators[result.indicators["scope"] == "项目"]
    assert sorted(zip(got["project_code"], got["name"], got["value"].astype(str), strict=True)) == expected
    # and the workbook holds every row the frames do
    assert len(_sheet(out, "指标明细", 2)) == len(result.indicators)
    assert len(_sheet(out, "项目明细", 2)) == len(frame)


def test_every_indicator_row_points_at_the_cell_holding_its_value(summary) -> None:
    _, out = summary
    rows = _sheet(out, "指标明细", 2)
    books: dict[str, CalamineWorkbook] = {}
    grids: dict[tuple[str, str], list[list[object]]] = {}
    checked = 0
    for row in rows:
        file, sheet, cell = row["文件"], row["来源工作表"], row["来源单元格"]
        assert file and sheet and cell, row
        book = books.setdefault(file, CalamineWorkbook.from_path(file))
        grid = grids.setdefault((file, sheet), book.get_sheet_by_name(sheet).to_python())
        assert _cell(grid, cell) == row["指标值（原文）"], (file, sheet, cell)
        checked += 1
    assert checked == len(rows) > 0
    for row in _sheet(out, "项目明细", 2):
        grid = CalamineWorkbook.from_path(row["文件"]).get_sheet_by_name(row["来源工作表"]).to_python()
        assert _cell(grid, row["来源单元格"]) == row["预算数（原文）"]


def test_parsed_targets_in_the_long_table(summary) -> None:
    result, _ = summary
    ind = result.indicators
    ge = ind[ind["value"] == "≥95%"].iloc[0]
    parsed = (ge["op"], ge["number"], ge["unit"], ge["kind"], ge["op_source"])
    assert parsed == ("≥", 95.0, "%", "定量", "写明")
    bare = ind[ind["value"] == "14人"]
    for level1, op in (("产出指标", "≥"), ("成本指标", "≤")):  # the direction assumed is stated per category
        row = bare[bare["level1"] == level1].iloc[0]
        assert (row["op"], row["op_source"], row["number"], row["unit"]) == (op, "推定", 14.0, "人")
    graded = ind[ind["value"] == "达到"].iloc[0]
    assert (graded["kind"], graded["grade"]) == ("定性", "达到")
    by_dept = result.departments.set_index("name")
    for name, group in ind[ind["scope"] == "项目"].groupby("department"):
        assert by_dept.loc[name, "quantitative"] == (group["kind"] == "定量").sum()
        assert by_dept.loc[name, "qualitative"] == (group["kind"] == "定性").sum()


# ---------------------------------------------------------------- spending plan, aligned by month


def test_percent_curve_interpolates_between_checkpoints_and_stops_after_the_last() -> None:
    curve = percent_curve({3: 25.0, 6: 50.0, 10: 75.0})
    assert curve[2] == (25.0, EXACT)
    assert curve[0] == (pytest.approx(25 / 3), INTERPOLATED)  # from 0% at the start of the year
    assert curve[8] == (pytest.approx(68.75), INTERPOLATED)
    assert curve[11] == (None, MISSING)
    assert percent_curve({}) == [(None, MISSING)] * 12


def test_plan_totals_align_departments_by_month(generated, summary) -> None:
    _, depts = generated
    result, _ = summary
    pct = {"310001": {3: 25, 6: 50, 9: Fraction(6875, 100), 10: 75, 12: 100},
           "310002": {3: 20, 6: 45, 9: 70, 10: 80, 12: 100},  # 10月底: between 9 (70%) and 12 (100%)
           "310003": {3: 25, 6: 50, 9: Fraction(6875, 100), 10: 75, 12: 100}}
    expected = {
        str(m): sum(Fraction(_yuan(p.budget), 10_000) * Fraction(pct[d.code][m]) / 100
                    for d in depts for p in d.projects)
        for m in (3, 6, 9, 10, 12)
    }
    assert {m: Fraction(v) for m, v in result.plan.items()} == expected  # exact, not within a float's error


def test_spend_sheet_marks_interpolated_months(generated, summary) -> None:
    import openpyxl

    _, depts = generated
    _, out = summary
    ws = openpyxl.load_workbook(out)["支出进度"]
    table = ws.tables["SpendByMonth"]
    cells = list(ws[table.ref])
    header = [c.value for c in cells[0]]
    rows = {r[0].value: r for r in cells[1:]}
    col9, col10 = header.index("9月底"), header.index("10月底")
    quarterly, other = depts[1].name, depts[0].name
    assert not rows[quarterly][col9].font.i and rows[other][col9].font.i
    assert rows[quarterly][col10].font.i and not rows[other][col10].font.i
    assert rows[other][col9].fill.fgColor.rgb.endswith("FFF2CC")
    assert "9月底为插值" in rows[other][header.index("说明")].value
    # the total by month says that part of it was interpolated
    notes = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=9).value for r in range(7, 13)}
    assert "插值：2 个部门" in notes["9月底"] and "插值：1 个部门" in notes["10月底"]


# ---------------------------------------------------------------- bad files and duplicates


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _form_layout_available() -> bool:
    import inspect

    from pyxl.workbook import LAYOUTS

    return "form" in [name for name, *_ in LAYOUTS] and "form" in inspect.signature(fill).parameters


def test_mixed_folder_lists_exactly_the_bad_files(generated, tmp_path) -> None:
    import openpyxl

    src, depts = generated
    folder = tmp_path / "收件箱"
    (folder / "子目录").mkdir(parents=True)
    shutil.copy(src / "310001.xlsx", folder / "310001.xlsx")
    shutil.copy(src / "310002.xlsx", folder / "子目录" / "310002.xlsx")
    good = depts[:2]
    if _form_layout_available():  # the official form layout (another issue) is read the same way
        fill(depts[2], folder / "正式表格.xlsx", form=True)  # type: ignore[call-arg]
        good = depts
    (folder / "损坏.xlsx").write_bytes((src / "310003.xlsx").read_bytes()[:3000])
    (folder / "说明.txt").write_text("这不是工作簿", "utf-8")
    (folder / "旧版.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    (folder / "空文件.xlsx").write_bytes(b"")
    (folder / "~$310001.xlsx").write_bytes(b"lock")
    other = openpyxl.Workbook()
    other.active["A1"] = "别的表格"
    other.save(folder / "别的表格.xlsx")
    before = {p: _digest(p) for p in folder.rglob("*") if p.is_file()}

    result = rollup([folder])
    failed = {Path(r.file).name: r.rule for r in result.failed}
    assert failed == {"损坏.xlsx": "file-unreadable", "说明.txt": "file-unreadable",
                      "旧版.xls": "file-unreadable", "空文件.xlsx": "file-unreadable",
                      "别的表格.xlsx": "layout-unrecognized"}
    assert all(r.reason for r in result.failed)
    expected = {"310001.xlsx", "310002.xlsx"} | ({"正式表格.xlsx"} if len(good) == 3 else set())
    assert {Path(r.file).name for r in result.read} == expected
    assert {Path(r.file).name: r.status for r in result.file_records}["~$310001.xlsx"] == "skipped"
    assert result.totals["projects"] == sum(len(d.projects) for d in good)
    assert result.totals["budget"] == Decimal(sum(_yuan(p.budget) for d in good for p in d.projects)) / 10_000
    assert result.exit_code == 1
    report = result.to_dict()
    assert sorted(Path(f["file"]).name for f in report["files"]["failed"]) == sorted(failed)
    rules = {(Path(f["file"]).name, f["rule"]) for f in report["findings"] if f["rule"] in failed.values()}
    assert rules == set(failed.items())
    assert {p: _digest(p) for p in folder.rglob("*") if p.is_file()} == before  # inputs untouched
    out = tmp_path / "汇总.xlsx"
    result.write(out)
    log = _sheet(out, "处理记录", 2)
    assert len(log) == 8 + (len(good) == 3) and {r["状态"] for r in log} == {"已读取", "未能读取", "已跳过"}
    read_rows = [r for r in log if r["状态"] == "已读取"]
    assert all(len(r["内容哈希（SHA-256）"]) == 64 and r["项目行数"] > 0 for r in read_rows)


def test_project_codes_repeated_across_departments_are_reported(tmp_path) -> None:
    a, b = _dept(21, "320001", 2, 3), _dept(22, "320001", 3, 3)  # same department code → same project codes
    fill(a, tmp_path / "a.xlsx")
    fill(b, tmp_path / "b.xlsx")
    result = rollup([tmp_path / "a.xlsx", tmp_path / "b.xlsx"])
    dup = result.findings[(result.findings["rule"] == "code-duplicate")
                          & result.findings["message"].str.contains("a.xlsx")]
    assert sorted(dup["project"]) == ["3200010001", "3200010002"]
    assert set(dup["file"]) == {str(tmp_path / "b.xlsx")} and set(dup["severity"]) == {"error"}
    assert result.exit_code == 1


def test_text_from_inputs_stays_text(tmp_path) -> None:
    import openpyxl

    d = _dept(31, "330001", 2, 3)
    d.name = "=1+1"
    d.projects[0].name = '=HYPERLINK("http://example.com","点我")'
    d.projects[0].indicators[0].value = "=2*3"
    d.projects[1].indicators[0].name = "@SUM(A1)"
    fill(d, tmp_path / "dept.xlsx")
    result = rollup([tmp_path / "dept.xlsx"])
    out = tmp_path / "汇总.xlsx"
    result.write(out)
    wb = openpyxl.load_workbook(out)
    formulas = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(f.startswith(("=SUBTOTAL(", "=D")) for f in formulas)
    texts = {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"=1+1", '=HYPERLINK("http://example.com","点我")', "=2*3", "@SUM(A1)"} <= texts


# ---------------------------------------------------------------- scale, parallel, CLI


def test_long_tables_spill_to_parquet(summary, tmp_path) -> None:
    import pandas as pd

    result, _ = summary
    out = tmp_path / "汇总.xlsx"
    written = result.write(out, max_rows=40)
    parquet = out.with_name("汇总.指标明细.parquet")
    assert parquet in written and out.with_name("汇总.项目明细.parquet") not in written
    frame = pd.read_parquet(parquet)
    assert len(frame) == len(result.indicators) > 40
    assert list(frame.columns) == list(result.indicators.columns)
    assert frame["cell"].tolist() == result.indicators["cell"].tolist()
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("指标明细").to_python()
    assert "汇总.指标明细.parquet" in grid[1][0] and len(grid) == 3  # title, note, header


def test_jobs_give_the_same_summary(generated, summary) -> None:
    import pandas as pd

    folder, _ = generated
    serial, _ = summary
    events: list[tuple[int, int, str]] = []
    parallel = rollup([folder], jobs=2, on_file=lambda *e: events.append(e))
    for name in ("departments", "projects", "indicators", "findings", "files"):
        pd.testing.assert_frame_equal(getattr(parallel, name), getattr(serial, name))
    # each file told once (as the summary names it) as it is handed to a worker, with how many were finished by then
    assert sorted(Path(e[2]).name for e in events) == sorted(p.name for p in folder.glob("*.xlsx"))
    assert {e[1] for e in events} == {3} and [e[0] for e in events] == sorted(e[0] for e in events)
    assert events[0][0] == 0 and events[-1][0] < 3


def test_cli_json_and_exit_status(generated, tmp_path) -> None:
    folder, depts = generated
    out, report = tmp_path / "汇总.xlsx", tmp_path / "汇总.json"
    res = CliRunner().invoke(main, ["rollup", str(folder), "-o", str(out), "--json", str(report)])
    data = json.loads(report.read_text("utf-8"))
    assert set(data) == {"departments", "totals", "plan", "files", "findings"}
    assert set(data["totals"]) == {"departments", "projects", "indicators", "budget", "fiscal"}
    assert set(data["departments"][0]) == {"file", "name", "projects", "budget", "fiscal", "findings",
                                           "execution_rate", "targets",  # 双监控 (issue 6)
                                           "selfeval"}  # 自评 (issue 14): null before year end
    assert all(d["selfeval"] is None for d in data["departments"])  # generated at 申报: nothing scored
    assert set(data["departments"][0]["findings"]) == {"error", "warning", "info"}
    assert data["files"] == {"read": 3, "failed": []}
    keys = {"file", "rule", "severity", "sheet", "cell", "project", "message"}
    assert all(set(f) == keys for f in data["findings"])
    errors = sum(d["findings"]["error"] for d in data["departments"])
    assert res.exit_code == (1 if errors else 0), res.output
    assert data["totals"]["projects"] == sum(len(d.projects) for d in depts)
    assert "━" not in res.output and "rolling up" not in res.output  # no progress bar when not on a terminal

    # a bad file among them: status 1; nothing readable at all: status 2
    (folder.parent / "bad").mkdir(exist_ok=True)
    (folder.parent / "bad" / "x.xlsx").write_bytes(b"not a workbook")
    res = CliRunner().invoke(main, ["rollup", str(folder), str(folder.parent / "bad"), "-o", str(out)])
    assert res.exit_code == 1 and "x.xlsx" in res.output
    res = CliRunner().invoke(main, ["rollup", str(folder.parent / "bad"), "-o", str(out)])
    assert res.exit_code == 2 and "no file could be read" in res.output
    res = CliRunner().invoke(main, ["rollup", str(tmp_path / "无此文件夹"), "-o", str(out)])
    assert res.exit_code == 2


def test_inputs_expand_folders_globs_and_skip_our_outputs(generated, tmp_path) -> None:
    folder, _ = generated
    work = tmp_path / "w"
    shutil.copytree(folder, work)
    out = work / "汇总.xlsx"
    res = CliRunner().invoke(main, ["rollup", str(work), "-o", str(out)])
    assert res.exit_code in (0, 1)
    # second run over the same folder: the previous summary is not read as a department
    again = rollup([work], exclude=[tmp_path / "other.xlsx"])
    assert Path(next(r for r in again.file_records if r.file.endswith("汇总.xlsx")).file).name == "汇总.xlsx"
    assert {r.status for r in again.file_records if r.file.endswith("汇总.xlsx")} == {"skipped"}
    assert len(again.read) == 3
    globbed = rollup([str(work / "3100*.xlsx"), str(work / "310001.xlsx")])
    assert [Path(r.file).name for r in globbed.read] == ["310001.xlsx", "310002.xlsx", "310003.xlsx"]


# ---------------------------------------------------------------- LibreOffice


def _colour_pixels(png: Path, rgb: tuple[int, int, int], tolerance: int = 40) -> int:
    from PIL import Image

    img = Image.open(png).convert("RGB")
    return sum(n for n, px in img.getcolors(img.width * img.height)
               if all(abs(a - b) <= tolerance for a, b in zip(px, rgb, strict=True)))


@pytest.mark.libreoffice
def test_libreoffice_recalculates_and_renders_the_charts(summary, tmp_path, artifacts) -> None:
    from libreoffice import needs_libreoffice, recalculate, render_png

    if needs_libreoffice.args[0]:
        pytest.skip("LibreOffice (soffice) not installed")
    from pyxl.consolidate.summary_writer import CHART_ROWS

    result, out = summary
    recalculated = recalculate(out, tmp_path / "recalc")
    grid = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name("部门汇总").to_python()
    total, header = grid[2 + CHART_ROWS], grid[3 + CHART_ROWS]
    totals = dict(zip(header, total, strict=False))
    assert totals["预算数（万元）"] == pytest.approx(float(result.totals["budget"]), rel=1e-12)
    assert totals["财政资金（万元）"] == pytest.approx(float(result.totals["fiscal"]), rel=1e-12)
    assert totals["项目数"] == result.totals["projects"] and totals["指标数"] == result.totals["indicators"]
    assert totals["提示"] == result.counts["info"]
    spend = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name("支出进度").to_python()
    for row in spend[6:11]:  # 计划进度－序时进度 is live: recalculated it still equals the columns beside it
        assert row[7] == pytest.approx(row[3] - row[6], abs=1e-12)

    pages = render_png(out, tmp_path / "png", dpi=110, first=1, last=2)
    assert len(pages) == 2
    shutil.copyfile(pages[0], artifacts / "rollup-summary.png")
    # both charts are drawn: the findings bars (提示, blue) on the first page; printed on A4 in column
    # groups, the spending chart (plan line dark blue, one department's actual orange) lies on the
    # first or the second page across
    assert _colour_pixels(pages[0], (0x5B, 0x9B, 0xD5)) > 500
    assert sum(_colour_pixels(p, (0x44, 0x72, 0xC4), tolerance=25) for p in pages) > 100
    assert sum(_colour_pixels(p, (0xED, 0x7D, 0x31), tolerance=25) for p in pages) > 30


# ---------------------------------------------------------------- workbook/汇总.xlsx


def test_workbook_summary_names_its_folder_and_rolls_it_up() -> None:
    import openpyxl

    from pyxl.consolidate.summary_writer import FOLDER_NAME
    from pyxl.demo import SAMPLE_DEPARTMENTS

    committed = Path(__file__).resolve().parents[1] / "workbook"
    # (that it is current is test_shipped's job: pyxl.shipped builds it from workbook/部门/)
    wb = openpyxl.load_workbook(committed / "汇总.xlsx")
    sheet, cell = next(iter(wb.defined_names[FOLDER_NAME].destinations))
    folder = wb[sheet][cell.replace("$", "")].value
    assert folder == "部门"
    again = rollup([committed / folder], root=committed)
    assert again.totals["departments"] == len(SAMPLE_DEPARTMENTS) + 1 and not again.failed
    table = wb["部门汇总"].tables["Departments"]
    rows = list(wb["部门汇总"][table.ref])
    header = [c.value for c in rows[0]]
    shown = [r[header.index("部门名称")].value for r in rows[1:]]
    assert shown == [d.name for d in again.department_records]
    assert [r[header.index("预算数（万元）")].value for r in rows[1:]] == again.departments["budget"].tolist()


def _dies_on_crash_files(index, path, name, config, as_of):  # runs in a worker process
    import os

    from pyxl.consolidate.extract import process_file

    if "crash" in name:
        os._exit(3)  # as if the OS had killed the worker (out of memory, a crash in a parser)
    return process_file(index, path, name, config, as_of)


def test_a_dying_worker_costs_only_its_file(generated, tmp_path, monkeypatch) -> None:
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched worker function reaches the workers only when they are forked")
    import pyxl.consolidate.run as run

    folder, depts = generated
    for i, src in enumerate(sorted(folder.glob("*.xlsx"))):
        shutil.copy(src, tmp_path / f"{i}-{src.name}")
    shutil.copy(src, tmp_path / "1-crash.xlsx")
    monkeypatch.setattr(run, "process_file", _dies_on_crash_files)
    result = rollup([tmp_path], jobs=2)
    assert [Path(r.file).name for r in result.failed] == ["1-crash.xlsx"]
    assert "工作进程意外退出" in result.failed[0].reason
    assert result.totals["departments"] == len(depts)


def test_as_of_date_reaches_the_rules_and_the_spend_sheet(generated, tmp_path) -> None:
    folder, _ = generated
    out = tmp_path / "汇总.xlsx"
    res = CliRunner().invoke(main, ["rollup", str(folder), "-o", str(out), "--as-of", "2026-10-31", "-q"])
    assert res.exit_code in (0, 1), res.output
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("支出进度").to_python()
    assert "评估日 2026-10-31 的序时进度为 83.3%" in grid[1][0]  # 304 of 365 days
    bad = CliRunner().invoke(main, ["rollup", str(folder), "-o", str(out), "--as-of", "31/10/2026"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_actual_spending_is_summed_by_month_against_the_budget_of_who_reported(generated, summary) -> None:
    _, depts = generated
    result, out = summary
    reporting = depts[0]
    totals = result.month_totals
    for month, label in ((3, "3月底"), (6, "6月底")):
        t = totals[month - 1]
        assert t.reported == 1 and float(t.actual) == pytest.approx(sum(p.spend_actual[label] for p in reporting.projects))
        assert float(t.reported_budget) == pytest.approx(sum(p.budget for p in reporting.projects))
    assert totals[8].actual is None and result.actual_months == [3, 6]
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("支出进度").to_python()
    row = next(r for r in grid[6:] if r[0] == "6月底")
    assert row[4] == pytest.approx(float(totals[5].actual)) and 0.35 < row[5] < 0.45
    assert "1/3 个部门已填报" in row[8]
    projects = result.projects.set_index("code")
    first = reporting.projects[0]
    assert projects.loc[first.code, "actual_3"] == pytest.approx(first.spend_actual["3月底"])
