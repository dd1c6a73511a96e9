"""The department model: what a pyxl/v1 data file holds, as typed objects.

Values stay as written (strings such as "74.5 万元" or "≥95%"); the grammar and
units modules interpret them. Readers of workbooks record where each field came
from in ``loc`` so findings can point at the user's cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

__all__ = [
    "SCHEMA_ID",
    "Department",
    "Indicator",
    "Location",
    "Project",
    "ReadIssue",
    "Scalar",
    "SelfEval",
    "Target",
]

SCHEMA_ID = "pyxl/v1"

# A value as written: text, a number typed into a cell, or nothing.
Scalar = str | int | float | None


@dataclass(frozen=True)
class Location:
    sheet: str
    cell: str  # A1 notation

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


@dataclass(frozen=True)
class ReadIssue:
    """A problem met while reading a source (a form block that cannot be read, a doubtful
    placement in imported text). Readers sit below the rule catalog, so they record the rule
    id and the message parameters; run_rules turns each into a finding."""

    rule: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    loc: Location | None = None
    project: str | None = None
    path: str | None = None
    where: str | None = None  # prefixed to the message, e.g. "第 45 行" for imported text


@dataclass
class Target:
    """One 分项绩效目标 line of the 部门整体 part."""

    goal: str | None = None
    indicator: str | None = None
    value: Scalar = None
    actual: Scalar = None
    numbering: str | None = None  # numbering as written, e.g. "（六）"; kept because real forms repeat it
    loc: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Indicator:
    # The fields the data contract added later (unit, weight, polarity, score) are keyword-only, so
    # Indicator(level1, level2, name, description, value, basis, actual, …) keeps its meaning.
    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    description: str | None = None
    value: Scalar = None
    unit: str | None = field(default=None, kw_only=True)  # 计量单位 where the form keeps it in its own column
    weight: Scalar = field(default=None, kw_only=True)  # 分值/权重
    polarity: str | None = field(default=None, kw_only=True)  # 指标性质/方向 as written: 正向 / 反向 (or an operator word)
    basis: str | None = None
    actual: Scalar = None  # 实际完成值 (监控 or 自评)
    forecast: Scalar = None
    score: Scalar = field(default=None, kw_only=True)  # 自评 得分 as reported
    deviation_reason: str | None = None
    corrective_action: str | None = None
    loc: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class SelfEval:
    """自评 (year end) of one project: budget and execution, 执行率 scored, total and grade, as reported."""

    initial_budget: Scalar = None  # 年初预算数
    annual_budget: Scalar = None  # 全年预算数
    executed: Scalar = None  # 全年执行数
    rate: Scalar = None  # 执行率 as reported
    rate_weight: Scalar = None  # 执行率 分值 (10 by default)
    rate_score: Scalar = None  # 执行率 得分
    goal_actual: str | None = None  # 年度总体目标 实际完成情况
    total: Scalar = None  # 总分
    grade: str | None = None  # 等级 优/良/中/差
    loc: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Project:
    # Fields added later (supervisor … long_term_goal, selfeval) are keyword-only: positions unchanged.
    code: str | None = None
    name: str | None = None
    supervisor: str | None = field(default=None, kw_only=True)  # 主管部门
    implementer: str | None = field(default=None, kw_only=True)  # 实施单位
    contact: str | None = field(default=None, kw_only=True)  # 项目负责人及电话
    nature: str | None = field(default=None, kw_only=True)  # 项目性质/属性
    category: str | None = field(default=None, kw_only=True)  # 项目类别
    start: str | None = field(default=None, kw_only=True)  # 计划开始日期, ISO date text
    end: str | None = field(default=None, kw_only=True)  # 计划完成日期
    purpose: str | None = None
    total_budget: Scalar = field(default=None, kw_only=True)  # 项目资金总额 over the project's whole life
    budget: Scalar = None
    funding: dict[str, Scalar] = field(default_factory=dict)
    spend_plan: dict[str, Scalar] = field(default_factory=dict)
    spend_actual: dict[str, Scalar] = field(default_factory=dict)
    long_term_goal: str | None = field(default=None, kw_only=True)  # 中长期目标 / 项目总目标
    goal: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    selfeval: SelfEval | None = field(default=None, kw_only=True)
    # loc keys: field names, "funding.<source>", "spend_plan.<checkpoint>", "spend_actual.<checkpoint>", "row"
    loc: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.code or self.name or "（未编码项目）"


@dataclass
class Department:
    name: str | None = None
    code: str | None = None
    year: int | None = None
    overall_goal: str | None = None
    as_of: str | None = None  # 评估日期 of the in-year actuals (双监控), ISO "2026-10-31"
    targets: list[Target] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    loc: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)
    read_issues: list[ReadIssue] = field(default_factory=list, compare=False, repr=False)
    # project fields the source's layout has no place for at all (a form without 项目编码 or
    # 资金支出计划): said once per document, not per project, unless config [required] lists them
    layout_absent: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def to_data(self) -> dict[str, Any]:
        """The pyxl/v1 mapping (what a data file holds), without empty optional keys."""
        dept = _compact(self, skip={"targets", "projects", "read_issues", "layout_absent"})
        dept["targets"] = [_compact(t) for t in self.targets]
        projects = []
        for p in self.projects:
            d = _compact(p, skip={"indicators", "selfeval"})
            d["indicators"] = [_compact(i) for i in p.indicators]
            if p.selfeval is not None and (se := _compact(p.selfeval)):
                d["selfeval"] = se
            projects.append(d)
        return {"schema": SCHEMA_ID, "department": dept, "projects": projects}


def _compact(obj: Any, skip: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    out: dict[str, Any] = {}
    for f in fields(obj):
        if f.name == "loc" or f.name in skip:
            continue
        value = getattr(obj, f.name)
        if isinstance(value, dict):
            # an unfilled funding source or checkpoint is the same as one not listed
            value = {k: v for k, v in value.items() if v is not None}
        if value is None or value == {}:
            continue
        out[f.name] = value
    return out
