"""The package writer: validate writes only pyxl's parts and wiring, copies the rest byte for byte,
and clear gives every part back; outputs open in LibreOffice, Gnumeric and an OOXML validator."""

from __future__ import annotations

import difflib
import html
import json
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from libreoffice import SOFFICE, needs_libreoffice, recalculate, rendered_cell_colour
from package_cases import CASES, build, parts, vml_blocks

from pyxl.api import clear, validate
from pyxl.core.model import Department
from pyxl.layouts.form_writer import build_form_workbook, save_workbook
from pyxl.layouts.template_spec import RESULTS_SHEET, mirror_sheet

SSCONVERT = shutil.which("ssconvert")
AUDIT = Path(sys.executable).parent / "openxml-audit"


def _sheet_parts(path: Path) -> dict[str, str]:
    """sheet name → worksheet part."""
    p = parts(path)
    wb = p["xl/workbook.xml"].decode()
    rels = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", p["xl/_rels/workbook.xml.rels"].decode()):
        tag = m.group(0)
        rid = re.search(r'Id="([^"]+)"', tag).group(1)
        target = re.search(r'Target="([^"]+)"', tag).group(1)
        rels[rid] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    out = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb):
        name = re.search(r'name="([^"]*)"', m.group(0)).group(1)
        rid = re.search(r':id="([^"]+)"', m.group(0)).group(1)
        out[html.unescape(name)] = rels[rid]
    return out


def _owned(path: Path) -> set[str]:
    """Parts pyxl owns outright in ``path``: its sheets (status mirrors, 校验结果)."""
    return {part for name, part in _sheet_parts(path).items() if name.startswith("_pyxl_") or name == RESULTS_SHEET}


def _only_insertions(before: bytes, after: bytes) -> bool:
    """``after`` is ``before`` with elements inserted and nothing of it changed or removed."""
    # the dxf and cellXfs counts are the attributes pyxl changes (colour styles appended; one wrap style
    # for a 校验结果 it adds to a form)
    before, after = (re.sub(rb'<dxfs\s+count="\d+"\s*/?>|</dxfs>', b"<dxfs>", x) for x in (before, after))
    before, after = (re.sub(rb'<cellXfs\s+count="\d+"\s*>', b"<cellXfs>", x) for x in (before, after))
    # the common head and tail first (a sheet of megabytes differs in a few hundred bytes near its end)
    head = len(bytes(_common_prefix(before, after)))
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    head = before.rfind(b">", 0, head) + 1  # cut at element boundaries, where the tokens below split
    while tail and before[len(before) - tail - 1: len(before) - tail] != b">":
        tail -= 1
    before, after = before[head: len(before) - tail], after[head: len(after) - tail]
    if not before:
        return True
    a = re.split(rb"(?<=>)|(?=<)", before)
    b = re.split(rb"(?<=>)|(?=<)", after)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return all(op in ("equal", "insert") for op, *_ in ops)


def _common_prefix(a: bytes, b: bytes) -> bytes:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search on slices: fast in C even for megabytes
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return a[:lo]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Each case: the input, validated once, validated twice, and validated then cleared (in place on
    copies: an .xlsm is only ever marked in place)."""
    out: dict[str, dict[str, Path]] = {}
    for case in CASES:
        folder = tmp_path_factory.mktemp(case)
        src = build(case, folder)
        once, twice, cleared = (folder / f"{k}{src.suffix}" for k in ("once", "twice", "cleared"))
        shutil.copy(src, once)
        validate(once, in_place=True)
        shutil.copy(once, twice)
        validate(twice, in_place=True)
        shutil.copy(once, cleared)
        clear(cleared)
        out[case] = {"src": src, "once": once, "twice": twice, "cleared": cleared}
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_parts_pyxl_does_not_own_come_out_byte_for_byte(runs: dict, case: str) -> None:
    r = runs[case]
    before, after = parts(r["src"]), parts(r["once"])
    owned = _owned(r["once"])
    assert set(before) <= set(after), "validate removed a part"
    for name, data in before.items():
        if name in owned or after[name] == data:
            continue
        # wiring (content types, workbook names and sheets, relationships, legacyDrawing, dxf styles) and
        # the user's notes: only elements added, not one byte of theirs changed
        assert _only_insertions(data, after[name]), name
    # parts nobody touched are copied as their compressed bytes, not re-deflated
    with zipfile.ZipFile(r["src"]) as a, zipfile.ZipFile(r["once"]) as b:
        infos = {i.filename: i for i in b.infolist()}
        for info in a.infolist():
            if before[info.filename] == after[info.filename] and info.filename not in owned:
                assert (info.CRC, info.compress_size) == (infos[info.filename].CRC,
                                                          infos[info.filename].compress_size), info.filename


@pytest.mark.parametrize("case", list(CASES))
def test_validate_twice_equals_once(runs: dict, case: str) -> None:
    assert parts(runs[case]["twice"]) == parts(runs[case]["once"])
    assert runs[case]["twice"].read_bytes() == runs[case]["once"].read_bytes()


@pytest.mark.parametrize("case", list(CASES))
def test_clear_gives_every_part_back(runs: dict, case: str) -> None:
    before, cleared = parts(runs[case]["src"]), parts(runs[case]["cleared"])
    assert sorted(cleared) == sorted(before)
    assert [n for n in before if before[n] != cleared[n]] == []


def test_what_is_kept_where_it_matters(runs: dict) -> None:
    """The things openpyxl drops are there after validate: the VBA project and button, Lite's parts,
    the threaded comment, the x14 validation, the chart and image."""
    expect = {
        "xlsm": ["xl/vbaProject.bin"],
        "webext": ["xl/webextensions/webextension1.xml", "xl/webextensions/taskpanes.xml"],
        "threaded": ["xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml"],
        "lo_chart": ["xl/charts/chart1.xml", "xl/media/image1.png"],
    }
    for case, names in expect.items():
        before, after = parts(runs[case]["src"]), parts(runs[case]["once"])
        for name in names:
            assert after[name] == before[name], (case, name)
    assert b"x14:dataValidation" in parts(runs["threaded"]["once"])["xl/worksheets/sheet4.xml"]
    assert b"FmlaMacro" in b"".join(v for k, v in parts(runs["xlsm"]["once"]).items() if k.endswith(".vml"))


def test_notes_merge_with_the_users_and_skip_threads(runs: dict) -> None:
    wb = openpyxl.load_workbook(runs["threaded"]["once"])
    ws = wb["项目"]
    assert ws["E6"].comment.text.startswith("张三:\n这是部门自己的批注\n\n【pyxl校验】")
    assert "【pyxl校验】" not in ws["E5"].comment.text  # the thread's placeholder is left alone
    before = parts(runs["threaded"]["src"])["xl/comments1.xml"]
    assert parts(runs["threaded"]["cleared"])["xl/comments1.xml"] == before


def test_vml_drawings_reserve_disjoint_id_blocks(runs: dict) -> None:
    for case in ("template", "threaded", "xlsm", "controls"):
        blocks = vml_blocks(runs[case]["once"])
        assert len(blocks) >= 2, case
        flat = [b for bs in blocks for b in bs]
        assert len(flat) == len(set(flat)), (case, blocks)
        for name, data in parts(runs[case]["once"]).items():
            if name.endswith(".vml"):
                block = {int(x) for x in re.search(rb'data="([\d,]+)"', data).group(1).split(b",")}
                for sid in re.findall(rb"_x0000_s(\d+)", data):
                    assert int(sid) // 1024 in block, (case, name, sid)


def test_notes_share_the_legacy_drawing_of_the_sheets_controls(runs: dict) -> None:
    """A sheet has one legacy drawing: on a sheet with form controls (Excel's VML, line breaks and all),
    pyxl's notes go into that drawing after the controls, numbered inside its id block, and clear gives
    the drawing back byte for byte (test_clear_gives_every_part_back)."""
    src, once = parts(runs["controls"]["src"]), parts(runs["controls"]["once"])
    vml = "xl/drawings/vmlDrawing1.vml"
    assert b'<legacyDrawing r:id="rId1"/>' in once["xl/worksheets/sheet1.xml"]
    assert once["xl/worksheets/sheet1.xml"].count(b"<legacyDrawing") == 1
    assert once[vml].startswith(src[vml][: src[vml].rindex(b"</xml>")])  # the controls' shapes as they were
    assert once[vml].count(b'ObjectType="Note"') >= 1 and once[vml].count(b"<x:FmlaMacro>") == 3
    ids = [int(x) for x in re.findall(rb'id="_x0000_s(\d+)"', once[vml])]
    assert len(ids) == len(set(ids)) and all(i // 1024 == 1 for i in ids)  # the drawing's block, data="1"


def test_a_copy_leaves_out_the_buttons_of_the_macros_it_leaves_behind(runs: dict, tmp_path: Path) -> None:
    """validate X.xlsm -o Y.xlsx: the copy has no VBA project, so a button calling one of its macros would
    err when clicked. The buttons bound to the book's own macros go (VML shape, <control>, ctrlProp part,
    DrawingML twin, their relationships and content types); a check box bound to one stays, unbound; a
    button calling another workbook's macro stays as it is. Everything else is what validate --in-place
    writes, byte for byte."""
    src = runs["controls"]["src"]
    copy = tmp_path / "copy.xlsx"
    validate(src, out=copy)
    marked, out = parts(runs["controls"]["once"]), parts(copy)
    # the parts that go: the project, the own button's ctrlProp
    assert sorted(set(marked) - set(out)) == ["xl/ctrlProps/ctrlProp1.xml", "xl/vbaProject.bin"]
    assert set(out) <= set(marked)
    edited = {"[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
              "xl/worksheets/_rels/sheet1.xml.rels", "xl/drawings/drawing1.xml", "xl/drawings/vmlDrawing1.vml",
              "xl/drawings/vmlDrawing2.vml", "xl/drawings/vmlDrawing3.vml"}
    assert {n for n in out if out[n] != marked[n]} == edited
    text = {n: d.decode() for n, d in out.items() if n.endswith((".xml", ".vml", ".rels"))}
    # no control nor shape calls a macro of this book any more; the other workbook's button still calls its own
    macros = [m for t in text.values() for m in re.findall(r'<x:FmlaMacro>([^<]*)<|\bmacro="([^"]*)"', t)]
    assert sorted(a or b for a, b in macros if a or b) == ["[1]!OtherMacro"] * 3
    vml = text["xl/drawings/vmlDrawing1.vml"]
    assert vml.count('ObjectType="Button"') == 1 and 'ObjectType="Checkbox"' in vml and "$K$1" in vml
    assert "_x0000_s1025" not in vml and "_x0000_s1025" not in text["xl/drawings/drawing1.xml"]
    assert 'shapeId="1025"' not in text["xl/worksheets/sheet1.xml"]
    assert 'name="Rectangle 4"' in text["xl/drawings/drawing1.xml"]  # the user's shape stays, unbound
    assert out["xl/ctrlProps/ctrlProp2.xml"] == marked["xl/ctrlProps/ctrlProp2.xml"]
    # the wiring holds: every relationship resolves, every part has a content type, no type for a missing part
    for name, xml in text.items():
        if name.endswith(".rels"):
            source = name.replace("_rels/", "").removesuffix(".rels")
            for target, mode in re.findall(r'Target="([^"]+)"(?:\s+TargetMode="(\w+)")?', xml):
                if mode != "External":
                    resolved = target.lstrip("/") if target.startswith("/") else \
                        posixpath.join(posixpath.dirname(source), target)
                    assert posixpath.normpath(resolved) in out, (name, target)
    types = text["[Content_Types].xml"]
    overrides = {p.lstrip("/") for p in re.findall(r'PartName="([^"]+)"', types)}
    defaults = set(re.findall(r'Extension="([^"]+)"', types))
    assert overrides <= set(out)
    assert all(n in overrides or n.rsplit(".", 1)[-1] in defaults for n in out)
    assert "vbaProject" not in types and "macroEnabled" not in types
    # our own buttons (XlsxWriter's VML, on every sheet of the xlsm case) are gone from its copy too
    plain = tmp_path / "plain.xlsx"
    validate(runs["xlsm"]["src"], out=plain)
    assert not any(b"FmlaMacro" in d for n, d in parts(plain).items() if n.endswith(".vml"))
    openpyxl.load_workbook(copy)
    openpyxl.load_workbook(plain)


def test_rows_a_later_run_adds_look_like_the_rows_above_and_heights_come_and_go() -> None:
    """A 校验结果 pyxl added to a form is re-opened by the next validate: a result row beyond the earlier
    ones takes the wrap style of the row above; a row's height is set and taken back exactly."""
    from pyxl.backends._sheetcells import SheetCells, new_sheet

    xml = new_sheet().replace("<sheetData/>", '<sheetData><row r="4"><c r="A4" s="7" t="inlineStr"><is><t>x</t>'
                              "</is></c></row></sheetData>")
    cells = SheetCells(xml)
    cells.write((5, 1), [["y"]])
    assert '<c r="A5" s="7" t="inlineStr">' in cells.xml()
    cells.set_height(4, 45.0)
    assert '<row r="4" ht="45" customHeight="1">' in cells.xml()
    cells.set_height(4, None)
    cells.clear((5, 1), (1, 1))
    assert '<row r="4">' in cells.xml() and cells.xml().count("<row ") == 2  # row 5 keeps its styled, empty cell


def test_which_macro_references_name_the_books_own_macros() -> None:
    from pyxl.backends._controls import is_own_macro

    for ref in ("[0]!PyxlValidate", "PyxlValidate", "Module1.PyxlClear", "'报表.xlsm'!Go", "报表.XLSM!Go"):
        assert is_own_macro(ref, "报表.xlsm"), ref
    for ref in ("[1]!OtherMacro", "'Other.xlsm'!Go", "'C:\\x\\[Other.xlsm]Sheet1'!Go", ""):
        assert not is_own_macro(ref, "报表.xlsm"), ref


@needs_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_opens_the_copy_without_the_buttons(runs: dict, tmp_path: Path) -> None:
    copy = tmp_path / "controls-copy.xlsx"
    validate(runs["controls"]["src"], out=copy)
    again = recalculate(copy, tmp_path / "lo")
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames == openpyxl.load_workbook(copy).sheetnames
    assert any(c.comment for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_openpyxl_named_notes_merge_into_the_users_drawing_and_clear_gives_them_back(tmp_path: Path) -> None:
    """A workbook openpyxl saved with the user's own notes (xl/comments/comment1.xml and
    xl/drawings/commentsDrawing1.vml, its VML written with ns0:/ns1:… prefixes declared on each element):
    validate adds its notes into that part and drawing, in the drawing's own id block, the user's shapes
    kept; clear gives every part back byte for byte."""
    from xml.dom import minidom

    from openpyxl.comments import Comment

    wb = openpyxl.load_workbook(build("template", tmp_path))
    wb["项目"]["E5"].comment = Comment("财务科：待核实", "张会计")
    wb["项目"]["B5"].comment = Comment("名称以批复为准", "张会计")
    src = tmp_path / "user.xlsx"
    wb.save(src)
    before = parts(src)
    drawing, comments = "xl/drawings/commentsDrawing1.vml", "xl/comments/comment1.xml"
    assert {drawing, comments} <= set(before) and b"<v:shape" not in before[drawing]

    once, twice, cleared = (tmp_path / f"{k}.xlsx" for k in ("once", "twice", "cleared"))
    validate(src, out=once)
    validate(once, out=twice)
    clear(once, out=cleared)

    after = parts(once)
    assert set(before) <= set(after)
    owned = _owned(once)
    for name, data in before.items():
        if name not in owned and after[name] != data:
            assert _only_insertions(data, after[name]), name
    # pyxl's notes went into the user's drawing (parseable, the user's two shapes kept), numbered in its block
    minidom.parseString(after[drawing])
    assert after[drawing].count(b"<ns0:shape ") == 2 and b"<v:shape " in after[drawing]
    block = {int(x) for x in re.search(rb'data="([\d,]+)"', after[drawing]).group(1).split(b",")}
    assert {int(s) // 1024 for s in re.findall(rb"_x0000_s(\d+)", after[drawing])} <= block
    flat = [b for bs in vml_blocks(once) for b in bs]
    assert len(flat) == len(set(flat)), vml_blocks(once)
    assert "【pyxl校验】" in openpyxl.load_workbook(once)["项目"]["E6"].comment.text
    assert parts(twice) == after

    restored = parts(cleared)
    assert sorted(restored) == sorted(before)
    assert [n for n in before if before[n] != restored[n]] == []


def test_macros_never_go_into_a_copy(runs: dict, tmp_path: Path) -> None:
    from pyxl.core.errors import UserError

    src = runs["xlsm"]["src"]
    with pytest.raises(UserError):
        validate(src, out=tmp_path / "copy.xlsm")
    copy = tmp_path / "copy.xlsx"
    validate(src, out=copy)
    out = parts(copy)
    assert "xl/vbaProject.bin" not in out
    assert b"macroEnabled" not in out["[Content_Types].xml"]
    assert b"vbaProject" not in out["xl/_rels/workbook.xml.rels"]
    assert openpyxl.load_workbook(copy).sheetnames


# ---------------------------------------------------------------- Excel's conventions


def test_mirror_names_fit_excels_31_characters() -> None:
    long = "项目支出绩效目标表（2026年度第一批次追加）部门甲乙"
    assert len(long) > 25
    names = {mirror_sheet(long), mirror_sheet(long + "丙"), mirror_sheet("x" * 31), mirror_sheet("𠀀" * 20)}
    assert len(names) == 4
    for n in names:
        assert len(n.encode("utf-16-le")) // 2 <= 31 and n.startswith("_pyxl_")
    assert mirror_sheet("项目") == "_pyxl_项目"


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed's form with its project sheets renamed: an apostrophe, a double quote, 31 characters."""
    from pyxl.core.loader import load_data

    folder = tmp_path_factory.mktemp("odd")
    dept: Department = load_data(Path(__file__).resolve().parents[1] / "pyxl" / "data" / "tribunal.yaml")
    wb = build_form_workbook(dept)
    titles = ["O'Brien项目", '甲"乙"项目支出绩效目标表二〇二六年度第一批追加项目资金用途说明'[:31]]
    for ws, title in zip(wb.worksheets[1:], titles, strict=False):
        ws.title = title
    src = folder / "odd.xlsx"
    save_workbook(wb, src)
    out = folder / "odd-checked.xlsx"
    validate(src, out=out)
    return {"src": src, "out": out}


def test_sheet_names_are_quoted_in_names_and_links(odd_names: dict[str, Path]) -> None:
    wb_xml = parts(odd_names["out"])["xl/workbook.xml"].decode()
    assert "'_pyxl_O''Brien项目'!$A$1" in wb_xml
    wb = openpyxl.load_workbook(odd_names["out"])
    assert all(len(n) <= 31 for n in wb.sheetnames)
    links = [c.value for row in wb[RESULTS_SHEET].iter_rows(min_row=4) for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert any("\"#'O''Brien项目'!" in v for v in links)
    assert any('"#\'甲""乙""项目' in v for v in links)
    # the 31-character sheet has its (shortened) mirror and its colours
    long = wb.sheetnames[2]
    assert len(long) == 31 and mirror_sheet(long) in wb.sheetnames


@pytest.mark.skipif(SSCONVERT is None, reason="gnumeric (ssconvert) not installed")
def test_gnumeric_reads_names_links_and_dropdowns(odd_names: dict[str, Path], runs: dict, tmp_path: Path) -> None:
    for book in (odd_names["out"], runs["template"]["once"], runs["form"]["once"]):
        proc = subprocess.run([SSCONVERT, str(book), str(tmp_path / "x.csv")], capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr
        invalid = [line for line in (proc.stderr + proc.stdout).splitlines() if "Invalid expression" in line]
        # Gnumeric does not read a doubled apostrophe in a quoted sheet name ('O''Brien项目'!A1), which is
        # how Excel writes it; openpyxl's own print titles on that sheet hit the same gap in the input
        assert [line for line in invalid if "''" not in line] == [], (book.name, invalid)


def _audit(path: Path) -> set[str]:
    """What openxml-audit reports, as kinds of finding (counts and part numbers taken out)."""
    proc = subprocess.run([str(AUDIT), "-o", "json", str(path)], capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)[0]
    return {re.sub(r"sheet\d+\.xml|\d+", "#", e.get("description", "")) + "@" + re.sub(r"\[\d+\]", "", e.get("path") or "")
            for e in report.get("errors", [])}


@pytest.mark.skipif(not AUDIT.exists(), reason="openxml-audit not installed")
@pytest.mark.parametrize("case", list(CASES))
def test_ooxml_validator_finds_nothing_new(runs: dict, case: str) -> None:
    # the cleared output is not audited: test_clear_gives_every_part_back proves it is the input part for
    # part, and an audit (≈8 s of schema checks per workbook) is a function of the parts
    assert _audit(runs[case]["once"]) <= _audit(runs[case]["src"])


@needs_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_opens_every_output_with_its_notes(runs: dict, odd_names: dict[str, Path], tmp_path: Path) -> None:
    assert SOFFICE
    books = [runs[c]["once"] for c in CASES] + [odd_names["out"]]
    for book in books:
        report = validate(book)  # findings only: where the notes must be
        flagged = {(f.sheet, f.cell) for f in report.findings if f.sheet and f.cell and f.sheet != RESULTS_SHEET}
        again = recalculate(book, tmp_path / book.stem)
        wb = openpyxl.load_workbook(again)
        noted = {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                 if c.comment is not None and "【pyxl校验】" in c.comment.text}
        assert noted, book.name
        assert noted <= flagged | {(s, c) for s, c in noted}, book.name
        assert len(noted) >= len({s for s, _ in flagged}) // 2, book.name


@needs_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_colours_a_flagged_cell_on_a_quoted_sheet(odd_names: dict[str, Path], tmp_path: Path) -> None:
    report = validate(odd_names["out"])
    cell = next(f.cell for f in report.findings if f.sheet == "O'Brien项目" and f.severity.value == "error")
    assert rendered_cell_colour(odd_names["out"], "O'Brien项目", cell, tmp_path) == (0xFF, 0xC7, 0xCE)
