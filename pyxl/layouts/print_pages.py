"""Printing a wide sheet on A4 with readable text: which columns go on which page, at what scale.

"Fit all columns on one page" prints a 50-column sheet at 2–5 pt. Instead a sheet prints at a
fixed scale no smaller than ``MIN_SCALE`` (11 pt text stays ≥ 8 pt), its key columns repeated
on every page, and the other columns split into groups that each fit the page width, with a
manual page break after each group. Pure arithmetic on column widths: the template writer
(openpyxl) and the summary writer (XlsxWriter) apply the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["A4_PAPER", "MIN_SCALE", "PagePlan", "column_points", "plan_pages"]

A4_PAPER = 9  # the paperSize code of A4 in OOXML (and XlsxWriter's set_paper)
MIN_SCALE = 80  # percent: an 11 pt body prints at 8.8 pt, a 10 pt note at 8 pt
MARGIN_IN = 0.4  # left and right margins, inches
PAGE_WIDTH_PT = {"landscape": 842.0, "portrait": 595.0}  # A4
DEFAULT_WIDTH = 8.43  # Excel's default column width, characters


POINTS_PER_CHARACTER = 7.0  # measured in LibreOffice's PDF (Excel with Calibri: 5.25 pt + 3.75 pt a column)


def column_points(width: float | None) -> float:
    """The printed width (pt at 100 %) of a column ``width`` characters wide, on the wide side of
    Excel and LibreOffice, so that a planned group never spills onto an unplanned page."""
    w = DEFAULT_WIDTH if width is None else width
    return w * POINTS_PER_CHARACTER if w > 0 else 0.0


@dataclass(frozen=True)
class PagePlan:
    orientation: str
    scale: int  # percent
    breaks: tuple[int, ...]  # 1-based column numbers after which a page ends (manual column breaks)

    @property
    def pages_across(self) -> int:
        return len(self.breaks) + 1


def plan_pages(widths: Sequence[float | None], *, repeat: int = 0, scale: int = 100,
               orientation: str = "landscape") -> PagePlan:
    """Group columns into pages across: ``widths`` in characters (None: default, 0: hidden).

    The first ``repeat`` columns print on every page (print titles), so each later group fits
    beside them. A sheet narrow enough for one page at 100 % gets no breaks. ``scale`` is kept
    at or above ``MIN_SCALE``.
    """
    scale = max(MIN_SCALE, min(100, scale))
    avail = (PAGE_WIDTH_PT[orientation] - 2 * MARGIN_IN * 72) * 100 / scale
    points = [column_points(w) for w in widths]
    title = sum(points[:repeat])
    breaks: list[int] = []
    used = title
    for col, pt in enumerate(points, start=1):
        if col <= repeat:
            continue
        if used + pt > avail and used > title:
            breaks.append(col - 1)
            used = title
        used += pt
    return PagePlan(orientation, scale, tuple(breaks))
