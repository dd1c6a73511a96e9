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
placed under the header's columns by what they hold (``text_place``). Prose is read
directly (``text_prose``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..core.model import Department, Project, ReadIssue
from .columns import classify, clean_level, header_roles, is_indicator_header, is_page_end, stated_unit, vocabulary
from .form_spec import LEVEL1_NAMES, LEVEL2_NAMES, PROJECT_LABELS, is_decoration, label_kind, norm
from .text_glued import glued_rows, is_glued
from .text_place import SCORE_NOTE, aligned, segment
from .text_prose import PROSE_HEAD, PROSE_ITEM, read_prose

__all__ = ["detect_format", "read_published", "text_grid"]

SHEET = "文本"

_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


# ---------------------------------------------------------------- format


def detect_format(text: str) -> str | None:
    """"pipe", "prose", "cells", "lines", or None when the text holds no table."""
    lines = text.splitlines()
    nonblank = [s for s in lines if s.strip()]
    if not nonblank:
        return None
    if any(PROSE_HEAD.match(s.strip()) for s in nonblank) and any(PROSE_ITEM.match(s.strip()) for s in nonblank):
        return "prose"
    if _bar_cells(nonblank):
        return "barcells"
    if any(len(s.split()) >= 40 and _TOKEN_HEADER.search(s) for s in nonblank):
        return "tokens"
    if is_glued(text):
        return "glued"
    if sum(1 for s in nonblank if s.count("|") >= 2) >= 3:
        return "pipe"
    # one cell per line: most text lines are followed by an empty line
    followed = sum(1 for a, b in itertools.pairwise(lines) if a.strip() and b == "")
    if followed >= 0.6 * len(nonblank) and len(nonblank) >= 6:
        return "cells"
    return "lines"


_BAR_CELL = re.compile(r"^[^|]*\S[^|]*\|\s*$")  # "雾炮车降尘抑尘服务 |": one cell and its closing bar
_BARS_ONLY = re.compile(r"^\s*\|+\s*$")


def _bar_cells(nonblank: list[str]) -> bool:
    """One cell per line, each closed by a bar (a page's table cells as "text |", an empty
    cell as a lone "|"): most lines are such cells, not rows of bar-separated cells."""
    cells = sum(1 for s in nonblank if _BAR_CELL.match(s))
    bars = sum(1 for s in nonblank if _BARS_ONLY.match(s))
    return cells >= 6 and cells + bars >= 0.8 * len(nonblank)


# a whole table on one line, its cells separated by single spaces (a .doc's text run together)
_TOKEN_HEADER = re.compile(r"(?:^|\s)一级指标\s+二级指标\s")


def _unbar(line: str) -> str:
    """A bar-closed cell line as a one-cell-per-line line: "text |" → "text", a lone "|" → an
    empty cell (" "), a run of bars ("|||", the spanned cells closing a row) → nothing."""
    s = line.strip()
    if _BARS_ONLY.match(line):
        return " " if s == "|" else ""
    return s[:-1].strip() if s.endswith("|") else s


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
    if fmt == "glued":
        return Grid([list(r) for r in glued_rows(text) or []], [1] * len(glued_rows(text) or []))
    if fmt == "tokens":
        # every space-separated word a cell, on the line it came from
        return _cells_grid("\n".join("\n".join(_space_cells(s)) for s in text.splitlines()), kept_blanks=False)
    if fmt == "barcells":
        return _cells_grid("\n".join(_unbar(s) for s in text.splitlines()))
    rows = [(i, _space_cells(s)) for i, s in enumerate(text.splitlines(), start=1) if s.strip()]
    return _place(_unglue(_join_wrapped_headers(rows)))


def _pipe_cells(line: str) -> list[str]:
    """Cells between ``|``; the one space after a bar is the separator, more is indentation
    (a tree's levels) and is kept."""
    if "|" not in line:
        return [line.strip()]
    parts = [(p[1:] if p.startswith(" ") else p).rstrip() for p in line.split("|")]
    parts = [p if p.strip() else "" for p in parts]
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
        if out and part[:1] in ":：":
            out[-1] += part  # "其中 :上级资金16": a label and what follows its colon
        elif depth > 0 and out:
            out[-1] += " " + part
        else:
            out.append(part)
        depth = max(0, depth + part.count("(") + part.count("（") - part.count(")") - part.count("）"))
    return out


@cache
def _glued_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(header and label words longest first, 二级 endings, 定性 values longest first)."""
    data = vocabulary()
    words = {norm(w) for spec in data["roles"].values() for w in (*spec.get("words", ()), *spec.get("weak", ()))}
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
        rest = text[b:end].strip()
        if re.fullmatch(r"[(（][^()（）]*[)）]", rest):
            out[-1] += rest  # "项目资金(万元)": the label's unit, not its value
        elif rest:
            out.append(rest)
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
            and not SCORE_NOTE.match(cells[0])
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


def _cells_grid(text: str, *, kept_blanks: bool = True) -> Grid:
    """One cell per line: header-area cells grouped into label rows, the indicator table
    header recognised by its words, its rows segmented by what the cells hold; an indented
    tree keeps one row per indented label."""
    raw = text.splitlines()
    cells: list[tuple[int, str, str]] = []  # (line, raw text, stripped text)
    for i, s in enumerate(raw, start=1):
        if s == "":
            continue
        cells.append((i, s, s.strip()))
    cells = _join_broken_headers(cells)
    grid = Grid([], [])
    k = 0
    while k < len(cells):
        header = _header_run(cells, k)
        if header is None:
            k = _label_row(cells, k, grid)
            continue
        end, roles = header
        names = _header_names(cells[k:end])
        grid.add(names, cells[k][0])
        body, stop = _table_body(cells, end)
        body = _join_broken_levels(body)
        if _is_tree(roles, body):
            _tree_rows(body, names, grid)
        else:
            for line, row in segment(body, [classify(n).role if classify(n) else None for n in names],
                                     kept_blanks=kept_blanks):
                grid.add(row, line)
        k = stop
    return grid


def _header_run(cells: list[tuple[int, str, str]], k: int) -> tuple[int, list[str]] | None:
    """(end, roles) when cells[k:end] are the header words of a table."""
    first = classify(cells[k][2]) if k < len(cells) else None
    if first is not None and first.weak and _header_run(cells, k + 1) is not None:
        return None  # a caption ("绩效指标(90分)") right before the header, not one of its columns
    end = k
    while end < len(cells):
        if classify(cells[end][2]) is None:
            if not _broken_header(cells, end):
                break
            end += 1  # the word's second half, joined in _header_names
        end += 1
    if end - k < 2:
        return None
    roles = header_roles(_header_names(cells[k:end]))
    if is_indicator_header(roles) or ("project_name" in roles and "value" in roles):
        return end, list(roles)
    return None


def _broken_header(cells: list[tuple[int, str, str]], k: int) -> bool:
    """A header word broken over two cells ("年度" / "指标值", "实际" / "完成值")."""
    if k + 1 >= len(cells) or not cells[k][2] or not cells[k + 1][2]:
        return False
    text = cells[k][2] + cells[k + 1][2]
    joined = classify(text)
    return (joined is not None and not joined.weak) or label_kind(text) is not None


def _join_broken_headers(cells: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Header words a narrow column broke over two cells ("全年" / "预算数", "实际" / "完成值")
    joined again, wherever they stand (the funding table of a 自评表 as much as its targets)."""
    out: list[tuple[int, str, str]] = []
    k = 0
    while k < len(cells):
        if classify(cells[k][2]) is None and not _is_label(cells[k][2]) and _broken_header(cells, k):
            line, raw, text = cells[k]
            out.append((line, raw + cells[k + 1][2], text + cells[k + 1][2]))
            k += 2
            continue
        out.append(cells[k])
        k += 1
    return out


def _header_names(cells: list[tuple[int, str, str]]) -> list[str]:
    out: list[str] = []
    k = 0
    while k < len(cells):
        if classify(cells[k][2]) is None and _broken_header(cells, k):
            out.append(cells[k][2] + cells[k + 1][2])
            k += 2
            continue
        out.append(cells[k][2])
        k += 1
    return out


def _table_body(cells: list[tuple[int, str, str]], k: int) -> tuple[list[tuple[int, str, str]], int]:
    out = []
    while k < len(cells):
        text = cells[k][2]
        if text and (is_page_end(text) or is_decoration(text)):
            break
        out.append(cells[k])
        k += 1
    return out, k


def _level(text: str) -> tuple[bool, bool]:
    name = clean_level(text) or ""
    return name in LEVEL1_NAMES, name in LEVEL2_NAMES


def _join_broken_levels(body: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """A category name broken over two cells ("经济效益" / "指标", "满意度" / "指标") is one cell."""
    out: list[tuple[int, str, str]] = []
    for cell in body:
        if out and cell[2] and out[-1][2] and not any(_level(cell[2])) and any(_level(out[-1][2] + cell[2])):
            line, raw, text = out[-1]
            out[-1] = (line, raw + cell[2], text + cell[2])
            continue
        out.append(cell)
    return out


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
    kinds = [(label_kind(c[2]) or ("", ""))[0] for c in cells[k:run]]
    if run - k >= 3 and set(kinds[:-1]) == {"other"} and kinds[-1] not in ("", "other"):
        run -= 1  # a fund table's column heads, then the label of its first row ("年度资金总额")
    goal_at = next((j for j, kind in enumerate(kinds) if kind in ("goal", "goal_or_overall", "long_term_goal")), None)
    if goal_at and any(kind in ("funding", "budget", "total_budget") for kind in kinds[:goal_at]):
        # fund rows left empty ("上年结转资金 其他资金"), then the goal table's heads: the text
        # below belongs to the goals
        for c in cells[k : k + goal_at]:
            grid.add([c[2]], c[0])
        return k + goal_at
    heads = next((j for j in range(len(kinds)) if set(kinds[j:]) == {"other"}), None)
    if heads and len(kinds) - heads >= 3:
        # headings over a fund table's column heads ("预算执行情况(10分)", "年度预算数(万元)"): a row
        # of their own, holding no value
        grid.add([c[2] for c in cells[k : k + heads]], line)
        return k + heads
    if run - k >= 2 and not any(label_kind(c[2]) and label_kind(c[2])[1] for c in cells[k:run]):
        # labels side by side ("总体目标 | 中期目标 | 年度目标"), their values on the row below:
        # as many values as labels, or one fewer when the first label spans both rows
        labels = [c[2] for c in cells[k:run]]
        grid.add(labels, line)
        values: list[tuple[int, str]] = []
        j = run
        while j < len(cells) and len(values) < len(labels):
            t = cells[j][2]
            if t and (_is_label(t) or _header_run(cells, j) is not None or is_page_end(t)):
                break
            nxt = next((x for x in range(j + 1, len(cells)) if cells[x][2]), None)
            if t and nxt is not None and _header_run(cells, nxt) is not None and len(values) >= len(labels) - 1:
                break  # the table's title, right above its header
            if t:
                values.append((cells[j][0], t))
            j += 1
        if len(values) >= 3 and not any(ch.isdigit() for ch in values[0][1]) and all(
            any(ch.isdigit() for ch in t) for _, t in values[1:3]
        ):
            # the row's own label ("总额") before its amounts: the heads stand over the amounts
            grid.rows[-1] = [None, *labels]
            grid.add([t for _, t in values], values[0][0])
            return j
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
        if any(is_page_end(c) for c in cells if c):
            roles = None
            continue  # page furniture and signature lines
        if roles is not None:
            text = " ".join(c for c in cells if c)
            if not text or any(is_page_end(c) or is_decoration(c) for c in cells if c) or (
                cells and label_kind(cells[0]) is not None
            ):
                roles = None
            else:
                kept = [c for c in cells if not SCORE_NOTE.match(c or "")]
                if not kept:
                    continue
                if len(kept) > len(roles):
                    roles = None  # wider than the table: not one of its rows
                else:
                    grid.add(aligned(kept, roles, first=first), line)
                    first = False
                    continue
        if cells and any(c for c in cells):
            prev = grid.rows[-1] if grid.rows else []
            if (
                len(prev) >= 2
                and all(isinstance(v, str) and _is_label(v) for v in prev)
                and not any(_is_label(c) for c in cells if c)
                and len(cells) < len(prev)
            ):
                # labels side by side ("总体目标 年度目标"), their values below: a first label
                # spanning both rows has no value of its own
                grid.add([None] * (len(prev) - len(cells)) + list(cells), line)
                continue
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


# ---------------------------------------------------------------- the whole text


def read_published(text: str, dept: Department) -> str | None:
    """Read a published table's text into ``dept``; returns the format read, or None when the
    text holds no table pyxl can read. Locations become line numbers ("第 12 行")."""
    from ..core.errors import WorkbookError
    from . import form_reader, table_reader

    fmt = detect_format(text)
    if fmt is None:
        return None
    if fmt == "prose":
        read_prose(text, dept)
        for p in dept.projects:
            if isinstance(p.budget, str) and _NUMBER.match(p.budget) and stated_unit(text) is None:
                dept.read_issues.append(ReadIssue(
                    "import-ambiguous",
                    {"value": p.budget, "reason": "金额未注明单位（元还是万元），按原文导入，不带单位的数字按万元理解"},
                    None, p.label,
                ))
        # prose names no project code and no spending plan
        dept.layout_absent = ("code", "spend_plan") + (() if any(p.goal for p in dept.projects) else ("goal",))
        return fmt if dept.projects else None
    grid = text_grid(text, fmt)
    sub = Department()
    if table_reader.read_grid(SHEET, grid.rows, sub) == 0:
        try:
            sub = form_reader.read([SHEET], lambda _sheet: grid.rows)
        except WorkbookError:
            return None
    if not sub.projects and not sub.targets:
        return None
    sub.projects = _rejoin_blocks(sub.projects)
    dept.projects += sub.projects
    dept.targets += sub.targets
    dept.layout_absent = sub.layout_absent
    for key in ("name", "code", "year", "overall_goal"):
        if getattr(dept, key) is None:
            setattr(dept, key, getattr(sub, key))
    for issue in sub.read_issues:
        dept.read_issues.append(_at_line(issue, grid))
    _tidy(sub)
    _infer_level1(sub, dept)
    _forget_cells(dept)
    return fmt


_ITEM_NUMBER = re.compile(r"^\s*指标\s*\d+\s*[:：.、]?\s*")
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
                bare = _ITEM_NUMBER.sub("", ind.name)
                if not bare and ind.value is None and ind.actual is None:
                    continue  # a numbered slot left empty ("指标2")
                ind.name = bare or ind.name
                if _ELLIPSIS.match(ind.name) and ind.value is None:
                    continue
            kept.append(ind)
        p.indicators = kept


def _infer_level1(sub: Department, dept: Department) -> None:
    """A 一级 the text lost (printed vertically, it comes out as empty lines) is the one its
    二级 belongs to in the framework; said as a doubt, once per project."""
    from ..core.framework import FRAMEWORK, OUTDATED

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

    from ..core.cells import cell_index

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
