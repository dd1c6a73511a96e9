"""The two values readers (python-calamine and openpyxl) give identical grids and merged ranges,
and validate gives identical reports through either: the browser page has no python-calamine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from pyxl.api import fill, validate
from pyxl.backends.readers import available_reader, normalize_grid, open_reader
from pyxl.core.generate import generate_department
from pyxl.core.loader import load_data

ROOT = Path(__file__).resolve().parents[1]


def _odd_types(path: Path) -> Path:
    """Dates, times, booleans, integers, an uncached formula, a merge and cells far from A1."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "杂项"
    ws["A1"] = dt.datetime(2026, 3, 1)
    ws["B1"] = dt.datetime(2026, 3, 1, 12, 30)
    ws["C1"] = True
    ws["D1"] = 3
    ws["E1"] = 2.5
    ws["F1"] = dt.time(10, 0)
    ws["G1"] = ""
    ws["H1"] = -7
    ws["J1"] = "=1/0"  # never calculated: no cached value, read as empty by both
    ws["C5"] = "文本"
    ws.merge_cells("B7:D9")
    ws["B7"] = "合并"
    wb.create_sheet("空表")
    other = wb.create_sheet("远处")
    other["K40"] = 1
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("readers")
    seed = load_data(ROOT / "pyxl" / "data" / "tribunal.yaml")
    paths = [
        fill(seed, tmp / "seed.xlsx"),
        fill(seed, tmp / "seed-form.xlsx", form=True),
        fill(generate_department(6, 5, seed=4), tmp / "gen.xlsx"),
        fill(load_data(ROOT / "tests" / "data" / "tribunal_monitoring.yaml"), tmp / "monitoring.xlsx"),
        _odd_types(tmp / "types.xlsx"),
    ]
    validate(paths[0], out=tmp / "seed-checked.xlsx")  # marks, notes and a 校验结果 block
    paths.append(tmp / "seed-checked.xlsx")
    paths += sorted((ROOT / "workbook").rglob("*.xlsx"))  # shipped ones: charts, tables, several departments
    return paths


def test_both_readers_give_the_same_grids(books: list[Path]) -> None:
    compared = 0
    for path in books:
        cal, opx = open_reader(path, "calamine"), open_reader(path, "openpyxl")
        assert cal.sheet_names() == opx.sheet_names(), path.name
        for sheet in cal.sheet_names():
            assert opx.grid(sheet) == cal.grid(sheet), f"{path.name}!{sheet}"
            assert sorted(opx.merged(sheet)) == sorted(cal.merged(sheet)), f"{path.name}!{sheet}"
            compared += 1
    assert compared > 20


def test_types_follow_calamine(books: list[Path]) -> None:
    types = next(p for p in books if p.name == "types.xlsx")
    grid = open_reader(types, "openpyxl").grid("杂项")
    assert grid[0][:4] == [dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 12, 30), True, 3.0]
    assert isinstance(grid[0][3], float) and grid[0][7] == -7.0
    assert len(grid) == 7 and len(grid[0]) == 8  # the uncached formula in J1 adds no column
    assert grid[4][2] == "文本" and grid[1] == [""] * 8
    assert open_reader(types, "openpyxl").grid("空表") == []


def test_normalize_grid_pads_and_trims() -> None:
    assert normalize_grid([(None, 1), ("a", None, None, None), (None,)]) == [["", 1.0], ["a", ""]]
    assert normalize_grid([(None, None)]) == []


def test_reader_is_chosen_at_run_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_calamine(name, *args, **kwargs):  # what Pyodide looks like
        if name == "python_calamine":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delenv("PYXL_READER", raising=False)
    assert available_reader() == "calamine"
    monkeypatch.setattr(builtins, "__import__", no_calamine)
    assert available_reader() == "openpyxl"
    monkeypatch.setattr(builtins, "__import__", real_import)
    monkeypatch.setenv("PYXL_READER", "openpyxl")
    assert available_reader() == "openpyxl"


def test_validate_is_the_same_through_either_reader(books: list[Path], monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    for path in books[:4]:
        reports = {}
        for reader in ("calamine", "openpyxl"):
            monkeypatch.setenv("PYXL_READER", reader)
            reports[reader] = validate(path, out=tmp_path / f"{reader}-{path.name}", as_of=dt.date(2026, 10, 31))
        assert reports["openpyxl"].to_json() == reports["calamine"].to_json(), path.name
        assert reports["calamine"].findings, path.name
