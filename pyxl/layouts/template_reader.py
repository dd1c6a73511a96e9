"""Read a department back from the template's sheets, given as plain grids of values.

Fields are found by their header or label text, not fixed addresses, so inserted
rows or moved columns do not break reading. Every value keeps its cell in ``loc``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..core.cells import a1
from ..core.errors import WorkbookError
from ..core.model import Department, Indicator, Location, Project, SelfEval, Target
from .form_values import date_text
from .template_spec import (
    ACTUAL_GROUP,
    AS_OF_LABEL,
    DEPT_FIELDS,
    DEPT_SHEET,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    PLAN_GROUP,
    PROJECT_INFO_COLUMNS,
    PROJECT_SHEET,
    SELFEVAL_COLUMNS,
    SELFEVAL_SHEET,
    TARGET_COLUMNS,
)

__all__ = ["is_template", "read_department"]

Grid = Sequence[Sequence[Any]]
_MONTH_HEADER = re.compile(r"^\s*\d{1,2}\s*月")
_HEADER_SCAN_ROWS = 15


def is_template(sheet_names: Sequence[str]) -> bool:
    return PROJECT_SHEET in sheet_names and INDICATOR_SHEET in sheet_names


def _cell(grid: Grid, r: int, c: int) -> Any:
    if r < len(grid) and c < len(grid[r]):
        return grid[r][c]
    return None


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _text(v: Any) -> str | None:
    """A text field: numbers Excel stored for a code or a name come back as the digits shown."""
    if _blank(v):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return v if isinstance(v, str) else str(v)


def _scalar(v: Any) -> Any:
    """A value field: keep numbers as numbers (integral floats as int), text as typed."""
    if _blank(v):
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return v


def _percent(v: Any) -> Any:
    """Plan cells: Excel stores 25% as 0.25; the model writes it "25%"."""
    if isinstance(v, int | float) and not isinstance(v, bool):
        number = round(v * 100, 10)
        return f"{number:g}%"
    return _scalar(v)


def _norm(v: Any) -> str:
    return "".join(str(v).split()) if v is not None else ""


def _find_header(grid: Grid, first: str, sheet: str) -> tuple[int, dict[str, int]]:
    """The header row whose cells include ``first``; returns (row, {header text: col})."""
    for r in range(min(len(grid), _HEADER_SCAN_ROWS)):
        row = grid[r]
        texts = {_norm(v): c for c, v in enumerate(row) if not _blank(v)}
        if first in texts:
            return r, texts
    raise WorkbookError(
        f"工作表“{sheet}”中找不到表头“{first}”",
        f"sheet {sheet!r} has no header row with {first!r}",
        rule="layout-unrecognized",
    )


def _with_merges(read: Callable[[str], Grid]) -> Callable[[str], Grid]:
    """Grids where a cell under a vertical merge holds the merge's value (a 一级指标 or
    项目编码 merged down a block applies to every row of it), when the backend that
    ``read`` belongs to can list merged ranges (as form_reader does)."""
    merged_ranges = getattr(getattr(read, "__self__", None), "merged_ranges", None)
    if merged_ranges is None:
        return read

    def filled(sheet: str) -> Grid:
        grid = [list(row) for row in read(sheet)]
        for r0, c0, r1, _c1 in merged_ranges(sheet):
            if r0 >= len(grid) or c0 >= len(grid[r0]):
                continue
            value = grid[r0][c0]
            for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):  # bounded by the grid, not the claim
                if c0 < len(grid[r]) and _blank(grid[r][c0]):
                    grid[r][c0] = value
        return grid

    return filled


def read_department(sheet_names: Sequence[str], grid: Callable[[str], Grid]) -> Department:
    grid = _with_merges(grid)
    if not is_template(sheet_names):
        raise WorkbookError(
            "不是 pyxl 模板：缺少“项目”或“绩效指标”工作表",
            "not a pyxl template: sheets 项目 and 绩效指标 are required",
            rule="layout-unrecognized",
        )
    dept = Department()
    if DEPT_SHEET in sheet_names:
        _read_dept(grid(DEPT_SHEET), dept)
    project_grid = grid(PROJECT_SHEET)
    projects = _read_projects(project_grid)
    dept.projects = projects
    _read_as_of(project_grid, dept)
    _read_indicators(grid(INDICATOR_SHEET), dept)
    if SELFEVAL_SHEET in sheet_names:
        _read_selfeval(grid(SELFEVAL_SHEET), dept)
    return dept


def _read_dept(g: Grid, dept: Department) -> None:
    labels = {v: k for k, v in DEPT_FIELDS.items()}
    header_row = None
    for r in range(len(g)):
        label = _norm(_cell(g, r, 0))
        if label in labels:
            key = labels[label]
            # the value is the first non-empty cell right of the label (merged cells keep it leftmost)
            value, col = None, 1
            for c in range(1, max(2, len(g[r]))):
                if not _blank(_cell(g, r, c)):
                    value, col = _cell(g, r, c), c
                    break
            loc = Location(DEPT_SHEET, a1(r, col))
            dept.loc[key] = loc
            if key == "year":
                dept.year = _year(value)
            else:
                setattr(dept, key, _text(value))
        elif label == TARGET_COLUMNS["numbering"] and _norm(_cell(g, r, 1)) == TARGET_COLUMNS["goal"]:
            header_row = r
            break
    if header_row is None:
        return
    cols = {_norm(v): c for c, v in enumerate(g[header_row]) if not _blank(v)}
    index = {key: cols[h] for key, h in TARGET_COLUMNS.items() if h in cols}
    for r in range(header_row + 1, len(g)):
        values = {key: _cell(g, r, c) for key, c in index.items()}
        if all(_blank(v) for v in values.values()):
            continue
        t = Target(
            numbering=_text(values.get("numbering")),
            goal=_text(values.get("goal")),
            indicator=_text(values.get("indicator")),
            value=_scalar(values.get("value")),
            actual=_scalar(values.get("actual")),
        )
        t.loc = {key: Location(DEPT_SHEET, a1(r, c)) for key, c in index.items()}
        t.loc["row"] = Location(DEPT_SHEET, a1(r, index.get("goal", 0)))
        dept.targets.append(t)


def _year(v: Any) -> int | None:
    if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
        return int(v)
    if isinstance(v, str):
        m = re.search(r"(20\d\d)", v)
        if m:
            return int(m.group(1))
    return None


def _read_projects(g: Grid) -> list[Project]:
    hr, cols = _find_header(g, "项目编码", PROJECT_SHEET)
    header = [_norm(v) for v in g[hr]]
    group = [_norm(v) for v in g[hr - 1]] if hr > 0 else []

    def col(*names: str) -> int | None:
        for n in names:
            if n in cols:
                return cols[n]
        return None

    fixed = {
        "code": col("项目编码"),
        "name": col("项目名称", "预算项目名称"),
        "purpose": col("项目资金主要用途", "资金主要用途"),
        "budget": col("预算数（万元）", "预算数(万元)", "预算数"),
        "goal": col("年度绩效目标", "绩效目标"),
    }
    if fixed["budget"] is None or fixed["goal"] is None:
        raise WorkbookError(
            "“项目”表缺少“预算数”或“年度绩效目标”列",
            "sheet 项目 lacks the 预算数 or 年度绩效目标 column",
            rule="layout-unrecognized",
        )
    # funding sources: every column between 预算数 and 年度绩效目标
    funding = {header[c]: c for c in range(fixed["budget"] + 1, fixed["goal"]) if header[c]}
    # plan checkpoints: the run of month headers under the plan group header
    plan_start = next((c for c, v in enumerate(group) if v == _norm(PLAN_GROUP)), None)
    if plan_start is None:
        plan_start = next((c for c in range(len(header)) if _MONTH_HEADER.match(header[c])), None)
    plan: dict[str, int] = {}
    if plan_start is not None:
        c = plan_start
        # the run ends where the next group (累计实际支出…) begins
        while (c < len(header) and _MONTH_HEADER.match(header[c]) and not header[c].startswith("=")
               and (c == plan_start or c >= len(group) or not group[c])):
            plan[header[c]] = c
            c += 1
    # cumulative actual spending: the group right of the plan, one column per plan checkpoint
    # (its headers are formulas repeating the plan's labels, so the labels are taken from the plan)
    actual_start = next((c for c, v in enumerate(group) if v == _norm(ACTUAL_GROUP)), None)
    actual: dict[str, int] = {}
    if actual_start is not None:
        actual = {label: actual_start + i for i, label in enumerate(plan)}
    # the optional project fields (主管部门 …), by header, right of the formula columns
    info = {key: cols[_norm(h)] for key, h in PROJECT_INFO_COLUMNS if _norm(h) in cols}
    projects = []
    input_cols = [c for c in fixed.values() if c is not None] + list(funding.values()) + list(plan.values())
    input_cols += list(actual.values()) + list(info.values())
    for r in range(hr + 1, len(g)):
        if all(_blank(_cell(g, r, c)) for c in input_cols):
            continue
        p = Project(
            code=_text(_cell(g, r, fixed["code"])) if fixed["code"] is not None else None,
            name=_text(_cell(g, r, fixed["name"])) if fixed["name"] is not None else None,
            purpose=_text(_cell(g, r, fixed["purpose"])) if fixed["purpose"] is not None else None,
            budget=_scalar(_cell(g, r, fixed["budget"])),
            goal=_text(_cell(g, r, fixed["goal"])),
        )
        for key, c in fixed.items():
            if c is not None:
                p.loc[key] = Location(PROJECT_SHEET, a1(r, c))
        p.loc["row"] = Location(PROJECT_SHEET, a1(r, fixed["code"] or 0))
        for key, c in info.items():
            raw = _cell(g, r, c)
            if key == "total_budget":
                setattr(p, key, _scalar(raw))
            elif key in ("start", "end"):
                setattr(p, key, date_text(raw, end=key == "end"))
            else:
                setattr(p, key, _text(raw))
            p.loc[key] = Location(PROJECT_SHEET, a1(r, c))
        for source, c in funding.items():
            value = _scalar(_cell(g, r, c))
            if value is not None:
                p.funding[source] = value
            p.loc[f"funding.{source}"] = Location(PROJECT_SHEET, a1(r, c))
        for label, c in plan.items():
            value = _percent(_cell(g, r, c))
            if value is not None:
                p.spend_plan[label] = value
            p.loc[f"spend_plan.{label}"] = Location(PROJECT_SHEET, a1(r, c))
        p.loc["spend_plan"] = Location(PROJECT_SHEET, a1(r, plan_start if plan_start is not None else 0))
        for label, c in actual.items():
            value = _scalar(_cell(g, r, c))
            if value is not None:
                p.spend_actual[label] = value
            p.loc[f"spend_actual.{label}"] = Location(PROJECT_SHEET, a1(r, c))
        projects.append(p)
    return projects


def _read_as_of(g: Grid, dept: Department) -> None:
    """评估日期: the cell right of its label, above the header row; kept as an ISO date when it is one."""
    for r in range(min(len(g), _HEADER_SCAN_ROWS)):
        for c, v in enumerate(g[r]):
            if _norm(v) != AS_OF_LABEL:
                continue
            dept.loc["as_of"] = Location(PROJECT_SHEET, a1(r, c + 1))
            value = _cell(g, r, c + 1)
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
                value = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))  # an unformatted Excel date
            dept.as_of = value.isoformat() if isinstance(value, dt.date) else _text(value)
            return


def _read_indicators(g: Grid, dept: Department) -> None:
    hr, cols = _find_header(g, INDICATOR_COLUMNS["code"], INDICATOR_SHEET)
    index = {key: cols[h] for key, h in INDICATOR_COLUMNS.items() if h in cols and key != "project_name"}
    by_code = {p.code: p for p in dept.projects if p.code}
    # a project without a code is keyed by its name on this sheet (what fill writes): its indicators stay its own
    for p in dept.projects:
        if not p.code and p.name and p.name not in by_code:
            by_code[p.name] = p
    current: Project | None = None
    for r in range(hr + 1, len(g)):
        values = {key: _cell(g, r, c) for key, c in index.items()}
        if all(_blank(v) for v in values.values()):
            continue
        code = _text(values.get("code"))
        if code is not None:
            current = by_code.get(code)
            if current is None:
                # an indicator for a project the 项目 sheet lacks: keep it, so its findings show
                current = Project(code=code)
                current.loc["code"] = current.loc["row"] = Location(INDICATOR_SHEET, a1(r, index["code"]))
                for key in ("name", "budget", "goal", "spend_plan"):
                    current.loc[key] = current.loc["code"]
                by_code[code] = current
                dept.projects.append(current)
        elif current is None:
            current = Project()
            current.loc["code"] = current.loc["row"] = Location(INDICATOR_SHEET, a1(r, index.get("code", 0)))
            dept.projects.append(current)
        ind = Indicator(
            level1=_text(values.get("level1")),
            level2=_text(values.get("level2")),
            name=_text(values.get("name")),
            description=_text(values.get("description")),
            value=_scalar(values.get("value")),
            unit=_text(values.get("unit")),
            polarity=_text(values.get("polarity")),
            basis=_text(values.get("basis")),
            actual=_scalar(values.get("actual")),
            forecast=_scalar(values.get("forecast")),
            deviation_reason=_text(values.get("deviation_reason")),
            corrective_action=_text(values.get("corrective_action")),
            weight=_scalar(values.get("weight")),
            score=_scalar(values.get("score")),
        )
        ind.loc = {key: Location(INDICATOR_SHEET, a1(r, c)) for key, c in index.items() if key != "code"}
        ind.loc["row"] = Location(INDICATOR_SHEET, a1(r, index.get("name", 0)))
        current.indicators.append(ind)


# 自评 sheet: what a row holds besides the code and the formulas that only repeat other cells
_SELFEVAL_FIELDS = ("initial_budget", "annual_budget", "executed", "rate_weight", "rate", "rate_score", "total",
                    "grade", "goal_actual")


def _read_selfeval(g: Grid, dept: Department) -> None:
    """Rows of the 自评 sheet onto their projects by 项目编码 (a project the other sheets lack is added)."""
    hr, cols = _find_header(g, SELFEVAL_COLUMNS["code"], SELFEVAL_SHEET)
    index = {key: cols[SELFEVAL_COLUMNS[key]] for key in _SELFEVAL_FIELDS if SELFEVAL_COLUMNS[key] in cols}
    code_col = cols[SELFEVAL_COLUMNS["code"]]
    by_code = {p.code: p for p in dept.projects if p.code}
    for r in range(hr + 1, len(g)):
        code = _text(_cell(g, r, code_col))
        values = {key: _cell(g, r, c) for key, c in index.items()}
        if code is None or all(_blank(v) for v in values.values()):
            continue
        project = by_code.get(code)
        if project is None:
            project = Project(code=code)
            project.loc["code"] = project.loc["row"] = Location(SELFEVAL_SHEET, a1(r, code_col))
            by_code[code] = project
            dept.projects.append(project)
        se = SelfEval(
            initial_budget=_scalar(values.get("initial_budget")),
            annual_budget=_scalar(values.get("annual_budget")),
            executed=_scalar(values.get("executed")),
            rate_weight=_scalar(values.get("rate_weight")),
            rate=_percent(values["rate"]) if not _blank(values.get("rate")) else None,
            rate_score=_scalar(values.get("rate_score")),
            total=_scalar(values.get("total")),
            grade=_text(values.get("grade")),
            goal_actual=_text(values.get("goal_actual")),
        )
        se.loc = {key: Location(SELFEVAL_SHEET, a1(r, c)) for key, c in index.items()}
        se.loc["row"] = Location(SELFEVAL_SHEET, a1(r, code_col))
        project.selfeval = se
