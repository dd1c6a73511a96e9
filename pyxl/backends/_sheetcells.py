"""The cells of a sheet pyxl owns (a status mirror, 校验结果), edited in a worksheet part as text.

Only ``<sheetData>`` and ``<dimension>`` change. Cells nobody writes keep their
bytes; a written cell keeps its style (``s``); a cleared cell keeps only its
style, or goes if it had none, and a row left without cells goes. Text is
written inline (``t="inlineStr"``) so the shared-string table (not pyxl's) is
never touched. The empty forms follow the part's author (openpyxl writes
``<sheetData></sheetData>`` and ``A1:A1``, Excel ``<sheetData/>`` and ``A1``),
so that clearing gives back the bytes fill wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..core.cells import a1
from ._ooxml import attr, esc_attr, esc_text, main_prefix

__all__ = ["SheetCells", "column_widths", "new_sheet"]

_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(r'\br="([A-Z]+)(\d+)"')
_STYLE = re.compile(r'\ss="(\d+)"')
_SHEETDATA = re.compile(r"<((?:\w+:)?)sheetData\s*/>|<((?:\w+:)?)sheetData\b[^>]*>(.*?)</(?:\w+:)?sheetData>", re.S)
_DIMENSION = re.compile(r'(<(?:\w+:)?dimension\s+ref=")([^"]*)(")')
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_COL = re.compile(r"<(?:\w+:)?col\b[^>]*>")
_HEIGHT = re.compile(r'\s(?:ht|customHeight)\s*=\s*"[^"]*"')


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def new_sheet(cols: Sequence[tuple[int, float]] = (), frozen_rows: int = 0) -> str:
    """A worksheet part pyxl creates: optionally column widths and frozen header rows."""
    views = ""
    if frozen_rows:
        top = f"A{frozen_rows + 1}"
        views = (f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{frozen_rows}" topLeftCell="{top}" '
                 f'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')
    col_xml = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in cols)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<dimension ref="A1"/>{views}<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{col_xml}</cols>" if col_xml else "")
            + "<sheetData/></worksheet>")


def column_widths(xml: str) -> list[float | None]:
    """A worksheet part's column widths in characters, column A first, as its ``<cols>`` sets them
    (None: the sheet's default width; 0: hidden)."""
    out: list[float | None] = []
    for m in _COL.finditer(xml[: xml.find("<sheetData") if "<sheetData" in xml else len(xml)]):
        tag = m.group(0)
        lo, hi, width = attr(tag, "min"), attr(tag, "max"), attr(tag, "width")
        if lo is None or hi is None or not lo.isdigit() or not hi.isdigit():
            continue
        hidden = attr(tag, "hidden") in ("1", "true")
        value: float | None = 0.0 if hidden else (float(width) if width else None)
        for col in range(int(lo), min(int(hi), 16384) + 1):
            out.extend([None] * (col - len(out)))
            out[col - 1] = value
    return out


def cell_xml(ref: str, value: Any, style: str | None, prefix: str = "", ncr: bool = False,
             empty_typed: bool = False) -> str | None:
    """One cell as SpreadsheetML; None for an empty value (a styled cell stays, bare). ``ncr``: write
    non-ASCII text as character references, as the part's author did (openpyxl without lxml);
    ``empty_typed``: a styled empty cell as openpyxl writes it (``t="n"`` and an end tag)."""
    xml = _cell_xml(ref, value, style, prefix, empty_typed)
    return xml.encode("ascii", "xmlcharrefreplace").decode("ascii") if ncr and xml is not None else xml


def _cell_xml(ref: str, value: Any, style: str | None, prefix: str, empty_typed: bool = False) -> str | None:
    s = f' s="{style}"' if style is not None else ""
    c = f"{prefix}c"
    if value is None or value == "":
        if style is None:
            return None
        return f'<{c} r="{ref}"{s} t="n"></{c}>' if empty_typed else f'<{c} r="{ref}"{s}/>'
    from .base import Formula

    if isinstance(value, Formula):
        formula = str(value)[1:] if str(value).startswith("=") else str(value)
        cached = getattr(value, "cached", None)
        if isinstance(cached, bool):
            return f'<{c} r="{ref}"{s} t="b"><{prefix}f>{esc_text(formula)}</{prefix}f><{prefix}v>{int(cached)}</{prefix}v></{c}>'
        if isinstance(cached, int | float):
            return f'<{c} r="{ref}"{s}><{prefix}f>{esc_text(formula)}</{prefix}f><{prefix}v>{cached!r}</{prefix}v></{c}>'
        text = "" if cached is None else str(cached)
        return (f'<{c} r="{ref}"{s} t="str"><{prefix}f>{esc_text(formula)}</{prefix}f>'
                f"<{prefix}v>{esc_text(text)}</{prefix}v></{c}>")
    if isinstance(value, bool):
        return f'<{c} r="{ref}"{s} t="b"><{prefix}v>{int(value)}</{prefix}v></{c}>'
    if isinstance(value, int | float):
        return f'<{c} r="{ref}"{s}><{prefix}v>{value!r}</{prefix}v></{c}>'
    if isinstance(value, dt.datetime | dt.date):
        when = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        serial = (when - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<{c} r="{ref}"{s}><{prefix}v>{serial!r}</{prefix}v></{c}>'
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return (f'<{c} r="{ref}"{s} t="inlineStr"><{prefix}is><{prefix}t{space}>{esc_text(text)}'
            f"</{prefix}t></{prefix}is></{c}>")


class SheetCells:
    """A worksheet part's cells, parsed lazily, written back with ``xml()``."""

    def __init__(self, xml: str, *, default_style: str | None = None, styled_from_row: int = 1) -> None:
        """``default_style``: the style of cells this session creates from row ``styled_from_row`` on
        (a sheet pyxl creates itself); any other new cell takes the style of the cell above it, so the
        rows a later run adds look like those an earlier one wrote."""
        self._xml = xml
        self._default_style = default_style
        self._styled_from_row = styled_from_row
        self.prefix = main_prefix(xml, "worksheet")
        # openpyxl always writes an empty sheetData as a start and an end tag, and the empty dimension as
        # "A1:A1"; its sheets are known by the sheet format it writes
        self._openpyxl_style = re.search(r'<sheetFormatPr baseColWidth="8" defaultRowHeight="15"\s*/>',
                                         xml[:4000]) is not None
        self._ncr = re.search(r"&#\d{3,};", xml) is not None
        # a cleared styled cell takes the empty form the part's author wrote (openpyxl: t="n" and an end tag)
        self._empty_typed = self._openpyxl_style or re.search(r'<(?:\w+:)?c r="[A-Z]+\d+" s="\d+" t="n"></', xml) is not None
        m = _SHEETDATA.search(xml)
        if m is None:
            raise ValueError("worksheet without sheetData")
        self._span = m.span()
        self._open = "" if m.group(1) is not None else xml[m.start(): xml.index(">", m.start()) + 1]
        # rows: number → (attributes of <row>, {col: cell xml})
        self.rows: dict[int, tuple[str, dict[int, str]]] = {}
        self.changed = False
        body = m.group(3) or ""
        for rm in _ROW.finditer(body):
            row_attrs = rm.group(1)
            rnum = int(attr(row_attrs, "r") or 0) or (max(self.rows, default=0) + 1)
            cells: dict[int, str] = {}
            col = 0
            for cm in _CELL.finditer(rm.group(2) or ""):
                ref = _REF.search(cm.group(1))
                col = _col(ref.group(1)) if ref else col + 1
                cells[col] = cm.group(0)
            self.rows[rnum] = (row_attrs, cells)

    def _style(self, r: int, c: int) -> str | None:
        cell = self.rows.get(r, ("", {}))[1].get(c)
        if cell is None:
            return None
        m = _STYLE.search(cell.split(">", 1)[0])
        return m.group(1) if m else None

    def _new_style(self, r: int, c: int) -> str | None:
        if self._default_style is not None:
            return self._default_style if r >= self._styled_from_row else None
        return self._style(r - 1, c) if r > 1 and c in self.rows.get(r - 1, ("", {}))[1] else None

    def _set(self, r: int, c: int, value: Any) -> None:
        old = self.rows.get(r, ("", {}))[1].get(c)
        style = self._style(r, c) if old is not None else (self._new_style(r, c) if value not in (None, "") else None)
        new = cell_xml(a1(r - 1, c - 1), value, style, self.prefix, self._ncr, self._empty_typed)
        if new == old or (new is None and old is None):
            return
        self.changed = True
        cells = self.rows.setdefault(r, (f' r="{r}"', {}))[1]
        if new is None:
            cells.pop(c, None)
        else:
            cells[c] = new

    def set_height(self, r: int, height: float | None) -> None:
        """Row ``r``'s height in points (``customHeight``), or back to the default height (None).
        Only a row that holds cells is written, so only those get a height."""
        if r not in self.rows:
            return
        row_attrs, cells = self.rows[r]
        new = _HEIGHT.sub("", row_attrs)
        if height is not None:
            # after r, spans, s and customFormat, where Excel writes them (CT_Row's order)
            at = re.search(r'\s(?:hidden|outlineLevel|collapsed|thickTop|thickBot|ph|[\w.-]+:[\w.-]+)\s*=', new)
            pos = at.start() if at else len(new)
            new = new[:pos] + f' ht="{height:g}" customHeight="1"' + new[pos:]
        if new != row_attrs:
            self.rows[r] = (new, cells)
            self.changed = True

    def write(self, top_left: tuple[int, int], values: Sequence[Sequence[Any]]) -> None:
        r0, c0 = top_left
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                self._set(r0 + i, c0 + j, value)

    def clear(self, top_left: tuple[int, int], shape: tuple[int, int]) -> None:
        r0, c0 = top_left
        rows, cols = shape
        for r in [r for r in self.rows if r0 <= r < r0 + rows]:
            for c in [c for c in self.rows[r][1] if c0 <= c < c0 + cols]:
                self._set(r, c, None)

    def xml(self) -> str:
        if not self.changed:
            return self._xml
        p = self.prefix
        parts = []
        rmin = cmin = 10**9
        rmax = cmax = 0
        for r in sorted(self.rows):
            row_attrs, cells = self.rows[r]
            if not cells:
                continue
            if attr(row_attrs, "spans") is not None:
                row_attrs = re.sub(r'\sspans="[^"]*"', f' spans="{min(cells)}:{max(cells)}"', row_attrs)
            parts.append(f"<{p}row{row_attrs}>" + "".join(cells[c] for c in sorted(cells)) + f"</{p}row>")
            rmin, rmax = min(rmin, r), max(rmax, r)
            cmin, cmax = min(cmin, min(cells)), max(cmax, max(cells))
        if parts:
            open_tag = self._open or f"<{p}sheetData>"
            data = open_tag + "".join(parts) + f"</{p}sheetData>"
            dim = f"{a1(rmin - 1, cmin - 1)}:{a1(rmax - 1, cmax - 1)}"
        else:
            data = f"<{p}sheetData></{p}sheetData>" if self._openpyxl_style else f"<{p}sheetData/>"
            dim = "A1:A1" if self._openpyxl_style else "A1"
        if not self._openpyxl_style and parts and rmin == rmax and cmin == cmax:
            dim = dim.split(":")[0]
        start, end = self._span
        xml = self._xml[:start] + data + self._xml[end:]
        return _DIMENSION.sub(lambda m: m.group(1) + esc_attr(dim) + m.group(3), xml, count=1)
