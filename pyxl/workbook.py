"""The workbook orchestrator: open any workbook, pick its layout, validate, apply marks.

Everything here talks to a Backend, so the CLI (files through the package writer) and the
Excel button (a live book through xlwings) run exactly the same steps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .backends.base import Backend, Grid
from .core.cells import cell_index
from .core.config import Config, load_config
from .core.errors import WorkbookError
from .core.findings import Finding, count_by_severity, report_order
from .core.model import Department
from .layouts import form_reader, table_reader, template_reader
from .layouts.template_spec import RESULTS_SHEET, STATUS_NAMES, mirror_sheet
from .marks import merge_note, note_for, result_rows, status_codes, strip_note, summary_line
from .rules import run_rules
from .rules.monitoring import met_cells

__all__ = [
    "LAYOUTS",
    "Report",
    "apply_marks",
    "clear_marks",
    "read_department",
    "status_name",
    "validate_book",
]

RESULT_FIRST_ROW = 4
RESULT_WIDTH = 8

# (name, detect(sheet names, read), read(sheet names, read) -> Department); first match wins.
Reader = Callable[[Sequence[str], Callable[[str], Grid]], Department]
Detector = Callable[[Sequence[str], Callable[[str], Grid]], bool]
LAYOUTS: list[tuple[str, Detector, Reader]] = [
    ("template", lambda names, _read: template_reader.is_template(names), template_reader.read_department),
    # before the form: a row-per-indicator table also has 项目名称 labels, but in its header row
    ("table", table_reader.detect, table_reader.read),
    ("form", form_reader.detect, form_reader.read),
]


@dataclass
class Report:
    file: str | None
    findings: list[Finding]
    department: Department | None = None
    layout: str | None = None
    met: list[tuple[str, str]] = field(default_factory=list)  # cells of met targets (monitoring)

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.counts["error"] else 0

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=report_order)  # stable: the rules' order within a key

    def to_dict(self) -> dict[str, Any]:
        """The JSON report as a dict: file, layout, findings (errors first), counts."""
        keys = ("rule", "severity", "sheet", "cell", "project", "message", "hint", "path")
        return {
            "file": self.file,
            "layout": self.layout,
            "findings": [{k: f.to_dict()[k] for k in keys} for f in self.findings],
            "counts": self.counts,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON report as text (what ``--json`` writes)."""
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def read_department(backend: Backend) -> tuple[str, Department]:
    names = backend.sheet_names()
    for name, detect, read in LAYOUTS:
        if detect(names, backend.read_values):
            dept = read(names, backend.read_values)
            if name != "template" and not dept.projects and not dept.targets:
                # a table header with nothing under it is nothing to check, never a clean pass
                raise WorkbookError(
                    "工作簿中找不到任何项目或绩效目标，无可校验的内容",
                    "the workbook holds no project and no target: nothing to check",
                    rule="layout-unrecognized",
                )
            return name, dept
    raise WorkbookError(
        "无法识别工作簿版式：既不是 pyxl 模板（缺少“项目”“绩效指标”表），也不是标准的项目支出绩效目标表",
        "unrecognised workbook layout: neither the pyxl template (sheets 项目, 绩效指标) nor the official form",
        rule="layout-unrecognized",
    )


def validate_book(
    backend: Backend,
    *,
    config: Config | None = None,
    as_of: dt.date | None = None,
    file: str | None = None,
    mark: bool = True,
) -> Report:
    layout, dept = read_department(backend)
    config = config or load_config()
    findings = [_with_file(f, file) for f in run_rules(dept, config, as_of=as_of)]
    report = Report(file=file, findings=findings, department=dept, layout=layout, met=met_cells(dept, config))
    if mark:
        apply_marks(backend, report.findings, report.met)
    return report


def _with_file(f: Finding, file: str | None) -> Finding:
    if file is None:
        return f
    from dataclasses import replace

    return replace(f, file=file)


def _data_sheets(backend: Backend) -> list[str]:
    """Sheets that have a status mirror: the template's, and any validate gave one."""
    names = backend.sheet_names()
    return [s for s in names if mirror_sheet(s) in names]


def _ensure_mirrors(backend: Backend, sheets: Iterable[str]) -> set[str]:
    """Give each sheet with marks but no mirror (a department's own form) a mirror and the
    conditional formats that read it; returns the sheets whose mirror is new. Backends that
    cannot add one leave the sheet uncoloured (notes and 校验结果 still show every finding)."""
    add = getattr(backend, "add_status_mirror", None)
    names = backend.sheet_names()
    created: set[str] = set()
    if add is None:
        return created
    from .layouts.template_writer import COLOURS

    for sheet in sheets:
        own = sheet in names and not sheet.startswith("_pyxl_") and sheet != RESULTS_SHEET
        if not own or mirror_sheet(sheet) in names:
            continue
        grid = backend.read_values(sheet)
        rows = max(len(grid), 1) + 200  # room for rows the department adds later
        cols = max((len(r) for r in grid), default=1) + 10
        add(sheet, mirror_sheet(sheet), status_name(sheet), (rows, cols), COLOURS)
        created.add(sheet)
    return created


def status_name(sheet: str) -> str:
    """The defined name through which a sheet's conditional formats read its status mirror."""
    from hashlib import sha1

    return STATUS_NAMES.get(sheet) or "pyxl_status_" + sha1(sheet.encode("utf-8")).hexdigest()[:10]


def apply_marks(backend: Backend, findings: Sequence[Finding], met: Iterable[tuple[str, str]] = ()) -> None:
    codes = status_codes(findings, met)
    created = _ensure_mirrors(backend, codes)
    names = backend.sheet_names()
    for sheet in _data_sheets(backend):
        _write_status(backend, sheet, codes.get(sheet, {}), fresh=sheet in created)
    by_cell: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.sheet and f.cell and f.sheet in names:
            by_cell[f.sheet][f.cell].append(f)
    for sheet in sorted(set(_data_sheets(backend)) | set(by_cell)):
        _write_notes(backend, sheet, by_cell.get(sheet, {}))
    _write_results(backend, findings)


def clear_marks(backend: Backend) -> None:
    """Remove every mark and note pyxl made; the user's own notes and formats stay as they were."""
    for sheet in _data_sheets(backend):
        _write_status(backend, sheet, {})
    for sheet in backend.sheet_names():
        if sheet.startswith("_pyxl_") or sheet == RESULTS_SHEET:
            continue
        _write_notes(backend, sheet, {})
    if RESULTS_SHEET in backend.sheet_names():
        _clear_results(backend)
        backend.write_block(RESULTS_SHEET, (2, 1), [["尚未校验。点击“校验”按钮或运行 pyxl validate。"]])
    _remove_added(backend)


def _remove_added(backend: Backend) -> None:
    """In a workbook that is not pyxl's template (a department's own form), the status mirrors, their
    formats and names, and 校验结果 were added by validate: clearing removes them, so the file is as it
    was before. The template's own mirrors and 校验结果 stay (emptied). Backends that cannot remove
    sheets (live Excel) leave them empty."""
    remove_mirror = getattr(backend, "remove_status_mirror", None)
    remove_sheet = getattr(backend, "remove_sheet", None)
    if remove_mirror is None or remove_sheet is None or template_reader.is_template(backend.sheet_names()):
        return
    for sheet in _data_sheets(backend):
        remove_mirror(sheet, mirror_sheet(sheet), status_name(sheet))
    if RESULTS_SHEET in backend.sheet_names():
        remove_sheet(RESULTS_SHEET)


def _write_status(backend: Backend, sheet: str, codes: dict[str, str], *, fresh: bool = False) -> None:
    mirror = mirror_sheet(sheet)
    if mirror not in backend.sheet_names():
        return
    old = [] if fresh else backend.read_values(mirror)  # a mirror made just now is empty (and not on disk)
    if old and any(v not in (None, "") for row in old for v in row):
        backend.clear_block(mirror, (1, 1), (len(old), max(len(r) for r in old)))
    if not codes:
        return
    cells = {cell_index(c): code for c, code in codes.items()}
    rows = max(r for r, _ in cells)
    cols = max(c for _, c in cells)
    block: list[list[Any]] = [[None] * cols for _ in range(rows)]
    for (r, c), code in cells.items():
        block[r - 1][c - 1] = code
    backend.write_block(mirror, (1, 1), block)


def _write_notes(backend: Backend, sheet: str, findings_by_cell: dict[str, list[Finding]]) -> None:
    existing = backend.notes(sheet)
    for cell, text in existing.items():
        if cell not in findings_by_cell and strip_note(text) != text:
            backend.set_note(sheet, cell, strip_note(text))
    for cell, fs in findings_by_cell.items():
        new = merge_note(existing.get(cell), note_for(fs))
        if new != existing.get(cell):
            backend.set_note(sheet, cell, new)


def _clear_results(backend: Backend) -> None:
    old = backend.read_values(RESULTS_SHEET)
    if len(old) >= RESULT_FIRST_ROW:
        count = len(old) - RESULT_FIRST_ROW + 1
        fit_rows = getattr(backend, "fit_rows", None)
        if fit_rows is not None:  # the rows validate sized go back to the default height
            fit_rows(RESULTS_SHEET, RESULT_FIRST_ROW, [None] * count)
        backend.clear_block(RESULTS_SHEET, (RESULT_FIRST_ROW, 1), (count, RESULT_WIDTH))


def _write_results(backend: Backend, findings: Sequence[Finding]) -> None:
    from .layouts.template_writer import RESULT_HEADERS

    if RESULTS_SHEET not in backend.sheet_names():
        add_sheet = getattr(backend, "add_sheet", None)  # optional: a backend that adds a sheet with its look
        if add_sheet is not None:
            from .layouts.results_style import results_sheet_look

            add_sheet(RESULTS_SHEET, **results_sheet_look(RESULT_FIRST_ROW))
        else:
            backend.ensure_sheet(RESULTS_SHEET)
        backend.write_block(RESULTS_SHEET, (1, 1), [["校验结果"]])
        backend.write_block(RESULTS_SHEET, (3, 1), [list(RESULT_HEADERS)])
    else:
        _clear_results(backend)
    backend.write_block(RESULTS_SHEET, (2, 1), [[summary_line(count_by_severity(findings))]])
    rows = result_rows(findings)
    if rows:
        backend.write_block(RESULTS_SHEET, (RESULT_FIRST_ROW, 1), rows)
        fit_rows = getattr(backend, "fit_rows", None)  # optional: a backend that can size rows in bulk
        if fit_rows is not None:
            from .layouts.results_style import result_row_heights

            widths = getattr(backend, "column_widths", None)  # the sheet's own widths where the backend reads them
            fit_rows(RESULTS_SHEET, RESULT_FIRST_ROW,
                     result_row_heights(rows, widths(RESULTS_SHEET) if widths is not None else None))


def open_file(path: str | Path, *, config: Config | None = None, keep_vba: bool = False) -> Backend:
    """A workbook file, checked against the input limits (``[limits]`` of ``config``) before parsing."""
    from .backends.package_writer import PackageBackend
    from .backends.safety import Limits

    return PackageBackend(path, limits=Limits.from_config(config), keep_vba=keep_vba)
