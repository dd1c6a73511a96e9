"""`pyxl rollup … --feedback DIR` (issue 15): a folder of four departments (pyxl template and official
form) plus an unreadable file. Each department gets its own workbook back, marked as validate marks it,
with a 审核意见 sheet whose counts are the department's findings in the summary JSON; the department's
own cells are unchanged; LibreOffice shows the colours at the flagged cells."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from libreoffice import needs_libreoffice, render_png, rendered_cell_colours
from PIL import Image

from pyxl.api import fill
from pyxl.consolidate.feedback import COUNT_HEADERS, REVIEW_SHEET, group_findings, headings, review_grid, write_feedback
from pyxl.core.findings import Finding, Severity
from pyxl.core.generate import generate_department
from pyxl.core.loader import load_data
from pyxl.marks import strip_note
from pyxl.rules import CATALOG

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "pyxl" / "data" / "tribunal.yaml"
PYXL_SHEETS = ("校验结果", REVIEW_SHEET)
RGB = {"error": (255, 199, 206), "warning": (255, 235, 156)}
# ids DESIGN.md announces for other issues (自评 scoring): the mapping may name them before they exist
ANNOUNCED = {"weight-sum", "score-over-weight", "score-mismatch", "score-reason-missing", "total-mismatch",
             "grade-mismatch", "execution-rate-mismatch"}


def _departments(folder: Path) -> None:
    for seed in range(3):
        dept = generate_department(3, 8, seed=seed, name=f"测试部门{seed}")
        p = dept.projects[0]
        p.indicators[0].value = "持续影响"  # target-vague
        p.indicators[1].name = p.indicators[2].name  # indicator-name-duplicate
        p.indicators[3].value = "≥**个"  # placeholder-left
        p.indicators[4].value = "12"  # unit-missing
        p.funding["财政资金"] = "5元"  # funding-sum-mismatch
        fill(dept, folder / ("表式" if seed == 2 else "") / f"部门{seed}.xlsx", form=seed == 2)
    fill(load_data(SEED), folder / "法庭.xlsx")
    (folder / "损坏.xlsx").write_text("这不是工作簿", "utf-8")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("feedback")
    inbox = base / "收件箱"
    (inbox / "表式").mkdir(parents=True)
    _departments(inbox)
    proc = subprocess.run(
        [sys.executable, "-m", "pyxl", "rollup", "收件箱", "-o", "汇总.xlsx", "--json", "汇总.json",
         "--feedback", "审核意见", "--jobs", "2", "-q"],
        capture_output=True, text=True, cwd=base, timeout=600)
    assert proc.returncode == 1, proc.stderr  # error-level findings and a file that failed
    return {"base": base, "inbox": inbox, "out": base / "审核意见", "stdout": proc.stdout,
            "summary": json.loads((base / "汇总.json").read_text("utf-8"))}


def _pairs(run: dict[str, Any]) -> list[tuple[str, Path, Path]]:
    """(file as named in the summary, department's file, its feedback file)."""
    base = run["base"]
    return [(d["file"], base / d["file"], run["out"] / d["file"]) for d in run["summary"]["departments"]]


def _review(path: Path) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path)[REVIEW_SHEET]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _counts_table(rows: list[list[Any]]) -> dict[str, tuple[int, int, int, int]]:
    start = next(i for i, r in enumerate(rows) if tuple(r[:6]) == COUNT_HEADERS)
    out = {}
    for r in rows[start + 1:]:
        out[r[1]] = tuple(r[2:6])
        if r[1] == "合计":
            return out
    raise AssertionError("no 合计 row")


def _detail(rows: list[list[Any]]) -> dict[str, list[list[Any]]]:
    """heading → its finding rows (序号, 级别, 规则, 工作表, 单元格, 项目, 问题, 修改建议)."""
    out: dict[str, list[list[Any]]] = {}
    current = None
    for r in rows:
        head = r[0]
        if isinstance(head, str) and head.endswith("条）") and "、" in head and not any(r[1:]):
            current = head.split("、", 1)[1].rsplit("（", 1)[0]
            out[current] = []
        elif current is not None and isinstance(head, int):
            out[current].append(r)
    return out


def test_one_feedback_file_per_department_read(run: dict[str, Any]) -> None:
    summary = run["summary"]
    assert sorted(d["file"] for d in summary["departments"]) == [
        "收件箱/法庭.xlsx", "收件箱/表式/部门2.xlsx", "收件箱/部门0.xlsx", "收件箱/部门1.xlsx"]
    written = sorted(p.relative_to(run["out"]).as_posix() for p in run["out"].rglob("*") if p.is_file())
    assert written == sorted(d["file"] for d in summary["departments"])
    assert [f["file"] for f in summary["files"]["failed"]] == ["收件箱/损坏.xlsx"]
    assert "审核意见 / feedback: 4 个部门工作簿" in run["stdout"]
    # the unreadable file stays listed in 处理记录, and has no feedback file
    files = openpyxl.load_workbook(run["base"] / "汇总.xlsx")["处理记录"]
    listed = {row[1]: row for row in files.iter_rows(values_only=True) if row and row[1]}
    assert "收件箱/损坏.xlsx" in listed and "未能读取" in listed["收件箱/损坏.xlsx"]
    assert not list(run["out"].rglob("损坏*"))


def test_review_counts_are_the_departments_findings_in_the_summary(run: dict[str, Any]) -> None:
    summary = run["summary"]
    table = tomllib.loads((ROOT / "pyxl" / "consolidate" / "feedback.toml").read_text("utf-8"))
    rules_under = {h["title"]: set(h["rules"]) for h in table["headings"]}
    for dept in summary["departments"]:
        name = dept["file"]
        mine = [f for f in summary["findings"] if f["file"] == name]
        assert mine, name
        rows = _review(run["out"] / name)
        counts = _counts_table(rows)
        c = Counter(f["severity"] for f in mine)
        assert counts.pop("合计") == (len(mine), c["error"], c["warning"], c["info"])
        assert (c["error"], c["warning"], c["info"]) == tuple(dept["findings"][k] for k in ("error", "warning", "info"))
        detail = _detail(rows)
        assert set(detail) == set(counts)
        for title, found in detail.items():
            n = Counter(r[1] for r in found)
            assert counts[title] == (len(found), n["错误"], n["警告"], n["提示"]), title
            assert {r[2] for r in found} <= rules_under.get(title, set(CATALOG)), title
        listed = Counter((r[2], r[3], r[6]) for found in detail.values() for r in found)
        assert listed == Counter((f["rule"], f["sheet"], f["message"]) for f in mine)
    # the injected problems are there, under the reviewer's headings
    generated = _detail(_review(run["out"] / "收件箱/部门0.xlsx"))
    assert {"target-vague", "unit-missing"} <= {r[2] for r in generated["指标不够细化量化"]}
    assert "funding-sum-mismatch" in {r[2] for r in generated["金额单位错误"]}
    assert "placeholder-left" in {r[2] for r in generated["填报不完整"]}
    assert "indicator-name-duplicate" in {r[2] for r in generated["指标设置不规范"]}
    assert "amount-unit-suspect" in {r[2] for r in _detail(_review(run["out"] / "收件箱/法庭.xlsx"))["金额单位错误"]}


def _own_sheets(path: Path) -> dict[str, Any]:
    """Everything of the department's own sheets a person could see or typed; pyxl's notes taken out."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {}
    for ws in wb.worksheets:
        if ws.title.startswith("_pyxl_") or ws.title in PYXL_SHEETS:
            continue
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                note = strip_note(c.comment.text) if c.comment else None
                if c.value is None and note is None and not c.has_style:
                    continue
                cells[c.coordinate] = (c.value, c.data_type, c.fill.fgColor.rgb if c.fill.fill_type else None,
                                       c.font.color.rgb if c.font and c.font.color else None, c.number_format,
                                       c.border.left.style, c.alignment.wrap_text, note)
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "dv": sorted((dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "state": ws.sheet_state,
            "cf": {(str(cf.sqref), tuple(r.formula)) for cf in ws.conditional_formatting for r in cf.rules},
        }
    return out


def test_departments_own_cells_are_unchanged(run: dict[str, Any]) -> None:
    for name, original, feedback in _pairs(run):
        before, after = _own_sheets(original), _own_sheets(feedback)
        assert list(before) == list(after), name
        for sheet in before:
            b, a = before[sheet], after[sheet]
            assert a["cf"] >= b["cf"], (name, sheet)  # validate may add its own conditional formats, never drop one
            b.pop("cf"), a.pop("cf")
            assert a == b, (name, sheet)
        # and the feedback file carries validate's marks: notes on the flagged cells
        wb = openpyxl.load_workbook(feedback)
        flagged = [f for f in run["summary"]["findings"] if f["file"] == name and f["cell"] and f["sheet"] in wb.sheetnames]
        assert flagged
        for f in flagged:
            note = wb[f["sheet"]][f["cell"]].comment
            assert note is not None and "【pyxl校验】" in note.text, (name, f)


def _probe_cells(feedback: Path, findings: list[dict[str, Any]]) -> list[tuple[str, str, tuple[int, int, int] | None]]:
    """Up to two error and two warning cells per sheet (the worst severity decides a cell's colour),
    and one clean cell with a value, each with the colour it should render in."""
    worst: dict[tuple[str, str], str] = {}
    for f in findings:
        if f["cell"] and f["severity"] in RGB:
            key = (f["sheet"], f["cell"])
            if worst.get(key) != "error":
                worst[key] = f["severity"]
    wb = openpyxl.load_workbook(feedback)
    picked: list[tuple[str, str, tuple[int, int, int] | None]] = []
    for sheet in sorted({s for s, _ in worst}):
        for sev in ("error", "warning"):
            picked += [(sheet, c, RGB[sev]) for (s, c), v in sorted(worst.items()) if s == sheet and v == sev][:2]
        noted = {c.coordinate for row in wb[sheet].iter_rows() for c in row if c.comment is not None}
        clean = next(c.coordinate for row in wb[sheet].iter_rows(min_row=5) for c in row
                     if isinstance(c.value, str) and not c.fill.fill_type and c.coordinate not in noted
                     and (sheet, c.coordinate) not in worst)
        picked.append((sheet, clean, None))
    return picked


@needs_libreoffice
@pytest.mark.libreoffice
def test_feedback_files_show_the_colours_in_libreoffice(run: dict[str, Any], tmp_path: Path) -> None:
    for i, (name, _original, feedback) in enumerate(_pairs(run)):
        findings = [f for f in run["summary"]["findings"] if f["file"] == name]
        cells = _probe_cells(feedback, findings)
        assert any(c for _, _, c in cells), name
        probes = [(s, c) for s, c, _ in cells]
        seen = dict(zip(probes, rendered_cell_colours(feedback, probes, tmp_path / f"dept{i}"), strict=True))
        for sheet, cell, expected in cells:
            assert seen[(sheet, cell)] == expected, f"{name} {sheet}!{cell}: expected {expected}, got {seen[(sheet, cell)]}"
    # and a feedback file as written (the official form, whose status mirrors validate added) opens and prints
    # in LibreOffice with both colours on its pages
    form = run["out"] / "收件箱/表式/部门2.xlsx"
    pages = render_png(form, tmp_path / "form", dpi=40)
    colours = Counter()
    for png in pages:
        for n, px in Image.open(png).convert("RGB").getcolors(1 << 24) or []:
            colours[px] += n
    assert colours[RGB["error"]] > 50 and colours[RGB["warning"]] > 50


# ---------------------------------------------------------------- the heading mapping (data)


def test_every_rule_has_a_reviewer_heading() -> None:
    items, fallback = headings()
    listed = {r for h in items for r in h.rules}
    assert set(CATALOG) <= listed, sorted(set(CATALOG) - listed)
    assert listed - set(CATALOG) <= ANNOUNCED, sorted(listed - set(CATALOG) - ANNOUNCED)
    assert fallback not in {h.title for h in items}


def test_grouping_takes_the_first_matching_heading() -> None:
    def f(rule: str, message: str, severity: Severity = Severity.ERROR) -> Finding:
        return Finding(rule=rule, severity=severity, message=message)

    groups = dict(group_findings([
        f("category-required-missing", "项目缺少一级指标“满意度指标”"),
        f("category-required-missing", "项目缺少二级指标“时效指标”", Severity.WARNING),
        f("target-vague", "指标值“长期”不可衡量（“长期”）", Severity.WARNING),
        f("some-future-rule", "…"),
    ]))
    assert [x.message for x in groups["缺少满意度指标"]] == ["项目缺少一级指标“满意度指标”"]
    assert [x.rule for x in groups["指标设置不规范"]] == ["category-required-missing"]
    assert [x.rule for x in groups["指标不够细化量化"]] == ["target-vague"]
    assert [x.rule for x in groups["其他问题"]] == ["some-future-rule"]
    clean = review_grid("某单位", "a/某单位.xlsx", [])
    assert clean[1] == ["某单位（某单位.xlsx）：审核未发现问题。"]


def test_feedback_on_a_returned_feedback_file_is_the_same(tmp_path: Path) -> None:
    """A department sends its feedback file back unchanged: the next round reads it like any workbook
    (the 审核意见 sheet is pyxl's, not the department's) and writes the same feedback again."""
    from pyxl.consolidate import rollup

    first_in = tmp_path / "一"
    first_in.mkdir()
    dept = generate_department(2, 6, seed=7, name="退回部门")
    dept.projects[0].indicators[0].value = "长期"
    fill(dept, first_in / "部门.xlsx")
    rounds = []
    source = first_in
    for n in (1, 2):
        result = rollup([source], root=source)
        fb = write_feedback(result, tmp_path / f"审核意见{n}")
        assert list(fb.written) == ["部门.xlsx"] and not fb.failed
        rounds.append((fb.written["部门.xlsx"], sorted((f.rule, f.sheet, f.cell) for f in result.findings.itertuples())))
        source = tmp_path / f"审核意见{n}"
    (one, found1), (two, found2) = rounds
    assert found1 == found2 and ("target-vague", "绩效指标", "G4") in found1
    assert _review(one) == _review(two)
    assert _own_sheets(one) == _own_sheets(two)


def test_no_feedback_when_nothing_could_be_read(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "坏.xlsx").write_text("x", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "pyxl", "rollup", "in", "-o", "s.xlsx", "--feedback", "fb", "-q"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert not (tmp_path / "fb").exists()
