"""Writing the department workbook pyxl makes (``template``, ``fill``): .xlsx or .xlsm.

Both carry xlwings Lite's scripts (macros/xlwings_lite) in the workbook; an .xlsm also
carries pyxl's VBA project and the 校验 / 清除标记 buttons. An .xlsx stays macro-free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from .lite import add_lite_parts
from .macro_workbook import DEPARTMENT_BUTTONS, Button, is_macro_path, make_macro_enabled

__all__ = ["save_department_workbook"]


def _form_buttons(wb: Any) -> dict[str, tuple[Button, ...]]:
    """The official form has no 说明 sheet: its buttons go right of the first sheet's used area."""
    from openpyxl.utils import get_column_letter

    present = {k: v for k, v in DEPARTMENT_BUTTONS.items() if k in wb.sheetnames}
    if present:
        return present
    ws = wb.worksheets[0]
    col = get_column_letter(ws.max_column + 2)
    return {ws.title: (Button(f"{col}2", "PyxlValidate", "校验"), Button(f"{col}4", "PyxlClear", "清除标记"))}


def save_department_workbook(wb: Any, path: str | Path) -> None:
    """Save the openpyxl workbook ``wb`` atomically, with the Lite scripts, and for .xlsm the macros."""
    if is_macro_path(path):
        make_macro_enabled(wb, buttons=_form_buttons(wb))

    def write(tmp: Path) -> None:
        wb.save(tmp)
        add_lite_parts(tmp)

    write_atomic(path, write)
