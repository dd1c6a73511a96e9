"""双监控, the pure part: the verdict of an in-year actual against its 指标值.

A quantitative target is compared by its operator (≥ ≤ = > < or a range; the
direction assumed by :func:`pyxl.core.grammar.assumed_op` when none is written) after
the actual has been brought to the target's unit — an actual of 3,000 元 against
≤0.5万元 passes.  The comparison is exact (decimal fractions, not floats), so a
value right at the target or right at the tolerance edge always lands on the
same side.  A 定性 target gets the traffic light 达成 / 部分达成 / 未达成.

Nothing here reads workbooks or config; the rules in ``pyxl.rules.monitoring``
turn verdicts into findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .grammar import Kind, Op, TargetValue, assumed_op, parse_target
from .units import AMOUNT_UNITS, normalize_text

__all__ = [
    "ACHIEVEMENT_GRADES",
    "DEFAULT_FAR_RATIO",
    "DEFAULT_TOLERANCE",
    "Light",
    "Outcome",
    "Verdict",
    "assess",
    "compare",
    "grade_light",
    "to_common_unit",
]

DEFAULT_TOLERANCE = 0.05  # relative: an actual failing by ≤ 5 % of the target is "near"
DEFAULT_FAR_RATIO = 1.3  # actual ≥ 130 % of a ≥/> target: was the target set too low?


class Light(StrEnum):
    """The 定性 monitoring traffic light; quantitative verdicts map onto it too."""

    MET = "达成"
    PARTIAL = "部分达成"
    MISSED = "未达成"


class Outcome(StrEnum):
    MET = "met"
    NEAR = "near"  # fails the target, but within the tolerance
    MISSED = "missed"
    NO_ACTUAL = "no-actual"  # nothing reported yet
    NO_TARGET = "no-target"  # the 指标值 itself is empty, not a value, or unreadable (other rules say so)
    UNPARSED = "unparsed"  # an actual that cannot be read, or not compared with this target


_LIGHT = {Outcome.MET: Light.MET, Outcome.NEAR: Light.PARTIAL, Outcome.MISSED: Light.MISSED}


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    op: Op | None = None
    assumed: str = ""
    """Why ``op`` was assumed (the target wrote none); empty when it was written."""
    ratio: float | None = None
    """actual ÷ target for ≥/> targets with a positive number, else None."""
    far_exceeds: bool = False
    reason: str = ""
    """For UNPARSED: why the actual could not be compared, in Chinese."""

    @property
    def light(self) -> Light | None:
        return _LIGHT.get(self.outcome)

    @property
    def compared(self) -> bool:
        return self.outcome in _LIGHT


# --------------------------------------------------------------------------
# Units

# Units that are the same thing written differently.
_SAME_UNIT: dict[str, str] = {
    "日": "天", "工作日": "个工作日", "千米": "公里", "km": "公里", "千克": "公斤", "kg": "公斤",
}
# Scaled units: unit → (base unit, how many base units one of it is).
_SCALED: dict[str, tuple[str, int]] = {
    **{u: ("元", round(f * 10_000)) for u, f in AMOUNT_UNITS.items()},
    "万人": ("人", 10_000),
    "万人次": ("人次", 10_000),
    "万户": ("户", 10_000),
    "万吨": ("吨", 10_000),
    "万亩": ("亩", 10_000),
    "公里": ("米", 1_000),
    "公斤": ("克", 1_000),
    "小时": ("秒", 3_600),
    "分钟": ("秒", 60),
}
_SCALED.update({base: (base, 1) for base, _ in list(_SCALED.values())})


def _canonical(unit: str) -> str:
    return _SAME_UNIT.get(unit, unit)


def to_common_unit(target_unit: str | None, actual_unit: str | None) -> tuple[int, int] | None:
    """Factors (for the target, for the actual) that bring both to one unit; None if they do not convert.

    An actual written without a unit is taken in the target's unit, and a target
    without a unit accepts any unit (an Excel number cell "14" against "14人").
    """
    if actual_unit is None or target_unit is None:
        return 1, 1
    t, a = _canonical(target_unit), _canonical(actual_unit)
    if t == a:
        return 1, 1
    ts, as_ = _SCALED.get(t), _SCALED.get(a)
    if ts and as_ and ts[0] == as_[0]:
        return ts[1], as_[1]
    return None


def _exact(x: float) -> Fraction:
    # The float came from a decimal the user typed; its shortest repr gives that decimal back.
    return Fraction(repr(float(x)))


# --------------------------------------------------------------------------
# Quantitative


def compare(
    op: Op,
    target: Fraction,
    actual: Fraction,
    *,
    upper: Fraction | None = None,
    tolerance: Fraction = Fraction(1, 20),
) -> Outcome:
    """MET, NEAR or MISSED for ``actual`` against ``op target`` (both in one unit).

    NEAR: the target is failed by at most ``tolerance`` × |bound| (the bound
    being the side of the target the actual fell on).
    """
    slack = tolerance * abs(target)
    if op is Op.GE:
        met, near = actual >= target, actual >= target - slack
    elif op is Op.GT:
        met, near = actual > target, actual >= target - slack
    elif op is Op.LE:
        met, near = actual <= target, actual <= target + slack
    elif op is Op.LT:
        met, near = actual < target, actual <= target + slack
    elif op is Op.EQ:
        met, near = actual == target, abs(actual - target) <= slack
    elif op is Op.RANGE:
        hi = upper if upper is not None else target
        met = target <= actual <= hi
        near = target - slack <= actual <= hi + tolerance * abs(hi)
    else:  # pragma: no cover - Op is closed
        raise ValueError(op)
    if met:
        return Outcome.MET
    return Outcome.NEAR if near else Outcome.MISSED


def _quantitative(
    tv: TargetValue, av: TargetValue, op: Op, assumed: str, tolerance: float, far_ratio: float
) -> Verdict:
    if av.kind is Kind.QUALITATIVE:
        why = "指标值是定量的，实际完成值应填写数值（如“96%”“14人”）"
        return Verdict(Outcome.UNPARSED, op, assumed, reason=why)
    if av.kind is not Kind.QUANTITATIVE or av.number is None:
        return Verdict(Outcome.UNPARSED, op, assumed, reason="不是可识别的数值")
    if av.op not in (None, Op.EQ):
        return Verdict(Outcome.UNPARSED, op, assumed, reason="实际完成值应为一个确定的数，不带比较符号或范围")
    factors = to_common_unit(tv.unit, av.unit)
    if factors is None:
        return Verdict(
            Outcome.UNPARSED, op, assumed, reason=f"单位“{av.unit}”与指标值的单位“{tv.unit}”不同，无法比较"
        )
    ft, fa = factors
    assert tv.number is not None
    target = _exact(tv.number) * ft
    upper = _exact(tv.upper) * ft if tv.upper is not None else None
    actual = _exact(av.number) * fa
    outcome = compare(op, target, actual, upper=upper, tolerance=_exact(tolerance))
    ratio: float | None = None
    far = False
    if op in (Op.GE, Op.GT) and target > 0:
        ratio = float(actual / target)
        far = actual >= _exact(far_ratio) * target
    return Verdict(outcome, op, assumed, ratio=ratio, far_exceeds=far)


# --------------------------------------------------------------------------
# 定性: grades on ordered scales

# Each scale lists its grades from best to worst: rank 0 is the best.
ACHIEVEMENT_GRADES = (
    ("达成", "达到", "完成", "达标", "实现", "已完成", "已达成", "已达到", "全部完成", "全部达成",
     "按时完成", "按期完成", "及时完成", "达成年度指标", "达到预期", "达到预期目标", "实现目标",
     "实现年度目标", "达到目标"),
    ("部分达成", "基本达成", "基本达到", "部分达到", "基本完成", "部分完成", "基本达标", "部分实现",
     "基本实现"),
    ("未达成", "未达到", "未完成", "未达标", "未实现"),
)
_SCALES: tuple[tuple[tuple[str, ...], ...], ...] = (
    ACHIEVEMENT_GRADES,
    (("优", "优秀"), ("良", "良好", "较好"), ("中", "中等", "一般", "合格"), ("差", "较差", "不合格")),
    (("满意", "非常满意"), ("基本满意", "较满意"), ("不满意",)),
    (("符合",), ("基本符合",), ("不符合",)),
    (("显著", "明显"), ("较显著", "较明显"), ("不明显",)),
    (("高",), ("较高",), ("低", "较低")),
)
# Two-valued answers: only the same answer meets the target.
_BINARY = (("是", "否"), ("有", "无"))


def _grade(text: str) -> str:
    return normalize_text(text).rstrip(" .。,;!、")


def _rank(grade: str) -> tuple[int, int] | None:
    for s, scale in enumerate(_SCALES):
        for r, grades in enumerate(scale):
            if grade in grades:
                return s, r
    return None


def grade_light(target: str, actual: str) -> Light | None:
    """The traffic light of a 定性 actual against a 定性 target; None if they do not compare.

    The achievement scale (达成 / 部分达成 / 未达成 and their synonyms) answers
    any 定性 target; other scales (优/良/中/差, 满意…) answer their own targets,
    one step below the target being 部分达成.
    """
    t, a = _grade(target), _grade(actual)
    if t == a:
        return Light.MET
    pair = next((p for p in _BINARY if t in p), None)
    if pair is not None:
        return Light.MISSED if a in pair else None
    ar, tr = _rank(a), _rank(t)
    if ar is None:
        return None
    lights = (Light.MET, Light.PARTIAL, Light.MISSED)
    if ar[0] == 0 and (tr is None or tr[0] == 0):
        # an achievement answer fits any 定性 target ("有所提升" is achieved or not)
        return Light.MET if tr is not None and ar[1] <= tr[1] else lights[ar[1]]
    if tr is None or tr[0] != ar[0]:
        return None
    steps = ar[1] - tr[1]
    return lights[min(max(steps, 0), 2)]


_FROM_LIGHT = {Light.MET: Outcome.MET, Light.PARTIAL: Outcome.NEAR, Light.MISSED: Outcome.MISSED}


def _qualitative(tv: TargetValue, av: TargetValue, actual: object) -> Verdict:
    text = actual if isinstance(actual, str) else str(actual)
    light = grade_light(tv.grade or tv.raw, text)
    if light is None:
        why = "定性指标请填写 达成、部分达成 或 未达成（或与指标值同一等级的词）"
        return Verdict(Outcome.UNPARSED, Op.EQ, reason=why)
    return Verdict(_FROM_LIGHT[light], Op.EQ)


# --------------------------------------------------------------------------
# Public entry

_NOTHING_YET = Verdict(Outcome.NO_ACTUAL)


def assess(
    value: object,
    actual: object,
    *,
    level1: str | None = "",
    level2: str | None = "",
    name: str | None = "",
    tolerance: float = DEFAULT_TOLERANCE,
    far_ratio: float = DEFAULT_FAR_RATIO,
) -> Verdict:
    """The verdict of ``actual`` against the 指标值 ``value`` (both as written in their cells;
    ``value`` may also be the already parsed :class:`~pyxl.core.grammar.TargetValue`).

    ``level1``/``level2``/``name`` decide the direction when the target writes
    none (成本 and time limits are "≤", everything else "≥").  Never raises.
    """
    if actual is None or (isinstance(actual, str) and not actual.strip()):
        return _NOTHING_YET  # the common case before monitoring starts: no parsing at all
    tv = value if isinstance(value, TargetValue) else parse_target(value)
    quantitative = tv.kind is Kind.QUANTITATIVE and tv.number is not None
    if not quantitative and tv.kind is not Kind.QUALITATIVE:
        return Verdict(Outcome.NO_TARGET)
    av = parse_target(actual)
    if av.kind is Kind.EMPTY:
        return Verdict(Outcome.NO_ACTUAL)
    if tv.kind is Kind.QUALITATIVE:
        return _qualitative(tv, av, actual)
    op, assumed = assumed_op(tv, level1=level1 or "", level2=level2 or "", name=name or "")
    return _quantitative(tv, av, op, assumed, tolerance, far_ratio)
