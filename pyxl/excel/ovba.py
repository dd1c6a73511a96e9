"""The streams of a VBA project, written as [MS-OVBA] prescribes for an interoperable writer.

- ``compress``: the MS-OVBA compression (2.4.1) of ``dir`` and of each module's source;
- ``dir_stream``: PROJECTINFORMATION, PROJECTREFERENCES, PROJECTMODULES (2.3.4.2);
- ``project_stream``: the text ``PROJECT`` stream (2.3.1), its CMG/DPB/GC values
  written with the data encryption of 2.4.3;
- ``projectwm_stream``: the module name map (2.3.3);
- ``VBA_PROJECT_STREAM``: ``_VBA_PROJECT`` with version 0xFFFF and no performance
  cache (2.3.4.1: the version "MUST be 0xFFFF on write", the cache "MUST be ignored on
  read"), so Office compiles the source on open;
- each module stream is its compressed source with an empty performance cache
  (MODULEOFFSET 0).

Everything is deterministic: the random bytes the encryption allows (seed, ignored
bytes) are derived from the project id, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CODE_PAGE",
    "VBA_PROJECT_STREAM",
    "Module",
    "Reference",
    "compress",
    "decompress",
    "decrypt",
    "dir_stream",
    "encrypt",
    "project_stream",
    "projectwm_stream",
]

CODE_PAGE = 1252  # the source is ASCII: any code page reads it the same
LCID = 0x0409
VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)

# Host extender of VBA itself: every Office project lists it ([MS-OVBA] 2.3.1.17)
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"  # Excel's Workbook class
SHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"  # Excel's Worksheet class


@dataclass(frozen=True)
class Module:
    """A module: ``kind`` is "standard" (a .bas), "class" (a .cls) or "document" (ThisWorkbook,
    a sheet). ``source`` is the text with CRLF line ends and its ``Attribute`` lines."""

    name: str
    kind: str
    source: str


@dataclass(frozen=True)
class Reference:
    """A registered type library the project refers to (REFERENCEREGISTERED)."""

    name: str
    libid: str


# Excel lists "OLE Automation" in every new project; nothing of ours needs more (the Excel
# and VBA libraries are the host's own and are never listed).
STDOLE = Reference(
    "stdole",
    "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
)


# ---------------------------------------------------------------- compression (2.4.1)

CHUNK = 4096


def _copy_token_layout(offset_in_chunk: int) -> tuple[int, int]:
    """(bit count of the offset part, maximum length) at this position in the chunk (2.4.1.3.19.1)."""
    bits = max((offset_in_chunk - 1).bit_length(), 4)
    return bits, (0xFFFF >> bits) + 3


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    pos = 0
    n = len(data)
    heads: dict[bytes, list[int]] = {}
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            bits, max_len = _copy_token_layout(pos) if pos else (4, 0)
            best_len, best_off = 0, 0
            if pos and pos + 3 <= n:
                limit = min(max_len, n - pos)
                for cand in reversed(heads.get(data[pos : pos + 3], ())):
                    length = 3
                    while length < limit and data[cand + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                if p + 3 <= n:
                    heads.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """MS-OVBA CompressedContainer of ``data``."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start : start + CHUNK]
        packed = _compress_chunk(chunk)
        if len(packed) > CHUNK:
            if len(chunk) < CHUNK:  # a raw chunk holds exactly 4096 bytes; text never gets here
                raise ValueError("incompressible last chunk")
            # incompressible full chunk: stored raw (flag 0)
            out += struct.pack("<H", (CHUNK - 1) | 0x3000)
            out += chunk
        else:
            out += struct.pack("<H", (len(packed) + 2 - 3) | 0x3000 | 0x8000)
            out += packed
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The inverse of ``compress`` (2.4.1.3.1); any conforming container, not only ours."""
    if not container or container[0] != 1:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    pos = 1
    while pos < len(container):
        header = struct.unpack_from("<H", container, pos)[0]
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0x7 != 0b011:
            raise ValueError("bad chunk signature")
        end = min(pos + size, len(container))
        pos += 2
        start = len(out)
        if not header & 0x8000:
            out += container[pos : pos + CHUNK]
            pos += CHUNK
            continue
        while pos < end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if flags & (1 << bit):
                    token = struct.unpack_from("<H", container, pos)[0]
                    pos += 2
                    bits, _ = _copy_token_layout(len(out) - start)
                    length = (token & (0xFFFF >> bits)) + 3
                    offset = (token >> (16 - bits)) + 1
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(container[pos])
                    pos += 1
    return bytes(out)


# ---------------------------------------------------------------- dir stream (2.3.4.2)


def _mbcs(text: str) -> bytes:
    return text.encode("cp1252")


def _rec(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def _u32(rid: int, value: int) -> bytes:
    return _rec(rid, struct.pack("<I", value))


def _pair(rid: int, text: bytes, reserved: int, unicode: bytes) -> bytes:
    """A record whose MBCS text is followed by a Reserved id and the same text in UTF-16."""
    return _rec(rid, text) + struct.pack("<HI", reserved, len(unicode)) + unicode


def dir_stream(project_name: str, modules: Sequence[Module], references: Sequence[Reference] = (STDOLE,)) -> bytes:
    """The decompressed ``dir`` stream, records in the order of [MS-OVBA] 2.3.4.2."""
    out = bytearray()
    out += _u32(0x0001, 0x00000001)  # PROJECTSYSKIND: 32-bit Windows
    out += _u32(0x0002, LCID)  # PROJECTLCID
    out += _u32(0x0014, LCID)  # PROJECTLCIDINVOKE
    out += _rec(0x0003, struct.pack("<H", CODE_PAGE))  # PROJECTCODEPAGE
    out += _rec(0x0004, _mbcs(project_name))  # PROJECTNAME
    out += _pair(0x0005, b"", 0x0040, b"")  # PROJECTDOCSTRING
    out += _pair(0x0006, b"", 0x003D, b"")  # PROJECTHELPFILEPATH
    out += _u32(0x0007, 0)  # PROJECTHELPCONTEXT
    out += _u32(0x0008, 0)  # PROJECTLIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION: Reserved=4, major 1, minor 0
    out += _pair(0x000C, b"", 0x003C, b"")  # PROJECTCONSTANTS
    for ref in references:
        out += _pair(0x0016, _mbcs(ref.name), 0x003E, ref.name.encode("utf-16-le"))  # REFERENCENAME
        libid = _mbcs(ref.libid)
        body = struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0)
        out += _rec(0x000D, body)  # REFERENCEREGISTERED
    out += _rec(0x000F, struct.pack("<H", len(modules)))  # PROJECTMODULES
    out += _rec(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for m in modules:
        name = _mbcs(m.name)
        wide = m.name.encode("utf-16-le")
        out += _rec(0x0019, name)  # MODULENAME
        out += _rec(0x0047, wide)  # MODULENAMEUNICODE
        out += _pair(0x001A, name, 0x0032, wide)  # MODULESTREAMNAME
        out += _pair(0x001C, b"", 0x0048, b"")  # MODULEDOCSTRING
        out += _u32(0x0031, 0)  # MODULEOFFSET: no performance cache, the source starts the stream
        out += _u32(0x001E, 0)  # MODULEHELPCONTEXT
        out += _rec(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _rec(0x0021 if m.kind == "standard" else 0x0022, b"")  # MODULETYPE procedural / document+class
        out += _rec(0x002B, b"")  # module Terminator
    out += _rec(0x0010, b"")  # dir Terminator
    return bytes(out)


# ---------------------------------------------------------------- PROJECT stream (2.3.1)


def _seeded_bytes(key: str, n: int) -> bytes:
    return hashlib.sha256(key.encode("ascii")).digest()[:n]


def encrypt(project_id: str, data: bytes, *, seed: int | None = None, ignored: bytes | None = None) -> str:
    """[MS-OVBA] 2.4.3.2 data encryption, as the hex text CMG/DPB/GC hold."""
    if seed is None:
        seed = _seeded_bytes(project_id + data.hex(), 1)[0]
    version = 2
    proj_key = sum(_mbcs(project_id)) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ proj_key])
    unencrypted1, encrypted1, encrypted2 = proj_key, seed ^ proj_key, seed ^ version
    ignored_length = (seed & 6) // 2
    filler = ignored if ignored is not None else _seeded_bytes(project_id, ignored_length)
    for value in [*filler[:ignored_length], *struct.pack("<I", len(data)), *data]:
        enc = value ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, value
    return out.hex().upper()


def decrypt(text: str) -> tuple[int, bytes]:
    """[MS-OVBA] 2.4.3.3: (ProjKey, Data) of an encrypted CMG/DPB/GC value."""
    raw = bytes.fromhex(text)
    seed = raw[0]
    version = seed ^ raw[1]
    proj_key = seed ^ raw[2]
    if version != 2:
        raise ValueError("unknown encryption version")
    unencrypted1, encrypted1, encrypted2 = proj_key, raw[2], raw[1]
    plain = bytearray()
    for enc in raw[3:]:
        value = enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(value)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, value
    ignored = (seed & 6) // 2
    length = struct.unpack_from("<I", plain, ignored)[0]
    data = bytes(plain[ignored + 4 : ignored + 4 + length])
    return proj_key, data


def project_stream(project_id: str, project_name: str, modules: Sequence[Module]) -> bytes:
    """The text PROJECT stream: modules, name, and the unprotected, visible, passwordless state."""
    lines = [f'ID="{project_id}"']
    for m in modules:
        if m.kind == "document":
            lines.append(f"Document={m.name}/&H00000000")
        elif m.kind == "class":
            lines.append(f"Class={m.name}")
        else:
            lines.append(f"Module={m.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(project_id, bytes(4))}"',  # ProjectProtectionState: nothing protected
        f'DPB="{encrypt(project_id, bytes(1))}"',  # ProjectPassword: none (a single 0x00)
        f'GC="{encrypt(project_id, bytes([0xFF]))}"',  # ProjectVisibilityState: visible
        "",
        "[Host Extender Info]",
        HOST_EXTENDER,
        "",
    ]
    return _mbcs("\r\n".join(lines))


def projectwm_stream(modules: Sequence[Module]) -> bytes:
    """PROJECTwm: each module's MBCS name and UTF-16 name, NUL-terminated; then a 0x0000."""
    out = bytearray()
    for m in modules:
        out += _mbcs(m.name) + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
    out += b"\0\0"
    return bytes(out)
