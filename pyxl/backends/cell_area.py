"""The used area of a worksheet's XML: the largest row and column of a cell that may hold a value.

calamine allocates that rectangle densely (two cells at A1 and XFD1048576 abort the process
from inside Rust), so pyxl.backends.safety measures it before calamine sees the part. This module
does the measuring on pieces of inflated XML that each end at a ``>`` (no tag cut in two).

Fast path, for sheets as every writer saves them (``<c r="B7" …>``, the reference first):
each cell tag's reference is decoded in bulk with numpy, so the cost is a few passes over the
bytes rather than Python work per cell (a department workbook holds ~150,000 cells; per-cell
regular-expression matches cost more than calamine's own read). Where numpy cannot be imported
(the browser page) a regular expression does the same, more slowly.

Anything the fast path cannot vouch for makes :attr:`AreaScan.regular` False, and the caller
places every cell the way calamine does, in a second, careful pass (:func:`positional_area`,
attributes read as XML reads them, the last of two ``r`` winning as in calamine): a cell tag
not in the form every writer uses (``_ODD_CELL``), a namespace prefix (``<x:c>``, which calamine
reads as a cell too).
A self-closing cell (``<c r="XFD9" s="1"/>``, formatted but empty) holds no value and does
not count: calamine does not allocate for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["AreaScan", "col_number", "positional_area", "use_numpy"]

# A cell start tag not in the form every writer uses: r="B7" first after one space, a reference of up to
# 3 letters and 9 digits, then only attributes such as s="1" t="s" (lower-case names, none starting
# with r: calamine takes the last of two r), separated by one space, their values in double quotes
# and free of '>' — so that the tag ends at its first '>'. Anything else (<c>, <c s="1" r="A1">,
# <c r='A1'>, a tab, r="a1", r="$A$1", x=">") takes the careful pass.
_ODD_CELL = re.compile(rb'<c(?! r="[A-Z]{1,3}[0-9]{1,9}"(?: [a-qs-z][a-z]{0,11}="[^"<>]*")*+/?>)[\s/>]')
# a namespace-prefixed cell (<x:c …>); text such as "a:c " in a value only costs the careful pass
_PREFIXED = re.compile(rb":c[\s/>]")

_REF_BYTES = 13  # a reference: up to 3 letters, 9 digits, then the closing quote
_FRONT = 16
_PAD = b"\0" * _FRONT  # windows read past either end of a piece stay inside the array
_R_FIRST = tuple(b' r="')


def col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


class AreaScan:
    """Feed pieces of one worksheet part in order; ``rows``/``cols`` is the area of the cells seen so far.

    With numpy and ``exact=False`` the area counts every cell that carries a reference, self-closing
    ones too: an upper bound of the value area, found in fewer passes; :attr:`exact` says which
    it is. A bound within the limits settles the question; one beyond them calls for an exact scan
    before anything is refused (a sheet formatted far beyond its values is not refused for that).
    Without numpy the scan is always exact.
    """

    def __init__(self, *, exact: bool = False, numpy: bool | None = None) -> None:
        self.rows = 0
        self.cols = 0
        self.regular = True
        np = _numpy() if numpy is None or numpy else None
        self.exact = exact or np is None
        self._measure: Callable[[bytes], tuple[int, int] | None]
        if np is None:
            self._measure = self._area_regex
        elif exact:
            self._measure = lambda data: _area_numpy(np, data, values_only=True)
        else:
            self._measure = lambda data: _area_numpy(np, data, values_only=False)
        self._refs = 0  # regex path: value cells found with a reference …
        self._ends = 0  # … and end tags seen: unequal when some cell escaped the expression

    def feed(self, data: bytes) -> None:
        if not self.regular:
            return
        # the bound (numpy) reads every r attribute itself; the exact scans rely on the usual cell form
        if _PREFIXED.search(data) or (self.exact and _ODD_CELL.search(data)):
            self.regular = False
            return
        area = self._measure(data)
        if area is None:
            self.regular = False
            return
        self.rows = max(self.rows, area[0])
        self.cols = max(self.cols, area[1])

    def finish(self) -> bool:
        """Whether the fast path vouches for the area (else the caller takes the careful pass)."""
        if self._refs != self._ends:
            self.regular = False
        return self.regular

    # ------------------------------------------------------------ without numpy

    # a value cell's start tag (not self-closing) in the form _ODD_CELL lets through
    _REF_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,9})"(?: [a-z]+="[^"<>]*")*>')

    def _area_regex(self, data: bytes) -> tuple[int, int] | None:
        found = self._REF_CELL.findall(data)
        self._refs += len(found)
        # a value cell ends with </c>: any value cell the expression missed (an odd reference, a quote)
        # leaves the counts unequal
        self._ends += data.count(b"</c>")
        if not found:
            return 0, 0
        rows = max(map(int, {r for _, r in found}))
        cols = col_number(max({c for c, _ in found}, key=lambda c: (len(c), c)))
        return rows, cols


def _area_numpy(np: Any, data: bytes, *, values_only: bool) -> tuple[int, int] | None:
    """(rows, cols) of the cells in ``data`` (value cells only, or all); None when a cell tag is irregular."""
    n = len(data)
    # zero bytes before and after: look-behinds and windows never leave the array
    a = np.frombuffer(_PAD + data + _PAD, dtype=np.uint8)
    lt = _find(np, a, n, 0x3C)  # '<'
    lt = lt[a[lt + 1] == 0x63]  # '<c'
    after = a[lt + 2]
    cells = lt[_space(after) | (after == 0x3E) | (after == 0x2F)]  # '<c' then a space, '>' or '/': a cell
    if not (a[cells[:, None] + np.arange(2, 6)] == _R_FIRST).all():  # r="…" first, after one space
        return None
    if values_only:  # _ODD_CELL has vouched for every cell tag's form
        start = _value_cells(np, a, n, cells + 6) if len(cells) else cells
    else:
        start = _r_values(np, a, n)
    if start is None:
        return None
    return _decode(np, a, start) if len(start) else (0, 0)


def _find(np: Any, a: Any, n: int, byte: int) -> Any:
    """Positions in ``a`` of ``byte`` within the data (between the pads)."""
    return np.flatnonzero(a[_FRONT : _FRONT + n] == byte) + _FRONT


def _space(b: Any) -> Any:
    return (b == 0x20) | (b == 0x09) | (b == 0x0A) | (b == 0x0D)


def _r_values(np: Any, a: Any, n: int) -> Any:
    """Where the value of every r="…" attribute but a row's starts; None if an attribute is written oddly.

    Calamine places a cell by its last r, wherever it stands in the tag; counting every r="…" (after
    whitespace) covers the first, the last and any hidden in between. r written another way (r='A1',
    r = "A1") makes the fast path give up; so may a formula such as A1 = "x" (only costing time).
    """
    q = _find(np, a, n, 0x22)  # '"'
    eq = a[q - 1] == 0x3D  # '="'
    if (eq & _space(a[q - 2])).any() or (_space(a[q - 1]) & (a[q - 2] == 0x3D)).any():  # ' ="', '= "'
        return None
    apostrophes = _find(np, a, n, 0x27)
    if ((a[apostrophes - 1] == 0x3D) | (_space(a[apostrophes - 1]) & (a[apostrophes - 2] == 0x3D))).any():
        return None
    r = q[eq & (a[q - 2] == 0x72) & _space(a[q - 3])]  # the opening quote of r="…"
    row = ((a[r - 7] == 0x3C) & (a[r - 6] == 0x72) & (a[r - 5] == 0x6F) & (a[r - 4] == 0x77)
           & (a[r - 3] == 0x20))  # '<row r="'
    return r[~row] + 1


def _value_cells(np: Any, a: Any, n: int, start: Any) -> Any:
    """The cells of ``start`` whose tag does not close with '/>'; None for a tag cut off at the end.

    _ODD_CELL has vouched that no attribute value holds a '>': each tag ends at its first '>'.
    """
    gt = _find(np, a, n, 0x3E)
    at = np.searchsorted(gt, start)
    if at[-1] >= len(gt):  # only in the last piece of a broken part
        return None
    return start[a[gt[at] - 1] != 0x2F]


def _decode(np: Any, a: Any, start: Any) -> tuple[int, int] | None:
    """The largest row and column of the references starting at ``start``; None if one is malformed."""
    w = a[start[:, None] + np.arange(_REF_BYTES)]
    pos = np.arange(_REF_BYTES)[None, :]
    letters = ((w >= 0x41) & (w <= 0x5A)).argmin(axis=1)  # leading A-Z (a window of letters only gives 0)
    digit = (w >= 0x30) & (w <= 0x39)
    stop = ((pos >= letters[:, None]) & ~digit).argmax(axis=1)  # first non-digit after the letters
    ok = ((letters >= 1) & (letters <= 3) & (stop > letters) & (stop - letters <= 9)
          & (w[np.arange(len(w)), stop] == 0x22))
    if not ok.all():
        return None
    # Horner's rule, one window column at a time, only as far as the longest reference reaches
    v = w[:, : int(stop.max())].astype(np.int64)
    cols = np.zeros(len(v), dtype=np.int64)
    for k in range(int(letters.max())):
        cols = np.where(k < letters, cols * 26 + (v[:, k] - 0x40), cols)
    rows = np.zeros(len(v), dtype=np.int64)
    for k in range(int(letters.min()), v.shape[1]):
        rows = np.where((k >= letters) & (k < stop), rows * 10 + (v[:, k] - 0x30), rows)
    return int(rows.max()), int(cols.max())


_np: Any = None
_np_tried = False
_use_numpy = True


def use_numpy(on: bool) -> None:
    """Switch the numpy path off (tests prove the two paths agree; the browser page has no numpy)."""
    global _use_numpy
    _use_numpy = on


def _numpy() -> Any:
    global _np, _np_tried
    if not _use_numpy:
        return None
    if not _np_tried:
        _np_tried = True
        try:
            import numpy

            _np = numpy
        except ImportError:  # the browser page: the regular expression measures instead
            _np = None
    return _np


# ---------------------------------------------------------------- the careful pass

# a row or cell start tag with its attributes parsed as XML does (either quote; a '>' inside a value)
_TOKEN = re.compile(rb"""<(?:[^\s<>/:"'=]+:)?(row|c)((?:\s+[^\s=>/"']+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>""")
# any row or cell start tag: one _TOKEN cannot parse is refused rather than skipped
_START = re.compile(rb"<(?:[^\s<>/:\"'=]+:)?(?:row|c)[\s/>]")
_ATTR = re.compile(rb"""([^\s=>/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")


def positional_area(pieces: Any, check: Callable[[int, int], None],
                    bad_ref: Callable[[], Exception]) -> tuple[int, int]:
    """(rows, cols) placing every cell as calamine does: by its ``r``, else next column / next row.

    ``check(rows, cols)`` is called after each piece (it raises to stop at a limit); ``bad_ref()``
    builds the error for a reference calamine cannot place.
    """
    rows = cols = 0
    row = col = 0
    for data in pieces:
        tokens = list(_TOKEN.finditer(data))
        if len(tokens) != len(_START.findall(data)):
            raise bad_ref()
        for m in tokens:
            ref = None
            for am in _ATTR.finditer(m.group(2)):
                if am.group(1) == b"r":  # the last r counts, as in calamine
                    ref = _REF.fullmatch(am.group(2) if am.group(2) is not None else am.group(3) or b"")
                    if ref is None:
                        raise bad_ref()
            if m.group(1) == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
                continue
            if ref and ref.group(1):
                if not ref.group(2) or len(ref.group(1)) > 3:
                    raise bad_ref()
                col = col_number(ref.group(1))
                row = int(ref.group(2))
            else:
                col += 1
            if not m.group(3):  # self-closing: no value
                rows, cols = max(rows, max(row, 1)), max(cols, col)
        check(rows, cols)
    return rows, cols
