"""What validate shows in a workbook, computed from findings: pure data, no I/O.

- a status code per flagged cell (E error, W warning, G met target) for the hidden
  mirror that conditional formats read;
- a note per flagged cell, appended to any note of the user's behind a marker so
  that clearing gives the user's note back exactly;
- the rows of the 校验结果 sheet, each with a hyperlink to its cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .backends.base import Formula
from .core.cells import cell_index, quote_sheet
from .core.findings import SEVERITY_ZH, Finding, Severity
from .layouts.template_spec import RESULTS_SHEET

__all__ = [
    "MARKER",
    "hyperlink",
    "merge_note",
    "note_for",
    "result_rows",
    "status_codes",
    "strip_note",
    "summary_line",
]

MARKER = "【pyxl校验】"
_SEPARATOR = "\n\n"
_CODE = {Severity.ERROR: "E", Severity.WARNING: "W"}


def status_codes(findings: Iterable[Finding], met: Iterable[tuple[str, str]] = ()) -> dict[str, dict[str, str]]:
    """sheet → cell → code, the worst severity winning; info findings get no colour."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for sheet, cell in met:
        out[sheet][cell] = "G"
    for f in sorted(findings, key=lambda f: f.severity.rank, reverse=True):
        if f.sheet and f.cell and f.severity in _CODE:
            out[f.sheet][f.cell] = _CODE[f.severity]
    return dict(out)


def note_for(findings: Iterable[Finding]) -> str:
    lines = [MARKER]
    for f in sorted(findings, key=lambda f: f.severity.rank):
        lines.append(f"[{SEVERITY_ZH[f.severity]}] {f.message}")
        if f.hint:
            lines.append(f"  → {f.hint}")
    return "\n".join(lines)


def strip_note(text: str | None) -> str | None:
    """The user's own part of a note (None if the note was only ours)."""
    if text is None or MARKER not in text:
        return text
    own = text[: text.index(MARKER)]
    if own.endswith(_SEPARATOR):
        own = own[: -len(_SEPARATOR)]
    return own or None


def merge_note(existing: str | None, ours: str | None) -> str | None:
    own = strip_note(existing)
    if ours is None:
        return own
    return f"{own}{_SEPARATOR}{ours}" if own else ours


def summary_line(counts: dict[str, int]) -> str:
    if not any(counts.values()):
        return "校验通过：未发现问题。"
    return (
        f"共发现 {sum(counts.values())} 个问题：错误 {counts['error']} 个（红色），"
        f"警告 {counts['warning']} 个（黄色），提示 {counts['info']} 个。点击单元格地址可跳转。"
    )


def result_rows(findings: Iterable[Finding]) -> list[list[object]]:
    rows: list[list[object]] = []
    ordered = sorted(findings, key=lambda f: (f.severity.rank, f.sheet or "", _sort_cell(f.cell), f.rule))
    for i, f in enumerate(ordered, start=1):
        where: object = None
        if f.sheet and f.cell and f.sheet != RESULTS_SHEET:
            where = hyperlink(f.sheet, f.cell)
        rows.append([i, SEVERITY_ZH[f.severity], f.rule, f.sheet, where, f.project, f.message, f.hint])
    return rows


def hyperlink(sheet: str, cell: str) -> Formula:
    """=HYPERLINK to a cell of this workbook, labelled "sheet!cell": the sheet name quoted as a formula
    reference wants it (apostrophes doubled), and both strings with their double quotes doubled."""
    label = f"{sheet}!{cell}"
    target = f"#{quote_sheet(sheet)}!{cell}"
    quoted = [s.replace('"', '""') for s in (target, label)]
    return Formula(f'=HYPERLINK("{quoted[0]}","{quoted[1]}")', cached=label)


def _sort_cell(cell: str | None) -> tuple[int, int]:
    return cell_index(cell) if cell else (0, 0)

