"""The Python API: the same operations as the CLI, returning objects instead of exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .core.config import Config, load_config
from .core.errors import UserError
from .core.loader import load_data
from .core.model import Department
from .outputs import check_not_input, check_output
from .workbook import Report, clear_marks, open_file, validate_book

__all__ = ["clear", "fill", "import_source", "template", "validate"]


def template(out: str | Path) -> Path:
    """Write the blank department workbook."""
    check_output("template", out)
    from .excel.outputs import save_department_workbook
    from .layouts.template_writer import build_workbook

    save_department_workbook(build_workbook(), out)
    return Path(out)


def fill(data: str | Path | Department, out: str | Path, *, form: bool = False) -> Path:
    """Turn a pyxl/v1 data file (or a Department) into a department workbook; with ``form``,
    into the printable official 项目支出绩效目标表 instead of the pyxl template."""
    check_output("fill", out)
    from .excel.outputs import save_department_workbook
    from .layouts.template_writer import build_workbook

    dept = data if isinstance(data, Department) else load_data(data)
    if form:
        from .layouts.form_writer import build_form_workbook

        save_department_workbook(build_form_workbook(dept), out)
    else:
        save_department_workbook(build_workbook(dept), out)
    return Path(out)


def validate(
    path: str | Path,
    *,
    out: str | Path | None = None,
    in_place: bool = False,
    config: Config | str | Path | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """Validate a workbook. With ``out`` (or ``in_place``) also write the highlighted workbook.

    The input is never modified unless ``in_place``; then it is replaced atomically,
    the original staying until the new file is complete.
    """
    if out is not None and in_place:
        raise UserError("-o 与 --in-place 只能选一个", "use either -o or --in-place, not both")
    if out is not None:
        check_output("validate", out)
        check_not_input(path, out)
    cfg = config if isinstance(config, Config) else load_config(config)
    if out is not None and Path(out).suffix.lower() in (".xlsm", ".xltm"):
        from .backends.openpyxl_backend import VBA_OUTPUT_REFUSED

        raise UserError(*VBA_OUTPUT_REFUSED)  # before any work: input macros never go into a new file
    # in place, the file's own VBA project is kept byte for byte (never run); copies never carry it
    backend = open_file(path, config=cfg, keep_vba=in_place)
    mark = out is not None or in_place
    report = validate_book(backend, config=cfg, as_of=as_of, file=Path(path).name, mark=mark)
    if mark:
        backend.save(path if in_place else out)  # type: ignore[attr-defined]
    return report


def clear(path: str | Path, *, out: str | Path | None = None) -> Path:
    """Remove pyxl's marks and notes (write to ``out``, or in place)."""
    if out is not None:
        check_output("clear", out)
    if out is not None and Path(out).suffix.lower() in (".xlsm", ".xltm"):
        from .backends.openpyxl_backend import VBA_OUTPUT_REFUSED

        raise UserError(*VBA_OUTPUT_REFUSED)
    backend = open_file(path, keep_vba=out is None)
    clear_marks(backend)
    target = Path(out) if out is not None else Path(path)
    backend.save(target)  # type: ignore[attr-defined]
    return target


def import_source(
    source: str | Path,
    out: str | Path | None = None,
    *,
    form: bool = False,
    name: str | None = None,
    code: str | None = None,
    year: int | None = None,
) -> Report:
    """Read published text (.txt) or any workbook pyxl knows into the model; with ``out``, write
    it as a pyxl/v1 file (.yaml/.yml/.json) or a workbook (.xlsx: the template, or the official
    form with ``form``). The report lists what was doubtful (import-ambiguous, …); nothing is
    left out without a finding."""
    from .imports import read_source, write_output

    if out is not None:
        check_output("import", out)
    dept, layout = read_source(Path(source), name=name, code=code, year=year)
    from .rules.engine import read_issue_findings

    findings = read_issue_findings(dept)
    report = Report(file=Path(source).name, findings=findings, department=dept, layout=layout)
    if out is not None:
        write_output(dept, Path(out), form=form)
    return report
