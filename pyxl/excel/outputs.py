"""Writing the department workbook pyxl makes (``template``, ``fill``): .xlsx or .xlsm.

Both carry xlwings Lite's scripts (macros/xlwings_lite) in the workbook; an .xlsm also
carries pyxl's VBA project and the 校验 / 清除标记 buttons. An .xlsx stays macro-free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.atomic import write_atomic
from .lite import add_lite_parts
from .macro_workbook import DEPARTMENT_BUTTONS, Button, is_macro_path, make_macro_enabled

__all__ = ["save_department_workbook"]


def _buttons(wb: Any) -> dict[str, tuple[Button, ...]]:
    """The sheets that get buttons. The official form has neither 说明 nor 校验结果: it gets the
    校验结果 sheet validate would add, with the buttons on it. Buttons never share a sheet with
    notes, whose drawing the openpyxl writer rewrites."""
    from ..layouts.template_spec import RESULTS_SHEET
    from ..layouts.template_writer import _results_sheet  # the template's own 校验结果 layout

    if RESULTS_SHEET not in wb.sheetnames:
        _results_sheet(wb.create_sheet(RESULTS_SHEET))
    return {k: v for k, v in DEPARTMENT_BUTTONS.items() if k in wb.sheetnames}


def save_department_workbook(wb: Any, path: str | Path) -> None:
    """Save the openpyxl workbook ``wb`` atomically, with the Lite scripts, and for .xlsm the macros."""
    if is_macro_path(path):
        make_macro_enabled(wb, buttons=_buttons(wb))

    from ..layouts.template_writer import write_package

    def write(tmp: Path) -> None:
        write_package(wb, tmp)  # with the formulas' computed values cached
        add_lite_parts(tmp)

    write_atomic(path, write)
