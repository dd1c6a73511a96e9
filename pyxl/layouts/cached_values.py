"""Cached values for formula cells of a workbook openpyxl wrote.

openpyxl writes a formula with an empty value (``<f>…</f><v/>`` or ``<v></v>``); Excel and LibreOffice
recalculate on load (the workbook asks for it), but readers that take what the file holds —
python-calamine in validate and rollup, pandas, the web page — see nothing. Where Python computes
what a formula will show (the 自评 得分, 总分, 等级), the writer records it on the workbook
(:func:`remember`) and :func:`write_cached` puts it into the saved package as the cell's value.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

__all__ = ["remember", "write_cached"]

_ATTR = "_pyxl_cached"
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
# a formula cell as openpyxl writes it (formula text is XML-escaped, so it holds no "<")
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)</c>')


def remember(wb: Any, sheet: str, ref: str, value: Any) -> None:
    """Record the value the formula in ``sheet!ref`` computes (a number or text; None: nothing)."""
    if value is None:
        return
    cache: dict[str, dict[str, Any]] = wb.__dict__.setdefault(_ATTR, {})
    cache.setdefault(sheet, {})[ref] = value


def cached_of(wb: Any) -> dict[str, dict[str, Any]]:
    return wb.__dict__.get(_ATTR, {})


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part's path in the package."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    out = {}
    for s in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(s.get(f"{{{_NS['r']}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[s.get("name", "")] = path
    return out


def _fill(xml: str, values: dict[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        ref, attrs, formula = m.group(1), m.group(2), m.group(3)
        if ref not in values:
            return m.group(0)
        v = values[ref]
        attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
        if isinstance(v, bool):
            return f'<c r="{ref}"{attrs} t="b"><f>{formula}</f><v>{int(v)}</v></c>'
        if isinstance(v, int | float):
            return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{float(v)!r}</v></c>'
        return f'<c r="{ref}"{attrs} t="str"><f>{formula}</f><v>{escape(str(v))}</v></c>'

    return _CELL.sub(sub, xml)


def write_cached(path: str | Path, cached: dict[str, dict[str, Any]]) -> None:
    """Rewrite the package at ``path`` with the cached values put into its formula cells."""
    if not cached:
        return
    path = Path(path)
    with zipfile.ZipFile(path) as src:
        parts = _sheet_parts(src)
        wanted = {parts[s]: v for s, v in cached.items() if s in parts}
        fd, tmp_name = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
        tmp = Path(tmp_name)
        try:
            with open(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as out:
                for info in src.infolist():
                    data = src.read(info.filename)
                    if info.filename in wanted:
                        data = _fill(data.decode("utf-8"), wanted[info.filename]).encode("utf-8")
                    out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            shutil.move(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
