"""polarity-conflict: 指标性质/方向 says higher is better (正向) beside “≤”, or lower (反向) beside “≥”.

What the words mean is ``[polarity]`` of rules.toml; the longest word found decides, so
“不低于” (higher) wins over the “低于” inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..core.findings import Finding
from ..core.grammar import Op, format_target
from ..core.model import Department
from ._where import is_blank, squash, target, text_of, where
from .catalog import PolarityConflict
from .registry import Context, register

__all__ = ["check_polarity", "direction_of"]

_UP, _DOWN = "up", "down"
_SYMBOL = {Op.GE: "≥", Op.GT: ">", Op.LE: "≤", Op.LT: "<"}


def direction_of(polarity: str, higher: tuple[str, ...], lower: tuple[str, ...]) -> str | None:
    """"up", "down" or None for a 指标性质/方向 text."""
    text = squash(polarity)
    hits = [(len(w), _UP) for w in higher if w and w in text] + [(len(w), _DOWN) for w in lower if w and w in text]
    if not hits:
        return None
    best = max(n for n, _ in hits)
    found = {d for n, d in hits if n == best}
    return found.pop() if len(found) == 1 else None


@register
def check_polarity(dept: Department, ctx: Context) -> Iterator[Finding]:
    higher = tuple(squash(w) for w in ctx.config["polarity.higher_words"])
    lower = tuple(squash(w) for w in ctx.config["polarity.lower_words"])
    for i, p in enumerate(dept.projects):
        for j, ind in enumerate(p.indicators):
            if is_blank(ind.polarity) or is_blank(ind.value):
                continue
            direction = direction_of(str(ind.polarity), higher, lower)
            tv = target(ind.value)
            if direction == _UP and tv.op in (Op.LE, Op.LT):
                flipped, word = Op.GE if tv.op is Op.LE else Op.GT, "反向"
            elif direction == _DOWN and tv.op in (Op.GE, Op.GT):
                flipped, word = Op.LE if tv.op is Op.GE else Op.LT, "正向"
            else:
                continue
            fix = (f"若该指标{'越大越好' if direction == _UP else '越小越好'}，请把指标值改为“"
                   f"{format_target(replace(tv, op=flipped))}”；否则请把指标方向改为“{word}”。")
            yield PolarityConflict.finding(
                loc=where(ind, "value") or where(ind, "polarity"), project=p.label,
                path=f"projects[{i}].indicators[{j}].polarity", polarity=text_of(ind.polarity),
                value=text_of(ind.value), symbol=_SYMBOL[tv.op], fix=fix)  # type: ignore[index]
