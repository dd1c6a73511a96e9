"""One input file → plain rows for the summary (runs in a worker process).

The file is read through the workbook orchestrator (its LAYOUTS pick the reader) and
validated without marks, so nothing is ever written to an input. What comes back is
small and picklable: a file record, a department record and row tuples in the
column order of :mod:`.spec`; the workbook itself is dropped before returning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..core.errors import WorkbookError
from ..core.findings import Finding
from ..core.grammar import Kind, Op, TargetValue, assumed_op
from ..core.model import Department, Location, Project
from ..core.monitoring import Outcome, Verdict
from ..core.schedule import checkpoint_month, parse_percent
from ..core.units import parse_amount
from ..rules._where import target as _target  # the rules' memo of parse_target: the rows reuse it
from .months import MISSING, MONTHS, MonthTotal, percent_curve
from .spec import DEPARTMENTS, FILES

__all__ = ["DeptRecord", "FileRecord", "FileResult", "process_file", "result_from_department", "wan"]

_WAN_PER_UNIT = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
_OP_TEXT = {Op.GE: "≥", Op.GT: ">", Op.LE: "≤", Op.LT: "<", Op.EQ: "=", Op.RANGE: "区间"}
_FISCAL_WORD = "财政"


@dataclass
class FileRecord:
    index: int
    file: str
    status: str  # read / failed / skipped
    rule: str | None = None
    reason: str | None = None
    layout: str | None = None
    department: str | None = None
    projects: int | None = None
    indicators: int | None = None
    targets: int | None = None
    findings: int | None = None
    size: int | None = None
    sha256: str | None = None
    path: str | None = None  # where the file was read from (feedback files re-open it); not a summary column


@dataclass
class DeptRecord:
    index: int
    file: str
    layout: str
    name: str
    code: str | None
    year: int | None
    projects: int
    indicators: int
    quantitative: int
    qualitative: int
    targets: int
    budget: Decimal
    fiscal: Decimal
    checkpoints: tuple[int, ...]  # months at which some project has its own checkpoint
    months: list[MonthTotal]  # months 1..12
    findings: Counter[str] = field(default_factory=Counter)
    # 双监控: latest cumulative actual and the budget of the projects reporting one (万元)
    spent: Decimal = Decimal(0)
    spent_budget: Decimal = Decimal(0)
    outcomes: Counter[str] = field(default_factory=Counter)  # met / near / missed over all target lines
    # 自评: the computed 总分 of each project in 自评, their 等级, and 全年执行数 / 全年预算数 (万元)
    se_totals: list[float] = field(default_factory=list)
    se_grades: Counter[str] = field(default_factory=Counter)
    se_executed: float = 0.0
    se_budget: float = 0.0

    @property
    def execution_rate(self) -> float | None:
        return float(self.spent / self.spent_budget) if self.spent_budget > 0 else None

    @property
    def se_mean(self) -> float | None:
        return round(sum(self.se_totals) / len(self.se_totals), 2) if self.se_totals else None

    @property
    def se_rate(self) -> float | None:
        return self.se_executed / self.se_budget if self.se_budget > 0 else None

    def selfeval(self, grades: tuple[str, ...]) -> dict[str, Any] | None:
        """The JSON ``departments[].selfeval``: None when no project is in 自评."""
        if not self.se_totals:
            return None
        return {"projects": len(self.se_totals), "mean_score": self.se_mean,
                "grades": {g: self.se_grades[g] for g in grades}}


@dataclass
class FileResult:
    file: FileRecord
    department: DeptRecord | None = None
    # PROJECTS columns, then two dicts {month: 万元}: own planned cumulative amounts and actuals
    projects: list[tuple[Any, ...]] = field(default_factory=list)
    indicators: list[tuple[Any, ...]] = field(default_factory=list)  # INDICATORS columns
    findings: list[tuple[Any, ...]] = field(default_factory=list)  # FINDINGS columns
    codes: list[tuple[str, str | None]] = field(default_factory=list)  # (project code, its cell "项目!A5")


def wan(value: Any) -> Decimal | None:
    """An amount cell in 万元, exactly: "74.5万元" → 74.5, 7242318 元 → 724.2318; None if not an amount."""
    amount = parse_amount(value)
    if amount is None:
        return None
    # repr() gives back the decimal the user typed (up to 15 digits), so no binary rounding creeps in
    return Decimal(repr(amount.value)) * _WAN_PER_UNIT[amount.unit]


def digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as fh:
        size = path.stat().st_size
        return size, hashlib.file_digest(fh, "sha256").hexdigest()


def process_file(index: int, path: str, name: str, config: Config, as_of: dt.date | None) -> FileResult:
    """Read, validate (no marks) and flatten one file; a file that cannot be used comes back failed.

    ``name`` is how the file is shown in the summary and its findings.
    """
    from ..backends.openpyxl_backend import OpenpyxlBackend
    from ..backends.safety import Limits
    from ..workbook import validate_book

    record = FileRecord(index=index, file=name, status="failed", path=path)
    p = Path(path)
    try:
        record.size, record.sha256 = digest(p)
    except OSError as exc:
        return _failed(record, "file-unreadable", f"无法打开文件（{exc.strerror or type(exc).__name__}）")
    if record.size == 0:
        return _failed(record, "file-unreadable", "空文件（0 字节）")
    try:
        backend = OpenpyxlBackend(p, limits=Limits.from_config(config))  # the run's [limits]
        # a summary this rollup (or an earlier one) wrote: checked first, as a lenient layout
        # detector could take its tables for a department's
        if _is_summary(backend.sheet_names()):
            record.status, record.reason = "skipped", "pyxl 生成的汇总工作簿（不是部门工作簿）"
            return FileResult(file=record)
        report = validate_book(backend, config=config, as_of=as_of, file=name, mark=False)
    except WorkbookError as exc:
        return _failed(record, exc.rule or "file-unreadable", exc.zh)
    except Exception as exc:  # a hostile or broken file must not stop the other files
        return _failed(record, "file-unreadable", f"读取时出错：{type(exc).__name__}: {exc}"[:300])
    assert report.department is not None
    layout = report.layout or ""
    return result_from_department(index, name, report.department, report.findings, layout, record, config=config)


def _is_summary(sheet_names: list[str]) -> bool:
    return {DEPARTMENTS.sheet, FILES.sheet} <= set(sheet_names)


def _failed(record: FileRecord, rule: str, reason: str) -> FileResult:
    record.rule, record.reason = rule, reason
    return FileResult(file=record)


def result_from_department(
    index: int,
    file: str,
    dept: Department,
    findings: list[Finding],
    layout: str,
    record: FileRecord | None = None,
    *,
    config: Config | None = None,
) -> FileResult:
    """Flatten a department that has been read and validated."""
    from ..core.config import load_config
    from ..rules.monitoring import assessments

    record = record or FileRecord(index=index, file=file, status="read")
    # the same verdicts the monitoring rules gave, keyed by the target line they judge
    verdicts = {id(a.item): a.verdict for a in assessments(dept, config or load_config(None))}
    outcomes = Counter(v.outcome.value for v in verdicts.values())
    spent = spent_budget = Decimal(0)
    name = dept.name or Path(file).stem
    by_project = _findings_by_project(dept.projects, findings)
    result = FileResult(file=record)
    months = [MonthTotal() for _ in MONTHS]
    checkpoints: set[int] = set()
    budget_total = fiscal_total = Decimal(0)
    kinds: Counter[Kind] = Counter()
    se = _SelfEvalTally(config or load_config(None))
    for i, proj in enumerate(dept.projects):
        budget = wan(proj.budget)
        fiscal, other = _funding(proj)
        budget_total += budget or 0
        fiscal_total += fiscal or 0
        plan_pct = _plan_points(proj)
        checkpoints.update(plan_pct)
        actual = _actual_points(proj)
        curve = percent_curve(plan_pct) if budget is not None else [(None, MISSING)] * 12
        for m, (pct, how) in zip(MONTHS, curve, strict=True):
            amount = budget * Decimal(repr(pct)) / 100 if budget is not None and pct is not None else None
            months[m - 1].add_part(amount, how, actual.get(m), budget)
        own_plan = {} if budget is None else {
            m: float(budget * Decimal(repr(pct)) / 100) for m, pct in plan_pct.items()
        }
        counts = by_project.get(i, Counter())
        loc = proj.loc.get("budget") or proj.loc.get("row")
        rate = None
        if actual and budget is not None and budget > 0:
            latest = actual[max(actual)]
            rate, spent, spent_budget = float(latest / budget), spent + latest, spent_budget + budget
        own = Counter(verdicts[id(ind)].outcome.value for ind in proj.indicators)
        se_rate, se_total, se_grade = se.add(proj)
        result.projects.append((
            name, file, proj.code, proj.name, proj.budget,
            _float(budget), _float(fiscal), _float(other), _plan_text(proj), rate,
            len(proj.indicators), own["met"], own["near"], own["missed"], se_rate, se_total, se_grade,
            counts["error"], counts["warning"], counts["info"],
            loc.sheet if loc else None, loc.cell if loc else None,
            own_plan, {m: float(v) for m, v in actual.items()},
        ))
        if proj.code:
            row = proj.loc.get("code") or proj.loc.get("row")
            result.codes.append((proj.code, str(row) if row else None))
        for ind in proj.indicators:
            tv = _target(ind.value)
            kinds[tv.kind] += 1
            result.indicators.append(_indicator_row(
                name, file, proj.code, proj.name, "项目", ind.level1, ind.level2, ind.name, ind.value, tv,
                ind.basis, ind.actual, _verdict_text(verdicts[id(ind)], tv), ind.loc.get("value") or ind.loc.get("row")))
    for t in dept.targets:
        tv = _target(t.value)
        result.indicators.append(_indicator_row(
            name, file, None, None, "部门整体", None, None, t.indicator, t.value, tv, None, t.actual,
            _verdict_text(verdicts[id(t)], tv), t.loc.get("value") or t.loc.get("row")))
    severity = Counter(f.severity.value for f in findings)
    result.findings = [
        (name, file, f.severity.value, f.rule, f.sheet, f.cell, f.project, f.message, f.hint)
        for f in findings
    ]
    n_indicators = sum(len(p.indicators) for p in dept.projects)
    result.department = DeptRecord(
        index=index, file=file, layout=layout, name=name, code=dept.code, year=dept.year,
        projects=len(dept.projects), indicators=n_indicators,
        quantitative=kinds[Kind.QUANTITATIVE], qualitative=kinds[Kind.QUALITATIVE], targets=len(dept.targets),
        budget=budget_total, fiscal=fiscal_total, checkpoints=tuple(sorted(checkpoints)), months=months,
        findings=severity, spent=spent, spent_budget=spent_budget,
        outcomes=Counter({k: outcomes[k] for k in _COUNTED}),
        se_totals=se.totals, se_grades=se.grades, se_executed=se.executed, se_budget=se.budget,
    )
    record.status, record.layout, record.department = "read", layout, name
    record.projects, record.indicators, record.targets = len(dept.projects), n_indicators, len(dept.targets)
    record.findings = len(findings)
    return result


class _SelfEvalTally:
    """自评 of a department's projects as pyxl scores them (pyxl.core.scoring): per project 执行率, 总分, 等级."""

    def __init__(self, config: Config) -> None:
        from ..core.scoring import SelfEvalRules

        self.rules = SelfEvalRules.from_mapping(config.get("selfeval"))
        self.totals: list[float] = []
        self.grades: Counter[str] = Counter()
        self.executed = self.budget = 0.0

    def add(self, proj: Project) -> tuple[float | None, float | None, str | None]:
        from ..core.scoring import project_score
        from ..rules.selfeval import in_selfeval

        if not in_selfeval(proj):
            return None, None, None
        ps = project_score(proj, self.rules)
        self.totals.append(ps.total)
        self.grades[ps.grade] += 1
        se = proj.selfeval
        if ps.rate is not None and se is not None:
            budget, executed = parse_amount(se.annual_budget), parse_amount(se.executed)
            if budget is not None and executed is not None:
                self.budget += budget.wan
                self.executed += executed.wan
        return ps.rate, ps.total, ps.grade


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _funding(proj: Project) -> tuple[Decimal | None, Decimal | None]:
    """(财政资金, other sources) in 万元; None where nothing readable was written."""
    fiscal = other = None
    for source, value in proj.funding.items():
        amount = wan(value)
        if amount is None:
            continue
        if _FISCAL_WORD in source:
            fiscal = (fiscal or Decimal(0)) + amount
        else:
            other = (other or Decimal(0)) + amount
    return fiscal, other


def _plan_points(proj: Project) -> dict[int, float]:
    points: dict[int, float] = {}
    for label, raw in proj.spend_plan.items():
        month, pct = checkpoint_month(str(label)), parse_percent(raw)
        if month is not None and pct is not None:
            points.setdefault(month, pct)
    return points


def _actual_points(proj: Project) -> dict[int, Decimal]:
    points: dict[int, Decimal] = {}
    for label, raw in proj.spend_actual.items():
        month, amount = checkpoint_month(str(label)), wan(raw)
        if month is not None and amount is not None:
            points.setdefault(month, amount)
    return points


def _plan_text(proj: Project) -> str | None:
    if not proj.spend_plan:
        return None
    parts = (f"{label} {'' if raw is None else raw}".strip() for label, raw in proj.spend_plan.items())
    return "；".join(parts)


def _indicator_row(
    dept: str, file: str, code: str | None, project: str | None, scope: str,
    level1: str | None, level2: str | None, name: str | None, value: Any, tv: TargetValue,
    basis: str | None, actual: Any, verdict: str | None, loc: Location | None,
) -> tuple[Any, ...]:
    op = op_source = None
    if tv.kind is Kind.QUANTITATIVE:
        if tv.op is not None:
            op, op_source = _OP_TEXT[tv.op], "写明"
        else:
            guessed, _why = assumed_op(tv, level1=level1 or "", level2=level2 or "", name=name or "")
            op, op_source = _OP_TEXT[guessed], "推定"
    return (
        dept, file, code, project, scope, level1, level2, name, value, tv.kind.value, op, op_source,
        tv.number, tv.upper, tv.unit, tv.grade, basis, actual, verdict,
        loc.sheet if loc else None, loc.cell if loc else None,
    )


_COUNTED = ("met", "near", "missed")
_VERDICT_TEXT = {Outcome.MET: "达成", Outcome.NEAR: "接近", Outcome.MISSED: "未达成", Outcome.UNPARSED: "无法比较"}


def _verdict_text(v: Verdict, tv: TargetValue) -> str | None:
    """The 完成情况 cell: None while no actual is reported (or the 指标值 itself is unusable)."""
    if v.outcome is Outcome.NEAR and tv.kind is Kind.QUALITATIVE:
        return "部分达成"  # the 定性 traffic light's word
    return _VERDICT_TEXT.get(v.outcome)


def _findings_by_project(projects: list[Project], findings: list[Finding]) -> dict[int, Counter[str]]:
    """Findings per project index; rules name a project by code, name or "name（code）"."""
    names: dict[str, int] = {}
    for i, p in enumerate(projects):
        for label in (p.code, p.name, f"{p.name}（{p.code}）" if p.name and p.code else None):
            if label:
                names.setdefault(label, i)
    out: dict[int, Counter[str]] = {}
    for f in findings:
        i = names.get(f.project) if f.project else None
        if i is not None:
            out.setdefault(i, Counter())[f.severity.value] += 1
    return out
