"""String similarity for the text rules: rapidfuzz where installed, else the same results in pure Python.

The browser page (Pyodide) has no rapidfuzz. The fallback computes exactly what
rapidfuzz computes for the three calls the rules make — ``ratio`` (normalised Indel
similarity × 100, the same float), ``distance`` (Levenshtein, with the same cut-off
convention) and ``opcodes`` (the same alignment: Hyyrö's bit-parallel matrix, walked
back with rapidfuzz's order of preference: delete, insert, then replace/match) — so a
workbook gets the same findings and messages in the page as on the command line.
Bit-parallel rows are Python integers: a pair of 1,000-character texts costs 1,000
big-integer steps, not a million cell updates.

``PYXL_FUZZY=python`` forces the fallback (tests compare both).
"""

from __future__ import annotations

import os
from collections.abc import Callable

__all__ = ["IMPLEMENTATION", "distance", "opcodes", "ratio"]

Opcode = tuple[str, int, int, int, int]


def _affix(s1: str, s2: str) -> tuple[int, int]:
    n = min(len(s1), len(s2))
    pre = 0
    while pre < n and s1[pre] == s2[pre]:
        pre += 1
    suf = 0
    while suf < n - pre and s1[-1 - suf] == s2[-1 - suf]:
        suf += 1
    return pre, suf


def _lcs(s1: str, s2: str) -> int:
    """Length of the longest common subsequence (Allison–Dix / Hyyrö bit-parallel)."""
    if not s1 or not s2:
        return 0
    masks: dict[str, int] = {}
    bit = 1
    for ch in s1:
        masks[ch] = masks.get(ch, 0) | bit
        bit <<= 1
    full = (1 << len(s1)) - 1
    s = full
    for ch in s2:
        m = masks.get(ch, 0)
        u = s & m
        s = ((s + u) | (s - u)) & full
    return len(s1) - bin(s).count("1")


def py_ratio(s1: str, s2: str, *, score_cutoff: float | None = None) -> float:
    """rapidfuzz.fuzz.ratio: 100 × (1 − indel distance ÷ total length)."""
    lensum = len(s1) + len(s2)
    pre, suf = _affix(s1, s2)
    common = pre + suf + _lcs(s1[pre : len(s1) - suf], s2[pre : len(s2) - suf])
    # the same float operations, in the same order, as rapidfuzz
    norm_sim = 1.0 - ((lensum - 2 * common) / lensum if lensum else 0)
    if score_cutoff is not None and norm_sim < score_cutoff / 100:
        return 0.0
    return norm_sim * 100


def _matrix(s1: str, s2: str) -> tuple[int, list[int], list[int]]:
    """Levenshtein distance and, per character of s2, the vertical delta vectors (Hyyrö 2004)."""
    if not s1:
        return len(s2), [], []
    vp = (1 << len(s1)) - 1
    vn = 0
    dist = len(s1)
    top = 1 << (len(s1) - 1)
    masks: dict[str, int] = {}
    bit = 1
    for ch in s1:
        masks[ch] = masks.get(ch, 0) | bit
        bit <<= 1
    rows_vp: list[int] = []
    rows_vn: list[int] = []
    for ch in s2:
        x = masks.get(ch, 0)
        d0 = (((x & vp) + vp) ^ vp) | x | vn
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        if hp & top:
            dist += 1
        if hn & top:
            dist -= 1
        hp = (hp << 1) | 1
        hn = hn << 1
        vp = hn | ~(d0 | hp)
        vn = hp & d0
        rows_vp.append(vp)
        rows_vn.append(vn)
    return dist, rows_vp, rows_vn


def py_distance(s1: str, s2: str, *, score_cutoff: int | None = None) -> int:
    """rapidfuzz Levenshtein.distance: above ``score_cutoff`` the answer is ``score_cutoff + 1``."""
    pre, suf = _affix(s1, s2)
    dist = _matrix(s1[pre : len(s1) - suf], s2[pre : len(s2) - suf])[0]
    if score_cutoff is not None and dist > score_cutoff:
        return score_cutoff + 1
    return dist


def _editops(s1: str, s2: str) -> list[tuple[str, int, int]]:
    pre, suf = _affix(s1, s2)
    a, b = s1[pre : len(s1) - suf], s2[pre : len(s2) - suf]
    dist, vp, vn = _matrix(a, b)
    ops: list[tuple[str, int, int]] = []
    col, row = len(a), len(b)
    while row and col:
        if vp[row - 1] & (1 << (col - 1)):
            col -= 1
            ops.append(("delete", col + pre, row + pre))
        else:
            row -= 1
            if row and vn[row - 1] & (1 << (col - 1)):
                ops.append(("insert", col + pre, row + pre))
            else:
                col -= 1
                if a[col] != b[row]:
                    ops.append(("replace", col + pre, row + pre))
    while col:
        col -= 1
        ops.append(("delete", col + pre, row + pre))
    while row:
        row -= 1
        ops.append(("insert", col + pre, row + pre))
    ops.reverse()
    assert len(ops) == dist
    return ops


def py_opcodes(s1: str, s2: str) -> list[Opcode]:
    """rapidfuzz Levenshtein.opcodes: the edit operations grouped into runs, with the equal runs between."""
    result: list[Opcode] = []
    i = j = 0
    for tag, si, dj in _editops(s1, s2):
        if i < si or j < dj:
            result.append(("equal", i, si, j, dj))
            i, j = si, dj
        i2 = i + (tag != "insert")
        j2 = j + (tag != "delete")
        last = result[-1] if result else None
        if last is not None and last[0] == tag and last[2] == i and last[4] == j:
            result[-1] = (tag, last[1], i2, last[3], j2)
        else:
            result.append((tag, i, i2, j, j2))
        i, j = i2, j2
    if i < len(s1) or j < len(s2):
        result.append(("equal", i, len(s1), j, len(s2)))
    return result


def _rapidfuzz() -> tuple[Callable[..., float], Callable[..., int], Callable[[str, str], list[Opcode]]] | None:
    if os.environ.get("PYXL_FUZZY", "").strip().lower() == "python":
        return None
    try:
        from rapidfuzz import fuzz
        from rapidfuzz.distance import Levenshtein
    except ImportError:
        return None

    def rf_opcodes(s1: str, s2: str) -> list[Opcode]:
        return [tuple(op) for op in Levenshtein.opcodes(s1, s2)]  # type: ignore[misc]

    return fuzz.ratio, Levenshtein.distance, rf_opcodes


_FAST = _rapidfuzz()
IMPLEMENTATION = "rapidfuzz" if _FAST is not None else "python"
ratio: Callable[..., float]
distance: Callable[..., int]
opcodes: Callable[[str, str], list[Opcode]]
if _FAST is not None:
    ratio, distance, opcodes = _FAST
else:
    ratio, distance, opcodes = py_ratio, py_distance, py_opcodes

