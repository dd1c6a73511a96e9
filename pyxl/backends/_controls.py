"""Controls bound to the workbook's own macros, taken out of a copy that leaves the VBA project behind.

A copy of an ``.xlsm`` is written as ``.xlsx`` without its VBA project (macros never go into a copy).
A button there would still call ``[0]!PyxlValidate``, which no longer exists, and Excel answers a click
with an error. So in the copy:

- a form-control button (VML ``ObjectType="Button"``) whose macro is the workbook's own goes, in each
  place Excel keeps it: its VML shape, the sheet's ``<control>`` (Excel 2010+), its ``ctrlProp`` part
  and relationship, and its DrawingML twin (``a14:compatExt spid``); a part left with nothing goes
  too, with its relationship, its ``legacyDrawing``/``drawing`` element and its content type;
- any other control or shape bound to such a macro (a check box with a linked cell, a picture) stays,
  unbound (its ``FmlaMacro``, ``macro`` attributes emptied): it keeps its own job and no longer errs;
- a macro of another workbook (``[1]!Macro``, ``'Other.xlsm'!Macro``) is left as it is.

Every other part, and every other byte of the parts edited, stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import _ooxml as ox
from ._notes import Vml

__all__ = ["Package", "is_own_macro", "strip_macro_controls"]

REL_CTRL_PROP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/ctrlProp"
_REL_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_P = r"(?:[\w.-]+:)?"
_VML_SHAPE = re.compile(r"<((?:[\w.-]+:)?)shape\b(?:[^>]*?/>|[^>]*>.*?</\1shape>)", re.S)
_VML_ID = re.compile(r'\bid\s*=\s*["\']_x0000_s(\d+)["\']')
_FMLA_MACRO = re.compile(rf"<({_P})FmlaMacro\b[^>]*>(.*?)</\1FmlaMacro>", re.S)
_OBJECT_TYPE = re.compile(r"ObjectType\s*=\s*[\"'](\w+)[\"']")
_MACRO_ATTR = re.compile(r'(\smacro\s*=\s*")([^"]*)(")')


@dataclass
class Package:
    """What the stripping needs of the package writer: the parts as text, and deleting one (with its
    content type)."""

    text: Callable[[str], str]
    set_text: Callable[[str, str], None]
    delete: Callable[[str], None]
    exists: Callable[[str], bool]


def is_own_macro(reference: str, book: str) -> bool:
    """True when a control's macro reference names a macro of this workbook (``[0]!Name``, ``Name``,
    ``Module1.Name``, ``'this book.xlsm'!Name``), which lives in its VBA project."""
    ref = ox.unesc_text(reference).strip()
    if not ref:
        return False
    m = re.match(r"^\[(\d+)\]!", ref)
    if m:
        return m.group(1) == "0"
    m = re.match(r"^'?(.*?)'?!", ref)
    if m:
        return m.group(1).rsplit("]", 1)[-1].casefold() == book.casefold()
    return True


def strip_macro_controls(pkg: Package, sheet_parts: list[str], book: str) -> None:
    """Take out of each sheet the controls bound to this workbook's macros (see the module docstring)."""
    for part in sheet_parts:
        _strip_sheet(pkg, part, book)


def _strip_sheet(pkg: Package, part: str, book: str) -> None:
    rels_name = ox.rels_path(part)
    rels_xml = pkg.text(rels_name) if pkg.exists(rels_name) else ""
    rels = ox.part_rels(rels_xml)
    if not rels:
        return
    targets = {r.id: ox.resolve(part, r.target) for r in rels if not r.external}
    gone: set[int] = set()  # shape ids of the buttons taken out
    unbound: set[int] = set()  # shape ids of controls kept without their macro
    for rel in rels:
        if rel.type.endswith("/vmlDrawing") and pkg.exists(targets.get(rel.id, "")):
            _strip_vml(pkg, targets[rel.id], book, gone, unbound)
    if not gone and not unbound and not any(r.type == _REL_DRAWING for r in rels):
        return
    sheet = pkg.text(part)
    drop_rels: set[str] = set()
    sheet = _strip_sheet_controls(sheet, book, gone, drop_rels)
    for rel in rels:
        target = targets.get(rel.id)
        if target is None or not pkg.exists(target):
            continue
        if rel.id in drop_rels and rel.type == REL_CTRL_PROP:
            if sum(1 for r in rels if targets.get(r.id) == target) == 1:
                pkg.delete(target)
        elif rel.type == _REL_DRAWING and _strip_drawing(pkg, target, book, gone):
            drop_rels.add(rel.id)
            sheet = _drop_element(sheet, "drawing", rel.id)
        elif rel.type.endswith("/vmlDrawing") and not Vml(pkg.text(target)).has_shapes():
            drop_rels.add(rel.id)
            pkg.delete(target)
            sheet = _drop_element(sheet, "legacyDrawing", rel.id)
    pkg.set_text(part, sheet)
    for rid in drop_rels:
        rels_xml = ox.remove_rel(rels_xml, rid)
    if drop_rels:
        if ox.part_rels(rels_xml):
            pkg.set_text(rels_name, rels_xml)
        else:
            pkg.delete(rels_name)


def _strip_vml(pkg: Package, vml_part: str, book: str, gone: set[int], unbound: set[int]) -> None:
    xml = pkg.text(vml_part)
    out, pos = [], 0
    for m in _VML_SHAPE.finditer(xml):
        shape = m.group(0)
        macro = _FMLA_MACRO.search(shape)
        if macro is None or not is_own_macro(macro.group(2), book):
            continue
        sid = _VML_ID.search(shape)
        kind = _OBJECT_TYPE.search(shape)
        out.append(xml[pos: m.start()])
        if kind is not None and kind.group(1) == "Button":
            if sid:
                gone.add(int(sid.group(1)))
        else:
            if sid:
                unbound.add(int(sid.group(1)))
            out.append(shape[: macro.start()] + shape[macro.end():])
        pos = m.end()
    if pos:
        out.append(xml[pos:])
        pkg.set_text(vml_part, "".join(out))


def _strip_sheet_controls(sheet: str, book: str, gone: set[int], drop_rels: set[str]) -> str:
    """The sheet's ``<controls>`` without the buttons that go (and without the wrapper left empty); the
    macro of any other control bound to this workbook emptied. ``drop_rels`` gets the ctrlProp ids."""
    m = re.search(rf"<({_P})controls\b", sheet)
    if m is None:
        return sheet
    start, end = m.start(), ox.element_end(sheet, m.start())
    inner_start = sheet.index(">", start) + 1
    inner_end = sheet.rindex("<", start, end)
    out, pos, kept = [], inner_start, 0
    for unit in ox.children(sheet, inner_start, inner_end):
        text = sheet[unit.start: unit.end]
        out.append(sheet[pos: unit.start])
        pos = unit.end
        sid = re.search(r'\bshapeId\s*=\s*"(\d+)"', text)
        if sid and int(sid.group(1)) in gone:
            rid = re.search(r'\b[\w.-]+:id\s*=\s*"([^"]+)"', text)
            if rid:
                drop_rels.add(rid.group(1))
            continue
        out.append(_unbind(text, book))
        kept += 1
    if kept:
        return sheet[:inner_start] + "".join(out) + sheet[pos:]
    # no control left: the <controls> goes, with the mc:AlternateContent that holds only it
    root = re.search(r"<(?:\w+:)?worksheet\b[^>]*>", sheet)
    assert root is not None
    for top in ox.children(sheet, root.end(), sheet.rfind("</")):
        if top.start <= start and end <= top.end:
            if top.name == "AlternateContent":
                return sheet[: top.start] + sheet[top.end:]
            break
    return sheet[:start] + sheet[end:]


def _unbind(xml: str, book: str) -> str:
    return _MACRO_ATTR.sub(lambda m: m.group(1) + m.group(3) if is_own_macro(m.group(2), book) else m.group(0), xml)


def _strip_drawing(pkg: Package, part: str, book: str, gone: set[int]) -> bool:
    """Take the DrawingML twins of the buttons that go out of a drawing part, empty the macro of any other
    shape bound to this workbook; True when the part was left with nothing and was deleted."""
    xml = pkg.text(part)
    root = re.search(r"<(?:\w+:)?wsDr\b[^>]*>", xml)
    if root is None:
        return False
    units = ox.children(xml, root.end(), xml.rfind("</"))
    out, pos, kept = [], 0, 0
    for unit in units:
        text = xml[unit.start: unit.end]
        spid = re.search(r'\bspid\s*=\s*"_x0000_s(\d+)"', text)
        out.append(xml[pos: unit.start])
        if spid and int(spid.group(1)) in gone:
            pass  # the button's DrawingML twin
        else:
            out.append(_unbind(text, book))
            kept += 1
        pos = unit.end
    out.append(xml[pos:])
    new = "".join(out)
    if not kept and units:
        pkg.delete(part)
        rels = ox.rels_path(part)
        if pkg.exists(rels):
            pkg.delete(rels)
        return True
    if new != xml:
        pkg.set_text(part, new)
    return False


def _drop_element(sheet: str, name: str, rid: str) -> str:
    return re.sub(rf'<(?:\w+:)?{name}\b[^>]*?:id="{re.escape(rid)}"[^>]*/>', "", sheet, count=1)
