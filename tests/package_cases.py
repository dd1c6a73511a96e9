"""Workbooks that carry parts pyxl does not model, for the package writer's tests.

Each builder writes one workbook pyxl can validate (the template or the official
form) that also holds what openpyxl would drop: a VBA project and a button,
xlwings Lite's web-extension parts, threaded comments and x14 data validations,
an image and a chart saved by LibreOffice. Parts are added to the zip as Excel
writes them (ISO/IEC 29500 and [MS-XLSX]).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pyxl.api import fill
from pyxl.core.loader import load_data

__all__ = ["CASES", "build", "parts"]

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SEED = ROOT / "pyxl" / "data" / "tribunal.yaml"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}


def _rewrite(path: Path, edit: dict[str, bytes | None], add: dict[str, bytes]) -> None:
    """Replace (or drop, with None) parts and add new ones, keeping the order."""
    old = parts(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in old.items():
            if name in edit:
                if edit[name] is not None:
                    z.writestr(name, edit[name])  # type: ignore[arg-type]
            else:
                z.writestr(name, data)
        for name, data in add.items():
            z.writestr(name, data)


def _insert(xml: bytes, before: bytes, element: bytes) -> bytes:
    at = xml.rindex(before)
    return xml[:at] + element + xml[at:]


def template(path: Path) -> Path:
    return fill(load_data(SEED), path)


def form(path: Path) -> Path:
    return fill(load_data(SEED), path, form=True)


def webext(path: Path) -> Path:
    """The template with xlwings Lite's task pane and web extension (its scripts as properties): fill writes
    them into every workbook (issue 10, pyxl/excel/lite.py), as xlwings Lite itself stores them."""
    template(path)
    p = parts(path)
    assert {"xl/webextensions/taskpanes.xml", "xl/webextensions/webextension1.xml"} <= set(p)
    assert b"webextensiontaskpanes" in p["_rels/.rels"] and b"wa200008175" in p["xl/webextensions/webextension1.xml"]
    return path


_THREAD_PLACEHOLDER = ("[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; "
                       "however, any edits to it will get removed if the file is opened in a newer version of "
                       "Excel. Learn more: https://go.microsoft.com/fwlink/?linkid=870924\n\nComment:\n    请核对单位")


def threaded(path: Path, thread_cell: str, note_cell: str) -> Path:
    """The template with, on 项目: a threaded comment (and Excel's legacy placeholder note) on
    ``thread_cell``, a user's own note on ``note_cell``, and an x14 data validation (a list on
    another sheet, which Excel 2010+ stores in the sheet's extLst)."""
    template(path)
    p = parts(path)
    sheet = "xl/worksheets/sheet4.xml"  # 项目
    assert b"\xe9\xa1\xb9\xe7\x9b\xae" in p["xl/workbook.xml"]
    ns = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    x14 = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
           b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations '
           b'count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation '
           b'type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1"><x14:formula1>'
           b"<xm:f>'_pyxl_\xe5\x88\x97\xe8\xa1\xa8'!$A$2:$A$5</xm:f></x14:formula1><xm:sqref>C5:C40</xm:sqref>"
           b"</x14:dataValidation></x14:dataValidations></ext></extLst>")
    body = p[sheet]
    body = body.replace(b"</worksheet>", b'<legacyDrawing ' + ns + b' r:id="rIdU2"/>' + x14 + b"</worksheet>")
    sheet_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships '
                  b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  b'<Relationship Id="rIdU3" Type="http://schemas.microsoft.com/office/2017/10/relationships/'
                  b'threadedComment" Target="../threadedComments/threadedComment1.xml"/>'
                  b'<Relationship Id="rIdU2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                  b'relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/>'
                  b'<Relationship Id="rIdU1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                  b'relationships/comments" Target="../comments1.xml"/></Relationships>')
    guid = "{5D2C1B7E-0000-4000-8000-00000000000%d}"
    comments = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<comments '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="xr" '
        'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"><authors>'
        f"<author>tc={guid % 2}</author><author>张三</author></authors><commentList>"
        f'<comment ref="{thread_cell}" authorId="0" shapeId="0" xr:uid="{guid % 2}"><text><t>{_THREAD_PLACEHOLDER}'
        f'</t></text></comment><comment ref="{note_cell}" authorId="1" shapeId="0" xr:uid="{guid % 3}"><text><r>'
        '<rPr><b/><sz val="9"/><color indexed="81"/><rFont val="宋体"/><charset val="134"/></rPr>'
        '<t>张三:</t></r><r><rPr><sz val="9"/><color indexed="81"/><rFont val="宋体"/><charset val="134"/></rPr>'
        '<t xml:space="preserve">\n这是部门自己的批注</t></r></text></comment></commentList></comments>'
    ).encode()

    def shape(n: int, cell: str) -> str:
        col = ord(cell[0]) - 65
        row = int(cell[1:]) - 1
        return (f'<v:shape id="_x0000_s{1024 + n}" type="#_x0000_t202" style=\'position:absolute;margin-left:59.25pt;'
                f"margin-top:1.5pt;width:108pt;height:59.25pt;z-index:{n};visibility:hidden' fillcolor=\"#ffffe1\" "
                'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
                '<v:path o:connecttype="none"/><v:textbox style=\'mso-direction-alt:auto\'><div style=\'text-align:left\'>'
                '</div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
                f"<x:Anchor>\n    {col + 1}, 15, {row}, 2, {col + 3}, 15, {row + 4}, 4</x:Anchor><x:AutoFill>False</x:AutoFill>"
                f"<x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>")

    vml = ('<xml xmlns:v="urn:schemas-microsoft-com:vml"\n xmlns:o="urn:schemas-microsoft-com:office:office"\n '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">\n <o:shapelayout v:ext="edit">\n  <o:idmap v:ext="edit" '
           'data="1"/>\n </o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"\n  '
           'path="m,l,21600r21600,l21600,xe">\n  <v:stroke joinstyle="miter"/>\n  <v:path gradientshapeok="t" '
           f'o:connecttype="rect"/>\n </v:shapetype>{shape(1, thread_cell)}{shape(2, note_cell)}</xml>').encode()
    threads = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<ThreadedComments '
        'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<threadedComment ref="{thread_cell}" dT="2026-01-05T08:00:00.00" personId="{guid % 1}" id="{guid % 2}">'
        "<text>请核对单位</text></threadedComment></ThreadedComments>").encode()
    persons = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<personList '
        'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<person displayName="李四" id="{guid % 1}" userId="李四" providerId="None"/></personList>').encode()
    wb_rels = _insert(p["xl/_rels/workbook.xml.rels"], b"</Relationships>",
                      b'<Relationship Id="rIdP1" Type="http://schemas.microsoft.com/office/2017/10/relationships/'
                      b'person" Target="persons/person.xml"/>')
    types = _insert(p["[Content_Types].xml"], b"</Types>",
                    b'<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
                    b'<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.comments+xml"/><Override PartName="/xl/threadedComments/'
                    b'threadedComment1.xml" ContentType="application/vnd.ms-excel.threadedcomments+xml"/>'
                    b'<Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/>')
    _rewrite(path, {sheet: body, "xl/_rels/workbook.xml.rels": wb_rels, "[Content_Types].xml": types},
             {"xl/worksheets/_rels/sheet4.xml.rels": sheet_rels, "xl/comments1.xml": comments,
              "xl/drawings/vmlDrawing1.vml": vml, "xl/threadedComments/threadedComment1.xml": threads,
              "xl/persons/person.xml": persons})
    return path


def xlsm(path: Path) -> Path:
    """The official form re-written by XlsxWriter with a VBA project and a 校验 button (a form control)."""
    import python_calamine
    import xlsxwriter

    src = form(path.with_suffix(".form.xlsx"))
    book = python_calamine.CalamineWorkbook.from_path(str(src))
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    for name in book.sheet_names:
        ws = wb.add_worksheet(name)
        for r, row in enumerate(book.get_sheet_by_name(name).to_python()):
            for c, v in enumerate(row):
                if v not in ("", None):
                    ws.write(r, c, v)  # values suffice: the form reader finds its labels by text
        ws.insert_button("J2", {"macro": "PyxlValidate", "caption": "校验", "width": 80, "height": 30})
    wb.add_vba_project(str(DATA / "vbaProject.bin"))
    wb.close()
    src.unlink()
    return path


def lo_chart(path: Path) -> Path:
    """A form saved by LibreOffice, with an image and a chart on its first sheet (stored in tests/data)."""
    path.write_bytes((DATA / "lo-image-chart.xlsx").read_bytes())
    return path


CASES = {
    "template": lambda p: template(p / "template.xlsx"),
    "form": lambda p: form(p / "form.xlsx"),
    "webext": lambda p: webext(p / "webext.xlsx"),
    "threaded": lambda p: threaded(p / "threaded.xlsx", "E5", "E6"),
    "xlsm": lambda p: xlsm(p / "buttons.xlsm"),
    "lo_chart": lambda p: lo_chart(p / "lo-chart.xlsx"),
}


def build(case: str, folder: Path) -> Path:
    return CASES[case](folder)


def vml_blocks(path: Path) -> list[set[int]]:
    out = []
    for name, data in parts(path).items():
        if name.endswith(".vml"):
            for m in re.finditer(rb'data="([\d,]+)"', data):
                out.append({int(x) for x in m.group(1).split(b",")})
    return out
