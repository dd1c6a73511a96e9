"""What each command may write, in one table: output names are checked before any work.

A file is written under a name that says what it is: xlsx bytes never go out as ``t.xls``
or ``h.csv`` (pyxl, and Excel, would then refuse the file). A command that writes another
kind of file (``.xlsm`` once the macro-enabled writer is there) adds its suffix here.
"""

from __future__ import annotations

import os
from pathlib import Path

from .core.errors import UserError

__all__ = ["OUTPUT_SUFFIXES", "check_not_input", "check_output"]

# command (or option) → the suffixes it writes; validate/clear list .xlsm so that a copy of a
# macro workbook gets the specific refusal (input VBA is never carried into a new file)
OUTPUT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "template": (".xlsx", ".xlsm"),  # .xlsm: with the VBA project and the 校验 buttons
    "fill": (".xlsx", ".xlsm"),
    "validate": (".xlsx", ".xlsm"),
    "clear": (".xlsx", ".xlsm"),
    "import": (".yaml", ".yml", ".json", ".xlsx"),
    "rollup": (".xlsx", ".xlsm"),  # .xlsm: with the 汇总 button
    "json": (".json",),  # every --json report
}


def check_output(command: str, path: str | os.PathLike[str], option: str = "-o") -> None:
    """Refuse (UserError) an output name whose suffix ``command`` does not write."""
    allowed = OUTPUT_SUFFIXES[command]
    suffix = Path(path).suffix.lower()
    if suffix in allowed:
        return
    names = "、".join(allowed)
    got = suffix or "（无扩展名）"
    raise UserError(
        f"{option} 的输出文件应以 {names} 结尾：{Path(path).name}（{got} 不是 pyxl 写出的格式）",
        f"{option} must name a {', '.join(allowed)} file: {Path(path).name} "
        f"({suffix or 'no extension'} is not what pyxl writes)",
    )


def check_not_input(source: str | os.PathLike[str], out: str | os.PathLike[str]) -> None:
    """Refuse writing a copy over its own input: that is --in-place, said explicitly."""
    a, b = Path(source), Path(out)
    same = os.path.abspath(a) == os.path.abspath(b)
    if not same and a.exists() and b.exists():
        try:
            same = os.path.samefile(a, b)
        except OSError:
            same = False
    if same:
        raise UserError(
            f"-o 指向输入文件本身（{a.name}）；要直接标记原文件，请用 --in-place",
            f"-o names the input file itself ({a.name}); to mark the file itself use --in-place",
        )
