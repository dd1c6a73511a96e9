"""Make a workbook macro-enabled (.xlsm): pyxl's own VBA project, form buttons bound to its macros.

The department workbook is built with openpyxl. openpyxl writes a VBA project and
legacy (VML) drawings it finds in ``wb.vba_archive`` — the mechanism it uses to keep an
.xlsm's macros when it rewrites one — so that archive is filled here with:

- ``xl/vbaProject.bin``, built from ``macros/*.bas`` by ``vba_project`` with one document
  module per sheet, matching the code names set on the workbook (ThisWorkbook, Sheet1…);
- one VML drawing per sheet that has buttons. The buttons are XlsxWriter's
  (``insert_button``: Excel's own form-button markup, tested by XlsxWriter against files
  Excel made), drawn in a scratch workbook with the same sheet names and column widths so
  that they land at the same cells. Their shape-id blocks are moved to 51, 52, … so that they
  never share a block with the notes' drawings (openpyxl numbers those from 1).

The summary workbook is written with XlsxWriter directly: ``add_to_xlsxwriter`` does the
same there with XlsxWriter's own ``add_vba_project`` / ``set_vba_name`` / ``insert_button``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .vba_project import MACROS_DIR, WORKBOOK_CODE_NAME, build_vba_project, sheet_code_names

__all__ = [
    "DEPARTMENT_BUTTONS",
    "DEPARTMENT_MODULES",
    "SUMMARY_BUTTONS",
    "SUMMARY_MODULES",
    "Button",
    "add_to_xlsxwriter",
    "is_macro_path",
    "make_macro_enabled",
]

MACRO_SUFFIXES = (".xlsm",)
VML_BLOCK_BASE = 50  # the buttons' VML shape-id blocks start above this


@dataclass(frozen=True)
class Button:
    cell: str
    macro: str
    caption: str
    width: int = 96  # pixels
    height: int = 30


def _department_buttons() -> dict[str, tuple[Button, ...]]:
    from ..layouts.template_spec import INSTRUCTIONS_SHEET, RESULTS_SHEET

    return {
        INSTRUCTIONS_SHEET: (Button("B2", "PyxlValidate", "校验"), Button("B4", "PyxlClear", "清除标记")),
        RESULTS_SHEET: (Button("J2", "PyxlValidate", "校验"), Button("J4", "PyxlClear", "清除标记")),
    }


DEPARTMENT_MODULES = ("pyxl.bas",)
DEPARTMENT_BUTTONS = _department_buttons()
SUMMARY_MODULES = ("pyxl_rollup.bas",)
SUMMARY_BUTTONS = {"部门汇总": (Button("G1", "PyxlRollup", "汇总", width=80, height=20),)}


def is_macro_path(path: str | Path) -> bool:
    return Path(path).suffix.lower() in MACRO_SUFFIXES


def _options(b: Button) -> dict[str, Any]:
    return {"macro": b.macro, "caption": b.caption, "width": b.width, "height": b.height}


def _renumber(vml: str, block: int) -> str:
    """Move a VML drawing from its shape-id block to ``block`` (ids 1024·block + n)."""
    old = int(re.search(r'<o:idmap v:ext="edit" data="(\d+)"/>', vml).group(1))  # type: ignore[union-attr]
    vml = vml.replace(f'<o:idmap v:ext="edit" data="{old}"/>', f'<o:idmap v:ext="edit" data="{block}"/>', 1)
    return re.sub(r'id="_x0000_s(\d+)"', lambda m: f'id="_x0000_s{int(m.group(1)) - 1024 * old + 1024 * block}"', vml)


def button_drawings(wb: Any, buttons: Mapping[str, Sequence[Button]]) -> dict[str, bytes]:
    """Sheet title → VML drawing with its buttons, drawn by XlsxWriter for ``wb``'s column widths."""
    import xlsxwriter
    from openpyxl.utils import column_index_from_string

    buf = io.BytesIO()
    scratch = xlsxwriter.Workbook(buf, {"in_memory": True})
    with_buttons = [ws for ws in wb.worksheets if ws.title in buttons]
    for ws in with_buttons:
        sheet = scratch.add_worksheet(ws.title)
        for letter, dim in ws.column_dimensions.items():
            if dim.width:
                col = column_index_from_string(letter) - 1
                sheet.set_column(col, col, dim.width)
        for b in buttons[ws.title]:
            sheet.insert_button(b.cell, _options(b))
    scratch.close()
    out = {}
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        # XlsxWriter numbers the drawings in sheet order
        for i, ws in enumerate(with_buttons, start=1):
            vml = z.read(f"xl/drawings/vmlDrawing{i}.vml").decode("utf-8")
            out[ws.title] = _renumber(vml, VML_BLOCK_BASE + i).encode("utf-8")
    return out


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
)


def make_macro_enabled(
    wb: Any,
    modules: Sequence[str] = DEPARTMENT_MODULES,
    buttons: Mapping[str, Sequence[Button]] | None = None,
    *,
    macros_dir: Path = MACROS_DIR,
) -> None:
    """Give the openpyxl workbook ``wb`` pyxl's VBA project and buttons; save it as .xlsm."""
    buttons = DEPARTMENT_BUTTONS if buttons is None else buttons
    wb.code_name = WORKBOOK_CODE_NAME
    names = sheet_code_names(len(wb.worksheets))
    for ws, code in zip(wb.worksheets, names, strict=True):
        ws.sheet_properties.codeName = code
    project = build_vba_project([macros_dir / m for m in modules], names)
    archive = zipfile.ZipFile(io.BytesIO(), "a", zipfile.ZIP_DEFLATED)
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    archive.writestr("_rels/.rels", _ROOT_RELS)
    archive.writestr("xl/vbaProject.bin", project)
    drawings = button_drawings(wb, buttons)
    if len(drawings) > 9:  # openpyxl carries vmlDrawing1.vml … vmlDrawing9.vml only
        raise ValueError("at most 9 sheets with buttons")
    for i, (title, vml) in enumerate(drawings.items(), start=1):
        path = f"xl/drawings/vmlDrawing{i}.vml"
        archive.writestr(path, vml)
        wb[title].legacy_drawing = path
    wb.vba_archive = archive


def add_to_xlsxwriter(
    wb: Any,
    sheets: Sequence[Any],
    modules: Sequence[str] = SUMMARY_MODULES,
    buttons: Mapping[str, Sequence[Button]] | None = None,
    *,
    macros_dir: Path = MACROS_DIR,
) -> None:
    """The same for an XlsxWriter workbook (before ``close``): ``sheets`` are all its worksheets, in order."""
    buttons = SUMMARY_BUTTONS if buttons is None else buttons
    names = sheet_code_names(len(sheets))
    wb.set_vba_name(WORKBOOK_CODE_NAME)
    for ws, code in zip(sheets, names, strict=True):
        ws.set_vba_name(code)
        for b in buttons.get(ws.name, ()):
            ws.insert_button(b.cell, _options(b))
    project = build_vba_project([macros_dir / m for m in modules], names)
    wb.add_vba_project(io.BytesIO(project), is_stream=True)
