"""Read the official 项目支出绩效目标表 (one block per project) into the model.

Departments draw this form by hand, so nothing is found by address. Each block is
found by its labels (项目编码, 预算项目名称, 项目资金主要用途, 资金支出计划（%）,
绩效目标) and its indicator table by its header row (一级指标 … 指标值确定依据);
values sit to the right of their label. That tolerates inserted and blank rows,
shifted blocks, title rows, several blocks per sheet or one per sheet, and the
usual label variants (see form_spec).

Merged cells: a spreadsheet keeps a merged cell's value in its top-left cell only.
When the backend can list merged ranges, a cell covered by a vertical merge takes
the value of the merge (a 一级 merged over five rows applies to each of them) and
keeps the merge's top-left cell as its location, so marks land on the visible
cell. Without that list (a plain grid), blank 一级/二级 cells are filled down, the
printed form's convention, which gives the same reading for the form's own merges.
Every value keeps its source cell in ``loc``.

What cannot be read is reported, not guessed: a block whose indicator table has no
header, or a cell in a block's header area that belongs to no label, gets a
``layout-unrecognized`` finding naming the cell where reading stopped
(``Department.read_issues``, turned into findings by the rules). A workbook where no block can be read at all
raises WorkbookError with the same rule id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.cells import a1
from ..core.errors import WorkbookError
from ..core.model import Department, Indicator, Location, Project, ReadIssue, Target
from ..core.units import format_number
from .columns import PROJECT_ROLES, classify, clean_level, header_roles, stated_unit
from .form_spec import (
    LEVEL1_NAMES,
    LEVEL2_NAMES,
    TARGET_HEADERS,
    funding_source,
    header_kind,
    is_checkpoint,
    is_decoration,
    label_kind,
    label_unit,
    norm,
    parse_purpose,
)
from .form_values import amount, checked_option, compose_value, date_text, indicator_name, infer_level1, is_filler, period
from .selfeval_block import attach_fund_blocks
from .template_reader import _blank, _scalar, _text, _year

__all__ = ["MergedRanges", "Range", "detect", "read"]

Grid = Sequence[Sequence[Any]]
ReadValues = Callable[[str], Grid]
Range = tuple[int, int, int, int]  # first row, first col, last row, last col; 0-based, inclusive
MergedRanges = Callable[[str], Sequence[Range]]

_SKIP_PREFIXES = ("_pyxl_",)
_SKIP_SHEETS = frozenset({"校验结果", "审核意见", "说明"})
_DETECT_ROWS = 400
_PROJECT_KINDS = frozenset(
    {
        "code",
        "name",
        "purpose",
        "goal",
        "goal_or_overall",
        "budget",
        "budget_yuan",
        "funding",
        "funding_yuan",
        "plan",
        "actual",
        "long_term_goal",
        "total_budget",
        "supervisor",
        "implementer",
        "contact",
        "phone",
        "nature",
        "category",
        "start",
        "end",
        "period",
    }
)
# a second label of one of these kinds starts the next project's block; others repeat within one
# (a 自评表 prints 预算数 over its fund columns and 年度资金总额 beside them, 项目类别 and 项目类型)
_BLOCK_KINDS = frozenset({"code", "name", "purpose", "goal", "plan", "actual"})
# Project fields a form's layout may lack altogether (said once per document, see Department.layout_absent)
_LAYOUT_FIELDS = {"code": ("code",), "name": ("name",), "budget": ("budget", "budget_yuan", "purpose"),
                  "goal": ("goal",), "spend_plan": ("plan",)}
_DEPT_KINDS = frozenset({"dept_name", "dept_code", "year", "overall"})


# ---------------------------------------------------------------- public


def detect(sheet_names: Sequence[str], read_values: ReadValues) -> bool:
    """True when some sheet has a project label (项目编码/项目名称) and an indicator table header."""
    for sheet in _sheets(sheet_names):
        grid = read_values(sheet)
        has_label = has_table = False
        for r in range(min(len(grid), _DETECT_ROWS)):
            row = grid[r]
            if _indicator_header(row) is not None:
                has_table = True
            for v in row:
                kind = label_kind(v)
                if kind and kind[0] in ("code", "name"):
                    has_label = True
            if has_label and has_table:
                return True
    return False


def read(
    sheet_names: Sequence[str], read_values: ReadValues, merged_ranges: MergedRanges | None = None
) -> Department:
    """The department in the form's sheets.

    ``merged_ranges(sheet)`` lists merged ranges; when not given it is taken from the
    object ``read_values`` is bound to (a backend with a ``merged_ranges`` method), so
    callers that pass ``backend.read_values`` get merged cells right without asking.
    """
    if merged_ranges is None:
        owner = getattr(read_values, "__self__", None)
        merged_ranges = getattr(owner, "merged_ranges", None)
    dept = Department()
    blocks: list[_Block] = []
    for sheet in _sheets(sheet_names):
        merged = list(merged_ranges(sheet)) if merged_ranges is not None else None
        grid = read_values(sheet)
        reader = _SheetReader(sheet, grid, merged, dept)
        reader.run()
        blocks += reader.blocks
        attach_fund_blocks([b.project for b in reader.blocks], grid, sheet)  # 自评表: 项目资金 block
    readable = [b for b in blocks if b.table is not None]
    if not readable:
        stop = blocks[0].stop if blocks else None
        where = f"（读取停在 {stop}）" if stop else ""
        where_en = f" (reading stopped at {stop})" if stop else ""
        raise WorkbookError(
            f"未能读取项目支出绩效目标表：找不到“一级指标…指标值”表头{where}",
            f"cannot read the 项目支出绩效目标表: no indicator table header (一级指标 … 指标值){where_en}",
            rule="layout-unrecognized",
        )
    for b in blocks:
        if b.table is None and not (b.project.code or b.project.name):
            continue  # a stray label with nothing else: its finding already says so
        dept.projects.append(b.project)
    seen = set().union(*(b.kinds for b in readable))
    dept.layout_absent = tuple(f for f, kinds in _LAYOUT_FIELDS.items() if not seen & set(kinds))
    return dept


def _sheets(sheet_names: Sequence[str]) -> list[str]:
    return [s for s in sheet_names if not s.startswith(_SKIP_PREFIXES) and s not in _SKIP_SHEETS]


# ---------------------------------------------------------------- structures


@dataclass
class _Table:
    row: int  # header row
    first_data_row: int
    cols: dict[str, int]
    term: str | None = None  # "long" (长期绩效指标) / "annual" (年度绩效指标) where the form says


_LONG_TERM_WORDS = ("长期", "中期", "总目标", "实施期", "总体绩效")


@dataclass
class _Block:
    sheet: str
    start: int
    project: Project = field(default_factory=Project)
    kinds: set[str] = field(default_factory=set)
    table: _Table | None = None
    stop: Location | None = None  # where reading stopped, for a block that cannot be read
    label_col: int = 0
    last_label_row: int = 0
    ended: bool = False  # its table ended (a title or note row); what follows belongs to no block
    unit: str | None = None  # the amount unit its group label states ("资金情况(万元)")
    other_cols: set[int] = field(default_factory=set)  # columns headed by a label pyxl does not read here
    level1: tuple[str | None, Location | None] = (None, None)  # the 一级 / 二级 rows below continue
    level2: tuple[str | None, Location | None] = (None, None)
    set_aside: list[Indicator] = field(default_factory=list)  # a 长期 table's rows, when it has a 年度 one
    annual_seen: bool = False


def _indicator_header(row: Sequence[Any]) -> dict[str, int] | None:
    """The indicator table's header row of a block: roles from columns.toml, 一级 and two more.
    A header that also names project columns (项目名称, 预算数 …) is a one-row-per-indicator
    table, not a block's."""
    roles = header_roles(row)
    if any(r in PROJECT_ROLES and not c.weak and r != "remark" for r, c in roles.items()):
        return None
    cols = {r: c.col for r, c in roles.items() if not c.weak}
    found = set(cols)
    if "level1" in found and len(
        found & {"level2", "name", "description", "value", "basis", "symbol", "direction", "number"}
    ) >= 2:
        return cols
    return None


def _target_header(row: Sequence[Any]) -> dict[str, int] | None:
    if any(header_kind(v) == "level1" for v in row):
        return None
    cols: dict[str, int] = {}
    for c, v in enumerate(row):
        kind = header_kind(v, TARGET_HEADERS)
        if kind and kind not in cols:
            cols[kind] = c
    if {"goal", "indicator", "value"} <= set(cols):
        return cols
    return None


# ---------------------------------------------------------------- one sheet


class _SheetReader:
    def __init__(self, sheet: str, grid: Grid, merged: list[Range] | None, dept: Department) -> None:
        self.sheet = sheet
        self.grid = grid
        self.dept = dept
        self.know_merges = merged is not None
        self.cover: dict[tuple[int, int], tuple[int, int]] = {}  # covered non-anchor cell → anchor
        self.span: dict[tuple[int, int], Range] = {}  # anchor → its range
        for r0, c0, r1, c1 in merged or ():
            self.span[(r0, c0)] = (r0, c0, r1, c1)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self.cover[(r, c)] = (r0, c0)
        self.used: set[tuple[int, int]] = set()
        self.blocks: list[_Block] = []
        self.block: _Block | None = None
        self.targets: dict[str, int] | None = None
        self.last_target: Target | None = None
        self.unit: str | None = None  # the amount unit the sheet's title lines state

    # -- cells

    def raw(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.grid) and 0 <= c < len(self.grid[r]):
            return self.grid[r][c]
        return None

    def loc(self, r: int, c: int) -> Location:
        return Location(self.sheet, a1(r, c))

    def width(self, r: int) -> int:
        return len(self.grid[r]) if r < len(self.grid) else 0

    def cell(self, r: int, c: int) -> tuple[Any, tuple[int, int], str]:
        """(value, source cell, how): how is "own", "vmerge" (covered by a merge anchored in this
        column), "hmerge" (covered by a merge from another column) or "blank"."""
        anchor = self.cover.get((r, c))
        if anchor is not None:
            ar, ac = anchor
            if ac == c:
                return self.raw(ar, ac), anchor, "vmerge"
            return None, anchor, "hmerge"
        v = self.raw(r, c)
        return (None, (r, c), "blank") if _blank(v) else (v, (r, c), "own")

    def wide_title(self, r: int) -> bool:
        """A row whose only content is one cell merged across most of the row: a title."""
        filled = [c for c in range(self.width(r)) if not _blank(self.raw(r, c))]
        if len(filled) != 1:
            return False
        rng = self.span.get((r, filled[0]))
        return rng is not None and rng[0] == rng[2] and rng[3] - rng[1] >= 3

    # -- driver

    def run(self) -> None:
        r = 0
        while r < len(self.grid):
            r = self.row(r) + 1
        if self.block is not None:
            self.finish(self.block)

    def row(self, r: int) -> int:
        """Read row r; returns the last row consumed."""
        grid_row = self.grid[r]
        header = _indicator_header(grid_row)
        if header is not None:
            return self.start_table(r, header)
        theader = _target_header(grid_row)
        if theader is not None:
            self.targets, self.last_target = theader, None
            for c in theader.values():
                self.used.add((r, c))
            return r
        in_table = self.block is not None and self.block.table is not None and not self.block.ended
        if in_table and self.block is not None and self.left_of_table(self.block, r):
            self.block.ended = True  # a note or signature row below the table (审核意见, 盖章)
            in_table = False
        for v in grid_row:
            if is_decoration(v) and (unit := stated_unit(v)) is not None:
                self.unit = unit  # "金额单位:元" on a title line: amounts below are in 元
        labels = self.labels(r, in_table)
        if labels:
            return self.read_labels(r, labels)
        if any(is_decoration(v) for v in grid_row) or self.wide_title(r):
            if in_table and self.block is not None:
                self.block.ended = True
            return r
        if in_table and self.block is not None:
            self.table_row(self.block, r)
        elif self.targets is not None:
            self.target_row(r)
        elif self.block is not None and self.block.table is None:
            self.stray(self.block, r)
        return r

    def left_of_table(self, b: _Block, r: int) -> bool:
        """A row with its own text left of every column of the block's indicator table."""
        assert b.table is not None
        first = min(b.table.cols.values())
        return any(self.cell(r, c)[2] == "own" for c in range(min(first, self.width(r))))

    def labels(self, r: int, in_table: bool) -> list[tuple[int, str, str]]:
        out = []
        for c in range(self.width(r)):
            if (r, c) in self.cover:
                continue
            found = label_kind(self.raw(r, c))
            if found is not None:
                out.append((c, found[0], found[1]))
        if out and in_table and self.block is not None and self.block.table is not None:
            # inside an indicator table a row starts the next block only when its label stands in
            # the 一级 column or left of it; a 三级指标 that happens to read "绩效目标" is no label
            if out[0][0] > self.block.table.cols.get("level1", 0):
                return []
        return out

    # -- labels

    def new_block(self, r: int, c: int) -> _Block:
        if self.block is not None:
            self.finish(self.block)
        self.block = _Block(self.sheet, r, label_col=c, last_label_row=r)
        self.blocks.append(self.block)
        self.targets = None
        return self.block

    def read_labels(self, r: int, labels: list[tuple[int, str, str]]) -> int:
        last = r
        label_cols = {c for c, _, _ in labels}
        # labels with nothing right of them: their value is below them (中期目标 | 年度目标 over their texts)
        needs_below = set()
        for c, kind, rest in labels:
            if not rest and kind not in ("group", "other", "plan", "actual"):
                if self.value_right(r, c, rest, label_cols, peek=True)[0] is None:
                    needs_below.add(c)
        for c, kind, rest in labels:
            self.used.add((r, c))
            if kind == "goal_or_overall":
                open_block = self.block is not None and self.block.table is None
                kind = "goal" if open_block else "overall"
            if kind in ("goal", "overall") and any(
                cc > c and k in ("goal", "goal_or_overall", "long_term_goal") for cc, k, _ in labels
            ):
                kind = "group"  # 项目绩效目标 over 长期目标 | 年度目标
            if kind == "overall" and self.block is not None and self.block.table is None:
                # 总体目标 inside a block: over 中长期目标/年度目标 labels, or the project's goal itself
                kind = "group" if c in needs_below or (not rest and self.next_is_label(r, c, label_cols)) else "goal"
            if kind in _DEPT_KINDS:
                self.dept_label(r, c, kind, rest, label_cols)
                continue
            b = self.block
            if b is None or b.table is not None or (kind in b.kinds and kind in _BLOCK_KINDS):
                if kind in ("group", "other"):
                    continue  # a heading outside any block
                b = self.new_block(r, c)
            b.kinds.add(kind)
            b.last_label_row = max(b.last_label_row, r)
            if kind == "group":
                b.unit = label_unit(self.raw(r, c)) or b.unit
                continue
            if kind == "other":
                b.other_cols.add(c)
                self.value_right(r, c, rest, label_cols)  # its value, if beside it, is known too
                continue
            if kind == "plan" or kind == "actual":
                last = max(last, self.read_schedule(b, r, c, kind))
                continue
            value, vr, vc = self.value_right(r, c, rest, label_cols)
            if value is None and c in needs_below:
                value, vr, vc = self.value_below(r, c, needs_below)
            unit = label_unit(self.raw(r, c)) or b.unit or self.unit
            self.assign(b, kind, value, self.loc(vr, vc), self.raw(r, c), unit)
        if self.block is not None and self.block.table is None:
            self.stray(self.block, r)  # e.g. a value left of its label, or one whose label is missing
        return last

    def next_is_label(self, r: int, c: int, label_cols: set[int]) -> bool:
        for cc in range(c + 1, self.width(r)):
            if cc in label_cols:
                return True
            if not _blank(self.raw(r, cc)):
                return False
        return False

    def value_below(self, r: int, c: int, needs_below: set[int]) -> tuple[Any, int, int]:
        """The value under a label (its own column, or — where the label spans rows and its column
        is blank below — the first text right of it on the next row, up to the next label that
        also waits for a value below)."""
        rng = self.span.get((r, c))
        rr = (rng[2] if rng else r) + 1
        if rr >= len(self.grid) or _indicator_header(self.grid[rr]) is not None:
            return None, r, c + 1
        if any(label_kind(self.raw(rr, cc)) is not None for cc in range(self.width(rr)) if (rr, cc) not in self.cover):
            return None, r, c + 1  # the next row is a row of labels: this one's value is left blank
        for cc in range(c, self.width(rr)):
            if cc > c and cc in needs_below:
                break
            v, src, how = self.cell(rr, cc)
            if how == "hmerge" or (how == "blank" and cc == c):
                continue
            if how == "blank":
                continue
            if label_kind(v) is not None or is_decoration(v) or src in self.used:
                break
            self.used.add(src)
            return v, src[0], src[1]
        return None, r, c + 1

    def value_right(
        self, r: int, c: int, rest: str, label_cols: set[int], *, peek: bool = False
    ) -> tuple[Any, int, int]:
        if rest:
            return rest, r, c
        for cc in range(c + 1, self.width(r)):
            if cc in label_cols or label_kind(self.raw(r, cc)) is not None:
                break
            if (r, cc) in self.cover:
                continue
            v = self.raw(r, cc)
            if is_decoration(v):
                break
            if not _blank(v):
                if not peek:
                    self.used.add((r, cc))
                return v, r, cc
        return None, r, c + 1

    def assign(self, b: _Block, kind: str, value: Any, loc: Location, label: Any, unit: str | None) -> None:
        p = b.project
        if kind == "code":
            p.code, p.loc["code"] = _text(value), loc
            p.loc.setdefault("row", loc)
        elif kind == "name":
            p.name, p.loc["name"] = _text(value), loc
            p.loc.setdefault("row", loc)
        elif kind == "goal":
            if p.goal is None or "goal" not in p.loc:
                p.goal, p.loc["goal"] = _text(value), loc
        elif kind == "purpose":
            parts = parse_purpose(_text(value))
            p.purpose, p.loc["purpose"] = parts.purpose, loc
            if parts.budget is not None or "budget" not in p.loc:
                p.budget, p.loc["budget"] = parts.budget, loc
            for source, amount_ in parts.funding.items():
                p.funding[source] = amount_
                p.loc[f"funding.{source}"] = loc
        elif kind in ("budget", "budget_yuan"):
            got = amount(value, "元" if kind == "budget_yuan" else unit)
            if got is not None or p.budget is None:
                p.budget, p.loc["budget"] = got, loc
        elif kind == "total_budget":
            p.total_budget, p.loc["total_budget"] = amount(value, unit), loc
        elif kind in ("funding", "funding_yuan"):
            source = funding_source(label)
            got = amount(value, "元" if kind == "funding_yuan" else unit)
            if got is not None:
                p.funding[source] = got
            p.loc[f"funding.{source}"] = loc
        elif kind in ("supervisor", "implementer", "contact", "long_term_goal"):
            if getattr(p, kind) is None:
                setattr(p, kind, _text(value))
                p.loc[kind] = loc
        elif kind == "phone":
            phone = _text(value)
            if phone is not None:
                p.contact = f"{p.contact} {phone}" if p.contact else phone
                p.loc.setdefault("contact", loc)
        elif kind in ("nature", "category"):
            if getattr(p, kind) is None:
                setattr(p, kind, _text(checked_option(value)))
                p.loc[kind] = loc
        elif kind in ("start", "end"):
            setattr(p, kind, date_text(value, end=kind == "end"))
            p.loc[kind] = loc
        elif kind == "period":
            p.start, p.end = period(value)
            p.loc["start"] = p.loc["end"] = loc

    def read_schedule(self, b: _Block, r: int, c: int, kind: str) -> int:
        """Checkpoint rows ("3月底 6月底 …") right of the label, each followed by its values row;
        blank rows a department inserted in between are skipped."""
        target = b.project.spend_plan if kind == "plan" else b.project.spend_actual
        prefix = "spend_plan" if kind == "plan" else "spend_actual"
        b.project.loc.setdefault(prefix, self.loc(r, c))
        rr, last = r, r
        while rr < len(self.grid):
            if rr > r:
                while rr < len(self.grid) and self.blank_row(rr):
                    rr += 1
                if rr >= len(self.grid) or self.is_label_row(rr, c):
                    break  # the next label: this schedule is over
            months = [
                (cc, norm(self.raw(rr, cc)))
                for cc in range(c + 1, self.width(rr))
                if (rr, cc) not in self.cover and is_checkpoint(self.raw(rr, cc))
            ]
            if not months:
                break
            vr = next(
                (
                    v
                    for v in range(rr + 1, min(rr + 4, len(self.grid)))
                    if not self.is_label_row(v, c) and any(not _blank(self.raw(v, cc)) for cc, _ in months)
                ),
                rr + 1,
            )
            for cc, label in months:
                self.used.add((rr, cc))
                raw = self.raw(vr, cc)
                value = _plan_value(raw) if kind == "plan" else _scalar(raw)
                if value is not None:
                    target[label] = value
                self.used.add((vr, cc))
                b.project.loc[f"{prefix}.{label}"] = self.loc(vr, cc)
            last = vr
            rr = vr + 1
        if last == r and any(not _blank(self.raw(r, cc)) for cc in range(c + 1, self.width(r))):
            b.stop = b.stop or self.loc(r, c + 1)
            self.report(b, r, c + 1, f"“{norm(self.raw(r, c))}”右侧找不到支出节点（如“3月底”）")
        return last

    def blank_row(self, r: int) -> bool:
        return all(_blank(v) for v in self.grid[r])

    def is_label_row(self, r: int, c: int) -> bool:
        v, _, how = self.cell(r, c)
        return how == "own" and label_kind(v) is not None

    def dept_label(self, r: int, c: int, kind: str, rest: str, label_cols: set[int]) -> None:
        value, vr, vc = self.value_right(r, c, rest, label_cols)
        loc = self.loc(vr, vc)
        if kind == "dept_name":
            if self.dept.name is None:
                self.dept.name, self.dept.loc["name"] = _text(value), loc
        elif kind == "dept_code":
            self.dept.code, self.dept.loc["code"] = _text(value), loc
        elif kind == "year":
            self.dept.year, self.dept.loc["year"] = _year(value), loc
        elif kind == "overall":
            self.dept.overall_goal, self.dept.loc["overall_goal"] = _text(value), loc

    # -- the indicator table

    def table_term(self, r: int, header: dict[str, int]) -> str | None:
        """"long" / "annual" when the table says which it is: 长期绩效指标 left of its header or
        on the row above it (forms of the 2015 template print a 长期 and a 年度 table per project)."""
        first = min(header.values())
        texts = [self.raw(r, c) for c in range(first)]
        above = r - 1
        while above >= 0 and self.blank_row(above):
            above -= 1
        if above >= 0:
            filled = [v for v in self.grid[above] if not _blank(v)]
            if len(filled) == 1:
                texts.append(filled[0])
        words = norm("".join(str(t) for t in texts if not _blank(t)))
        if any(w in words for w in _LONG_TERM_WORDS):
            return "long"
        if "年度" in words:
            return "annual"
        return None

    def start_table(self, r: int, header: dict[str, int]) -> int:
        b = self.block
        term = self.table_term(r, header)
        if b is not None and b.table is not None and term is not None and b.table.term != term:
            # the same project's other table (长期 beside 年度): the year's indicators are the project's
            if term == "annual" and b.table.term == "long":
                b.set_aside, b.project.indicators = b.project.indicators, []
            elif term == "long":
                b.annual_seen = True  # the table before it, unlabelled, was the year's
            b.level1 = b.level2 = (None, None)
            b.ended = False
        elif b is None or b.table is not None:
            b = self.new_block(r, header.get("level1", 0))
        cols = dict(header)
        last = r
        sub = _indicator_header_sub(self.grid[r + 1]) if r + 1 < len(self.grid) else {}
        if sub:
            # "指标值" over 符号/数值/单位 sub-columns
            cols.pop("value", None)
            cols.update(sub)
            last = r + 1
        for c in range(self.width(r)):
            self.used.add((r, c))
        b.table = _Table(r, last + 1, cols, term)
        b.annual_seen = b.annual_seen or term == "annual"
        if term != "long" or not b.project.indicators:
            b.project.loc["indicators"] = self.loc(r, cols.get("level1", 0))
        missing = [
            h
            for h, ok in (("三级指标", "name" in cols), ("指标值", bool({"value", "number"} & set(cols))))
            if not ok
        ]
        if missing:
            stop_col = max(cols.values()) + 1
            b.stop = self.loc(r, stop_col)
            self.report(b, r, stop_col, f"指标表表头缺少“{'”“'.join(missing)}”列")
            b.table = None
            b.ended = True
        return last

    def table_row(self, b: _Block, r: int) -> None:
        assert b.table is not None
        cols = b.table.cols
        got: dict[str, tuple[Any, tuple[int, int], str]] = {k: self.cell(r, c) for k, c in cols.items()}
        if all(how in ("blank", "hmerge") for _, _, how in got.values()):
            return
        if all(how != "own" for _, _, how in got.values()):
            return  # only covered by merges from the row above: nothing new on this row
        for c in cols.values():
            self.used.add((r, c))
        ind = Indicator()
        # 一级: its own value starts a group; a vertical merge or (without merge information) a
        # blank continues the group above; a horizontal merge from the left means none.
        v1, src1, how1 = got.get("level1", (None, (r, 0), "blank"))
        v2, src2, how2 = got.get("level2", (None, (r, 0), "blank"))
        new_group = how1 == "own"
        if how1 in ("own", "vmerge"):
            b.level1 = (_text(v1), self.loc(*src1))
        elif how1 == "hmerge":
            b.level1 = (None, self.loc(*src1))
        if how2 in ("own", "vmerge"):
            b.level2 = (_text(v2), self.loc(*src2))
        elif how2 == "hmerge" or new_group:
            b.level2 = (None, self.loc(*src2) if how2 != "hmerge" else self.loc(*src1))
        l1, l1_loc = b.level1
        l2, l2_loc = b.level2
        ind.level2 = clean_level(l2)
        ind.level1 = infer_level1(l1, ind.level2)
        if l1_loc is not None:
            ind.loc["level1"] = l1_loc
        elif "level1" in cols:
            ind.loc["level1"] = self.loc(r, cols["level1"])
        if l2_loc is not None:
            ind.loc["level2"] = l2_loc
        elif "level2" in cols:
            ind.loc["level2"] = self.loc(r, cols["level2"])
        for key in (
            "name",
            "description",
            "basis",
            "actual",
            "forecast",
            "weight",
            "score",
            "deviation_reason",
            "corrective_action",
        ):
            if key not in cols:
                continue
            v, src, how = got[key]
            value = v if how in ("own", "vmerge") else None
            if key in ("actual", "forecast", "weight", "score"):
                setattr(ind, key, _scalar(value))
            elif key == "name":
                ind.name = indicator_name(value)
            else:
                setattr(ind, key, _text(value))
            ind.loc[key] = self.loc(*src) if how != "hmerge" else self.loc(r, cols[key])
        ind.value, ind.polarity, ind.loc["value"] = self.split_value(r, cols, got)
        if "unit" in cols:
            v, src, how = got["unit"]
            ind.unit = _text(v) if how in ("own", "vmerge") else None
            ind.loc["unit"] = self.loc(*src)
        for key in ("direction", "symbol"):
            if key in cols and ind.polarity is not None:
                ind.loc.setdefault("polarity", self.loc(*got[key][1]))
        ind.loc["row"] = ind.loc.get("name") or self.loc(r, cols.get("name", 0))
        if ind.name is None and ind.value is None and ind.description is None:
            return  # a category row with nothing under it (a page cut after "效益指标")
        if is_filler(got.get("name", (None,))[0]) and ind.value is None:
            return  # "……": rows the publisher left out
        if b.table.term == "long" and b.annual_seen:
            b.set_aside.append(ind)  # 长期 indicators after the year's: not the project's indicators
            return
        b.project.indicators.append(ind)

    def split_value(
        self, r: int, cols: dict[str, int], got: dict[str, tuple[Any, tuple[int, int], str]]
    ) -> tuple[Any, str | None, Location]:
        """指标值 and polarity from 符号/指标方向, 数值 or 指标值, 单位 (form_values.compose_value)."""

        def part(key: str) -> tuple[Any, tuple[int, int] | None]:
            if key not in cols:
                return None, None
            v, src, how = got[key]
            return (v if how in ("own", "vmerge") else None), (src if how != "hmerge" else (r, cols[key]))

        sym, sym_src = part("symbol")
        dirn, dir_src = part("direction")
        num, num_src = part("number")
        number_is_value = False
        if num_src is None:
            num, num_src = part("value")
            number_is_value = True
        unit, _ = part("unit")
        src = num_src or sym_src or dir_src or (r, cols.get("name", 0))
        value, polarity = compose_value(sym, dirn, num, unit, number_is_value=number_is_value)
        return value, polarity, self.loc(*src)

    # -- 分项绩效目标 (department part)

    def target_row(self, r: int) -> None:
        cols = self.targets or {}
        got = {k: self.cell(r, c) for k, c in cols.items()}
        if all(how != "own" for _, _, how in got.values()):
            return
        t = Target()
        prev = self.last_target
        continuing = all(got[k][2] == "blank" for k in ("numbering", "goal") if k in got) and prev is not None
        for key in ("numbering", "goal", "indicator", "value", "actual"):
            if key not in cols:
                continue
            v, src, how = got[key]
            if key in ("numbering", "goal") and continuing:
                assert prev is not None
                setattr(t, key, getattr(prev, key))
                if key in prev.loc:
                    t.loc[key] = prev.loc[key]
                continue
            value = v if how in ("own", "vmerge") else None
            setattr(t, key, _scalar(value) if key in ("value", "actual") else _text(value))
            t.loc[key] = self.loc(*src)
        t.loc["row"] = t.loc.get("indicator") or t.loc.get("goal") or self.loc(r, 0)
        self.dept.targets.append(t)
        self.last_target = t

    # -- problems

    def stray(self, b: _Block, r: int) -> None:
        """Content in a block's header area that belongs to no label: reading stops here (reported
        once per block: what follows is usually the same problem)."""
        if b.stop is not None:
            return
        for c in range(self.width(r)):
            v = self.raw(r, c)
            if (r, c) in self.cover or (r, c) in self.used or _blank(v) or is_decoration(v) or label_kind(v):
                continue
            if c in b.other_cols:
                continue  # under a column pyxl does not read here (a 自评表's 执行数, 得分 …)
            b.stop = self.loc(r, c)
            text = str(self.raw(r, c)).strip().replace("\n", " ")
            short = text if len(text) <= 20 else text[:20] + "…"
            if any(norm(v) in LEVEL1_NAMES | LEVEL2_NAMES for v in self.grid[r]):
                reason = (
                    f"“{short}”看来是指标行，但上方找不到指标表表头（一级指标、二级指标、三级指标、指标值…）"
                )
            else:
                reason = f"“{short}”没有对应的栏目标签，未能读取"
            self.report(b, r, c, reason)
            return

    def report(self, b: _Block, r: int, c: int, reason: str) -> None:
        project = b.project.label if (b.project.code or b.project.name) else None
        self.dept.read_issues.append(
            ReadIssue(
                "layout-unrecognized",
                {"reason": f"表“{self.sheet}”{a1(r, c)}：{reason}"},
                self.loc(r, c),
                project,
            )
        )

    def finish(self, b: _Block) -> None:
        if b.table is None and b.stop is None:
            r = b.last_label_row + 1
            b.stop = self.loc(r, b.label_col)
            self.report(b, r, b.label_col, "项目块缺少指标表表头（一级指标、二级指标、三级指标、指标值……）")
        p = b.project
        if "total_budget" in b.kinds and not b.kinds & {"budget", "budget_yuan"} and p.budget is None:
            # the only amount the form has is 资金总额: that is the year's budget
            p.budget, p.total_budget = p.total_budget, None
            p.loc["budget"] = p.loc.pop("total_budget")
        if "goal" not in b.kinds and b.table is not None:
            b.project.loc.setdefault("goal", b.project.loc.get("row") or self.loc(b.start, b.label_col))
        b.project.loc.setdefault("row", self.loc(b.start, b.label_col))


def _indicator_header_sub(row: Sequence[Any]) -> dict[str, int]:
    """"指标值" over 符号/数值/单位 sub-columns on the row below the header."""
    cols: dict[str, int] = {}
    for c, v in enumerate(row):
        found = classify(v, c)
        if found is not None and found.role in ("symbol", "direction", "number", "unit") and found.role not in cols:
            cols[found.role] = c
    return cols if {"number"} <= set(cols) or ({"symbol", "unit"} <= set(cols)) else {}


def _plan_value(v: Any) -> Any:
    """Excel keeps 25% as 0.25: fractions come back as "25%"; a number above 1.5 was typed as
    percent points and stays as typed."""
    if isinstance(v, int | float) and not isinstance(v, bool) and -1.5 <= v <= 1.5:
        return f"{format_number(v * 100)}%"
    return _scalar(v)
