"""Read real tables laid out one row per indicator, or as an indented tree, into the model.

Two layouts of the family (domain.md, "Layouts in the wild"):

- **rows**: one row per indicator with the project's columns (项目名称, 项目单位, 预算数,
  年度目标 …) filled on the project's first row and blank below (D10);
- **tree**: one label column where the level shows by indentation, 单位 › 项目 › 一级 ›
  二级 › 三级, with 指标值 and the project's amount in their own columns (D14).

Each column's role comes from its header words (``columns``), wherever the header row
sits; a row of 符号/数值/单位 under 指标值 extends it. Blank 一级/二级 and project cells
mean "same as above" (the printed convention for merged cells); when the backend lists
merged ranges, a cell covered by a vertical merge takes the merge's value and keeps its
top-left cell as location. Amounts are read in the unit a title line or the header
states ("金额单位:元", "项目资金（元）") and written with it ("3309840 元").

A row the reader cannot place (indicator cells before any project, content only in
columns no header names) is a ``layout-unrecognized`` read issue at its first cell; the
rest of the table is still read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..core.cells import a1
from ..core.model import Department, Indicator, Location, Project, ReadIssue
from .cellvalues import amount_in, compose_value
from .columns import Column, clean_level, header_roles, is_indicator_header, stated_unit, vocabulary
from .form_spec import LEVEL1_NAMES, LEVEL2_NAMES, is_decoration, norm

__all__ = ["Table", "detect", "find_tables", "read", "read_grid"]

Grid = Sequence[Sequence[Any]]
ReadValues = Callable[[str], Grid]
Range = tuple[int, int, int, int]  # first row, first col, last row, last col; 0-based, inclusive
MergedRanges = Callable[[str], Sequence[Range]]

_SKIP_SHEETS = frozenset({"校验结果", "说明"})
# a strong word for one of these in the indicator header row makes it a row-per-indicator table
# (a 年度目标 or 预算数 column alone is not enough: a block form prints "年度绩效目标(90分)" as
# the label left of its indicator header)
_PROJECT_TRIGGER = ("project_name", "project_code")
_SUB_ROLES = frozenset({"symbol", "number", "unit", "direction"})
_END_WORDS = ("审核意见", "盖章", "填表人", "审核人", "联系电话", "单位负责人")
# "指标1:禁毒舞台剧宣传的场次": the item's number is no part of its name
_NUMBERING = re.compile(r"^\s*指标\s*\d+\s*[:：.、]\s*")
_ELLIPSIS = re.compile(r"^[.…。·]+$")
_INDENT = re.compile(r"^[ \t\u3000\u00a0]*")
_YEAR = re.compile(r"(20\d\d)\s*年")


@dataclass
class Table:
    kind: str  # "rows" or "tree"
    row: int  # header row (0-based)
    first_data_row: int
    cols: dict[str, Column]
    amount_unit: str | None = None

    def col(self, role: str) -> int | None:
        c = self.cols.get(role)
        return c.col if c is not None else None


# ---------------------------------------------------------------- public


def detect(sheet_names: Sequence[str], read_values: ReadValues) -> bool:
    return any(find_tables(read_values(s)) for s in _sheets(sheet_names))


def read(sheet_names: Sequence[str], read_values: ReadValues, merged_ranges: MergedRanges | None = None) -> Department:
    if merged_ranges is None:
        owner = getattr(read_values, "__self__", None)
        merged_ranges = getattr(owner, "merged_ranges", None)
    dept = Department()
    absent = set(_LAYOUT_FIELDS)
    for sheet in _sheets(sheet_names):
        merged = list(merged_ranges(sheet)) if merged_ranges is not None else None
        if read_grid(sheet, read_values(sheet), dept, merged):
            absent &= set(dept.layout_absent)
    dept.layout_absent = tuple(f for f in _LAYOUT_FIELDS if f in absent)
    return dept


# Project fields a table's layout may lack altogether (said once per document, not per project):
# field → the column roles that give it. No row table or tree has a 资金支出计划.
_LAYOUT_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("project_code",),
    "name": ("project_name",),
    "budget": ("budget", "total_budget"),
    "goal": ("goal",),
    "spend_plan": (),
}


def read_grid(sheet: str, grid: Grid, dept: Department, merged: Sequence[Range] | None = None) -> int:
    """Read every table of one grid into ``dept``; returns how many tables were read."""
    tables = find_tables(grid)
    cells = _Cells(sheet, grid, merged)
    if dept.year is None:
        for r in range(min(len(grid), (tables[0].row if tables else 0) + 1)):
            for v in grid[r]:
                m = _YEAR.search(v) if isinstance(v, str) else None
                if m:
                    dept.year = int(m.group(1))
                    break
            if dept.year is not None:
                break
    present = {role for t in tables for role in t.cols}
    dept.layout_absent = tuple(f for f, roles in _LAYOUT_FIELDS.items() if not present & set(roles))
    for k, t in enumerate(tables):
        end = tables[k + 1].row if k + 1 < len(tables) else len(grid)
        if t.kind == "rows":
            _RowsReader(cells, t, end, dept).run()
        else:
            _TreeReader(cells, t, end, dept).run()
    return len(tables)


def find_tables(grid: Grid) -> list[Table]:
    """Header rows of row-per-indicator tables and indented trees in one grid."""
    out: list[Table] = []
    unit: str | None = None
    r = 0
    while r < len(grid):
        row = grid[r]
        for v in row:
            unit = stated_unit(v) or unit
        roles = header_roles(row)
        kind = None
        if is_indicator_header(roles) and any(k in roles and not roles[k].weak for k in _PROJECT_TRIGGER):
            kind = "rows"
        elif _is_tree_header(grid, r, roles):
            kind = "tree"
        if kind is None:
            r += 1
            continue
        last = r
        if r + 1 < len(grid):
            sub = header_roles(grid[r + 1])
            if sub and set(sub) <= _SUB_ROLES and not set(sub) <= set(roles):
                roles.update({k: v for k, v in sub.items() if k not in roles})
                last = r + 1
        if ("symbol" in roles or "unit" in roles) and "number" not in roles and "value" in roles:
            roles["number"] = roles.pop("value")
        budget = roles.get("budget") or roles.get("total_budget")
        table_unit = (budget.amount_unit if budget is not None else None) or unit
        out.append(Table(kind, r, last + 1, roles, table_unit))
        r = last + 1
    return out


def _sheets(sheet_names: Sequence[str]) -> list[str]:
    return [s for s in sheet_names if not s.startswith("_pyxl_") and s not in _SKIP_SHEETS]


def _is_tree_header(grid: Grid, r: int, roles: dict[str, Column]) -> bool:
    """项目 | 指标值 (| 绩效金额): a label column whose cells below are indented to several depths
    and name 一级 categories."""
    label = roles.get("project_name")
    if label is None or "value" not in roles or {"level1", "level2", "name"} & set(roles):
        return False
    depths: set[int] = set()
    level1 = False
    for rr in range(r + 1, min(len(grid), r + 400)):
        v = grid[rr][label.col] if label.col < len(grid[rr]) else None
        if not isinstance(v, str) or not v.strip():
            continue
        depths.add(_depth(v))
        level1 = level1 or clean_level(v.strip()) in LEVEL1_NAMES
    return level1 and len(depths) >= 3


def _depth(text: str) -> int:
    m = _INDENT.match(text)
    return sum(2 if ch == "\u3000" else 1 for ch in m.group(0)) if m else 0


# ---------------------------------------------------------------- cells


class _Cells:
    """A grid with merged ranges: a cell covered by a vertical merge reads as the merge's value."""

    def __init__(self, sheet: str, grid: Grid, merged: Sequence[Range] | None) -> None:
        self.sheet = sheet
        self.grid = grid
        self.cover: dict[tuple[int, int], tuple[int, int]] = {}
        for r0, c0, r1, c1 in merged or ():
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self.cover[(r, c)] = (r0, c0)

    def raw(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.grid) and 0 <= c < len(self.grid[r]):
            v = self.grid[r][c]
            return None if isinstance(v, str) and not v.strip() else v
        return None

    def get(self, r: int, c: int | None) -> tuple[Any, tuple[int, int], bool]:
        """(value, source cell, own): own is False for a value a merge brings from above."""
        if c is None:
            return None, (r, 0), False
        anchor = self.cover.get((r, c))
        if anchor is not None:
            if anchor[1] == c:
                return self.raw(*anchor), anchor, False
            return None, anchor, False
        return self.raw(r, c), (r, c), True

    def loc(self, r: int, c: int) -> Location:
        return Location(self.sheet, a1(r, c))

    def width(self, r: int) -> int:
        return len(self.grid[r]) if r < len(self.grid) else 0


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def _scalar(v: Any) -> Any:
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _ends_table(cells: _Cells, r: int) -> bool:
    filled = [v for v in (cells.raw(r, c) for c in range(cells.width(r))) if v is not None]
    return bool(filled) and isinstance(filled[0], str) and any(w in norm(filled[0]) for w in _END_WORDS)


def _report(dept: Department, cells: _Cells, r: int, c: int, reason: str, project: str | None = None) -> None:
    dept.read_issues.append(
        ReadIssue(
            "layout-unrecognized", {"reason": f"表“{cells.sheet}”{a1(r, c)}：{reason}"}, cells.loc(r, c), project
        )
    )


# ---------------------------------------------------------------- one row per indicator

_INDICATOR_KEYS = (
    "name",
    "description",
    "basis",
    "actual",
    "forecast",
    "score",
    "weight",
    "deviation_reason",
    "corrective_action",
)
_VALUE_PARTS = ("value", "symbol", "number", "unit", "direction")


@dataclass
class _RowsReader:
    cells: _Cells
    table: Table
    end: int
    dept: Department
    project: Project | None = None
    level1: tuple[str | None, Location | None] = (None, None)
    level2: tuple[str | None, Location | None] = (None, None)
    seen: dict[str, Any] = field(default_factory=dict)

    def run(self) -> None:
        t = self.table
        for r in range(t.first_data_row, self.end):
            if _ends_table(self.cells, r):
                break
            self.row(r)

    def get(self, r: int, role: str) -> tuple[Any, tuple[int, int], bool]:
        return self.cells.get(r, self.table.col(role))

    def row(self, r: int) -> None:
        cols = self.table.cols
        got = {role: self.get(r, role) for role in cols}
        if all(v is None for v, _, _ in got.values()):
            other = next((c for c in range(self.cells.width(r)) if self.cells.raw(r, c) is not None), None)
            if other is not None and not is_decoration(self.cells.raw(r, other)):
                _report(self.dept, self.cells, r, other, f"“{_short(self.cells.raw(r, other))}”不在任何栏目之下，未能读取",
                        self.project.label if self.project else None)
            return
        self.project_cells(r, got)
        if self.project is None:
            if any(got[k][0] is not None for k in got if k not in _PROJECT_FIELDS):
                c = next(src[1] for v, src, _ in got.values() if v is not None)
                _report(self.dept, self.cells, r, c, "指标行上方没有项目名称，不知道属于哪个项目，未能读取")
            return
        self.indicator_cells(r, got)

    # -- the project's columns

    def project_cells(self, r: int, got: dict[str, tuple[Any, tuple[int, int], bool]]) -> None:
        def own(role: str) -> Any:
            v, _, is_own = got.get(role, (None, None, False))
            return v if is_own else None

        name, code = _text(own("project_name")), _text(own("project_code"))
        has_indicator = any(got[k][0] is not None for k in got if k not in _PROJECT_FIELDS)
        if name is None and code is None:
            if self.project is None and has_indicator and any(own(k) is not None for k in ("budget", "goal")):
                name = None  # an unnamed project: its budget or goal opens it
            elif not has_indicator and self.project is None:
                # a department line above the projects ("820-马踏镇部门 | 8,827,620.53")
                unit = _text(own("implementer")) or _text(own("supervisor"))
                if unit and self.dept.name is None:
                    self.dept.name = unit
                    r0, c0 = got["implementer" if own("implementer") else "supervisor"][1]
                    self.dept.loc["name"] = self.cells.loc(r0, c0)
                return
            else:
                if self.project is not None:
                    self.fill_blanks(self.project, got)
                return
        if name is not None and norm(name) in _total_words():
            return  # a 合计 line
        current = self.project
        if current is not None and (name, code) == (current.name, current.code) and (name or code):
            self.fill_blanks(current, got)  # project cells repeated on every row of the project
            return
        p = Project(code=code, name=name)
        self.dept.projects.append(p)
        self.project = p
        self.level1 = self.level2 = (None, None)
        for role in ("project_name", "project_code"):
            if role in got:
                key = "name" if role == "project_name" else "code"
                p.loc[key] = self.cells.loc(*got[role][1])
        p.loc["row"] = p.loc.get("name") or p.loc.get("code") or self.cells.loc(r, 0)
        self.fill_blanks(p, got, inherit=True)

    def fill_blanks(self, p: Project, got: dict[str, tuple[Any, tuple[int, int], bool]], inherit: bool = False) -> None:
        """Project fields of this row; a blank implementer/supervisor is the one above (merged or
        left blank below its first row)."""
        for role in _PROJECT_FIELDS:
            if role not in got or role in ("project_name", "project_code"):
                continue
            v, src, _ = got[role]
            attr = _PROJECT_FIELDS[role]
            if attr is None:
                continue
            if v is None:
                if inherit and role in ("implementer", "supervisor") and role in self.seen:
                    setattr(p, attr, self.seen[role][0])
                    p.loc[attr] = self.seen[role][1]
                continue
            if getattr(p, attr) is not None:
                continue
            if role in ("budget", "total_budget"):
                v = amount_in(v, self.table.amount_unit)
            else:
                v = _text(v)
            setattr(p, attr, v)
            p.loc[attr] = self.cells.loc(*src)
            if role in ("implementer", "supervisor"):
                self.seen[role] = (v, p.loc[attr])

    # -- the indicator's columns

    def indicator_cells(self, r: int, got: dict[str, tuple[Any, tuple[int, int], bool]]) -> None:
        assert self.project is not None
        p = self.project
        v1, src1, own1 = got.get("level1", (None, (r, 0), False))
        v2, src2, _ = got.get("level2", (None, (r, 0), False))
        if v1 is not None:
            new1 = clean_level(_text(v1))
            if own1 and new1 != self.level1[0]:
                self.level2 = (None, None)
            self.level1 = (new1, self.cells.loc(*src1))
        if v2 is not None:
            self.level2 = (clean_level(_text(v2)), self.cells.loc(*src2))
        body = {k: got[k] for k in (*_INDICATOR_KEYS, *_VALUE_PARTS) if k in got}
        if all(v is None for v, _, _ in body.values()):
            return  # a category row (一级/二级 only): it heads the rows below
        if not any(own for v, _, own in body.values() if v is not None):
            return  # only merged cells from the row above: nothing new here
        ind = Indicator(level1=self.level1[0], level2=self.level2[0])
        if self.level1[1] is not None:
            ind.loc["level1"] = self.level1[1]
        if self.level2[1] is not None:
            ind.loc["level2"] = self.level2[1]
        for key in _INDICATOR_KEYS:
            if key not in body:
                continue
            v, src, _ = body[key]
            setattr(ind, key, _scalar(v) if key in ("actual", "forecast", "score", "weight") else _text(v))
            ind.loc[key] = self.cells.loc(*src)
        if ind.name is not None:
            ind.name = _NUMBERING.sub("", ind.name) or ind.name
            if _ELLIPSIS.match(ind.name) and all(
                getattr(ind, k) is None for k in _INDICATOR_KEYS if k != "name"
            ) and all(parts is None for parts in (body.get(k, (None,))[0] for k in _VALUE_PARTS)):
                return  # "……": the page left rows out
        parts = {k: body[k][0] for k in _VALUE_PARTS if k in body}
        composed = compose_value(
            parts.get("value"), parts.get("symbol"), parts.get("number"), parts.get("unit"), parts.get("direction")
        )
        ind.value, ind.unit, ind.polarity = _scalar(composed.value), composed.unit, composed.polarity
        where = next((k for k in ("value", "number", "symbol") if k in body), None)
        if where is not None:
            ind.loc["value"] = self.cells.loc(*body[where][1])
        ind.loc["row"] = ind.loc.get("name") or self.cells.loc(r, self.table.col("name") or 0)
        p.indicators.append(ind)
        p.loc.setdefault("indicators", ind.loc["row"])


# role → Project attribute (None: read but not kept)
_PROJECT_FIELDS: dict[str, str | None] = {
    "project_name": "name",
    "project_code": "code",
    "supervisor": "supervisor",
    "implementer": "implementer",
    "contact": "contact",
    "nature": "nature",
    "category": "category",
    "total_budget": "total_budget",
    "budget": "budget",
    "long_term_goal": "long_term_goal",
    "goal": "goal",
    "purpose": "purpose",
    "remark": None,
}


@cache
def _total_words() -> frozenset[str]:
    return frozenset(norm(w) for w in vocabulary()["totals"]["words"])


def _short(v: Any, n: int = 20) -> str:
    s = str(v).strip().replace("\n", " ")
    return s if len(s) <= n else s[:n] + "…"


# ---------------------------------------------------------------- indented tree


@dataclass
class _TreeRow:
    r: int
    depth: int
    text: str
    value: Any
    amount: Any


@dataclass
class _TreeReader:
    cells: _Cells
    table: Table
    end: int
    dept: Department

    def run(self) -> None:
        t = self.table
        label_col = t.col("project_name")
        assert label_col is not None
        rows: list[_TreeRow] = []
        for r in range(t.first_data_row, self.end):
            if _ends_table(self.cells, r):
                break
            v = self.cells.raw(r, label_col)
            value = self.cells.raw(r, t.col("value")) if t.col("value") is not None else None
            amount = self.cells.raw(r, t.col("budget")) if t.col("budget") is not None else None
            if not isinstance(v, str):
                if value is not None or amount is not None:
                    c = t.col("value") if value is not None else t.col("budget")
                    _report(self.dept, self.cells, r, c or 0, "数值左侧没有指标或项目名称，未能读取")
                continue
            rows.append(_TreeRow(r, _depth(v), v.strip(), value, amount))
        level1_depths = [x.depth for x in rows if clean_level(x.text) in LEVEL1_NAMES]
        if not level1_depths:
            _report(self.dept, self.cells, t.row, label_col, "树形表中找不到一级指标（产出指标、效益指标……）")
            return
        d1 = min(level1_depths)
        above = sorted({x.depth for x in rows if x.depth < d1})
        d_project = above[-1] if above else None
        project: Project | None = None
        level1: tuple[str | None, Location | None] = (None, None)
        level2: tuple[str | None, Location | None] = (None, None)
        d2: int | None = None
        for x in rows:
            loc = self.cells.loc(x.r, label_col)
            if x.depth < d1 and x.depth != d_project:
                if self.dept.name is None:
                    self.dept.name, self.dept.loc["name"] = x.text, loc
                continue
            if x.depth == d_project or (d_project is None and project is None):
                if x.depth != d_project:  # no project line: one unnamed project
                    project = Project()
                    self.dept.projects.append(project)
                else:
                    project = Project(name=x.text)
                    project.loc["name"] = project.loc["row"] = loc
                    amount = x.amount if x.amount is not None else x.value
                    if amount is not None:
                        project.budget = amount_in(amount, self.table.amount_unit)
                        c = t.col("budget") if x.amount is not None else t.col("value")
                        project.loc["budget"] = self.cells.loc(x.r, c or 0)
                    self.dept.projects.append(project)
                    level1 = level2 = (None, None)
                    d2 = None
                    continue
            if project is None:
                _report(self.dept, self.cells, x.r, label_col, f"“{_short(x.text)}”上方没有项目，未能读取")
                continue
            if x.depth == d1:
                level1, level2, d2 = (clean_level(x.text), loc), (None, None), None
                continue
            name = clean_level(x.text)
            is_level2 = x.value is None and (name in LEVEL2_NAMES or d2 is None or x.depth == d2)
            if x.depth > d1 and is_level2 and (d2 is None or x.depth <= d2):
                level2, d2 = (name, loc), x.depth
                continue
            ind = Indicator(level1=level1[0], level2=level2[0], name=x.text)
            if level1[1] is not None:
                ind.loc["level1"] = level1[1]
            if level2[1] is not None:
                ind.loc["level2"] = level2[1]
            ind.loc["name"] = ind.loc["row"] = loc
            ind.value = _scalar(compose_value(x.value).value)
            ind.loc["value"] = self.cells.loc(x.r, t.col("value") or 0)
            project.indicators.append(ind)
            project.loc.setdefault("indicators", loc)

