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
from operator import attrgetter
from typing import Any

from ..core.errors import ConfigError
from ..core.findings import Finding
from ..core.model import Department, Location
from ._where import TEXTS, squash, text_of, where
from .catalog import PlaceholderLeft
from .policy import field_label
from .registry import Context, register

__all__ = ["check_placeholders", "compile_patterns", "placeholder_in"]

# model fields that are not text a person typed into one cell
_SKIP = {"loc", "read_issues", "targets", "projects", "indicators", "selfeval", "year"}


@lru_cache(maxsize=32)
def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for all patterns. Every text field of a department is searched, so
    when the characters a match can start with are known, a lookahead on them comes first: the
    engine then skips a position with one set test instead of trying every alternative (8× faster)."""
    body = "|".join(f"(?:{p})" for p in patterns if p) or r"(?!x)x"
    try:
        re.compile(body)
    except re.error as exc:
        raise ConfigError(f"配置项 placeholders.patterns 中的正则表达式有误：{exc}",
                          f"bad regular expression in placeholders.patterns: {exc}") from None
    starts = first_chars(body)
    if not starts:
        return re.compile(body)
    return re.compile("(?=[" + "".join(re.escape(c) for c in sorted(starts)) + "])(?:" + body + ")")


def first_chars(pattern: str) -> set[str] | None:
    """The characters every match of ``pattern`` starts with; None when that cannot be told
    (any character, a class such as \\w, case-folding, a pattern that may match empty)."""
    from re import _constants as c  # the parser's tree: stable since 3.11, used here only as a speed-up
    from re import _parser

    def items(seq: Any) -> tuple[set[str], bool] | None:
        acc: set[str] = set()
        for op, av in seq:
            got = item(op, av)
            if got is None:
                return None
            chars, nullable = got
            acc |= chars
            if not nullable:
                return acc, False
        return acc, True

    def item(op: Any, av: Any) -> tuple[set[str], bool] | None:
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            out: set[str] = set()
            for o, a in av:
                if o is c.LITERAL:
                    out.add(chr(a))
                elif o is c.RANGE and a[1] - a[0] <= 256:
                    out.update(chr(x) for x in range(a[0], a[1] + 1))
                else:
                    return None
            return out, False
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _high, sub = av
            got = items(sub)
            return None if got is None else (got[0], got[1] or low == 0)
        if op is c.SUBPATTERN:
            return None if av[1] & re.IGNORECASE else items(av[-1])
        if op is c.BRANCH:
            alts = [items(a) for a in av[1]]
            if any(a is None for a in alts):
                return None
            return set().union(*(a[0] for a in alts if a)), any(a[1] for a in alts if a)
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return set(), True  # zero-width: the match starts at what follows
        return None

    try:
        parsed = _parser.parse(pattern)
    except Exception:  # a parser detail that changed: no speed-up, same matches
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    got = items(parsed)
    return None if got is None or got[1] else got[0]


@lru_cache(maxsize=TEXTS)
def _search(text: str, pattern: re.Pattern[str]) -> str | None:
    m = pattern.search(squash(text))
    return m.group() if m else None


def placeholder_in(value: Any, pattern: re.Pattern[str]) -> str | None:
    """The placeholder text found in a cell value, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _search(value, pattern)


@lru_cache(maxsize=16)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name not in _SKIP)


@lru_cache(maxsize=16)
def _getter(cls: type) -> Any:
    return attrgetter(*_field_names(cls))  # all fields in one call


def _texts(obj: Any, out: list[str]) -> None:
    """Append every text of a model object (table fields entry by entry) to ``out``, squashed."""
    for v in _getter(type(obj))(obj):
        if type(v) is str:
            out.append(squash(v))
        elif type(v) is dict:
            out += [squash(x) for x in v.values() if type(x) is str]


def _hits(obj: Any, kind: str, pattern: re.Pattern[str]) -> Iterator[tuple[str, str, Any, str]]:
    """(loc key, label, value, placeholder) of every text field of a model object holding a placeholder,
    table fields (funding, spend_plan) entry by entry."""
    for name in _field_names(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, str):
            if (hit := placeholder_in(value, pattern)) is not None:
                yield name, field_label(kind, name), value, hit
        elif isinstance(value, dict):
            for key, v in value.items():
                if (hit := placeholder_in(v, pattern)) is not None:
                    yield f"{name}.{key}", f"{field_label(kind, name)}“{key}”", v, hit


def _objects(dept: Department) -> Iterator[tuple[Any, str, str, str, str | None]]:
    """(object, kind, path, how messages name its fields, project) of every model object."""
    yield dept, "department", "department", "", None
    for k, t in enumerate(dept.targets):
        yield t, "target", f"department.targets[{k}]", f"第 {k + 1} 条分项目标的", None
    for i, p in enumerate(dept.projects):
        yield p, "project", f"projects[{i}]", "", p.label
        for j, ind in enumerate(p.indicators):
            yield ind, "indicator", f"projects[{i}].indicators[{j}]", f"第 {j + 1} 条指标的", p.label


@register
def check_placeholders(dept: Department, ctx: Context) -> Iterator[Finding]:
    pattern = compile_patterns(tuple(ctx.config["placeholders.patterns"]))
    # Every text of the department (squashed: cached per text) searched at once: a department without
    # placeholders, the usual case, costs one pass over its text, not one search per cell.
    texts: list[str] = []
    _texts(dept, texts)
    for t in dept.targets:
        _texts(t, texts)
    for p in dept.projects:
        _texts(p, texts)
        for ind in p.indicators:
            _texts(ind, texts)
    if not pattern.search("\0".join(texts)):
        return
    seen: set[tuple[str, str] | str] = set()
    for obj, kind, base, owner, project in _objects(dept):
        for key, label, value, hit in _hits(obj, kind, pattern):
            loc: Location | None = where(obj, key)
            path = f"{base}.{key}"
            mark: tuple[str, str] | str = (loc.sheet, loc.cell) if loc else path
            if mark in seen:
                continue  # one merged cell applied to several rows
            seen.add(mark)
            yield PlaceholderLeft.finding(loc=loc, project=project, path=path, what=owner + label,
                                          found=hit, value=text_of(value))
