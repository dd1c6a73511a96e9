"""A workbook file: values read in bulk with python-calamine, marks written with openpyxl.

Calamine reads what Excel last showed (cached formula results) about ten times faster
than openpyxl; openpyxl is loaded only when something is to be written. Where
python-calamine is missing (the browser page), values are read through openpyxl
instead, with the same grids (see pyxl.backends.readers).

Opening a file runs pyxl.backends.safety.check_workbook first: neither parser sees a file
that is not a zip package within the limits, that declares XML entities, or whose
sheets are larger than allowed. Any failure of a parser on the bytes it is given
becomes a one-line WorkbookError (file-unreadable), never a traceback.

Macros: a workbook's VBA project is never run. It is not loaded unless the file is
rewritten in place (``keep_vba``), where it is kept byte for byte so that the
user's buttons survive; a copy written elsewhere never carries it (see save).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.atomic import write_atomic
from ..core.errors import WorkbookError
from .base import is_risky_text
from .file_reader import FileReader, open_error, parser_failed
from .note_size import note_box
from .package_parts import WEBEXTENSION_TASKPANES_REL, WEBEXTENSIONS, carry_parts
from .safety import Limits, ensure_defusedxml

__all__ = ["VBA_OUTPUT_REFUSED", "OpenpyxlBackend", "install_status_mirror", "open_error"]

NOTE_AUTHOR = "pyxl"


def _join_notes(text: str, redirected: list[str]) -> str:
    extra = [t for t in redirected if t not in text]
    return "\n\n".join([text, *extra]) if text else "\n\n".join(extra)


VBA_OUTPUT_REFUSED = (
    "pyxl 不写出带宏的副本（.xlsm）：输入中的宏不会被带到任何输出中；请用 -o 指定 .xlsx 文件，"
    "或用 --in-place 直接标记原文件（原文件的宏原样保留）",
    "pyxl does not write macro-enabled copies (.xlsm): input macros are never carried into outputs; "
    "use -o with an .xlsx name, or --in-place to mark the file itself (its own macros are kept as they are)",
)


class OpenpyxlBackend(FileReader):
    def __init__(self, path: str | Path, *, limits: Limits | None = None, keep_vba: bool = False) -> None:
        super().__init__(path, limits=limits)
        self._wb: Any = None
        self._redirected: dict[tuple[str, str], list[str]] = {}
        # only an in-place rewrite keeps the file's own VBA project (as opaque bytes, never run)
        self.keep_vba = keep_vba and self.inspection.has_vba

    # ------------------------------------------------------------ reading (openpyxl's view once loaded)

    def sheet_names(self) -> list[str]:
        if self._wb is not None:
            return list(self._wb.sheetnames)
        return super().sheet_names()

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        if self._wb is not None:
            return [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                    for m in self._wb[sheet].merged_cells.ranges]
        return super().merged_ranges(sheet)

    # ------------------------------------------------------------ writing

    @property
    def book(self) -> Any:
        if self._wb is None:
            import openpyxl

            ensure_defusedxml()
            try:
                self._wb = openpyxl.load_workbook(self.path, keep_vba=self.keep_vba, rich_text=False)
            except BaseException as exc:  # openpyxl raises whatever its XML mapping trips over
                raise parser_failed(self.path, exc) from None
        return self._wb

    def write_block(self, sheet: str, top_left: tuple[int, int], values: Sequence[Sequence[Any]]) -> None:
        ws = self.book[sheet]
        r0, c0 = top_left
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                cell = ws.cell(row=r0 + i, column=c0 + j)
                cell.value = value
                if is_risky_text(value):
                    cell.data_type = "s"

    def fit_rows(self, sheet: str, first_row: int, heights: Sequence[float | None]) -> None:
        """Row heights (pt) from ``first_row`` on, so wrapped text shows whole; None: the default height
        (pyxl's own sheets only)."""
        ws = self.book[sheet]
        for i, height in enumerate(heights):
            ws.row_dimensions[first_row + i].height = height

    def clear_block(self, sheet: str, top_left: tuple[int, int], shape: tuple[int, int]) -> None:
        ws = self.book[sheet]
        r0, c0 = top_left
        rows, cols = shape
        # only cells that exist: creating empty cells would grow the file
        for (r, c), cell in list(ws._cells.items()):
            if r0 <= r < r0 + rows and c0 <= c < c0 + cols:
                cell.value = None

    def notes(self, sheet: str) -> dict[str, str]:
        ws = self.book[sheet]
        return {cell.coordinate: cell.comment.text for cell in ws._cells.values() if cell.comment is not None}

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        from openpyxl.cell.cell import MergedCell
        from openpyxl.comments import Comment

        ws = self.book[sheet]
        c = ws[cell]
        if isinstance(c, MergedCell):
            # a cell hidden under a merge cannot hold a note: it goes on the merge's visible cell
            if text is not None:
                self._redirect_note(ws, cell, text)
            return
        if text is not None and (sheet, cell) in self._redirected:
            text = _join_notes(text, self._redirected[(sheet, cell)])
        if text is None:
            c.comment = None
        else:
            author = c.comment.author if c.comment is not None and c.comment.author else NOTE_AUTHOR
            note = Comment(text, author)
            note.width, note.height = note_box(text)  # sized to its text: nothing cut, no empty box
            c.comment = note

    def add_status_mirror(
        self, sheet: str, mirror: str, name: str, shape: tuple[int, int], colours: dict[str, tuple[str, str]]
    ) -> None:
        install_status_mirror(self.book, sheet, mirror, name, shape, colours)

    def _redirect_note(self, ws: Any, cell: str, text: str) -> None:
        anchor = next((r.start_cell.coordinate for r in ws.merged_cells.ranges if cell in r), None)
        if anchor is None:
            return
        parts = self._redirected.setdefault((ws.title, anchor), [])
        if text in parts:
            return  # every cell of a merged block often gets the same finding: one note says it
        parts.append(text)
        current = ws[anchor].comment
        # set_note adds the redirected notes the anchor's text does not hold yet
        self.set_note(ws.title, anchor, current.text if current is not None else "")

    def ensure_sheet(self, sheet: str) -> None:
        if sheet not in self.book.sheetnames:
            self.book.create_sheet(sheet)

    def save(self, path: str | Path | None = None) -> None:
        """Write atomically. A VBA project only ever goes back into the file it came from."""
        target = Path(path) if path is not None else self.path
        in_place = target.resolve() == self.path.resolve()
        if target.suffix.lower() in (".xlsm", ".xltm") and not in_place:
            raise WorkbookError(*VBA_OUTPUT_REFUSED)
        book = self.book
        if book.vba_archive is not None and not in_place:
            raise WorkbookError(*VBA_OUTPUT_REFUSED)
        source = self.path

        def write(tmp: Path) -> None:
            book.save(tmp)
            # xlwings Lite's scripts: parts openpyxl does not model, carried over byte for byte
            carry_parts(source, tmp, WEBEXTENSIONS, (WEBEXTENSION_TASKPANES_REL,))

        write_atomic(target, write)


def install_status_mirror(
    wb: Any, sheet: str, mirror: str, name: str, shape: tuple[int, int], colours: dict[str, tuple[str, str]]
) -> None:
    """A hidden sheet ``mirror`` the size of ``shape`` (rows, cols), reached through the defined
    name ``name``, and one conditional format per status code on ``sheet`` that colours a cell
    when its mirror cell holds the code. The user's own formatting is never touched."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    rows, cols = shape
    if mirror not in wb.sheetnames:
        wb.create_sheet(mirror).sheet_state = "hidden"
    last = get_column_letter(cols)
    from ..core.cells import quote_sheet

    wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheet(mirror)}!$A$1:${last}${rows}")
    ws = wb[sheet]
    for code, (fill, font) in colours.items():
        ws.conditional_formatting.add(
            f"A1:{last}{rows}",
            FormulaRule(
                formula=[f'INDEX({name},ROW(),COLUMN())="{code}"'],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=font),
                stopIfTrue=True,
            ),
        )
