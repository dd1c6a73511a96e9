"""A department written as a workbook: the pyxl template, or the printable official form."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.model import Department

__all__ = ["write_department"]


def write_department(dept: Department, out: str | os.PathLike[str], *, form: bool = False) -> Path:
    """Write ``dept`` to ``out`` (atomically): the template, or with ``form`` the 项目支出绩效目标表."""
    from .template_writer import build_workbook, save_workbook

    if form:
        from .form_writer import build_form_workbook

        save_workbook(build_form_workbook(dept), out)
    else:
        save_workbook(build_workbook(dept), out)
    return Path(out)
