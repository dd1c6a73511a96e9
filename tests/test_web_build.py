"""The page's pieces on CPython, no browser: the glue the worker calls, the wheels, the runtime fetch."""

from __future__ import annotations

import datetime as dt
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from pyxl.api import fill
from pyxl.api import validate as api_validate
from pyxl.core.errors import UserError
from pyxl.core.generate import generate_department
from pyxl.core.loader import load_data
from pyxl.web import glue

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill(load_data(ROOT / "pyxl" / "data" / "tribunal.yaml"), tmp_path_factory.mktemp("glue") / "法庭.xlsx")


def test_glue_validate_is_the_cli(seed_book: Path, tmp_path: Path) -> None:
    from workbook_fingerprint import fingerprint

    answer, data = glue.validate(seed_book.read_bytes(), seed_book.name, "2026-10-31")
    answer = json.loads(answer)
    cli = api_validate(seed_book, out=tmp_path / "cli.xlsx", as_of=dt.date(2026, 10, 31))
    assert answer["ok"] and answer["name"] == "法庭-校验.xlsx"
    assert answer["report"] == cli.to_dict()
    assert data is not None
    (tmp_path / "glue.xlsx").write_bytes(data)
    assert fingerprint(tmp_path / "glue.xlsx") == fingerprint(tmp_path / "cli.xlsx")


@pytest.mark.parametrize(("name", "data", "words"), [
    ("数据.csv", b"a,b\n", "不支持 .csv"),
    ("名单.xlsx", "姓名,金额\n".encode(), "不是 Excel 工作簿"),
    ("旧版.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".xls"),
    ("空.xlsx", b"", "空"),
])
def test_glue_explains_unusable_files(name: str, data: bytes, words: str) -> None:
    answer, out = glue.validate(data, name)
    answer = json.loads(answer)
    assert out is None and not answer["ok"] and answer["rule"] == "file-unreadable"
    assert words in answer["message"], answer


def test_glue_refuses_a_bad_date(seed_book: Path) -> None:
    answer = json.loads(glue.validate(seed_book.read_bytes(), seed_book.name, "31/10/2026")[0])
    assert not answer["ok"] and "YYYY-MM-DD" in answer["message"]


def test_glue_rollup_is_the_cli(seed_book: Path, tmp_path: Path) -> None:
    from pyxl.consolidate import rollup

    dept = fill(generate_department(3, 4, seed=9), tmp_path / "单位.xlsx")
    bad = ("坏.xlsx", b"PK\x03\x04 not really")
    events: list[tuple[int, int, str]] = []
    answer, data = glue.rollup([(seed_book.name, seed_book.read_bytes()), (dept.name, dept.read_bytes()), bad],
                               "2026-10-31", progress=lambda *e: events.append(e))
    answer = json.loads(answer)
    # one event as each file is started (in the order rollup reads them), one when all are read
    assert [e[:2] for e in events] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert sorted(e[2] for e in events[:3]) == sorted([seed_book.name, dept.name, bad[0]]) and events[3][2] == ""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for p in (seed_book, dept):
        (inbox / p.name).write_bytes(p.read_bytes())
    (inbox / bad[0]).write_bytes(bad[1])
    cli = rollup([inbox], as_of=dt.date(2026, 10, 31), root=inbox)
    assert answer["ok"] and data is not None and data[:2] == b"PK"
    assert answer["summary"] == json.loads(cli.to_json())
    assert [f["file"] for f in answer["summary"]["files"]["failed"]] == ["坏.xlsx"]


def test_glue_rollup_progress_is_quiet_outside_a_rollup(seed_book: Path, tmp_path: Path) -> None:
    events: list[tuple[int, int, str]] = []
    glue.rollup([(seed_book.name, seed_book.read_bytes())], progress=lambda *e: events.append(e))
    # only the rollup given a callback reports, and only while it runs
    (tmp_path / seed_book.name).write_bytes(seed_book.read_bytes())
    api_validate(tmp_path / seed_book.name)
    glue.rollup([(seed_book.name, seed_book.read_bytes())])
    assert events == [(0, 1, seed_book.name), (1, 1, "")]


WARM = """
import sys
from pyxl.web import glue
glue.warm_up()
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in {"openpyxl", "xlsxwriter"}
                      or m in {"pyxl.rules.targets", "pyxl.backends.package_writer", "pyxl.api"})))
"""


def test_warm_up_imports_what_validate_runs_and_not_openpyxl() -> None:
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", WARM], capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.split() == ["pyxl.api", "pyxl.backends.package_writer", "pyxl.rules.targets"]


def test_glue_rollup_of_nothing_usable() -> None:
    answer = json.loads(glue.rollup([("a.xlsx", b"junk")])[0])
    assert not answer["ok"] and "没有可汇总的文件" in answer["message"]


def test_checked_name() -> None:
    assert glue.checked_name("部门.xlsm") == "部门-校验.xlsx"
    assert glue.checked_name("../../etc/passwd.xlsx") == "passwd-校验.xlsx"


def test_wheels_are_pure_and_complete(tmp_path: Path) -> None:
    from pyxl.web.wheels import dist_wheel, pyxl_wheel

    for wheel in (dist_wheel("openpyxl", tmp_path), pyxl_wheel(tmp_path)):
        with zipfile.ZipFile(wheel) as zf:
            names = zf.namelist()
            assert zf.testzip() is None
            record = next(n for n in names if n.endswith(".dist-info/RECORD"))
            listed = {line.split(",")[0] for line in zf.read(record).decode().splitlines()}
            assert listed == set(names)
            assert not [n for n in names if n.endswith((".pyc", ".so")) or "__pycache__" in n]
            assert "Root-Is-Purelib: true" in zf.read(record.replace("RECORD", "WHEEL")).decode()
    with zipfile.ZipFile(pyxl_wheel(tmp_path)) as zf:
        assert {"pyxl/web/glue.py", "pyxl/rules.toml", "pyxl/data/tribunal.yaml"} <= set(zf.namelist())
    with pytest.raises(UserError, match="compiled"):
        dist_wheel("rapidfuzz", tmp_path)  # compiled code cannot go into the page


def test_runtime_refuses_a_tarball_that_does_not_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pyxl.web import runtime

    def fake_pack(rt: runtime.Runtime, into: Path) -> Path:
        buf = io.BytesIO(b"console.log('not pyodide')")
        target = into / rt.tarball_name
        with tarfile.open(target, "w:gz") as tar:
            info = tarfile.TarInfo("package/pyodide.mjs")
            info.size = len(buf.getvalue())
            tar.addfile(info, buf)
        return target

    monkeypatch.setattr(runtime, "_npm_pack", fake_pack)
    with pytest.raises(UserError, match="integrity"):
        runtime.fetch_runtime(runtime.runtime_spec(), cache=tmp_path)
    assert not list((tmp_path / "pyodide").glob("*.tgz"))  # nothing kept


def test_build_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    from pyxl.web.builder import build_site

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "论文.docx").write_bytes(b"x")
    with pytest.raises(UserError, match="pyxl"):
        build_site(tmp_path / "mine")
    assert (tmp_path / "mine" / "论文.docx").exists()


HIDDEN = """
import json, sys
for name in ("python_calamine", "rapidfuzz", "pandas", "pyarrow", "yaml", "jsonschema", "click", "rich"):
    sys.modules[name] = None  # what the page's Python looks like: importing any of them fails
from pyxl.web import glue
data = open(sys.argv[1], "rb").read()
answer, book = glue.validate(data, "法庭.xlsx", "2026-10-31")
summary = json.loads(glue.rollup([("法庭.xlsx", data)], "2026-10-31")[0])
open(sys.argv[2], "wb").write(book)
print(json.dumps([json.loads(answer), summary], ensure_ascii=False))
"""


def test_the_page_needs_none_of_the_native_or_heavy_packages(seed_book: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from workbook_fingerprint import fingerprint

    run = subprocess.run([sys.executable, "-c", HIDDEN, str(seed_book), str(tmp_path / "hidden.xlsx")],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    answer, summary = json.loads(run.stdout)
    expected = json.loads(glue.validate(seed_book.read_bytes(), "法庭.xlsx", "2026-10-31")[0])
    assert answer == expected and answer["ok"]
    assert summary["ok"] and summary == json.loads(glue.rollup([("法庭.xlsx", seed_book.read_bytes())], "2026-10-31")[0])
    api_validate(seed_book, out=tmp_path / "cli.xlsx", as_of=dt.date(2026, 10, 31))
    assert fingerprint(tmp_path / "hidden.xlsx") == fingerprint(tmp_path / "cli.xlsx")


def test_server_is_local_and_types_right(tmp_path: Path) -> None:
    import urllib.request

    from pyxl.web.serve import SiteServer

    (tmp_path / "a.wasm").write_bytes(b"\0asm")
    (tmp_path / "b.mjs").write_text("export {}", encoding="utf-8")
    with SiteServer(tmp_path) as server:
        assert server.httpd.server_address[0] == "127.0.0.1"
        for name, kind in (("a.wasm", "application/wasm"), ("b.mjs", "text/javascript")):
            with urllib.request.urlopen(server.url + name) as resp:
                assert resp.headers["Content-Type"].startswith(kind)
                resp.read()
        with pytest.raises(UserError, match="--port"):
            SiteServer(tmp_path, server.httpd.server_address[1])
