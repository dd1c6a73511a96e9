"""Amounts, amount units and text normalisation shared by the value parsers.

Real forms mix 元 and 万元 freely (a published form lists 基本支出 7242318 (元)
next to totals in 万元), so every amount is carried together with the unit it
was written in and converted to 万元 only when compared.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "AMOUNT_UNITS",
    "Amount",
    "convert_amount",
    "format_number",
    "format_wan",
    "normalize_text",
    "parse_amount",
]

#: Factor that turns a value written in the key unit into 万元.
AMOUNT_UNITS: dict[str, float] = {
    "元": 1e-4,
    "千元": 0.1,
    "万元": 1.0,
    "亿元": 1e4,
}

# Dividing by an exact integer is correctly rounded, multiplying by 1e-4 is
# not (7242318 * 1e-4 != 724.2318), so conversions go through these integers.
_YUAN_PER_UNIT: dict[str, int] = {
    "元": 1,
    "千元": 1_000,
    "万元": 10_000,
    "亿元": 100_000_000,
}

# Shorthand a person writes in a cell, mapped to the unit it stands for.
_UNIT_ALIASES: dict[str, str] = {
    "元": "元",
    "千元": "千元",
    "万元": "万元",
    "亿元": "亿元",
    "千": "千元",
    "万": "万元",
    "亿": "亿元",
}

# ASCII digits only: `\d` would also accept e.g. Arabic-Indic digits, which
# NFKC leaves alone and no form uses.
_AMOUNT_RE = re.compile(
    r"""
    (?:人民币|RMB|CNY)?
    (?P<sign1>[-+])?
    (?P<yen>¥)?
    (?P<sign2>[-+])?
    (?P<num>
        [0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?   # 7,242,318.5
      | [0-9]{1,3}(?:\ [0-9]{3})+(?:\.[0-9]+)?  # 7 242 318
      | [0-9]+(?:\.[0-9]*)?
      | \.[0-9]+
    )
    (?:
        (?P<unit>亿元|万元|千元|元|亿|万|千)
      | \((?P<punit>亿元|万元|千元|元)\)          # "7242318 (元)" as in headers
    )?
    (?:人民币)?
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Keeps a single space only between two ASCII letters/digits ("PM 2.5",
# "7 242 318"); anywhere else a space is layout noise ("14 人", "≥ 95 %").
_SPACE_RE = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")


def normalize_text(s: str) -> str:
    """Return ``s`` in the canonical form both parsers work on.

    NFKC folds full-width digits, letters and punctuation to ASCII (``９５％``
    → ``95%``, ``＞`` → ``>``, ``～`` → ``~``) while leaving ``≥``/``≤`` alone.
    Invisible format characters are dropped, whitespace is collapsed and
    removed wherever it is not between two ASCII alphanumerics, so that the
    number and its unit always touch.
    """
    text = unicodedata.normalize("NFKC", s)
    # Zero-width spaces and BOMs survive NFKC and copy-pasted cells carry them.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = re.sub(r"\s+", " ", text).strip()
    text = _SPACE_RE.sub("", text)
    # Removing a space can bring combining marks together that NFKC orders
    # differently; normalising again keeps the function idempotent.
    return unicodedata.normalize("NFKC", text)


def format_number(x: float) -> str:
    """Format ``x`` without float noise or exponent: 100.0 → "100", 18.625 → "18.625".

    Values are rounded to 6 decimals; the shortest representation is used so
    that ``float(format_number(x)) == round(x, 6)``.
    """
    if not math.isfinite(x):
        return str(x)
    r = round(x, 6)
    if r == 0:
        return "0"  # also folds -0.0, which would otherwise print as "-0"
    if r.is_integer() and abs(r) < 1e16:
        return str(int(r))
    text = repr(r)
    if "e" in text or "E" in text:
        text = f"{r:.6f}".rstrip("0").rstrip(".")
    return text


def format_wan(x: float) -> str:
    """Format an amount in 万元 for display: 74.5 → "74.5", 100.0 → "100"."""
    return format_number(x)


def convert_amount(value: float, from_unit: str, to_unit: str = "万元") -> float:
    """Convert ``value`` between amount units (keys of :data:`AMOUNT_UNITS`).

    Raises ``KeyError`` for a unit that is not an amount unit.
    """
    num = _YUAN_PER_UNIT[from_unit]
    den = _YUAN_PER_UNIT[to_unit]
    if num == den:
        return float(value)
    if num > den:
        return value * (num // den)
    return value / (den // num)


@dataclass(frozen=True)
class Amount:
    """An amount as written in a cell."""

    value: float
    """The number in the unit it was written in."""
    unit: str
    """One of the keys of :data:`AMOUNT_UNITS`."""
    unit_assumed: bool
    """True when no unit was written and the default unit was assumed."""
    raw: str
    """The original cell content, for messages."""

    @property
    def wan(self) -> float:
        """The amount in 万元."""
        return convert_amount(self.value, self.unit, "万元")


def _number_to_float(value: object) -> float | None:
    # bool is an int subclass, but a TRUE/FALSE cell is never an amount.
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        return None
    try:
        result = float(value)
    except (OverflowError, ValueError, ArithmeticError):
        return None
    return result if math.isfinite(result) else None


def parse_amount(value: object, default_unit: str = "万元") -> Amount | None:
    """Read an amount from a cell value; ``None`` if it is not one.

    Numbers (not bools) are taken in ``default_unit`` with ``unit_assumed``
    set.  Strings may carry thousands separators, full-width characters,
    ``¥``/``人民币`` and a unit (元, 千元, 万元, 亿元, or the short 千/万/亿);
    ``¥``/``人民币`` without a unit means 元.  Never raises for any ``value``;
    ``ValueError`` only for a ``default_unit`` that is not an amount unit,
    which is a programming error rather than bad input.
    """
    if default_unit not in AMOUNT_UNITS:
        raise ValueError(f"未知的金额单位：{default_unit!r}")
    try:
        return _parse_amount(value, default_unit)
    except Exception:  # callers scan whole workbooks and rely on "never raises"
        return None


def _parse_amount(value: object, default_unit: str) -> Amount | None:
    if not isinstance(value, str):
        number = _number_to_float(value)
        if number is None:
            return None
        return Amount(number, default_unit, True, str(value))

    text = normalize_text(value)
    match = _AMOUNT_RE.fullmatch(text)
    if match is None:
        return None
    if match["sign1"] and match["sign2"]:
        return None
    digits = match["num"].replace(",", "").replace(" ", "")
    number = float(digits)
    if not math.isfinite(number):
        return None
    if (match["sign1"] or match["sign2"]) == "-":
        number = -number

    written = match["unit"] or match["punit"]
    currency_marked = bool(match["yen"]) or text[:3].upper() in ("RMB", "CNY") or "人民币" in text
    if written:
        unit, assumed = _UNIT_ALIASES[written], False
    elif currency_marked:
        unit, assumed = "元", False  # ¥1,000 is a number of yuan
    else:
        unit, assumed = default_unit, True
    return Amount(number, unit, assumed, value)
