"""Real published tables as text (web pages other bodies publish), turned into grids.

A page's text keeps a table in one of these shapes, each detected from the text:

- **pipe** rows: cells of one row on one line with ``|`` between them (a cell spanned from
  the row above is left out, and the row is padded with empty cells at its end);
- **cells**: one cell per line, cells separated by blank lines, an empty cell a line
  holding only spaces; the row boundaries are lost (an indented tree keeps its
  indentation);
- **lines**: one row per line, cells separated by spaces (a header word may wrap onto the
  next line: "一级" / "指标");
- **prose**: 【产出指标-数量指标】 headings, each followed by "指标1:机柜数量(≥77台)" lines.

Pipe, cells and lines become a grid, cell for cell, and are read by the readers the
workbooks use: the table reader (one row per indicator, indented trees) or the block
reader (one block per project). Where rows lost their spanned cells, each row's cells are
placed under the header's columns by what they hold (a 一级 name under 一级指标, an operator
under 符号, a number under 权重 …): the best monotone placement wins (dynamic programming).
Prose is read directly.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..grammar import Kind, parse_target
from ..model import Department, Indicator, Project, ReadIssue
from .cellvalues import operator_of, polarity_of
from .columns import classify, clean_level, header_roles, is_indicator_header, stated_unit
from .form_spec import LEVEL1_NAMES, LEVEL2_NAMES, is_decoration, label_kind, norm

__all__ = ["align", "detect_format", "text_grid"]

SHEET = "文本"

_PROSE_HEAD = re.compile(r"^【\s*(?P<l1>[^】\-—–－]+?)\s*[-—–－]\s*(?P<l2>[^】]+?)\s*】\s*$")
_PROSE_ITEM = re.compile(r"^指标\s*\d+\s*[:：]\s*(?P<body>.+)$")
# "(50分)", "(40-50)分": a 一级's score printed on its own line
_SCORE_NOTE = re.compile(r"^(?:[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]|[(（][\d.\-~～—]+[)）]\s*分)$")
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


@cache
def _end_words() -> tuple[frozenset[str], tuple[str, ...]]:
    data = tomllib.loads(resources.files("pyxl").joinpath("data/columns.toml").read_text("utf-8"))
    spec = data["text_end"]
    return frozenset(norm(w) for w in spec["words"]), tuple(norm(w) for w in spec["contains"])


def _is_end(text: str) -> bool:
    words, contains = _end_words()
    t = norm(text)
    return t in words or any(w in t for w in contains)


# ---------------------------------------------------------------- format


def detect_format(text: str) -> str | None:
    """"pipe", "prose", "cells", "lines", or None when the text holds no table."""
    lines = text.splitlines()
    nonblank = [s for s in lines if s.strip()]
    if not nonblank:
        return None
    if any(_PROSE_HEAD.match(s.strip()) for s in nonblank) and any(_PROSE_ITEM.match(s.strip()) for s in nonblank):
        return "prose"
    if sum(1 for s in nonblank if s.count("|") >= 2) >= 3:
        return "pipe"
    # one cell per line: most text lines are followed by an empty line
    followed = sum(1 for a, b in itertools.pairwise(lines) if a.strip() and b == "")
    if followed >= 0.6 * len(nonblank) and len(nonblank) >= 6:
        return "cells"
    return "lines"


# ---------------------------------------------------------------- grids


@dataclass
class Grid:
    rows: list[list[Any]]
    lines: list[int]  # source line (1-based) of each row

    def add(self, row: list[Any], line: int) -> None:
        self.rows.append(row)
        self.lines.append(line)


def text_grid(text: str, fmt: str) -> Grid:
    """The text's table(s) as a grid, cell for cell (spanned cells blank); a cell that is a
    plain number becomes a number, as a spreadsheet holds it."""
    grid = _text_grid(text, fmt)
    grid.rows = [[_number_cell(v) for v in row] for row in grid.rows]
    return grid


_SHEET_NUMBER = re.compile(r"^-?(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d+)?$")


def _number_cell(v: Any) -> Any:
    """"3,309,840.00" → 3309840.0, "95" → 95; codes with a leading zero ("037001") stay text."""
    if isinstance(v, str) and _SHEET_NUMBER.match(v.strip()):
        number = float(v.strip().replace(",", ""))
        return int(number) if number.is_integer() and "." not in v else number
    return v


def _text_grid(text: str, fmt: str) -> Grid:
    if fmt == "pipe":
        rows = [(i, _pipe_cells(s)) for i, s in enumerate(text.splitlines(), start=1) if s.strip()]
        return _place(rows)
    if fmt == "cells":
        return _cells_grid(text)
    rows = [(i, _space_cells(s)) for i, s in enumerate(text.splitlines(), start=1) if s.strip()]
    return _place(_unglue(_join_wrapped_headers(rows)))


def _pipe_cells(line: str) -> list[str]:
    if "|" not in line:
        return [line.strip()]
    parts = [p.strip() for p in line.split("|")]
    if parts and parts[0] == "" and line.lstrip().startswith("|"):
        parts = parts[1:]
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _space_cells(line: str) -> list[str]:
    """Cells of a line separated by spaces; a bracket opened in one part is closed in a later
    one ("数量( ≥**个 )" is one cell)."""
    out: list[str] = []
    depth = 0
    for part in line.split():
        if depth > 0 and out:
            out[-1] += " " + part
        else:
            out.append(part)
        depth = max(0, depth + part.count("(") + part.count("（") - part.count(")") - part.count("）"))
    return out


@cache
def _glued_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(header and label words longest first, 二级 endings, 定性 values longest first)."""
    from .columns import _vocab

    data = tomllib.loads(resources.files("pyxl").joinpath("data/columns.toml").read_text("utf-8"))
    v = _vocab()
    words = set(v.words) | set(v.weak)
    from .form_spec import PROJECT_LABELS

    for variants in PROJECT_LABELS.values():
        words |= set(variants)
    glued = data["glued"]
    return (
        tuple(sorted((w for w in words if len(w) >= 2), key=len, reverse=True)),
        tuple(glued["level2_endings"]),
        tuple(sorted(glued["qualitative_values"], key=len, reverse=True)),
    )


def _split_words(text: str) -> list[str] | None:
    """A glued run of header words ("一级指标二级指标指标内容指标值") split into its words, or None
    when some part is no header word."""
    words = _glued_words()[0]
    out: list[str] = []
    i = 0
    while i < len(text):
        w = next((w for w in words if text.startswith(w, i)), None)
        if w is None:
            return None
        out.append(w)
        i += len(w)
    return out


def _unglue(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Rows whose cells the text glued together ("产出指标数量指标农村义务教育学校改造覆盖率100%"),
    split again: header words by the vocabulary, block labels where a label word stands,
    indicator rows into 一级 / 二级 (names of the framework, or a name ending like one) /
    三级 / 指标值 (a number with its unit at the end, or a 定性 word)."""
    out: list[tuple[int, list[str]]] = []
    glued_table = False
    for line, cells in rows:
        if len(cells) != 1 or len(cells[0]) < 4:
            out.append((line, cells))
            continue
        text = cells[0]
        words = _split_words(norm(text))
        if words is not None and len(words) >= 3 and is_indicator_header(header_roles(words)):
            out.append((line, words))
            glued_table = True
            continue
        if glued_table:
            row = _unglue_row(text)
            if row is not None:
                out.append((line, row))
                continue
            glued_table = False
        out.append((line, _unglue_labels(text)))
    return out


_GLUED_VALUE = re.compile(
    r"(?P<value>(?:[≥≤<>=≧≦]=?|不低于|不少于|不高于|不超过|达到|大于等于|小于等于)?\s*\d+(?:\.\d+)?\s*"
    r"(?:%|％|[\u4e00-\u9fa5]{1,3}(?:/[\u4e00-\u9fa5]{1,2})?)?(?:以上|以下|以内)?)$"
)


def _unglue_row(text: str) -> list[str] | None:
    _, endings, qualitative = _glued_words()
    rest = text.strip()
    cells: list[str] = []
    level1 = next((n for n in sorted(LEVEL1_NAMES, key=len, reverse=True) if rest.startswith(n)), None)
    if level1 is not None and len(rest) > len(level1):
        cells.append(level1)
        rest = rest[len(level1) :]
    level2 = next((n for n in sorted(LEVEL2_NAMES, key=len, reverse=True) if rest.startswith(n)), None)
    if level2 is None:
        ends = [rest.find(e) + len(e) for e in endings if 0 <= rest.find(e) <= 14]
        level2 = rest[: min(ends)] if ends else None
    if level2 is not None and len(rest) > len(level2):
        cells.append(level2)
        rest = rest[len(level2) :]
    m = _GLUED_VALUE.search(rest)
    value = m.group("value") if m and m.start() >= 2 else None
    if value is None:
        value = next((q for q in qualitative if rest.endswith(q) and len(rest) > len(q) + 1), None)
    if value is None:
        return None
    cells += [rest[: len(rest) - len(value)].strip(), value.strip()]
    return cells


def _unglue_labels(text: str) -> list[str]:
    """"项目主管部门青山区教育局项目执行单位化工区学校" → label, value, label, value."""
    if re.search("[:：]", text) or text.endswith("表"):
        return [text]  # "年度资金总额:16" is read by its colon; "…绩效目标表" is a title
    words = _glued_words()[0]
    labels = [w for w in words if _is_label(w)]
    cuts: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        w = next((w for w in labels if text.startswith(w, i)), None)
        if w is not None and (i == 0 or cuts):
            cuts.append((i, i + len(w)))
            i += len(w)
        elif i == 0:
            return [text]
        else:
            i += 1
    out: list[str] = []
    for k, (a, b) in enumerate(cuts):
        out.append(text[a:b])
        end = cuts[k + 1][0] if k + 1 < len(cuts) else len(text)
        if text[b:end].strip():
            out.append(text[b:end].strip())
    return out or [text]


def _join_wrapped_headers(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """A header word wrapped onto the next line ("…完成情况 一级" / "指标" / "二级指标 …") is
    joined back, and the rest of the row continues the row it wrapped from."""
    out: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if (
            out
            and len(cells) == 1
            and re.fullmatch(r"[(（][^()（）]{1,6}[)）]", cells[0])
            and not _SCORE_NOTE.match(cells[0])
            and out[-1][1]
        ):
            out[-1][1][-1] += cells[0]  # "资金情况" / "(万元)": a label's unit wrapped onto its own line
            continue
        if out and cells and out[-1][1]:
            prev = out[-1][1]
            joined = classify(prev[-1] + cells[0])
            alone = classify(cells[0])
            if joined is not None and not joined.weak and (alone is None or alone.weak) and len(cells[0]) <= 3:
                prev[-1] += cells[0]
                rest = cells[1:]
                if rest and all(classify(c) is not None for c in rest):
                    prev.extend(rest)
                elif rest:
                    out.append((line, rest))
                continue
            if (
                len(prev) <= 2
                and all(classify(c) is not None for c in cells)
                and classify(prev[-1]) is not None
                and is_indicator_header(header_roles(prev + cells))
            ):
                prev.extend(cells)  # a header row broken over lines
                continue
        out.append((line, list(cells)))
    return out


def _cells_grid(text: str) -> Grid:
    """One cell per line: header-area cells grouped into label rows, the indicator table
    header recognised by its words, its rows segmented by what the cells hold; an indented
    tree keeps one row per indented label."""
    raw = text.splitlines()
    cells: list[tuple[int, str, str]] = []  # (line, raw text, stripped text)
    for i, s in enumerate(raw, start=1):
        if s == "":
            continue
        cells.append((i, s, s.strip()))
    grid = Grid([], [])
    k = 0
    while k < len(cells):
        header = _header_run(cells, k)
        if header is None:
            k = _label_row(cells, k, grid)
            continue
        end, roles = header
        names = [c[2] for c in cells[k:end]]
        grid.add(names, cells[k][0])
        body, stop = _table_body(cells, end)
        if _is_tree(roles, body):
            _tree_rows(body, names, grid)
        else:
            for line, row in _segment(body, [classify(n).role if classify(n) else None for n in names]):
                grid.add(row, line)
        k = stop
    return grid


def _header_run(cells: list[tuple[int, str, str]], k: int) -> tuple[int, list[str]] | None:
    """(end, roles) when cells[k:end] are the header words of a table."""
    end = k
    while end < len(cells) and classify(cells[end][2]) is not None:
        end += 1
    if end - k < 2:
        return None
    roles = header_roles([c[2] for c in cells[k:end]])
    if is_indicator_header(roles) or ("project_name" in roles and "value" in roles):
        return end, list(roles)
    return None


def _table_body(cells: list[tuple[int, str, str]], k: int) -> tuple[list[tuple[int, str, str]], int]:
    out = []
    while k < len(cells):
        text = cells[k][2]
        if text and (_is_end(text) or is_decoration(text)):
            break
        out.append(cells[k])
        k += 1
    return out, k


def _is_tree(roles: list[str], body: list[tuple[int, str, str]]) -> bool:
    if {"level1", "level2", "name"} & set(roles):
        return False
    depths = {len(r) - len(r.lstrip()) for _, r, s in body if s and r[:1].isspace()}
    return len(depths) >= 3


def _tree_rows(body: list[tuple[int, str, str]], names: list[str], grid: Grid) -> None:
    width = len(names)
    row: list[Any] | None = None
    for line, raw, text in body:
        if not text:
            continue
        if raw[:1].isspace():
            row = [raw.rstrip()] + [None] * (width - 1)
            grid.add(row, line)
        elif row is not None:
            free = next((c for c in range(1, width) if row[c] is None), None)
            if free is not None:
                row[free] = text


def _label_row(cells: list[tuple[int, str, str]], k: int, grid: Grid) -> int:
    """Cells before a table: a label starts a row, the cells after it are its values. A label
    broken over two cells ("主管部门" / "及编码") is joined back."""
    line, _, text = cells[k]
    if not text:
        return k + 1
    run = k
    while run < len(cells) and cells[run][2] and _is_label(cells[run][2]) and _header_run(cells, run) is None:
        run += 1
    if run - k >= 2 and not any(label_kind(c[2]) and label_kind(c[2])[1] for c in cells[k:run]):
        # labels side by side ("总体目标 | 中期目标 | 年度目标"), their values on the row below:
        # as many values as labels, or one fewer when the first label spans both rows
        labels = [c[2] for c in cells[k:run]]
        grid.add(labels, line)
        values: list[tuple[int, str]] = []
        j = run
        while j < len(cells) and len(values) < len(labels):
            t = cells[j][2]
            if t and (_is_label(t) or _header_run(cells, j) is not None or _is_end(t)):
                break
            nxt = next((x for x in range(j + 1, len(cells)) if cells[x][2]), None)
            if t and nxt is not None and _header_run(cells, nxt) is not None and len(values) >= len(labels) - 1:
                break  # the table's title, right above its header
            if t:
                values.append((cells[j][0], t))
            j += 1
        if values:
            pad = len(labels) - len(values)
            grid.add([None] * pad + [t for _, t in values], values[0][0])
        return j
    row = [text]
    k += 1
    if k < len(cells) and cells[k][2] and _is_label(text + cells[k][2]) and not _is_label(cells[k][2]):
        row = [text + cells[k][2]]
        k += 1
    if _is_label(row[0]):
        while k < len(cells) and not _is_label(cells[k][2]) and _header_run(cells, k) is None:
            if cells[k][2]:
                row.append(cells[k][2])
            k += 1
            if len(row) >= 2 and k < len(cells) and _is_label(cells[k][2]):
                break
    grid.add(row, line)
    return k


def _is_label(text: str) -> bool:
    if not text:
        return False
    found = classify(text)
    return label_kind(text) is not None or (found is not None and not found.weak)


# ---------------------------------------------------------------- placing cells under columns


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
        if text.endswith(_glued_words()[1]) and len(text) <= 16:
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
        return 2.0 if number and float(text.replace(",", "")) <= 100 else (0.5 if text in ("-", "/", "—") else -3.0)
    if role in ("budget", "total_budget"):
        return 2.0 if number else -2.0
    if role in ("value", "actual", "forecast"):
        kind = parse_target(text).kind
        # free text may be a 定性 value, but a lone text cell is more likely a 三级 name
        return {Kind.QUANTITATIVE: 2.0, Kind.QUALITATIVE: 1.0}.get(kind, 0.3) if len(text) <= 30 else -1.0
    if number:
        return -2.0
    if role in ("deviation_reason", "corrective_action", "remark"):
        return 0.2  # the last columns of a 自评 row, blank where the target was met
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


def _aligned(cells: Sequence[Any], roles: Sequence[str | None], *, first: bool = False) -> list[Any]:
    score, cols = align(cells, roles, first=first)
    if score == float("-inf"):
        return list(cells) + [None] * (len(roles) - len(cells))
    out: list[Any] = [None] * len(roles)
    for cell, c in zip(cells, cols, strict=True):
        out[c] = cell if not (isinstance(cell, str) and not cell.strip()) else None
    return out


def _segment(body: list[tuple[int, str, str]], roles: list[str | None]) -> list[tuple[int, list[Any]]]:
    """A run of cells without row boundaries cut into rows (dynamic programming over cut points,
    each row placed by ``align``; a row costs a little so rows are not cut needlessly)."""
    items = [(line, text) for line, _, text in body if not _SCORE_NOTE.match(text)]
    n, m = len(items), len(roles)
    best: list[float] = [float("-inf")] * (n + 1)
    cut: list[int] = [0] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        for i in range(max(0, j - m), j):
            if best[i] == float("-inf"):
                continue
            score, _ = align([t for _, t in items[i:j]], roles)
            # a row costs a little, so rows are not cut needlessly; one cell per column is the
            # shape of a row whose empty cells the text kept
            score += best[i] - 1.5 + (2.0 if j - i == m else 0.0)
            if score > best[j]:
                best[j], cut[j] = score, i
    rows = []
    j = n
    while j > 0:
        i = cut[j]
        rows.append((items[i][0], _aligned([t for _, t in items[i:j]], roles)))
        j = i
    rows.reverse()
    return [(line, row) for line, row in rows if any(v is not None for v in row)]


def _place(rows: list[tuple[int, list[str]]]) -> Grid:
    """Row lists into a grid: rows under an indicator table header are placed under its
    columns; others stay as they are (label rows of a block)."""
    grid = Grid([], [])
    roles: list[str | None] | None = None
    first = False
    for line, cells in rows:
        row_roles = header_roles(cells)
        if is_indicator_header(row_roles):
            first = True
            # a column whose role another column names better (a weak 绩效指标 beside 三级指标) has none
            roles = [None] * len(cells)
            for role, col in row_roles.items():
                roles[col.col] = role
            grid.add(list(cells), line)
            continue
        if any(_is_end(c) for c in cells if c):
            roles = None
            continue  # page furniture and signature lines
        if roles is not None:
            text = " ".join(c for c in cells if c)
            if not text or any(_is_end(c) or is_decoration(c) for c in cells if c) or (
                cells and label_kind(cells[0]) is not None
            ):
                roles = None
            else:
                kept = [c for c in cells if not _SCORE_NOTE.match(c or "")]
                if not kept:
                    continue
                if len(kept) > len(roles):
                    roles = None  # wider than the table: not one of its rows
                else:
                    grid.add(_aligned(kept, roles, first=first), line)
                    first = False
                    continue
        if cells and any(c for c in cells):
            prev = grid.rows[-1] if grid.rows else []
            if (
                cells[0]
                and not _is_label(cells[0])
                and len(cells) < len(prev)
                and len(prev) >= 3
                and isinstance(prev[0], str)
                and _is_label(prev[0])
            ):
                # the row below a label that spans two rows ("预算规模及资金用途" over its amounts
                # and its purpose): the label's cell is left out of the text
                cells = [None, *cells]
            grid.add(list(cells), line)
    return grid


# ---------------------------------------------------------------- prose


def read_prose(text: str, dept: Department) -> None:
    """【一级-二级】 headings and "指标N:名称(指标值)" items; a project is the name above its
    【项目概况】 (or its first heading), with the amount after it."""
    cells = [(i, s.strip()) for i, s in enumerate(text.splitlines(), start=1) if s.strip()]
    unit = None
    project: Project | None = None
    level: tuple[str | None, str | None] = (None, None)
    section: str | None = None
    for k, (_, s) in enumerate(cells):
        unit = stated_unit(s) or unit
        head = _PROSE_HEAD.match(s)
        bracket = re.match(r"^【\s*([^】]+?)\s*】\s*[:：]?\s*(.*)$", s)
        if (bracket and not head) or (head and project is None):
            if project is None or (bracket and norm(bracket.group(1)) == "项目概况"):
                project = _prose_project(cells, k, dept)
                level, section = (None, None), None
            if bracket and not head:
                section = norm(bracket.group(1))
                rest = bracket.group(2).strip()
                if rest:
                    _prose_text(project, section, rest)
                continue
        if head:
            level, section = (clean_level(head.group("l1")), clean_level(head.group("l2"))), "indicators"
            continue
        if project is None:
            continue
        item = _PROSE_ITEM.match(s)
        if item and section == "indicators":
            name, value = _name_value(item.group("body"))
            project.indicators.append(Indicator(level1=level[0], level2=level[1], name=name, value=value))
        elif section and section != "indicators" and not _is_end(s):
            _prose_text(project, section, s)


def _prose_project(cells: list[tuple[int, str]], k: int, dept: Department) -> Project:
    """The project a 【…】 block belongs to: the nearest name above it (an amount right after)."""
    name = budget = None
    for j in range(k - 1, max(-1, k - 8), -1):
        s = cells[j][1]
        if s.startswith("【"):
            break
        if _NUMBER.match(s):
            budget = budget if budget is not None else s
            continue
        if re.fullmatch(r"[0-9A-Za-z\-]+", s):
            continue  # a unit or project code
        name = s
        break
    p = Project(name=name, budget=budget)
    dept.projects.append(p)
    return p


def _prose_text(p: Project, section: str, text: str) -> None:
    role = classify(section)
    attr = {"purpose": "purpose", "goal": "goal", "long_term_goal": "goal"}.get(role.role if role else "")
    if section in ("项目概况", "项目内容"):
        attr = "purpose"
    if attr is None:
        return
    old = getattr(p, attr)
    setattr(p, attr, text if old is None else old + text)


def _name_value(body: str) -> tuple[str, str | None]:
    """"机柜数量(≥77台)" → ("机柜数量", "≥77台"): the value is the last bracket."""
    body = body.strip()
    if body.endswith((")", "）")):
        depth = 0
        for i in range(len(body) - 1, -1, -1):
            ch = body[i]
            if ch in ")）":
                depth += 1
            elif ch in "(（":
                depth -= 1
                if depth == 0:
                    name, value = body[:i].strip(), body[i + 1 : -1].strip()
                    return name, value or None
    return body, None


# ---------------------------------------------------------------- the whole text


def read_published(text: str, dept: Department) -> str | None:
    """Read a published table's text into ``dept``; returns the format read, or None when the
    text holds no table pyxl can read. Locations become line numbers ("第 12 行")."""
    from ..errors import WorkbookError
    from . import form_reader, table_reader

    fmt = detect_format(text)
    if fmt is None:
        return None
    if fmt == "prose":
        read_prose(text, dept)
        return fmt if dept.projects else None
    grid = text_grid(text, fmt)
    sub = Department()
    if table_reader.read_grid(SHEET, grid.rows, sub) == 0:
        rows = _without_long_term(grid.rows)
        try:
            sub = form_reader.read([SHEET], lambda _sheet: rows)
        except WorkbookError:
            return None
    if not sub.projects and not sub.targets:
        return None
    sub.projects = _rejoin_blocks(sub.projects)
    dept.projects += sub.projects
    dept.targets += sub.targets
    for key in ("name", "code", "year", "overall_goal"):
        if getattr(dept, key) is None:
            setattr(dept, key, getattr(sub, key))
    for issue in sub.read_issues:
        dept.read_issues.append(_at_line(issue, grid))
    _tidy(sub)
    _infer_level1(sub, dept)
    _forget_cells(dept)
    return fmt


_ITEM_NUMBER = re.compile(r"^\s*指标\s*\d+\s*[:：.、]\s*")
_ELLIPSIS = re.compile(r"^[.…。·]+$")


def _tidy(sub: Department) -> None:
    """What the page adds to a table's cells: 一级 scores ("产出指标(50分)"), item numbers
    ("指标1:"), and "……" rows where rows were left out."""
    for p in sub.projects:
        kept = []
        for ind in p.indicators:
            ind.level1, ind.level2 = clean_level(ind.level1), clean_level(ind.level2)
            if ind.name is None and ind.value is None and ind.description is None and ind.actual is None:
                continue  # a category line with nothing under it (the page is cut there)
            if ind.name:
                ind.name = _ITEM_NUMBER.sub("", ind.name) or ind.name
                if _ELLIPSIS.match(ind.name) and ind.value is None:
                    continue
            kept.append(ind)
        p.indicators = kept


def _infer_level1(sub: Department, dept: Department) -> None:
    """A 一级 the text lost (printed vertically, it comes out as empty lines) is the one its
    二级 belongs to in the framework; said as a doubt, once per project."""
    from ..framework import FRAMEWORK, OUTDATED

    owner = {l2: l1 for l1, l2s in FRAMEWORK.items() for l2 in l2s}
    for p in sub.projects:
        guessed: set[str] = set()
        for ind in p.indicators:
            if ind.level1 is not None or ind.level2 is None:
                continue
            l2 = OUTDATED.get(norm(ind.level2), norm(ind.level2))
            if l2 in owner:
                ind.level1 = owner[l2]
                guessed.add(f"{ind.level2}→{ind.level1}")
        if guessed:
            dept.read_issues.append(
                ReadIssue(
                    "import-ambiguous",
                    {"value": "一级指标", "reason": f"文本中没有一级指标，按二级指标补全（{'，'.join(sorted(guessed))}）"},
                    None,
                    p.label,
                )
            )


def _without_long_term(rows: list[list[Any]]) -> list[list[Any]]:
    """An indicator table printing 中长期 columns beside the year's (二级指标(长期) … 二级指标(年度)):
    the year's are the targets pyxl/v1 holds, so the long-term columns are left out of the rows
    given to the block reader."""
    out: list[list[Any]] = []
    drop: set[int] = set()
    for row in rows:
        roles = header_roles(row)
        if is_indicator_header(roles):
            drop = {
                c
                for c, cell in enumerate(row)
                if (found := classify(cell)) is not None
                and found.qualifier == "long_term"
                and roles[found.role].col != c
            }
        elif drop and not any(isinstance(v, str) and label_kind(v) for v in row[:1]):
            out.append([v for c, v in enumerate(row) if c not in drop])
            continue
        else:
            drop = set()
        out.append([v for c, v in enumerate(row) if c not in drop])
    return out


def _rejoin_blocks(projects: list[Project]) -> list[Project]:
    """A project block that a label the block reader does not know cut in two: the part with
    the name and no indicators, then a part with no name and the indicators. One project."""
    out: list[Project] = []
    for p in projects:
        prev = out[-1] if out else None
        if prev is not None and not (p.name or p.code) and not prev.indicators and p.indicators:
            prev.indicators = p.indicators
            for key in ("goal", "long_term_goal", "budget", "purpose"):
                if getattr(prev, key) is None and getattr(p, key) is not None:
                    setattr(prev, key, getattr(p, key))
            if p.funding and not prev.funding:
                prev.funding = p.funding
            continue
        out.append(p)
    return out


def _at_line(issue: Any, grid: Grid) -> Any:
    from dataclasses import replace

    from ..cells import cell_index

    if issue.loc is None:
        return issue
    r, _ = cell_index(issue.loc.cell)
    line = grid.lines[r - 1] if 0 < r <= len(grid.lines) else None
    params = dict(issue.params)
    if "reason" in params:
        params["reason"] = re.sub(rf"^表“{SHEET}”[A-Z]+\d+：", "", str(params["reason"]))
    where = f"第 {line} 行" if line else None
    if issue.rule == "layout-unrecognized":
        # in a text, a piece the readers cannot place is a doubt about the import (the rest is
        # read), not an unreadable workbook
        reason = str(params.get("reason", ""))
        m = re.match(r"^“(?P<value>[^”]*)”(?P<rest>.*)$", reason)
        if m:
            value, rest = m.group("value"), m.group("rest").lstrip("，,")
        else:
            row = grid.rows[r - 1] if 0 < r <= len(grid.rows) else []
            first = next((str(v) for v in row if v not in (None, "")), "")
            value, rest = (first if len(first) <= 20 else first[:20] + "…"), reason
        return replace(
            issue, rule="import-ambiguous", loc=None, where=where,
            params={"value": value, "reason": rest or "未能导入"},
        )
    return replace(issue, loc=None, params=params, where=where)


def _forget_cells(dept: Department) -> None:
    """Grid cells of a text mean nothing to the user: findings name lines, not cells."""
    dept.loc.clear()
    for t in dept.targets:
        t.loc.clear()
    for p in dept.projects:
        p.loc.clear()
        for i in p.indicators:
            i.loc.clear()
