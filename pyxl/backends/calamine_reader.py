"""A workbook file read in bulk with python-calamine, after pyxl.safety has checked it.

Calamine reads what Excel last showed (cached formula results) about ten times
faster than openpyxl. Opening a file runs pyxl.safety.check_workbook first:
calamine never sees a file that is not a zip package within the limits, that
declares XML entities, or whose sheets are larger than allowed. Any failure of
the parser on the bytes it is given becomes a one-line WorkbookError
(file-unreadable), never a traceback. Backends that write (the package writer,
openpyxl) build on this reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import WorkbookError
from ..safety import Limits, check_grid, check_workbook, error_cells, refuse
from .base import Grid

__all__ = ["CalamineReader", "open_error", "parser_failed"]


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


class CalamineReader:
    """Reading half of a file backend: sheet names, values and merged ranges through calamine."""

    def __init__(self, path: str | Path, *, limits: Limits | None = None) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise WorkbookError(f"找不到文件：{self.path}", f"file not found: {self.path}",
                                rule="file-unreadable")
        if not self.path.is_file():
            raise WorkbookError(f"不是文件：{self.path}", f"not a file: {self.path}", rule="file-unreadable")
        self.limits = limits or Limits.from_config()
        self.inspection = check_workbook(self.path, self.limits)
        self._calamine: Any = None
        self._grids: dict[str, Grid] = {}
        self._sheets: dict[str, Any] = {}  # parsed once: read_values and merged_ranges both need a sheet

    # ------------------------------------------------------------ reading

    def _reader(self) -> Any:
        if self._calamine is None:
            import python_calamine

            try:
                self._calamine = python_calamine.CalamineWorkbook.from_path(str(self.path))
            except BaseException as exc:  # calamine's errors, and pyo3 PanicException (a BaseException)
                raise parser_failed(self.path, exc) from None
        return self._calamine

    def _calamine_sheet(self, sheet: str) -> Any:
        if sheet not in self._sheets:
            self._sheets[sheet] = self._reader().get_sheet_by_name(sheet)
        return self._sheets[sheet]

    def sheet_names(self) -> list[str]:
        return list(self._reader().sheet_names)

    def read_values(self, sheet: str) -> Grid:
        if sheet not in self._grids:
            try:
                grid = self._calamine_sheet(sheet).to_python(skip_empty_area=False)
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
            ranges = self._calamine_sheet(sheet).merged_cell_ranges or []
        except BaseException as exc:
            raise parser_failed(self.path, exc) from None
        return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]

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
