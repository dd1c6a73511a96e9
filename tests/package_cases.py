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


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
# (shape id, kind, name, macro): pyxl's button, a check box bound to a macro of the book (with a linked
# cell), a button calling a macro of another workbook
CONTROLS = ((1025, "Button", "Button 1", "[0]!PyxlValidate"), (1026, "Checkbox", "Check Box 2", "[0]!PyxlToggle"),
            (1027, "Button", "Button 3", "[1]!OtherMacro"))


def _vml_control(sid: int, kind: str, caption: str, macro: str, row: int) -> str:
    """A form control's VML shape as Excel 2016 writes it (line breaks and single-quoted styles)."""
    extra = ("   <x:AutoLine>False</x:AutoLine>\n   <x:FmlaLink>$K$1</x:FmlaLink>\n   <x:NoThreeD/>\n"
             if kind == "Checkbox" else "   <x:TextHAlign>Center</x:TextHAlign>\n   <x:TextVAlign>Center</x:TextVAlign>\n")
    return (f" <v:shape id=\"_x0000_s{sid}\" type=\"#_x0000_t201\" style='position:absolute;margin-left:432pt;"
            f"margin-top:{15 + 30 * row}pt;width:60pt;height:22.5pt;z-index:{row + 1};mso-wrap-style:tight'"
            + (' o:button="t" fillcolor="buttonFace [67]"' if kind == "Button" else ' filled="f" stroked="f"')
            + ' strokecolor="windowText [64]" o:insetmode="auto">\n'
            "  <o:lock v:ext=\"edit\" rotation=\"t\"/>\n  <v:textbox style='mso-direction-alt:auto' o:singleclick=\"f\">\n"
            f"   <div style='text-align:center'><font face=\"Calibri\" size=\"220\" color=\"#000000\">{caption}"
            f"</font></div>\n  </v:textbox>\n  <x:ClientData ObjectType=\"{kind}\">\n   <x:Anchor>\n"
            f"    9, 0, {1 + 2 * row}, 0, 10, 16, {2 + 2 * row}, 10</x:Anchor>\n   <x:PrintObject>False</x:PrintObject>\n"
            f"   <x:AutoFill>False</x:AutoFill>\n   <x:FmlaMacro>{macro}</x:FmlaMacro>\n{extra}  </x:ClientData>\n"
            " </v:shape>")


def _anchor(row: int, prefix: str) -> str:
    return (f"<{prefix}from><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{1 + 2 * row}</xdr:row>"
            f"<xdr:rowOff>0</xdr:rowOff></{prefix}from><{prefix}to><xdr:col>10</xdr:col><xdr:colOff>16</xdr:colOff>"
            f"<xdr:row>{2 + 2 * row}</xdr:row><xdr:rowOff>10</xdr:rowOff></{prefix}to>")


def excel_controls(path: Path) -> Path:
    """The .xlsm case with, on its first sheet, form controls as Excel 2010+ saves them: each control's
    VML shape (in the sheet's legacy drawing, where pyxl's notes also go), its ``<control>`` in the
    sheet, its ``ctrlProp`` part and its DrawingML twin in the sheet's drawing — and, in that drawing, a
    plain rectangle the user bound to a macro."""
    xlsm(path)
    p = parts(path)
    sheet, sheet_rels = "xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels"
    assert b'r:id="rId1"' in p[sheet] and b"vmlDrawing1.vml" in p[sheet_rels]
    vml = ('<xml xmlns:v="urn:schemas-microsoft-com:vml"\n xmlns:o="urn:schemas-microsoft-com:office:office"\n '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">\n <o:shapelayout v:ext="edit">\n  <o:idmap v:ext="edit" '
           'data="1"/>\n </o:shapelayout><v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201"\n  '
           'path="m,l,21600r21600,l21600,xe">\n  <v:stroke joinstyle="miter"/>\n  <v:path shadowok="f" '
           'o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>\n  <o:lock v:ext="edit" shapetype="t"/>\n'
           " </v:shapetype>" + "".join(_vml_control(sid, kind, name, macro, i)
                                       for i, (sid, kind, name, macro) in enumerate(CONTROLS)) + "</xml>")
    controls = "".join(
        f'<mc:AlternateContent xmlns:mc="{_MC}"><mc:Choice Requires="x14"><control shapeId="{sid}" r:id="rId{3 + i}" '
        f'name="{name}"><controlPr defaultSize="0" print="0" autoFill="0" autoPict="0" macro="{macro}">'
        f'<anchor moveWithCells="1" sizeWithCells="1">{_anchor(i, "")}</anchor></controlPr></control></mc:Choice>'
        "</mc:AlternateContent>" for i, (sid, _, name, macro) in enumerate(CONTROLS))
    body = p[sheet].decode().replace(
        '<legacyDrawing r:id="rId1"/>',
        '<drawing r:id="rId2"/><legacyDrawing r:id="rId1"/>'
        f'<mc:AlternateContent xmlns:mc="{_MC}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"'
        f' xmlns:xdr="{_XDR}"><mc:Choice Requires="x14"><controls>{controls}</controls></mc:Choice></mc:AlternateContent>')
    twins = "".join(
        f'<mc:AlternateContent xmlns:mc="{_MC}"><mc:Choice xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/'
        f'main" Requires="a14"><xdr:twoCellAnchor editAs="absolute">{_anchor(i, "xdr:")}<xdr:sp macro="{macro}" '
        f'textlink=""><xdr:nvSpPr><xdr:cNvPr id="{sid}" name="{name}" hidden="1"><a:extLst><a:ext '
        f'uri="{{63B3BB69-23CF-44E3-9099-C40C66FF867C}}"><a14:compatExt spid="_x0000_s{sid}"/></a:ext></a:extLst>'
        '</xdr:cNvPr><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" '
        'cy="0"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:sp><xdr:clientData '
        'fPrintsWithSheet="0"/></xdr:twoCellAnchor></mc:Choice><mc:Fallback/></mc:AlternateContent>'
        for i, (sid, _, name, macro) in enumerate(CONTROLS))
    rectangle = (f'<xdr:twoCellAnchor>{_anchor(4, "xdr:")}<xdr:sp macro="[0]!PyxlClear" textlink=""><xdr:nvSpPr>'
                 '<xdr:cNvPr id="5" name="Rectangle 4"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" '
                 'y="0"/><a:ext cx="914400" cy="304800"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                 "</xdr:spPr></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>")
    drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
               f'<xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
               f"{twins}{rectangle}</xdr:wsDr>")
    props = {1025: 'objectType="Button" lockText="1"', 1026: 'objectType="CheckBox" fmlaLink="$K$1" lockText="1" '
             'noThreeD="1"', 1027: 'objectType="Button" lockText="1"'}
    ctrl = {f"xl/ctrlProps/ctrlProp{i + 1}.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<formControlPr '
        f'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" {props[sid]}/>').encode()
        for i, (sid, *_) in enumerate(CONTROLS)}
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    rels = _insert(p[sheet_rels], b"</Relationships>", (
        f'<Relationship Id="rId2" Type="{rel}drawing" Target="../drawings/drawing1.xml"/>'
        + "".join(f'<Relationship Id="rId{3 + i}" Type="{rel}ctrlProp" Target="../ctrlProps/ctrlProp{i + 1}.xml"/>'
                  for i in range(len(CONTROLS)))).encode())
    types = _insert(p["[Content_Types].xml"], b"</Types>", (
        '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'drawing+xml"/>' + "".join(f'<Override PartName="/{name}" ContentType="application/vnd.ms-excel.'
                                   'controlproperties+xml"/>' for name in ctrl)).encode())
    _rewrite(path, {sheet: body.encode(), sheet_rels: rels, "[Content_Types].xml": types,
                    "xl/drawings/vmlDrawing1.vml": vml.encode()},
             {"xl/drawings/drawing1.xml": drawing.encode(), **ctrl})
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
    "controls": lambda p: excel_controls(p / "controls.xlsm"),
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
