"""Fuzzing with hypothesis: the data-file loader and the workbook readers.

The promise under test: whatever the bytes, pyxl ends with a report or a UserError
(one line, exit 2), never another exception. A crash found here becomes a corpus
case (tests/corpus/manifest.toml). The grammar has its own fuzz tests in
test_grammar.py. Example counts stay modest: every workbook example is a full
validate.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

import make_corpus  # noqa: E402

from pyxl.core.errors import DataFileError, UserError  # noqa: E402
from pyxl.core.loader import load_data_text  # noqa: E402

SEED_TEXT = (ROOT / "pyxl" / "data" / "tribunal.yaml").read_text("utf-8")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])


# ---------------------------------------------------------------- the data-file loader


@FUZZ
@given(st.text(max_size=400))
def test_loader_any_text(text: str) -> None:
    for json_syntax in (False, True):
        try:
            load_data_text(text, json_syntax=json_syntax)
        except DataFileError as exc:
            assert "\n" not in exc.one_line()


@FUZZ
@given(st.data())
def test_loader_mutated_seed(data: st.DataObject) -> None:
    """The seed with a slice replaced by junk: still only a Department or a DataFileError."""
    start = data.draw(st.integers(0, len(SEED_TEXT)))
    end = data.draw(st.integers(start, min(len(SEED_TEXT), start + 40)))
    junk = data.draw(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"%@`#,? \n\t：（）0123456789abc")),
                             max_size=12))
    try:
        load_data_text(SEED_TEXT[:start] + junk + SEED_TEXT[end:])
    except DataFileError:
        pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(st.fixed_dictionaries({"schema": st.sampled_from(["pyxl/v1", "pyxl/v2", 1])},
                             optional={"department": json_values, "projects": json_values}))
def test_loader_any_structure(doc: dict) -> None:
    try:
        load_data_text(json.dumps(doc, ensure_ascii=False, allow_nan=True), json_syntax=True)
    except DataFileError:
        pass


def test_loader_yaml_bombs() -> None:
    """YAML aliases (billion laughs) and Python tags: refused or bounded, never expanded or run."""
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
    with pytest.raises(DataFileError):
        load_data_text(laughs)
    with pytest.raises(DataFileError):
        load_data_text("!!python/object/apply:os.system ['echo pwned']\n")


# ---------------------------------------------------------------- the readers


_TRIBUNAL: list[bytes] = []
# PYXL_FUZZ_EXAMPLES=500 for a longer hunt; the suite keeps it small
READERS = settings(FUZZ, max_examples=int(os.environ.get("PYXL_FUZZ_EXAMPLES", "30")))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where examples write; the seed workbook is kept out of hypothesis' reports (it is 170 KB)."""
    path = tmp_path_factory.mktemp("fuzz")
    if not _TRIBUNAL:
        _TRIBUNAL.append(make_corpus.base_workbook(path).read_bytes())
    return path


def example_dir(workdir: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=workdir))


def validate_ends_cleanly(path: Path, out: Path) -> None:
    """validate -o on the file: a report or a UserError; an output, if any, is a readable workbook."""
    from pyxl.api import validate
    from pyxl.backends.safety import check_workbook

    try:
        validate(path, out=out)
    except UserError as exc:
        assert "\n" not in exc.one_line()
        assert not out.exists()
        return
    check_workbook(out)  # what pyxl wrote passes pyxl's own input checks


@READERS
@given(st.data())
def test_readers_mutated_bytes(workdir: Path, data: st.DataObject) -> None:
    """Raw bytes flipped, cut or inserted anywhere in the file."""
    tmp_path = example_dir(workdir)
    raw = bytearray(_TRIBUNAL[0])
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(raw) - 1))
        how = data.draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
        if how == "flip":
            raw[at] ^= data.draw(st.integers(1, 255))
        elif how == "cut":
            del raw[at : at + data.draw(st.integers(1, 4096))]
        elif how == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=64))
        else:
            raw[at : at + 16] = bytes(16)
    path = tmp_path / "mutated.xlsx"
    path.write_bytes(bytes(raw))
    validate_ends_cleanly(path, tmp_path / "out.xlsx")


_XML_JUNK = st.sampled_from([
    "", "<", ">", "&", "&amp;", "&#0;", "&#xFFFF;", '"', "</c>", "<c>", '<c r="ZZZ9999999">', '<c r="A0">',
    '<c r="XFD1048576"><v>1</v></c>', '<v>1e999999</v>', '<v>NaN</v>', 't="e"', 't="s"', 't="b"', 't="d"',
    "<v>-1</v>", "<v>99999999999</v>", "<is><t>", "</t></is>", "<f>1/0</f>", "<row>", '<row r="0">', "</row>",
    '<mergeCell ref="A1:XFD1048576"/>', '<mergeCell ref="B2:A1"/>', "<sheetData/>", "\x00", "\ud7ff", "=1+1",
])


@READERS
@given(st.data())
def test_readers_mutated_xml(workdir: Path, data: st.DataObject) -> None:
    """The parts' XML edited before re-zipping: reaches the parsers, not just the zip checks."""
    tmp_path = example_dir(workdir)
    with zipfile.ZipFile(io.BytesIO(_TRIBUNAL[0])) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml_parts = sorted(n for n in parts if n.endswith((".xml", ".rels")))
    for _ in range(data.draw(st.integers(1, 4))):
        name = data.draw(st.sampled_from(xml_parts))
        text = parts[name].decode("utf-8")
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 24))
        text = text[:at] + data.draw(_XML_JUNK) + text[at + cut :]
        parts[name] = text.encode("utf-8", "surrogatepass")
    path = tmp_path / "edited.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    validate_ends_cleanly(path, tmp_path / "out.xlsx")
