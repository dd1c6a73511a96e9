"""Test helpers for the official form: write hand-made sheets, reshape written ones, read them back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from pyxl.backends.openpyxl_backend import OpenpyxlBackend
from pyxl.core.model import Department
from pyxl.layouts import form_reader
from pyxl.layouts.template_writer import put

__all__ = ["read_form", "reshape", "write_sheets"]


def write_sheets(path: Path, sheets: dict[str, tuple[Sequence[Sequence[Any]], Iterable[str]]]) -> Path:
    """A workbook from literal grids: {sheet: (rows of values, merged ranges like "A5:A9")}.
    None and "" are empty cells. This is how the hand-made variants below are drawn."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (rows, merges) in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v not in (None, ""):
                    put(ws.cell(row=r, column=c), v)
        for m in merges:
            ws.merge_cells(m)
    wb.save(path)
    return path


def read_form(path: Path) -> Department:
    backend = OpenpyxlBackend(path)
    names = backend.sheet_names()
    assert form_reader.detect(names, backend.read_values), f"{path.name} not detected as a form"
    return form_reader.read(names, backend.read_values)


def reshape(
    src: Path,
    dst: Path,
    *,
    insert_before: Sequence[int] = (),
    shift: tuple[int, int] = (0, 0),
    merge_labels_down: bool = False,
    sheets: Sequence[str] | None = None,
) -> Path:
    """Copy ``src`` to ``dst`` as a department would have edited it: blank rows inserted before
    the given (1-based, original) rows, everything moved by ``shift`` (rows, cols), and, with
    ``merge_labels_down``, each label cell that got a blank row right below it merged over that
    row. Merges spanning an insertion grow, as in Excel."""
    wb = openpyxl.load_workbook(src)
    out = openpyxl.Workbook()
    out.remove(out.active)
    inserted = sorted(insert_before)
    dr, dc = shift
    for ws in wb.worksheets:
        new = out.create_sheet(ws.title)
        if sheets is not None and ws.title not in sheets:
            moved_rows, move_dr, move_dc = (lambda r: r), 0, 0
        else:
            moved_rows, move_dr, move_dc = (lambda r: r + sum(1 for k in inserted if k <= r)), dr, dc

        def at(r: int, c: int, f=moved_rows, a=move_dr, b=move_dc) -> tuple[int, int]:
            return f(r) + a, c + b

        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or type(cell).__name__ == "MergedCell":
                    continue
                r, c = at(cell.row, cell.column)
                target = new.cell(row=r, column=c)
                put(target, cell.value)
                target.number_format = cell.number_format
        merged = []
        for m in ws.merged_cells.ranges:
            r0, c0 = at(m.min_row, m.min_col)
            r1, c1 = at(m.max_row, m.max_col)
            merged.append((r0, c0, r1, c1))
        taken = {(r, c) for r0, c0, r1, c1 in merged for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if merge_labels_down and (sheets is None or ws.title in sheets):
            from pyxl.layouts.form_spec import label_kind

            for row in ws.iter_rows():
                for cell in row:
                    if type(cell).__name__ == "MergedCell" or label_kind(cell.value) is None:
                        continue
                    r, c = at(cell.row, cell.column)
                    below = at(cell.row + 1, cell.column)[0]
                    if below - r == 2 and (r + 1, c) not in taken and (r, c) not in taken:
                        merged.append((r, c, r + 1, c))
        for r0, c0, r1, c1 in merged:
            if (r0, c0) != (r1, c1):
                new.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    out.save(dst)
    return dst
