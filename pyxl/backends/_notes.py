"""A sheet's notes (legacy comments) and their VML shapes, edited in place.

A note pyxl adds to a cell the user already annotated is appended to that note as
one more run of rich text; clearing drops that run, so the user's note comes back
byte for byte. A note on a cell without one is a new ``<comment>`` at the end of
the list and a new shape at the end of the sheet's VML drawing (the user's own
drawing when the sheet has one: buttons and notes share it). Shapes are numbered
inside the drawing's own block of 1024 ids (``o:idmap``), a block no other
drawing of the workbook uses (ISO/IEC 29500-1 §14.2.2.14; a shared block makes
Excel repair the file). Cells that carry a threaded comment are left alone: the
legacy note there is Excel's placeholder for the thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._ooxml import attr, esc_text, unesc_text

__all__ = ["Comments", "Vml", "new_comments", "new_vml", "used_blocks"]

AUTHOR = "pyxl"
_RPR = '<rPr><sz val="9"/><color indexed="81"/><rFont val="宋体"/><family val="3"/><charset val="134"/></rPr>'
_COMMENT = re.compile(r"<(?:\w+:)?comment\b([^>]*)>(.*?)</(?:\w+:)?comment>", re.S)
_TEXT = re.compile(r"(<(?:\w+:)?text\b[^>]*>)(.*?)(</(?:\w+:)?text>)", re.S)
_ITEM = re.compile(r"<((?:\w+:)?)(t|r|rPh|phoneticPr)\b[^>]*?(?:/>|>.*?</\1\2>)", re.S)
_T = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_AUTHOR = re.compile(r"<(?:\w+:)?author\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?author>)", re.S)


def new_comments() -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<authors></authors><commentList></commentList></comments>")


def _run(text: str) -> str:
    return f'<r>{_RPR}<t xml:space="preserve">{esc_text(text)}</t></r>'


@dataclass
class _Note:
    ref: str
    head: str  # '<comment …>' up to and including the <text> open tag
    items: list[tuple[str, str]]  # (raw <t>/<r> element, its text) in order
    tail_items: str  # rPh / phoneticPr, kept after the runs
    tail: str  # '</text>…</comment>'

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.items)

    def xml(self) -> str:
        return self.head + "".join(raw for raw, _ in self.items) + self.tail_items + self.tail


def _parse(raw_attrs: str, body: str, whole: str) -> _Note:
    ref = attr(raw_attrs, "ref") or ""
    tm = _TEXT.search(body)
    if tm is None:
        return _Note(ref, whole, [], "", "")
    start = whole.index(tm.group(1), len(raw_attrs))
    head = whole[: start + len(tm.group(1))]
    tail = whole[start + len(tm.group(1)) + len(tm.group(2)):]
    items: list[tuple[str, str]] = []
    extra = ""
    for m in _ITEM.finditer(tm.group(2)):
        kind = m.group(2)
        if kind in ("t", "r"):
            text = "".join(unesc_text(t.group(1) or "") for t in _T.finditer(m.group(0)))
            items.append((m.group(0), text))
        else:
            extra += m.group(0)
    return _Note(ref, head, items, extra, tail)


@dataclass
class Comments:
    """A comments part: its authors and notes; ``xml()`` writes it back, untouched notes as they were."""

    source: str
    notes: list[_Note] = field(default_factory=list)
    changed: bool = False

    def __post_init__(self) -> None:
        m = re.search(r"<(?:\w+:)?commentList\b[^>]*?(/?)>", self.source)
        if m is None:
            raise ValueError("comments part without commentList")
        self._self_closed = bool(m.group(1))
        self._before = self.source[: m.start()] if self._self_closed else self.source[: m.end()]
        if self._self_closed:
            body, self._after = "", self.source[m.end():]
        else:
            close = re.compile(r"</(?:\w+:)?commentList>").search(self.source, m.end())
            if close is None:
                raise ValueError("unclosed commentList")
            body, self._after = self.source[m.end(): close.start()], self.source[close.start():]
        self._list_tag = m.group(0)
        for cm in _COMMENT.finditer(body):
            self.notes.append(_parse(cm.group(1), cm.group(2), cm.group(0)))

    def texts(self) -> dict[str, str]:
        return {n.ref: n.text for n in self.notes}

    def _author_id(self) -> int:
        authors = re.search(r"<(?:\w+:)?authors\b[^>]*?(/?)>", self._before)
        names = [unesc_text(m.group(1) or "") for m in _AUTHOR.finditer(self._before)]
        if AUTHOR in names:
            return names.index(AUTHOR)
        element = f"<author>{AUTHOR}</author>"
        if authors is None:  # pragma: no cover - the schema requires <authors>
            raise ValueError("comments part without authors")
        if authors.group(1):
            tag = authors.group(0)
            name = re.match(r"<([\w:]+)", tag).group(1)  # type: ignore[union-attr]
            self._before = self._before.replace(tag, f"{tag[:-2].rstrip()}>{element}</{name}>", 1)
        else:
            close = re.compile(r"</(?:\w+:)?authors>").search(self._before, authors.end())
            assert close is not None
            self._before = self._before[: close.start()] + element + self._before[close.start():]
        return len(names)

    def set(self, ref: str, text: str | None) -> bool:
        """Set or delete one note; True when the note is new or gone (its shape must follow)."""
        note = next((n for n in self.notes if n.ref == ref), None)
        if note is None:
            if text is None:
                return False
            aid = self._author_id()
            self.notes.append(_Note(ref, f'<comment ref="{ref}" authorId="{aid}"><text>', [(_run(text), text)],
                                    "", "</text></comment>"))
            self.changed = True
            return True
        if text is None:
            self.notes.remove(note)
            self._drop_author()
            self.changed = True
            return True
        if text == note.text:
            return False
        kept: list[tuple[str, str]] = []
        done = ""
        for raw, t in note.items:
            if text.startswith(done + t):
                kept.append((raw, t))
                done += t
            else:
                break
        if done != text:
            kept.append((_run(text[len(done):]), text[len(done):]))
        note.items = kept
        self.changed = True
        return False

    def _drop_author(self) -> None:
        """Remove pyxl's author once no note uses it, if it is the last one (as validate added it)."""
        names = [unesc_text(m.group(1) or "") for m in _AUTHOR.finditer(self._before)]
        if not names or names[-1] != AUTHOR:
            return
        aid = str(len(names) - 1)
        if any(attr(n.head, "authorId") == aid for n in self.notes):
            return
        last = list(_AUTHOR.finditer(self._before))[-1]
        self._before = self._before[: last.start()] + self._before[last.end():]

    def xml(self) -> str:
        if not self.changed:
            return self.source
        body = "".join(n.xml() for n in self.notes)
        if self._self_closed:
            if not body:
                return self._before + self._list_tag + self._after
            name = re.match(r"<([\w:]+)", self._list_tag).group(1)  # type: ignore[union-attr]
            return self._before + self._list_tag[:-2].rstrip() + ">" + body + f"</{name}>" + self._after
        return self._before + body + self._after


# ---------------------------------------------------------------- VML

_VML_HEAD = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:x="urn:schemas-microsoft-com:office:excel">')
SHAPETYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
             '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
# Prefix-agnostic: Excel writes v:/o:/x:, openpyxl (ElementTree) writes ns0:/ns1:/… declared on each element.
_P = r"(?:[\w.-]+:)?"
_IDMAP = re.compile(rf"<{_P}idmap\b[^>]*\bdata\s*=\s*[\"']([^\"']*)[\"']")
_SHAPE = re.compile(r"<((?:[\w.-]+:)?)shape\b(?:[^>]*?/>|[^>]*>.*?</\1shape>)", re.S)
_SHAPE_ID = re.compile(r"_x0000_s(\d+)")
_SCAFFOLD = re.compile(rf"<\?xml\b.*?\?>|</?{_P}xml\b[^>]*>|<({_P})(shapelayout|shapetype)\b.*?</\1\2>"
                       rf"|<{_P}(?:shapelayout|shapetype)\b[^>]*/>|<!--.*?-->", re.S)
_NS = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
       "x": "urn:schemas-microsoft-com:office:excel"}
_DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items())


def _root_declares_prefixes(vml: str) -> bool:
    """True when the drawing's root binds v:, o: and x: to the VML namespaces (Excel's drawings do)."""
    root = re.search(r"<(?:[\w.-]+:)?xml\b[^>]*>", vml)
    return root is not None and all(re.search(rf'\bxmlns:{k}\s*=\s*["\']{re.escape(v)}["\']', root.group(0))
                                    for k, v in _NS.items())


def _self_declared(element: str) -> str:
    """The element with v:/o:/x: declared on itself, for a drawing whose root does not declare them."""
    m = re.match(r"<([\w:]+)", element)
    assert m is not None
    return element[: m.end()] + " " + _DECLS + element[m.end():]


def new_vml(block: int) -> str:
    return (f'{_VML_HEAD}<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
            f"{SHAPETYPE}</xml>")


def used_blocks(vml: str) -> set[int]:
    out: set[int] = set()
    for m in _IDMAP.finditer(vml):
        for piece in m.group(1).split(","):
            if piece.strip().isdigit():
                out.add(int(piece))
    return out


def _shape(shape_id: int, row: int, col: int, z: int, size: tuple[int, int] | None = None) -> str:
    """A hidden note box for the 0-based cell (row, col), anchored to its right as Excel places it,
    ``size`` (width, height) in pixels as its text needs (backends.note_size)."""
    top = max(row - 1, 0)
    anchor = f"{col + 1}, 15, {top}, 10, {col + 5}, 15, {top + 8}, 4"
    box = f"width:{size[0]}px;height:{size[1]}px" if size else "width:240pt;height:105pt"
    return (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:0;'
            f'margin-top:0;{box};z-index:{z};visibility:hidden" fillcolor="#ffffe1" '
            'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
            f"<x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
            f"<x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>")


def _note_cell(shape: str) -> tuple[int, int] | None:
    if not re.search(r"ObjectType\s*=\s*[\"']Note[\"']", shape):
        return None
    r = re.search(rf"<{_P}Row\b[^>]*>\s*(\d+)\s*</{_P}Row>", shape)
    c = re.search(rf"<{_P}Column\b[^>]*>\s*(\d+)\s*</{_P}Column>", shape)
    return (int(r.group(1)), int(c.group(1))) if r and c else None


class Vml:
    """A VML drawing part: note shapes added at its end, removed by cell."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.xml = source

    @property
    def changed(self) -> bool:
        return self.xml != self.source

    def blocks(self) -> set[int]:
        return used_blocks(self.xml)

    def has_shapes(self) -> bool:
        """True while the drawing holds anything beyond its root, shape layout and shape types."""
        return "<" in _SCAFFOLD.sub("", self.xml)

    def add(self, cells: list[tuple[int, int]], taken_blocks: set[int],
            sizes: dict[tuple[int, int], tuple[int, int]] | None = None) -> None:
        """Shapes for notes on these 0-based cells, numbered inside this drawing's id block(s), each box
        ``sizes[cell]`` pixels where given."""
        if not cells:
            return
        blocks = sorted(self.blocks())
        ids = {int(m.group(1)) for m in _SHAPE_ID.finditer(self.xml)}
        shapes = []
        local = (lambda e: e) if _root_declares_prefixes(self.xml) else _self_declared
        if "_x0000_t202" not in self.xml:
            shapes.append(local(SHAPETYPE))
        z = sum(1 for _ in _SHAPE.finditer(self.xml))
        for row, col in cells:
            sid = next((i for b in blocks for i in range(b * 1024 + 1, b * 1024 + 1024) if i not in ids), None)
            if sid is None:  # every block full: claim one no drawing of the workbook uses
                block = next(n for n in range(1, 10**6) if n not in taken_blocks and n not in blocks)
                taken_blocks.add(block)
                blocks.append(block)
                self.xml = _IDMAP.sub(lambda m: m.group(0).replace(m.group(1), ",".join(map(str, blocks))),
                                      self.xml, count=1)
                sid = block * 1024 + 1
            ids.add(sid)
            z += 1
            shapes.append(local(_shape(sid, row, col, z, (sizes or {}).get((row, col)))))
        close = self.xml.rfind("</xml>")
        self.xml = self.xml[:close] + "".join(shapes) + self.xml[close:]

    def remove(self, cells: set[tuple[int, int]]) -> None:
        if not cells:
            return
        out = []
        pos = 0
        for m in _SHAPE.finditer(self.xml):
            if _note_cell(m.group(0)) in cells:
                out.append(self.xml[pos: m.start()])
                pos = m.end()
        out.append(self.xml[pos:])
        self.xml = "".join(out)
        if "#_x0000_t202" not in self.xml:  # the shape type came with pyxl's first note
            for own in (SHAPETYPE, _self_declared(SHAPETYPE)):
                if own in self.xml:
                    self.xml = self.xml.replace(own, "", 1)
                    break
