"""xlwings Lite's scripts inside the workbook: the web-extension parts the add-in reads and writes.

xlwings Lite (Office add-in ``wa200008175`` of the Office store, store type OMEX) keeps
the editor's files in the workbook itself, as properties of its web extension:

    _rels/.rels                          …/2011/relationships/webextensiontaskpanes → xl/webextensions/taskpanes.xml
    xl/webextensions/taskpanes.xml       the add-in's task pane (docked right; closed until the user opens
                                         it: a pane opening by itself prompts every user, Lite or not)
    xl/webextensions/_rels/taskpanes.xml.rels   → webextension1.xml
    xl/webextensions/webextension1.xml   <we:reference id="wa200008175" … storeType="OMEX"/> and one
                                         <we:property> per file: name="main.py", value = the text as a
                                         JSON string ("/" written "\\/", as Office writes it)
    [Content_Types].xml                  overrides for the two parts

The layout follows workbooks saved by xlwings Lite in public repositories (e.g.
github.com/amararun/xlwings-lite-apps-codes-docs, yahoo-finance/*.xlsx). The add-in adds
its own properties (pyodideVersion, addinVersion) when it saves.

``add_lite_parts`` rewrites a package written by openpyxl/XlsxWriter: every other entry is
copied unchanged. ``carry_lite_parts`` copies these parts from one package into another
(the in-place rewrite of the openpyxl path), byte for byte.
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from ..backends.package_parts import WEBEXTENSION_TASKPANES_REL, WEBEXTENSIONS, carry_parts, rewrite_package
from .vba_project import MACROS_DIR

__all__ = [
    "ADDIN_ID",
    "LITE_DIR",
    "TASKPANES_REL",
    "add_lite_parts",
    "carry_lite_parts",
    "lite_files",
    "lite_parts",
    "read_lite_files",
]

ADDIN_ID = "wa200008175"
LITE_DIR = MACROS_DIR / "xlwings_lite"
LITE_FILES = ("main.py", "requirements.txt")
TASKPANES_REL = WEBEXTENSION_TASKPANES_REL
WEBEXTENSION_REL = "http://schemas.microsoft.com/office/2011/relationships/webextension"
TASKPANES_PART = "xl/webextensions/taskpanes.xml"
TASKPANES_RELS = "xl/webextensions/_rels/taskpanes.xml.rels"
EXTENSION_PART = "xl/webextensions/webextension1.xml"
CONTENT_TYPES = {
    "/" + TASKPANES_PART: "application/vnd.ms-office.webextensiontaskpanes+xml",
    "/" + EXTENSION_PART: "application/vnd.ms-office.webextension+xml",
}
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_WE = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
_WETP = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def lite_files(folder: Path = LITE_DIR) -> dict[str, str]:
    """The editor's files as text: main.py and requirements.txt (exact, newlines included)."""
    return {name: (folder / name).read_bytes().decode("utf-8") for name in LITE_FILES}


def _json_value(text: str) -> str:
    # Office writes the JSON string with "/" escaped and non-ASCII as is
    return json.dumps(text, ensure_ascii=False).replace("/", "\\/")


def lite_parts(files: Mapping[str, str]) -> dict[str, bytes]:
    """The three web-extension parts holding ``files`` (name → text)."""
    key = "\0".join(f"{k}\0{v}" for k, v in files.items())
    ext_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "pyxl-lite:" + key)).upper() + "}"
    props = "".join(
        f'<we:property name="{escape(name)}" value="{escape(_json_value(text), {chr(34): "&quot;"})}"/>'
        for name, text in files.items()
    )
    extension = (
        f'{_XML}<we:webextension xmlns:we="{_WE}" id="{ext_id}">'
        f'<we:reference id="{ADDIN_ID}" version="1.0.0.0" store="en-US" storeType="OMEX"/>'
        f'<we:alternateReferences><we:reference id="{ADDIN_ID.upper()}" version="1.0.0.0" '
        f'store="{ADDIN_ID.upper()}" storeType="OMEX"/></we:alternateReferences>'
        f"<we:properties>{props}</we:properties><we:bindings/>"
        f'<we:snapshot xmlns:r="{_R}"/></we:webextension>'
    )
    taskpanes = (
        f'{_XML}<wetp:taskpanes xmlns:wetp="{_WETP}"><wetp:taskpane dockstate="right" visibility="0" '
        f'width="438" row="1"><wetp:webextensionref xmlns:r="{_R}" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>'
    )
    rels = (
        f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{WEBEXTENSION_REL}" '
        f'Target="webextension1.xml"/></Relationships>'
    )
    return {
        TASKPANES_PART: taskpanes.encode("utf-8"),
        TASKPANES_RELS: rels.encode("utf-8"),
        EXTENSION_PART: extension.encode("utf-8"),
    }


def read_lite_files(path: Path) -> dict[str, str]:
    """The files a package's xlwings Lite web extension holds (name → text); empty if none."""
    import html

    with zipfile.ZipFile(path) as z:
        if EXTENSION_PART not in z.namelist():
            return {}
        xml = z.read(EXTENSION_PART).decode("utf-8")
    out = {}
    for name, value in re.findall(r'<we:property name="([^"]*)" value="([^"]*)"/>', xml):
        out[html.unescape(name)] = json.loads(html.unescape(value))
    return out


def add_lite_parts(path: Path, files: Mapping[str, str] | None = None) -> None:
    """Put ``files`` (default: macros/xlwings_lite) into the package at ``path``."""
    parts = lite_parts(files if files is not None else lite_files())
    rewrite_package(Path(path), parts, CONTENT_TYPES, {TASKPANES_REL: TASKPANES_PART})


def carry_lite_parts(source: Path, target: Path) -> bool:
    """Copy the web-extension parts of ``source`` (if any) into ``target`` byte for byte, with
    their root relationship and content types; True when there was something to copy."""
    return carry_parts(source, target, WEBEXTENSIONS, (TASKPANES_REL,))
