"""The .xlsm workbooks pyxl writes: its own VBA project ([MS-OVBA]), buttons, xlwings Lite parts.

Read back by independent readers: oletools (olevba, olefile) for the project, LibreOffice
through Python-UNO (tests/lo_macros.py) for the buttons and for running the macros, and
compared with a project Microsoft Excel saved (tests/data/excel-vbaProject.bin).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import olefile
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from libreoffice import needs_libreoffice
from vba_text import vba_function_text

from pyxl.excel.lite import ADDIN_ID, CONTENT_TYPES, TASKPANES_REL, lite_files, read_lite_files
from pyxl.excel.ovba import compress, decompress, decrypt

MACROS = ROOT / "macros"
DATA = Path(__file__).parent / "data"
EXCEL_PROJECT = DATA / "excel-vbaProject.bin"
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _run(*args: object) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([sys.executable, "-m", "pyxl", *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The template and the seed's workbook, as .xlsm and .xlsx (built once for the module)."""
    from pyxl.api import fill, template

    d = tmp_path_factory.mktemp("xlsm")
    seed = ROOT / "pyxl" / "data" / "tribunal.yaml"
    out = {"template.xlsm": template(d / "template.xlsm"), "template.xlsx": template(d / "template.xlsx"),
           "seed.xlsm": fill(seed, d / "seed.xlsm"), "seed.xlsx": fill(seed, d / "seed.xlsx")}
    return out


def _project(book: Path) -> bytes:
    with zipfile.ZipFile(book) as z:
        return z.read("xl/vbaProject.bin")


def _dir_records(ole: olefile.OleFileIO) -> list[int]:
    data = decompress(ole.openstream("VBA/dir").read())
    ids, pos = [], 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        size = 6 if rid == 0x0009 else size  # PROJECTVERSION: its "size" field is a constant 4
        ids.append(rid)
        pos += 6 + size
        if rid in (0x0005, 0x0006, 0x000C, 0x0016, 0x001A, 0x001C):  # a Unicode twin follows
            twin, twin_size = struct.unpack_from("<HI", data, pos)
            ids.append(twin)
            pos += 6 + twin_size
    return ids


def _module_offsets(ole: olefile.OleFileIO) -> dict[str, int]:
    """MODULEOFFSET of each module: where its compressed source starts in its stream."""
    data = decompress(ole.openstream("VBA/dir").read())
    out, name, pos = {}, "", 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        size = 6 if rid == 0x0009 else size
        body = data[pos + 6 : pos + 6 + size]
        if rid == 0x0019:
            name = body.decode("cp1252")
        elif rid == 0x0031:
            out[name] = struct.unpack("<I", body)[0]
        pos += 6 + size
    return out


def _project_keys(ole: olefile.OleFileIO) -> list[str]:
    text = ole.openstream("PROJECT").read().decode("cp1252")
    text = text.split("[Workspace]")[0]  # optional section (window positions of the editor)
    keys = []
    for line in text.split("\r\n"):
        key = line.split("=", 1)[0]
        keys.append({"Module": "M", "Document": "D", "Class": "C"}.get(key, key if "=" in line else line))
    return keys


# ---------------------------------------------------------------- the project itself


def test_olevba_reads_every_module_back_identical_to_macros(books: dict[str, Path]) -> None:
    import openpyxl
    from oletools.olevba import VBA_Parser

    for name in ("template.xlsm", "seed.xlsm"):
        parser = VBA_Parser(str(books[name]))
        assert parser.detect_vba_macros()
        modules = {stream.split("/")[-1]: code for _f, stream, _n, code in parser.extract_macros()}
        parser.close()
        assert modules.pop("pyxl") == (MACROS / "pyxl.bas").read_bytes().decode("ascii")
        wb = openpyxl.load_workbook(books[name], keep_vba=True)
        code_names = [wb.code_name] + [ws.sheet_properties.codeName for ws in wb.worksheets]
        assert code_names == ["ThisWorkbook"] + [f"Sheet{i}" for i in range(1, len(wb.worksheets) + 1)]
        # one document module per code name, as the VBA editor stores an empty one
        assert sorted(modules) == sorted(code_names)
        for code in code_names:
            assert modules[code].startswith(f'Attribute VB_Name = "{code}"\r\nAttribute VB_Base = "0{{000208')


def test_structure_matches_a_project_excel_made(books: dict[str, Path]) -> None:
    """Same storages and streams, same dir records in the same order, same PROJECT keys; what
    differs is exactly what [MS-OVBA] prescribes for a writer without Office's compiler."""
    excel = olefile.OleFileIO(str(EXCEL_PROJECT))
    ours = olefile.OleFileIO(_project(books["template.xlsm"]))

    def streams(ole: olefile.OleFileIO, modules: set[str]) -> set[str]:
        return {"/".join("<module>" if p in modules else p for p in s) for s in ole.listdir()}

    excel_modules = {"Module1", "ThisWorkbook", "Sheet1"}
    our_modules = {s[-1] for s in ours.listdir() if s[0] == "VBA" and s[-1] not in ("dir", "_VBA_PROJECT")}
    excel_streams = streams(excel, excel_modules)
    # difference 1: no __SRP_n streams (performance cache of the compiled project)
    assert {s for s in excel_streams if "__SRP_" not in s} == streams(ours, our_modules)
    assert any("__SRP_" in s for s in excel_streams)

    # dir: the same record ids in the same order, per project, per reference, per module
    e_ids, o_ids = _dir_records(excel), _dir_records(ours)
    first_ref, modules_at = e_ids.index(0x0016), e_ids.index(0x000F)
    assert e_ids[:first_ref] == o_ids[: o_ids.index(0x0016)]
    ref = e_ids[first_ref : first_ref + 3]
    assert ref == [0x0016, 0x003E, 0x000D]
    # difference 2: one reference (OLE Automation), Excel adds the Office library (our code uses neither)
    assert e_ids[first_ref:modules_at] == ref * 2
    assert o_ids[o_ids.index(0x0016) : o_ids.index(0x000F)] == ref
    e_mods, o_mods = e_ids[modules_at:], o_ids[o_ids.index(0x000F) :]
    assert e_mods[:2] == o_mods[:2] == [0x000F, 0x0013]
    block = e_mods[2 : e_mods.index(0x002B) + 1]
    assert block == o_mods[2 : o_mods.index(0x002B) + 1]
    assert e_mods[-1] == o_mods[-1] == 0x0010

    # difference 3: _VBA_PROJECT version 0xFFFF and no performance cache (7 bytes), so Office
    # compiles the source on open; Excel's carries its own version and the compiled cache
    assert ours.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")
    e_vba = excel.openstream("VBA/_VBA_PROJECT").read()
    assert e_vba[:2] == b"\xcc\x61" and e_vba[2:4] != b"\xff\xff" and len(e_vba) > 7

    # difference 4: module streams hold only compressed source (MODULEOFFSET 0), Excel's start with p-code
    assert set(_module_offsets(ours).values()) == {0}
    assert all(offset > 0 for offset in _module_offsets(excel).values())
    assert decompress(ours.openstream("VBA/pyxl").read()).startswith(b'Attribute VB_Name = "pyxl"')

    # PROJECT: the same keys in the same order; Excel adds the optional [Workspace] section
    e_keys, o_keys = _project_keys(excel), _project_keys(ours)
    squeeze = lambda keys: [k for i, k in enumerate(keys) if k not in "MDC" or keys[i - 1] != k]  # noqa: E731
    assert [k for k in squeeze(e_keys) if k not in "MDC"] == [k for k in squeeze(o_keys) if k not in "MDC"]
    assert "[Workspace]" in excel.openstream("PROJECT").read().decode("cp1252")
    # CMG/DPB/GC decrypt ([MS-OVBA] 2.4.3) to the same states: unprotected, no password, visible
    for ole in (excel, ours):
        text = ole.openstream("PROJECT").read().decode("cp1252")
        project_id = re.search(r'ID="([^"]+)"', text).group(1)  # type: ignore[union-attr]
        states = {k: decrypt(re.search(rf'{k}="([0-9A-F]+)"', text).group(1)) for k in ("CMG", "DPB", "GC")}  # type: ignore[union-attr]
        assert states == {k: (sum(project_id.encode()) & 0xFF, v)
                          for k, v in (("CMG", bytes(4)), ("DPB", b"\0"), ("GC", b"\xff"))}
    # PROJECTwm: the same layout (MBCS name, NUL, UTF-16 name, NUL NUL; then NUL NUL)
    wm = ours.openstream("PROJECTwm").read()
    assert wm.endswith(b"\0\0\0\0") and b"p\0y\0x\0l\0\0\0" in wm
    assert excel.openstream("PROJECTwm").read().startswith(b"Module1\0M\0o\0d\0u\0l\0e\0" + b"1\0\0\0")


def test_compound_file_trees_are_valid_red_black_trees(books: dict[str, Path]) -> None:
    """[MS-CFB] 2.6.4: siblings ordered (length, then upper-cased name), root black, no red
    node with a red child, and the same number of black nodes on every path."""
    ole = olefile.OleFileIO(_project(books["seed.xlsm"]))
    entries = ole.direntries

    def key(sid: int) -> tuple[int, str]:
        name = entries[sid].name
        return (len(name), name.upper())

    def walk(sid: int, red_parent: bool) -> tuple[list[int], int]:
        if sid == olefile.NOSTREAM:
            return [], 1
        e = entries[sid]
        red = e.color == 0
        assert not (red and red_parent)
        left, lb = walk(e.sid_left, red)
        right, rb = walk(e.sid_right, red)
        assert lb == rb
        return [*left, sid, *right], lb + (0 if red else 1)

    for e in entries:
        if e is not None and e.sid_child != olefile.NOSTREAM:
            assert entries[e.sid_child].color == 1
            order, _ = walk(e.sid_child, False)
            assert [key(s) for s in order] == sorted(key(s) for s in order)
            assert {entries[s].name for s in order} == {k.name for k in e.kids}


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=9000), st.text(alphabet="Sub End  ()\r\nabc\"'&_", max_size=9000)
                 .map(lambda t: t.encode("ascii"))))
def test_compression_round_trips_through_an_independent_decoder(data: bytes) -> None:
    from oletools.olevba import decompress_stream

    packed = compress(data)
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data  # oletools' own decoder


def test_module_source_must_be_ascii(tmp_path: Path) -> None:
    from pyxl.core.errors import UserError
    from pyxl.excel.vba_project import build_vba_project

    bad = tmp_path / "bad.bas"
    bad.write_bytes('Attribute VB_Name = "bad"\r\nSub A()\r\n  MsgBox "校验"\r\nEnd Sub\r\n'.encode())
    with pytest.raises(UserError, match="ASCII"):
        build_vba_project([bad], ["Sheet1"])


# ---------------------------------------------------------------- the workbooks


def test_xlsx_outputs_stay_macro_free(books: dict[str, Path]) -> None:
    for name in ("template.xlsx", "seed.xlsx"):
        with zipfile.ZipFile(books[name]) as z:
            names = z.namelist()
            types = z.read("[Content_Types].xml").decode()
        assert not [n for n in names if "vba" in n.lower() or n.endswith(".vml")]
        assert "macroEnabled" not in types and "vbaProject" not in types


def test_xlsm_buttons_call_the_macros(books: dict[str, Path]) -> None:
    """Each button's VML: a form button (ObjectType Button) whose macro is one of the module's."""
    source = (MACROS / "pyxl.bas").read_bytes().decode("ascii")
    public = set(re.findall(r"Public Sub (\w+)\(\)", source))
    with zipfile.ZipFile(books["seed.xlsm"]) as z:
        vml = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/drawings/vmlDrawing\d\.vml", n)]
        types = z.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    found = [re.findall(r'<font [^>]*>([^<]+)</font>.*?<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>', v) for v in vml]
    assert found == [[("校验", "PyxlValidate"), ("清除标记", "PyxlClear")]] * 2
    assert {m for pairs in found for _c, m in pairs} <= public
    blocks = [re.search(r'data="(\d+)"', v).group(1) for v in vml]  # type: ignore[union-attr]
    assert len(set(blocks)) == 2 and "1" not in blocks  # never the block of the notes' drawings


def test_lite_parts_are_there_well_formed_and_round_trip(books: dict[str, Path]) -> None:
    import xml.etree.ElementTree as ET

    want = lite_files()
    for name, book in books.items():
        with zipfile.ZipFile(book) as z:
            parts = {n: z.read(n) for n in z.namelist() if n.startswith("xl/webextensions/")}
            rels = z.read("_rels/.rels").decode()
            types = z.read("[Content_Types].xml").decode()
        assert set(parts) == {"xl/webextensions/taskpanes.xml", "xl/webextensions/webextension1.xml",
                              "xl/webextensions/_rels/taskpanes.xml.rels"}, name
        trees = {n: ET.fromstring(data) for n, data in parts.items()}
        ext = trees["xl/webextensions/webextension1.xml"]
        we = "{http://schemas.microsoft.com/office/webextensions/webextension/2010/11}"
        ref = ext.find(f"{we}reference")
        assert ref is not None and ref.get("id") == ADDIN_ID and ref.get("storeType") == "OMEX"
        props = {p.get("name"): json.loads(p.get("value") or "") for p in ext.iter(f"{we}property")}
        assert props == want
        for file_name, text in read_lite_files(book).items():  # byte for byte
            assert text.encode("utf-8") == (MACROS / "xlwings_lite" / file_name).read_bytes()
        assert re.search(rf'Type="{re.escape(TASKPANES_REL)}" Target="xl/webextensions/taskpanes.xml"', rels)
        for part, ctype in CONTENT_TYPES.items():
            assert f'<Override PartName="{part}" ContentType="{ctype}"/>' in types


def _parts(book: Path, prefixes: tuple[str, ...]) -> dict[str, bytes]:
    with zipfile.ZipFile(book) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith(prefixes)}


KEPT = ("xl/vbaProject.bin", "xl/drawings/vmlDrawing", "xl/webextensions/")


def test_validate_in_place_and_clear_keep_macros_buttons_and_lite(books: dict[str, Path], tmp_path: Path) -> None:
    book = tmp_path / "seed.xlsm"
    shutil.copy(books["seed.xlsm"], book)
    before = _parts(book, KEPT)
    assert len(before) == 6
    done = _run("validate", book, "--in-place", "-q")
    assert done.returncode in (0, 1), done.stderr
    after = _parts(book, KEPT)  # the buttons' drawings as they were; the notes' drawings are pyxl's own, added
    assert {n: after.get(n) for n in before} == before
    assert all(n.startswith("xl/drawings/vmlDrawing") for n in set(after) - set(before))
    import openpyxl

    assert any(c.comment for ws in openpyxl.load_workbook(book).worksheets for row in ws.iter_rows() for c in row)
    done = _run("clear", book)
    assert done.returncode == 0, done.stderr
    assert _parts(book, KEPT) == before
    assert read_lite_files(book) == lite_files()


def test_a_copy_keeps_the_lite_scripts_but_never_macros(books: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "copy.xlsx"
    done = _run("validate", books["seed.xlsm"], "-o", out, "-q")
    assert done.returncode in (0, 1), done.stderr
    assert _parts(out, ("xl/webextensions/",)) == _parts(books["seed.xlsm"], ("xl/webextensions/",))
    # the VBA project never goes into a copy, nor the 校验/清除标记 buttons that would call its macros there
    assert not _parts(out, ("xl/vbaProject.bin",))
    with zipfile.ZipFile(out) as z:
        assert "vbaProject" not in z.read("[Content_Types].xml").decode()
        assert "macroEnabled" not in z.read("[Content_Types].xml").decode()
        assert not [n for n in z.namelist() if n.endswith(".vml") and b"FmlaMacro" in z.read(n)]
        # a sheet whose drawing held only the buttons no longer points at it
        for name in z.namelist():
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                for rid in re.findall(r'<legacyDrawing [^>]*r:id="([^"]+)"', z.read(name).decode()):
                    rels = z.read(name.replace("worksheets/", "worksheets/_rels/") + ".rels").decode()
                    target = re.search(rf'Id="{rid}"[^>]*Target="\.\./drawings/([^"]+)"', rels)
                    assert target and f"xl/drawings/{target.group(1)}" in z.namelist(), (name, rid)


def test_in_place_keeps_controls_byte_for_byte(books: dict[str, Path], tmp_path: Path) -> None:
    """A form control saved by Excel (ctrlProps), which openpyxl would drop: the package writer copies it,
    and validate --in-place then clear leave it, the VBA project and the Lite parts byte for byte."""
    book = tmp_path / "excel-saved.xlsm"
    with zipfile.ZipFile(books["seed.xlsm"]) as src, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/ctrlProps/ctrlProp1.xml",
                     '<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" objectType="Button"/>')
    kept = ("xl/ctrlProps/", "xl/vbaProject.bin", "xl/webextensions/")
    before = _parts(book, kept)
    assert "xl/ctrlProps/ctrlProp1.xml" in before
    done = _run("validate", book, "--in-place")
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    assert _parts(book, kept) == before
    done = _run("clear", book)
    assert done.returncode == 0, done.stderr
    assert _parts(book, kept) == before


# ---------------------------------------------------------------- LibreOffice runs them

LO_SCRIPT = "vnd.sun.star.script:VBAProject.{module}.{macro}?language=Basic&location=document"


def _uno_available() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    return subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True).returncode == 0


needs_uno = pytest.mark.skipif(not _uno_available(), reason="python3-uno (for /usr/bin/python3) not installed")


def _lo(book: Path, probe: str, module: str, macros: list[str]) -> dict:
    scripts = [LO_SCRIPT.format(module=module, macro=m) for m in macros]
    done = subprocess.run([str(SYSTEM_PYTHON), str(Path(__file__).parent / "lo_macros.py"), str(book), probe, *scripts],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@needs_libreoffice
@needs_uno
@pytest.mark.libreoffice
def test_libreoffice_imports_the_project_binds_the_buttons_and_runs_the_macros(
    books: dict[str, Path], tmp_path: Path
) -> None:
    """On the seed's workbook after `validate --in-place` (notes on the data sheets): what the user clicks."""
    import openpyxl

    book = tmp_path / "seed.xlsm"
    shutil.copy(books["seed.xlsm"], book)
    assert _run("validate", book, "--in-place", "-q").returncode in (0, 1)
    source = (MACROS / "pyxl.bas").read_bytes().decode("ascii")
    info = _lo(book, "校验结果!A2", "pyxl", ["PyxlSelfTest", "PyxlValidate"])
    sheets = openpyxl.load_workbook(book, read_only=True, keep_vba=True).sheetnames
    project = info["libraries"]["VBAProject"]
    assert set(project) == {"pyxl", "ThisWorkbook", *(f"Sheet{i}" for i in range(1, len(sheets) + 1))}
    # LibreOffice keeps the code and turns the Attribute lines into comments
    body = source.split("Option Explicit", 1)[1].replace("\r\n", "\n")
    assert body in project["pyxl"].replace("\r\n", "\n")
    for sheet in ("说明", "校验结果"):
        buttons = {b["label"]: b["events"] for b in info["buttons"][sheet]}
        assert buttons == {
            "校验": [["XActionListener", "actionPerformed", LO_SCRIPT.format(module="pyxl", macro="PyxlValidate")]],
            "清除标记": [["XActionListener", "actionPerformed", LO_SCRIPT.format(module="pyxl", macro="PyxlClear")]],
        }
    assert set(info["buttons"]) == {"说明", "校验结果"}
    selftest, validate = info["runs"]
    assert selftest["error"] is None and selftest["cell"] == vba_function_text(source, "MacrosRunMessage")
    # no xlwings add-in in LibreOffice: the macro takes its "missing add-in" branch and says what to install
    assert validate["error"] is None
    assert validate["cell"] == vba_function_text(source, "NotFoundMessage")
    assert "xlwings addin install" in validate["cell"] and "pip install pyxl-jixiao xlwings" in validate["cell"]


@needs_libreoffice
@needs_uno
@pytest.mark.libreoffice
def test_the_shipped_summary_has_its_rollup_button_and_says_what_is_missing() -> None:
    from oletools.olevba import VBA_Parser

    book = ROOT / "workbook" / "汇总.xlsm"
    source = (MACROS / "pyxl_rollup.bas").read_bytes().decode("ascii")
    parser = VBA_Parser(str(book))
    modules = {stream.split("/")[-1]: code for _f, stream, _n, code in parser.extract_macros()}
    parser.close()
    assert modules["pyxl_rollup"] == source
    info = _lo(book, "部门汇总!A2", "pyxl_rollup", ["PyxlRollup"])
    assert info["buttons"] == {"部门汇总": [{
        "label": "汇总", "name": "Button 1",
        "events": [["XActionListener", "actionPerformed", LO_SCRIPT.format(module="pyxl_rollup", macro="PyxlRollup")]],
    }]}
    (run,) = info["runs"]
    assert run["error"] is None and run["cell"] == vba_function_text(source, "NotFoundMessage")


def test_the_official_form_as_xlsm_gets_its_buttons_on_a_results_sheet(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "form.xlsm"
    done = _run("fill", ROOT / "pyxl" / "data" / "tribunal.yaml", "-o", out, "--form")
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[-1] == "校验结果"
    with zipfile.ZipFile(out) as z:
        vml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/vmlDrawing")]
    assert len(vml) == 1 and "[0]!PyxlValidate" in vml[0] and "[0]!PyxlClear" in vml[0]
    before = _parts(out, KEPT)
    done = _run("validate", out, "--in-place", "-q")
    assert done.returncode in (0, 1), done.stderr
    after = _parts(out, KEPT)  # the notes' drawings are added beside the buttons' one, which stays as it was
    assert {n: after.get(n) for n in before} == before


def test_class_modules_and_any_streams_read_back(tmp_path: Path) -> None:
    """A .cls as the VBA editor exports it (header dropped, Class= in PROJECT, MODULETYPE 0x22)."""
    from oletools.olevba import VBA_Parser

    from pyxl.excel.vba_project import build_vba_project

    body = ('Attribute VB_Name = "Counter"\r\nAttribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n'
            'Attribute VB_PredeclaredId = False\r\nAttribute VB_Exposed = False\r\nOption Explicit\r\n'
            "Public Count As Long\r\n")
    cls = tmp_path / "Counter.cls"
    cls.write_bytes(("VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n" + body).encode("ascii"))
    bas = tmp_path / "Tools.bas"
    bas.write_bytes(b'Attribute VB_Name = "Tools"\nSub Hello()\nEnd Sub\n')  # LF only: stored as CRLF
    data = build_vba_project([cls, bas], ["Sheet1"])
    parser = VBA_Parser("project.bin", data=data)
    modules = {stream.split("/")[-1]: code for _f, stream, _n, code in parser.extract_macros()}
    assert modules["Counter"] == body
    assert modules["Tools"] == 'Attribute VB_Name = "Tools"\r\nSub Hello()\r\nEnd Sub\r\n'
    ole = olefile.OleFileIO(data)
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert "Class=Counter\r\nModule=Tools\r\nDocument=ThisWorkbook/&H00000000\r\nDocument=Sheet1/&H00000000" in project


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.text(alphabet="abcxyz_0189", min_size=1, max_size=31).filter(lambda n: n.upper() != "VBA"),
                       st.binary(max_size=12000), min_size=1, max_size=40))
def test_compound_files_of_any_streams_read_back_with_olefile(streams: dict[str, bytes]) -> None:
    from pyxl.excel.cfb import Storage, write_compound_file

    names = list(streams)
    root = Storage(streams={n: streams[n] for n in names[::2]},
                   storages={"VBA": Storage(streams={n: streams[n] for n in names[1::2]})})
    ole = olefile.OleFileIO(write_compound_file(root))
    for i, n in enumerate(names):
        path = n if i % 2 == 0 else f"VBA/{n}"
        assert ole.openstream(path).read() == streams[n]
