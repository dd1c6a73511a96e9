"""target-vague: a 指标值 whose wording measures nothing (“有效提升”, “长期”, “持续影响”).

The word list and the 定性 grades that stay fine are ``[vague]`` of rules.toml. A value that
holds a number is never vague ("有效提升 10%" is a target); grammar-level problems of such
values are the target checks' business.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from ..core.findings import Finding
from ..core.model import Department
from ._where import VALUES, is_blank, squash, text_of, where
from .catalog import TargetVague
from .registry import Context, register

__all__ = ["check_vague_targets", "vague_settings", "vague_word"]

_TRAILING = "。.，,;；!！、"


@lru_cache(maxsize=VALUES)
def vague_word(value: str, words: tuple[str, ...], grades: frozenset[str]) -> str | None:
    """The vague word ``value`` is made of, or None (a number, a 定性 grade, or no listed word).
    ``words`` longest first."""
    text = squash(value).rstrip(_TRAILING)
    if not text or text in grades or any(ch.isdigit() for ch in text):
        return None
    return next((w for w in words if w in text), None)


def vague_settings(ctx: Context) -> tuple[tuple[str, ...], frozenset[str]]:
    words = sorted({squash(w) for w in ctx.config["vague.words"] if squash(w)}, key=len, reverse=True)
    grades = frozenset(squash(g) for g in ctx.config["vague.grades"])
    return tuple(words), grades


@register
def check_vague_targets(dept: Department, ctx: Context) -> Iterator[Finding]:
    words, grades = vague_settings(ctx)
    for i, p in enumerate(dept.projects):
        for j, ind in enumerate(p.indicators):
            if is_blank(ind.value) or not isinstance(ind.value, str):
                continue
            word = vague_word(ind.value, words, grades)
            if word:
                yield TargetVague.finding(loc=where(ind, "value"), project=p.label,
                                          path=f"projects[{i}].indicators[{j}].value",
                                          value=text_of(ind.value), word=word)
    for k, t in enumerate(dept.targets):
        if is_blank(t.value) or not isinstance(t.value, str):
            continue
        word = vague_word(t.value, words, grades)
        if word:
            yield TargetVague.finding(loc=where(t, "value"), path=f"department.targets[{k}].value",
                                      value=text_of(t.value), word=word)
