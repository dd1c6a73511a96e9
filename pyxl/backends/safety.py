"""What a workbook file must pass before any parser sees it.

Workbooks come from people the user does not control. Every reader in pyxl
(calamine for values, openpyxl for marks) runs only on a file that passed
:func:`check_workbook`, which reads the zip's own bookkeeping and inflates each
part once in bounded chunks, without keeping it:

- the kind of file, by its first bytes (legacy .xls, encrypted, CSV or HTML
  renamed .xlsx, .xlsb, .ods, empty, truncated);
- the zip central directory: member count, each part's and the total
  uncompressed size, the compression ratio, the compression method; then each
  part's real inflated size and CRC against what the directory claims (a zip
  bomb can lie in the directory; calamine's zip reader would believe it);
- no XML part carries a DOCTYPE (entity bombs, external entities): no real
  workbook has one;
- each worksheet's used area (rows × columns of cells that hold a value): calamine
  allocates that rectangle densely, and two cells at A1 and XFD1048576 abort the
  process from inside Rust, where no Python ``except`` can catch it.

Limits are a :class:`Limits`; defaults live in the ``[limits]`` table of
``pyxl/rules.toml`` and a ``--config`` file can change them. Every refusal is a
:class:`~pyxl.core.errors.WorkbookError` with rule ``file-unreadable`` and a one-line
reason in Chinese and English. See docs/security.md.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, BinaryIO

from ..core.cells import a1
from ..core.errors import UserError, WorkbookError
from .cell_area import AreaScan, col_number, positional_area

__all__ = [
    "Inspection",
    "Limits",
    "SheetArea",
    "check_grid",
    "check_workbook",
    "ensure_defusedxml",
    "error_cells",
    "refuse",
]

MB = 1024 * 1024
_CHUNK = 1 * MB  # inflated bytes looked at a time: memory stays flat whatever the part's size
_RELS_MAX = 4 * MB  # .rels parts are kept in memory to find the worksheets; real ones are ~1 KB
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# parts no reader parses as XML; an SVG logo legitimately carries a DOCTYPE
_OPAQUE_SUFFIXES = (".bin", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".tif", ".tiff", ".svg",
                    ".wdp", ".jfif", ".ico", ".xlsx", ".xlsm", ".docx", ".pptx", ".odttf", ".fntdata")
_SHEET_REL_TYPES = ("/worksheet", "/macrosheet", "/dialogsheet")
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)")  # measured ~4x faster than a bytes.find loop on "<!"
_DECLARATIONS_16 = tuple(t.decode().encode(e) for t in _DECLARATIONS for e in ("utf-16-le", "utf-16-be"))
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_ENCODINGS_OK = (b"utf-8", b"utf8", b"us-ascii", b"ascii")
_EXCEL_MAX_ROWS, _EXCEL_MAX_COLS = 1_048_576, 16_384


@dataclass(frozen=True)
class Limits:
    """How big an input may be. Sizes in bytes; see ``[limits]`` in rules.toml for the defaults' reasons."""

    max_file_bytes: int = 50 * MB
    max_members: int = 2_000
    max_member_bytes: int = 100 * MB
    max_total_bytes: int = 300 * MB
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 * MB
    max_rows: int = 100_000
    max_columns: int = 16_384
    max_cells: int = 2_000_000
    max_string_chars: int = 32_767

    @classmethod
    def from_config(cls, config: Any | None = None) -> Limits:
        """From a :class:`pyxl.core.config.Config` (``[limits]``, sizes in MB); the shipped defaults if None."""
        if config is None:
            from ..core.config import load_config

            config = load_config()
        table = config.get("limits")
        kw: dict[str, Any] = {}
        for f in fields(cls):
            key = f.name.replace("_bytes", "_mb") if f.name.endswith("_bytes") else f.name
            if key in table:
                value = table[key]
                kw[f.name] = int(value * MB) if key.endswith("_mb") else value
        return cls(**kw)


@dataclass(frozen=True)
class SheetArea:
    """The rectangle calamine will allocate for a worksheet part."""

    part: str
    rows: int
    columns: int
    sheet: str | None = None  # the name the workbook gives it
    has_errors: bool = False  # holds cells cached as #DIV/0!, #REF!… (calamine reads those as empty)
    # rows/columns counted every referenced cell, formatted empty ones too: at least calamine's rectangle
    bound: bool = False

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass
class Inspection:
    """What :func:`check_workbook` learned about a file that passed."""

    path: Path
    members: int = 0
    uncompressed_bytes: int = 0
    has_vba: bool = False
    sheets: list[SheetArea] = field(default_factory=list)


def refuse(path: Path | str, zh: str, en: str) -> WorkbookError:
    name = Path(path).name
    return WorkbookError(f"{name}：{zh}", f"{name}: {en}", rule="file-unreadable")


def _mb(n: float) -> str:
    return f"{n / MB:,.1f} MB"


# ---------------------------------------------------------------- the file's kind


def _sniff(path: Path, head: bytes, size: int) -> WorkbookError | None:
    """A refusal for anything that is not a zip package, by its first bytes."""
    if size == 0:
        return refuse(path, "文件是空的（0 字节），可能下载或复制未完成", "the file is empty (0 bytes)")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return None
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 compound file
        return _ole_kind(path)
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return refuse(path, "文件是 Excel 2003 XML 表格，不是 .xlsx，请在 Excel 中另存为 .xlsx",
                      "Excel 2003 XML spreadsheet, not .xlsx; save it as .xlsx in Excel")
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in text[:512]:
        return refuse(path, "文件其实是网页（HTML），只是扩展名为 Excel，请在 Excel 中打开后另存为 .xlsx",
                      "an HTML page with an Excel file name; open it in Excel and save as .xlsx")
    if _looks_like_text(head):
        return _text_kind(path)
    if head.startswith(b"PK"):
        return refuse(path, "工作簿已损坏：压缩包头部无效", "corrupt workbook: invalid zip header")
    return refuse(path, "不是 Excel 工作簿（.xlsx）文件", "not an Excel workbook (.xlsx)")


_TEXT_KINDS = {  # suffix → what the file says it is (zh, en); a text file under an Excel name is "renamed"
    ".csv": ("CSV 文本文件（逗号分隔）", "a CSV text file"),
    ".tsv": ("制表符分隔的文本文件", "a tab-separated text file"),
    ".txt": ("纯文本文件", "a plain text file"),
}


def _text_kind(path: Path) -> WorkbookError:
    suffix = path.suffix.lower()
    if suffix in _TEXT_KINDS:
        zh, en = _TEXT_KINDS[suffix]
        return refuse(path, f"这是{zh}，不是 Excel 工作簿；如是表格数据，请在 Excel 中打开后另存为 .xlsx",
                      f"this is {en}, not an Excel workbook; if it holds a table, open it in Excel and save as .xlsx")
    named = suffix or "（无）"
    return refuse(path, f"不是 Excel 工作簿：文件是 CSV 或纯文本，只是扩展名为 {named}，请在 Excel 中打开后另存为 .xlsx",
                  f"not an Excel workbook: a CSV or text file named {suffix or '(no extension)'}; "
                  "open it in Excel and save as .xlsx")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample is still text
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return bool(text) and printable / len(text) > 0.95
    return False


def _ole_kind(path: Path) -> WorkbookError:
    """An OLE2 compound file: an encrypted .xlsx (EncryptedPackage stream) or a legacy .xls (Workbook stream).

    The directory entries hold stream names in UTF-16; searching the bytes avoids a
    dependency on an OLE parser for a question that needs no parsing.
    """
    with open(path, "rb") as fh:
        data = fh.read(8 * MB)
    def has(name: str) -> bool:
        return name.encode("utf-16-le") + b"\x00\x00" in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        return refuse(path, "工作簿设置了打开密码（已加密），请在 Excel 中取消密码后另存为 .xlsx 再提交",
                      "password-protected (encrypted) workbook; "
                      "remove the password in Excel and save as .xlsx")
    if has("Workbook") or has("Book"):
        return refuse(path, "文件是旧版 .xls（Excel 97-2003）格式，请在 Excel 中另存为 .xlsx",
                      "legacy .xls (Excel 97-2003) workbook; save it as .xlsx in Excel")
    # no stream name found (a damaged directory): say both, as the first bytes cannot tell
    return refuse(path, "文件是旧版 .xls 格式或已加密（设置了打开密码），请用 Excel 另存为不加密的 .xlsx",
                  "legacy .xls or password-encrypted workbook; save it as an unencrypted .xlsx")


# ---------------------------------------------------------------- the zip directory


def _end_record_entries(fh: BinaryIO, size: int) -> int:
    """Member count from the end-of-central-directory record, read before zipfile builds its list.

    zipfile makes one object per directory entry; a 50 MB directory of a million tiny
    entries would cost hundreds of MB before any limit could be checked.
    """
    tail_len = min(size, 22 + 65_535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return -1
    entries = struct.unpack_from("<H", tail, at + 10)[0]
    if entries == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        offset = struct.unpack_from("<Q", tail, at - 20 + 8)[0]
        if offset + 56 <= size:
            fh.seek(offset)
            record = fh.read(56)
            if record[:4] == b"PK\x06\x06":
                entries = struct.unpack_from("<Q", record, 32)[0]
    return entries


def _inflate(fh: BinaryIO, info: zipfile.ZipInfo, path: Path) -> Iterator[bytes]:
    """The part's bytes in chunks, refusing as soon as it inflates past the size its entry declares."""
    fh.seek(info.header_offset)
    header = fh.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise refuse(path, f"工作簿已损坏：部件 {info.filename} 的本地头无效",
                     f"corrupt workbook: bad local header for part {info.filename}")
    name_len, extra_len = _LOCAL_HEADER.unpack(header)[-2:]
    fh.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
    left = info.compress_size
    produced, crc = 0, 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        while True:
            if inflater is not None and inflater.unconsumed_tail:
                raw = inflater.unconsumed_tail
            elif left > 0:
                raw = fh.read(min(left, _CHUNK))
                if not raw:
                    raise refuse(path, "工作簿文件被截断（不完整），请重新下载或复制",
                                 f"truncated workbook: part {info.filename} ends early")
                left -= len(raw)
            else:
                raw = b""  # input used up; the inflater may still hold output of a long match
            out = inflater.decompress(raw, _CHUNK) if inflater is not None else raw
            produced += len(out)
            if produced > info.file_size:
                raise refuse(path, f"疑似压缩炸弹：部件 {info.filename} 解压后大于其声明的大小",
                             f"zip bomb suspected: part {info.filename} inflates beyond its declared size")
            crc = zlib.crc32(out, crc)
            if out:
                yield out
            if (inflater is not None and inflater.eof) or (not raw and not out):
                break
    except zlib.error:
        raise refuse(path, f"工作簿已损坏：部件 {info.filename} 无法解压",
                     f"corrupt workbook: part {info.filename} does not inflate") from None
    if produced != info.file_size or crc != info.CRC:
        raise refuse(path, f"工作簿已损坏：部件 {info.filename} 校验失败（文件可能不完整）",
                     f"corrupt workbook: part {info.filename} fails its size/CRC check")


def check_workbook(path: str | Path, limits: Limits | None = None) -> Inspection:
    """Refuse (WorkbookError) anything a parser should not be given; return what was learned."""
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(4096)
            problem = _sniff(path, head, size)
            if problem is not None:
                raise problem
            if size > limits.max_file_bytes:
                raise refuse(path, f"文件过大（{_mb(size)}，上限 {_mb(limits.max_file_bytes)}）",
                             f"file too large ({_mb(size)}; the limit is {_mb(limits.max_file_bytes)})")
            return _check_zip(path, fh, size, limits)
    except OSError as exc:
        raise refuse(path, f"无法读取文件（{exc.strerror or exc}）",
                     f"cannot read the file ({exc})") from None


def _check_zip(path: Path, fh: BinaryIO, size: int, limits: Limits) -> Inspection:
    entries = _end_record_entries(fh, size)
    if entries < 0:
        raise refuse(path, "工作簿文件被截断或已损坏（找不到压缩包目录），请重新下载或复制",
                     "truncated or corrupt workbook: the zip directory is missing")
    if entries > limits.max_members:
        raise refuse(path, f"工作簿内部部件过多（{entries} 个，上限 {limits.max_members}）",
                     f"too many parts in the workbook ({entries}; the limit is {limits.max_members})")
    fh.seek(0)
    try:
        infos = zipfile.ZipFile(fh).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error) as exc:
        raise refuse(path, "工作簿文件被截断或已损坏，无法读取压缩包目录",
                     f"truncated or corrupt workbook ({exc})") from None
    if len(infos) > limits.max_members:
        raise refuse(path, f"工作簿内部部件过多（{len(infos)} 个，上限 {limits.max_members}）",
                     f"too many parts in the workbook ({len(infos)}; the limit is {limits.max_members})")
    names = {i.filename for i in infos}
    _check_package_kind(path, names, fh, infos)
    total = 0
    for info in infos:
        _check_declared(path, info, limits)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise refuse(path, f"疑似压缩炸弹：解压后共 {_mb(total)}，上限 {_mb(limits.max_total_bytes)}",
                     f"zip bomb suspected: {_mb(total)} uncompressed; "
                     f"the limit is {_mb(limits.max_total_bytes)}")
    report = Inspection(path=path, members=len(infos), uncompressed_bytes=total)
    report.has_vba = any(n.lower().endswith("vbaproject.bin") for n in names)
    # .rels first: they say which parts are worksheets
    rels = [i for i in infos if i.filename.lower().endswith(".rels")]
    sheets, rel_ids = _sheet_parts(path, fh, rels)
    sheets |= {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    titles = _sheet_titles(path, fh, infos, rel_ids)
    for info in infos:
        if info.is_dir() or info.filename.lower().endswith(".rels"):
            continue
        lower = info.filename.lower()
        is_xml = lower.endswith(_XML_SUFFIXES) or not lower.endswith(_OPAQUE_SUFFIXES)
        if info.filename in sheets:
            report.sheets.append(_sheet_area(path, fh, info, limits, titles.get(info.filename)))
        elif is_xml:
            _scan_xml(path, info, _inflate(fh, info, path))
        else:
            for _ in _inflate(fh, info, path):  # sizes and CRC still verified
                pass
    cells = sum(s.cells for s in report.sheets)
    if cells > limits.max_cells and any(s.bound for s in report.sheets):
        # bounds together past the limit: measure those sheets exactly before refusing
        parts = {i.filename: i for i in infos}
        report.sheets = [_sheet_area(path, fh, parts[s.part], limits, s.sheet, exact=True) if s.bound else s
                         for s in report.sheets]
        cells = sum(s.cells for s in report.sheets)
    if cells > limits.max_cells:
        raise refuse(path, f"表格过大：已用区域共 {cells:,} 个单元格，上限 {limits.max_cells:,}",
                     f"sheets too large: {cells:,} cells in the used areas; "
                     f"the limit is {limits.max_cells:,}")
    return report


def _check_package_kind(path: Path, names: set[str], fh: BinaryIO, infos: list[zipfile.ZipInfo]) -> None:
    if "xl/workbook.bin" in names:
        raise refuse(path, "文件是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx",
                     "Excel binary workbook (.xlsb); save it as .xlsx in Excel")
    if "mimetype" in names or "content.xml" in names:
        raise refuse(path, "文件是 OpenDocument 表格（.ods），请另存为 .xlsx",
                     "OpenDocument spreadsheet (.ods); save it as .xlsx")
    if "EncryptedPackage" in names:
        raise refuse(path, "工作簿已加密，请取消密码后另存为 .xlsx",
                     "encrypted workbook; remove the password")
    if not any(n.lower() == "xl/workbook.xml" for n in names) and not any(
        n.lower().endswith("workbook.xml") for n in names
    ):
        if any(n.startswith("word/") for n in names) or any(n.startswith("ppt/") for n in names):
            raise refuse(path, "文件是 Word 或 PowerPoint 文档，不是 Excel 工作簿",
                         "a Word or PowerPoint document, not an Excel workbook")
        raise refuse(path, "压缩包中没有工作簿内容（缺少 xl/workbook.xml），不是有效的 .xlsx",
                     "the zip holds no workbook (xl/workbook.xml is missing); not a valid .xlsx")


def _check_declared(path: Path, info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise refuse(path, f"工作簿使用了 Excel 不用的压缩方式（部件 {info.filename}）",
                     f"part {info.filename} uses a compression method Excel never writes "
                     f"({info.compress_type})")
    if info.flag_bits & 0x1:
        raise refuse(path, "工作簿中的部件被加密，无法读取", f"part {info.filename} is encrypted")
    if info.file_size > limits.max_member_bytes:
        raise refuse(path, f"疑似压缩炸弹：部件 {info.filename} 解压后 {_mb(info.file_size)}，"
                           f"上限 {_mb(limits.max_member_bytes)}",
                     f"zip bomb suspected: part {info.filename} is {_mb(info.file_size)} uncompressed; "
                     f"the limit is {_mb(limits.max_member_bytes)}")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
        raise refuse(path, f"疑似压缩炸弹：部件 {info.filename} 压缩比 {ratio:,.0f}:1，"
                           f"上限 {limits.max_ratio:g}:1",
                     f"zip bomb suspected: part {info.filename} has a compression ratio of {ratio:,.0f}:1; "
                     f"the limit is {limits.max_ratio:g}:1")


# ---------------------------------------------------------------- XML parts


def _declares(data: bytes, utf16: bool) -> bool:
    """Whether the bytes hold a DOCTYPE or ENTITY declaration."""
    if utf16:
        return any(token in data for token in _DECLARATIONS_16)
    return _DECLARATION.search(data) is not None


def _check_prolog(path: Path, info: zipfile.ZipInfo, first: bytes) -> bool:
    """Refuse an XML encoding other than UTF-8/UTF-16; return whether the part is UTF-16.

    Excel writes UTF-8 only. Any other declared encoding would hide a declaration from
    the byte search (the parsers would decode it); refusing it costs nothing real.
    """
    utf16 = first[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in first[:4]
    if not utf16:
        m = _ENCODING.match(first.removeprefix(b"\xef\xbb\xbf"))
        if m and m.group(1).lower() not in (*_ENCODINGS_OK, b"utf-16"):
            raise refuse(path, f"工作簿部件 {info.filename} 使用了不支持的字符编码",
                         f"part {info.filename} declares an unsupported encoding")
    return utf16


def _refuse_declaration(path: Path, info: zipfile.ZipInfo) -> WorkbookError:
    return refuse(path, f"工作簿含有 XML 实体声明（部件 {info.filename}），"
                        "可能是实体炸弹或外部实体攻击，已拒绝",
                  f"XML DOCTYPE/entity declaration in part {info.filename} "
                  "(entity bomb or external entity); refused")


def _scan_xml(path: Path, info: zipfile.ZipInfo, chunks: Iterator[bytes]) -> None:
    """Refuse a DOCTYPE or ENTITY declaration anywhere in an XML part (searched across chunk seams)."""
    carry = b""
    utf16: bool | None = None
    for chunk in chunks:
        if utf16 is None:
            utf16 = _check_prolog(path, info, chunk)
        data = carry + chunk
        if _declares(data, utf16):
            raise _refuse_declaration(path, info)
        carry = data[-24:]


def _sheet_parts(path: Path, fh: BinaryIO, rels: list[zipfile.ZipInfo]) -> tuple[set[str], dict[str, str]]:
    """Worksheet part names, from the relationship parts (a sheet may live anywhere in the zip),
    and the workbook's relationship id of each."""
    from defusedxml.ElementTree import fromstring

    parts: set[str] = set()
    ids: dict[str, str] = {}
    for info in rels:
        if info.file_size > _RELS_MAX:
            raise refuse(path, f"工作簿的关系部件 {info.filename} 过大",
                         f"relationship part {info.filename} too large")
        data = b"".join(_inflate(fh, info, path))
        _scan_xml(path, info, iter([data]))
        try:
            root = fromstring(data)
        except Exception:  # a malformed .rels: the parsers will refuse the file with their own message
            continue
        # "xl/_rels/workbook.xml.rels" describes "xl/workbook.xml": targets are relative to "xl/"
        base = posixpath.dirname(posixpath.dirname(info.filename))
        for rel in root:
            if str(rel.get("Type", "")).endswith(_SHEET_REL_TYPES) and rel.get("TargetMode") != "External":
                target = str(rel.get("Target", ""))
                full = posixpath.normpath(target.lstrip("/") if target.startswith("/") else
                                          posixpath.join(base, target))
                parts.add(full)
                if info.filename == "xl/_rels/workbook.xml.rels":
                    ids[str(rel.get("Id", ""))] = full
    return parts, ids


def _sheet_titles(path: Path, fh: BinaryIO, infos: list[zipfile.ZipInfo],
                  ids: dict[str, str]) -> dict[str, str]:
    """Sheet part → the sheet's name, for messages a user can act on (best effort)."""
    from defusedxml.ElementTree import fromstring

    info = next((i for i in infos if i.filename == "xl/workbook.xml"), None)
    if info is None or info.file_size > _RELS_MAX:
        return {}
    data = b"".join(_inflate(fh, info, path))
    _scan_xml(path, info, iter([data]))
    try:
        root = fromstring(data)
    except Exception:
        return {}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    titles = {}
    for el in root.iter():
        if el.tag.endswith("}sheet") and el.get(rid) in ids:
            titles[ids[el.get(rid)]] = str(el.get("name", ""))
    return titles


def _sheet_area(path: Path, fh: BinaryIO, info: zipfile.ZipInfo, limits: Limits,
                title: str | None, *, exact: bool = False) -> SheetArea:
    """The used area of a worksheet part, refused as soon as it passes a limit.

    Fast path (pyxl.backends.cell_area): every writer puts r="B7" first on each cell, so the
    area is the largest row and column referenced. It first counts every referenced cell, an
    upper bound that settles any sheet within the limits; a bound beyond them is measured again
    counting only cells that may hold a value, before anything is refused. A part where the
    fast path cannot vouch for every cell is placed the way calamine places cells (next column,
    next row) in a careful pass.
    """
    where = ((f"工作表“{title}”", f"sheet {title!r}") if title
             else (f"部件 {info.filename}", f"part {info.filename}"))
    scan = AreaScan(exact=exact)
    errors = _scan_sheet(path, fh, info, scan, limits, where)
    if scan.regular and not scan.exact and _exceeds(scan.rows, scan.cols, limits):
        return _sheet_area(path, fh, info, limits, title, exact=True)
    if scan.finish():
        return SheetArea(info.filename, scan.rows, scan.cols, title, errors, bound=not scan.exact)
    rows, cols = positional_area(
        _tags(_inflate(fh, info, path), path, info),
        lambda r, c: _check_area(path, where, r, c, limits),
        lambda: refuse(path, f"工作簿已损坏：部件 {info.filename} 中有无效的单元格地址",
                       f"corrupt workbook: invalid cell reference in part {info.filename}"))
    return SheetArea(info.filename, rows, cols, title, errors)


def _scan_sheet(path: Path, fh: BinaryIO, info: zipfile.ZipInfo, scan: AreaScan, limits: Limits,
                where: tuple[str, str]) -> bool:
    """Inflate a worksheet part once: prolog, declarations, the area (checked as it grows when exact).

    Returns whether the part caches error values. A bound past the limits stops the pass early:
    the exact pass that follows checks the whole part again.
    """
    errors = False
    utf16: bool | None = None
    for data in _tags(_inflate(fh, info, path), path, info):
        if utf16 is None:
            utf16 = _check_prolog(path, info, data)
            if utf16:  # the cell scan reads UTF-8; Excel never writes a sheet in anything else
                raise refuse(path, f"工作表部件 {info.filename} 使用 UTF-16 编码，Excel 不会这样保存",
                             f"worksheet part {info.filename} is UTF-16 encoded, which Excel never writes")
        if _declares(data, utf16):  # pieces end at a '>', so no declaration is cut in two
            raise _refuse_declaration(path, info)
        errors = errors or b't="e"' in data
        scan.feed(data)
        if scan.regular and scan.exact:
            _check_area(path, where, scan.rows, scan.cols, limits)
        elif scan.regular and _exceeds(scan.rows, scan.cols, limits):
            break
    return errors


def _tags(chunks: Iterator[bytes], path: Path, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Re-cut inflated chunks at the last '>' so that no tag is split between two pieces."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        cut = data.rfind(b">") + 1
        if cut == 0 and len(data) > 4 * _CHUNK:
            raise refuse(path, f"工作簿已损坏：部件 {info.filename} 中有异常长的标记",
                         f"corrupt workbook: absurdly long tag in part {info.filename}")
        carry = data[cut:]
        if cut:
            yield data[:cut] if cut < len(data) else data
    if carry:
        yield carry


def _exceeds(rows: int, cols: int, limits: Limits) -> bool:
    """Whether an area passes one of the limits :func:`_check_area` refuses."""
    return (rows > min(limits.max_rows, _EXCEL_MAX_ROWS) or cols > min(limits.max_columns, _EXCEL_MAX_COLS)
            or rows * cols > limits.max_cells)


def _check_area(path: Path, where: tuple[str, str], rows: int, cols: int, limits: Limits) -> None:
    """Refuse as soon as the area seen so far passes a limit (the scan stops there)."""
    zh, en = where
    max_rows = min(limits.max_rows, _EXCEL_MAX_ROWS)
    max_cols = min(limits.max_columns, _EXCEL_MAX_COLS)
    if rows > max_rows:
        raise refuse(path, f"表格行数过多：{zh}用到第 {rows:,} 行以后，上限 {max_rows:,} 行",
                     f"too many rows: {en} goes to row {rows:,} or further; the limit is {max_rows:,}")
    if cols > max_cols:
        raise refuse(path, f"表格列数过多：{zh}用到第 {cols:,} 列以后，上限 {max_cols:,} 列",
                     f"too many columns: {en} goes to column {cols:,} or further; the limit is {max_cols:,}")
    if rows * cols > limits.max_cells:
        raise refuse(path, f"表格过大：{zh}的已用区域 {rows:,} 行 × {cols:,} 列，"
                           f"上限 {limits.max_cells:,} 个单元格",
                     f"sheet too large: {en} spans {rows:,} rows × {cols:,} columns; "
                     f"the limit is {limits.max_cells:,} cells")


# ---------------------------------------------------------------- after parsing


def check_grid(path: Path | str, sheet: str, grid: list[list[Any]], limits: Limits) -> None:
    """Text longer than Excel allows in a cell (32,767 characters) is refused, not cut."""
    cap = limits.max_string_chars
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) > cap:
                raise refuse(path, f"工作表“{sheet}”单元格 {a1(r, c)} 的文字有 {len(value):,} 个字符，"
                                   f"超过 Excel 的上限 {cap:,}",
                             f"sheet {sheet!r} cell {a1(r, c)} holds {len(value):,} characters; "
                             f"Excel's limit is {cap:,}")


_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\bt="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>([^<]{1,16})</v>'
)


def error_cells(path: Path | str, part: str) -> list[tuple[int, int, str]]:
    """(row, col, "#DIV/0!") of the cells a sheet part caches as errors, 0-based.

    calamine reads an error as an empty cell, and "empty" would tell the user the
    opposite of the truth. Only called for a part check_workbook has passed and seen
    holding errors, so the part's size is already bounded.
    """
    with zipfile.ZipFile(path) as z:
        data = z.read(part)
    return [(int(r) - 1, col_number(c) - 1, v.decode("ascii", "replace"))
            for c, r, v in _ERROR_CELL.findall(data)]


def ensure_defusedxml() -> None:
    """openpyxl parses XML through defusedxml only when it is installed and not switched off.

    OPENPYXL_DEFUSEDXML=False in the environment would silently turn the protection
    off; refuse to read workbooks rather than run unprotected.
    """
    import openpyxl.xml.functions as xf

    try:
        import defusedxml.ElementTree as dx
    except ImportError:  # pragma: no cover - a declared dependency
        dx = None
    if dx is None or xf.iterparse is not dx.iterparse:
        raise UserError(
            "XML 安全保护（defusedxml）未生效：请安装 defusedxml，且不要设置 OPENPYXL_DEFUSEDXML=False",
            "XML protection (defusedxml) is not in effect: install defusedxml and unset OPENPYXL_DEFUSEDXML",
        )
