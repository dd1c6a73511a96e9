"""The 校验 / 清除标记 buttons: entry points Excel calls through xlwings.

Desktop Excel (Windows, macOS) — a button's VBA macro runs::

    RunPython "import pyxl.excel; pyxl.excel.validate()"

and ``validate()`` picks up the calling workbook with ``xw.Book.caller()``.

xlwings Lite — ``macros/xlwings_lite/main.py`` has ``@script`` functions that
await ``validate_async(book)`` / ``clear_async(book)``: Lite can only read a
note's text asynchronously, so those fetch the texts first and then run exactly
the same steps.

Both run the orchestrator in ``pyxl.workbook`` over an ``XlwingsBackend``, the
same steps ``pyxl validate`` runs over a file, so the button and the CLI flag the
same cells with the same rules. The counts land in 校验结果!A2 (message boxes do
not exist in every Excel client).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..backends.xlwings_backend import XlwingsBackend, fetch_note_texts
from ..core.config import Config, load_config
from ..core.errors import UserError
from ..layouts.template_spec import RESULTS_SHEET
from ..workbook import Report, clear_marks, validate_book

__all__ = ["MESSAGE_CELL", "clear", "clear_async", "rollup", "validate", "validate_async"]

MESSAGE_CELL = (2, 1)  # 校验结果!A2: the summary line the orchestrator writes; errors go there too


def _caller(book: Any) -> Any:
    if book is not None:
        return book
    import xlwings as xw  # only a live Excel session needs it

    return xw.Book.caller()


def _report_failure(backend: XlwingsBackend, what: str, exc: UserError) -> None:
    """Say why the run stopped where the user looks for the result, then let the error propagate."""
    try:
        backend.ensure_sheet(RESULTS_SHEET)
        backend.write_block(RESULTS_SHEET, MESSAGE_CELL, [[f"{what}未完成：{exc.zh}"]])
    except Exception:  # the workbook may be protected or gone; the error itself still reaches the user
        pass


def _validate(
    backend: XlwingsBackend, name: str | None, config: Config | None, as_of: dt.date | None
) -> Report:
    try:
        backend.check_notes_readable()
        return validate_book(backend, config=config or load_config(), as_of=as_of, file=name, mark=True)
    except UserError as exc:
        _report_failure(backend, "校验", exc)
        raise


def _clear(backend: XlwingsBackend) -> None:
    try:
        backend.check_notes_readable()
        clear_marks(backend)
    except UserError as exc:
        _report_failure(backend, "清除标记", exc)
        raise


def validate(book: Any = None, *, config: Config | None = None, as_of: dt.date | None = None) -> Report:
    """校验 the workbook (default: the one whose button called): flag cells, write notes and 校验结果."""
    book = _caller(book)
    return _validate(XlwingsBackend(book), book.name, config, as_of)


def clear(book: Any = None) -> None:
    """清除标记: remove every highlight and note pyxl made; the user's own notes stay as they were."""
    _clear(XlwingsBackend(_caller(book)))


async def validate_async(
    book: Any, *, config: Config | None = None, as_of: dt.date | None = None
) -> Report:
    """``validate`` for xlwings Lite, where note texts have to be awaited."""
    backend = XlwingsBackend(book, note_texts=await fetch_note_texts(book))
    return _validate(backend, book.name, config, as_of)


async def clear_async(book: Any) -> None:
    """``clear`` for xlwings Lite."""
    _clear(XlwingsBackend(book, note_texts=await fetch_note_texts(book)))


# The 汇总 button of the summary workbook lives in its own module.
from .rollup_button import rollup  # noqa: E402
