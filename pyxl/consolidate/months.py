"""Align spending plans by month: departments write different checkpoints (3/6/9/12, 3/6/10/12).

A project's cumulative plan is known at its own checkpoints. Between two of them
(and between the start of the year, 0%, and the first) it is interpolated linearly
and marked as such; after the last checkpoint it is unknown. Amounts are Decimal
so that totals reconcile exactly with the figures typed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "EXACT",
    "INTERPOLATED",
    "MISSING",
    "MONTHS",
    "PARTIAL",
    "QUARTER_ENDS",
    "MonthTotal",
    "add_month_totals",
    "percent_curve",
]

MONTHS = tuple(range(1, 13))
QUARTER_ENDS = (3, 6, 9, 12)
EXACT, INTERPOLATED, MISSING = "exact", "interpolated", "missing"


def percent_curve(points: Mapping[int, float]) -> list[tuple[float | None, str]]:
    """Cumulative planned % for months 1..12 from the checkpoints {month: %}, with how each was got."""
    known = sorted((m, p) for m, p in points.items() if 1 <= m <= 12)
    if not known:
        return [(None, MISSING)] * 12
    out: list[tuple[float | None, str]] = []
    prev_m, prev_p = 0, 0.0  # the year starts with nothing spent
    i = 0
    for month in MONTHS:
        while i < len(known) and known[i][0] < month:
            prev_m, prev_p = known[i]
            i += 1
        if i < len(known) and known[i][0] == month:
            out.append((known[i][1], EXACT))
        elif i < len(known):
            next_m, next_p = known[i]
            out.append((prev_p + (next_p - prev_p) * (month - prev_m) / (next_m - prev_m), INTERPOLATED))
        else:
            out.append((None, MISSING))
    return out


PARTIAL = "partial"


@dataclass(slots=True)  # twelve per department stay in memory for the whole run
class MonthTotal:
    """One month of a sum of parts (projects of a department, or departments): the cumulative
    planned amount, how it was got, and the cumulative actual where reported."""

    plan: Decimal = Decimal(0)
    parts: int = 0
    valued: int = 0  # parts with a plan value at this month (their own checkpoint or interpolated)
    interpolated: int = 0  # parts whose value was (partly) interpolated
    partial: int = 0  # parts that are themselves sums with some values missing
    actual: Decimal | None = None  # cumulative actual spending of the parts that reported one
    reported: int = 0
    reported_budget: Decimal = Decimal(0)  # budget of the parts that reported (for the execution rate)

    @property
    def status(self) -> str:
        if self.valued == 0:
            return MISSING
        if self.valued < self.parts or self.partial:
            return PARTIAL
        return INTERPOLATED if self.interpolated else EXACT

    def add_part(
        self, plan: Decimal | None, how: str, actual: Decimal | None, budget: Decimal | None
    ) -> None:
        self.parts += 1
        if plan is not None:
            self.plan += plan
            self.valued += 1
            self.interpolated += how == INTERPOLATED
        if actual is not None:
            self.actual = (self.actual or Decimal(0)) + actual
            self.reported += 1
            self.reported_budget += budget or Decimal(0)

    def add(self, other: MonthTotal) -> None:
        """Add a department's month as one part of a total."""
        self.parts += 1
        if other.valued:
            self.plan += other.plan
            self.valued += 1
            self.interpolated += other.interpolated > 0
            self.partial += other.status == PARTIAL
        if other.actual is not None:
            self.actual = (self.actual or Decimal(0)) + other.actual
            self.reported += 1
            self.reported_budget += other.reported_budget


def add_month_totals(parts: Iterable[list[MonthTotal]]) -> list[MonthTotal]:
    """Sum per-department month series; the counts become numbers of departments."""
    totals = [MonthTotal() for _ in MONTHS]
    for series in parts:
        for total, part in zip(totals, series, strict=True):
            total.add(part)
    return totals
