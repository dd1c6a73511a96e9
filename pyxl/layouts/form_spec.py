"""The official 项目支出绩效目标表 as departments draw it: labels, their variants, and
the wording of the 项目资金主要用途 cell.

Shared by the form reader (cells), the form writer and the published-text importer
(lines of text), so the three agree on what a label is called and how
"预算数 74.5 万元。其中：财政资金 74.5 万元。主要用于……" is composed and split.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..units import format_number

__all__ = [
    "CHECKPOINT_RE",
    "COST_LEVEL2",
    "DEPT_LABELS",
    "DEPT_TITLE",
    "FORM_TITLE",
    "FUNDING_SOURCES",
    "INDICATOR_HEADERS",
    "LEVEL1_NAMES",
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


# ---------------------------------------------------------------- block labels

# kind → normalised variants. "goal_or_overall" is a project's goal inside a block and the
# department's overall goal outside one (forms use 年度总体目标 for both).
PROJECT_LABELS: dict[str, frozenset[str]] = {
    "code": frozenset({"项目编码", "项目代码", "预算项目编码", "项目编号"}),
    "name": frozenset({"预算项目名称", "项目名称"}),
    "purpose": frozenset({"项目资金主要用途", "资金主要用途", "主要用途", "项目资金用途", "资金用途"}),
    "goal": frozenset({"绩效目标", "年度绩效目标", "年度目标", "项目绩效目标", "项目年度绩效目标"}),
    "goal_or_overall": frozenset({"年度总体目标"}),
    "budget": frozenset(
        {"预算数", "年度预算数", "预算金额", "资金总额", "年度资金总额", "项目资金总额", "项目总金额"}
    ),
}
# a label, possibly with its unit in brackets: 资金支出计划（%）, 资金支出计划（累计%）
_PLAN_RE = re.compile(r"^(?:资金支出计划|支出计划|资金使用计划|资金支出进度计划)(?:\([^()]*\))?$")
_ACTUAL_RE = re.compile(r"^(?:资金实际支出|实际支出|累计实际支出)(?:\([^()]*\))?$")
FUNDING_SOURCES = (
    "财政资金",
    "财政拨款",
    "财政拨款资金",
    "其他资金",
    "自有资金",
    "上级补助",
    "专户资金",
    "单位资金",
)

DEPT_LABELS: dict[str, frozenset[str]] = {
    "dept_name": frozenset(
        {"部门名称", "单位名称", "部门(单位)名称", "填报单位", "预算单位", "填报单位名称"}
    ),
    "dept_code": frozenset({"部门编码", "单位编码", "部门(单位)编码", "预算单位编码"}),
    "year": frozenset({"预算年度", "年度"}),
    "overall": frozenset(
        {"总体绩效目标", "总体目标", "部门总体绩效目标", "部门整体绩效目标", "整体绩效目标"}
    ),
}

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

    The value may sit in the label's own cell after a colon ("项目编码：144001001").
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
    if label.startswith("其中"):
        label = label[2:]
    for kind, variants in PROJECT_LABELS.items():
        if label in variants or _strip_unit(label) in variants:
            if kind == "budget" and label.endswith("(元)"):
                return "budget_yuan", rest
            return kind, rest
    if _strip_unit(label) in FUNDING_SOURCES:
        return ("funding_yuan" if label.endswith("(元)") else "funding"), rest
    if _PLAN_RE.match(label):
        return "plan", rest
    if _ACTUAL_RE.match(label):
        return "actual", rest
    for kind, variants in DEPT_LABELS.items():
        if label in variants:
            return kind, rest
    return None


def funding_source(label: Any) -> str:
    """The source name a funding label cell stands for ("其中：财政拨款（万元）" → "财政拨款")."""
    text = re.sub(r"^\s*其中\s*[:：]?\s*", "", str(label))
    return _strip_unit(norm(re.split("[:：]", text)[0]))


# ---------------------------------------------------------------- indicator table

INDICATOR_HEADERS: dict[str, frozenset[str]] = {
    "level1": frozenset({"一级指标", "一级"}),
    "level2": frozenset({"二级指标", "二级"}),
    "name": frozenset({"三级指标", "三级", "指标名称", "绩效指标名称", "三级指标名称"}),
    "description": frozenset(
        {"绩效指标描述", "指标描述", "指标解释", "指标说明", "指标内涵", "指标解释说明", "指标值说明"}
    ),
    "value": frozenset(
        {"指标值", "目标值", "年度指标值", "绩效指标值", "指标目标值", "年度目标值", "指标值(目标值)"}
    ),
    "basis": frozenset(
        {"指标值确定依据", "确定依据", "指标值设定依据", "指标值确定依据说明", "指标依据", "依据"}
    ),
    "symbol": frozenset({"符号", "指标值符号", "运算符", "比较符号", "指标符号", "指标性质"}),
    "number": frozenset({"数值", "指标值数值", "目标数值", "指标数值"}),
    "unit": frozenset({"单位", "计量单位", "度量单位", "指标单位", "指标值单位"}),
    "actual": frozenset({"实际完成值", "实际值", "实际完成情况"}),
    "forecast": frozenset({"全年预计完成值", "全年预计完成情况", "预计完成值"}),
    "deviation_reason": frozenset({"偏差原因", "偏差原因分析"}),
    "corrective_action": frozenset({"纠偏措施", "改进措施"}),
}

TARGET_HEADERS: dict[str, frozenset[str]] = {
    "numbering": frozenset({"编号", "序号"}),
    "goal": frozenset({"绩效目标", "分项绩效目标", "目标"}),
    "indicator": frozenset({"绩效指标", "指标", "指标名称"}),
    "value": frozenset({"指标值", "目标值"}),
    "actual": frozenset({"实际完成值", "实际值"}),
}


def header_kind(value: Any, table: dict[str, frozenset[str]] = INDICATOR_HEADERS) -> str | None:
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
_DECORATION = (
    "绩效目标表",
    "填表人",
    "联系电话",
    "审核人",
    "填报日期",
    "单位负责人",
    "金额单位",
    "单位:万元",
    "单位:元",
    "年度)",
)


def is_decoration(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = norm(value)
    return any(d in text for d in _DECORATION) or text.startswith(("注:", "说明:"))


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
