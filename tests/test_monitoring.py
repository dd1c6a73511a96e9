"""pyxl.core.monitoring: the verdict of an actual against its 指标值.

The property test writes a target the way forms do (symbol or wording, any
amount unit), an actual in the same or another unit, and checks the verdict
against a plain comparison of the two numbers brought to one unit with this
test's own conversion table.  Actuals are drawn right at the target, right at
the tolerance edge and one step either side, so the boundaries are always hit.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pyxl.core.grammar import Op
from pyxl.core.monitoring import Light, Outcome, assess, grade_light

# This test's own unit table: unit → (base unit, factor). Independent of pyxl.core.units.
UNITS = {
    "元": ("元", 1), "千元": ("元", 1000), "万元": ("元", 10_000), "亿元": ("元", 100_000_000),
    "%": ("%", 1), "人": ("人", 1), "件": ("件", 1), "人次": ("人次", 1), "万人次": ("人次", 10_000),
    "天": ("天", 1),
}
SAME_BASE = {u: [v for v in UNITS if UNITS[v][0] == base] for u, (base, _) in UNITS.items()}

SPELLINGS: dict[str | None, list[str]] = {
    ">=": ["≥{n}{u}", ">={n}{u}", "不低于{n}{u}", "{n}{u}以上", "达到{n}{u}以上", "≥ {n} {u}"],
    ">": [">{n}{u}", "高于{n}{u}", "＞{n}{u}"],
    "<=": ["≤{n}{u}", "<={n}{u}", "不超过{n}{u}", "{n}{u}以内", "控制在{n}{u}以内"],
    "<": ["<{n}{u}", "低于{n}{u}"],
    "=": ["={n}{u}", "＝{n}{u}"],
    None: ["{n}{u}", "{n} {u}"],
}
TOLERANCE = Fraction(1, 20)
FAR = Fraction(13, 10)


def dec(x: Fraction) -> str:
    """A Fraction with a terminating decimal expansion, written out in full."""
    d = Decimal(x.numerator) / Decimal(x.denominator)
    text = format(d.normalize(), "f")
    assert Fraction(text) == x, (x, text)
    return text


def reference(op: str, target: Fraction, actual: Fraction, upper: Fraction | None) -> Outcome:
    """The verdict by plain comparison, numbers already in one unit."""
    slack = TOLERANCE * abs(target)
    if op == "range":
        assert upper is not None
        if target <= actual <= upper:
            return Outcome.MET
        near = target - slack <= actual <= upper + TOLERANCE * abs(upper)
    else:
        met = {">=": actual >= target, ">": actual > target, "<=": actual <= target,
               "<": actual < target, "=": actual == target}[op]
        if met:
            return Outcome.MET
        gap = {">=": target - actual, ">": target - actual, "<=": actual - target,
               "<": actual - target, "=": abs(actual - target)}[op]
        near = gap <= slack
    return Outcome.NEAR if near else Outcome.MISSED


# numbers with up to 2 decimals: 0 … 99999.99
numbers = st.integers(min_value=0, max_value=9_999_999).map(lambda i: Fraction(i, 100))


@st.composite
def cases(draw: st.DrawFn) -> dict:
    op = draw(st.sampled_from([">=", ">", "<=", "<", "=", None, "range"]))
    unit = draw(st.sampled_from(list(UNITS)))
    target = draw(numbers)
    upper = None
    cost = draw(st.booleans())
    if op == "range":
        upper = target + draw(numbers.filter(lambda x: x > 0))
        text = draw(st.sampled_from(["{n}-{h}{u}", "{n}{u}-{h}{u}", "{n}~{h}{u}"])).format(
            n=dec(target), h=dec(upper), u=unit)
    else:
        text = draw(st.sampled_from(SPELLINGS[op])).format(n=dec(target), u=unit)
    effective = op if op is not None else ("<=" if cost else ">=")
    # the actual, in the target's base unit: at a boundary or anywhere
    t_base = target * UNITS[unit][1]
    bound = upper * UNITS[unit][1] if upper is not None and effective in ("<=", "<", "range") else t_base
    if op == "range" and draw(st.booleans()):
        bound = t_base  # either end of a range
    slack = TOLERANCE * abs(bound)
    step = Fraction(1, 100)
    a_base = draw(st.one_of(
        st.sampled_from([bound, bound - slack, bound + slack, bound - slack - step, bound + slack + step,
                         bound - step, bound + step, FAR * bound, FAR * bound - step]),
        numbers.map(lambda x: x * UNITS[unit][1]),
    ))
    a_base = max(a_base, Fraction(0))
    # write the actual in the target's unit, without a unit, or in another unit of the same base
    a_unit = draw(st.sampled_from([*SAME_BASE[unit], None]))
    factor = UNITS[a_unit][1] if a_unit else UNITS[unit][1]
    a_value = a_base / factor
    if a_value.denominator not in (1, 2, 4, 5, 8, 10, 20, 25, 50, 100, 1000, 10_000, 100_000, 1_000_000,
                                   10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000):
        a_unit, a_value = None, a_base / UNITS[unit][1]
    a_text = dec(a_value)
    style = draw(st.integers(0, 2))
    if style == 1 and a_value.denominator == 1 and a_value >= 1000:
        a_text = f"{int(a_value):,}"  # 3,000 元
    actual: object = f"{a_text}{' ' if style == 2 else ''}{a_unit or ''}"
    if a_unit is None and draw(st.booleans()):
        actual = float(a_text.replace(",", ""))  # a number typed into a cell (no thousands separator)
    return {
        "value": text, "actual": actual, "op": effective, "target": t_base,
        "upper": upper * UNITS[unit][1] if upper is not None else None, "a_base": a_base,
        "level1": "成本指标" if cost else "产出指标", "name": "项目支出" if cost else "受理案件数",
    }


@settings(max_examples=400, deadline=None)
@given(cases())
@example({"value": "≤0.5万元", "actual": "3,000 元", "op": "<=", "target": Fraction(5000), "upper": None,
          "a_base": Fraction(3000), "level1": "", "name": ""})
@example({"value": "≥95%", "actual": "95%", "op": ">=", "target": Fraction(95), "upper": None,
          "a_base": Fraction(95), "level1": "", "name": ""})
@example({"value": "≥100件", "actual": "95件", "op": ">=", "target": Fraction(100), "upper": None,
          "a_base": Fraction(95), "level1": "", "name": ""})
def test_verdict_equals_plain_comparison(case: dict) -> None:
    v = assess(case["value"], case["actual"], level1=case["level1"], name=case["name"])
    assert v.op is not None and (v.op.value if v.op is not Op.RANGE else "range") == case["op"], (case, v)
    expected = reference(case["op"], case["target"], case["a_base"], case["upper"])
    assert v.outcome is expected, (case, v)
    if case["op"] in (">=", ">") and case["target"] > 0:
        assert v.far_exceeds == (case["a_base"] >= FAR * case["target"]), (case, v)
    else:
        assert not v.far_exceeds


@pytest.mark.parametrize(
    ("value", "actual", "outcome"),
    [
        ("≤0.5万元", "3,000 元", Outcome.MET),  # units normalised
        ("≤0.5万元", "5000元", Outcome.MET),  # exactly at the target
        ("≤0.5万元", "5250元", Outcome.NEAR),  # exactly at the tolerance edge
        ("≤0.5万元", "5251元", Outcome.MISSED),
        ("≥95%", "95%", Outcome.MET),
        ("≥95%", "90.25%", Outcome.NEAR),  # 95 × 0.95
        ("≥95%", "90.24%", Outcome.MISSED),
        (">95%", "95%", Outcome.NEAR),  # strict: equal is not met
        ("<3天", "3天", Outcome.NEAR),
        ("=100%", "100", Outcome.MET),  # an actual without a unit takes the target's
        ("=100%", "96%", Outcome.NEAR),
        ("90%-95%", "92%", Outcome.MET),
        ("90%-95%", "99.75%", Outcome.NEAR),
        ("90%-95%", "85.5%", Outcome.NEAR),
        ("90%-95%", "85%", Outcome.MISSED),
        ("达到 560 件以上", "560件", Outcome.MET),
        ("14 人", 14, Outcome.MET),  # a number cell
        ("≥1万人次", "9,600人次", Outcome.NEAR),
        ("≤0次", "1次", Outcome.MISSED),  # zero target: no tolerance band
    ],
)
def test_quantitative_boundaries(value: str, actual: object, outcome: Outcome) -> None:
    assert assess(value, actual).outcome is outcome


def test_direction_assumed_when_missing() -> None:
    cost = assess("74.5 万元", "80", level1="成本指标", name="项目支出")
    assert cost.op is Op.LE and "成本" in cost.assumed and cost.outcome is Outcome.MISSED
    count = assess("14 人", "12人", level1="产出指标", name="聘用人员数量")
    assert count.op is Op.GE and count.assumed and count.outcome is Outcome.MISSED
    written = assess("≥14人", "12人")
    assert written.assumed == ""


def test_far_exceeds_only_upward_targets() -> None:
    assert assess("≥100件", "130件").far_exceeds
    assert not assess("≥100件", "129件").far_exceeds
    assert assess("≥100件", "129件").ratio == pytest.approx(1.29)
    assert not assess("≤100件", "50件").far_exceeds
    assert not assess("=100件", "130件").far_exceeds


@pytest.mark.parametrize(
    ("value", "actual", "reason"),
    [
        ("≥95%", "快完成了", "不是可识别的数值"),
        ("≥95%", "达成", "应填写数值"),
        ("≥95%", "≥96%", "比较符号"),
        ("≥95%", "14人", "单位"),
        ("≤3万元", "3天", "单位"),
        ("达到", "80%", "定性"),
    ],
)
def test_unparsed_actuals_say_why(value: str, actual: str, reason: str) -> None:
    v = assess(value, actual)
    assert v.outcome is Outcome.UNPARSED and reason in v.reason


@pytest.mark.parametrize(
    ("value", "actual"), [("以实际发生次数为准", "12次"), ("", "1"), ("约八成左右吧", "80%"), (None, "1")]
)
def test_no_verdict_without_a_target(value: object, actual: str) -> None:
    assert assess(value, actual).outcome is Outcome.NO_TARGET


def test_no_actual_yet() -> None:
    assert assess("≥95%", None).outcome is Outcome.NO_ACTUAL
    assert assess("≥95%", "  ").outcome is Outcome.NO_ACTUAL


@pytest.mark.parametrize(
    ("target", "actual", "light"),
    [
        ("达到", "达成", Light.MET),
        ("达到", "基本达到", Light.PARTIAL),
        ("达到", "未达成", Light.MISSED),
        ("达成年度指标", "部分达成", Light.PARTIAL),
        ("有所提升", "达成", Light.MET),
        ("有所提升", "未达到", Light.MISSED),
        ("基本达到", "部分达成", Light.MET),
        ("优", "优秀", Light.MET),
        ("良", "优", Light.MET),
        ("优", "良", Light.PARTIAL),
        ("优", "差", Light.MISSED),
        ("是", "是", Light.MET),
        ("是", "否", Light.MISSED),
        ("否", "否", Light.MET),
        ("否", "是", Light.MISSED),
        ("满意", "基本满意", Light.PARTIAL),
    ],
)
def test_qualitative_traffic_light(target: str, actual: str, light: Light) -> None:
    assert grade_light(target, actual) is light
    assert assess(target, actual).light is light


@pytest.mark.parametrize(
    ("target", "actual"), [("优", "满意"), ("是", "达成"), ("是", "有"), ("达到", "还行")]
)
def test_qualitative_answers_that_do_not_fit(target: str, actual: str) -> None:
    assert grade_light(target, actual) is None
    assert assess(target, actual).outcome is Outcome.UNPARSED


def test_never_raises_on_odd_cells() -> None:
    for value in ("≥95%", "优", 3, None, float("nan"), True, object()):
        for actual in ("96%", 0.5, float("inf"), True, "", "优", [], "≥"):
            assess(value, actual)
