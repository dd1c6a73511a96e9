"""Validate on a department's own form: marks in its sheets, idempotent, cleared exactly; printing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from formkit import write_sheets
from libreoffice import needs_libreoffice, render_png

from pyxl.api import clear, validate
from pyxl.core.model import Department
from pyxl.layouts.form_writer import build_form_workbook, save_workbook
from pyxl.layouts.template_spec import RESULTS_SHEET, mirror_sheet

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def seed_form(tmp_path: Path, seed_dept: Department) -> Path:
    path = tmp_path / "法庭-表式.xlsx"
    save_workbook(build_form_workbook(seed_dept), path)
    return path


def _snapshot(path: Path, sheets: list[str] | None = None) -> dict[str, Any]:
    """Everything a user sees or typed in each sheet: values, styles, notes, merges, CF count."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames, "names": sorted(wb.defined_names)}
    for ws in wb.worksheets:
        if sheets is not None and ws.title not in sheets:
            continue
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                cells[c.coordinate] = (
                    c.value,
                    c.number_format,
                    c.fill.fgColor.rgb,
                    c.fill.fill_type,
                    c.font.b,
                    c.font.color and c.font.color.rgb,
                    c.border.left.style,
                    c.alignment.wrap_text,
                    c.comment.text if c.comment else None,
                )
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "cf": sum(len(cf.rules) for cf in ws.conditional_formatting),
            "state": ws.sheet_state,
        }
    return out


def test_validate_marks_the_departments_own_sheet(seed_form: Path, tmp_path: Path) -> None:
    out = tmp_path / "checked.xlsx"
    report = validate(seed_form, out=out)
    assert report.layout == "form"
    unit = [f for f in report.findings if f.rule == "amount-unit-suspect"]
    assert [(f.sheet, f.cell) for f in unit] == [("144001001", "B4"), ("144001002", "B4")]  # 项目资金主要用途
    wb = openpyxl.load_workbook(out)
    mirror = wb[mirror_sheet("144001001")]
    assert mirror.sheet_state == "hidden"
    assert mirror["B4"].value == "E"
    assert "【pyxl校验】" in wb["144001001"]["B4"].comment.text
    assert wb["144001001"].conditional_formatting  # the rules that colour it
    assert RESULTS_SHEET in wb.sheetnames
    # the department's cells themselves are untouched
    assert (
        _snapshot(seed_form, ["144001001"])["144001001"]["cells"]["B4"][:8]
        == _snapshot(out, ["144001001"])["144001001"]["cells"]["B4"][:8]
    )


def test_validate_twice_equals_once(seed_form: Path, tmp_path: Path) -> None:
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    validate(seed_form, out=once)
    validate(once, out=twice)
    assert _snapshot(once) == _snapshot(twice)


def test_clear_restores_the_users_sheets_exactly(tmp_path: Path) -> None:
    """A hand-made form with the department's own fills, fonts, notes and formats."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    rows = [
        ["项目编码", "1001", "项目名称", "测试项目"],
        ["项目资金主要用途", "预算数 10 万元。其中：财政资金 10 元。用于测试。"],
        ["绩效目标", "完成测试"],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
        ["产出指标", "数量指标", "测试次数", "测试次数", "≥150%", "计划标准"],
        ["满意度指标", "服务对象满意度指标", "满意度", "满意度", "≥80%", "计划标准"],
    ]
    path = write_sheets(tmp_path / "own.xlsx", {"我的表": (rows, ["B2:F2"])})
    wb = openpyxl.load_workbook(path)
    ws = wb["我的表"]
    for c in ws[4]:
        c.fill = PatternFill("solid", fgColor="FFFF00")
    ws["B2"].fill = PatternFill("solid", fgColor="DDEBF7")
    ws["E5"].font = Font(bold=True, color="FF0000")
    ws["E5"].comment = Comment("部门自己的批注", "张三")
    ws["E6"].number_format = "@"
    wb.save(path)
    before = _snapshot(path, ["我的表"])

    checked = tmp_path / "checked.xlsx"
    report = validate(path, out=checked)
    flagged = {(f.sheet, f.cell) for f in report.findings if f.severity.value in ("error", "warning")}
    assert ("我的表", "B2") in flagged and ("我的表", "E5") in flagged
    marked = _snapshot(checked, ["我的表"])["我的表"]["cells"]
    assert marked["E5"][-1].startswith("部门自己的批注\n\n【pyxl校验】")  # the user's note kept first

    cleared = tmp_path / "cleared.xlsx"
    clear(checked, out=cleared)
    after = _snapshot(cleared, ["我的表"])
    assert after["我的表"]["cells"] == before["我的表"]["cells"]
    assert after["我的表"]["merged"] == before["我的表"]["merged"]
    # clear removes what validate added to a department's own form: the mirror, its formats, 校验结果
    wb = openpyxl.load_workbook(cleared)
    assert wb.sheetnames == ["我的表"]
    assert not wb["我的表"].conditional_formatting


def test_cli_validate_form_json(seed_form: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pyxl", "validate", str(seed_form), "--json", str(report), "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(report.read_text("utf-8"))
    assert {"rule": "amount-unit-suspect", "sheet": "144001001", "cell": "B4"}.items() <= next(
        f for f in data["findings"] if f["rule"] == "amount-unit-suspect"
    ).items()


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _pixels_near(png: Path, rgb: tuple[int, int, int], tol: int = 12) -> int:
    from PIL import Image

    colours = Image.open(png).convert("RGB").getcolors(1 << 24) or []
    return sum(n for n, p in colours if all(abs(a - b) <= tol for a, b in zip(p, rgb, strict=True)))


@needs_libreoffice
@pytest.mark.libreoffice
def test_seed_form_prints(seed_form: Path, tmp_path: Path, artifacts: Path) -> None:
    """LibreOffice prints the form: the 部门整体 page and one A4 page per project."""
    pngs = render_png(seed_form, tmp_path / "png", dpi=80)
    assert len(pngs) == 3
    from PIL import Image

    for png in pngs:
        assert Image.open(png).height > Image.open(png).width  # A4 portrait
    shutil.copyfile(pngs[1], artifacts / "seed-form.png")
    shutil.copyfile(pngs[0], artifacts / "seed-form-dept.png")
    # printed with borders and text: far from a blank page
    assert _pixels_near(pngs[1], (0, 0, 0), tol=60) > 5000


@needs_libreoffice
@pytest.mark.libreoffice
def test_validated_form_shows_colours(seed_form: Path, tmp_path: Path) -> None:
    """The conditional formats added on the fly render: error cells red, warning cells yellow."""
    checked = tmp_path / "checked.xlsx"
    validate(seed_form, out=checked)
    plain = render_png(seed_form, tmp_path / "plain", dpi=50, first=2, last=2)
    marked = render_png(checked, tmp_path / "marked", dpi=50, first=2, last=2)
    assert _pixels_near(plain[0], (0xFF, 0xC7, 0xCE)) == 0
    assert _pixels_near(marked[0], (0xFF, 0xC7, 0xCE)) > 200
