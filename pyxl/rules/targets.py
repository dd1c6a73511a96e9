"""Target checks: 指标值 (grammar), 满意度 floor, 确定依据, and the amounts of a project
(budget, funding sources, 成本 indicators)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..core.findings import Finding
from ..core.grammar import Kind, Op, TargetValue, assumed_op, format_target
from ..core.model import Department, Location, Project
from ..core.units import AMOUNT_UNITS, Amount, format_number, format_wan, parse_amount
from ._where import VALUES, category, is_blank, squash, target, text_of, where
from .catalog import (
    AmountUnitSuspect,
    AmountUnparsed,
    BasisNonstandard,
    CostOverBudget,
    FundingSumMismatch,
    SatisfactionBelowFloor,
    TargetDirectionSuspect,
    TargetOperatorMissing,
    TargetPercentRange,
    TargetUnparsed,
    TargetUnquantified,
)
from .registry import Context, register
from .vague import vague_settings, vague_word

__all__ = [
    "check_amounts",
    "check_basis",
    "check_target_values",
    "close",
    "is_cost",
    "unit_factor",
]

_SYMBOL = {Op.GE: "≥", Op.GT: ">", Op.LE: "≤", Op.LT: "<", Op.EQ: "="}
# amounts written in the wrong one of 元 / 万元 / 亿元 differ by these factors
_FACTORS = (1e4, 1e-4, 1e8, 1e-8)
_OTHER_STANDARD = "其他经财政部门确认的标准"
# "达到 100%" asks to reach 100%, which is attainable; only "≥", "以上", "不低于" ask for more
_WEAK_WORDING = ("达到", "达")


@dataclass(frozen=True)
class _Site:
    """One 指标值 to check: a project indicator or a 部门整体 target."""

    value: Any
    level1: str
    level2: str
    name: str
    loc: Location | None
    project: str | None
    path: str


def _sites(dept: Department) -> Iterator[_Site]:
    for i, p in enumerate(dept.projects):
        for j, ind in enumerate(p.indicators):
            yield _Site(
                ind.value,
                squash(ind.level1),
                squash(ind.level2),
                squash(ind.name),
                where(ind, "value"),
                p.label,
                f"projects[{i}].indicators[{j}].value",
            )
    for k, t in enumerate(dept.targets):
        yield _Site(
            t.value, "", "", squash(t.indicator), where(t, "value"), None, f"department.targets[{k}].value"
        )


def is_cost(level1: str, level2: str, name: str, cost_words: Sequence[str]) -> bool:
    """A 成本 indicator: classified under 成本指标 (产出指标/成本指标 included) or named so."""
    if category(level1, level2).level1 == "成本指标":
        return True
    text = level1 + level2 + name
    return any(w and w in text for w in cost_words)


def _is_rate(site: _Site, rate_words: Sequence[str]) -> bool:
    return any(w and w in site.name for w in rate_words) or "满意度" in site.level2 or "满意度" in site.level1


def _lower_is_better(name: str, words: Sequence[str]) -> bool:
    return any(w and w in name for w in words)


def close(a: float, b: float, tolerance: float) -> bool:
    """Equal within a relative tolerance (and exactly equal zeros)."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) or abs(a - b) < 1e-12


def unit_factor(x: float, ref: float, tolerance: float) -> float | None:
    """The factor f in 10⁴, 10⁻⁴, 10⁸, 10⁻⁸ with x·f ≈ ref (a 元/万元/亿元 mix-up), or None."""
    if x == 0 or ref == 0:
        return None
    return next((f for f in _FACTORS if close(x * f, ref, tolerance)), None)


# --------------------------------------------------------------------------
# 指标值


@register
def check_target_values(dept: Department, ctx: Context) -> Iterator[Finding]:
    cfg = ctx.config
    settings = (
        tuple(cfg["targets.cost_words"]),
        tuple(cfg["targets.rate_words"]),
        tuple(cfg["targets.lower_is_better_words"]),
        float(cfg["policy.satisfaction_floor_percent"]),
    )
    vague_words, grades = vague_settings(ctx)
    for site in _sites(dept):
        if is_blank(site.value):
            continue  # field-missing reports empty indicator values
        if isinstance(site.value, str) and vague_word(site.value, vague_words, grades):
            continue  # target-vague says what is wrong with it (“持续影响” is no 指标值 to parse)
        # Departments repeat the same 指标值 under the same names many times: judge each once.
        for f in _judge(site.value, site.level1, site.level2, site.name, settings):
            sheet, cell = (site.loc.sheet, site.loc.cell) if site.loc else (None, None)
            yield replace(f, sheet=sheet, cell=cell, project=site.project, path=site.path)


@lru_cache(maxsize=VALUES)
def _judge(
    raw: Any, level1: str, level2: str, name: str, settings: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], float]
) -> tuple[Finding, ...]:
    """The findings of one 指标值 in its context, not yet located."""
    return tuple(_judge_site(_Site(raw, level1, level2, name, None, None, ""), settings))


def _judge_site(
    site: _Site, settings: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], float]
) -> Iterator[Finding]:
    cost_words, rate_words, lower_words, floor = settings
    tv = target(site.value)
    value = text_of(site.value)
    common: dict[str, Any] = {}
    if tv.kind is Kind.UNPARSED:
        yield TargetUnparsed.finding(**common, value=value)
        return
    if tv.kind is Kind.NON_VALUE:
        yield TargetUnquantified.finding(**common, value=value)
        return
    if tv.kind is not Kind.QUANTITATIVE or tv.number is None:
        return
    if tv.op is None:
        yield _operator_missing(tv, site, value, common, lower_words)
    yield from _percent_range(tv, value, common)
    yield from _direction(tv, site, value, common, cost_words, rate_words, lower_words)
    yield from _satisfaction(tv, site, value, common, lower_words, floor)


def _operator_missing(
    tv: TargetValue, site: _Site, value: str, common: dict[str, Any], lower_words: Sequence[str]
) -> Finding:
    op, reason = assumed_op(tv, level1=site.level1, level2=site.level2, name=site.name)
    reason = reason.removeprefix("未写比较符号，")
    suggested = op
    if op in (Op.GE, Op.GT) and tv.unit in (None, "%") and _lower_is_better(site.name, lower_words):
        # keep the suggestion in line with target-direction-suspect, which expects "≤" here
        suggested = Op.LE
        reason += f"；但“{site.name}”通常越低越好，若是如此应写“≤”"
    if tv.is_percent and tv.number is not None and tv.number >= 100 and suggested in (Op.GE, Op.GT):
        suggested = Op.EQ  # "≥100%" cannot be exceeded; see target-percent-range
    return TargetOperatorMissing.finding(
        **common, value=value, assumption=reason, suggestion=format_target(replace(tv, op=suggested))
    )


def _percent_range(tv: TargetValue, value: str, common: dict[str, Any]) -> Iterator[Finding]:
    if not tv.is_percent or tv.number is None:
        return
    high = tv.upper if tv.op is Op.RANGE and tv.upper is not None else tv.number
    if tv.number < 0:
        yield TargetPercentRange.finding(
            **common,
            value=value,
            problem="小于 0%",
            fix="百分比应在 0%–100% 之间；若指下降幅度，请改写指标名称（如“××下降率”）并填正数。",
        )
    elif high > 100:
        yield TargetPercentRange.finding(
            **common,
            value=value,
            problem="超过 100%",
            fix="比率最高为 100%，请核对数值；若确为增长幅度，请在指标名称中写明。",
        )
    elif tv.op in (Op.GE, Op.GT) and tv.number >= 100 and tv.wording not in _WEAK_WORDING:
        wanted = "不低于" if tv.op is Op.GE else "高于"
        yield TargetPercentRange.finding(
            **common,
            value=value,
            problem=f"要求{wanted} 100%，但比率最高只能是 100%，只有“=100%”可达成",
            fix="写成“=100%”或“100%”。",
        )


def _direction(
    tv: TargetValue,
    site: _Site,
    value: str,
    common: dict[str, Any],
    cost_words: Sequence[str],
    rate_words: Sequence[str],
    lower_words: Sequence[str],
) -> Iterator[Finding]:
    up = tv.op in (Op.GE, Op.GT)
    down = tv.op in (Op.LE, Op.LT)
    if not (up or down):
        return
    symbol = _SYMBOL[tv.op]  # type: ignore[index]
    money = tv.is_amount or "元" in (tv.unit or "")  # 万元, 元/人 …; a 成本 "≥120次" is some other count
    if is_cost(site.level1, site.level2, site.name, cost_words) and (money or tv.unit is None):
        if up:
            yield TargetDirectionSuspect.finding(
                **common,
                value=value,
                reason=f"成本类指标应设上限，这里写成了“{symbol}”（不低于）",
                fix=f"一般写成“{format_target(replace(tv, op=Op.LE))}”。",
            )
        return
    if not _is_rate(site, rate_words) or tv.unit not in (None, "%"):
        return
    if _lower_is_better(site.name, lower_words):
        if up:
            yield TargetDirectionSuspect.finding(
                **common,
                value=value,
                reason=f"“{site.name}”越低越好，这里写成了“{symbol}”（不低于）",
                fix=f"一般写成“{format_target(replace(tv, op=Op.LE))}”。",
            )
    elif down:
        what = "满意度" if "满意" in site.name + site.level2 + site.level1 else "比率"
        yield TargetDirectionSuspect.finding(
            **common,
            value=value,
            reason=f"{what}“{site.name}”一般越高越好，这里写成了“{symbol}”（不超过）",
            fix=f"一般写成“{format_target(replace(tv, op=Op.GE))}”；若该比率确实越低越好，可忽略本提示。",
        )


def _satisfaction(
    tv: TargetValue,
    site: _Site,
    value: str,
    common: dict[str, Any],
    lower_words: Sequence[str],
    floor: float,
) -> Iterator[Finding]:
    if not tv.is_percent or tv.number is None or tv.op in (Op.LE, Op.LT):
        return
    if "满意" not in site.name and "满意" not in site.level2:
        return
    if _lower_is_better(site.name, lower_words):
        return  # e.g. 不满意率
    if tv.number < floor:  # the lower end: the number itself, or a range's low end
        yield SatisfactionBelowFloor.finding(**common, value=value, floor=floor)


# --------------------------------------------------------------------------
# 指标值确定依据


@register
def check_basis(dept: Department, ctx: Context) -> Iterator[Finding]:
    standard = [squash(s) for s in ctx.config["basis.standard"] if squash(s)]
    choices = "、".join(ctx.config["basis.standard"])
    for i, p in enumerate(dept.projects):
        for j, ind in enumerate(p.indicators):
            if is_blank(ind.basis):
                continue
            basis = squash(ind.basis)
            if basis == _OTHER_STANDARD or any(basis.startswith(s) for s in standard):
                continue
            yield BasisNonstandard.finding(
                loc=where(ind, "basis"),
                project=p.label,
                path=f"projects[{i}].indicators[{j}].basis",
                value=text_of(ind.basis),
                choices=choices,
            )


# --------------------------------------------------------------------------
# Amounts


def _unit_named(scale: float) -> str | None:
    return next((u for u, s in AMOUNT_UNITS.items() if close(s, scale, 1e-9)), None)


def _unit_suspect(
    *,
    what: str,
    amount_value: float,
    unit: str,
    unit_assumed: bool,
    factor: float,
    value: str,
    other: str,
    other_value: str,
    corrected: str | None,
    loc: Location | None,
    project: str,
    path: str,
) -> Finding:
    """amount-unit-suspect for an amount that times ``factor`` would match the other one."""
    new_unit = _unit_named(AMOUNT_UNITS[unit] * factor)
    if new_unit is None:
        unit_hint = f"按{other}计，{what}应约为 {format_wan(amount_value * AMOUNT_UNITS[unit] * factor)} 万元"
        fix = f"核对{what}的金额与单位"
    else:
        if unit_assumed:
            unit_hint = f"{what}未写单位，按“{unit}”计，疑应为“{new_unit}”"
        else:
            unit_hint = f"{what}的单位“{unit}”疑为“{new_unit}”之误"
        fix = f"把{what}改为“{corrected or format_number(amount_value) + ' ' + new_unit}”"
    times = max(factor, 1 / factor)
    return AmountUnitSuspect.finding(
        loc=loc,
        project=project,
        path=path,
        what=what,
        value=value,
        other=other,
        other_value=other_value,
        factor=format_number(times),
        unit_hint=unit_hint,
        fix=fix,
    )


@register
def check_amounts(dept: Department, ctx: Context) -> Iterator[Finding]:
    tol = float(ctx.config["amounts.tolerance"])
    cost_words = ctx.config["targets.cost_words"]
    for i, p in enumerate(dept.projects):
        budget = None
        if not is_blank(p.budget):
            budget = parse_amount(p.budget)
            if budget is None:
                yield AmountUnparsed.finding(
                    loc=where(p, "budget"),
                    project=p.label,
                    path=f"projects[{i}].budget",
                    what="预算数",
                    value=text_of(p.budget),
                )
        sources: list[tuple[str, Any, Amount]] = []
        unparsed = False
        for src, raw in p.funding.items():
            if is_blank(raw):
                continue
            amt = parse_amount(raw)
            if amt is None:
                unparsed = True
                yield AmountUnparsed.finding(
                    loc=where(p, f"funding.{src}"),
                    project=p.label,
                    path=f"projects[{i}].funding.{src}",
                    what=src,
                    value=text_of(raw),
                )
            else:
                sources.append((src, raw, amt))
        if budget is None:
            continue
        if sources and not unparsed:
            yield from _funding_vs_budget(p, i, budget, sources, tol)
        yield from _costs_vs_budget(p, i, budget, tol, cost_words)


def _funding_vs_budget(
    p: Project, i: int, budget: Amount, sources: list[tuple[str, Any, Amount]], tol: float
) -> Iterator[Finding]:
    total = sum(a.wan for _, _, a in sources)
    if close(total, budget.wan, tol):
        return
    # one source written in the wrong unit?
    for src, raw, amt in sources:
        for f in _FACTORS:
            if amt.wan != 0 and close(total - amt.wan + amt.wan * f, budget.wan, tol):
                yield _unit_suspect(
                    what=src,
                    amount_value=amt.value,
                    unit=amt.unit,
                    unit_assumed=amt.unit_assumed,
                    factor=f,
                    value=text_of(raw),
                    other="预算数",
                    other_value=text_of(p.budget),
                    corrected=None,
                    loc=where(p, f"funding.{src}"),
                    project=p.label,
                    path=f"projects[{i}].funding.{src}",
                )
                return
    # or the budget itself?
    f = unit_factor(budget.wan, total, tol)
    if f is not None:
        other = "资金来源合计" if len(sources) > 1 else sources[0][0]
        other_value = f"{format_wan(total)} 万元" if len(sources) > 1 else text_of(sources[0][1])
        yield _unit_suspect(
            what="预算数",
            amount_value=budget.value,
            unit=budget.unit,
            unit_assumed=budget.unit_assumed,
            factor=f,
            value=text_of(p.budget),
            other=other,
            other_value=other_value,
            corrected=None,
            loc=where(p, "budget"),
            project=p.label,
            path=f"projects[{i}].budget",
        )
        return
    loc = where(p, f"funding.{sources[0][0]}") if len(sources) == 1 else where(p, "budget")
    path = f"projects[{i}].funding.{sources[0][0]}" if len(sources) == 1 else f"projects[{i}].funding"
    yield FundingSumMismatch.finding(
        loc=loc, project=p.label, path=path, total=format_wan(total), budget=format_wan(budget.wan)
    )


def _costs_vs_budget(
    p: Project, i: int, budget: Amount, tol: float, cost_words: Sequence[str]
) -> Iterator[Finding]:
    for j, ind in enumerate(p.indicators):
        if is_blank(ind.value):
            continue
        if not is_cost(squash(ind.level1), squash(ind.level2), squash(ind.name), cost_words):
            continue
        tv = target(ind.value)
        if tv.kind is not Kind.QUANTITATIVE or not tv.is_amount or tv.op in (Op.GE, Op.GT):
            continue  # a lower bound is no cap (target-direction-suspect reports "≥" on costs)
        bound = tv.upper_wan if tv.op is Op.RANGE else tv.wan
        if bound is None or bound <= 0:
            continue
        loc = where(ind, "value")
        path = f"projects[{i}].indicators[{j}].value"
        f = unit_factor(bound, budget.wan, tol)
        # A cost far above the budget is a unit slip; far below only when it is meant to be the budget
        # (a 单价 of 10 元 beside a budget of 10 万元 is plausible).
        if f is not None and (f < 1 or "预算" in squash(ind.name)):
            assert tv.unit is not None
            new_unit = _unit_named(AMOUNT_UNITS[tv.unit] * f)
            corrected = format_target(replace(tv, unit=new_unit)) if new_unit else None
            amount_value = tv.upper if tv.op is Op.RANGE and tv.upper is not None else tv.number
            assert amount_value is not None
            yield _unit_suspect(
                what=f"成本指标“{text_of(ind.name)}”",
                amount_value=amount_value,
                unit=tv.unit,
                unit_assumed=False,
                factor=f,
                value=text_of(ind.value),
                other="预算数",
                other_value=text_of(p.budget),
                corrected=corrected,
                loc=loc,
                project=p.label,
                path=path,
            )
            continue
        if bound > budget.wan and not close(bound, budget.wan, tol):
            yield CostOverBudget.finding(
                loc=loc,
                project=p.label,
                path=path,
                value=text_of(ind.value),
                amount=format_wan(bound),
                budget=format_wan(budget.wan),
            )
