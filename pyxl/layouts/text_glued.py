"""A whole table glued into one run of text (a .doc/.docx shown by a document site: no line,
bar or space between cells), cut into rows again.

The header is found by its words ("一级指标二级指标三级指标分值年度指标值全年实际值得分…"); the
body is read against the header's columns: a 一级 or 二级 name of the framework starts a
category, a 三级 name runs until the columns after it can be read in order (分值/得分 a number,
指标值/实际值 a target or a 定性 word, a closing 偏差原因 free text) and the next row can start.
Digits glued together ("1020万元20万元10") are cut where every column reads, shortest number
first. What cannot be read so is left to the caller as not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ..core.grammar import KNOWN_UNITS
from .columns import classify, header_roles, is_indicator_header, vocabulary
from .form_spec import LEVEL1_NAMES, LEVEL2_NAMES, label_kind

__all__ = ["glued_rows", "is_glued"]

_HEAD = re.compile(r"一级指标二级指标")
# a document site's page chunks ("\n2、") and the spaces a cell's wrapped lines left
_CHUNK = re.compile(r"\n\s*\d{1,2}、")
_SCORE = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_OPS = ("大于等于", "小于等于", "不低于", "不少于", "不高于", "不超过", "≥", "≤", ">=", "<=", "＞", "＜", ">", "<", "=", "≧", "≦")
_NUM = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_IDENTITY = ("name", "code", "supervisor", "implementer", "contact", "nature", "category")


@cache
def _words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    data = vocabulary()
    glued = data["glued"]
    header = {w for spec in data["roles"].values() for w in spec.get("words", ())}
    return (
        tuple(sorted(header, key=len, reverse=True)),
        tuple(sorted(set(glued["qualitative_values"]) | set(glued.get("short_values", ())), key=len, reverse=True)),
        tuple(glued["level2_endings"]),
        tuple(glued.get("stream_end", ())),
        tuple(sorted(LEVEL1_NAMES | LEVEL2_NAMES, key=len, reverse=True)),
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", _CHUNK.sub("", text))


def is_glued(text: str) -> bool:
    """A long line holds an indicator header glued to what follows (rows glued one per line
    are read line by line elsewhere)."""
    return any(len(s) >= 150 and _HEAD.search(re.sub(r"\s+", "", s)) for s in text.splitlines())


def _header(flat: str, i: int) -> tuple[list[str], int] | None:
    header, *_ = _words()
    levels = _words()[4]
    out: list[str] = []
    while i < len(flat):
        if any(flat.startswith(n, i) for n in levels) and len(out) >= 3:
            break
        w = next((w for w in header if flat.startswith(w, i)), None)
        if w is None:
            # a header word the vocabulary has only as a prefix ("未完成原因及拟采取的改进措施"):
            # up to the first category name
            j = min((k for n in levels if (k := flat.find(n, i)) > i), default=-1)
            found = classify(flat[i:j]) if j > 0 else None
            if found is None or found.weak:
                break
            w = flat[i:j]
        out.append(w)
        i += len(w)
    roles = header_roles(out)
    return (out, i) if len(out) >= 3 and is_indicator_header(roles) else None


def _targets(flat: str, i: int) -> Iterator[int]:
    """Ends of a target (≥266米, 100%, 20万元, 0起) or a 定性 word starting at i, shortest first."""
    _, qualitative, *_ = _words()
    j = i
    op = next((o for o in _OPS if flat.startswith(o, i)), None)
    if op:
        j += len(op)
    m = _NUM.match(flat, j)
    if m:
        for end in range(j + 1, m.end() + 1):
            if not _NUM.fullmatch(flat, j, end) or flat[end - 1] == ".":
                continue
            units = [end + len(u) for u in KNOWN_UNITS if flat.startswith(u, end)]
            if not units:
                # a measure word the list lacks ("厘米"): one or two characters
                units = [end + n for n in (1, 2) if re.fullmatch(r"[\u4e00-\u9fff]+", flat[end : end + n] or "-")]
            yield from sorted(units)
            yield end
    elif not op:
        for q in qualitative:
            if flat.startswith(q, i):
                yield i + len(q)


def _numbers(flat: str, i: int) -> Iterator[int]:
    m = _NUM.match(flat, i)
    if m:
        for end in range(i + 1, m.end() + 1):
            if _NUM.fullmatch(flat, i, end) and flat[end - 1] != ".":
                yield end


def _row_start(flat: str, j: int) -> bool:
    if j >= len(flat):
        return True
    ch = flat[j]
    return "\u4e00" <= ch <= "\u9fff" or ch in "…（("


def _values(flat: str, j: int, kinds: list[str]) -> Iterator[list[int]]:
    """Ends of each column's cell from j, every way the columns read with a row able to start after."""
    if not kinds:
        if _row_start(flat, j):
            yield []
        return
    kind, rest = kinds[0], kinds[1:]
    if kind == "text":
        if _row_start(flat, j):
            for tail in _values(flat, j, rest):
                yield [j, *tail]
        return
    for end in _numbers(flat, j) if kind == "num" else _targets(flat, j):
        for tail in _values(flat, end, rest):
            yield [end, *tail]


def _score(cells: list[str], kinds: list[str], flat: str, ends: list[int]) -> int:
    """How likely a cut of glued figures is: a year-end value as its target and a score as its
    weight are the usual case; a cut through a run of digits is not."""
    targets = [c for c, k in zip(cells, kinds, strict=False) if k == "target"]
    nums = [c for c, k in zip(cells, kinds, strict=False) if k == "num"]
    score = 3 if len(targets) >= 2 and targets[0] == targets[1] else 0
    score += 1 if len(nums) >= 2 and nums[0] == nums[1] else 0
    return score - 2 * sum(1 for e in ends[:-1] if 0 < e < len(flat) and flat[e - 1].isdigit() and flat[e].isdigit())


def _category(flat: str, i: int) -> tuple[str, int, bool] | None:
    """(name, end, is 一级) of a framework category at i, with its score note."""
    levels = _words()[4]
    name = next((n for n in levels if flat.startswith(n, i)), None)
    if name is None:
        return None
    end = i + len(name)
    m = _SCORE.match(flat, end)
    if m:
        end += m.end() - m.start()
    # 满意度指标/成本指标 are a 一级 or a 二级: a 一级 when a score note or another category follows
    followed = any(flat.startswith(n, end) for n in levels)
    return name, end, name in LEVEL1_NAMES and (m is not None or followed or name not in LEVEL2_NAMES)


def _contains_level(text: str) -> bool:
    return any(n in text for n in _words()[4] if len(n) >= 4)


def glued_rows(text: str) -> list[list[str | None]] | None:
    """Label rows of the project (项目名称 …) and the indicator table as rows, or None."""
    flat = _flat(text)
    m = _HEAD.search(flat)
    if m is None:
        return None
    head = _header(flat, m.start())
    if head is None:
        return None
    names, i = head
    roles = list(header_roles(names))
    if "name" not in roles:
        return None
    after = roles[roles.index("name") + 1 :]
    kinds = ["num" if r in ("weight", "score") else "target" if r in ("value", "actual", "forecast") else "text"
             for r in after]
    rows: list[list[str | None]] = [*_labels(flat[: m.start()]), list(names)]
    stops = _words()[3]
    level1: str | None = None
    level2: str | None = None
    while i < len(flat):
        if flat.startswith(stops, i):
            break
        if flat.startswith("…", i):
            i += 1
            continue
        cat = _category(flat, i)
        if cat is not None:
            name, i, is1 = cat
            if is1:
                level1, level2 = name, None
            else:
                level2 = name
            continue
        if flat.startswith("绩效指标", i):  # a header repeated after a page break
            i += len("绩效指标")
            continue
        row = _indicator(flat, i, kinds)
        if row is None:
            # free text (a 偏差原因 the row did not need): up to the next category
            j = min((k for n in _words()[4] if (k := flat.find(n, i + 1)) > i), default=len(flat))
            if rows and len(rows[-1]) == len(names) and roles[-1] in ("deviation_reason", "corrective_action"):
                rows[-1][-1] = (rows[-1][-1] or "") + flat[i:j]
            i = j
            continue
        cells, i = row
        rows.append([level1, level2, *cells][: len(names)] + [None] * max(0, len(names) - 2 - len(cells)))
    return rows


def _indicator(flat: str, i: int, kinds: list[str]) -> tuple[list[str | None], int] | None:
    """The row at i: its 三级 name and cells, cut where the figures read best (the shorter name
    on a tie); a name holds no category, operator or percent sign (those start its figures)."""
    best: tuple[int, list[str | None], int] | None = None
    for e in range(i + 2, min(len(flat), i + 60)):
        name = flat[i:e]
        if _contains_level(name) or re.search(r"[%％≥≤<>=＞＜]", name):
            break
        if not re.search(r"[\u4e00-\u9fff]", name):
            continue
        for ends in _values(flat, e, kinds):
            cells: list[str | None] = [name]
            start = e
            for end in ends:
                cells.append(flat[start:end] or None)
                start = end
            score = _score([c or "" for c in cells[1:]], kinds, flat, [e, *ends])
            if best is None or score > best[0]:
                best = (score, cells, start)
    return (best[1], best[2]) if best is not None else None


def _labels(flat: str) -> list[list[str | None]]:
    """The project's identity labels before the table ("项目名称…项目负责人及电话…"), each with
    the text up to the next label; the glued fund figures are left alone."""
    from .form_spec import _GROUP_WORDS, _OTHER_WORDS, PROJECT_LABELS

    words = {v for vs in PROJECT_LABELS.values() for v in vs} | set(_GROUP_WORDS) | set(_OTHER_WORDS)
    labels = sorted((w for w in words if len(w) >= 4), key=len, reverse=True)
    hits: list[tuple[int, str]] = []
    i = 0
    while i < len(flat):
        w = next((w for w in labels if flat.startswith(w, i)), None)
        if w is not None:
            hits.append((i, w))
            i += len(w)
        else:
            i += 1
    rows: list[list[str | None]] = []
    for k, (pos, w) in enumerate(hits):
        end = hits[k + 1][0] if k + 1 < len(hits) else len(flat)
        kind = (label_kind(w) or ("", ""))[0]
        value = flat[pos + len(w) : end]
        if kind in _IDENTITY and value:
            rows.append([w, value])
    return rows
