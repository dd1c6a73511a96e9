"""Cell values of real forms, as the block reader keeps them: amounts in the unit a header
states, dates and periods, a ticked option, an indicator's name and its 一级, and the 指标值
composed from 符号/方向, 数值 and 单位 columns.

Values stay as written where the model says so; only the form's own conventions are undone
(a unit stated once in a header, "指标1:" numbering, a 一级 cell holding only its score).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from typing import Any

from ..core.units import format_number
from .columns import clean_level, vocabulary
from .form_spec import LEVEL1_OF, norm

__all__ = [
    "amount",
    "checked_option",
    "compose_value",
    "date_text",
    "indicator_name",
    "infer_level1",
    "is_filler",
    "is_polarity",
    "period",
]

_DASHES = frozenset({"-", "--", "—", "——", "/", "／", "无", "－"})


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def amount(value: Any, unit: str | None) -> Any:
    """A budget or funding cell. A bare number under a header that states 元 (千元, 亿元) is
    written with that unit ("200000 元"), which units.parse_amount converts; under 万元 (or no
    header) it stays a number, which means 万元. A dash means nothing was entered."""
    if _blank(value):
        return None
    if isinstance(value, str) and value.strip() in _DASHES:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d[\d,]*(?:\.\d+)?\s*", value):
        number = float(value.replace(",", ""))
        value = int(number) if number.is_integer() and "." not in value else number
    if isinstance(value, int | float) and not isinstance(value, bool) and unit and unit != "万元":
        return f"{format_number(float(value))} {unit}"
    return value


_TICK = "☑☒✔✓√■▣"


def checked_option(value: Any) -> Any:
    """"1、部门预算项目 ☑ 2、市直专项", "新增项目□延续项目√" → the option the form ticks (the mark
    follows its option); other text as written."""
    if not isinstance(value, str) or not any(t in value for t in _TICK):
        return value
    pairs = re.findall(rf"([^{_TICK}□\s]+?)\s*([{_TICK}□])", re.sub(r"(?:^|\s)\d+\s*[、.．]\s*", " ", value))
    ticked = [o.strip() for o, mark in pairs if mark != "□"]
    return ticked[0] if len(ticked) == 1 else value


_DATE = re.compile(
    r"^(?P<y>(?:19|20)\d\d)\s*(?:[-./年]\s*)?(?P<m>1[0-2]|0?[1-9])(?:\s*[-./月]\s*(?:(?P<d>3[01]|[12]\d|0?[1-9])\s*日?)?)?$"
)


def date_text(value: Any, *, end: bool = False) -> str | None:
    """A 计划开始/完成日期 as ISO text, the data contract's YYYY-MM-DD; a month alone ("202001",
    "2020年12月") is its first day, or its last day for an end date. Text that is no date stays as
    written (the data file's schema then says so)."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if re.fullmatch(r"(?:19|20)\d{6}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE.match(text.rstrip("月"))
    if m and (m.group("d") or not re.fullmatch(r"\d{5}", text)):
        y, mo, d = int(m.group("y")), int(m.group("m")), m.group("d")
        try:
            if d:
                return dt.date(y, mo, int(d)).isoformat()
            if end:
                following = dt.date(y + mo // 12, mo % 12 + 1, 1)
                return (following - dt.timedelta(days=1)).isoformat()
            return dt.date(y, mo, 1).isoformat()
        except ValueError:
            pass
    return str(value).strip()


def period(value: Any) -> tuple[str | None, str | None]:
    """项目起止时间 "202001-202012" / "2026年1月至2026年12月" → (start, end)."""
    if _blank(value):
        return None, None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    parts = re.split(r"\s*(?:至|到|~|～|—|–|-{1,2}(?=\s*(?:19|20)\d\d))\s*", text)
    if len(parts) != 2:
        return text, None
    return date_text(parts[0]), date_text(parts[1], end=True)


_NUMBERING = re.compile(r"^\s*指标\s*\d+\s*[:：]\s*")


def indicator_name(value: Any) -> str | None:
    """A 三级指标 without the form's "指标1:" numbering."""
    if _blank(value):
        return None
    text = str(value).strip()
    return _NUMBERING.sub("", text) or text


def is_filler(value: Any) -> bool:
    """"……", "...", "等": a row the publisher elided, not an indicator. A lone mark ("、", ".") is
    text someone typed, and stays an indicator."""
    return isinstance(value, str) and bool(re.fullmatch(r"\s*(?:…+|[.。·]{2,}|等)?\s*", value))


def infer_level1(level1: str | None, level2: str | None) -> str | None:
    """The 一级 as written without its score ("产出指标(50分)" → 产出指标); a cell holding only the
    score ("(50分)") or nothing takes the 一级 its 二级 belongs to (数量指标 → 产出指标)."""
    cleaned = clean_level(level1)
    if cleaned and not re.fullmatch(r"[(（].*[)）]", cleaned):
        return cleaned
    if level2 is None:
        return cleaned
    from ..core.framework import FRAMEWORK, OUTDATED

    l2 = norm(clean_level(level2))
    l2 = OUTDATED.get(l2, l2)
    owner = next((k for k, v in FRAMEWORK.items() if l2 in v), None)
    return owner or LEVEL1_OF.get(l2) or cleaned


@cache
def _polarity_words() -> frozenset[str]:
    """正向/反向 and their variants (columns.toml [polarity], shared with the table readers)."""
    words = vocabulary()["polarity"]
    return frozenset(norm(w) for key in ("positive", "negative") for w in words[key])


def is_polarity(text: Any) -> bool:
    return norm(text) in _polarity_words()


def compose_value(symbol: Any, direction: Any, number: Any, unit: Any, *, number_is_value: bool) -> tuple[Any, str | None]:
    """(指标值, polarity) from a form's columns.

    The operator comes from 符号 (or, where 符号 holds none, from 指标方向 written as an operator
    or 大于等于); 正向/反向 in either column is the polarity, kept as written. A 指标值 column that
    already holds a whole value ("≥95%") stays as written; a bare number is joined with the
    operator and the unit ("≥" 95 "%" → "≥95%")."""
    sym, dirn, unit_text = (_str(v) for v in (symbol, direction, unit))
    polarity = dirn if dirn is not None else (sym if sym is not None and is_polarity(sym) else None)
    operator = None
    for cand in (sym, dirn):
        if cand is not None and not is_polarity(cand):
            operator = cand
            break
    if operator is not None and norm(operator) in ("定性", "定性指标"):
        return _str(number), polarity
    if isinstance(number, int | float) and not isinstance(number, bool):
        num_text: str | None = format_number(float(number))
        bare = True
    else:
        num_text = _str(number)
        bare = num_text is not None and bool(re.fullmatch(r"[-+]?\d[\d,]*(?:\.\d+)?", num_text.strip()))
    if number_is_value and not bare:
        return (number if not isinstance(number, str) else num_text), polarity  # a whole value as written
    if operator is None and unit_text is None:
        if isinstance(number, int | float) and not isinstance(number, bool):
            return (int(number) if float(number).is_integer() else number), polarity
        return num_text, polarity
    if num_text is None:
        return None, polarity
    op = operator or ""
    if unit_text is not None and num_text.endswith(unit_text):
        unit_text = None
    return f"{op}{num_text}{unit_text or ''}", polarity


def _str(v: Any) -> str | None:
    if _blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()
