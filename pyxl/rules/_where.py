"""Small helpers shared by the check modules: where a finding points, what counts as empty."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from ..core.framework import Category, classify
from ..core.grammar import TargetValue, parse_target
from ..core.model import Location

__all__ = ["absent_from_layout", "bare", "category", "is_blank", "project_ref", "squash", "target", "text_of", "where"]


def where(obj: Any, key: str) -> Location | None:
    """The cell a field of ``obj`` came from, else the object's row, else None."""
    loc = getattr(obj, "loc", None) or {}
    return loc.get(key) or loc.get("row")


def absent_from_layout(dept: Any, config: Any, key: str) -> bool:
    """The document's layout has no place for this project field at all and the bureau's config
    does not require it ([required] project): say it once per document, not per project."""
    return key in getattr(dept, "layout_absent", ()) and key not in config["required.project"]


def is_blank(value: Any) -> bool:
    """None, or text that is only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    """A value as the user wrote it, for messages: 100 → "100", "  ≥95% " → "≥95%"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def squash(text: Any) -> str:
    """NFKC-normalised text without any whitespace (for comparisons)."""
    if text is None:
        return ""
    return _squash(text if isinstance(text, str) else str(text))


# Memo sizes: one department's distinct texts fit (50 projects × 14 indicators: ~1,700), values repeated
# across departments stay; a full memo holds a few MB, so a rollup's memory stops growing after a
# few dozen files instead of after thousands (issue 16: 43 → 59 MB from 50 to 400 files).
TEXTS = 4096
VALUES = 2048


@lru_cache(maxsize=TEXTS)
def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=TEXTS)
def bare(text: str) -> str:
    """Text without whitespace and punctuation (NFKC), for "is it the same wording" tests."""
    return "".join(ch for ch in _squash(text) if not unicodedata.category(ch).startswith("P"))


# The rules see the same few category pairs and 指标值 over and over; both functions are pure.
_category = lru_cache(maxsize=4096)(classify)
_target = lru_cache(maxsize=VALUES, typed=True)(parse_target)


def category(level1: str | None, level2: str | None) -> Category:
    """framework.classify, remembered."""
    return _category(level1, level2)


def target(value: Any) -> TargetValue:
    """grammar.parse_target, remembered (a TargetValue is immutable)."""
    try:
        return _target(value)
    except TypeError:  # unhashable: not a cell value, but never raise
        return parse_target(value)


def project_ref(project: Any) -> str:
    """A project as named in messages: "差旅费（144001002）"."""
    name = (project.name or "").strip()
    code = (project.code or "").strip()
    if name and code:
        return f"{name}（{code}）"
    return name or code or "（未编码项目）"
