"""The 汇总 button: roll the folder named in a summary workbook up again, into that workbook.

Desktop Excel runs (macros/pyxl_rollup.bas)::

    RunPython "import pyxl.excel; pyxl.excel.rollup()"

The folder is the one in 部门汇总!E1 (defined name ``pyxl_rollup_folder``), relative to
the workbook's own folder. The rollup is the same as ``pyxl rollup`` (every file read
and validated, none modified, this workbook itself skipped); the summary is written
as a file first and then copied into the open workbook through the xlwings backend,
one clear and one bulk write per sheet: values, and the few formulas pyxl itself
builds (totals). Text from the inputs stays text. Excel tables are resized where the
engine offers them (desktop xlwings); the charts read a hidden data sheet, so they
follow the new values.

What a refresh does not redo is cell formatting: number formats of rows the sheet did
not have before, and the yellow/grey marks of interpolated months on 支出进度 (the
说明 column says the same in words). Run ``pyxl rollup … -o 汇总.xlsx`` for a fully
formatted rebuild.

xlwings Lite cannot run it: the browser has neither the folder nor python-calamine.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..backends.base import Formula
from ..backends.xlwings_backend import XlwingsBackend
from ..consolidate import Rollup
from ..consolidate import rollup as run_rollup
from ..consolidate.summary_writer import DEPARTMENTS_SHEET, FOLDER_CELL
from ..core.config import Config
from ..core.errors import UserError

__all__ = ["fill_in_place", "rollup"]

MESSAGE_CELL = (2, 1)  # 部门汇总!A2: the summary's note line; a failure is reported there


def _caller(book: Any) -> Any:
    if book is not None:
        return book
    import xlwings as xw  # only a live Excel session needs it

    return xw.Book.caller()


def _folders(backend: XlwingsBackend, base: Path) -> list[Path]:
    names = backend.sheet_names()
    grid = backend.read_values(DEPARTMENTS_SHEET) if DEPARTMENTS_SHEET in names else []
    row, col = FOLDER_CELL
    text = grid[row][col] if len(grid) > row and len(grid[row]) > col else None
    parts = [p.strip() for p in re.split(r"[；;]", text) if p.strip()] if isinstance(text, str) else []
    if not parts:
        raise UserError(
            f"“{DEPARTMENTS_SHEET}”表 E1 单元格应填写要汇总的文件夹（相对于本工作簿所在文件夹）",
            f"cell {DEPARTMENTS_SHEET}!E1 must name the folder to roll up (relative to this workbook's folder)",
        )
    return [base / p for p in parts]


def rollup(
    book: Any = None,
    *,
    jobs: int = 1,
    as_of: dt.date | None = None,
    config: Config | None = None,
    base: str | Path | None = None,
) -> Rollup:
    """汇总 into the summary workbook (default: the one whose button called). ``base`` is the folder
    the folder cell is relative to (default: the workbook's own folder)."""
    if sys.platform == "emscripten":
        raise UserError("xlwings Lite 在浏览器中运行，无法读取本机文件夹：请在桌面版 Excel 中点击“汇总”，"
                        "或运行 pyxl rollup",
                        "xlwings Lite runs in the browser and cannot read a local folder: use desktop Excel "
                        "or `pyxl rollup`")
    book = _caller(book)
    backend = XlwingsBackend(book)
    try:
        here = Path(base) if base is not None else Path(book.fullname).resolve().parent
        folders = _folders(backend, here)
        own = [here / book.name, Path(book.fullname)]
        result = run_rollup(folders, root=here, exclude=own, jobs=jobs, as_of=as_of, config=config)
        with tempfile.TemporaryDirectory(prefix="pyxl-rollup-") as tmp:
            fresh = Path(tmp) / "汇总.xlsx"
            # a table too long for a sheet goes to Parquet beside the open workbook, as with the CLI
            result.write(fresh, spill_beside=here / f"{Path(book.name).stem}.xlsx")
            fill_in_place(backend, fresh)
    except UserError as exc:
        try:
            backend.write_block(DEPARTMENTS_SHEET, MESSAGE_CELL, [[f"汇总未完成：{exc.zh}"]])
        except Exception:  # protected or gone: the error itself still reaches the user
            pass
        raise
    return result


def fill_in_place(backend: XlwingsBackend, fresh: Path) -> None:
    """Copy every sheet of the summary file ``fresh`` into the live workbook (values and pyxl's formulas)."""
    import openpyxl

    wb = openpyxl.load_workbook(fresh)  # formulas as pyxl wrote them
    live = backend.sheet_names()
    for ws in wb.worksheets:
        cells = ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column)
        grid = [[Formula(c.value) if c.data_type == "f" else c.value for c in row] for row in cells]
        name = ws.title
        if name in live:
            old = backend.read_values(name)
            width = max((len(r) for r in old), default=0)
            if old and width:
                backend.clear_block(name, (1, 1), (len(old), width))
        else:
            backend.ensure_sheet(name)
        if grid:
            backend.write_block(name, (1, 1), grid)
        for table in ws.tables.values():
            _resize_table(backend.book, name, table.name, table.ref)


def _resize_table(book: Any, sheet: str, name: str, ref: str) -> None:
    """Resize an Excel table to its new extent, where the engine can (xlwings desktop)."""
    try:
        sh = book.sheets[sheet]
        sh.tables[name].resize(sh.range(ref))
    except Exception:  # no tables API (xlwings Lite / remote) or no such table: values are in place anyway
        pass
