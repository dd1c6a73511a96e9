"""Drive the real xlwings API through its remote engine (the one xlwings Lite uses), without Excel.

``LiveWorkbook`` stands in for the Excel side:

- it holds what Excel would hold (cell values, notes with their text, sheets,
  defined names), loaded from a workbook file;
- ``payload()`` is the Office.js-style JSON the Lite client hands Python
  (values of every sheet from A1 to its used range, names, which cells carry a
  note — not the notes' text, which Lite only gives on request);
- ``apply(actions)`` carries out the actions xlwings queued (``book.json()``)
  the way Excel would: a text written as ``'text`` stays text, a string starting
  with ``=`` becomes a formula, adding a note where one exists fails;
- ``lite_client`` answers the client reads xlwings Lite makes (``getNoteText``),
  installed the way xlwings' own tests emulate Pyodide.

So a test can click 校验 twice, then 清除标记, and look at the workbook after each.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["NOTE_FUNCS", "LiteClient", "LiveWorkbook", "install_lite_client", "note_actions"]

NOTE_FUNCS = frozenset({"addNote", "deleteNote", "setNoteText"})
_HYPERLINK = re.compile(r'^=HYPERLINK\("#(.+?)","(.*)"\)$')
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _a1(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _cell(address: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", address.rsplit("!", 1)[-1].upper())
    assert m, f"not a cell address: {address!r}"
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _key(address: str) -> str:
    return address.rsplit("!", 1)[-1].replace("$", "").upper()


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)  # (row, col) 1-based → value
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # A1 → text
    visibility: str = "Visible"

    def extent(self) -> tuple[int, int]:
        used = [rc for rc, v in self.cells.items() if v not in (None, "")]
        if not used:
            return 0, 0
        return max(r for r, _ in used), max(c for _, c in used)

    def grid(self) -> list[list[Any]]:
        rows, cols = self.extent()
        return [[self.cells.get((r, c)) for c in range(1, cols + 1)] for r in range(1, rows + 1)]


def _json_value(v: Any) -> Any:
    """A cell value as the Office.js client sends it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return f"{v.isoformat()}T00:00:00.000Z"
    return v


@dataclass
class LiveWorkbook:
    name: str
    sheets: list[Sheet]
    names: list[tuple[str, str]]  # (name, refers_to without "=")
    applied: list[dict[str, Any]] = field(default_factory=list)
    # formulas other than pyxl's HYPERLINKs that a test expects (e.g. the summary's SUBTOTAL totals);
    # kept in ``formulas``, their cells hold no value (nothing here calculates)
    allowed_formulas: re.Pattern[str] | None = None

    # ------------------------------------------------------------ loading

    @classmethod
    def from_file(cls, path: str | Path) -> LiveWorkbook:
        import openpyxl

        path = Path(path)
        wb = openpyxl.load_workbook(path, data_only=True)  # what Excel shows: cached results
        states = {"visible": "Visible", "hidden": "Hidden", "veryHidden": "VeryHidden"}
        sheets = []
        for ws in wb.worksheets:
            sheet = Sheet(ws.title, visibility=states[ws.sheet_state])
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        sheet.cells[(c.row, c.column)] = c.value
                    if c.comment is not None:
                        sheet.notes[c.coordinate] = c.comment.text
            sheets.append(sheet)
        names = [(n, d.attr_text) for n, d in wb.defined_names.items()]
        return cls(path.name, sheets, names)

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    # ------------------------------------------------------------ the payload

    def payload(self, *, notes_supported: bool = True) -> dict[str, Any]:
        """``notes_supported=False``: an Excel older than ExcelApi 1.18, which has no notes API."""
        import xlwings as xw

        sheets = []
        for s in self.sheets:
            rows, cols = s.extent()
            grid = [[_json_value(v) for v in row] for row in s.grid()] or [[]]
            sheets.append({
                "name": s.name,
                "values": grid,
                "used_range_address": f"A1:{_a1(rows, cols)}" if rows else None,
                "visibility": s.visibility,
                "notes": [{"address": "$" + "$".join(re.match(r"([A-Z]+)(\d+)", a).groups())}  # type: ignore[union-attr]
                          for a in sorted(s.notes)],
                "notes_supported": notes_supported,
                "pictures": [], "shapes": [], "charts": [], "tables": [], "pivot_tables": [],
                "show_gridlines": True, "print_area": None,
            })
        index = {s.name: i for i, s in enumerate(self.sheets)}
        names = []
        for name, ref in self.names:
            m = re.fullmatch(r"'?(.+?)'?!(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)", ref)
            names.append({
                "name": name,
                "sheet_index": index.get(m.group(1)) if m else None,
                "address": m.group(2).replace("$", "") if m else None,
                "refers_to": f"={ref}",
                "scope_sheet_name": None,
                "scope_sheet_index": None,
                "book_scope": True,
            })
        return {
            "client": "Office.js",
            "version": xw.__version__,
            "book": {"name": self.name, "active_sheet_index": 0, "selection": "A1"},
            "names": names,
            "sheets": sheets,
        }

    def book(self, **kwargs: Any) -> Any:
        import xlwings as xw

        return xw.Book(json=self.payload(**kwargs))

    # ------------------------------------------------------------ Excel carrying out actions

    def apply(self, actions: Iterable[dict[str, Any]]) -> None:
        for action in actions:
            self._apply(action)
            self.applied.append(action)

    def _apply(self, a: dict[str, Any]) -> None:
        func = a["func"]
        if func == "addSheet":
            ix, name = a["args"]
            assert name not in {s.name for s in self.sheets}, f"sheet {name} exists"
            self.sheets.insert(ix, Sheet(name))
            return
        sheet = self.sheets[a["sheet_position"]]
        if func == "setValues":
            r0, c0 = a["start_row"] + 1, a["start_column"] + 1
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    self._set(sheet, (r0 + i, c0 + j), v)
        elif func == "rangeClearContents":
            r0, c0 = a["start_row"] + 1, a["start_column"] + 1
            for r in range(r0, r0 + a["row_count"]):
                for c in range(c0, c0 + a["column_count"]):
                    sheet.cells.pop((r, c), None)
                    sheet.formulas.pop((r, c), None)
        elif func == "addNote":
            address, text = a["args"]
            assert _key(address) not in sheet.notes, f"Excel refuses: {sheet.name}!{address} has a note"
            sheet.notes[_key(address)] = text
        elif func == "setNoteText":
            address, text = a["args"]
            assert _key(address) in sheet.notes, f"no note at {sheet.name}!{address}"
            sheet.notes[_key(address)] = text
        elif func == "deleteNote":
            (address,) = a["args"]
            assert _key(address) in sheet.notes, f"no note at {sheet.name}!{address}"
            del sheet.notes[_key(address)]
        else:
            raise AssertionError(f"unexpected action {func}")

    def _set(self, sheet: Sheet, rc: tuple[int, int], v: Any) -> None:
        """As Excel takes a value assigned to a cell: '… is text, =… a formula, digits a number."""
        sheet.formulas.pop(rc, None)
        if v in ("", None):
            sheet.cells.pop(rc, None)
            return
        if isinstance(v, str):
            if v.startswith("'"):
                sheet.cells[rc] = v[1:]
                return
            if v.startswith("=") and self.allowed_formulas is not None and self.allowed_formulas.match(v):
                sheet.formulas[rc] = v
                sheet.cells.pop(rc, None)
                return
            if v.startswith("="):
                m = _HYPERLINK.match(v)
                assert m, f"unexpected formula written to {sheet.name}!{_a1(*rc)}: {v!r}"
                sheet.formulas[rc] = v
                sheet.cells[rc] = m.group(2)  # what the cell shows
                return
            if _NUMBER.match(v):
                sheet.cells[rc] = float(v)
                return
        sheet.cells[rc] = v

    def snapshot(self) -> dict[str, Any]:
        """Everything a user could see, for before/after comparisons."""
        return {
            s.name: {"cells": dict(s.cells), "formulas": dict(s.formulas), "notes": dict(s.notes)}
            for s in self.sheets
        }


def note_actions(actions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in actions if a["func"] in NOTE_FUNCS]


# ---------------------------------------------------------------- the Lite client (Pyodide side)


class LiteClient:
    """What ``js.xlwings`` answers in xlwings Lite, for the reads pyxl makes."""

    def __init__(self, live: LiveWorkbook) -> None:
        self.live = live
        self.reads: list[tuple[str, ...]] = []

    async def getNoteText(self, sheet: str, address: str) -> str | None:  # the JS client's name
        self.reads.append(("getNoteText", sheet, address))
        return self.live.sheet(sheet).notes.get(_key(address))

    async def runActions(self, actions: Any) -> None:
        raise AssertionError("pyxl must read everything before it queues a write (no flush mid-run)")


def install_lite_client(monkeypatch: Any, live: LiveWorkbook) -> LiteClient:
    """Make xlwings believe it runs in Pyodide, talking to ``live`` (as xlwings' own tests do)."""
    client = LiteClient(live)
    js = ModuleType("js")
    js.xlwings = client  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "js", js)
    monkeypatch.setattr(sys, "platform", "emscripten")
    return client
