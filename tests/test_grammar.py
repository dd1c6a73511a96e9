"""Tests for pyxl.core.grammar: every way domain.md says a 指标值 is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyxl.core.grammar import Kind, Op, TargetValue, assumed_op, format_target, parse_target

Q, L, N, E, U = Kind.QUANTITATIVE, Kind.QUALITATIVE, Kind.NON_VALUE, Kind.EMPTY, Kind.UNPARSED

# raw, kind, op, number, upper, unit, grade
CASES: list[tuple[object, Kind, Op | None, float | None, float | None, str | None, str | None]] = [
    # operator + number + unit
    ("≥80%", Q, Op.GE, 80, None, "%", None),
    ("≤3.5万元", Q, Op.LE, 3.5, None, "万元", None),
    ("=100%", Q, Op.EQ, 100, None, "%", None),
    ("＞90%", Q, Op.GT, 90, None, "%", None),
    (">=95%", Q, Op.GE, 95, None, "%", None),
    ("≥９５％", Q, Op.GE, 95, None, "%", None),
    ("≥ 95 %", Q, Op.GE, 95, None, "%", None),
    ("<=3天", Q, Op.LE, 3, None, "天", None),
    ("＜5%", Q, Op.LT, 5, None, "%", None),
    ("＝100%", Q, Op.EQ, 100, None, "%", None),
    ("≧60分", Q, Op.GE, 60, None, "分", None),
    ("≦2小时", Q, Op.LE, 2, None, "小时", None),
    ("=>1", Q, Op.GE, 1, None, None, None),
    ("=<1", Q, Op.LE, 1, None, None, None),
    ("≥-5%", Q, Op.GE, -5, None, "%", None),
    ("≥1,000件", Q, Op.GE, 1000, None, "件", None),
    # wording
    ("80%以上", Q, Op.GE, 80, None, "%", None),
    ("80%及以上", Q, Op.GE, 80, None, "%", None),
    ("90%（含）以上", Q, Op.GE, 90, None, "%", None),
    ("3天（含）以内", Q, Op.LE, 3, None, "天", None),
    ("90％以上（含90％）", Q, Op.GE, 90, None, "%", None),
    ("不低于80%", Q, Op.GE, 80, None, "%", None),
    ("达到90%以上", Q, Op.GE, 90, None, "%", None),
    ("560件以上", Q, Op.GE, 560, None, "件", None),
    ("8小时以上", Q, Op.GE, 8, None, "小时", None),
    ("不少于10次", Q, Op.GE, 10, None, "次", None),
    ("至少3个", Q, Op.GE, 3, None, "个", None),
    ("大于等于90%", Q, Op.GE, 90, None, "%", None),
    ("不超过5万元", Q, Op.LE, 5, None, "万元", None),
    ("不得超过3天", Q, Op.LE, 3, None, "天", None),
    ("不高于2%", Q, Op.LE, 2, None, "%", None),
    ("至多2次", Q, Op.LE, 2, None, "次", None),
    ("小于等于10天", Q, Op.LE, 10, None, "天", None),
    ("3天以内", Q, Op.LE, 3, None, "天", None),
    ("5%以下", Q, Op.LE, 5, None, "%", None),
    ("3个工作日内办结", Q, Op.LE, 3, None, "个工作日", None),
    ("低于2%", Q, Op.LT, 2, None, "%", None),
    ("少于3次", Q, Op.LT, 3, None, "次", None),
    ("高于90%", Q, Op.GT, 90, None, "%", None),
    ("超过100人", Q, Op.GT, 100, None, "人", None),
    ("等于100%", Q, Op.EQ, 100, None, "%", None),
    ("出勤率达98%", Q, Op.GE, 98, None, "%", None),
    # bare number + unit: operator missing
    ("29%", Q, None, 29, None, "%", None),
    ("14 人", Q, None, 14, None, "人", None),
    ("85 天", Q, None, 85, None, "天", None),
    ("74.5 万元", Q, None, 74.5, None, "万元", None),
    ("100%", Q, None, 100, None, "%", None),
    ("７４．５万元", Q, None, 74.5, None, "万元", None),
    ("7,242,318元", Q, None, 7242318, None, "元", None),
    ("90%左右", Q, None, 90, None, "%", None),
    ("12", Q, None, 12, None, None, None),
    # ranges
    ("90%-95%", Q, Op.RANGE, 90, 95, "%", None),
    ("90-95%", Q, Op.RANGE, 90, 95, "%", None),
    ("90%—95%", Q, Op.RANGE, 90, 95, "%", None),
    ("3~5天", Q, Op.RANGE, 3, 5, "天", None),
    ("3～5天", Q, Op.RANGE, 3, 5, "天", None),
    ("3至5天", Q, Op.RANGE, 3, 5, "天", None),
    ("3到5天", Q, Op.RANGE, 3, 5, "天", None),
    ("≥90%且≤95%", Q, Op.RANGE, 90, 95, "%", None),
    # phrases as 分项 targets are written (the seed workbook)
    ("受理案件数达到 560 件以上", Q, Op.GE, 560, None, "件", None),
    ("案件结案率达到 76%", Q, Op.GE, 76, None, "%", None),
    ("当事人对民事诉讼案件满意度达到 90%以上", Q, Op.GE, 90, None, "%", None),
    ("出勤率在 98%", Q, None, 98, None, "%", None),
    ("确保出勤率在98%", Q, None, 98, None, "%", None),
    ("平均审理时 85 天", Q, None, 85, None, "天", None),
    ("2024年完成率达到90%", Q, Op.GE, 90, None, "%", None),
    ("PM2.5浓度不高于35微克/立方米", Q, Op.LE, 35, None, "微克/立方米", None),
    # 定性
    ("优", L, None, None, None, None, "优"),
    ("良", L, None, None, None, None, "良"),
    ("中", L, None, None, None, None, "中"),
    ("差", L, None, None, None, None, "差"),
    ("优秀", L, None, None, None, None, "优秀"),
    ("合格", L, None, None, None, None, "合格"),
    ("达到", L, None, None, None, None, "达到"),
    ("基本达到", L, None, None, None, None, "基本达到"),
    ("未达到", L, None, None, None, None, "未达到"),
    ("部分达到", L, None, None, None, None, "部分达到"),
    ("是", L, None, None, None, None, "是"),
    ("否", L, None, None, None, None, "否"),
    ("有", L, None, None, None, None, "有"),
    ("无", L, None, None, None, None, "无"),
    ("达成年度指标", L, None, None, None, None, "达成年度指标"),
    ("达标", L, None, None, None, None, "达标"),
    ("基本完成", L, None, None, None, None, "基本完成"),
    ("较显著", L, None, None, None, None, "较显著"),
    ("有所提升", L, None, None, None, None, "有所提升"),
    ("稳步提升", L, None, None, None, None, "稳步提升"),
    ("保持稳定", L, None, None, None, None, "保持稳定"),
    ("基本符合", L, None, None, None, None, "基本符合"),
    ("中长期", L, None, None, None, None, "中长期"),
    (" 优。", L, None, None, None, None, "优"),
    # not a value
    ("以实际发生次数为准", N, None, None, None, None, None),
    ("以实际为准", N, None, None, None, None, None),
    ("据实结算", N, None, None, None, None, None),
    ("按实际", N, None, None, None, None, None),
    ("以2023年实际为准", N, None, None, None, None, None),
    ("/", N, None, None, None, None, None),
    ("—", N, None, None, None, None, None),
    # empty
    (None, E, None, None, None, None, None),
    ("", E, None, None, None, None, None),
    ("  \u3000 ", E, None, None, None, None, None),
    # Excel number cells
    (80, Q, None, 80, None, None, None),
    (0.95, Q, None, 0.95, None, None, None),
    (Decimal("3.5"), Q, None, 3.5, None, None, None),
    # unreadable: better reported than guessed
    ("abc", U, None, None, None, None, None),
    ("≥90%以下", U, None, None, None, None, None),
    ("≠0", U, None, None, None, None, None),
    ("≥良", U, None, None, None, None, None),
    ("1-6月完成50%", U, None, None, None, None, None),
    ("12月31日前完成", U, None, None, None, None, None),
    ("完成3项内容", U, None, None, None, None, None),
    ("≥80%,≥90%", U, None, None, None, None, None),
    (True, U, None, None, None, None, None),
    (float("nan"), U, None, None, None, None, None),
    (object(), U, None, None, None, None, None),
]


def case_id(value: object) -> str:
    # stable across processes (xdist workers must collect the same ids): not repr(object()), an address
    return "object()" if type(value) is object else repr(value)


@pytest.mark.parametrize(("raw", "kind", "op", "number", "upper", "unit", "grade"), CASES, ids=case_id)
def test_parse_target_table(
    raw: object,
    kind: Kind,
    op: Op | None,
    number: float | None,
    upper: float | None,
    unit: str | None,
    grade: str | None,
) -> None:
    tv = parse_target(raw)
    assert (tv.kind, tv.op, tv.number, tv.upper, tv.unit, tv.grade) == (kind, op, number, upper, unit, grade)


@pytest.mark.parametrize(("raw", "kind", "op", "number", "upper", "unit", "grade"), CASES, ids=case_id)
def test_table_round_trips(
    raw: object,
    kind: Kind,
    op: Op | None,
    number: float | None,
    upper: float | None,
    unit: str | None,
    grade: str | None,
) -> None:
    tv = parse_target(raw)
    if tv.kind is Kind.UNPARSED:
        return
    assert _key(parse_target(format_target(tv))) == _key(tv)


@pytest.mark.parametrize(
    ("raw", "wording"),
    [
        ("≥80%", None),
        ("80%以上", "以上"),
        ("不低于80%", "不低于"),
        ("达到90%以上", "达到…以上"),
        ("3天以内", "以内"),
        ("29%", None),
    ],
)
def test_wording(raw: str, wording: str | None) -> None:
    assert parse_target(raw).wording == wording


def test_raw_is_kept() -> None:
    assert parse_target(" ≥９５％ ").raw == " ≥９５％ "


@pytest.mark.parametrize(
    ("tv_text", "text"),
    [
        ("≥80%", "≥80%"),
        ("≤3.5万元", "≤3.5万元"),
        ("=100%", "=100%"),
        (">=95%", "≥95%"),
        ("不低于80%", "≥80%"),
        ("3天以内", "≤3天"),
        ("低于2%", "<2%"),
        ("高于90%", ">90%"),
        ("14 人", "14人"),
        ("90%-95%", "90-95%"),
        ("3~5天", "3-5天"),
        ("优", "优"),
        ("以实际发生次数为准", "以实际发生次数为准"),
        ("", ""),
    ],
)
def test_format_target(tv_text: str, text: str) -> None:
    assert format_target(parse_target(tv_text)) == text


def test_amount_helpers() -> None:
    tv = parse_target("≤7242318元")
    assert tv.is_amount
    assert not tv.is_percent
    assert tv.wan == 724.2318
    assert tv.number_in("亿元") == pytest.approx(0.07242318)
    assert tv.upper_wan is None

    rng = parse_target("1-2亿元")
    assert rng.wan == 10000
    assert rng.upper_wan == 20000
    assert rng.upper_in("亿元") == 2

    pct = parse_target("≥80%")
    assert pct.is_percent
    assert not pct.is_amount
    assert pct.wan is None
    assert pct.number_in("%") == 80
    assert pct.number_in("万元") is None


@pytest.mark.parametrize(
    ("raw", "kwargs", "op", "reason_part"),
    [
        (
            "3.5万元",
            {"level1": "成本指标", "level2": "经济成本指标", "name": "项目总成本"},
            Op.LE,
            "成本指标",
        ),
        # old layout: 成本指标 is a 二级 under 产出指标
        ("3.5万元", {"level1": "产出指标", "level2": "成本指标", "name": "人均成本"}, Op.LE, "成本指标"),
        ("3万元", {"level1": "产出指标", "level2": "数量指标", "name": "办公费用控制数"}, Op.LE, "成本指标"),
        ("85 天", {"level1": "产出指标", "level2": "时效指标", "name": "平均审理时间"}, Op.LE, "时限类"),
        ("5个工作日", {"name": "办结期限"}, Op.LE, "时限类"),
        ("8小时", {"name": "响应时长"}, Op.LE, "时限类"),
        ("40小时", {"level2": "数量指标", "name": "培训时长"}, Op.GE, "非成本、非时限类"),
        (
            "14 人",
            {"level1": "产出指标", "level2": "数量指标", "name": "培训人数"},
            Op.GE,
            "非成本、非时限类",
        ),
        ("29%", {"level1": "效益指标", "name": "结案率"}, Op.GE, "非成本、非时限类"),
        ("85 天", {}, Op.GE, "非成本、非时限类"),
    ],
)
def test_assumed_op(raw: str, kwargs: dict[str, str], op: Op, reason_part: str) -> None:
    got_op, reason = assumed_op(parse_target(raw), **kwargs)
    assert got_op is op
    assert reason.startswith("未写比较符号，按“")
    assert reason_part in reason
    assert ("≤" if op is Op.LE else "≥") in reason


def test_assumed_op_reasons_verbatim() -> None:
    assert assumed_op(parse_target("29%")) == (Op.GE, "未写比较符号，按“≥”理解（非成本、非时限类指标）")
    assert assumed_op(parse_target("3万元"), level1="成本指标") == (
        Op.LE,
        "未写比较符号，按“≤”理解（成本指标）",
    )
    assert assumed_op(parse_target("3天"), name="办理时限") == (
        Op.LE,
        "未写比较符号，按“≤”理解（时限类指标）",
    )


def test_assumed_op_keeps_written_operator() -> None:
    assert assumed_op(parse_target("≥3万元"), level1="成本指标") == (Op.GE, "")
    assert assumed_op(parse_target("90%-95%")) == (Op.RANGE, "")


def test_assumed_op_non_quantitative() -> None:
    op, reason = assumed_op(parse_target("优"))
    assert op is Op.EQ
    assert reason


# ---------------------------------------------------------------------------
# Properties

UNITS = [
    None,
    "%",
    "万元",
    "元",
    "千元",
    "亿元",
    "件",
    "人",
    "次",
    "天",
    "小时",
    "个",
    "项",
    "分",
    "个工作日",
]
GRADES = ["优", "良", "中", "差", "优秀", "良好", "合格", "不合格", "达到", "基本达到", "未达到", "部分达到",
          "是", "否", "有", "无", "达成年度指标", "达标", "完成", "基本完成", "未完成", "显著", "较显著",
          "一般", "提升", "提高", "有所提升", "明显提升", "逐步提升", "稳定", "保持稳定", "符合",
          "基本符合", "不符合", "长期", "中长期"]  # fmt: skip
NON_VALUES = ["以实际发生次数为准", "以实际为准", "据实结算", "按实际", "/", "—", "以上级下达数为准"]

numbers = st.decimals(
    min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False
).map(float)


@st.composite
def quantitative(draw: st.DrawFn) -> TargetValue:
    op = draw(st.sampled_from([None, *Op]))
    unit = draw(st.sampled_from(UNITS))
    low = draw(numbers)
    upper = None
    if op is Op.RANGE:
        high = draw(numbers)
        low, upper = min(low, high), max(low, high)
    return TargetValue("", Kind.QUANTITATIVE, op, low, upper, unit, None, None)


target_values = st.one_of(
    quantitative(),
    st.sampled_from(GRADES).map(lambda g: TargetValue(g, Kind.QUALITATIVE, None, None, None, None, g, None)),
    st.sampled_from(NON_VALUES).map(
        lambda r: TargetValue(r, Kind.NON_VALUE, None, None, None, None, None, None)
    ),
    st.just(TargetValue("", Kind.EMPTY, None, None, None, None, None, None)),
)


def _key(tv: TargetValue) -> tuple[object, ...]:
    return (tv.kind, tv.op, tv.number, tv.upper, tv.unit, tv.grade)


@settings(deadline=None)
@given(target_values)
def test_round_trip(tv: TargetValue) -> None:
    text = format_target(tv)
    assert _key(parse_target(text)) == _key(tv), text


@settings(deadline=None)
@given(st.text())
def test_parse_target_never_raises_on_text(text: str) -> None:
    tv = parse_target(text)
    assert isinstance(tv, TargetValue)
    assert tv.raw == text
    format_target(tv)


@settings(deadline=None)
@given(st.one_of(st.text(), st.floats(), st.integers(), st.none(), st.booleans(), st.decimals()))
def test_parse_target_never_raises_on_cells(value: object) -> None:
    tv = parse_target(value)
    assert isinstance(tv, TargetValue)
    if tv.kind is Kind.QUANTITATIVE:
        assert tv.number is not None
    format_target(tv)


@settings(deadline=None)
@given(st.text(alphabet="≥≤<>=＞％%0123456789.,-~至以上下内不低于达到万元天件 　", max_size=20))
def test_parse_target_never_raises_on_operator_soup(text: str) -> None:
    tv = parse_target(text)
    if tv.kind is Kind.QUANTITATIVE:
        assert tv.number is not None
        assert (tv.op is Op.RANGE) == (tv.upper is not None)
