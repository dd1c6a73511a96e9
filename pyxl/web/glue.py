"""What the page's worker calls inside Pyodide: bytes in, the CLI's report and bytes out.

Only the public API is used (``pyxl.api.validate``, ``pyxl.consolidate.rollup``), on
files in the in-memory file system, so the page marks workbooks exactly as ``pyxl
validate`` does with whatever backend validate uses. Runs on CPython too (the tests
call it directly).

Every answer is a JSON text (plus bytes): ``{"ok": true, ...}`` or ``{"ok": false,
"rule", "message", "detail"}`` — a file that cannot be used is an answer, not a crash,
and the page carries on with the next one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["checked_name", "rollup", "validate", "warm_up"]

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_EXTENSIONS = (".xlsx", ".xlsm")


def _safe_name(name: str | None, default: str = "工作簿.xlsx") -> str:
    name = _UNSAFE.sub("_", (name or "").strip().split("/")[-1].split("\\")[-1]).strip(". ") or default
    return name[-120:]


def checked_name(name: str) -> str:
    """The name the checked copy is saved as: 部门.xlsx → 部门-校验.xlsx (always .xlsx: no macros in copies)."""
    stem = Path(_safe_name(name)).stem
    return f"{stem}-校验.xlsx"


def warm_up(example: Any = None) -> None:
    """Import what validating a file runs (the API, the safety checks, the package writer, the reader,
    every rule module) while the page loads, so that the first file does not pay for it; with
    ``example`` (a workbook's bytes) also validate it once, which warms what imports cannot
    (caches, compiled patterns). openpyxl and xlsxwriter stay out: validate needs them only
    without python-calamine, 汇总 only when it writes the summary."""
    from ..api import validate as _validate  # noqa: F401
    from ..backends import package_parts, package_writer, safety  # noqa: F401
    from ..backends.readers import available_reader
    from ..core.config import load_config
    from ..core.model import Department
    from ..rules import run_rules

    if available_reader() == "calamine":
        import python_calamine  # noqa: F401
    run_rules(Department(), load_config())  # imports the rule modules
    if example is not None:
        validate(example, "示例.xlsx")


def _date(as_of: str | None) -> dt.date | None:
    if not as_of:
        return None
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError:
        from ..core.errors import UserError

        raise UserError(f"评估日期应写成 YYYY-MM-DD，如 2026-10-31（收到 {as_of}）",
                        f"the as-of date must be YYYY-MM-DD, got {as_of!r}") from None


def _failure(exc: BaseException) -> dict[str, Any]:
    from ..core.errors import UserError

    if isinstance(exc, UserError):
        return {"ok": False, "rule": getattr(exc, "rule", None) or "file-unreadable", "message": exc.zh,
                "detail": exc.en}
    if isinstance(exc, MemoryError):
        return {"ok": False, "rule": "file-unreadable", "message": "文件过大，浏览器内存不足，无法处理",
                "detail": "out of memory"}
    return {"ok": False, "rule": "file-unreadable",
            "message": "处理该文件时出错，文件可能已损坏或不是标准的工作簿；其他文件不受影响",
            "detail": f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"}


def _as_bytes(data: Any) -> bytes:
    """Bytes from Python, or from JavaScript (a Uint8Array arrives in Pyodide as a JsBuffer)."""
    to_bytes = getattr(data, "to_bytes", None)
    return to_bytes() if callable(to_bytes) else bytes(data)


def _suffix_ok(name: str) -> bool:
    return Path(name).suffix.lower() in _EXTENSIONS


def _unsupported(name: str) -> dict[str, Any]:
    suffix = Path(name).suffix.lower() or "（无扩展名）"
    return {"ok": False, "rule": "file-unreadable",
            "message": f"{name}：不支持 {suffix} 文件，请选择 Excel 工作簿（.xlsx 或 .xlsm）；.xls 请先用 Excel/WPS 另存为 .xlsx",
            "detail": f"{name}: unsupported file type {suffix}; choose an .xlsx or .xlsm workbook"}


def validate(data: Any, name: str | None = None, as_of: str | None = None) -> tuple[str, bytes | None]:
    """Validate one workbook given as bytes: (JSON answer, the checked workbook's bytes or None).

    The answer's ``report`` is the CLI's JSON report (``pyxl validate --json``)."""
    from ..api import validate as api_validate

    name = _safe_name(name)
    if not _suffix_ok(name):
        return json.dumps(_unsupported(name), ensure_ascii=False), None
    work = Path(tempfile.mkdtemp(prefix="pyxl-"))
    try:
        src = work / name
        src.write_bytes(_as_bytes(data))
        out = work / "out" / checked_name(name)
        out.parent.mkdir()
        report = api_validate(src, out=out, as_of=_date(as_of))
        answer = {"ok": True, "report": report.to_dict(), "name": out.name, "exit_code": report.exit_code}
        return json.dumps(answer, ensure_ascii=False), out.read_bytes()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return json.dumps(_failure(exc), ensure_ascii=False), None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def rollup(files: Any, as_of: str | None = None,
           progress: Callable[[int, int, str], Any] | None = None) -> tuple[str, bytes | None]:
    """汇总 over workbooks given as (name, bytes): (JSON answer, the summary workbook's bytes or None).

    The answer's ``summary`` is what ``pyxl rollup --json`` writes. Files that cannot be
    used are listed in it; the others still go through. No pandas: the summary is
    written from the rollup's own rows. ``progress(done, total, name)``, when given, is called
    as each file is started (``done`` files finished so far) and once the files are all read."""
    from ..consolidate import rollup as do_rollup

    work = Path(tempfile.mkdtemp(prefix="pyxl-rollup-"))
    try:
        inbox = work / "收件箱"
        inbox.mkdir()
        used: set[str] = set()
        for i, (name, data) in enumerate(files, start=1):
            safe = _safe_name(name)
            if safe.lower() in used:  # two files of the same name from different folders
                safe = f"{Path(safe).stem}（{i}）{Path(safe).suffix}"
            used.add(safe.lower())
            (inbox / safe).write_bytes(_as_bytes(data))
        when = _date(as_of)
        seen = [0]  # the files the rollup reads (a file it cannot even list is not one of them)

        def started(done: int, total: int, name: str) -> None:
            seen[0] = total
            if progress is not None:
                progress(done, total, name)

        result = do_rollup([inbox], as_of=when, root=inbox, progress=False, on_file=started)
        if progress is not None:
            progress(seen[0], seen[0], "")
        try:
            if result.exit_code == 2:
                answer = {"ok": False, "rule": "file-unreadable", "message": "没有可汇总的文件：所选文件都无法读取",
                          "detail": "no file could be read", "summary": result.to_dict()}
                return json.dumps(answer, ensure_ascii=False, default=str), None
            out = work / "汇总.xlsx"
            result.write(out)
            answer = {"ok": True, "summary": result.to_dict(), "name": out.name, "exit_code": result.exit_code}
            return json.dumps(answer, ensure_ascii=False, default=str), out.read_bytes()
        finally:
            result.close()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return json.dumps(_failure(exc), ensure_ascii=False), None
    finally:
        shutil.rmtree(work, ignore_errors=True)
