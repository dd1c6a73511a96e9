"""placeholder-left: what a blank template leaves in a cell, found in any text field.

“≥**个”, XX, ××, 待填写, the template's own instructions (“注:各地请根据实际情况…”, “(必填)”):
the patterns are ``[placeholders] patterns`` of rules.toml, matched on NFKC text without spaces.
A merged cell read into several rows is reported once, at its cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields
from functools import lru_cache
from typing import Any

from ..errors import ConfigError
from ..findings import Finding
from ..model import Department, Location
from ._where import squash, text_of, where
from .catalog import PlaceholderLeft
from .engine import Context, register
from .policy import field_label

__all__ = ["check_placeholders", "compile_patterns", "placeholder_in"]

# model fields that are not text a person typed into one cell
_SKIP = {"loc", "read_issues", "targets", "projects", "indicators", "selfeval", "year"}


@lru_cache(maxsize=32)
def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str]:
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns if p) or r"(?!x)x")
    except re.error as exc:
        raise ConfigError(f"配置项 placeholders.patterns 中的正则表达式有误：{exc}",
                          f"bad regular expression in placeholders.patterns: {exc}") from None


@lru_cache(maxsize=16384)
def _search(text: str, pattern: re.Pattern[str]) -> str | None:
    m = pattern.search(squash(text))
    return m.group() if m else None


def placeholder_in(value: Any, pattern: re.Pattern[str]) -> str | None:
    """The placeholder text found in a cell value, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _search(value, pattern)


def _texts(obj: Any, kind: str) -> Iterator[tuple[str, str, Any]]:
    """(loc key, label, value) of every text field of a model object, table fields entry by entry."""
    for f in fields(obj):
        if f.name in _SKIP:
            continue
        value = getattr(obj, f.name)
        if isinstance(value, dict):
            for key, v in value.items():
                yield f"{f.name}.{key}", f"{field_label(kind, f.name)}“{key}”", v
        else:
            yield f.name, field_label(kind, f.name), value


@register
def check_placeholders(dept: Department, ctx: Context) -> Iterator[Finding]:
    pattern = compile_patterns(tuple(ctx.config["placeholders.patterns"]))
    seen: set[tuple[str, str] | str] = set()

    def found(obj: Any, kind: str, base: str, owner: str, project: str | None) -> Iterator[Finding]:
        for key, label, value in _texts(obj, kind):
            hit = placeholder_in(value, pattern)
            if hit is None:
                continue
            loc: Location | None = where(obj, key)
            path = f"{base}.{key}" if base else f"department.{key}"
            mark: tuple[str, str] | str = (loc.sheet, loc.cell) if loc else path
            if mark in seen:
                continue  # one merged cell applied to several rows
            seen.add(mark)
            yield PlaceholderLeft.finding(loc=loc, project=project, path=path, what=owner + label,
                                          found=hit, value=text_of(value))

    yield from found(dept, "department", "", "", None)
    for k, t in enumerate(dept.targets):
        yield from found(t, "target", f"department.targets[{k}]", f"第 {k + 1} 条分项目标的", None)
    for i, p in enumerate(dept.projects):
        yield from found(p, "project", f"projects[{i}]", "", p.label)
        for j, ind in enumerate(p.indicators):
            yield from found(ind, "indicator", f"projects[{i}].indicators[{j}]", f"第 {j + 1} 条指标的", p.label)
