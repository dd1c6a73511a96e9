"""indicator-name-duplicate: the same 三级 name twice in one project (the budget system refuses to save it)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.findings import Finding
from ..core.model import Department
from ._where import squash, text_of, where
from .catalog import IndicatorNameDuplicate
from .registry import Context, register

__all__ = ["check_indicator_names"]


@register
def check_indicator_names(dept: Department, ctx: Context) -> Iterator[Finding]:
    for i, p in enumerate(dept.projects):
        first: dict[str, int] = {}
        for j, ind in enumerate(p.indicators):
            name = squash(ind.name)  # "满足 需求" and "满足需求" are the same name to the budget system
            if not name:
                continue
            if name not in first:
                first[name] = j
                continue
            k = first[name]
            earlier = where(p.indicators[k], "name")
            other = f"第 {k + 1} 条指标" + (f"，{earlier}" if earlier else "")
            yield IndicatorNameDuplicate.finding(loc=where(ind, "name"), project=p.label,
                                                 path=f"projects[{i}].indicators[{j}].name",
                                                 name=text_of(ind.name), other=other)
