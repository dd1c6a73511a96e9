"""Structure checks: required fields, project codes, the indicator framework (一级/二级)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.findings import Finding, Severity
from ..core.framework import FRAMEWORK, LEVEL1, OUTDATED
from ..core.model import Department, Indicator
from ._where import absent_from_layout, category, is_blank, project_ref, squash, text_of, where
from .catalog import (
    CategoryMisplaced,
    CategoryOutdated,
    CategoryRequiredMissing,
    CategoryUnknown,
    CodeDuplicate,
    CodeInvalid,
    FieldMissing,
)
from .policy import required_fields
from .registry import Context, register

__all__ = [
    "check_categories",
    "check_codes",
    "check_fields",
    "check_required_categories",
]

_INDICATOR_ALL = ("level1", "level2", "name", "description", "value", "basis")


def _is_blank_row(ind: Indicator) -> bool:
    return all(is_blank(getattr(ind, f)) for f in _INDICATOR_ALL)


def _unfilled(value: object) -> bool:
    """Blank text, or an empty table (funding, spend_plan) where the policy requires one."""
    return is_blank(value) or value in ({}, [])


def _indicator_ref(ind: Indicator, j: int) -> str:
    name = text_of(ind.name)
    return f"指标“{name}”的" if name else f"第 {j + 1} 条指标的"


@register
def check_fields(dept: Department, ctx: Context) -> Iterator[Finding]:
    project_fields = required_fields(ctx.config, "project")  # the bureau's [policy]
    indicator_fields = required_fields(ctx.config, "indicator")
    # a field the document's layout has no place for is said once, at info level ([required] overrides)
    absent = {key for key, _ in project_fields if absent_from_layout(dept, ctx.config, key)}
    for key, what in project_fields:
        if key in absent and any(_unfilled(getattr(p, key)) for p in dept.projects):
            yield FieldMissing.finding(severity=Severity.INFO, what=f"表中没有“{what}”栏目，各项目的{what}")
    for i, p in enumerate(dept.projects):
        for key, what in project_fields:
            if key not in absent and _unfilled(getattr(p, key)):
                yield FieldMissing.finding(
                    loc=where(p, key), project=p.label, path=f"projects[{i}].{key}", what=what
                )
        for j, ind in enumerate(p.indicators):
            if _is_blank_row(ind):
                continue  # an empty row of the table
            for key, what in indicator_fields:
                if _unfilled(getattr(ind, key)):
                    yield FieldMissing.finding(
                        loc=where(ind, key),
                        project=p.label,
                        path=f"projects[{i}].indicators[{j}].{key}",
                        what=_indicator_ref(ind, j) + what,
                    )


@register
def check_codes(dept: Department, ctx: Context) -> Iterator[Finding]:
    pattern = re.compile(ctx.config["code.pattern"])
    first: dict[str, int] = {}
    for i, p in enumerate(dept.projects):
        if is_blank(p.code):
            continue
        code = str(p.code).strip()
        path = f"projects[{i}].code"
        if not pattern.fullmatch(code):
            yield CodeInvalid.finding(loc=where(p, "code"), project=p.label, path=path, code=code)
        if code in first:
            k = first[code]
            other = f"第 {k + 1} 个项目“{project_ref(dept.projects[k])}”"
            yield CodeDuplicate.finding(
                loc=where(p, "code"), project=p.label, path=path, code=code, other=other
            )
        else:
            first[code] = i


def _owner(level2: str) -> str | None:
    return next((k for k, v in FRAMEWORK.items() if level2 in v), None)


@register
def check_categories(dept: Department, ctx: Context) -> Iterator[Finding]:
    """category-unknown, category-misplaced, category-outdated (once per project and old name)."""
    for i, p in enumerate(dept.projects):
        outdated_seen: set[str] = set()
        for j, ind in enumerate(p.indicators):
            l1, l2 = squash(ind.level1), squash(ind.level2)
            if not l1 and not l2:
                continue
            cat = category(ind.level1, ind.level2)
            base = f"projects[{i}].indicators[{j}]"
            if l1 and not cat.level1_known:
                yield CategoryUnknown.finding(
                    loc=where(ind, "level1"),
                    project=p.label,
                    path=f"{base}.level1",
                    level="一级指标",
                    value=text_of(ind.level1),
                    choices="、".join(LEVEL1),
                )
            if l2 and not cat.level2_known:
                choices = FRAMEWORK.get(cat.level1 or "") or tuple(x for v in FRAMEWORK.values() for x in v)
                yield CategoryUnknown.finding(
                    loc=where(ind, "level2"),
                    project=p.label,
                    path=f"{base}.level2",
                    level="二级指标",
                    value=text_of(ind.level2),
                    choices="、".join(choices),
                )
            if cat.misplaced and cat.level2:
                yield CategoryMisplaced.finding(
                    loc=where(ind, "level2"),
                    project=p.label,
                    path=f"{base}.level2",
                    level2=text_of(ind.level2),
                    level1=text_of(ind.level1),
                    owner=_owner(cat.level2),
                )
            for old, new in cat.outdated:
                if old in outdated_seen:
                    continue
                outdated_seen.add(old)
                key = "level1" if old == l1 else "level2"
                yield CategoryOutdated.finding(
                    loc=where(ind, key), project=p.label, path=f"{base}.{key}", old=old, new=new
                )


def _current(name: str) -> str:
    name = squash(name)
    return OUTDATED.get(name, name)


@register
def check_required_categories(dept: Department, ctx: Context) -> Iterator[Finding]:
    required1 = [_current(x) for x in ctx.config["policy.required_level1"]]
    required2 = [_current(x) for x in ctx.config["policy.required_level2"]]
    for i, p in enumerate(dept.projects):
        have1: set[str] = set()
        have2: set[str] = set()
        for ind in p.indicators:
            cat = category(ind.level1, ind.level2)
            if cat.level1:
                have1.add(cat.level1)
            if cat.level2:
                have2.add(cat.level2)
        loc = where(p, "indicators")
        path = f"projects[{i}].indicators"
        missing1 = [c for c in required1 if c not in have1]
        for name in missing1:
            yield CategoryRequiredMissing.finding(
                loc=loc, project=p.label, path=path, level="一级指标", category=name
            )
        if not p.indicators:
            continue
        for name in required2:
            if name in have2 or _owner(name) in missing1:
                continue  # a missing 一级 is already reported; its 二级 would only repeat it
            yield CategoryRequiredMissing.finding(
                loc=loc,
                project=p.label,
                path=path,
                severity=Severity.WARNING,
                level="二级指标",
                category=name,
            )
