"""Add parts to a workbook package, or carry them over from another one, byte for byte.

A small tool for the parts openpyxl does not model but pyxl must not lose: the xlwings
Lite web extension (``xl/webextensions/``, reached from the package's root
relationships). ``rewrite_package`` copies every other entry unchanged (same bytes,
same compression) and adds only the wiring the new parts need: content-type overrides
and a root relationship.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["WEBEXTENSIONS", "WEBEXTENSION_TASKPANES_REL", "carry_parts", "rewrite_package"]

# xlwings Lite (and any Office web add-in) keeps its parts here, reached from the root relationships
WEBEXTENSIONS = "xl/webextensions/"
WEBEXTENSION_TASKPANES_REL = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"


def _codec(data: bytes) -> str:
    """XML parts are UTF-8 or (with a byte-order mark) UTF-16; edits keep the part's own encoding."""
    return "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"


def _with_overrides(content_types: bytes, overrides: Mapping[str, str]) -> bytes:
    codec = _codec(content_types)
    text = content_types.decode(codec)
    for part, ctype in overrides.items():
        if f'PartName="{part}"' in text:
            continue
        text = text.replace("</Types>", f'<Override PartName="{part}" ContentType="{ctype}"/></Types>', 1)
    return text.encode(codec)


def _with_root_rel(rels: bytes, rel_type: str, target: str) -> bytes:
    codec = _codec(rels)
    text = rels.decode(codec)
    if f'Type="{rel_type}"' in text:
        return rels
    used = set(re.findall(r'Id="([^"]+)"', text))
    n = 1
    while f"rId{n}" in used:
        n += 1
    rel = f'<Relationship Id="rId{n}" Type="{rel_type}" Target="{target}"/>'
    return text.replace("</Relationships>", rel + "</Relationships>", 1).encode(codec)


def rewrite_package(
    path: Path,
    parts: Mapping[str, bytes],
    overrides: Mapping[str, str],
    root_rels: Mapping[str, str] | None = None,
) -> None:
    """Rewrite the package at ``path`` with ``parts`` (name → bytes) added or replaced, their
    content types (``overrides``: "/part" → type) and root relationships (type → target)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".parts")
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename in parts:
                    continue
                data = src.read(info)
                if info.filename == "[Content_Types].xml":
                    data = _with_overrides(data, overrides)
                elif info.filename == "_rels/.rels":
                    for rel_type, target in (root_rels or {}).items():
                        data = _with_root_rel(data, rel_type, target)
                dst.writestr(info, data, compress_type=info.compress_type)
            for name, data in parts.items():
                dst.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def carry_parts(source: Path, target: Path, folder: str, rel_types: tuple[str, ...]) -> bool:
    """Copy every part under ``folder`` (e.g. "xl/webextensions/") of ``source`` into
    ``target``, with its content-type overrides and the root relationships of ``rel_types``
    that point into it. True when there was something to copy."""
    with zipfile.ZipFile(source) as z:
        names = [n for n in z.namelist() if n.startswith(folder)]
        if not names:
            return False
        parts = {n: z.read(n) for n in names}
        raw_rels = z.read("_rels/.rels") if "_rels/.rels" in z.namelist() else b""
        raw_types = z.read("[Content_Types].xml")
    rels = raw_rels.decode(_codec(raw_rels), "replace")
    types = raw_types.decode(_codec(raw_types), "replace")
    root_rels = {}
    for rel in re.findall(r"<Relationship [^>]*/>", rels):
        kind = re.search(r'Type="([^"]+)"', rel)
        where = re.search(r'Target="/?([^"]+)"', rel)
        if kind and where and kind.group(1) in rel_types and where.group(1).startswith(folder):
            root_rels[kind.group(1)] = where.group(1)
    overrides = dict(re.findall(rf'<Override PartName="(/{re.escape(folder)}[^"]+)" ContentType="([^"]+)"\s*/>', types))
    rewrite_package(target, parts, overrides, root_rels)
    return True
