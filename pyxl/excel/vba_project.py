"""vbaProject.bin built from the module texts under ``macros/`` ([MS-OVBA] in a compound file).

    PROJECT, PROJECTwm              the project's text description and module name map
    VBA/_VBA_PROJECT                version 0xFFFF, no performance cache: Office compiles the source
    VBA/dir                         compressed project information, references and modules
    VBA/<module>                    one per module, compressed source only (no p-code)

Standard modules come from ``.bas`` files, class modules from ``.cls`` files (their
``VERSION``/``BEGIN … END`` header is what the VBA editor writes on export, not part of the
stored source); the document modules (``ThisWorkbook`` and one per sheet) are generated
to match the code names the workbook declares. Module sources must be ASCII, so that any
code page reads them alike (Chinese text is built with ``ChrW``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..core.errors import UserError
from .cfb import Storage, write_compound_file
from .ovba import (
    SHEET_BASE,
    VBA_PROJECT_STREAM,
    WORKBOOK_BASE,
    Module,
    compress,
    dir_stream,
    project_stream,
    projectwm_stream,
)

__all__ = [
    "DOCUMENT_ATTRIBUTES",
    "MACROS_DIR",
    "build_vba_project",
    "document_module",
    "module_from_file",
    "sheet_code_names",
]

# macros/ of the source tree; a wheel that packages it as pyxl/excel/macros works too
_MACRO_PLACES = (Path(__file__).resolve().parents[2] / "macros", Path(__file__).resolve().parent / "macros")
MACROS_DIR = next((p for p in _MACRO_PLACES if p.is_dir()), _MACRO_PLACES[0])
PROJECT_NAME = "VBAProject"
WORKBOOK_CODE_NAME = "ThisWorkbook"
# what the VBA editor stores for every document module (an Excel-made project has exactly these)
DOCUMENT_ATTRIBUTES = (
    'Attribute VB_GlobalNameSpace = False',
    'Attribute VB_Creatable = False',
    'Attribute VB_PredeclaredId = True',
    'Attribute VB_Exposed = True',
    'Attribute VB_TemplateDerived = False',
    'Attribute VB_Customizable = True',
)
_NAME = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]{0,30})"\r\n', re.MULTILINE)
_CLASS_HEADER = re.compile(r"\AVERSION 1\.0 CLASS\r\nBEGIN\r\n(?:.*\r\n)*?END\r\n")


def _bad_module(path: Path, zh: str, en: str) -> UserError:
    return UserError(f"宏模块 {path.name}：{zh}", f"macro module {path.name}: {en}")


def module_from_file(path: Path) -> Module:
    """A standard (.bas) or class (.cls) module from its exported text (ASCII, CRLF)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _bad_module(path, f"找不到文件（{path}）：带宏的工作簿需要 pyxl 源码中的 macros 文件夹",
                          f"not found ({path}): macro-enabled workbooks need the macros folder of pyxl's source") from None
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise _bad_module(path, "必须是 ASCII 文本（中文请用 ChrW）", "must be ASCII (build Chinese text with ChrW)") from None
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    kind = "class" if path.suffix.lower() == ".cls" else "standard"
    if kind == "class":
        text = _CLASS_HEADER.sub("", text, count=1)
    match = _NAME.match(text)
    if match is None:
        raise _bad_module(path, '第一行应为 Attribute VB_Name = "名称"', 'the first line must be Attribute VB_Name = "Name"')
    return Module(match.group(1), kind, text)


def document_module(code_name: str, *, workbook: bool = False) -> Module:
    """The (empty) module of ThisWorkbook or of a sheet, as the VBA editor stores it."""
    base = WORKBOOK_BASE if workbook else SHEET_BASE
    lines = [f'Attribute VB_Name = "{code_name}"', f'Attribute VB_Base = "{base}"', *DOCUMENT_ATTRIBUTES]
    return Module(code_name, "document", "".join(line + "\r\n" for line in lines))


def sheet_code_names(count: int) -> list[str]:
    """Excel's own default code names for ``count`` sheets: Sheet1, Sheet2, …"""
    return [f"Sheet{i}" for i in range(1, count + 1)]


def build_vba_project(module_files: Iterable[Path], sheets: Sequence[str]) -> bytes:
    """vbaProject.bin with the modules of ``module_files`` and the document modules of
    ThisWorkbook and of the sheets whose code names are ``sheets``."""
    modules = [module_from_file(Path(p)) for p in module_files]
    names = [m.name.upper() for m in modules] + [WORKBOOK_CODE_NAME.upper()] + [s.upper() for s in sheets]
    if len(set(names)) != len(names):
        raise UserError("宏模块名称重复", "duplicate VBA module names")
    # standard and class modules first, then the document modules: the order Excel writes
    modules += [document_module(WORKBOOK_CODE_NAME, workbook=True)] + [document_module(s) for s in sheets]
    # a stable project id (the same modules always give the same file)
    digest = uuid.uuid5(uuid.NAMESPACE_URL, "pyxl:" + "\0".join(m.source for m in modules))
    project_id = "{" + str(digest).upper() + "}"
    vba = Storage(streams={
        "_VBA_PROJECT": VBA_PROJECT_STREAM,
        "dir": compress(dir_stream(PROJECT_NAME, modules)),
    })
    for m in modules:
        # MODULEOFFSET is 0: no performance cache, the compressed source starts the stream
        vba.streams[m.name] = compress(m.source.encode("ascii"))
    root = Storage(
        streams={
            "PROJECT": project_stream(project_id, PROJECT_NAME, modules),
            "PROJECTwm": projectwm_stream(modules),
        },
        storages={"VBA": vba},
    )
    return write_compound_file(root)

