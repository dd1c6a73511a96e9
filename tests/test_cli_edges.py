"""The edges of the command line and the API: wrong names, wrong kinds, failures that leave nothing behind."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from pyxl import api
from pyxl.cli import main
from pyxl.core.errors import UserError
from pyxl.core.findings import report_order
from pyxl.core.loader import load_data
from pyxl.core.model import Indicator, Project

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "pyxl" / "data" / "tribunal.yaml"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return api.fill(SEED, tmp_path_factory.mktemp("book") / "法庭.xlsx")


def cli(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("错误：") and " / Error: " in lines[0], stderr
    assert "Traceback" not in stderr and "Usage:" not in stderr
    return lines[0]


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ---------------------------------------------------------------- output names


@pytest.mark.parametrize(("args", "name"), [
    (("fill", SEED, "-o"), "t.xls"),
    (("fill", SEED, "-o"), "t.csv"),
    (("template", "-o"), "t.xls"),
    (("template", "-o"), "t"),
    (("validate", "BOOK", "-o"), "out.csv"),
    (("rollup", "BOOK", "-o"), "h.csv"),
    (("import", SEED.with_name("none.txt"), "-o"), "d.toml"),
])
def test_output_suffix_refused_before_any_work(book: Path, tmp_path: Path, args: tuple, name: str) -> None:
    args = tuple(book if a == "BOOK" else a for a in args)
    code, _, err = cli(*args, tmp_path / name)
    assert code == 2
    line = one_line(err)
    assert name in line and ".xlsx" in line
    assert files_in(tmp_path) == set(), "a file was written under a refused name"


@pytest.mark.parametrize("command", ["validate", "rollup"])
def test_json_report_must_be_json(book: Path, tmp_path: Path, command: str) -> None:
    code, _, err = cli(command, book, "-o", tmp_path / "o.xlsx", "--json", tmp_path / "r.txt")
    assert code == 2 and "--json" in one_line(err) and ".json" in err
    assert files_in(tmp_path) == set()


def test_the_allowed_suffixes_are_one_table() -> None:
    from pyxl.outputs import OUTPUT_SUFFIXES, check_output

    for command, suffixes in OUTPUT_SUFFIXES.items():
        for suffix in suffixes:
            check_output(command, f"x{suffix.upper()}")  # case does not matter
        with pytest.raises(UserError):
            check_output(command, "x.xls")


def test_validate_onto_its_own_input_is_refused(book: Path, tmp_path: Path) -> None:
    copy = tmp_path / "部门.xlsx"
    copy.write_bytes(book.read_bytes())
    for out in (copy, tmp_path / "." / "部门.xlsx"):
        code, _, err = cli("validate", copy, "-o", out)
        assert code == 2 and "--in-place" in one_line(err)
    assert copy.read_bytes() == book.read_bytes()


def test_a_csv_is_called_a_csv(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("项目编码,项目名称\n144001001,工资\n", "utf-8")
    code, _, err = cli("validate", data)
    line = one_line(err)
    assert code == 2 and "CSV 文本文件" in line and "a CSV text file" in line
    assert "扩展名为 .xlsx" not in line


# ---------------------------------------------------------------- click's own errors


@pytest.mark.parametrize(("args", "zh"), [
    (("fill", SEED), "缺少选项 -o"),
    (("template", "-o", "DIR"), "文件夹"),
    (("validate", "BOOK", "--as-of", "31/10/2026"), "YYYY-MM-DD"),
    (("validate", "BOOK", "--bogus"), "没有选项 --bogus"),
    (("rollup", "-o", "h.xlsx"), "缺少参数"),
    (("rollup", "BOOK", "-o", "h.xlsx", "--jobs", "0"), "--jobs"),
    (("frobnicate",), "没有这个命令"),
])
def test_click_errors_are_one_bilingual_line(book: Path, tmp_path: Path, args: tuple, zh: str) -> None:
    args = tuple(book if a == "BOOK" else tmp_path if a == "DIR" else a for a in args)
    code, _, err = cli(*args)
    assert code == 2
    assert zh in one_line(err)


def test_help_and_version_still_exit_zero() -> None:
    code, out, _ = cli("--help")
    assert code == 0 and "validate" in out
    code, out, _ = cli("--version")
    assert code == 0 and "version" in out


# ---------------------------------------------------------------- rollup leaves nothing when it fails


def test_rollup_of_an_empty_folder_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "收件箱"
    empty.mkdir()
    code, _, err = cli("rollup", empty, "-o", tmp_path / "h.xlsx", "--json", tmp_path / "h.json", "-q")
    assert code == 2 and "nothing written" in one_line(err)
    assert files_in(tmp_path) == {"收件箱"}


# ---------------------------------------------------------------- fill keeps a code-less project's indicators


def test_fill_keeps_indicators_of_a_project_without_code(tmp_path: Path) -> None:
    dept = load_data(SEED)
    first, second = dept.projects[0], dept.projects[1]
    second.code = None
    extra = Project(name="无编码的新项目", budget="5万元", funding={"财政资金": 5}, goal="完成新项目",
                    indicators=[Indicator(level1="产出指标", level2="数量指标", name="新项目件数", value="≥3件",
                                          basis="计划标准")])
    dept.projects.insert(0, extra)  # first on the sheet: nothing above it to borrow
    report = api.validate(api.fill(dept, tmp_path / "x.xlsx"))
    read = report.department
    assert read is not None
    assert [p.name for p in read.projects] == [p.name for p in dept.projects]
    for want, got in zip(dept.projects, read.projects, strict=True):
        assert [i.name for i in got.indicators] == [i.name for i in want.indicators], want.name
    assert len(read.projects[1].indicators) == len(first.indicators)
    # no spurious category-required-missing on the project above the code-less one
    above = {f.project for f in report.findings if f.rule == "category-required-missing"}
    assert first.code not in above


# ---------------------------------------------------------------- the API


def test_report_to_dict_and_to_json(book: Path) -> None:
    report = api.validate(book)
    d = report.to_dict()
    assert isinstance(d, dict) and set(d) >= {"file", "findings", "counts"}
    text = report.to_json()
    assert isinstance(text, str) and json.loads(text) == d
    f = report.findings[0]
    assert isinstance(f.to_dict(), dict) and json.loads(f.to_json()) == f.to_dict()


def test_findings_are_in_report_order(book: Path, tmp_path: Path) -> None:
    report = api.validate(book)
    assert report.findings == sorted(report.findings, key=report_order)
    ranks = [f.severity.rank for f in report.findings]
    assert ranks == sorted(ranks) and ranks[0] == 0  # the seed has errors: they come first
    code, _, _ = cli("validate", book, "--json", tmp_path / "r.json")
    assert code == 1
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [(f["rule"], f["sheet"], f["cell"]) for f in data["findings"]] == [
        (f.rule, f.sheet, f.cell) for f in report.findings]


def test_rollup_totals_are_exact(tmp_path: Path) -> None:
    from pyxl import rollup

    dept = load_data(SEED)
    for i, amount in enumerate(("0.1", "0.2", "0.7")):  # 0.1 + 0.2 + 0.7 in floats is 0.9999999999999999
        dept.code = f"14400{i}"
        dept.name = f"法庭{i}"
        for p in dept.projects:
            p.code = f"14400{i}{p.code[-3:]}" if p.code else None
        dept.projects = dept.projects[:1]
        dept.projects[0].budget = amount
        dept.projects[0].funding = {"财政资金": amount}
        api.fill(dept, tmp_path / f"d{i}.xlsx")
    result = rollup([tmp_path])
    assert result.totals["budget"] == Decimal("1.0") and isinstance(result.totals["budget"], Decimal)
    assert result.to_dict()["totals"]["budget"] == 1.0
    assert json.loads(result.to_json())["totals"]["budget"] == 1.0


# ---------------------------------------------------------------- rollup(jobs=2) from a script under spawn

SCRIPT = """\
import multiprocessing
import sys

import pyxl

multiprocessing.set_start_method("spawn", force=True)  # the Windows and macOS default
{body}
"""
UNGUARDED = """\
s = pyxl.rollup([sys.argv[1]], jobs=2)
print("departments", s.totals["departments"], "failed", len(s.failed))
"""
GUARDED = """\
def main():
    s = pyxl.rollup([sys.argv[1]], jobs=2)
    print("departments", s.totals["departments"], "failed", len(s.failed))


if __name__ == "__main__":
    main()
"""


@pytest.fixture(scope="module")
def two_departments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("depts")
    dept = load_data(SEED)
    for i in range(2):
        dept.name, dept.code = f"法庭{i}", f"14400{i}"
        for j, p in enumerate(dept.projects):
            p.code = f"14400{i}{j:03d}"
        api.fill(dept, folder / f"d{i}.xlsx")
    return folder


@pytest.mark.parametrize(("body", "warned"), [(UNGUARDED, True), (GUARDED, False)])
def test_parallel_rollup_from_a_script_under_spawn(two_departments: Path, tmp_path: Path, body: str,
                                                    warned: bool) -> None:
    import os
    import subprocess
    import sys

    script = tmp_path / "roll.py"
    script.write_text(SCRIPT.format(body=body), "utf-8")
    proc = subprocess.run([sys.executable, str(script), str(two_departments)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "departments 2 failed 0" in proc.stdout
    assert ("if __name__" in proc.stderr) is warned, proc.stderr
