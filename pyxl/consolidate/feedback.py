"""Feedback files (`pyxl rollup … --feedback DIR`): each department's own workbook back, marked as
``pyxl validate`` marks it, with a 审核意见 sheet listing the rollup's findings for it under the
reviewer's headings (``feedback.toml``), with counts.

The workbook goes through the orchestrator's validate path (:mod:`pyxl.workbook`: whatever writes
validate's marks writes them here), and the 审核意见 sheet through the same backend calls as 校验结果:
it is a part pyxl owns. Files that could not be read get no feedback file; they stay listed in the
summary's 处理记录.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..core.errors import UserError
from ..core.findings import Finding, Severity, count_by_severity

if TYPE_CHECKING:
    from ..backends.base import Backend
    from ..core.config import Config
    from .result import Rollup

__all__ = [
    "REVIEW_SHEET",
    "Feedback",
    "Heading",
    "counts_by_heading",
    "group_findings",
    "headings",
    "review_grid",
    "write_feedback",
    "write_review_sheet",
]

REVIEW_SHEET = "审核意见"
COUNT_HEADERS = ("序号", "审核意见", "条数", "错误", "警告", "提示")
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Heading:
    title: str
    rules: tuple[str, ...]
    message_contains: tuple[str, ...] = ()

    def takes(self, f: Finding) -> bool:
        if f.rule not in self.rules:
            return False
        return not self.message_contains or any(w in f.message for w in self.message_contains)


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads(resources.files("pyxl.consolidate").joinpath("feedback.toml").read_text("utf-8"))


def headings() -> tuple[list[Heading], str]:
    """The reviewer's headings in display order, and the fallback heading's title."""
    data = _table()
    items = [Heading(h["title"], tuple(h["rules"]), tuple(h.get("message_contains", ()))) for h in data["headings"]]
    return items, data["fallback"]


def group_findings(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """(heading, findings) for every heading that has any, in display order."""
    items, fallback = headings()
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        title = next((h.title for h in items if h.takes(f)), fallback)
        groups[title].append(f)
    order = [h.title for h in items] + [fallback]
    return [(title, groups[title]) for title in dict.fromkeys(order) if groups.get(title)]


def _numeral(i: int) -> str:
    return _NUMERALS[i - 1] if i <= len(_NUMERALS) else str(i)


def review_grid(department: str, file: str, findings: Sequence[Finding]) -> list[list[Any]]:
    """The 审核意见 sheet as rows: a summary line, the count per heading, then every finding under its heading."""
    from ..layouts.template_writer import RESULT_HEADERS
    from ..marks import result_rows

    c = count_by_severity(findings)
    total = sum(c.values())
    file = PurePosixPath(file.replace("\\", "/")).name or file
    if total:
        summary = (f"{department}（{file}）：共 {total} 条审核意见，其中错误 {c['error']} 条、警告 {c['warning']} 条、"
                   f"提示 {c['info']} 条。错误、警告所在单元格已在原表中标色并加批注，请逐条修改后重新报送。")
    else:
        summary = f"{department}（{file}）：审核未发现问题。"
    rows: list[list[Any]] = [[REVIEW_SHEET], [summary], [], list(COUNT_HEADERS)]
    groups = group_findings(findings)
    for i, (title, fs) in enumerate(groups, start=1):
        n = count_by_severity(fs)
        rows.append([_numeral(i), title, len(fs), n["error"], n["warning"], n["info"]])
    rows.append(["", "合计", total, c["error"], c["warning"], c["info"]])
    for i, (title, fs) in enumerate(groups, start=1):
        rows += [[], [f"{_numeral(i)}、{title}（{len(fs)} 条）"], list(RESULT_HEADERS)]
        rows += result_rows(fs)
    return rows


def write_review_sheet(backend: Backend, grid: Sequence[Sequence[Any]]) -> None:
    """Write the 审核意见 sheet through the backend (bulk: one block), replacing an earlier one's content."""
    if REVIEW_SHEET in backend.sheet_names():
        old = backend.read_values(REVIEW_SHEET)
        if old:
            backend.clear_block(REVIEW_SHEET, (1, 1), (len(old), max((len(r) for r in old), default=1)))
    else:
        backend.ensure_sheet(REVIEW_SHEET)
    width = max((len(r) for r in grid), default=1)
    backend.write_block(REVIEW_SHEET, (1, 1), [list(r) + [None] * (width - len(r)) for r in grid])


@dataclass
class Feedback:
    """What ``write_feedback`` did: files written (department file → feedback file) and files it could not write."""

    written: dict[str, Path]
    failed: dict[str, str]


def _finding(row: tuple[Any, ...]) -> Finding:
    _dept, file, severity, rule, sheet, cell, project, message, hint = row
    return Finding(rule=rule, severity=Severity(severity), message=message, hint=hint or "", sheet=sheet, cell=cell,
                   project=project, file=file)


def _target(outdir: Path, shown: str, taken: set[Path]) -> Path:
    """Where a department's feedback file goes: its own (relative) name under ``outdir``, as .xlsx."""
    rel = PurePosixPath(shown.replace("\\", "/"))
    parts = [p for p in rel.parts if p not in ("", ".", "..", "/")]
    if rel.is_absolute() or len(parts) != len(rel.parts) or not parts:
        parts = [rel.name or "department.xlsx"]
    path = outdir.joinpath(*parts)
    if path.suffix.lower() in (".xlsm", ".xltm", ".xltx"):
        path = path.with_suffix(".xlsx")  # macros never go into a new file
    stem, n = path, 2
    while path.resolve() in taken:
        path = stem.with_name(f"{stem.stem}-{n}{stem.suffix}")
        n += 1
    taken.add(path.resolve())
    return path


def _write_one(source: str, target: Path, grid: list[list[Any]], config: Config, as_of: dt.date | None) -> str | None:
    """One department's feedback file; the reason when it cannot be written (a worker may run this)."""
    from ..workbook import open_file, validate_book

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # the orchestrator's validate path, as `pyxl validate -o` takes it: the same marks, written by
        # whatever backend open_file gives (the package writer once it is there); never into the input
        backend = open_file(source, config=config)
        validate_book(backend, config=config, as_of=as_of, file=Path(source).name, mark=True)
        write_review_sheet(backend, grid)
        backend.save(target)  # type: ignore[attr-defined]
    except UserError as exc:
        return exc.zh
    except Exception as exc:  # one department's file must not stop the others' feedback
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def write_feedback(result: Rollup, outdir: str | os.PathLike[str], *, jobs: int = 1) -> Feedback:
    """Every department read by ``result`` gets its workbook back in ``outdir``, marked, with a 审核意见 sheet."""
    outdir = Path(outdir)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for row in result.finding_rows():
        by_file[row[1]].append(_finding(row))
    names = {d.file: d.name for d in result.department_records}
    tasks: list[tuple[str, str, Path, list[list[Any]]]] = []
    taken: set[Path] = set()
    for rec in result.read:
        if rec.path is None:
            continue
        grid = review_grid(names.get(rec.file) or rec.file, rec.file, by_file.get(rec.file, []))
        tasks.append((rec.file, rec.path, _target(outdir, rec.file, taken), grid))
    by_file.clear()
    done = Feedback({}, {})
    if jobs > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor  # not at import: Pyodide has no process pools

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_write_one, src, target, grid, result.config, result.as_of)
                       for _file, src, target, grid in tasks]
            outcomes = [f.result() for f in futures]
    else:
        outcomes = [_write_one(src, target, grid, result.config, result.as_of) for _file, src, target, grid in tasks]
    for (file, _src, target, _grid), failure in zip(tasks, outcomes, strict=True):
        if failure is None:
            done.written[file] = target
        else:
            done.failed[file] = failure
    return done


def counts_by_heading(findings: Iterable[Finding]) -> Counter[str]:
    """How many findings go under each heading (what the 审核意见 sheet's count table shows)."""
    return Counter({title: len(fs) for title, fs in group_findings(findings)})

