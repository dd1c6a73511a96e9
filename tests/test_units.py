"""Tests for pyxl.core.units: amounts, unit conversion and text normalisation."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyxl.core.units import (
    AMOUNT_UNITS,
    Amount,
    convert_amount,
    format_number,
    format_wan,
    normalize_text,
    parse_amount,
)


@pytest.mark.parametrize(
    ("raw", "value", "unit", "assumed", "wan"),
    [
        ("74.5万元", 74.5, "万元", False, 74.5),
        ("74.5 万元", 74.5, "万元", False, 74.5),
        ("74.5元", 74.5, "元", False, 0.00745),
        ("7242318", 7242318.0, "万元", True, 7242318.0),
        ("7,242,318 元", 7242318.0, "元", False, 724.2318),
        ("7242318 (元)", 7242318.0, "元", False, 724.2318),
        ("１２.５万元", 12.5, "万元", False, 12.5),
        ("１，０００元", 1000.0, "元", False, 0.1),
        ("3亿", 3.0, "亿元", False, 30000.0),
        ("3亿元", 3.0, "亿元", False, 30000.0),
        ("3万", 3.0, "万元", False, 3.0),
        ("5千元", 5.0, "千元", False, 0.5),
        ("¥1,000", 1000.0, "元", False, 0.1),
        ("￥1,000", 1000.0, "元", False, 0.1),
        ("人民币1000元", 1000.0, "元", False, 0.1),
        ("人民币1000", 1000.0, "元", False, 0.1),
        ("-5万元", -5.0, "万元", False, -5.0),
        ("  18.625  ", 18.625, "万元", True, 18.625),
    ],
)
def test_parse_amount_strings(raw: str, value: float, unit: str, assumed: bool, wan: float) -> None:
    amount = parse_amount(raw)
    assert amount == Amount(value, unit, assumed, raw)
    assert amount.wan == pytest.approx(wan)


def test_parse_amount_exact_yuan_conversion() -> None:
    # the published form's 基本支出 must come out as an exact 万元 figure
    amount = parse_amount("7242318元")
    assert amount is not None
    assert amount.wan == 724.2318


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "以实际为准", "约五万元", "abc", "nan", "inf", "1e5", "5美元", "3-5万元", "万元", "¥", None],
)
def test_parse_amount_rejects(raw: object) -> None:
    assert parse_amount(raw) is None


@pytest.mark.parametrize("value", [True, False, float("nan"), float("inf"), -float("inf"), 10**400, [1], {}])
def test_parse_amount_rejects_non_amount_objects(value: object) -> None:
    assert parse_amount(value) is None


def test_parse_amount_numbers_use_default_unit() -> None:
    assert parse_amount(74.5) == Amount(74.5, "万元", True, "74.5")
    assert parse_amount(7242318, "元") == Amount(7242318.0, "元", True, "7242318")
    assert parse_amount(Decimal("1.5"), "亿元") == Amount(1.5, "亿元", True, "1.5")
    # a written unit wins over the default
    assert parse_amount("10元", "万元").unit == "元"


def test_parse_amount_bad_default_unit_is_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_amount("1", default_unit="美元")


def test_amount_units_table() -> None:
    assert AMOUNT_UNITS == {"元": 1e-4, "千元": 0.1, "万元": 1.0, "亿元": 1e4}


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        (7242318, "元", "万元", 724.2318),
        (1, "亿元", "万元", 10000.0),
        (3, "千元", "元", 3000.0),
        (2.5, "万元", "万元", 2.5),
        (50000, "万元", "亿元", 5.0),
    ],
)
def test_convert_amount(value: float, src: str, dst: str, expected: float) -> None:
    assert convert_amount(value, src, dst) == expected


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (18.625, "18.625"),
        (74.5, "74.5"),
        (100.0, "100"),
        (0.1 + 0.2, "0.3"),
        (-0.0, "0"),
        (1e20, "100000000000000000000"),
        (1e-5, "0.00001"),
        (1234567.1234567, "1234567.123457"),
        (-3.5, "-3.5"),
    ],
)
def test_format_wan(x: float, text: str) -> None:
    assert format_wan(x) == text
    assert format_number(x) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("≥９５％", "≥95%"),
        ("  ≥ 95 %  ", "≥95%"),
        ("14 人", "14人"),
        ("74.5\u3000万元", "74.5万元"),
        ("７４．５\xa0万元", "74.5万元"),
        ("＞90％", ">90%"),
        ("3～5天", "3~5天"),
        ("≥90%", "≥90%"),
        ("PM  2.5\u200b 浓度", "PM 2.5浓度"),
        ("服务对象\n满意度", "服务对象满意度"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@settings(deadline=None)
@given(st.one_of(st.text(), st.floats(), st.integers(), st.none(), st.booleans(), st.decimals()))
def test_parse_amount_never_raises(value: object) -> None:
    result = parse_amount(value)
    assert result is None or (isinstance(result, Amount) and math.isfinite(result.wan))


@settings(deadline=None)
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_yuan_to_wan_consistent(x: Decimal) -> None:
    amount = parse_amount(f"{x}元")
    assert amount is not None
    assert amount.unit == "元"
    assert amount.wan == pytest.approx(float(x) / 10000, rel=1e-12, abs=1e-12)


@settings(deadline=None)
@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.sampled_from(sorted(AMOUNT_UNITS)),
)
def test_written_unit_round_trip(x: float, unit: str) -> None:
    amount = parse_amount(f"{format_number(x)}{unit}")
    assert amount is not None
    assert amount.value == round(x, 6)
    assert amount.wan == pytest.approx(round(x, 6) * AMOUNT_UNITS[unit], rel=1e-9, abs=1e-12)


@settings(deadline=None)
@given(st.text())
def test_normalize_text_idempotent(s: str) -> None:
    once = normalize_text(s)
    assert normalize_text(once) == once
