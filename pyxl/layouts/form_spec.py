"""The official 项目支出绩效目标表 as departments draw it: labels, their variants, and
the wording of the 项目资金主要用途 cell.

Shared by the form reader (cells), the form writer and the published-text importer
(lines of text), so the three agree on what a label is called and how
"预算数 74.5 万元。其中：财政资金 74.5 万元。主要用于……" is composed and split.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..core.units import format_number

__all__ = [
    "CHECKPOINT_RE",
    "CHOICES",
    "COST_LEVEL2",
    "DEPT_LABELS",
    "DEPT_TITLE",
    "FORM_TITLE",
    "FUNDING_SOURCES",
    "LEVEL1_NAMES",
    "LEVEL1_OF",
    "LEVEL2_NAMES",
    "PROJECT_LABELS",
    "TARGET_HEADERS",
    "WRITE_LABELS",
    "Purpose",
    "amount_text",
    "compose_purpose",
    "header_kind",
    "is_checkpoint",
    "is_decoration",
    "label_kind",
    "label_unit",
    "norm",
    "parse_purpose",
]

FORM_TITLE = "项目支出绩效目标表"
DEPT_TITLE = "部门整体绩效目标表"


def norm(value: Any) -> str:
    """A cell's text as labels are compared: NFKC (full-width → half-width), no whitespace,
    no required-field star, no trailing colon. "项目\\n编码" and "项目编码：" both give "项目编码"."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split())
    return text.lstrip("*★").rstrip(":")


def _strip_unit(label: str) -> str:
    return re.sub(r"\((?:万元|元|%|累计%|累计)\)$", "", label)


# ---------------------------------------------------------------- block labels (pyxl/data/form_labels.toml)


@cache
def _vocab() -> dict[str, Any]:
    text = resources.files("pyxl").joinpath("data/form_labels.toml").read_text("utf-8")
    return tomllib.loads(text)


def _words(*keys: str) -> frozenset[str]:
    node: Any = _vocab()
    for k in keys:
        node = node[k]
    return frozenset(norm(w) for w in node)


_PROJECT_KIND_NAMES = (
    "code", "name", "purpose", "goal", "goal_or_overall", "long_term_goal", "budget", "total_budget",
    "supervisor", "implementer", "contact", "phone", "nature", "category", "start", "end", "period",
)
# kind → normalised variants. "goal_or_overall" is a project's goal inside a block and the
# department's overall goal outside one (forms use 年度总体目标 for both).
PROJECT_LABELS: dict[str, frozenset[str]] = {k: _words("project", k) for k in _PROJECT_KIND_NAMES}
FUNDING_SOURCES: tuple[str, ...] = tuple(_vocab()["project"]["funding"])
_FUNDING_WORDS = _words("project", "funding")
_FUNDING_PREFIXES = tuple(_vocab()["project"]["funding_prefixes"])
_PLAN_WORDS = _words("project", "plan")
_ACTUAL_WORDS = _words("project", "actual")
_GROUP_WORDS = _words("project", "group")
_OTHER_WORDS = _words("project", "other")
DEPT_LABELS: dict[str, frozenset[str]] = {k: _words("department", k) for k in _vocab()["department"]}
# Fixed lists the template offers as dropdowns (项目性质, 项目类别, 指标方向)
CHOICES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _vocab()["choices"].items()}
# 二级 (as printed) → its 一级, for a 一级 cell that holds only a score or nothing
LEVEL1_OF: dict[str, str] = {
    **{norm(l2): l1 for l1, l2s in _vocab()["level1_of"].items() for l2 in l2s},
}

_BRACKETS = re.compile(r"\(([^()]*)\)")
_AMOUNT_UNITS = ("亿元", "千元", "万元", "元")
# "上级资金16", "财政拨款 10万元": a source with its amount in the same cell
_GLUED_AMOUNT = re.compile(r"^(?P<label>.*?\D)(?P<amount>[-+]?\d[\d,]*(?:\.\d+)?(?:亿元|千元|万元|元)?)$")


def _bare(label: str) -> tuple[str, str | None]:
    """The label without its bracketed notes, and the amount unit a bracket states."""
    unit = None
    for inside in _BRACKETS.findall(label):
        inside = inside.split(":", 1)[-1]
        if inside in _AMOUNT_UNITS:
            unit = inside
    return _BRACKETS.sub("", label), unit


def label_unit(value: Any) -> str | None:
    """The amount unit a label's brackets state: "资金情况(万元)" → 万元, "项目资金(元)" → 元."""
    return _bare(norm(value))[1] if isinstance(value, str) else None


def _source(label: str) -> str | None:
    """A funding source's name when ``label`` is one ("其中财政拨款", "当年其他资金")."""
    if label.startswith("其中"):
        # any short name after 其中 is a source; text with figures or sentences is a value
        name = label[2:]
        return _source_name(name) if re.fullmatch(r"[^\d,.，。;；、]{1,12}", name) else None
    name = _source_name(label)
    return name if name in _FUNDING_WORDS else None


def _source_name(label: str) -> str:
    for prefix in _FUNDING_PREFIXES:
        if label.startswith(prefix) and len(label) > len(prefix) + 1:
            return label[len(prefix):]
    return label


# What the writer prints (the seed's wording).
WRITE_LABELS = {
    "code": "项目编码",
    "name": "预算项目名称",
    "purpose": "项目资金主要用途",
    "plan": "资金支出计划（%）",
    "actual": "资金实际支出（万元）",
    "goal": "绩效目标",
    "dept_name": "部门名称",
    "dept_code": "部门编码",
    "year": "预算年度",
    "overall": "总体绩效目标",
}


def label_kind(value: Any) -> tuple[str, str] | None:
    """(kind, text after the label) when a cell is a block or department label.

    The value may sit in the label's own cell after a colon ("项目编码：144001001"), and a
    funding source's amount right after its name ("其中：上级资金16"). Kinds beyond the Project
    fields: "funding"/"funding_yuan", "budget_yuan", "plan", "actual", "group" (a label over other
    labels, no value of its own), "other" (a known label pyxl does not read here), the department's.
    """
    if not isinstance(value, str):
        return None
    # "其中：财政拨款" is a funding label, not the label 其中 with a value
    value = re.sub(r"^\s*其中\s*[:：]\s*", "其中", value)
    # split at the first colon, full- or half-width; the value keeps its own characters
    m = re.search("[:：]", value)
    head, rest = (value[: m.start()], value[m.end() :]) if m else (value, "")
    label = norm(head)
    rest = rest.strip()
    if not label or len(label) > 30:
        return None
    bare, unit = _bare(label)
    yuan = unit == "元"
    for kind, variants in PROJECT_LABELS.items():
        if label in variants or bare in variants:
            if kind == "budget" and yuan:
                return "budget_yuan", rest
            return kind, rest
    source = None
    glued = _GLUED_AMOUNT.match(bare) if not rest else None
    if glued and (glued_source := _source(glued.group("label"))):
        source, rest = glued_source, glued.group("amount")
    source = source or _source(bare)
    if source:
        return ("funding_yuan" if yuan else "funding"), rest
    if bare in _PLAN_WORDS:
        return "plan", rest
    if bare in _ACTUAL_WORDS:
        return "actual", rest
    for kind, variants in DEPT_LABELS.items():
        if label in variants or bare in variants:
            return kind, rest
    if bare in _GROUP_WORDS:
        return "group", rest
    if bare in _OTHER_WORDS:
        return "other", rest
    return None


def funding_source(label: Any) -> str:
    """The source name a funding label cell stands for ("其中：财政拨款（万元）" → "财政拨款",
    "其中:上级资金16" → "上级资金", "当年其他资金" → "其他资金")."""
    text = re.sub(r"^\s*其中\s*[:：]?\s*", "", str(label))
    bare = _bare(norm(re.split("[:：]", text)[0]))[0]
    glued = _GLUED_AMOUNT.match(bare)
    if glued and _source(glued.group("label")):
        bare = glued.group("label")
    return _source_name(bare)


# ---------------------------------------------------------------- indicator table

TARGET_HEADERS: dict[str, frozenset[str]] = {
    "numbering": frozenset({"编号", "序号"}),
    "goal": frozenset({"绩效目标", "分项绩效目标", "目标"}),
    "indicator": frozenset({"绩效指标", "指标", "指标名称"}),
    "value": frozenset({"指标值", "目标值"}),
    "actual": frozenset({"实际完成值", "实际值"}),
}


def header_kind(value: Any, table: dict[str, frozenset[str]] | None = None) -> str | None:
    """The role of an indicator table's header cell (the words are in columns.toml, shared with
    the table readers), or with ``table`` the kind it names in that table."""
    if table is None:
        from .columns import INDICATOR_ROLES, classify

        found = classify(value)
        return found.role if found is not None and not found.weak and found.role in INDICATOR_ROLES else None
    label = norm(value)
    if not label:
        return None
    for kind, variants in table.items():
        if label in variants:
            return kind
    return None


# The indicator framework as printed in forms, current and older names (see framework.py).
LEVEL1_NAMES = frozenset({"产出指标", "成本指标", "效益指标", "效果指标", "满意度指标"})
LEVEL2_NAMES = frozenset(
    {
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "可持续性影响指标",
        "可持续性影响",
        "可持续影响",
        "经济效益",
        "社会效益",
        "生态效益",
        "服务对象满意度指标",
        "服务对象满意度",
        "满意度指标",
    }
)
COST_LEVEL2 = frozenset({"经济成本指标", "社会成本指标", "生态环境成本指标"})

CHECKPOINT_RE = re.compile(
    r"^(?:\d{1,2}月(?:底|末|份)?|第?[一二三四1-4]季度(?:末|底)?|[一二三四]季度(?:末|底)?|全年|年底|年末|上半年|下半年)$"
)


def is_checkpoint(value: Any) -> bool:
    return isinstance(value, str) and bool(CHECKPOINT_RE.match(norm(value)))


# Text that frames a printed form (titles, unit lines, signatures) and belongs to no field.
_DECORATION = tuple(norm(w) for w in _vocab()["decoration"]["contains"])
_DECORATION_PREFIXES = tuple(norm(w) for w in _vocab()["decoration"]["prefixes"])


def is_decoration(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = norm(value)
    return any(d in text for d in _DECORATION) or text.startswith(_DECORATION_PREFIXES)


# ---------------------------------------------------------------- 项目资金主要用途


@dataclass
class Purpose:
    """The 项目资金主要用途 cell split into its parts; values as written."""

    budget: str | None = None
    funding: dict[str, str | None] = field(default_factory=dict)
    purpose: str | None = None


_BUDGET_WORDS = "年度预算数|预算数|预算金额|年度资金总额|项目资金总额|资金总额|项目总金额"
_BUDGET_RE = re.compile(rf"^\s*(?:{_BUDGET_WORDS})\s*[：:为]?\s*(?P<amount>[^。；;，,]*?)\s*(?:[。；;，,]|$)")
_FUNDING_RE = re.compile(r"^\s*其中\s*[：:]?\s*(?P<items>[^。；;]*?)\s*(?:[。；;]|$)")
_ITEM_RE = re.compile(r"^(?P<name>.*?)\s*[：:为]?\s*(?P<amount>[-+]?[¥￥]?(?:\d|\.\d|[０-９]).*)$")


def amount_text(value: Any) -> str:
    """An amount as the form prints it: text as written, a bare number in 万元."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{format_number(float(value))} 万元"
    return str(value)


def compose_purpose(budget: Any, funding: dict[str, Any], purpose: str | None) -> str | None:
    parts = []
    if budget is not None:
        parts.append(f"预算数 {amount_text(budget)}。")
    if funding:
        items = [f"{source} {amount_text(v)}".rstrip() for source, v in funding.items()]
        parts.append("其中：" + "，".join(items) + "。")
    if purpose:
        parts.append(purpose)
    return "".join(parts) or None


def parse_purpose(text: str | None) -> Purpose:
    """Split "预算数 X。其中：A x，B y。用途……"; parts that are not written stay empty."""
    out = Purpose()
    if not text:
        return out
    rest = text
    m = _BUDGET_RE.match(rest)
    if m:
        out.budget = m.group("amount").strip() or None
        rest = rest[m.end() :]
    m = _FUNDING_RE.match(rest)
    if m:
        for item in re.split(r"[，,、]", m.group("items")):
            item = item.strip()
            if not item:
                continue
            im = _ITEM_RE.match(item)
            if im and im.group("name").strip():
                out.funding[im.group("name").strip()] = im.group("amount").strip()
            else:
                out.funding[item] = None
        rest = rest[m.end() :]
    rest = rest.strip()
    out.purpose = rest or None
    return out
