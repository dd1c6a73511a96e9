"""unit-missing: a quantitative 指标值 with no unit, neither in the value nor in the 计量单位 column.

A percentage has its unit; a count-free ratio (an indicator named …率, 系数, 指数…, words in
``[units] ratio_words``) may be a bare number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.findings import Finding
from ..core.grammar import Kind
from ..core.model import Department, Location
from ._where import is_blank, squash, target, text_of, where
from .catalog import UnitMissing
from .registry import Context, register

__all__ = ["check_units", "lacks_unit"]


def lacks_unit(
    value: Any, unit: Any, name: Any, ratio_words: tuple[str, ...], unit_words: tuple[str, ...] = ()
) -> bool:
    """A number to be counted in something, with nothing saying in what."""
    if is_blank(value) or not is_blank(unit):
        return False
    tv = target(value)
    if tv.kind is not Kind.QUANTITATIVE or tv.number is None or tv.unit is not None:
        return False
    if isinstance(value, str) and any(w in squash(value) for w in unit_words):
        return False  # “≥98百分比”: a unit, only not one the grammar reads
    text = squash(name)
    return not any(w in text for w in ratio_words)


@register
def check_units(dept: Department, ctx: Context) -> Iterator[Finding]:
    ratio_words = tuple(w for w in (squash(x) for x in ctx.config["units.ratio_words"]) if w)
    unit_words = tuple(w for w in (squash(x) for x in ctx.config["units.unit_words"]) if w)

    def finding(value: Any, loc: Location | None, project: str | None, path: str) -> Finding:
        return UnitMissing.finding(loc=loc, project=project, path=path, value=text_of(value))

    for i, p in enumerate(dept.projects):
        for j, ind in enumerate(p.indicators):
            if lacks_unit(ind.value, ind.unit, ind.name, ratio_words, unit_words):
                yield finding(ind.value, where(ind, "value"), p.label, f"projects[{i}].indicators[{j}].value")
    for k, t in enumerate(dept.targets):
        if lacks_unit(t.value, None, t.indicator, ratio_words, unit_words):
            yield finding(t.value, where(t, "value"), None, f"department.targets[{k}].value")
