"""A workbook file read in bulk, after pyxl.backends.safety has checked it.

Values come from a values reader chosen at run time (pyxl.backends.readers:
python-calamine, or openpyxl where calamine is missing, as in the browser page).
Opening a file runs pyxl.backends.safety.check_workbook first: no parser ever sees a file
that is not a zip package within the limits, that
declares XML entities, or whose sheets are larger than allowed. Any failure of
the parser on the bytes it is given becomes a one-line WorkbookError
(file-unreadable), never a traceback. Backends that write (the package writer,
openpyxl) build on this reader.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import WorkbookError
from .base import Grid
from .readers import ValuesReader, open_reader
from .safety import Limits, check_grid, check_workbook, error_cells, refuse

__all__ = ["FileReader", "open_error", "parser_failed"]


def open_error(path: Path, exc: BaseException) -> WorkbookError:
    """Why a file could not be opened, in words a finance officer can act on."""
    head = b""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        pass
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        zh = "文件是旧版 .xls 格式或已加密（设置了打开密码），请用 Excel 另存为不加密的 .xlsx"
        en = "legacy .xls or password-encrypted workbook; save it as an unencrypted .xlsx"
    elif not head.startswith(b"PK"):
        zh, en = "不是 Excel 工作簿（.xlsx）文件", "not an Excel workbook (.xlsx)"
    else:
        detail = " ".join(str(exc).split())[:160]  # parser messages can span lines; the reason is one line
        zh = f"工作簿已损坏，无法读取（{type(exc).__name__}）"
        en = f"corrupt workbook ({type(exc).__name__}: {detail})"
    return WorkbookError(f"{path.name}：{zh}", f"{path.name}: {en}", rule="file-unreadable")


def parser_failed(path: Path, exc: BaseException) -> WorkbookError:
    """A parser choked on bytes that passed the safety checks: the file is damaged inside."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc
    if isinstance(exc, WorkbookError):
        return exc
    if isinstance(exc, MemoryError):
        return refuse(path, "工作簿过大，内存不足，无法读取",
                      "workbook too large to read in the available memory")
    return open_error(path, exc)


class FileReader:
    """Reading half of a file backend: sheet names, values and merged ranges."""

    def __init__(self, path: str | Path, *, limits: Limits | None = None) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise WorkbookError(f"找不到文件：{self.path}", f"file not found: {self.path}",
                                rule="file-unreadable")
        if not self.path.is_file():
            raise WorkbookError(f"不是文件：{self.path}", f"not a file: {self.path}", rule="file-unreadable")
        self.limits = limits or Limits.from_config()
        self.inspection = check_workbook(self.path, self.limits)
        self._values: ValuesReader | None = None
        self._grids: dict[str, Grid] = {}

    # ------------------------------------------------------------ reading

    def _reader(self) -> ValuesReader:
        if self._values is None:
            try:
                self._values = open_reader(self.path)  # calamine, or openpyxl where it is missing (Pyodide)
            except BaseException as exc:  # parsers' errors, and pyo3 PanicException (a BaseException)
                raise parser_failed(self.path, exc) from None
        return self._values

    def sheet_names(self) -> list[str]:
        return self._reader().sheet_names()

    def read_values(self, sheet: str) -> Grid:
        if sheet not in self._grids:
            try:
                grid = self._reader().grid(sheet)
            except BaseException as exc:
                raise parser_failed(self.path, exc) from None
            check_grid(self.path, sheet, grid, self.limits)
            self._restore_errors(sheet, grid)
            self._grids[sheet] = grid
        return self._grids[sheet]

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Merged ranges as (first row, first col, last row, last col), 0-based inclusive.

        Optional in the Backend protocol: the form reader needs them because a merged
        cell's value sits in its top-left cell only.
        """
        try:
            return self._reader().merged(sheet)
        except BaseException as exc:
            raise parser_failed(self.path, exc) from None

    def _restore_errors(self, sheet: str, grid: Grid) -> None:
        """Cells Excel shows as #DIV/0!, #REF!… read as that text, not as empty (calamine drops them)."""
        area = next((a for a in self.inspection.sheets if a.sheet == sheet), None)
        if area is None or not area.has_errors:
            return
        for r, c, text in error_cells(self.path, area.part):
            while len(grid) <= r:
                grid.append([])
            row = grid[r]
            if len(row) <= c:
                row.extend([""] * (c + 1 - len(row)))
            if row[c] in ("", None):
                row[c] = text
