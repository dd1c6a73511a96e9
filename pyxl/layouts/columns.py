"""Column roles: what field a table column holds, from its header words.

Real tables name the same column many ways (三级指标 / 指标内容 / 指标名称; 指标值 /
目标值 / 年度(/项目)指标值; 符号 / 计算符号 / 指标性质 …) and put the header anywhere.
The words live in ``pyxl/data/columns.toml``; this module only reads them.

API (small and stable; the table reader, the block reader and text import use it):

- ``classify(cell) -> Column | None``: one header cell's role, with the amount unit and
  the 长期/年度 qualifier its brackets state ("预算数(元)" → budget in 元).
- ``header_roles(row) -> dict[str, Column]`` keyed by role: the roles a row's cells name,
  each role at its first column (an annual column wins over a long-term one); weak words
  ("绩效指标") count only when no other column names that role.
- ``is_indicator_header(roles)``: the roles make an indicator table header.
- ``stated_unit(cell) -> str | None``: the amount unit a title line states ("金额单位:元").
- ``ROLES``: every role name, in the vocabulary's order.
- ``is_page_end(cell)``: page furniture after which a published table is over ("附件", "扫一扫",
  "…审核意见", "(盖章)").
- ``vocabulary()``: the parsed data file, for the other word lists it holds.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "INDICATOR_ROLES",
    "PROJECT_ROLES",
    "ROLES",
    "Column",
    "classify",
    "clean_level",
    "header_roles",
    "is_indicator_header",
    "is_page_end",
    "stated_unit",
    "vocabulary",
]

# roles that belong to an indicator row; the others describe its project
INDICATOR_ROLES = frozenset(
    {
        "level1",
        "level2",
        "name",
        "description",
        "symbol",
        "direction",
        "number",
        "unit",
        "value",
        "weight",
        "score",
        "basis",
        "actual",
        "forecast",
        "deviation_reason",
        "corrective_action",
        "remark",
    }
)


@dataclass(frozen=True)
class Column:
    role: str
    col: int = -1  # 0-based column index, where known
    amount_unit: str | None = None  # "元" for "预算数(元)"
    qualifier: str | None = None  # "long_term" / "annual" from "(长期)" / "(年度)"
    weak: bool = False


@dataclass(frozen=True)
class _Vocab:
    words: dict[str, str]  # word → role
    weak: dict[str, str]
    prefixes: tuple[tuple[str, str], ...]
    suffixes: tuple[tuple[str, str], ...]
    roles: tuple[str, ...]
    qualifiers: dict[str, str]  # bracket text → qualifier
    unit_prefixes: tuple[str, ...]
    units: tuple[str, ...]


@cache
def vocabulary() -> dict[str, Any]:
    """The parsed ``pyxl/data/columns.toml`` (header words, operators, polarity, page furniture…)."""
    return tomllib.loads(resources.files("pyxl").joinpath("data/columns.toml").read_text("utf-8"))


@cache
def _vocab() -> _Vocab:
    data = vocabulary()
    words: dict[str, str] = {}
    weak: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    suffixes: list[tuple[str, str]] = []
    for role, spec in data["roles"].items():
        for w in spec.get("words", ()):
            words.setdefault(_norm(w), role)
        for w in spec.get("weak", ()):
            weak.setdefault(_norm(w), role)
        prefixes += [(_norm(w), role) for w in spec.get("prefixes", ())]
        suffixes += [(_norm(w), role) for w in spec.get("suffixes", ())]
    qualifiers = {_norm(w): q for q, ws in data["qualifiers"].items() for w in ws}
    units = data["amount_units"]
    return _Vocab(
        words,
        weak,
        tuple(prefixes),
        tuple(suffixes),
        tuple(data["roles"]),
        qualifiers,
        tuple(_norm(p) for p in units["line_prefixes"]),
        tuple(sorted(units["units"], key=len, reverse=True)),
    )


def _norm(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split())
    return text.lstrip("*★").rstrip(":")


ROLES: tuple[str, ...] = _vocab().roles
PROJECT_ROLES = frozenset(ROLES) - INDICATOR_ROLES

_BRACKET = re.compile(r"\(([^()]*)\)")
_AMOUNT_UNITS = ("亿元", "千元", "万元", "元")


def classify(cell: Any, col: int = -1) -> Column | None:
    """The role one header cell names, or None."""
    if not isinstance(cell, str):
        return None
    text = _norm(cell)
    if not text or len(text) > 24:
        return None
    v = _vocab()
    unit = qualifier = None
    for inside in _BRACKET.findall(text):
        if inside in _AMOUNT_UNITS:
            unit = inside
        elif inside.startswith(("单位:", "金额单位:")) and inside.split(":", 1)[1] in _AMOUNT_UNITS:
            unit = inside.split(":", 1)[1]
        elif inside in v.qualifiers:
            qualifier = v.qualifiers[inside]
    base = _BRACKET.sub("", text)
    if base.startswith("其中"):
        base = base[2:]
    if not base:
        return None
    role = v.words.get(base)
    weak = False
    if role is None:
        role = next((r for p, r in v.prefixes if base.startswith(p)), None)
    if role is None:
        role = next((r for s, r in v.suffixes if base.endswith(s) and len(base) <= len(s) + 6), None)
    if role is None and base in v.weak:
        role, weak = v.weak[base], True
    if role is None:
        return None
    return Column(role, col, unit, qualifier, weak)


def header_roles(row: Sequence[Any]) -> dict[str, Column]:
    """Role → column for one header row. A role named twice keeps its first column, except
    that an annual (or unqualified) column wins over a long-term one (D06 prints
    三级指标(长期) before 三级指标(年度)) and a strong word wins over a weak one."""
    out: dict[str, Column] = {}
    for c, cell in enumerate(row):
        found = classify(cell, c)
        if found is None:
            continue
        have = out.get(found.role)
        if have is None or _rank(found) < _rank(have):
            out[found.role] = found
    return out


def _rank(c: Column) -> int:
    return (2 if c.weak else 0) + (1 if c.qualifier == "long_term" else 0)


def is_indicator_header(roles: dict[str, Column] | Sequence[str]) -> bool:
    """An indicator table's header: a 三级 (or 一级/二级) name column and a value (or its parts)."""
    # a weak word ("绩效指标") does not make a header on its own: 部门整体 targets tables print
    # 绩效目标 | 绩效指标 | 指标值
    keys = {k for k in roles if not (isinstance(roles, dict) and roles[k].weak)}
    named = bool(keys & {"name", "level1", "level2"})
    valued = bool(keys & {"value", "number", "symbol", "actual"})
    return named and valued and len(keys & INDICATOR_ROLES) >= 3


def stated_unit(cell: Any) -> str | None:
    """The amount unit a title or header cell states: "金额单位:元" → 元, "(单位：万元)" → 万元,
    "项目资金（元）" → 元 (a header with its unit in brackets)."""
    if not isinstance(cell, str):
        return None
    text = _norm(cell)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    v = _vocab()
    for prefix in v.unit_prefixes:
        i = text.find(prefix + ":")
        if i >= 0:
            rest = text[i + len(prefix) + 1 :]
            for u in v.units:
                if rest.startswith(u) and not rest[len(u) : len(u) + 1].isalnum():
                    return u
                if rest.startswith(u) and not rest[len(u) :]:
                    return u
    m = re.search(r"\((亿元|千元|万元|元)\)$", text)
    if m and len(text) <= 16:
        return m.group(1)
    return None


# "产出指标(50分)", "成本指标(必填硬性指标)", "数量指标（选填）": the bracket is an annotation
_LEVEL_NOTE = re.compile(
    r"\s*(?:[(（][^()（）]*(?:分|必填|选填|硬性|可选)[^()（）]*[)）]|[(（][\d.\-~～—]+[)）]\s*分)\s*$"
)


def clean_level(text: str | None) -> str | None:
    """A 一级/二级 name without its score or 必填 annotation; other text as written."""
    if text is None:
        return None
    out = _LEVEL_NOTE.sub("", str(text)).strip()
    return out or None


@cache
def _page_end() -> tuple[frozenset[str], tuple[str, ...]]:
    spec = vocabulary()["text_end"]
    return frozenset(_norm(w) for w in spec["words"]), tuple(_norm(w) for w in spec["contains"])


def is_page_end(cell: Any) -> bool:
    """Page furniture or a signature line: the table above it is over."""
    if not isinstance(cell, str):
        return False
    words, contains = _page_end()
    t = _norm(cell)
    return t in words or any(w in t for w in contains)
