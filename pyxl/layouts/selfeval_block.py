"""The fund block of a published 项目支出绩效自评表, read from a plain 2-D grid.

A 自评表 (财预〔2020〕10号) prints, per project, a 项目资金 block: a header row
(年初预算数, 全年预算数(A), 全年执行数(B), 分值, 执行率(B/A), 得分 — or fewer, e.g. 预算数(A),
执行数(B), 执行率(B/A), 得分 (20分*执行率)) over a 年度资金总额 row and its parts
(其中:财政拨款, 上年结转资金, 其他资金); then 年度总体目标 (预期目标 / 实际完成情况), the indicator
table, and 总分 and 等级 at the foot. :func:`read_fund_blocks` returns one
:class:`~pyxl.core.model.SelfEval` per block, every value as written, with its cell in ``loc``.

Where the header has no cell above the row labels (the text of a page lost it), the values
after the label are matched to the header's columns in order. A 分值 stated only as “(20分)” in
the block's label or the 得分 header is taken as the 执行率 分值. The indicator table itself is
read by the table/block readers; the words this module knows live in
``pyxl/data/selfeval_words.toml``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..core.cells import a1, cell_index
from ..core.model import Location, Project, SelfEval
from .template_reader import _scalar

__all__ = ["FundBlock", "attach_fund_blocks", "read_fund_blocks"]

Grid = Sequence[Sequence[Any]]
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分")


@dataclass(frozen=True)
class _Words:
    columns: dict[str, str]
    total_rows: tuple[str, ...]
    total: tuple[str, ...]
    grade: tuple[str, ...]
    goal_actual: tuple[str, ...]
    goal_header: tuple[str, ...]
    amount_units: tuple[str, ...]


@cache
def _words() -> _Words:
    data = tomllib.loads(resources.files("pyxl").joinpath("data/selfeval_words.toml").read_text("utf-8"))
    labels = data["labels"]
    return _Words(
        columns={_norm(k): v for k, v in data["fund_columns"].items()},
        **{k: tuple(_norm(w) for w in labels[k]) for k in
           ("total_rows", "total", "grade", "goal_actual", "goal_header")},
        amount_units=tuple(labels["amount_units"]),
    )


def _norm(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split()).rstrip(":：")


def _bare(value: Any) -> str:
    """Header text without its bracketed parts: "全年预算数(A)" → "全年预算数"."""
    return _BRACKETS.sub("", _norm(value)).rstrip(":：")


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and (not v.strip() or v.strip() in ("-", "—", "/")))


def _cell(grid: Grid, r: int, c: int) -> Any:
    return grid[r][c] if r < len(grid) and c < len(grid[r]) else None


@dataclass
class FundBlock:
    """One 项目资金 block: where its header is, and what it read."""

    header_row: int  # 0-based
    selfeval: SelfEval


def _header_columns(row: Sequence[Any]) -> list[tuple[int, str]]:
    cols: list[tuple[int, str]] = []
    seen: set[str] = set()
    for c, v in enumerate(row):
        field = _words().columns.get(_bare(v))
        if field is not None and field not in seen:
            cols.append((c, field))
            seen.add(field)
    return cols


def _is_fund_header(cols: list[tuple[int, str]]) -> bool:
    fields = {f for _, f in cols}
    return "executed" in fields and ("annual_budget" in fields or "initial_budget" in fields)


def _unit_near(grid: Grid, r: int) -> str | None:
    """The amount unit stated in the header row or the two rows above it ("项目资金 (万元)")."""
    for rr in range(max(0, r - 2), r + 1):
        for v in grid[rr]:
            text = _norm(v)
            for unit in _words().amount_units:  # 万元 before 元
                if f"({unit})" in text or f"单位:{unit}" in text:
                    return unit
    return None


def _points(grid: Grid, r: int) -> float | None:
    """A 分值 stated as “(20分)” in the header row's label or its 得分 cell."""
    for v in grid[r]:
        m = _POINTS.search(_norm(v))
        if m:
            return float(m.group(1))
    return None


def _amount(v: Any, unit: str | None) -> Any:
    if unit == "元" and isinstance(v, int | float) and not isinstance(v, bool):
        return f"{v:g}元"  # a bare number in the model means 万元
    return v


def _find_label(grid: Grid, labels: tuple[str, ...], start: int) -> tuple[int, int, Any] | None:
    """(row, col, value) of the first cell after ``start`` labelled one of ``labels``."""
    for r in range(start, len(grid)):
        row = grid[r]
        for c, v in enumerate(row):
            if _bare(v) in labels:
                for cc in range(c + 1, len(row)):
                    if not _blank(row[cc]):
                        return r, cc, row[cc]
    return None


def read_fund_blocks(grid: Grid, sheet: str = "自评表") -> list[FundBlock]:
    """Every fund block of ``grid``, in order, with 总分, 等级 and 年度总体目标 实际完成情况 of its part."""
    words = _words()
    headers = [(r, cols) for r, row in enumerate(grid) if _is_fund_header(cols := _header_columns(row))]
    blocks: list[FundBlock] = []
    for k, (hr, cols) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(grid)
        se = SelfEval()
        unit = _unit_near(grid, hr)
        first_is_label = cols[0][0] > 0
        for r in range(hr + 1, min(end, hr + 8)):
            row = grid[r]
            label = next((c for c, v in enumerate(row) if not _blank(v)), None)
            if label is None or _bare(row[label]).removeprefix("其中") not in words.total_rows:
                continue
            values = [(c, v) for c, v in enumerate(row) if c > label]
            if first_is_label or len(values) != len(cols):
                placed = [(c, field, _cell(grid, r, c)) for c, field in cols]
            else:  # the header has no cell above the labels: match in order
                placed = [(vc, field, v) for (vc, v), (_, field) in zip(values, cols, strict=True)]
            for c, field, v in placed:
                if _blank(v):
                    continue
                v = _scalar(v)
                setattr(se, field, _amount(v, unit) if field in ("initial_budget", "annual_budget", "executed")
                        else v)
                se.loc[field] = Location(sheet, a1(r, c))
            se.loc["row"] = Location(sheet, a1(r, label))
            break
        if se.rate_weight is None and (points := _points(grid, hr)) is not None:
            se.rate_weight = int(points) if points.is_integer() else points
            se.loc["rate_weight"] = Location(sheet, a1(hr, 0))
        _foot(grid, hr, end, se, sheet)
        blocks.append(FundBlock(hr, se))
    return blocks


def _foot(grid: Grid, hr: int, end: int, se: SelfEval, sheet: str) -> None:
    words = _words()
    part = grid[:end]
    for field, labels in (("total", words.total), ("grade", words.grade)):
        found = _find_label(part, labels, hr)
        if found is not None:
            r, c, v = found
            setattr(se, field, _scalar(v) if field == "total" else str(v).strip())  # as written
            se.loc[field] = Location(sheet, a1(r, c))
    for r in range(hr, end - 1):
        row = grid[r]
        if not any(_bare(v) in words.goal_header for v in row):
            continue
        col = next((c for c, v in enumerate(row) if _bare(v) in words.goal_actual), None)
        if col is not None and not _blank(v := _cell(grid, r + 1, col)):
            se.goal_actual = str(v).strip()
            se.loc["goal_actual"] = Location(sheet, a1(r + 1, col))
        return
    # no 年度总体目标 header over 预期目标 | 实际完成情况: a 实际完成情况 label with its text beside it
    # (pyxl's form writer prints it so, on the row after 绩效目标)
    found = _find_label(part, words.goal_actual, hr)
    if found is not None:
        r, c, v = found
        se.goal_actual = str(v).strip()
        se.loc["goal_actual"] = Location(sheet, a1(r, c))


def attach_fund_blocks(projects: Sequence[Project], grid: Grid, sheet: str) -> None:
    """Give each project of a block-per-project sheet the fund block that follows its first row
    (before the next project's), as its ``selfeval``. Projects keep what they have otherwise."""
    blocks = read_fund_blocks(grid, sheet)
    if not blocks:
        return
    starts = []
    for p in projects:
        loc = p.loc.get("row") or p.loc.get("name")
        if loc is not None and loc.sheet == sheet:
            starts.append((cell_index(loc.cell)[0] - 1, p))  # 0-based, as the grid
    starts.sort(key=lambda t: t[0])
    for block in blocks:
        owner = None
        for row, p in starts:
            if row <= block.header_row:
                owner = p
        if owner is not None and owner.selfeval is None:
            owner.selfeval = block.selfeval
            se = block.selfeval
            if owner.budget is None:
                # no 年度资金总额 label elsewhere: the total row's 全年预算数 is the project's budget
                # the 年初 column first, as a 年度资金总额 label's first amount and the funding rows are read
                field = "initial_budget" if se.initial_budget is not None else "annual_budget"
                if getattr(se, field) is not None:
                    owner.budget = getattr(se, field)
                    if field in se.loc:
                        owner.loc["budget"] = se.loc[field]
