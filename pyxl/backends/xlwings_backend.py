"""A live workbook through xlwings: desktop Excel (Windows COM, macOS) or xlwings Lite.

Calls per validate stay at O(sheets) + notes whatever the engine: a sheet is read
with one bulk ``range.value`` over its used range, a block is written with one
``range.value = rows``, emptied with one ``clear_contents()``; only notes are
touched cell by cell.

xlwings Lite (the "remote" engine) differs from the desktop in one way that
matters here: the workbook payload says *which* cells carry a note but not what
they say, and a note's text can only be awaited. So the Lite entry point fetches
the texts first (``fetch_note_texts``) and hands them to the backend; the desktop
engines read them synchronously.

xlwings itself is never imported here: the backend only calls methods on the
``xw.Book`` it is given, so importing pyxl costs nothing where xlwings is absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..core.errors import UserError
from .base import Formula, Grid, is_risky_text

__all__ = ["NoteTextUnavailable", "XlwingsBackend", "cell_value", "fetch_note_texts", "is_remote"]

# Text Excel would turn into a number, date, percentage or boolean when it is
# written through ``range.value`` (as if typed): a leading apostrophe keeps it text.
_COERCIBLE = re.compile(r"^\s*[-+(.$¥￥]?\s*\d|^\s*(true|false)\s*$", re.IGNORECASE)


class NoteTextUnavailable(UserError):
    """xlwings Lite cannot read a note's text synchronously; use the async entry point."""


def is_remote(book: Any) -> bool:
    """True for xlwings Lite / ``xw.Book(json=...)``: the remote engine, whose api is a plain dict."""
    return isinstance(getattr(book, "api", None), dict)


def cell_value(value: Any) -> Any:
    """What to hand ``range.value`` so the cell ends up holding ``value`` as pyxl means it.

    A Formula is written as a formula; any other text that Excel would parse
    (=…, +…, 001, 2026-01-01, TRUE) gets the apostrophe prefix, exactly as a user
    would type it, so it stays the text it is.
    """
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        if is_risky_text(value) or _COERCIBLE.match(value):
            return "'" + value
        return str(value)
    return value


def _address(address: str) -> str:
    """'Sheet1'!$B$3 / $B$3 / b3 → B3."""
    return address.rsplit("!", 1)[-1].replace("$", "").upper()


def _remote_note_cells(sheet: Any) -> list[str]:
    # The Lite payload lists note addresses; Note.location is async there, but the
    # note's range is known locally.
    return [_address(note.impl.range.address) for note in sheet.notes]


async def fetch_note_texts(book: Any, sheets: Sequence[str] | None = None) -> dict[str, dict[str, str]]:
    """Await the text of every note (xlwings Lite): sheet → A1 → text.

    One client read per note, done before anything is written so no queued
    action has to be flushed in between.
    """
    texts: dict[str, dict[str, str]] = {}
    for sheet in book.sheets:
        if sheets is not None and sheet.name not in sheets:
            continue
        try:
            notes = list(sheet.notes)
        except NotImplementedError:  # Excel without ExcelApi 1.18 has no notes
            continue
        found: dict[str, str] = {}
        for note in notes:
            cell = _address(note.impl.range.address)
            text = await note.get_text()
            found[cell] = text or ""
        texts[sheet.name] = found
    return texts


class XlwingsBackend:
    """Backend over an ``xw.Book``. ``note_texts`` (sheet → A1 → text) is needed on the remote engine."""

    def __init__(self, book: Any, note_texts: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.book = book
        self.remote = is_remote(book)
        self._note_texts = {s: dict(t) for s, t in note_texts.items()} if note_texts is not None else None
        self._names: list[str] | None = None
        self._grids: dict[str, Grid] = {}
        self._notes: dict[str, dict[str, str]] = {}
        self.notes_supported = True
        self.skipped_notes: list[tuple[str, str]] = []  # cells Excel refused a note for

    # ------------------------------------------------------------ reading

    def _sheet(self, name: str) -> Any:
        return self.book.sheets[name]

    def sheet_names(self) -> list[str]:
        if self._names is None:
            self._names = [s.name for s in self.book.sheets]
        return list(self._names)

    def read_values(self, sheet: str) -> Grid:
        if sheet not in self._grids:
            sh = self._sheet(sheet)
            last = sh.used_range.last_cell
            # from A1, as the protocol promises: a used range may start further in
            block = sh.range((1, 1), (last.row, last.column)).options(ndim=2).value
            self._grids[sheet] = [list(row) for row in block]
        return self._grids[sheet]

    # ------------------------------------------------------------ writing

    def write_block(self, sheet: str, top_left: tuple[int, int], values: Sequence[Sequence[Any]]) -> None:
        rows = [[cell_value(v) for v in row] for row in values]
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [None] * (width - len(r)) for r in rows]
        self._sheet(sheet).range(top_left).value = rows

    def clear_block(self, sheet: str, top_left: tuple[int, int], shape: tuple[int, int]) -> None:
        r0, c0 = top_left
        rows, cols = shape
        if rows <= 0 or cols <= 0:
            return
        self._sheet(sheet).range((r0, c0), (r0 + rows - 1, c0 + cols - 1)).clear_contents()

    def ensure_sheet(self, sheet: str) -> None:
        names = self.sheet_names()
        if sheet in names:
            return
        sheets = self.book.sheets
        sheets.add(name=sheet, after=sheets[len(names) - 1])
        self._names = [*names, sheet]

    # ------------------------------------------------------------ notes

    def check_notes_readable(self) -> None:
        """Fail before anything is written if a note's text will be needed but cannot be read."""
        if self.remote and self._note_texts is None:
            for name in self.sheet_names():
                self.notes(name)

    def notes(self, sheet: str) -> dict[str, str]:
        if sheet not in self._notes:
            self._notes[sheet] = self._read_notes(sheet)
        return dict(self._notes[sheet])

    def _read_notes(self, sheet: str) -> dict[str, str]:
        sh = self._sheet(sheet)
        if self.remote:
            try:
                cells = _remote_note_cells(sh)
            except NotImplementedError:
                self.notes_supported = False
                return {}
            if not cells:
                return {}
            known = (self._note_texts or {}).get(sheet)
            missing = [c for c in cells if known is None or c not in known]
            if missing:
                raise NoteTextUnavailable(
                    f"工作表“{sheet}”的批注内容需要异步读取：在 xlwings Lite 中请运行 main.py 里的“校验”脚本"
                    "（它调用 pyxl.excel.validate_async）",
                    f"note texts on sheet {sheet!r} must be fetched asynchronously in xlwings Lite: "
                    "use pyxl.excel.validate_async / clear_async",
                )
            return {c: known[c] for c in cells}  # type: ignore[index]
        return {_address(n.location.address): n.text or "" for n in sh.notes}

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        if not self.notes_supported:
            return
        current = self.notes(sheet)
        rng = self._sheet(sheet).range(cell)
        if text is None:
            if cell in current:
                rng.note.delete()
                del self._notes[sheet][cell]
            return
        if cell in current:
            # xlwings refuses to add a note where one exists; changing the text keeps
            # the note's box as the user sized it and costs one call instead of two
            rng.note.text = text
        else:
            try:
                rng.add_note(text)
            except NotImplementedError:  # Lite on an Excel without note support
                self.notes_supported = False
                return
            except Exception:
                if self.remote:
                    raise
                # Desktop Excel refuses a note on a cell holding a threaded comment (COM
                # error). The cell keeps its colour and its 校验结果 row; only the note is lost.
                self.skipped_notes.append((sheet, cell))
                return
        self._notes[sheet][cell] = text
