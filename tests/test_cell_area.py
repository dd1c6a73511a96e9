"""The used-area scan of worksheet XML (pyxl.backends.cell_area) behind the safety check's area limit.

Three ways to measure must agree: numpy (exact, and the all-cells upper bound), the regular
expression the browser page uses, and the careful positional pass. Hostile tags that try to hide a
far cell from the fast path must be caught by whichever path runs.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

import make_corpus  # noqa: E402
from test_safety import package  # noqa: E402

from pyxl.backends import cell_area  # noqa: E402
from pyxl.backends.cell_area import AreaScan, positional_area  # noqa: E402
from pyxl.backends.safety import Limits, check_workbook  # noqa: E402
from pyxl.core.errors import WorkbookError  # noqa: E402

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def pieces(xml: bytes, size: int) -> Iterator[bytes]:
    """Cut like safety._tags: pieces of about ``size`` bytes, each ending at a '>'."""
    at = 0
    while at < len(xml):
        cut = xml.rfind(b">", at, at + size) + 1
        if cut <= at:
            cut = xml.find(b">", at) + 1 or len(xml)
        yield xml[at:cut]
        at = cut


def scan(xml: bytes, *, numpy: bool, exact: bool, size: int = 1 << 20) -> AreaScan:
    s = AreaScan(numpy=numpy, exact=exact)
    for piece in pieces(xml, size):
        s.feed(piece)
    s.finish()
    return s


def careful(xml: bytes, size: int = 1 << 20) -> tuple[int, int]:
    return positional_area(pieces(xml, size), lambda r, c: None, lambda: ValueError("bad ref"))


cell = st.tuples(
    st.integers(1, 3000),  # row
    st.integers(1, 800),  # column
    st.booleans(),  # self-closing (formatted, empty)
    st.sampled_from(['', ' s="3"', ' t="s" s="12"', ' t="e"', ' s="1" t="inlineStr"']),
)


@PROPERTY
@given(st.lists(cell, max_size=60), st.sampled_from([64, 256, 1 << 20]))
def test_all_paths_agree(cells: list[tuple[int, int, bool, str]], size: int) -> None:
    body = "".join(
        f'<row r="{r}"><c r="{letters(c)}{r}"{attrs}/></row>' if empty else
        f'<row r="{r}"><c r="{letters(c)}{r}"{attrs}><v>1</v></c></row>'
        for r, c, empty, attrs in cells)
    xml = make_corpus.sheet_xml(body)
    values = [(r, c) for r, c, empty, _ in cells if not empty]
    expect = (max((r for r, _ in values), default=0), max((c for _, c in values), default=0))
    everything = (max((r for r, *_ in cells), default=0), max((c for _, c, *_ in cells), default=0))
    for numpy in (True, False):
        exact = scan(xml, numpy=numpy, exact=True, size=size)
        assert exact.regular and (exact.rows, exact.cols) == expect
    bound = scan(xml, numpy=True, exact=False, size=size)
    assert bound.regular and not bound.exact and (bound.rows, bound.cols) == everything
    assert careful(xml, size) == expect


def test_regex_path_is_always_exact() -> None:
    assert AreaScan(numpy=False).exact and AreaScan(numpy=True, exact=True).exact


@pytest.mark.parametrize("tag", [
    b'<c r=\'A1\'><v>1</v></c>',  # attributes quoted with '
    b'<c\nr="A1"><v>1</v></c>',  # a line break, not a space
    b'<c s="1" r="A1"><v>1</v></c>',  # r not first
    b'<c><v>1</v></c>',  # no reference
    b'<x:c r="A1"><v>1</v></x:c>',  # a namespace prefix
    '<前缀:c r="A1"><v>1</v></前缀:c>'.encode(),  # a prefix outside ASCII
    b'<c r="a1"><v>1</v></c>',  # lower case
    b'<c r="$A$1"><v>1</v></c>',
    b'<c r="A1" x="a>b"><v>1</v></c>',  # a '>' inside a value
    b'<c r="A1" r="B1"><v>1</v></c>',  # two r: calamine takes the last
    b'<c r="A1"\tt="n"><v>1</v></c>',
])
def test_irregular_tags_leave_the_fast_path(tag: bytes) -> None:
    xml = make_corpus.sheet_xml('<row r="1">' + tag.decode() + "</row>")
    assert not scan(xml, numpy=True, exact=True).regular
    assert not scan(xml, numpy=False, exact=True).regular


def test_the_careful_pass_reads_tags_as_calamine_does() -> None:
    # a '>' inside a value does not end the tag; of two r the last counts (calamine, checked by hand)
    assert careful(make_corpus.sheet_xml('<row r="1"><c r="B1" x="a>b"><v>1</v></c></row>')) == (1, 2)
    assert careful(make_corpus.sheet_xml('<row r="1"><c r="B1" r="D7"><v>1</v></c></row>')) == (7, 4)


# ---------------------------------------------------------------- hostile tags, through check_workbook


def book(tmp_path: Path, rows: str, name: str = "b.xlsx") -> Path:
    return package(tmp_path, make_corpus.sheet_xml(rows), name=name)


@pytest.fixture(params=[True, False], ids=["numpy", "regex"])
def path_kind(request: pytest.FixtureRequest) -> Iterator[bool]:
    cell_area.use_numpy(request.param)
    try:
        yield request.param
    finally:
        cell_area.use_numpy(True)


@pytest.mark.parametrize("rows", [
    # a far cell whose '>' hides in a value, so that its tag seems to close with '/>' …
    '<row r="1"><c r="XFD1048576" x="/>"><v>1</v></c></row>',
    # … with a decoy empty cell whose value holds a '>', so that the counts of cells and </c> still agree
    '<row r="1"><c r="A1" x=">"/><c r="XFD1048576" x="/>"><v>1</v></c></row>',
    # r not first, behind a value holding '>'
    '<row r="1"><c x=">" r="XFD1048576"><v>1</v></c></row>',
    # a reference inside another attribute's value, then the real one
    '<row r="1"><c x=\' r="A1"\' r="XFD1048576"><v>1</v></c></row>',
    # a cell in a namespace the fast path does not read
    '<row r="1"><前缀:c r="XFD1048576"><v>1</v></前缀:c></row>',
    # two r: calamine places the cell by the last
    '<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>',
    '<row r="1"><c r="A1"\tr="XFD1048576"><v>1</v></c></row>',
])
def test_hidden_far_cells_are_found(tmp_path: Path, path_kind: bool, rows: str) -> None:
    """Beside a cell at A1, each of these aborts python-calamine 0.9.1 (SIGABRT, tried by hand: a quoted '>'
    does not end its tag there, a prefixed c is a cell, the last of two r counts). The check before
    this module let six of the seven through (all but the ASCII-prefixed cell)."""
    with pytest.raises(WorkbookError) as info:
        check_workbook(book(tmp_path, '<row r="1"><c r="A1"><v>1</v></c></row>' + rows.replace('r="1"', 'r="2"', 1)))
    assert info.value.rule == "file-unreadable"
    assert "too large" in info.value.en or "too many" in info.value.en


def test_unparseable_cell_tags_are_refused_not_skipped(tmp_path: Path) -> None:
    # an unquoted reference: no XML, but the careful pass must not skip a tag it cannot read
    with pytest.raises(WorkbookError, match="invalid cell reference"):
        check_workbook(book(tmp_path, '<row r="1"><c r=XFD1048576><v>1</v></c></row>'))


def test_bound_past_the_limit_is_measured_exactly(tmp_path: Path, path_kind: bool) -> None:
    """Formatting far beyond the values (self-closing cells) is no reason to refuse a sheet."""
    rows = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
            + "".join(f'<row r="{r}"><c r="Z{r}" s="1"/></row>' for r in range(2, 5000)))
    area = check_workbook(book(tmp_path, rows), Limits(max_cells=10_000)).sheets[0]
    assert (area.rows, area.columns, area.bound) == (1, 2, False)
    fine = check_workbook(book(tmp_path, rows, "c.xlsx")).sheets[0]  # within the limits: a bound will do
    assert (fine.rows, fine.columns) == ((4999, 26) if path_kind else (1, 2))
    assert fine.bound == path_kind


def test_total_of_bounds_past_the_limit_is_measured_exactly(tmp_path: Path) -> None:
    rows = ('<row r="1"><c r="A1"><v>1</v></c></row>'
            + "".join(f'<row r="{r}"><c r="J{r}" s="1"/></row>' for r in range(2, 900)))
    path = tmp_path / "two.xlsx"
    with zipfile.ZipFile(book(tmp_path, rows)) as src, zipfile.ZipFile(path, "w") as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"</sheets>", b'<sheet name="\xe8\xa1\xa8\xe4\xba\x8c" sheetId="2" r:id="rId2"/>'
                                                  b"</sheets>")
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId2" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                    b'Target="data/t.xml"/></Relationships>')
            z.writestr(item.filename, data, zipfile.ZIP_DEFLATED)
        z.writestr("xl/data/t.xml", src.read("xl/data/s.xml"))
    # each bound (899 × 10) passes 12,000 cells alone; together they do not, the exact areas (1 × 1) do
    seen = check_workbook(path, Limits(max_cells=12_000))
    assert [(s.rows, s.columns, s.bound) for s in seen.sheets] == [(1, 1, False), (1, 1, False)]
