"""Is it safe to start worker processes from here? (the `spawn` start method and unguarded scripts)

Under ``spawn`` (the default on Windows and macOS) and ``forkserver``, each worker process
re-runs the main script before it takes work. A script that calls ``pyxl.rollup(..., jobs=2)``
at its top level, not under ``if __name__ == "__main__":``, would have every worker start a
rollup of its own (Python stops them with tracebacks, and the summary comes out empty). This
module recognises that case so that rollup can read the files in this process instead.
"""

from __future__ import annotations

import ast
import sys
from types import FrameType
from typing import Any

__all__ = ["unguarded_main_script"]


def _is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    consts = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and consts == ["__main__"]


def _guarded_lines(source: str) -> list[tuple[int, int]]:
    spans = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If) and _is_main_guard(node.test) and node.body:
            spans.append((node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno))
    return spans


def _main_module_frame(frame: FrameType | None, main_globals: dict[str, Any]) -> FrameType | None:
    while frame is not None:
        if frame.f_globals is main_globals and frame.f_code.co_name == "<module>":
            return frame
        frame = frame.f_back
    return None


def unguarded_main_script() -> str | None:
    """The main script's path if worker processes started now would run this very call again, else None."""
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=False) == "fork":
        return None  # forked workers do not re-run the script
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None:
        return None  # interactive, `python -c`, notebooks: nothing is re-run
    spec_name = getattr(getattr(main, "__spec__", None), "name", "") or ""
    if spec_name.endswith("__main__"):
        return None  # `python -m package`: multiprocessing does not re-run a package's __main__
    frame = _main_module_frame(sys._getframe(1), vars(main))
    if frame is None:
        return None  # called from a thread or a callback, not while the script's top level runs
    try:
        with open(path, encoding="utf-8") as fh:
            spans = _guarded_lines(fh.read())
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None  # cannot tell: leave it to multiprocessing's own error
    line = frame.f_lineno
    return None if any(a <= line <= b for a, b in spans) else path
