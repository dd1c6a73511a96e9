"""The safety layer: limits checked before parsing, XML protection, atomic writes, macros."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

import make_corpus  # noqa: E402

from pyxl.backends.safety import Limits, check_workbook, ensure_defusedxml, error_cells  # noqa: E402
from pyxl.core.errors import UserError, WorkbookError  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("safety-corpus")


@pytest.fixture(scope="module")
def tribunal(corpus: Path) -> Path:
    return make_corpus.base_workbook(corpus)


def refused(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(WorkbookError) as info:
        check_workbook(path, limits)
    assert info.value.rule == "file-unreadable"
    return info.value.one_line()


def package(tmp_path: Path, sheet: bytes, *, name: str = "book.xlsx", extra: dict[str, bytes] | None = None,
            method: int = zipfile.ZIP_DEFLATED) -> Path:
    """A minimal workbook package whose only sheet is ``sheet``."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", method) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="表一" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="data/s.xml"/>'
                   "</Relationships>")
        z.writestr("xl/data/s.xml", sheet)
        for part, data in (extra or {}).items():
            z.writestr(part, data)
    return path


# ---------------------------------------------------------------- limits and configuration


def test_shipped_limits_match_the_code_defaults() -> None:
    assert Limits.from_config() == Limits()


def test_config_file_changes_limits(tmp_path: Path, tribunal: Path) -> None:
    from pyxl.api import validate

    cfg = tmp_path / "rules.toml"
    cfg.write_text("[limits]\nmax_rows = 10\n", "utf-8")
    with pytest.raises(WorkbookError, match="too many rows"):
        validate(tribunal, config=cfg)
    cfg.write_text("[limits]\nmax_rows = 'many'\n", "utf-8")
    with pytest.raises(UserError, match=r"limits\.max_rows"):
        validate(tribunal, config=cfg)


def test_tribunal_passes_and_is_measured(tribunal: Path) -> None:
    seen = check_workbook(tribunal)
    by_name = {s.sheet: s for s in seen.sheets}
    assert {"项目", "绩效指标", "部门整体"} <= set(by_name)
    assert by_name["绩效指标"].rows > 10 and by_name["项目"].columns >= 10
    assert not seen.has_vba


def test_area_uses_only_cells_with_values(tmp_path: Path) -> None:
    # a formatted but empty cell far away does not count: calamine does not allocate for it
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="900000"><c r="XFD900000" s="1"/></row>'
    area = check_workbook(package(tmp_path, make_corpus.sheet_xml(rows))).sheets[0]
    assert (area.sheet, area.rows, area.columns) == ("表一", 1, 1)


def test_cells_without_references_are_placed_like_calamine(tmp_path: Path) -> None:
    rows = "<row>" + "<c><v>1</v></c>" * 30 + "</row><row><c><v>2</v></c></row>"
    area = check_workbook(package(tmp_path, make_corpus.sheet_xml(rows))).sheets[0]
    assert (area.rows, area.columns) == (2, 30)
    assert "too many columns" in refused(package(tmp_path, make_corpus.sheet_xml(rows), name="b.xlsx"),
                                         Limits(max_columns=20))


def test_prefixed_cells_take_the_careful_path(tmp_path: Path) -> None:
    sheet = (b'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
             b'main"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="70000">'
             b'<x:c r="C70000"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    area = check_workbook(package(tmp_path, sheet)).sheets[0]
    assert (area.rows, area.columns) == (70000, 3)
    assert "too large" in refused(package(tmp_path, sheet, name="b.xlsx"), Limits(max_cells=100_000))


def test_members_ratio_and_sizes(tmp_path: Path) -> None:
    small = make_corpus.sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    many = package(tmp_path, small, name="many.xlsx", extra={f"xl/media/{i}.png": b"x" for i in range(10)})
    assert "too many parts" in refused(many, Limits(max_members=8))
    zeros = package(tmp_path, small, name="zeros.xlsx", extra={"xl/media/z.bin": bytes(4 << 20)})
    assert "compression ratio" in refused(zeros)
    assert check_workbook(zeros, Limits(max_ratio=10_000)).members == 5
    assert "the limit is 3.0 MB" in refused(zeros, Limits(max_member_bytes=3 << 20, max_ratio=10_000))
    assert "uncompressed" in refused(zeros, Limits(max_total_bytes=4 << 20, max_ratio=10_000))
    assert "file too large" in refused(zeros, Limits(max_file_bytes=1000))


def test_only_stored_and_deflated_parts(tmp_path: Path) -> None:
    small = make_corpus.sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    assert "compression method" in refused(package(tmp_path, small, method=zipfile.ZIP_BZIP2))
    assert check_workbook(package(tmp_path, small, name="s.xlsx", method=zipfile.ZIP_STORED)).sheets


# ---------------------------------------------------------------- XML


def test_declarations_refused_in_any_xml_part(tmp_path: Path) -> None:
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData/></worksheet>'
    assert "entity" in refused(package(tmp_path, doctype))
    styles = {"xl/styles.xml": b'<?xml version="1.0"?>\n<!-- long comment -->' + b" " * (3 << 20)
              + b'<!DOCTYPE s SYSTEM "http://evil.example/s.dtd"><styleSheet/>'}
    small = make_corpus.sheet_xml("")
    # far past the first chunk, and the ratio guard is off so the scan is what refuses
    assert "entity" in refused(package(tmp_path, small, name="s.xlsx", extra=styles), Limits(max_ratio=1e9))
    utf16 = {"xl/styles.xml": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s><s/>'.encode("utf-16")}
    assert "entity" in refused(package(tmp_path, small, name="u.xlsx", extra=utf16))


def test_svg_with_doctype_is_not_xml_we_parse(tmp_path: Path) -> None:
    svg = {"xl/media/logo.svg": b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">'
                                b"<svg/>"}
    assert check_workbook(package(tmp_path, make_corpus.sheet_xml(""), extra=svg)).sheets


def test_odd_encodings_refused(tmp_path: Path) -> None:
    sheet = '<?xml version="1.0" encoding="UTF-16"?><worksheet><sheetData/></worksheet>'.encode("utf-16")
    assert "UTF-16" in refused(package(tmp_path, sheet))
    cp037 = b'<?xml version="1.0" encoding="cp037"?>' + "<worksheet/>".encode("cp037")
    assert "encoding" in refused(package(tmp_path, make_corpus.sheet_xml(""), name="e.xlsx",
                                         extra={"xl/styles.xml": cp037}))


def test_defusedxml_is_in_effect_for_openpyxl(corpus: Path) -> None:
    """Past pyxl's own scan, openpyxl itself refuses the entity bomb and the external entity."""
    import openpyxl
    from defusedxml import EntitiesForbidden

    ensure_defusedxml()
    for name in ("entity_bomb.xlsx", "external_entity.xlsx"):
        with pytest.raises(ValueError) as info:  # openpyxl wraps the parser's exception
            openpyxl.load_workbook(make_corpus.build(name, corpus))
        assert isinstance(info.value.__cause__, EntitiesForbidden), repr(info.value.__cause__)


def test_defusedxml_switched_off_is_refused(tribunal: Path, tmp_path: Path) -> None:
    """openpyxl (still used by OpenpyxlBackend) refuses to parse with its XML protection off.
    validate itself no longer parses workbooks with openpyxl (the package writer edits parts as text)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENPYXL_DEFUSEDXML": "False"}
    code = ("import sys\nfrom pyxl.backends.openpyxl_backend import OpenpyxlBackend\nfrom pyxl.core.errors import UserError\n"
            "try:\n    OpenpyxlBackend(sys.argv[1]).book\nexcept UserError as e:\n    print(e.en)\n    sys.exit(2)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(tribunal)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 2 and "defusedxml" in proc.stdout and "Traceback" not in proc.stderr


def _calamine(path: Path, sheet: str) -> subprocess.CompletedProcess[str]:
    code = ("import sys, python_calamine as pc\n"
            "wb = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
            "print(len(wb.get_sheet_by_name(sys.argv[2]).to_python()))\n")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run([sys.executable, "-c", code, str(path), sheet], capture_output=True, text=True,
                          timeout=120, preexec_fn=limit, env={**os.environ, "RUST_BACKTRACE": "0"})


def test_calamine_does_not_expand_entities(corpus: Path) -> None:
    """calamine (quick-xml) knows no DTD: an entity reference is an error, never an expansion."""
    proc = _calamine(make_corpus.build("entity_bomb.xlsx", corpus), "项目")
    assert proc.returncode == 1 and "unrecognized entity" in proc.stderr
    proc = _calamine(make_corpus.build("external_entity.xlsx", corpus), "项目")
    assert proc.returncode == 1 and "unrecognized entity" in proc.stderr and "root:" not in proc.stdout


def test_calamine_needs_the_area_check(corpus: Path) -> None:
    """Why the area is checked before calamine: given two far cells it dies (no exception to catch)."""
    proc = _calamine(make_corpus.build("far_cell.xlsx", corpus), "项目")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, "calamine coped; the area check may relax"


# ---------------------------------------------------------------- reading


def test_error_cells_read_as_shown(corpus: Path) -> None:
    path = make_corpus.build("cached_errors.xlsx", corpus)
    parts = {s.sheet: s for s in check_workbook(path).sheets}
    assert parts["项目"].has_errors and not parts["部门整体"].has_errors
    assert [text for _, _, text in error_cells(path, parts["项目"].part)] == ["#DIV/0!"]


def test_one_line_even_with_line_breaks() -> None:
    err = WorkbookError("文件\n名：损坏", "file\r\nname: corrupt")
    assert "\n" not in err.one_line() and "\r" not in err.one_line()


# ---------------------------------------------------------------- writing


def test_injected_failure_leaves_the_original_intact(tribunal: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """validate --in-place dies half way through writing: the original is byte-identical, no debris."""
    from pyxl.api import validate
    from pyxl.backends._zippkg import Package

    mine = tmp_path / "mine.xlsx"
    mine.write_bytes(tribunal.read_bytes())
    original = mine.read_bytes()

    def dying_write(self: object, filename: str | Path) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Package, "write", dying_write)
    with pytest.raises(OSError):
        validate(mine, in_place=True)
    assert mine.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["mine.xlsx"]


def test_killed_mid_write_leaves_the_original_intact(tribunal: Path, tmp_path: Path) -> None:
    """A process killed while saving (power cut, Ctrl-Break) cannot damage the file it was replacing."""
    mine = tmp_path / "mine.xlsx"
    mine.write_bytes(tribunal.read_bytes())
    original = mine.read_bytes()
    code = ("import os, signal, sys\n"
            "import pyxl.backends._zippkg as w\n"
            "real = w.Package.write\n"
            "def save(self, f):\n"
            "    real(self, f)\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
            "w.Package.write = save\n"
            "from pyxl.api import validate\n"
            "validate(sys.argv[1], in_place=True)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code, str(mine)], env=env, capture_output=True, timeout=120)
    assert proc.returncode == -9
    assert mine.read_bytes() == original


def test_in_place_keeps_the_file_mode(tribunal: Path, tmp_path: Path) -> None:
    from pyxl.api import validate

    mine = tmp_path / "mine.xlsx"
    mine.write_bytes(tribunal.read_bytes())
    mine.chmod(0o640)
    validate(mine, in_place=True)
    assert stat.S_IMODE(mine.stat().st_mode) == 0o640


def test_vba_never_goes_into_a_copy(corpus: Path, tmp_path: Path) -> None:
    from pyxl.api import validate

    src = make_corpus.build("macro_autorun.xlsm", corpus)
    assert check_workbook(src).has_vba
    with pytest.raises(UserError, match="macro-enabled"):
        validate(src, out=tmp_path / "x.xlsm")
    validate(src, out=tmp_path / "x.xlsx")
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        assert "xl/vbaProject.bin" not in z.namelist()
        assert b"vbaProject" not in z.read("xl/_rels/workbook.xml.rels")
