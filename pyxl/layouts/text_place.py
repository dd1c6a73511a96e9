"""Placing a row's cells under a table's columns when the text lost where they stood.

A published page's text leaves out a cell spanned from the row above (rowspan) and, one cell
per line, loses the row boundaries too. Each cell is scored against each column's role by
what it holds (a 一级 name under 一级指标, an operator under 符号, a number under 权重 …);
the best monotone placement of a row wins (``align``), and a run of cells without row
boundaries is cut into rows the same way (``segment``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from ..core.grammar import Kind, parse_target
from .cellvalues import operator_of, polarity_of
from .columns import clean_level, vocabulary
from .form_spec import LEVEL1_NAMES, LEVEL2_NAMES

__all__ = ["SCORE_NOTE", "align", "aligned", "fit", "segment"]

# "(50分)", "(40-50)分": a 一级's score printed on its own line
SCORE_NOTE = re.compile(r"^(?:[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]|[(（][\d.\-~～—]+[)）]\s*分)$")
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SLOT = re.compile(r"^(?:指标\s*\d+|[.…。·]{2,})$")


@cache
def _level2_endings() -> tuple[str, ...]:
    return tuple(vocabulary()["glued"]["level2_endings"])


def _level(text: str) -> tuple[bool, bool]:
    name = clean_level(text) or ""
    return name in LEVEL1_NAMES, name in LEVEL2_NAMES


def fit(cell: Any, role: str | None) -> float:
    """How well a cell's content fits a column of this role (positive fits, negative does not)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return 0.0
    return _fit(str(cell).strip(), role)


@cache
def _fit(text: str, role: str | None) -> float:
    is1, is2 = _level(text)
    op = operator_of(text) is not None or polarity_of(text) is not None
    number = bool(_NUMBER.match(text))
    if role is None:
        return -3.0  # content under a column no header word names
    if _SLOT.match(text):
        # a form's empty numbered slot ("指标2") or a "……" row: it stands where a 三级 name would
        return 3.0 if role == "name" else -3.0
    if role == "level1":
        # 成本指标/满意度指标 are a 一级 in one framework and a 二级 in another: a row that left
        # its first cell out (spanned) more likely holds the 二级, unless it carries the 一级's
        # score ("满意度指标(10分)")
        if is1 and re.search(r"\d\s*分\s*[)）]$", text):
            return 4.0
        return (2.5 if is2 else 3.0) if is1 else (-1.0 if is2 else -4.0)
    if role == "level2":
        if re.search(r"\d\s*分\s*[)）]$", text):
            return -3.0  # a score goes with a 一级
        if is2:
            return 3.0
        if is1:
            return -2.0
        # a name no framework has may still be a 二级: one ending like one
        # ("社会公众或服务对象满意度指标", "环境效益"), or a short one ("读者")
        if text.endswith(_level2_endings()) and len(text) <= 16:
            return 1.0
        return -0.5 if text.endswith(("效益", "指标")) and len(text) <= 8 else (-1.0 if len(text) <= 6 else -2.5)
    if is1 or is2:
        return -3.0
    if role in ("symbol", "direction"):
        return 3.0 if op else -4.0
    if op:
        return -3.0
    if role == "number":
        return 2.0 if number else -2.0
    if role == "unit":
        return 1.5 if len(text) <= 5 and not any(ch.isdigit() for ch in text) else -3.0
    if role in ("weight", "score"):
        if not number:
            return 0.5 if text in ("-", "/", "—") else -3.0
        points = float(text.replace(",", ""))
        # one indicator's 分值 is a share of 100; the whole 100 is more likely a target or a result
        return 2.0 if points < 100 else (1.0 if points == 100 else -3.0)
    if role in ("budget", "total_budget"):
        return 2.0 if number else -2.0
    if role in ("value", "actual", "forecast"):
        kind = parse_target(text).kind
        # free text may be a 定性 value, but a lone text cell is more likely a 三级 name
        return {Kind.QUANTITATIVE: 2.0, Kind.QUALITATIVE: 1.0}.get(kind, 0.3) if len(text) <= 30 else -1.0
    if role in ("deviation_reason", "corrective_action", "remark"):
        # the last columns of a 自评 row, blank where the target was met; some print a 0
        # there (no deviation), so a number is unlikely but not impossible
        return (0.5 if text == "0" else -0.5) if number else 0.2
    if number:
        return -2.0
    return 0.5


def align(cells: Sequence[Any], roles: Sequence[str | None], *, first: bool = False) -> tuple[float, list[int]]:
    """The best monotone placement of a row's cells under the columns: (score, column of each
    cell). Columns left without a cell are the ones spanned from the row above. A 一级 or
    二级 the row states is followed by the next column's cell (a category below it cannot be
    spanned from another group). Ties go to leaving out the leftmost columns (the outer spans:
    单位 › 项目 › 一级 › 二级), except on a table's first row, which nothing above can span
    (``first``): its missing cells are the ones at its end or a cell spanning two columns."""
    n, m = len(cells), len(roles)
    neg = float("-inf")
    if n > m:
        return neg, []
    if n == 0:
        return 0.0, []
    lean = -0.01 if first else 0.01
    fits = [[fit(c, r) + lean * j for j, r in enumerate(roles)] for c in cells]
    best = [[neg] * m for _ in range(n)]
    back = [[-1] * m for _ in range(n)]
    for j in range(m - n + 1):
        best[0][j] = fits[0][j]
    for i in range(1, n):
        for j in range(i, m - (n - 1 - i)):
            for k in range(i - 1, j):
                if best[i - 1][k] == neg:
                    continue
                if roles[k] in ("level1", "level2") and k + 1 != j and not _blank(cells[i - 1]):
                    continue
                score = best[i - 1][k] + fits[i][j]
                if score > best[i][j]:
                    best[i][j], back[i][j] = score, k
    j = max(range(m), key=lambda c: best[n - 1][c])
    if best[n - 1][j] == neg:
        return neg, []
    total = best[n - 1][j]
    cols = [j]
    for i in range(n - 1, 0, -1):
        j = back[i][j]
        cols.append(j)
    cols.reverse()
    return total, cols


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def aligned(cells: Sequence[Any], roles: Sequence[str | None], *, first: bool = False) -> list[Any]:
    score, cols = align(cells, roles, first=first)
    if score == float("-inf"):
        return list(cells) + [None] * (len(roles) - len(cells))
    out: list[Any] = [None] * len(roles)
    for cell, c in zip(cells, cols, strict=True):
        out[c] = cell if not (isinstance(cell, str) and not cell.strip()) else None
    return out


def segment(
    body: list[tuple[int, str, str]], roles: list[str | None], *, kept_blanks: bool = True
) -> list[tuple[int, list[Any]]]:
    """A run of cells without row boundaries cut into rows (dynamic programming over cut points,
    each row placed as ``align`` places it; a row costs a little so rows are not cut needlessly,
    and one cell per column, the shape of a row whose empty cells the text kept, earns a little
    — unless the text keeps no empty cell at all (``kept_blanks``: words split at spaces))."""
    items = [(line, text) for line, _, text in body if not SCORE_NOTE.match(text)]
    n, m = len(items), len(roles)
    neg = float("-inf")
    # row_score[i][length]: align's score of items[i:i+length] as one row, all lengths from one
    # start computed together (the placement of a longer row extends the shorter one's table)
    best: list[float] = [neg] * (n + 1)
    cut: list[int] = [0] * (n + 1)
    best[0] = 0.0
    fits = [[fit(t, r) + 0.01 * j for j, r in enumerate(roles)] for _, t in items]
    blank = [_blank(t) for _, t in items]
    for i in range(n):
        if best[i] == neg:
            continue
        for length, score in enumerate(_row_scores(fits[i : i + m], blank[i : i + m], roles), start=1):
            if score == neg:
                continue
            j = i + length
            total = best[i] + score - 1.5 + (2.0 if length == m and kept_blanks else 0.0)
            if total > best[j]:
                best[j], cut[j] = total, i
    rows = []
    j = n
    while j > 0:
        i = cut[j]
        rows.append((items[i][0], aligned([t for _, t in items[i:j]], roles)))
        j = i
    rows.reverse()
    return [(line, row) for line, row in rows if any(v is not None for v in row)]


def _row_scores(fits: Sequence[Sequence[float]], blank: Sequence[bool], roles: Sequence[str | None]) -> list[float]:
    """``align(cells[:k], roles)[0]`` for k = 1 … len(cells), in one pass, from the cells' fits
    (each with align's lean to the right) and whether each cell is blank."""
    m = len(roles)
    neg = float("-inf")
    level = [r in ("level1", "level2") for r in roles]
    out: list[float] = []
    prev = list(fits[0]) if fits else []
    for k in range(len(fits)):
        if k > 0:
            # the previous cell at any column left of j; at a 一级/二级 column only right next to j
            tied = not blank[k - 1]
            row = fits[k]
            cur = [neg] * m
            free = neg  # best previous placement at a column that may be followed anywhere
            for j in range(1, m):
                p = prev[j - 1]
                if p > free and not (tied and level[j - 1]):
                    free = p
                best = free if free > p else p
                if best != neg:
                    cur[j] = best + row[j]
            prev = cur
        out.append(max(prev) if prev else neg)
    return out
