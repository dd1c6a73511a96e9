"""Small text-level edits of OOXML parts that keep every byte they do not change.

The package writer never re-serialises a part it does not own: it inserts or
removes whole elements as text at the place the schema orders them, so the rest
of the part (the user's formatting, unknown extensions, whitespace) stays as the
author's program wrote it. Helpers here: escaping (XML and the ``_xHHHH_`` form
OOXML uses for control characters), the top-level children of a part, the
schema order of a worksheet's children, relationship parts and content types.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

__all__ = [
    "CT_COMMENTS",
    "CT_VML",
    "CT_WORKSHEET",
    "REL_COMMENTS",
    "REL_NS",
    "REL_THREADED",
    "REL_VML",
    "REL_WORKSHEET",
    "SHEET_ORDER",
    "Rel",
    "add_override",
    "add_rel",
    "attr",
    "children",
    "element_end",
    "esc_attr",
    "esc_text",
    "insert_child",
    "main_prefix",
    "part_rels",
    "rels_path",
    "remove_override",
    "remove_rel",
    "resolve",
    "unesc_text",
]

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_BASE = REL_NS + "/"
REL_WORKSHEET = _REL_BASE + "worksheet"
REL_COMMENTS = _REL_BASE + "comments"
REL_VML = _REL_BASE + "vmlDrawing"
REL_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"

# CT_Worksheet's children in schema order (ISO/IEC 29500-1 §18.3.1.99)
SHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
    "extLst",
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _ooxml_escape(m: re.Match[str]) -> str:
    s = m.group(0)
    if len(s) == 1:
        return f"_x{ord(s):04X}_"
    return "_x005F" + s[1:]  # a literal "_x0041_" in text must not read back as "A"


def esc_text(text: str) -> str:
    """Text for an element's content (``<t>``, ``<f>``): XML escapes plus OOXML's ``_xHHHH_``."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(_ooxml_escape, text)


def esc_attr(text: str) -> str:
    return esc_text(text).replace('"', "&quot;")


def unesc_text(raw: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), html.unescape(raw))


def attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\s{re.escape(name)}\s*=\s*(?:"([^"]*)"|\'([^\']*)\')', tag)
    if m is None:
        return None
    return html.unescape(m.group(1) if m.group(1) is not None else m.group(2))


def main_prefix(xml: str, root: str) -> str:
    """'x:' when the part writes its elements with a prefix (``<x:worksheet>``), else ''."""
    m = re.search(rf"<(\w+:)?{root}[\s>]", xml)
    return m.group(1) or "" if m else ""


_TAG = re.compile(r"<(/?)([\w.:-]+)([^>]*?)(/?)>|<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>", re.S)


@dataclass(frozen=True)
class Child:
    name: str  # local name
    start: int
    end: int


def children(xml: str, start: int, end: int) -> list[Child]:
    """The elements directly inside ``xml[start:end]`` (the inside of one element).

    A worksheet's ``sheetData`` is skipped in one search: it is most of the part.
    """
    out: list[Child] = []
    depth = 0
    opened = 0
    name = ""
    pos = start
    while True:
        m = _TAG.search(xml, pos, end)
        if m is None:
            return out
        pos = m.end()
        if m.group(2) is None:
            continue
        closing, tag, selfclose = m.group(1), m.group(2), m.group(4)
        local = tag.rsplit(":", 1)[-1]
        if closing:
            depth -= 1
            if depth == 0:
                out.append(Child(name, opened, m.end()))
        elif selfclose:
            if depth == 0:
                out.append(Child(local, m.start(), m.end()))
        else:
            if depth == 0:
                opened, name = m.start(), local
                if local == "sheetData":
                    close = xml.find(f"</{tag}>", pos, end)
                    if close >= 0:
                        out.append(Child(name, opened, close + len(tag) + 3))
                        pos = close + len(tag) + 3
                        continue
            depth += 1


def _root_span(xml: str, root: str) -> tuple[int, int]:
    m = re.search(rf"<(?:\w+:)?{root}\b[^>]*>", xml)
    if m is None:
        raise ValueError(f"no <{root}> element")
    close = xml.rfind("</")
    return m.end(), close


def insert_child(xml: str, root: str, order: tuple[str, ...], name: str, element: str) -> str:
    """Insert ``element`` (whose local name is ``name``) among the root's children at its schema
    place: after every child that comes before it or is the same, before the first that comes after."""
    start, end = _root_span(xml, root)
    rank = order.index(name)
    later = set(order[rank + 1:])
    kids = children(xml, start, end)
    # a child the schema does not list (an extension) stays where it is, before extLst
    for kid in kids:
        if kid.name in later:
            return xml[: kid.start] + element + xml[kid.start:]
    return xml[:end] + element + xml[end:]


# ---------------------------------------------------------------- relationships


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str
    external: bool


_REL = re.compile(r"<(?:\w+:)?Relationship\b[^>]*?/?>")


def rels_path(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source_part: str, target: str) -> str:
    """A relationship target as a part name (no leading slash)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def part_rels(xml: str | None) -> list[Rel]:
    if not xml:
        return []
    out = []
    for m in _REL.finditer(xml):
        tag = m.group(0)
        out.append(Rel(attr(tag, "Id") or "", attr(tag, "Type") or "", attr(tag, "Target") or "",
                       attr(tag, "TargetMode") == "External"))
    return out


EMPTY_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              "</Relationships>")


def add_rel(xml: str | None, rel_type: str, target: str) -> tuple[str, str]:
    """(new rels part, the new relationship's id): an id no relationship of the part uses yet."""
    xml = xml or EMPTY_RELS
    used = {r.id for r in part_rels(xml)}
    n = 1
    while f"rId{n}" in used:
        n += 1
    rid = f"rId{n}"
    element = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{esc_attr(target)}"/>'
    if re.search(r"<(?:\w+:)?Relationships\b[^>]*/>", xml):  # an empty self-closed root
        xml = re.sub(r"<((?:\w+:)?Relationships\b[^>]*?)\s*/>",
                     lambda m: f"<{m.group(1)}>{element}</{m.group(1).split()[0]}>", xml, count=1)
        return xml, rid
    close = xml.rfind("</")
    return xml[:close] + element + xml[close:], rid


def remove_rel(xml: str, rid: str) -> str:
    for m in _REL.finditer(xml):
        if attr(m.group(0), "Id") == rid:
            return xml[: m.start()] + xml[m.end():]
    return xml


def add_override(xml: str, part: str, content_type: str) -> str:
    if f'PartName="/{part}"' in xml:
        return xml
    element = f'<Override PartName="/{esc_attr(part)}" ContentType="{content_type}"/>'
    close = xml.rfind("</")
    return xml[:close] + element + xml[close:]


def remove_override(xml: str, part: str) -> str:
    m = re.search(rf'<Override\s+PartName="/{re.escape(esc_attr(part))}"[^>]*/>', xml)
    return xml if m is None else xml[: m.start()] + xml[m.end():]


def has_default(xml: str, extension: str) -> bool:
    return re.search(rf'<Default\s[^>]*Extension="{re.escape(extension)}"', xml, re.I) is not None


def element_end(xml: str, start: int) -> int:
    """The end of the element whose start tag begins at ``start`` (nested elements of the same name counted)."""
    m = _TAG.match(xml, start)
    if m is None or m.group(2) is None:
        raise ValueError(f"no element at {start}")
    if m.group(4):
        return m.end()
    name, depth = m.group(2), 1
    for t in _TAG.finditer(xml, m.end()):
        if t.group(2) != name or t.group(4):
            continue
        depth += -1 if t.group(1) else 1
        if depth == 0:
            return t.end()
    raise ValueError(f"<{name}> not closed")
