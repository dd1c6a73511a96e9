"""Read the string expressions of the VBA modules under macros/ (ASCII text with ChrW)."""

from __future__ import annotations

import re

__all__ = ["vba_function_text", "vba_string"]


def vba_string(expr: str) -> str:
    """Evaluate a VBA string expression of "literals" and ChrW(&Hxxxx) joined by & (with _ continuations)."""
    expr = re.sub(r"\s*_\r\n\s*", " ", expr)
    out = []
    for literal, code in re.findall(r'"((?:[^"]|"")*)"|ChrW\(&H([0-9A-F]{4})\)', expr):
        out.append(chr(int(code, 16)) if code else literal.replace('""', '"'))
    return "".join(out)


def vba_function_text(source: str, name: str) -> str:
    """The string a one-statement function ``name`` of the module returns."""
    return vba_string(source.split(f"{name} = ", 1)[1].split("\r\nEnd Function", 1)[0])
