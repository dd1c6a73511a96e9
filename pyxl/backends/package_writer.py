"""The package writer: marks written into the workbook package, every other part copied byte for byte.

Reading is :class:`~pyxl.backends.file_reader.FileReader`'s (calamine, or openpyxl where calamine is missing).
Writing edits the zip directly (:mod:`._zippkg`): the parts pyxl owns are the
status mirror sheets, the 校验结果 sheet, the notes it adds (the sheet's comments
part and VML drawing, merged with the user's own notes) and, on a department's
own form, the conditional formats and defined names that colour it. The wiring
those need — ``workbook.xml`` sheets and names, relationships,
``[Content_Types].xml``, a sheet's ``legacyDrawing``, three ``dxf`` styles — is
inserted and removed as whole elements, as text (:mod:`._ooxml`); nothing else
in those parts changes. Every other part (the user's sheets, VBA, buttons,
images, charts, add-in parts) is copied as its raw compressed bytes.

Clearing undoes exactly what validating did: each insertion is removed, so the
wiring parts and the user's notes come back byte for byte.

Macros are never run. A workbook's VBA project stays in the file it came from
(``--in-place``); a copy written elsewhere is an ``.xlsx`` without it, and without the buttons
that called its macros (:mod:`._controls`).

Pure Python (zipfile, zlib, re): the browser page runs the same code in Pyodide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.atomic import write_atomic
from ..core.cells import a1, cell_index, quote_sheet
from ..core.errors import WorkbookError
from . import _controls
from . import _ooxml as ox
from ._controls import strip_macro_controls
from ._notes import Comments, Vml, new_comments, new_vml, used_blocks
from ._sheetcells import SheetCells, column_widths, new_sheet
from ._zippkg import Package
from .file_reader import FileReader
from .note_size import note_box
from .safety import Limits

__all__ = ["PackageBackend"]

_WORKBOOK_ORDER = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets", "functionGroups",
    "externalReferences", "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches",
    "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst",
)
_STYLES_ORDER = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
    "colors", "extLst",
)
_REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_CT_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CT_TYPES = "[Content_Types].xml"
# a <dxfs> pyxl created (the styles part had none) is written with two spaces, so clearing can tell
# it from an empty <dxfs count="0"/> the author wrote, and give either back exactly
_DXFS_CREATED = '<dxfs  count="{}">'
# pyxl's cell style for its own sheets, its attributes in an order no other writer uses, so that clearing
# knows it for pyxl's
_WRAP_XF = ('<{p}xf applyAlignment="1" borderId="0" fillId="0" fontId="0" numFmtId="0" xfId="0">'
            '<{p}alignment vertical="top" wrapText="1"/></{p}xf>')
_OUR_DXF = re.compile(r'<dxf><font><color rgb="FF[0-9A-F]{6}"/></font><fill><patternFill patternType="solid">'
                      r'<fgColor rgb="FF([0-9A-F]{6})"/><bgColor rgb="FF\1"/></patternFill></fill></dxf>')


def _join_notes(text: str, redirected: list[str]) -> str:
    extra = [t for t in redirected if t not in text]
    return "\n\n".join([text, *extra]) if text else "\n\n".join(extra)


class _SheetNotes:
    """One sheet's notes: its comments part and VML drawing, loaded on first use."""

    def __init__(self, pkg: Package, part: str, rels: str | None) -> None:
        self.part = part
        self.comments_part: str | None = None
        self.vml_part: str | None = None
        self.vml_rid: str | None = None
        self.threaded: set[str] = set()
        for rel in ox.part_rels(rels):
            target = ox.resolve(part, rel.target)
            if rel.external or target not in pkg:
                continue
            if rel.type.endswith("/comments"):
                self.comments_part = target
            elif rel.type.endswith("/vmlDrawing"):
                self.vml_part, self.vml_rid = target, rel.id
            elif rel.type == ox.REL_THREADED:
                self.threaded |= set(re.findall(r'<(?:\w+:)?threadedComment\b[^>]*\bref="([A-Z]+\d+)"',
                                                pkg.text(target)))
        self.comments = Comments(pkg.text(self.comments_part)) if self.comments_part else None
        self.vml: Vml | None = None
        self.added: list[tuple[int, int]] = []
        self.sizes: dict[tuple[int, int], tuple[int, int]] = {}  # note boxes sized to their text
        self.removed: set[tuple[int, int]] = set()

    def texts(self) -> dict[str, str]:
        return self.comments.texts() if self.comments else {}

    def set(self, ref: str, text: str | None) -> None:
        if ref in self.threaded:
            return  # a threaded comment's legacy note is Excel's placeholder: not ours to extend
        if self.comments is None:
            if text is None:
                return
            self.comments = Comments(new_comments())
        if self.comments.set(ref, text):
            r, c = cell_index(ref)
            cell = (r - 1, c - 1)
            if text is None:
                if cell in self.added:
                    self.added.remove(cell)
                else:
                    self.removed.add(cell)
            else:
                self.added.append(cell)
                self.sizes[cell] = note_box(text)


class PackageBackend(FileReader):
    """A workbook file: read with calamine, marked by editing its package (see the module docstring)."""

    def __init__(self, path: str | Path, *, limits: Limits | None = None, keep_vba: bool = False) -> None:
        super().__init__(path, limits=limits)
        self.keep_vba = keep_vba
        self._pkg: Package | None = None
        self._texts: dict[str, str] = {}  # parts edited as text, by part name
        self._sheet_parts: dict[str, str] = {}  # sheet name → worksheet part
        self._names: list[str] | None = None
        self._added: set[str] = set()  # sheets created in this session (calamine does not know them)
        self._cells: dict[str, SheetCells] = {}
        self._notes: dict[str, _SheetNotes] = {}
        self._redirected: dict[tuple[str, str], list[str]] = {}
        self._drop_calc_chain = False

    # ------------------------------------------------------------ the package

    @property
    def package(self) -> Package:
        if self._pkg is None:
            try:
                self._pkg = Package(self.path)
                wb = self._text("xl/workbook.xml")
                rels = ox.part_rels(self._text(ox.rels_path("xl/workbook.xml")))
                targets = {r.id: ox.resolve("xl/workbook.xml", r.target) for r in rels}
                for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*?/?>", wb):
                    rid = next((v for k, v in _attrs(m.group(0)).items() if k.endswith(":id")), None)
                    name = ox.attr(m.group(0), "name")
                    if name is not None and rid in targets:
                        self._sheet_parts[name] = targets[rid]
            except (KeyError, ValueError, UnicodeDecodeError) as exc:
                raise WorkbookError(f"{self.path.name}：工作簿结构异常，无法写入标记（{type(exc).__name__}）",
                                    f"{self.path.name}: unexpected workbook structure; cannot write marks "
                                    f"({type(exc).__name__}: {exc})", rule="file-unreadable") from None
        return self._pkg

    def _text(self, part: str) -> str:
        if part not in self._texts:
            pkg = self._pkg if self._pkg is not None else self.package
            self._texts[part] = pkg.text(part) if part in pkg else ""
        return self._texts[part]

    def _free(self, pattern: str) -> str:
        return self.package.free_name(pattern, [p for p, t in self._texts.items() if t])

    def _set_text(self, part: str, text: str) -> None:
        self._texts[part] = text

    def _exists(self, part: str) -> bool:
        return bool(self._texts.get(part)) or part in self.package

    def _delete(self, part: str) -> None:
        self._texts.pop(part, None)
        self.package.delete(part)
        self._set_text(_CT_TYPES, ox.remove_override(self._text(_CT_TYPES), part))

    def _part(self, sheet: str) -> str:
        self.package  # noqa: B018 - parses workbook.xml
        if sheet not in self._sheet_parts:
            raise WorkbookError(f"工作表“{sheet}”不是普通工作表，无法写入标记",
                                f"sheet {sheet!r} is not a worksheet; cannot write marks")
        return self._sheet_parts[sheet]

    # ------------------------------------------------------------ reading

    def sheet_names(self) -> list[str]:
        if self._names is None:
            self._names = super().sheet_names()
        return list(self._names)

    def read_values(self, sheet: str) -> Any:
        if sheet in self._added:
            return []
        return super().read_values(sheet)

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        return [] if sheet in self._added else super().merged_ranges(sheet)

    # ------------------------------------------------------------ cells of pyxl's sheets

    def _sheet_cells(self, sheet: str) -> SheetCells:
        if sheet not in self._cells:
            self._cells[sheet] = SheetCells(self._text(self._part(sheet)))
        return self._cells[sheet]

    def write_block(self, sheet: str, top_left: tuple[int, int], values: Sequence[Sequence[Any]]) -> None:
        self._sheet_cells(sheet).write(top_left, values)

    def fit_rows(self, sheet: str, first_row: int, heights: Sequence[float | None]) -> None:
        """Row heights (pt) from ``first_row`` on, so wrapped text shows whole; None gives a row back its
        default height (pyxl's own sheets only: the user's rows are never resized)."""
        cells = self._sheet_cells(sheet)
        for i, height in enumerate(heights):
            cells.set_height(first_row + i, height)

    def column_widths(self, sheet: str) -> list[float | None]:
        """The sheet's column widths in characters (None: default, 0: hidden), column A first."""
        return column_widths(self._text(self._part(sheet)))

    def clear_block(self, sheet: str, top_left: tuple[int, int], shape: tuple[int, int]) -> None:
        cells = self._sheet_cells(sheet)
        r0, c0 = top_left
        had_formula = any("<f" in x for r, (_, row) in cells.rows.items() if r0 <= r < r0 + shape[0]
                          for c, x in row.items() if c0 <= c < c0 + shape[1])
        cells.clear(top_left, shape)
        # Excel's calculation chain lists formula cells; one naming a cell that is gone makes Excel
        # repair the file, so the chain goes (Excel rebuilds it) when formulas are cleared
        self._drop_calc_chain |= had_formula

    def ensure_sheet(self, sheet: str) -> None:
        if sheet not in self.sheet_names():
            self._add_sheet(sheet, hidden=False)

    # ------------------------------------------------------------ notes

    def _sheet_notes(self, sheet: str) -> _SheetNotes:
        if sheet not in self._notes:
            part = self._part(sheet)
            rels = self._text(ox.rels_path(part)) or None
            self._notes[sheet] = _SheetNotes(self.package, part, rels)
        return self._notes[sheet]

    def notes(self, sheet: str) -> dict[str, str]:
        if sheet in self._added:
            return {}
        return self._sheet_notes(sheet).texts()

    def set_note(self, sheet: str, cell: str, text: str | None) -> None:
        anchor = self._merge_anchor(sheet, cell)
        if anchor is not None and anchor != cell:
            # a cell hidden under a merge cannot hold a note: it goes on the merge's visible cell
            if text is not None:
                self._redirect_note(sheet, anchor, text)
            return
        if text is not None and (sheet, cell) in self._redirected:
            text = _join_notes(text, self._redirected[(sheet, cell)])
        self._sheet_notes(sheet).set(cell, text)

    def _merge_anchor(self, sheet: str, cell: str) -> str | None:
        r, c = cell_index(cell)
        for r0, c0, r1, c1 in self.merged_ranges(sheet):
            if r0 <= r - 1 <= r1 and c0 <= c - 1 <= c1:
                return a1(r0, c0)
        return None

    def _redirect_note(self, sheet: str, anchor: str, text: str) -> None:
        parts = self._redirected.setdefault((sheet, anchor), [])
        if text in parts:
            return  # every cell of a merged block often gets the same finding: one note says it
        parts.append(text)
        current = self.notes(sheet).get(anchor)
        self.set_note(sheet, anchor, current if current is not None else "")

    # ------------------------------------------------------------ sheets pyxl adds

    def add_sheet(self, sheet: str, *, widths: Sequence[float] = (), frozen_rows: int = 0, wrap_from_row: int = 0,
                  colours: tuple[str, Sequence[tuple[str, str, str]]] | None = None,
                  page: tuple[str, int, float] | None = None) -> None:
        """Add a visible sheet of pyxl's own with its presentation: column ``widths`` (characters), the
        first ``frozen_rows`` frozen, cells pyxl writes from row ``wrap_from_row`` on wrapped at the top
        (one cell style appended to the styles part), and ``colours`` = (range, [(formula, fill, font)]):
        conditional formats; ``page`` = (orientation, scale %, side margins in inches) on A4. Clearing
        removes the sheet, then its style and colours (:meth:`remove_sheet`)."""
        if sheet in self.sheet_names():
            return
        xml = new_sheet([(i, w) for i, w in enumerate(widths, start=1)], frozen_rows)
        if colours is not None:
            sqref, rules = colours
            pairs = list(dict.fromkeys((fill, font) for _, fill, font in rules))
            ids = dict(zip(pairs, self._ensure_dxfs({f"{a}{b}": (a, b) for a, b in pairs}), strict=True))
            cf = "".join(f'<cfRule type="expression" dxfId="{ids[fill, font]}" priority="{i}">'
                         f"<formula>{ox.esc_text(formula)}</formula></cfRule>"
                         for i, (formula, fill, font) in enumerate(rules, start=1))
            xml = ox.insert_child(xml, "worksheet", ox.SHEET_ORDER, "conditionalFormatting",
                                  f'<conditionalFormatting sqref="{sqref}">{cf}</conditionalFormatting>')
        if page is not None:
            orientation, scale, margin = page
            xml = ox.insert_child(xml, "worksheet", ox.SHEET_ORDER, "pageMargins",
                                  f'<pageMargins left="{margin}" right="{margin}" top="0.75" bottom="0.75" '
                                  'header="0.3" footer="0.3"/>')
            xml = ox.insert_child(xml, "worksheet", ox.SHEET_ORDER, "pageSetup",
                                  f'<pageSetup paperSize="9" scale="{scale}" orientation="{orientation}"/>')
        self._add_sheet(sheet, hidden=False, xml=xml)
        if wrap_from_row:
            self._cells[sheet] = SheetCells(xml, default_style=str(self._ensure_wrap_xf()),
                                            styled_from_row=wrap_from_row)

    def _add_sheet(self, sheet: str, *, hidden: bool, xml: str | None = None) -> str:
        part = self._free("xl/worksheets/sheet{}.xml")
        wb = self._text("xl/workbook.xml")
        ids = [int(x) for x in re.findall(r'<(?:\w+:)?sheet\b[^>]*\bsheetId="(\d+)"', wb)]
        rels_name = ox.rels_path("xl/workbook.xml")
        rels, rid = ox.add_rel(self._text(rels_name), ox.REL_WORKSHEET, part.removeprefix("xl/"))
        self._set_text(rels_name, rels)
        p = ox.main_prefix(wb, "workbook")
        state = ' state="hidden"' if hidden else ""
        element = (f'<{p}sheet name="{ox.esc_attr(sheet)}" sheetId="{max(ids, default=0) + 1}"{state} '
                   f'{_rid_attr(wb, "workbook", rid)}/>')
        close = re.search(rf"</{re.escape(p)}sheets>", wb)
        if close is None:
            raise WorkbookError("工作簿结构异常（缺少 sheets）", "workbook.xml has no <sheets>")
        self._set_text("xl/workbook.xml", wb[: close.start()] + element + wb[close.start():])
        self._set_text(_CT_TYPES, ox.add_override(self._text(_CT_TYPES), part, ox.CT_WORKSHEET))
        self._set_text(part, xml if xml is not None else new_sheet())
        self._sheet_parts[sheet] = part
        self._names = [*self.sheet_names(), sheet]
        self._added.add(sheet)
        return part

    def remove_sheet(self, sheet: str) -> None:
        """Remove a sheet validate added (a form's 校验结果 or status mirror) and the names on it."""
        if sheet not in self.sheet_names():
            return
        part = self._part(sheet)
        wb = self._text("xl/workbook.xml")
        tags = list(re.finditer(r"<(?:\w+:)?sheet\b[^>]*?/?>", wb))
        index = next(i for i, m in enumerate(tags) if ox.attr(m.group(0), "name") == sheet)
        tag = tags[index]
        rid = next((v for k, v in _attrs(tag.group(0)).items() if k.endswith(":id")), "")
        wb = wb[: tag.start()] + wb[tag.end():]
        wb = _drop_names(wb, lambda text, local: local == index or _refers_to(text, sheet))
        wb = _shift_sheet_indexes(wb, index)
        self._set_text("xl/workbook.xml", wb)
        rels_name = ox.rels_path("xl/workbook.xml")
        self._set_text(rels_name, ox.remove_rel(self._text(rels_name), rid))
        for extra in (ox.rels_path(part),):
            if extra in self.package:
                self._delete(extra)
        self._delete(part)
        self._cells.pop(sheet, None)
        self._notes.pop(sheet, None)
        self._sheet_parts.pop(sheet, None)
        self._names = [n for n in self.sheet_names() if n != sheet]
        self._added.discard(sheet)
        original = self.package.original(part)
        if original is not None and b"<f>" in original:
            self._drop_calc_chain = True
        self._trim_wrap_xf()
        self._trim_dxfs()

    def add_status_mirror(
        self, sheet: str, mirror: str, name: str, shape: tuple[int, int], colours: dict[str, tuple[str, str]]
    ) -> None:
        """A hidden mirror sheet, the defined name ``name`` over it, and conditional formats on ``sheet``
        that colour a cell when its mirror cell holds a code (one rule per code, ``colours`` in order)."""
        rows, cols = shape
        if mirror not in self.sheet_names():
            self._add_sheet(mirror, hidden=True)
        last = a1(rows - 1, cols - 1)
        self._add_name(name, f"{quote_sheet(mirror)}!$A$1:${_col_letters(last)}${rows}")
        dxf_ids = self._ensure_dxfs(colours)
        part = self._part(sheet)
        xml = self._text(part)
        if f"INDEX({name},ROW(),COLUMN())" in xml:
            return
        p = ox.main_prefix(xml, "worksheet")
        priority = max((int(x) for x in re.findall(r'\bpriority="(\d+)"', xml)), default=0)
        rules = "".join(
            f'<{p}cfRule type="expression" dxfId="{dxf}" priority="{priority + i}" stopIfTrue="1">'
            f"<{p}formula>{ox.esc_text(_status_test(name, code))}</{p}formula></{p}cfRule>"
            for i, (code, dxf) in enumerate(zip(colours, dxf_ids, strict=True), start=1)
        )
        element = f'<{p}conditionalFormatting sqref="A1:{last}">{rules}</{p}conditionalFormatting>'
        self._set_text(part, ox.insert_child(xml, "worksheet", ox.SHEET_ORDER, "conditionalFormatting", element))

    def remove_status_mirror(self, sheet: str, mirror: str, name: str) -> None:
        """Undo :meth:`add_status_mirror`: the conditional formats, the name, the mirror, the styles."""
        if sheet in self.sheet_names():
            part = self._part(sheet)
            xml = self._text(part)
            pattern = re.compile(
                r"<((?:\w+:)?)conditionalFormatting\b[^>]*>(?:(?!</(?:\w+:)?conditionalFormatting>).)*?"
                rf"INDEX\({re.escape(name)},ROW\(\),COLUMN\(\)\)(?:(?!</(?:\w+:)?conditionalFormatting>).)*"
                r"</(?:\w+:)?conditionalFormatting>", re.S)
            self._set_text(part, pattern.sub("", xml))
        self._set_text("xl/workbook.xml", _drop_names(self._text("xl/workbook.xml"),
                                                      lambda text, local: text == name, by_name=True))
        self.remove_sheet(mirror)
        self._trim_dxfs()

    def _add_name(self, name: str, formula: str) -> None:
        wb = self._text("xl/workbook.xml")
        if re.search(rf'<(?:\w+:)?definedName\b[^>]*\bname="{re.escape(name)}"', wb):
            return
        p = ox.main_prefix(wb, "workbook")
        element = f'<{p}definedName name="{name}">{ox.esc_text(formula)}</{p}definedName>'
        close = re.search(rf"</{re.escape(p)}definedNames>", wb)
        if close is not None:
            wb = wb[: close.start()] + element + wb[close.start():]
        else:
            wb = ox.insert_child(wb, "workbook", _WORKBOOK_ORDER, "definedNames",
                                 f"<{p}definedNames>{element}</{p}definedNames>")
        self._set_text("xl/workbook.xml", wb)

    # ------------------------------------------------------------ dxf styles of the colours

    def _styles_part(self) -> str:
        rels = ox.part_rels(self._text(ox.rels_path("xl/workbook.xml")))
        rel = next((r for r in rels if r.type.endswith("/styles")), None)
        if rel is None:
            raise WorkbookError("工作簿缺少样式部件，无法添加标色规则", "workbook has no styles part")
        return ox.resolve("xl/workbook.xml", rel.target)

    def _ensure_dxfs(self, colours: dict[str, tuple[str, str]]) -> list[int]:
        """The dxf ids of pyxl's colours: the last ones of the styles part (added once, shared by sheets)."""
        part = self._styles_part()
        xml = self._text(part)
        ours = [_dxf(fill, font) for fill, font in colours.values()]
        m = re.search(r"<((?:\w+:)?)dxfs\b([^>]*?)(/?)>", xml)
        if m is None:
            p = ox.main_prefix(xml, "styleSheet")
            element = _DXFS_CREATED.format(len(ours)) + "".join(ours) + f"</{p}dxfs>"
            self._set_text(part, ox.insert_child(xml, "styleSheet", _STYLES_ORDER, "dxfs", element))
            return list(range(len(ours)))
        existing = _dxf_list(xml, m)
        n = len(existing)
        tail = n
        while tail and _OUR_DXF.fullmatch(existing[tail - 1]):
            tail -= 1
        ids: list[int] = []
        missing: list[str] = []
        for dxf in ours:  # a colour pyxl already appended (the marks' and 校验结果's share two) is reused
            if dxf in existing[tail:]:
                ids.append(existing.index(dxf, tail))
            else:
                ids.append(n + len(missing))
                missing.append(dxf)
        if not missing:
            return ids
        prefix = m.group(1)
        if m.group(3):  # <dxfs count="0"/>: opened, keeping the author's spacing before the slash
            opened = m.group(0)[:-2] + ">"
            new = _set_count(opened, n + len(missing)) + "".join(missing) + f"</{prefix}dxfs>"
            xml = xml[: m.start()] + new + xml[m.end():]
        else:
            close = xml.index(f"</{prefix}dxfs>", m.end())
            xml = xml[: m.start()] + _set_count(m.group(0), n + len(missing)) + xml[m.end(): close] \
                + "".join(missing) + xml[close:]
        self._set_text(part, xml)
        return ids

    def _trim_dxfs(self) -> None:
        """Drop pyxl's colour styles from the end of the styles part once no rule of pyxl uses them."""
        if any(self._uses_status_formats(s) for s in self.sheet_names() if s in self._sheet_parts):
            return
        part = self._styles_part()
        xml = self._text(part)
        m = re.search(r"<((?:\w+:)?)dxfs\b([^>]*?)(/?)>", xml)
        if m is None or m.group(3):
            return
        items = _dxf_list(xml, m)
        n = len(items)
        while n and _OUR_DXF.fullmatch(items[n - 1]):
            n -= 1
        if n == len(items):
            return
        close = xml.index(f"</{m.group(1)}dxfs>", m.end())
        if n == 0 and m.group(0).startswith(_DXFS_CREATED.format("")[:7]):  # pyxl created the element
            xml = xml[: m.start()] + xml[close + len(f"</{m.group(1)}dxfs>"):]
        elif n == 0:
            xml = xml[: m.start()] + _set_count(m.group(0), 0)[:-1] + "/>" + xml[close + len(f"</{m.group(1)}dxfs>"):]
        else:
            keep = "".join(items[:n])
            xml = xml[: m.start()] + _set_count(m.group(0), n) + xml[m.end(): m.end()] + keep + xml[close:]
        self._set_text(part, xml)

    def _ensure_wrap_xf(self) -> int:
        """The index of pyxl's cell style for its own sheets (wrapped, top-aligned): the last of cellXfs."""
        part = self._styles_part()
        xml = self._text(part)
        m = re.search(r"<((?:\w+:)?)cellXfs\b[^>]*>", xml)
        if m is None:
            raise WorkbookError("工作簿样式部件异常（缺少 cellXfs）", "styles part has no cellXfs")
        close = xml.index(f"</{m.group(1)}cellXfs>", m.end())
        items = [xml[c.start: c.end] for c in ox.children(xml, m.end(), close)]
        own = _WRAP_XF.format(p=m.group(1))
        if items and items[-1] == own:
            return len(items) - 1
        xml = xml[: m.start()] + _set_count(m.group(0), len(items) + 1) + xml[m.end(): close] + own + xml[close:]
        self._set_text(part, xml)
        return len(items)

    def _trim_wrap_xf(self) -> None:
        """Drop pyxl's cell style from the end of cellXfs once no sheet uses it (the sheet that did is gone)."""
        part = self._styles_part()
        xml = self._text(part)
        m = re.search(r"<((?:\w+:)?)cellXfs\b[^>]*>", xml)
        if m is None:
            return
        close = xml.index(f"</{m.group(1)}cellXfs>", m.end())
        items = ox.children(xml, m.end(), close)
        if not items or xml[items[-1].start: items[-1].end] != _WRAP_XF.format(p=m.group(1)):
            return
        used = f' s="{len(items) - 1}"'
        if any(used in self._text(p) for p in self._sheet_parts.values()):
            return
        xml = xml[: m.start()] + _set_count(m.group(0), len(items) - 1) + xml[m.end(): items[-1].start] + xml[close:]
        self._set_text(part, xml)

    def _uses_status_formats(self, sheet: str) -> bool:
        return "INDEX(pyxl_status_" in self._text(self._sheet_parts[sheet])

    # ------------------------------------------------------------ saving

    def _flush_notes(self) -> None:
        pkg = self.package
        pending = [s for s in self._notes.values() if s.comments is not None and
                   (s.comments.changed or s.added or s.removed)]
        if not pending:
            return
        blocks: set[int] = set()
        for name in pkg.names():
            if name.lower().endswith(".vml"):
                blocks |= used_blocks(self._text(name))
        for notes in pending:
            self._flush_sheet_notes(notes, blocks)

    def _flush_sheet_notes(self, notes: _SheetNotes, blocks: set[int]) -> None:
        pkg = self.package
        part = notes.part
        rels_name = ox.rels_path(part)
        rels = self._text(rels_name) or None
        assert notes.comments is not None
        if notes.added or notes.removed:
            if notes.vml is None and notes.vml_part is not None:
                notes.vml = Vml(self._text(notes.vml_part))
            if notes.vml is None and notes.added:
                block = next(n for n in range(1, 10**6) if n not in blocks)
                blocks.add(block)
                notes.vml = Vml(new_vml(block))
            if notes.vml is not None:
                notes.vml.remove(notes.removed)
                notes.vml.add(notes.added, blocks, notes.sizes)
        sheet_xml = self._text(part)
        # the comments part
        if notes.comments.notes:
            if notes.comments_part is None:
                notes.comments_part = self._free("xl/comments{}.xml")
                rels, _ = ox.add_rel(rels, ox.REL_COMMENTS, _relative(part, notes.comments_part))
                self._set_text(_CT_TYPES, ox.add_override(self._text(_CT_TYPES), notes.comments_part,
                                                          ox.CT_COMMENTS))
            self._set_text(notes.comments_part, notes.comments.xml())
        elif notes.comments_part is not None:
            rels = _remove_rel_to(rels or "", part, notes.comments_part)
            self._delete(notes.comments_part)
            notes.comments_part = None
        # the VML drawing
        if notes.vml is not None:
            if notes.vml.has_shapes():
                if notes.vml_part is None:
                    notes.vml_part = self._free("xl/drawings/vmlDrawing{}.vml")
                    rels, notes.vml_rid = ox.add_rel(rels, ox.REL_VML, _relative(part, notes.vml_part))
                    types = self._text(_CT_TYPES)
                    if not ox.has_default(types, "vml"):
                        self._set_text(_CT_TYPES, ox.add_override(types, notes.vml_part, ox.CT_VML))
                    p = ox.main_prefix(sheet_xml, "worksheet")
                    element = f"<{p}legacyDrawing {_rid_attr(sheet_xml, 'worksheet', notes.vml_rid)}/>"
                    sheet_xml = ox.insert_child(sheet_xml, "worksheet", ox.SHEET_ORDER, "legacyDrawing", element)
                self._set_text(notes.vml_part, notes.vml.xml)
            elif notes.vml_part is not None:
                sheet_xml = re.sub(rf'<(?:\w+:)?legacyDrawing\b[^>]*?:id="{re.escape(notes.vml_rid or "")}"[^>]*/>',
                                   "", sheet_xml, count=1)
                rels = _remove_rel_to(rels or "", part, notes.vml_part)
                self._delete(notes.vml_part)
                notes.vml_part = notes.vml_rid = None
        self._set_text(part, sheet_xml)
        if rels is not None:
            if ox.part_rels(rels):
                self._set_text(rels_name, rels)
            elif rels_name in pkg or rels_name in self._texts:
                self._delete(rels_name)
        notes.added, notes.removed = [], set()

    def _strip_vba(self) -> None:
        """A copy never carries the input's macros: the VBA project and its wiring are left out."""
        pkg = self.package
        rels_name = ox.rels_path("xl/workbook.xml")
        rels = self._text(rels_name)
        for rel in ox.part_rels(rels):
            if rel.type == _REL_VBA:
                target = ox.resolve("xl/workbook.xml", rel.target)
                rels = ox.remove_rel(rels, rel.id)
                for part in (target, ox.rels_path(target)):
                    if part in pkg:
                        self._delete(part)
        for name in pkg.names():
            if re.fullmatch(r"xl/vbaProjectSignature\w*\.bin", name):
                self._delete(name)
        self._set_text(rels_name, rels)
        types = self._text(_CT_TYPES).replace(_CT_MACRO_MAIN, _CT_MAIN)
        self._set_text(_CT_TYPES, re.sub(r'<Default\s+Extension="bin"\s+ContentType="application/vnd\.ms-office\.'
                                         r'vbaProject"\s*/>', "", types))

    def save(self, path: str | Path | None = None) -> None:
        """Write atomically. A VBA project only ever goes back into the file it came from."""
        from .openpyxl_backend import VBA_OUTPUT_REFUSED

        target = Path(path) if path is not None else self.path
        in_place = target.resolve() == self.path.resolve()
        if target.suffix.lower() in (".xlsm", ".xltm") and not in_place:
            raise WorkbookError(*VBA_OUTPUT_REFUSED)
        pkg = self.package
        self._flush_notes()
        for sheet, cells in self._cells.items():
            if sheet in self._sheet_parts:
                self._set_text(self._sheet_parts[sheet], cells.xml())
        if self._drop_calc_chain:
            self._drop_chain()
        if not in_place and self.inspection.has_vba:
            self._strip_vba()
            # the buttons that called the project's macros would err in the copy: they go too
            strip_macro_controls(_controls.Package(self._text, self._set_text, self._delete, self._exists),
                                 list(self._sheet_parts.values()), self.path.name)
        for part, text in self._texts.items():
            if part in pkg or text:
                pkg.put(part, text)
        write_atomic(target, pkg.write)

    def _drop_chain(self) -> None:
        rels_name = ox.rels_path("xl/workbook.xml")
        rels = self._text(rels_name)
        for rel in ox.part_rels(rels):
            if rel.type.endswith("/calcChain"):
                target = ox.resolve("xl/workbook.xml", rel.target)
                self._set_text(rels_name, ox.remove_rel(rels, rel.id))
                if target in self.package:
                    self._delete(target)


# ---------------------------------------------------------------- helpers


def _attrs(tag: str) -> dict[str, str]:
    return {k: v for k, v in re.findall(r'([\w:.-]+)\s*=\s*"([^"]*)"', tag)}


def _col_letters(ref: str) -> str:
    return re.match(r"[A-Z]+", ref).group(0)  # type: ignore[union-attr]


def _rid_attr(xml: str, root: str, rid: str) -> str:
    """``r:id="rId3"`` with the prefix the part binds to the relationships namespace (declared here if none)."""
    head = re.search(rf"<(?:\w+:)?{root}\b[^>]*>", xml)
    m = re.search(rf'xmlns:(\w+)="{re.escape(ox.REL_NS)}"', head.group(0) if head else "")
    if m:
        return f'{m.group(1)}:id="{rid}"'
    return f'xmlns:r="{ox.REL_NS}" r:id="{rid}"'


def _relative(source: str, target: str) -> str:
    import posixpath

    return posixpath.relpath(target, posixpath.dirname(source))


def _remove_rel_to(rels: str, source: str, target: str) -> str:
    for rel in ox.part_rels(rels):
        if not rel.external and ox.resolve(source, rel.target) == target:
            rels = ox.remove_rel(rels, rel.id)
    return rels


_NAME = re.compile(r"<(?:\w+:)?definedName\b([^>]*)>(.*?)</(?:\w+:)?definedName>", re.S)


def _drop_names(wb: str, drop: Any, *, by_name: bool = False) -> str:
    """Remove defined names ``drop(text or name, localSheetId)`` picks; an emptied <definedNames> goes too."""
    def keep(m: re.Match[str]) -> str:
        local = ox.attr(m.group(1), "localSheetId")
        subject = ox.attr(m.group(1), "name") if by_name else ox.unesc_text(m.group(2))
        return "" if drop(subject, int(local) if local is not None else None) else m.group(0)

    wb = _NAME.sub(keep, wb)
    return re.sub(r"<((?:\w+:)?)definedNames>\s*</\1definedNames>", "", wb)


def _refers_to(formula: str, sheet: str) -> bool:
    return f"{quote_sheet(sheet)}!" in formula or f"{sheet}!" in formula.replace("'", "")


def _shift_sheet_indexes(wb: str, removed: int) -> str:
    """Sheet positions after a removed sheet move down by one (names' localSheetId, the active tab)."""
    def shift(m: re.Match[str]) -> str:
        n = int(m.group(2))
        return f'{m.group(1)}="{n - 1 if n > removed else n}"'

    return re.sub(r'\b(localSheetId|activeTab|firstSheet)="(\d+)"', shift, wb)


def _status_test(name: str, code: str) -> str:
    return f'INDEX({name},ROW(),COLUMN())="{code}"'


def _dxf(fill: str, font: str) -> str:
    return (f'<dxf><font><color rgb="FF{font}"/></font><fill><patternFill patternType="solid">'
            f'<fgColor rgb="FF{fill}"/><bgColor rgb="FF{fill}"/></patternFill></fill></dxf>')


def _dxf_list(xml: str, m: re.Match[str]) -> list[str]:
    if m.group(3):
        return []
    close = xml.index(f"</{m.group(1)}dxfs>", m.end())
    return [xml[c.start: c.end] for c in ox.children(xml, m.end(), close)]


def _set_count(tag: str, n: int) -> str:
    if re.search(r'\bcount="\d+"', tag):
        return re.sub(r'\bcount="\d+"', f'count="{n}"', tag, count=1)
    return tag[:-1].rstrip() + f' count="{n}">'
