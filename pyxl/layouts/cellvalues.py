"""Cell values of real tables: a 指标值 split over 符号/数值/单位 (or 指标方向) columns, and
amounts whose unit only a header states.

The value is composed as one cell would hold it ("≥" 95 "%" → "≥95%", operator words
written as the symbol they stand for); the unit and the polarity as written are kept
beside it in the model (Indicator.unit, Indicator.polarity). The words are in
``pyxl/data/columns.toml`` ([operators], [polarity]).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..core.units import format_number
from .columns import vocabulary

__all__ = ["Composed", "amount_in", "compose_value", "operator_of", "polarity_of"]


@cache
def _words() -> tuple[dict[str, str], dict[str, str]]:
    data = vocabulary()
    ops = {_key(w): sym for sym, ws in data["operators"].items() for w in ws}
    pol = {_key(w): kind for kind, ws in data["polarity"].items() for w in ws}
    return ops, pol


def _key(value: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(float(value))
    text = str(value).strip()
    return text or None


def operator_of(value: Any) -> str | None:
    """The operator symbol a 符号 cell stands for ("大于等于" → "≥"), or None."""
    if value is None:
        return None
    return _words()[0].get(_key(value))


def polarity_of(value: Any) -> str | None:
    """"positive", "negative" or "qualitative" for a 指标方向 cell, or None."""
    if value is None:
        return None
    return _words()[1].get(_key(value))


@dataclass(frozen=True)
class Composed:
    value: Any
    unit: str | None = None
    polarity: str | None = None


def compose_value(
    value: Any = None, symbol: Any = None, number: Any = None, unit: Any = None, direction: Any = None
) -> Composed:
    """One 指标值 from the columns a table splits it into. ``value`` is a whole-value column
    (it wins when the parts are empty); ``symbol``/``direction`` may each hold an operator or
    a polarity word."""
    op = None
    polarity = None
    qualitative = False
    for cell in (symbol, direction):
        text = _text(cell)
        if text is None:
            continue
        if (o := operator_of(text)) is not None:
            op = op or o
        elif (p := polarity_of(text)) is not None:
            if p == "qualitative":
                qualitative = True
            else:
                polarity = polarity or text
        elif op is None:
            op = text  # an operator pyxl does not know: kept as written, the grammar judges it
    unit_text = _text(unit)
    body = _text(number) if number is not None else None
    if body is None:
        body_value: Any = value
        body = _text(value)
    else:
        body_value = number
    if body is None:
        return Composed(None, unit_text, polarity)
    if qualitative or (op is None and unit_text is None):
        return Composed(body_value if isinstance(body_value, str) else body, unit_text, polarity)
    # a unit already written in the number cell ("95%" under 数值 with unit %) is not doubled
    tail = "" if unit_text is None or body.endswith(unit_text) else unit_text
    has_op = bool(re.match(r"^\s*[≥≤<>=≧≦═]", body))
    return Composed(f"{'' if has_op or op is None else op}{body}{tail}", unit_text, polarity)


_PLAIN_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def amount_in(value: Any, unit: str | None) -> Any:
    """An amount cell under a header that states its unit ("金额单位:元"): a bare number is
    written with that unit ("3309840 元"); 万元 (what a bare number means) and text that
    carries its own unit stay as they are."""
    if value is None or isinstance(value, bool):
        return value
    if unit is None or unit == "万元":
        return (value.strip() or None) if isinstance(value, str) else value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not _PLAIN_NUMBER.match(text):
            return text
        number = float(text.replace(",", ""))
    elif isinstance(value, int | float):
        number = float(value)
    else:
        return value
    return f"{format_number(number)} {unit}"
