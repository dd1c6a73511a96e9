"""Grammar of 指标值 (target values) as real forms write them.

The same target appears as ``≥80%``, ``80%以上``, ``不低于80%``, ``达到90%以上``,
``受理案件数达到560件以上`` or a bare ``29%``; 定性 targets are grades such as
``优`` or ``达成年度指标``; some cells are not values at all
(``以实际发生次数为准``).  :func:`parse_target` turns any cell content into one
:class:`TargetValue`, never raising, so that a checker can report what it could
not read instead of stopping.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from pyxl.core.units import AMOUNT_UNITS, convert_amount, format_number, normalize_text

__all__ = [
    "KNOWN_UNITS",
    "Kind",
    "Op",
    "TargetValue",
    "assumed_op",
    "format_target",
    "parse_target",
]


class Kind(StrEnum):
    """What sort of thing a 指标值 cell holds."""

    QUANTITATIVE = "定量"
    QUALITATIVE = "定性"
    NON_VALUE = "非值"
    EMPTY = "空"
    UNPARSED = "无法识别"


class Op(StrEnum):
    """Comparison direction of a quantitative target."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="
    RANGE = "range"


_OP_SYMBOL: dict[Op, str] = {Op.GE: "≥", Op.GT: ">", Op.LE: "≤", Op.LT: "<", Op.EQ: "="}


@dataclass(frozen=True)
class TargetValue:
    """One parsed 指标值."""

    raw: str
    kind: Kind
    op: Op | None
    """None when no operator or wording was written, or the value is not quantitative."""
    number: float | None
    """The number in ``unit``; the low end for :attr:`Op.RANGE`."""
    upper: float | None
    """The high end for :attr:`Op.RANGE`, else None."""
    unit: str | None
    grade: str | None
    """For 定性: the grade or wording, e.g. "优", "达到", "达成年度指标"."""
    wording: str | None
    """Operator wording found, e.g. "以上", "不低于", "达到…以上"; None for symbols."""

    @property
    def is_amount(self) -> bool:
        return self.unit in AMOUNT_UNITS

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def number_in(self, unit: str) -> float | None:
        """``number`` expressed in ``unit``; None when no conversion applies."""
        return self._convert(self.number, unit)

    def upper_in(self, unit: str) -> float | None:
        """``upper`` expressed in ``unit``; None when no conversion applies."""
        return self._convert(self.upper, unit)

    @property
    def wan(self) -> float | None:
        """``number`` in 万元 for amounts, else None."""
        return self.number_in("万元") if self.is_amount else None

    @property
    def upper_wan(self) -> float | None:
        """``upper`` in 万元 for amounts, else None."""
        return self.upper_in("万元") if self.is_amount else None

    def _convert(self, value: float | None, unit: str) -> float | None:
        if value is None or self.unit is None:
            return None
        if self.unit == unit:
            return value
        if self.unit in AMOUNT_UNITS and unit in AMOUNT_UNITS:
            return convert_amount(value, self.unit, unit)
        return None


# --------------------------------------------------------------------------
# Vocabulary

# Whole-cell 定性 grades.  Matched after normalisation and after dropping
# trailing punctuation, so "优。" is the grade "优".
_GRADES: frozenset[str] = frozenset(
    """
    优 良 中 差 优秀 良好 中等 较好 一般 较差 合格 不合格
    达到 基本达到 未达到 部分达到 达成 基本达成 未达成 部分达成 达成年度指标
    达标 基本达标 未达标 完成 基本完成 未完成 按时完成 按期完成 及时完成
    是 否 有 无 显著 较显著 明显 较明显 不明显
    提升 提高 有所提升 有所提高 明显提升 明显提高 显著提升 显著提高 逐步提升 逐步提高
    稳定 保持稳定 基本稳定 符合 基本符合 不符合 长期 中长期 短期
    满意 基本满意 较满意 非常满意 不满意 高 较高 低 较低 好 较好
    及时 准确 规范 有效 全覆盖 正常 正常运行
    """.split()
)

# Graded wording built from a degree adverb and a direction verb, e.g.
# "稳步提升", "进一步改善": too many combinations to list.
_GRADE_RE = re.compile(
    r"(?:(?:有所|明显|显著|逐步|稳步|持续|不断|进一步|逐年|大幅|大幅度|较大|有效|全面|稳定|基本)"
    r"(?:提升|提高|改善|增强|增加|增长|降低|减少|下降|优化|加强|改进|好转|扩大|缩小))"
    r"|(?:保持|维持)(?:稳定|良好|正常|不变|现状)"
    r"|(?:达到|实现)(?:优|良|中|优秀|良好|合格|预期|预期目标|年度目标|目标)"
)

_NON_VALUE_EXACT: frozenset[str] = frozenset(
    [
        "/",
        "\\",
        "-",
        "--",
        "—",
        "——",
        "―",
        "–",
        "~",
        "N/A",
        "n/a",
        "NA",
        "不适用",
        "不涉及",
        "暂无",
        "无需",
        "待定",
    ]
)
# "以…为准" and friends: the target is whatever actually happens.
_NON_VALUE_RE = re.compile(r"为准|据实|按实|根据实际|以实际|实际发生|视.*情况|按需")

_OP_SYMBOLS: tuple[tuple[str, Op], ...] = (
    # two-character spellings first so ">=" is not read as "="
    (">=", Op.GE),
    ("=>", Op.GE),
    ("<=", Op.LE),
    ("=<", Op.LE),
    ("==", Op.EQ),
    ("≥", Op.GE),
    ("≧", Op.GE),
    ("⩾", Op.GE),
    ("≮", Op.GE),
    ("≤", Op.LE),
    ("≦", Op.LE),
    ("⩽", Op.LE),
    ("≯", Op.LE),
    (">", Op.GT),
    ("<", Op.LT),
    ("=", Op.EQ),
)
_SYMBOL_CHARS = "≥≤≧≦⩾⩽≮≯<>="

# Comparative words; a preceding negation flips them ("不低于" is ≥, "不得超过"
# is ≤), a trailing 等于 makes them inclusive ("大于等于").
_COMPARE_RE = re.compile(
    r"(?P<neg>不得|不应|不能|不可|不宜|不会|不要|不)?"
    r"(?P<core>大于|高于|超过|超出|多于|小于|低于|少于)"
    r"(?P<eq>或等于|等于)?$"
)
_COMPARE_CORE: dict[str, Op] = {
    "大于": Op.GT,
    "高于": Op.GT,
    "超过": Op.GT,
    "超出": Op.GT,
    "多于": Op.GT,
    "小于": Op.LT,
    "低于": Op.LT,
    "少于": Op.LT,
}

# Other words right before the number.  达到/达 are "weak": they say the
# target should be reached but a suffix such as 以内 decides the direction.
_PREFIX_WORDS: tuple[tuple[str, Op, bool], ...] = (
    ("控制在", Op.LE, False),
    ("控制到", Op.LE, False),
    ("至少", Op.GE, False),
    ("最少", Op.GE, False),
    ("最低", Op.GE, False),
    ("至多", Op.LE, False),
    ("最多", Op.LE, False),
    ("最高", Op.LE, False),
    ("等于", Op.EQ, False),
    ("达到", Op.GE, True),
)
# 达 alone ("出勤率达98%") unless it ends another word (送达, 到达, 下达…).
_NOT_BEFORE_DA = "送到传下通表转抵直发"

_SUFFIX_WORDS: tuple[tuple[str, Op], ...] = (
    ("及以上", Op.GE),
    ("或以上", Op.GE),
    ("以上", Op.GE),
    ("及以下", Op.LE),
    ("或以下", Op.LE),
    ("以下", Op.LE),
    ("以内", Op.LE),
    ("之内", Op.LE),
    ("内", Op.LE),
)
_INCLUSIVE_NOTE_RE = re.compile(r"\(含(?:本数)?\)")

_TIME_UNITS = frozenset(
    ["天", "日", "个工作日", "工作日", "小时", "分钟", "秒", "周", "个月", "月", "年", "季度"]
)

KNOWN_UNITS: tuple[str, ...] = tuple(
    sorted(
        set(
            """
            % ‰ 个百分点 百分点 亿元 万元 千元 元 万人次 人次 户次 万人 人 户 家 位 名
            件 次 个 项 台 套 辆 场 期 批 篇 本 册 份 条 所 座 处 间 张 班 门 类 种
            棵 株 头 只 盏 块 幅 部 栋 艘 架 组 支 根 把 宗 起 例 床 节 课时 学时
            场次 批次 篇次 个工作日 工作日 个月 小时 分钟 天 日 周 月 年 季度 秒 分
            公里 千米 米 平方米 平方公里 立方米 亩 万亩 公顷 吨 万吨 公斤 千克 克 微克 毫克
            升 毫升 倍 万 亿 度 千瓦时 °C km m km2 m2 m3 kg t
            """.split()
        ),
        key=len,
        reverse=True,
    )
)
_UNIT_RE = re.compile(
    "(?:"
    + "|".join(re.escape(u) for u in KNOWN_UNITS)
    + ")"
    # compound units such as 元/人, 次/年, 微克/立方米
    + r"(?:/(?:"
    + "|".join(re.escape(u) for u in KNOWN_UNITS)
    + r"|[\u4e00-\u9fff]))?"
)
# A measure word not in the list ("5艘"), or ASCII units ("100Mbps"), only
# when nothing else follows that could make it the start of a longer word.
_FALLBACK_UNIT_RE = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{1,6}[0-9]?")
_BOUNDARY_CHARS = " .。,;!、)]】\"'”’/"

_NUM_RE = re.compile(
    r"(?<![0-9.,])"
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
    r"|[0-9]{1,3}(?: [0-9]{3})+(?:\.[0-9]+)?"
    r"|[0-9]+(?:\.[0-9]+)?"
    r"|\.[0-9]+)"
    r"(?![0-9])"
)
_RANGE_SEP_RE = re.compile(r"(?:—{1,2}|―|–|-|~|〜|至|到)(?P<sign>[-+])?")
_TAIL_OK_RE = re.compile(r"(?:左右|之间|\(含(?:本数)?\)|[\s.。,;!、)\]】\"'”’])*")
_TRAILING_PUNCT = " .。,;!、"


# --------------------------------------------------------------------------
# Scanning


@dataclass
class _Candidate:
    """A number found in the text together with what surrounds it."""

    end: int
    number: float
    upper: float | None
    unit: str | None
    op: Op | None
    wording: str | None
    tail_clean: bool
    invalid: bool = False  # contradictory operators, "≠", "±" …
    noise: bool = False  # a year, an ordinal, part of an identifier such as PM2.5


def _to_float(digits: str) -> float:
    return float(digits.replace(",", "").replace(" ", ""))


def _sign_allowed(text: str, sign_pos: int) -> bool:
    # A "-" right after a number or unit is a range dash, not a minus sign.
    if sign_pos == 0:
        return True
    before = text[sign_pos - 1]
    if before in _SYMBOL_CHARS or before in " (:[【":
        return True
    head = text[:sign_pos]
    return _prefix_wording(head) is not None


def _prefix_symbol(head: str) -> Op | None:
    for symbol, op in _OP_SYMBOLS:
        if head.endswith(symbol):
            return op
    return None


def _prefix_wording(head: str) -> tuple[Op | None, str, bool] | None:
    """Return (op, wording, weak) for comparative wording ending ``head``.

    ``op`` is None for contradictory wording such as "不大于等于".
    """
    # The longest wording is 7 characters; looking further back only costs time.
    m = _COMPARE_RE.search(head[-10:])
    if m:
        core = _COMPARE_CORE[m["core"]]
        if m["neg"] and m["eq"]:
            return None, m.group(), False
        if m["eq"]:
            return (Op.GE if core is Op.GT else Op.LE), m.group(), False
        if m["neg"]:
            return (Op.LE if core is Op.GT else Op.GE), m.group(), False
        return core, m.group(), False
    for word, op, weak in _PREFIX_WORDS:
        if head.endswith(word):
            return op, word, weak
    if head.endswith("达") and not head[:-1].endswith(tuple(_NOT_BEFORE_DA)):
        return Op.GE, "达", True
    return None


def _read_unit(text: str, pos: int) -> tuple[str | None, int]:
    m = _UNIT_RE.match(text, pos)
    if m:
        return m.group(), m.end()
    m = _FALLBACK_UNIT_RE.match(text, pos)
    if m and not _starts_suffix(text, pos):
        after = m.end()
        if after == len(text) or text[after] in _BOUNDARY_CHARS or _starts_suffix(text, after):
            return m.group(), after
    return None, pos


def _starts_suffix(text: str, pos: int) -> bool:
    return any(text.startswith(word, pos) for word, _ in _SUFFIX_WORDS)


def _read_suffix(text: str, pos: int, unit: str | None) -> tuple[Op | None, str | None, int]:
    for word, op in _SUFFIX_WORDS:
        if not text.startswith(word, pos):
            continue
        end = pos + len(word)
        # Bare 内 only for time ("3天内办结"); "3项内容" is not "≤3项".
        if (
            word == "内"
            and unit not in _TIME_UNITS
            and not (end == len(text) or text[end] in _BOUNDARY_CHARS)
        ):
            return None, None, pos
        note = _INCLUSIVE_NOTE_RE.match(text, end)
        return op, word, note.end() if note else end
    return None, None, pos


def _scan_one(text: str, m: re.Match[str]) -> _Candidate:
    start = m.start()
    number = _to_float(m.group())
    invalid = noise = False

    if start > 0 and text[start - 1] in "-+" and _sign_allowed(text, start - 1):
        if text[start - 1] == "-":
            number = -number
        head = text[: start - 1]
    else:
        head = text[:start]
    head_stripped = head.rstrip(":")

    sym_op = _prefix_symbol(head_stripped)
    pre = None if sym_op else _prefix_wording(head_stripped)
    if head_stripped.endswith(("≠", "±", "+-")):
        invalid = True
    if head and ((head[-1].isascii() and head[-1].isalpha()) or head.endswith("第")):
        noise = True  # PM2.5, A4, 第3名

    pos = m.end()
    unit, pos = _read_unit(text, pos)

    # Ranges: "90%-95%", "90-95%", "3~5天", "3至5天".
    upper: float | None = None
    sep = _RANGE_SEP_RE.match(text, pos)
    if sep:
        m2 = _NUM_RE.match(text, sep.end())
        if m2:
            upper = _to_float(m2.group())
            if sep["sign"] == "-":
                upper = -upper
            unit2, pos = _read_unit(text, m2.end())
            if unit and unit2 and unit != unit2:
                invalid = True
            unit = unit or unit2

    # "90%(含)以上", "3天(含)以内": the note may also come before the suffix.
    note = _INCLUSIVE_NOTE_RE.match(text, pos)
    if note and _starts_suffix(text, note.end()):
        pos = note.end()
    suf_op, suf_word, pos = _read_suffix(text, pos, unit)
    tail_clean = _TAIL_OK_RE.fullmatch(text, pos) is not None

    op: Op | None = None
    wording: str | None = None
    if pre is not None and pre[0] is None:
        invalid = True
    elif upper is not None:
        if sym_op or suf_op:
            invalid = True  # "≥90-95%" says two different things
        op = Op.RANGE
        wording = pre[1] if pre else None
        if number > upper:
            number, upper = upper, number
    else:
        pre_op, pre_word, weak = pre if pre else (None, None, False)
        strong_pre = None if weak and suf_op else pre_op
        decided = [o for o in (sym_op, strong_pre, suf_op) if o is not None]
        directions = {_direction(o) for o in decided}
        if len(directions) > 1:
            invalid = True
        elif decided:
            op = decided[0]  # symbol, then wording before, then after: most precise first
        words = [w for w in (pre_word, suf_word) if w]
        wording = "…".join(words) if words else None

    if op is None and unit == "年" and upper is None and m.group().isdigit() and 1900 <= number <= 2100:
        noise = True  # "2024年" in a label is a year, not a quantity
    return _Candidate(pos, number, upper, unit, op, wording, tail_clean, invalid, noise)


def _direction(op: Op) -> str:
    if op in (Op.GE, Op.GT):
        return "up"
    if op in (Op.LE, Op.LT):
        return "down"
    return op.value


def _scan(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    pos = 0
    while (m := _NUM_RE.search(text, pos)) is not None:
        cand = _scan_one(text, m)
        found.append(cand)
        pos = max(cand.end, m.end())
    return found


def _pick(cands: list[_Candidate]) -> _Candidate | None:
    """Choose the candidate that is the cell's value, or None when unclear."""
    if any(c.invalid for c in cands):
        return None
    # A range written without wording in the middle of a sentence ("1-6月完成
    # 50%") is a period, not the target.
    explicit = [
        c for c in cands if c.op is not None and not (c.op is Op.RANGE and not c.wording and not c.tail_clean)
    ]
    if explicit:
        distinct = {(c.op, c.number, c.upper, c.unit) for c in explicit}
        if len(distinct) == 1:
            return explicit[0]
        if len(explicit) == 2:
            low, high = sorted(explicit, key=lambda c: c.op is Op.LE)
            # "≥90%且≤95%" is the range 90%-95%
            if (low.op, high.op) == (Op.GE, Op.LE) and low.unit == high.unit and low.number <= high.number:
                return _Candidate(high.end, low.number, high.number, low.unit, Op.RANGE, None, True)
        return None
    real = [c for c in cands if not c.noise]
    if len(real) == 1 and real[0].tail_clean:
        return real[0]
    return None


# --------------------------------------------------------------------------
# Public API


def _make(
    raw: str,
    kind: Kind,
    *,
    op: Op | None = None,
    number: float | None = None,
    upper: float | None = None,
    unit: str | None = None,
    grade: str | None = None,
    wording: str | None = None,
) -> TargetValue:
    return TargetValue(raw, kind, op, number, upper, unit, grade, wording)


def parse_target(text: object) -> TargetValue:
    """Parse one 指标值 cell.  Never raises, whatever ``text`` is."""
    try:
        return _parse_target(text)
    except Exception:  # a checker must report bad cells, not crash on them
        try:
            raw = text if isinstance(text, str) else repr(text)
        except Exception:  # even repr() of a foreign object may fail
            raw = ""
        return _make(raw, Kind.UNPARSED)


# A 指标值 is a few characters ("≥95%", "达到 560 件以上"); longer text is not parsed.
MAX_VALUE_CHARS = 1000


# Spellings real forms print (预算管理一体化 exports, web pages): "98百分比" is 98%, a box-drawing
# "═" is "=".
_RESPELL = (("百分比", "%"), ("═", "="), ("＝", "="))


def _respell(text: str) -> str:
    for old, new in _RESPELL:
        if old in text:
            text = re.sub(rf"(?<=\d){old}" if old == "百分比" else re.escape(old), new, text)
    return text


def _parse_target(text: object) -> TargetValue:
    if text is None:
        return _make("", Kind.EMPTY)
    if isinstance(text, bool):
        return _make(str(text), Kind.UNPARSED)
    if isinstance(text, (int, float, Decimal, Fraction)):
        # An Excel number cell: a bare number, no unit, no operator.
        value = float(text)
        if not math.isfinite(value):
            return _make(str(text), Kind.UNPARSED)
        return _make(str(text), Kind.QUANTITATIVE, number=value)
    if not isinstance(text, str):
        return _make(str(text), Kind.UNPARSED)

    raw = text
    if len(text) > MAX_VALUE_CHARS:  # prose, not a value; scanning it costs ~35 µs a character
        return _make(raw, Kind.UNPARSED)
    norm = _respell(normalize_text(text))
    if not norm:
        return _make(raw, Kind.EMPTY)
    if norm in _NON_VALUE_EXACT:
        return _make(raw, Kind.NON_VALUE)
    clean = norm.rstrip(_TRAILING_PUNCT) or norm
    if clean in _GRADES or _GRADE_RE.fullmatch(clean):
        return _make(raw, Kind.QUALITATIVE, grade=clean)

    cand = _pick(_scan(norm))
    if cand is not None:
        return _make(
            raw,
            Kind.QUANTITATIVE,
            op=cand.op,
            number=cand.number,
            upper=cand.upper,
            unit=cand.unit,
            wording=cand.wording,
        )
    if _NON_VALUE_RE.search(norm):
        return _make(raw, Kind.NON_VALUE)
    return _make(raw, Kind.UNPARSED)


def format_target(tv: TargetValue) -> str:
    """Canonical text of ``tv``: "≥80%", "≤3.5万元", "90-95%", "14人", "优".

    The text parses back to the same kind, op, number, upper, unit and grade.
    """
    if tv.kind is Kind.EMPTY:
        return ""
    if tv.kind is Kind.QUALITATIVE:
        return tv.grade if tv.grade is not None else tv.raw
    if tv.kind is not Kind.QUANTITATIVE or tv.number is None:
        return tv.raw.strip()
    unit = tv.unit or ""
    if tv.op is Op.RANGE and tv.upper is not None:
        return f"{format_number(tv.number)}-{format_number(tv.upper)}{unit}"
    symbol = _OP_SYMBOL.get(tv.op, "") if tv.op is not None else ""
    return f"{symbol}{format_number(tv.number)}{unit}"


_COST_NAME_RE = re.compile(r"成本|(?:费用|支出|开支|经费).*控制|控制.*(?:费用|支出|开支|经费)")
_TIME_NAME_RE = re.compile(r"时|期限|周期|天数|日数")
# 时长 of a service delivered is a quantity to reach, not a limit to stay under.
_TIME_QUANTITY_RE = re.compile(r"培训|学习|授课|课时|学时|服务时长|开放|运行|在线|志愿")


def assumed_op(tv: TargetValue, *, level1: str = "", level2: str = "", name: str = "") -> tuple[Op, str]:
    """Direction to use for ``tv`` and, when it had to be assumed, why.

    An explicit operator is returned as is with an empty reason.  Without one,
    成本 indicators and time limits are read as "≤", everything else as "≥",
    and the reason says so in words a user can check.  Non-quantitative values
    have no direction; they compare for equality.
    """
    if tv.op is not None:
        return tv.op, ""
    if tv.kind is not Kind.QUANTITATIVE:
        return Op.EQ, "非定量指标值，按等级或文字是否一致判断"
    if "成本" in level1 or "成本" in level2 or _COST_NAME_RE.search(name):
        return Op.LE, "未写比较符号，按“≤”理解（成本指标）"
    if (
        tv.unit in _TIME_UNITS
        and (_TIME_NAME_RE.search(name) or "时效" in level2)
        and not _TIME_QUANTITY_RE.search(name)
    ):
        return Op.LE, "未写比较符号，按“≤”理解（时限类指标）"
    return Op.GE, "未写比较符号，按“≥”理解（非成本、非时限类指标）"
