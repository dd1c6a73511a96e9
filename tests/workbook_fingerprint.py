"""Everything a user could see or have typed in a workbook, as comparable data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl


def fingerprint(path: Path, *, include_hidden: bool = True) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames, "names": sorted(wb.defined_names), "parts": _kept_parts(path)}
    for ws in wb.worksheets:
        if not include_hidden and ws.sheet_state != "visible":
            continue
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and c.comment is None and not c.has_style:
                    continue
                cells[c.coordinate] = (
                    c.value,
                    c.data_type,
                    c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None,
                    c.font.color.rgb if c.font and c.font.color else None,
                    c.number_format,
                    (c.comment.text, c.comment.author) if c.comment else None,
                )
        out[ws.title] = {
            "cells": cells,
            "cf": sorted((str(cf.sqref), tuple(r.formula), r.dxf.fill.fgColor.rgb if r.dxf and r.dxf.fill else None)
                         for cf in ws.conditional_formatting for r in cf.rules),
            "dv": sorted((dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation),
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "state": ws.sheet_state,
        }
    return out


def _kept_parts(path: Path) -> dict[str, str]:
    """Digests of the parts pyxl carries without modelling them: VBA project, buttons, xlwings Lite."""
    import hashlib
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()
                if n == "xl/vbaProject.bin" or n.startswith(("xl/webextensions/", "xl/drawings/vmlDrawing"))}


def values(path: Path, sheets: list[str]) -> dict[str, dict[str, Any]]:
    wb = openpyxl.load_workbook(path)
    return {s: {c.coordinate: c.value for row in wb[s].iter_rows() for c in row if c.value is not None} for s in sheets}
