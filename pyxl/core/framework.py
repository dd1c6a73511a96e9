"""The indicator framework (指标体系): 一级/二级 categories, current and older names."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BASIS_STANDARD",
    "DEVIATION_REASONS",
    "FRAMEWORK",
    "LEVEL1",
    "OUTDATED",
    "Category",
    "classify",
]

# 财预〔2021〕101号 and local rules since.
FRAMEWORK: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标"),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL1: tuple[str, ...] = tuple(FRAMEWORK)

# Older names still found in forms (the seed among them) → the current name.
OUTDATED: dict[str, str] = {
    "效果指标": "效益指标",
    "可持续性影响": "可持续影响指标",
    "可持续性影响指标": "可持续影响指标",
    "可持续影响": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "社会效益": "社会效益指标",
    "经济效益": "经济效益指标",
    "生态效益": "生态效益指标",
    "环境效益": "生态效益指标",
    "环境效益指标": "生态效益指标",
}

# Before 2021 (the 2015 framework), satisfaction was a 二级 under 效益指标.
_OLD_SATISFACTION_LEVEL2 = frozenset({"社会公众或服务对象满意度指标", "社会公众或服务对象满意度"})

# Before 2021, 成本指标 was a 二级 under 产出指标; it now is a 一级 of its own.
_OLD_COST_LEVEL2 = "成本指标"

BASIS_STANDARD: tuple[str, ...] = ("计划标准", "行业标准", "历史标准", "其他")
DEVIATION_REASONS: tuple[str, ...] = ("经费保障", "制度保障", "人员保障", "硬件保障", "其他")


@dataclass(frozen=True)
class Category:
    """Where an indicator sits in the current framework, and how it was written."""

    level1: str | None  # current 一级 name, None if unknown
    level2: str | None  # current 二级 name, None if unknown or absent
    level1_known: bool
    level2_known: bool
    misplaced: bool  # both known, but the 二级 belongs to another 一级
    outdated: tuple[tuple[str, str], ...]  # (as written, current name) pairs


def _clean(text: str | None) -> str:
    return "".join((text or "").split())


def classify(level1: str | None, level2: str | None) -> Category:
    l1, l2 = _clean(level1), _clean(level2)
    outdated: list[tuple[str, str]] = []
    if l1 in OUTDATED:
        outdated.append((l1, OUTDATED[l1]))
        l1 = OUTDATED[l1]
    if l2 in OUTDATED:
        outdated.append((l2, OUTDATED[l2]))
        l2 = OUTDATED[l2]
    if l1 == "产出指标" and l2 == _OLD_COST_LEVEL2:
        # the pre-2021 layout: read it as 一级 成本指标 (its 二级 is not stated)
        outdated.append(("产出指标/成本指标", "成本指标/经济成本指标"))
        return Category("成本指标", None, True, True, False, tuple(outdated))
    if l2 in _OLD_SATISFACTION_LEVEL2 and l1 in ("效益指标", "满意度指标", ""):
        # the 2015 layout: read it as 一级 满意度指标 / 服务对象满意度指标
        outdated.append((f"{l1 or '效益指标'}/{l2}", "满意度指标/服务对象满意度指标"))
        return Category("满意度指标", "服务对象满意度指标", True, True, False, tuple(outdated))
    if l1 == "成本指标" and l2 in ("", _OLD_COST_LEVEL2):
        return Category("成本指标", None, True, True, False, tuple(outdated))
    level1_known = l1 in FRAMEWORK
    owner = next((k for k, v in FRAMEWORK.items() if l2 in v), None)
    level2_known = owner is not None
    misplaced = level1_known and level2_known and owner != l1
    return Category(
        l1 if level1_known else None,
        l2 if level2_known else None,
        level1_known,
        level2_known,
        misplaced,
        tuple(outdated),
    )
