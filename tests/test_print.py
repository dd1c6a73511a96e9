"""Every shipped workbook prints on A4 with readable text (LibreOffice renders each one once).

The print plan itself (pyxl/layouts/print_pages.py) is checked without LibreOffice; the rendered PDF
then says what a printer would get: the paper of every page and the size of every word.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from libreoffice import convert_many, needs_libreoffice

from pyxl.layouts.print_pages import MIN_SCALE, PAGE_WIDTH_PT, column_points, plan_pages

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted([*ROOT.glob("templates/*.xlsx"), *ROOT.glob("workbook/*.xlsx"), *ROOT.glob("workbook/部门/*.xlsx")])
A4 = (595.3, 841.9)
MIN_TEXT_PT = 8.0
LINE_TO_FONT = 1.3  # a word's box in poppler's -bbox is ~1.3 × its font size (ascent + descent)


# ---------------------------------------------------------------- the plan


def test_a_narrow_sheet_is_one_page_across() -> None:
    plan = plan_pages([10, 20, 30], scale=90)
    assert plan.breaks == () and plan.scale == 90


def test_a_wide_sheet_is_split_into_groups_that_fit() -> None:
    widths = [14, 26] + [12] * 48
    plan = plan_pages(widths, repeat=2, scale=90)
    assert plan.breaks and plan.scale == 90
    avail = (PAGE_WIDTH_PT["landscape"] - 2 * 0.4 * 72) * 100 / plan.scale
    edges = [2, *plan.breaks, len(widths)]
    for a, b in pairwise(edges):
        group = sum(column_points(w) for w in widths[:2]) + sum(column_points(w) for w in widths[a:b])
        assert group <= avail, (a, b)
        assert b - a >= 1


def test_the_scale_never_drops_below_readable() -> None:
    assert plan_pages([200], scale=10).scale == MIN_SCALE
    assert plan_pages([5], scale=150).scale == 100


def test_wrapped_height_counts_lines_as_excel_wraps_them() -> None:
    from pyxl.layouts.print_layout import wrapped_height

    assert wrapped_height("", 9) == wrapped_height("绩效指标", 9) == 15  # four CJK characters fit 9 characters
    assert wrapped_height("绩效指标!K8", 9) > 15  # the address goes to a second line
    assert wrapped_height("一二\n三四", 34) > wrapped_height("一二三四", 34)  # a line break starts a line
    # “ ” are drawn full width by a Chinese font: the same length of text takes more lines than with " "
    assert wrapped_height("“" * 40, 34) > wrapped_height('"' * 40, 34)
    # a closing mark never starts a line: the character before it moves down with it
    assert wrapped_height("一" * 16 + "。", 34) > wrapped_height("一" * 16, 34)


@given(st.text(alphabet="ab 一二，。“”（）!-\n", max_size=120), st.floats(min_value=3, max_value=120))
def test_wrapped_height_grows_with_text_and_shrinks_with_width(text: str, width: float) -> None:
    from pyxl.layouts.print_layout import wrapped_height

    h = wrapped_height(text, width)
    assert h >= 15
    assert wrapped_height(text + "一二三", width) >= h
    assert wrapped_height(text, width + 10) <= h


# ---------------------------------------------------------------- the shipped workbooks, printed


def sheet_setups(book: Path) -> dict[str, dict[str, str]]:
    """Each visible sheet's <pageSetup> attributes, by sheet name."""
    with zipfile.ZipFile(book) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="/?(?:xl/)?([^"]+)"', rels))
        targets |= {k: v for v, k in re.findall(r'Target="/?(?:xl/)?([^"]+)"[^>]*Id="(rId\d+)"', rels)}
        out = {}
        for tag in re.findall(r"<sheet [^>]*/>", wb):
            if 'state="hidden"' in tag or 'state="veryHidden"' in tag:
                continue
            name = re.search(r'name="([^"]+)"', tag).group(1)
            rid = re.search(r'r:id="([^"]+)"', tag).group(1)
            xml = z.read(f"xl/{targets[rid]}").decode()
            setup = re.search(r"<pageSetup ([^>]*)/>", xml)
            out[name] = dict(re.findall(r'(\w+)="([^"]*)"', setup.group(1))) if setup else {}
            fit = re.search(r"<pageSetUpPr [^>]*fitToPage=\"(\w+)\"", xml)
            out[name]["fitToPage"] = fit.group(1) if fit else "0"
        return out


@pytest.mark.parametrize("book", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_sheet_is_set_up_for_a4_at_a_readable_scale(book: Path) -> None:
    for sheet, setup in sheet_setups(book).items():
        assert setup.get("paperSize") == "9", (book.name, sheet, setup)
        assert setup.get("fitToPage") in ("0", "false"), (book.name, sheet, "fit to page shrinks the text")
        assert int(setup.get("scale", "100")) >= MIN_SCALE, (book.name, sheet, setup)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each shipped workbook as LibreOffice prints it: one PDF each, all in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("print")
    copies = [shutil.copyfile(book, folder / f"{i}-{book.stem}.xlsx") for i, book in enumerate(SHIPPED)]
    pdfs = convert_many(copies, "pdf", folder / "pdf")
    return {book.name: pdf for book, pdf in zip(SHIPPED, pdfs, strict=True)}


def words(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, box height, text) of every word poppler finds."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for page, body in enumerate(xml.split("<page ")[1:], start=1):
        for y0, y1, text in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', body):
            out.append((page, float(y1) - float(y0), text))
    return out


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("book", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_workbook_prints_on_a4_with_readable_text(book: Path, printed: dict[str, Path],
                                                          artifacts: Path) -> None:
    from libreoffice import _pdftoppm, pdf_pages

    pdf = printed[book.name]
    pages = pdf_pages(pdf)
    assert pages
    for i, page in enumerate(pages, start=1):
        size = sorted((page["width"], page["height"]))
        assert size == pytest.approx(A4, abs=1.5), (book.name, i, page)
    sizes = [h / LINE_TO_FONT for _, h, _ in words(pdf)]
    assert sizes, f"{book.name}: no text printed"
    small = [(p, round(h / LINE_TO_FONT, 1), t) for p, h, t in words(pdf) if h / LINE_TO_FONT < MIN_TEXT_PT]
    assert not small, f"{book.name}: text under {MIN_TEXT_PT} pt: {small[:10]}"
    # the first pages, kept for people to look at (tests/artifacts/out; `make artifacts` keeps them)
    for png in _pdftoppm(pdf, artifacts / f"print-{book.stem}", 50, 1, min(len(pages), 2)):
        assert png.stat().st_size > 0



# ---------------------------------------------------------------- on screen


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pyxl import api

    out = tmp_path_factory.mktemp("screen") / "checked.xlsx"
    api.validate(ROOT / "workbook" / "部门" / "某人民法庭.xlsx", out=out)
    return out


def test_results_sheet_wraps_and_colours_its_levels(checked: Path) -> None:
    import openpyxl

    from pyxl.layouts.results_style import SEVERITY_FILLS

    ws = openpyxl.load_workbook(checked)["校验结果"]
    long_row = next(r for r in range(4, ws.max_row + 1) if len(str(ws.cell(r, 7).value or "")) > 40)
    assert ws.cell(long_row, 7).alignment.wrap_text
    fills = {r.formula[0].split('"')[1]: r.dxf.fill.fgColor.rgb[-6:] for cf in ws.conditional_formatting
             for r in cf.rules if str(cf.sqref).startswith("B4:")}
    assert fills == {word: fill for word, (fill, _) in SEVERITY_FILLS.items()}
    assert {ws.cell(r, 2).value for r in range(4, ws.max_row + 1)} >= {"错误", "警告", "提示"}


def test_results_rows_are_tall_enough_for_their_text(checked: Path) -> None:
    import openpyxl

    ws = openpyxl.load_workbook(checked)["校验结果"]
    long_row = next(r for r in range(4, ws.max_row + 1) if len(str(ws.cell(r, 7).value or "")) > 40)
    assert (ws.row_dimensions[long_row].height or 0) >= 45  # three lines or more: the whole text shows


def _result_texts(book: Path) -> list[tuple[int, str]]:
    """(row, text) of every non-empty cell of 校验结果's result rows as the cell shows it (a link's label)."""
    import openpyxl

    ws = openpyxl.load_workbook(book)["校验结果"]
    out = []
    for row in ws.iter_rows(min_row=4):
        for c in row:
            value = c.value
            if isinstance(value, str) and value.startswith("=HYPERLINK("):
                value = re.findall(r'"((?:[^"]|"")*)"', value)[-1].replace('""', '"')
            if value not in (None, ""):
                out.append((c.row, str(value)))
    return out


@pytest.fixture(scope="module")
def checked_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A department's own form (no 校验结果 of its own) after validate: the package writer adds the sheet."""
    from package_cases import form

    from pyxl import api

    folder = tmp_path_factory.mktemp("form")
    out = folder / "form-checked.xlsx"
    api.validate(form(folder / "form.xlsx"), out=out)
    return out


def _with_heights(src: Path, out: Path, height: Any) -> Path:
    """A copy of ``src`` whose 校验结果 rows get ``height(old)`` (None: no height of their own)."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        wb = z.read("xl/workbook.xml").decode()
        rid = re.search(r'<sheet [^>]*name="校验结果"[^>]*r:id="(rId\d+)"', wb).group(1)
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'Target="/?(?:xl/)?([^"]+)" Id="{rid}"|Id="{rid}"[^>]*Target="/?(?:xl/)?([^"]+)"', rels)
        part = "xl/" + (target.group(1) or target.group(2))

        def resize(m: re.Match[bytes]) -> bytes:
            new = height(float(m.group(1)))
            return b"" if new is None else b' ht="%g" customHeight="1"' % new

        for info in z.infolist():
            data = z.read(info)
            if info.filename == part:
                data = re.sub(rb' ht="([\d.]+)" customHeight="1"', resize, data)
            copy.writestr(info, data)
    return out


@pytest.fixture(scope="module")
def results_rendered(checked: Path, checked_form: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The validated template and form printed by LibreOffice, and beside them (same run) two controls
    that show each probe below can fail: the template with 校验结果's row heights taken out, and with
    every wrapped row 7 pt short (its last line cut in half)."""
    folder = tmp_path_factory.mktemp("rows")
    books = [shutil.copyfile(checked, folder / "sized.xlsx"), shutil.copyfile(checked_form, folder / "form.xlsx"),
             _with_heights(checked, folder / "unsized.xlsx", lambda h: None),
             _with_heights(checked, folder / "short.xlsx", lambda h: h - 7 if h > 20 else h)]
    return dict(zip(("sized", "form", "unsized", "short"), convert_many(books, "pdf", folder / "pdf"), strict=True))


def _missing(pdf: Path, texts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Texts LibreOffice did not print whole: a row too short drops the lines that do not fit from the
    PDF (pdftotext -raw keeps each cell's wrapped lines together)."""
    printed = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s", "", printed)
    return [(r, t) for r, t in texts if re.sub(r"\s", "", t) not in flat]


CUT_PT = 3.0  # a CJK word's box reaches ~1.7 pt below a one-line row of the default height, uncut


def _cut(pdf: Path) -> list[tuple[int, float, str]]:
    """Words of 校验结果 whose box runs into the next row by more than CUT_PT: a last line drawn but
    cut in half. A row's top is where its 序号 is printed (top-aligned, like every result cell)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for page, body in enumerate(xml.split("<page ")[1:], start=1):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', body)]
        head = next((w for w in words if w[4] == "序号"), None)
        level = next((w for w in words if w[4] == "级别"), None)
        if head is None or level is None:
            continue
        tops = sorted(w[1] for w in words if w[4].isdigit() and w[2] <= level[0] and w[1] > head[3])
        for _x0, y0, _x1, y1, text in words:
            below = [t for t in tops if t > y0 + 1]
            if y0 > head[3] and below and y1 - below[0] > CUT_PT:
                out.append((page, round(y1 - below[0], 1), text))
    return out


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_results_rows_print_their_whole_text(checked: Path, checked_form: Path, results_rendered: dict[str, Path],
                                             artifacts: Path) -> None:
    """Rendered by LibreOffice, every cell of every result row shows its whole text (the package writer
    sizes the rows it writes), in the template and in the 校验结果 it adds to a department's own form:
    no line is left out and no last line is cut. Without the heights, or with rows a little short, the
    probes see it."""
    from libreoffice import _pdftoppm

    texts = _result_texts(checked)
    assert len(texts) > 100
    form_texts = _result_texts(checked_form)
    assert len(form_texts) > 100
    assert _missing(results_rendered["sized"], texts) == []
    assert _missing(results_rendered["form"], form_texts) == []
    assert _cut(results_rendered["sized"]) == []
    assert _cut(results_rendered["form"]) == []
    # the controls: the probes see clipping when there is some
    assert len(_missing(results_rendered["unsized"], texts)) > 10
    assert len(_cut(results_rendered["short"])) > 5
    # the first page of each 校验结果, kept for people to look at
    for name in ("sized", "form"):
        pdf = results_rendered[name]
        pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        first = next(i for i, page in enumerate(pages.split("\f"), start=1) if "修改建议" in page)
        for png in _pdftoppm(pdf, artifacts / f"print-results-rows-{name}", 70, first, first):
            assert png.stat().st_size > 0


def test_a_results_sheet_added_to_a_form_looks_like_the_templates(checked_form: Path) -> None:
    """Column widths, a frozen header, wrapped cells, 级别 coloured, rows sized to their text."""
    import openpyxl

    from pyxl.layouts.results_style import RESULT_WIDTHS, SEVERITY_FILLS

    ws = openpyxl.load_workbook(checked_form)["校验结果"]
    assert [ws.column_dimensions[c].width for c in "ABCDEFGH"] == list(RESULT_WIDTHS)
    assert ws.freeze_panes == "A4"
    rows = range(4, ws.max_row + 1)
    assert all(ws.cell(r, 7).alignment.wrap_text for r in rows)
    fills = {r.formula[0].split('"')[1]: r.dxf.fill.fgColor.rgb[-6:] for cf in ws.conditional_formatting
             for r in cf.rules if str(cf.sqref).startswith("B4:")}
    assert fills == {word: fill for word, (fill, _) in SEVERITY_FILLS.items()}
    long_row = next(r for r in rows if len(str(ws.cell(r, 7).value or "")) > 40)
    assert (ws.row_dimensions[long_row].height or 0) >= 45
    assert not ws["A2"].alignment.wrap_text  # the summary line runs across, as in the template
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) in ((9, "landscape"), ("9", "landscape"))
    assert int(ws.page_setup.scale) >= MIN_SCALE


def test_notes_are_sized_to_their_text(checked: Path) -> None:
    """Each note box (its VML shape) has the size its text needs: no fixed box cutting long notes."""
    import openpyxl

    from pyxl.backends.note_size import note_box

    with zipfile.ZipFile(checked) as z:
        shapes = [m for name in z.namelist() if name.endswith(".vml")
                  for m in re.findall(r"width:(\d+)px;height:(\d+)px", z.read(name).decode())]
    sizes = {(int(w), int(h)) for w, h in shapes}
    assert len(sizes) > 1, "every note box has the same size"
    wb = openpyxl.load_workbook(checked)
    wanted = {note_box(c.comment.text) for ws in wb for row in ws.iter_rows() for c in row if c.comment is not None}
    assert sizes == wanted
    short, long_ = note_box("[提示] 短"), note_box("[错误] " + "很长的说明文字" * 20 + "\n  → 修改建议")
    assert short[1] < long_[1] and long_[0] <= 360


def test_summary_lists_errors_first_and_says_why_a_total_is_blank() -> None:
    import openpyxl

    wb = openpyxl.load_workbook(ROOT / "workbook" / "汇总.xlsx")
    ws = wb["问题清单"]
    header = next(r for r in range(1, 6) if ws.cell(r, 3).value == "级别")
    levels = [ws.cell(r, 3).value for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 3).value]
    rank = {"错误": 0, "警告": 1, "提示": 2}
    assert levels and [rank[x] for x in levels] == sorted(rank[x] for x in levels)
    dept = wb["部门汇总"]
    blanks = [c for row in dept.iter_rows() for c in row if c.value == "不合计，见支出进度"]
    assert blanks, "a month only some departments plan at has no total, and says so"
    for c in blanks:
        assert c.comment is not None and "支出进度" in c.comment.text
        header_cell = dept.cell(c.row + 1, c.column).value
        assert "月底" in header_cell
