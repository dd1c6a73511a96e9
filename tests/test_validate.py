"""validate on a workbook: findings mapped to cells, marks that never touch the user's data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from libreoffice import needs_libreoffice, render_png, rendered_cell_colours
from workbook_fingerprint import fingerprint, values

from pyxl.api import clear, fill, validate
from pyxl.core.model import Department, Indicator, Project
from pyxl.layouts.template_spec import DEPT_SHEET, INDICATOR_SHEET, PROJECT_SHEET, RESULTS_SHEET
from pyxl.marks import MARKER

DATA_SHEETS = [DEPT_SHEET, PROJECT_SHEET, INDICATOR_SHEET]


@pytest.fixture
def seed_book(tmp_path: Path, seed_dept) -> Path:
    return fill(seed_dept, tmp_path / "法庭 填报.xlsx")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pyxl", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_seed_errors_are_exactly_the_real_problems(seed_book: Path):
    report = validate(seed_book)
    errors = {(f.rule, f.sheet, f.cell) for f in report.findings if f.severity == "error"}
    # The only error-level problems in the published document: 财政资金 printed as "74.5 元" and "3.5 元"
    # beside 预算数 of 74.5 / 3.5 万元 — the funding source is 10⁴ times too small, a unit slip.
    assert errors == {("amount-unit-suspect", PROJECT_SHEET, "E5"), ("amount-unit-suspect", PROJECT_SHEET, "E6")}
    found = {(f.rule, f.sheet, f.cell) for f in report.findings}
    # 审限内结案率≥100%: only =100% is attainable.
    assert ("target-percent-range", DEPT_SHEET, "D11") in found
    # 差旅费's 年度绩效目标 is the wage project's text word for word.
    assert ("goal-duplicate", PROJECT_SHEET, "G6") in found
    # 数量指标 "保全、查封、送达次数" described as "保全、拆封、送达次数": 查封 (seal) vs 拆封 (unseal).
    assert ("indicator-text-mismatch", INDICATOR_SHEET, "F13") in found
    # "以实际发生次数为准" is not a target at all.
    assert ("target-unquantified", INDICATOR_SHEET, "G13") in found
    assert report.exit_code == 1
    # every finding is located in the workbook
    assert all(f.sheet and f.cell for f in report.findings)


def test_validate_without_output_changes_nothing(seed_book: Path):
    before = seed_book.read_bytes()
    validate(seed_book)
    assert seed_book.read_bytes() == before


def test_marks_notes_and_results_sheet(seed_book: Path, tmp_path: Path):
    out = tmp_path / "checked.xlsx"
    report = validate(seed_book, out=out)
    wb = openpyxl.load_workbook(out)
    mirror = wb[f"_pyxl_{PROJECT_SHEET}"]
    assert mirror["E5"].value == "E" and mirror["E6"].value == "E" and mirror["G6"].value == "W"
    assert wb[f"_pyxl_{INDICATOR_SHEET}"]["F13"].value == "W"
    note = wb[PROJECT_SHEET]["E5"].comment
    assert note is not None and note.text.startswith(MARKER) and "74.5 元" in note.text
    # info findings get a note but no colour
    info = next(f for f in report.findings if f.rule == "basis-nonstandard")
    assert wb[f"_pyxl_{info.sheet}"][info.cell].value is None
    assert MARKER in wb[info.sheet][info.cell].comment.text
    results = wb[RESULTS_SHEET]
    rows = [r for r in results.iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert len(rows) == len(report.findings)
    first = rows[0]
    assert first[1] == "错误" and first[2] == "amount-unit-suspect"
    assert first[4] == f'=HYPERLINK("#\'{PROJECT_SHEET}\'!E5","{PROJECT_SHEET}!E5")'
    assert "错误 2 个" in results["A2"].value


def test_validate_never_changes_a_typed_value(seed_book: Path, tmp_path: Path):
    out = tmp_path / "checked.xlsx"
    validate(seed_book, out=out)
    assert values(out, DATA_SHEETS) == values(seed_book, DATA_SHEETS)


def test_running_twice_equals_running_once(seed_book: Path, tmp_path: Path):
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    validate(seed_book, out=once)
    validate(once, out=twice)
    assert fingerprint(twice) == fingerprint(once)


def test_clear_restores_the_users_own_fills_notes_and_formats(seed_book: Path, tmp_path: Path):
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    user = tmp_path / "user.xlsx"
    wb = openpyxl.load_workbook(seed_book)
    # the user's own colour and note on a cell pyxl will flag, and a note on one it won't
    wb[PROJECT_SHEET]["E5"].fill = PatternFill("solid", fgColor="00B0F0")
    wb[PROJECT_SHEET]["E5"].comment = Comment("财务科：待核实", "张会计")
    wb[PROJECT_SHEET]["B5"].comment = Comment("名称以批复为准", "张会计")
    wb[INDICATOR_SHEET]["G13"].number_format = "0.0"
    wb.save(user)
    original = fingerprint(user)

    checked = tmp_path / "checked.xlsx"
    validate(user, out=checked)
    ws = openpyxl.load_workbook(checked)[PROJECT_SHEET]
    assert ws["E5"].fill.fgColor.rgb == "0000B0F0"  # the user's fill is never painted over
    assert ws["E5"].comment.text.startswith("财务科：待核实\n\n" + MARKER)
    assert ws["E5"].comment.author == "张会计"

    cleared = tmp_path / "cleared.xlsx"
    clear(checked, out=cleared)
    assert fingerprint(cleared) == original
    # clearing and re-running gives the same marks as the first run
    again = tmp_path / "again.xlsx"
    validate(cleared, out=again)
    assert fingerprint(again) == fingerprint(checked)


def test_in_place_replaces_atomically(seed_book: Path):
    validate(seed_book, in_place=True)
    wb = openpyxl.load_workbook(seed_book)
    assert wb[f"_pyxl_{PROJECT_SHEET}"]["E5"].value == "E"
    assert not list(seed_book.parent.glob(".*.tmp"))


def test_cli_validate_json_report_and_exit_status(seed_book: Path, tmp_path: Path):
    report_path = tmp_path / "r.json"
    proc = run_cli("validate", str(seed_book), "-o", str(tmp_path / "o.xlsx"), "--json", str(report_path), "-q")
    assert proc.returncode == 1, proc.stderr
    data = json.loads(report_path.read_text("utf-8"))
    assert set(data) >= {"file", "findings", "counts"}
    assert data["counts"]["error"] == 2 and data["file"] == seed_book.name
    assert set(data["findings"][0]) >= {"rule", "severity", "sheet", "cell", "project", "message"}
    assert "errors 2" in proc.stdout


def test_cli_exit_zero_without_errors(tmp_path: Path):
    dept = Department(name="测试单位", projects=[Project(
        code="100001", name="办公设备", purpose="购置", budget="10万元", funding={"财政资金": 10}, goal="按期完成办公设备购置",
        spend_plan={"6月底": "50%", "12月底": "100%"},
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="购置台数", description="当年购置的台数", value="≥10台", basis="计划标准"),
            Indicator(level1="产出指标", level2="质量指标", name="验收合格率", description="验收合格的比例", value="=100%", basis="行业标准"),
            Indicator(level1="产出指标", level2="时效指标", name="完成时间", description="年底前完成", value="≤12个月", basis="计划标准"),
            Indicator(level1="效益指标", level2="社会效益指标", name="办公效率", description="办公效率是否提升", value="提升", basis="其他"),
            Indicator(level1="满意度指标", level2="服务对象满意度指标", name="使用人员满意度", description="问卷调查", value="≥90%", basis="历史标准"),
        ])])
    book = fill(dept, tmp_path / "ok.xlsx")
    proc = run_cli("validate", str(book))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("make", "zh", "en"),
    [
        (lambda d: d / "missing.xlsx", "找不到文件", "file not found"),
        (lambda d: (d / "a.xlsx").write_text("项目编码,名称\n1,2\n") and d / "a.xlsx", "不是 Excel 工作簿", "not an Excel workbook"),
        (lambda d: (d / "b.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600) and d / "b.xlsx", "旧版 .xls", "legacy .xls"),
    ],
)
def test_cli_unusable_input_one_line_exit_2(tmp_path: Path, make, zh: str, en: str):
    path = make(tmp_path)
    proc = run_cli("validate", str(path))
    assert proc.returncode == 2
    assert zh in proc.stderr and en in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_cli_unknown_layout_and_bad_config(tmp_path: Path, seed_book: Path):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    proc = run_cli("validate", str(other))
    assert proc.returncode == 2 and "无法识别工作簿版式" in proc.stderr and "Traceback" not in proc.stderr
    bad = tmp_path / "rules.toml"
    bad.write_text("[plan]\nbehind_time_points = 'ten'\n", "utf-8")
    proc = run_cli("validate", str(seed_book), "--config", str(bad))
    assert proc.returncode == 2 and "plan.behind_time_points" in proc.stderr


def test_cli_fill_bad_data_file(tmp_path: Path):
    bad = tmp_path / "d.yaml"
    bad.write_text("schema: pyxl/v1\ndepartment:\n  nmae: x\n", "utf-8")
    proc = run_cli("fill", str(bad), "-o", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2
    assert "第 3 行" in proc.stderr and "line 3" in proc.stderr and "nmae" in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()


@needs_libreoffice
def test_libreoffice_renders_the_flagged_cells_in_colour(seed_book: Path, tmp_path: Path, artifacts: Path):
    checked = tmp_path / "checked.xlsx"
    report = validate(seed_book, out=checked)
    # a full render of the validated indicator sheet, kept for people to look at
    full = tmp_path / "full"
    render_png(checked, full, dpi=80)
    for png in full.glob("*.png"):
        (artifacts / f"seed-validated-{png.name.rsplit('-', 1)[-1]}").write_bytes(png.read_bytes())

    # One page per cell (tests/libreoffice.rendered_cell_colour): its dominant colour must be the
    # severity's fill (Excel's Bad FFC7CE / Neutral FFEB9C), a clean cell none.
    flagged = [("项目", "E5", (255, 199, 206)), ("项目", "G6", (255, 235, 156)),
               ("绩效指标", "F13", (255, 235, 156)), ("绩效指标", "G13", (255, 235, 156)),
               ("部门整体", "D11", (255, 235, 156)), ("项目", "B5", None)]
    codes = {(f.sheet, f.cell): f.severity for f in report.findings}
    assert codes[("项目", "E5")] == "error" and ("项目", "B5") not in codes
    seen_colours = rendered_cell_colours(checked, [(sheet, cell) for sheet, cell, _ in flagged], tmp_path / "probes")
    pages = [(sheet, cell, colour, seen) for (sheet, cell, colour), seen in zip(flagged, seen_colours, strict=True)]
    for sheet, cell, expected, seen in pages:
        assert seen == expected, f"{sheet}!{cell}: expected {expected}, rendered {seen}"
