"""An OOXML package (a zip) edited part by part: untouched parts are copied as raw compressed bytes.

Reading a part inflates it through :mod:`zipfile`; writing the package copies
every part nobody replaced straight from the input file, compressed bytes and
CRC as they were, without inflating or deflating it. Only the parts an editor
replaced or added are deflated anew. Parts keep their order in the zip (new
ones go last), so ``[Content_Types].xml`` stays first.

Pure Python (zipfile, zlib, struct): the browser page runs it in Pyodide too.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

__all__ = ["Package"]

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # new parts: the same bytes on every run (validate twice == once)


class Package:
    """The parts of one zip file; ``get`` reads, ``put``/``delete`` stage changes, ``write`` saves."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._zip = zipfile.ZipFile(self.path)
        self._infos = {i.filename: i for i in self._zip.infolist() if not i.is_dir()}
        self._order = list(self._infos)
        self._changed: dict[str, bytes] = {}
        self._deleted: set[str] = set()
        self._cache: dict[str, bytes] = {}

    def close(self) -> None:
        self._zip.close()

    # ------------------------------------------------------------ parts

    def names(self) -> list[str]:
        return [n for n in self._order if n not in self._deleted] + [
            n for n in self._changed if n not in self._infos and n not in self._deleted
        ]

    def __contains__(self, name: str) -> bool:
        return (name in self._infos or name in self._changed) and name not in self._deleted

    def get(self, name: str) -> bytes:
        if name in self._deleted:
            raise KeyError(name)
        if name in self._changed:
            return self._changed[name]
        if name not in self._cache:
            self._cache[name] = self._zip.read(self._infos[name])
        return self._cache[name]

    def text(self, name: str) -> str:
        return self.get(name).decode("utf-8")

    def original(self, name: str) -> bytes | None:
        """The part as the input file holds it (None if the input has no such part)."""
        if name not in self._infos:
            return None
        if name not in self._cache:
            self._cache[name] = self._zip.read(self._infos[name])
        return self._cache[name]

    def put(self, name: str, data: bytes | str) -> None:
        """Stage a part's new bytes; bytes equal to the input's make the part a plain copy again."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._deleted.discard(name)
        if name in self._infos and self.original(name) == data:
            self._changed.pop(name, None)
        else:
            self._changed[name] = data

    def delete(self, name: str) -> None:
        self._changed.pop(name, None)
        if name in self._infos:
            self._deleted.add(name)

    def free_name(self, pattern: str, reserved: Iterable[str] = ()) -> str:
        """The first ``pattern.format(n)`` not in the package nor ``reserved``
        (``xl/comments{}.xml`` → xl/comments3.xml)."""
        n = 1
        taken = {x.lower() for x in (*self.names(), *reserved)}
        while pattern.format(n).lower() in taken:
            n += 1
        return pattern.format(n)

    @property
    def changed(self) -> set[str]:
        return set(self._changed) | self._deleted

    # ------------------------------------------------------------ writing

    def write(self, target: str | Path) -> None:
        with open(self.path, "rb") as src, open(target, "wb") as out:
            central: list[bytes] = []
            for name in self.names():
                offset = out.tell()
                if name in self._changed:
                    central.append(_write_new(out, name, self._changed[name], self._infos.get(name), offset))
                else:
                    central.append(_copy_raw(src, out, self._infos[name], offset))
            start = out.tell()
            for entry in central:
                out.write(entry)
            size = out.tell() - start
            if len(central) > 0xFFFF or start > 0xFFFFFFFF:  # pragma: no cover - far beyond the input limits
                raise ValueError("package too large for a plain zip")
            out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))


def _dos_time(date_time: Iterable[int]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return (h << 11) | (mi << 5) | (s // 2), ((max(y, 1980) - 1980) << 9) | (mo << 5) | d


def _name_bytes(info: zipfile.ZipInfo) -> tuple[bytes, int]:
    """The name as stored, and the flag bits that say how it is encoded."""
    if info.flag_bits & 0x800:
        return info.filename.encode("utf-8"), 0x800
    try:
        return info.filename.encode("cp437"), 0
    except UnicodeEncodeError:
        return info.filename.encode("utf-8"), 0x800


def _headers(info: zipfile.ZipInfo, name: bytes, flags: int, method: int, crc: int, csize: int, usize: int,
             offset: int) -> tuple[bytes, bytes]:
    time, date = _dos_time(info.date_time)
    local = _LOCAL.pack(b"PK\x03\x04", 20, flags, method, time, date, crc, csize, usize, len(name), 0) + name
    made_by = (info.create_system << 8) | min(info.create_version, 63)
    central = _CENTRAL.pack(b"PK\x01\x02", made_by, 20, flags, method, time, date, crc, csize, usize,
                            len(name), 0, 0, 0, info.internal_attr, info.external_attr & 0xFFFFFFFF, offset)
    return local, central + name


def _copy_raw(src: BinaryIO, out: BinaryIO, info: zipfile.ZipInfo, offset: int) -> bytes:
    """Copy one part's compressed bytes as they are: no inflate, no deflate."""
    src.seek(info.header_offset)
    header = src.read(_LOCAL.size)
    name_len, extra_len = _LOCAL.unpack(header)[-2:]
    src.seek(info.header_offset + _LOCAL.size + name_len + extra_len)
    name, name_flag = _name_bytes(info)
    # bit 3 (sizes in a trailing descriptor) is dropped: the sizes go in the header instead
    flags = (info.flag_bits & ~0x808) | name_flag
    local, central = _headers(info, name, flags, info.compress_type, info.CRC, info.compress_size,
                              info.file_size, offset)
    out.write(local)
    left = info.compress_size
    while left:
        chunk = src.read(min(left, 1 << 20))
        if not chunk:
            raise ValueError(f"truncated part {info.filename}")
        out.write(chunk)
        left -= len(chunk)
    return central


def _write_new(out: BinaryIO, name: str, data: bytes, old: zipfile.ZipInfo | None, offset: int) -> bytes:
    info = zipfile.ZipInfo(name, date_time=old.date_time if old is not None else _FIXED_TIME)
    if old is not None:
        info.external_attr, info.create_system = old.external_attr, old.create_system
    else:
        info.create_system = 0
    # a big sheet re-written for one inserted element: the fastest level costs a few % of size, not seconds
    deflater = zlib.compressobj(1 if len(data) > 1 << 18 else 6, zlib.DEFLATED, -15)
    body = deflater.compress(data) + deflater.flush()
    raw, name_flag = _name_bytes(info)
    local, central = _headers(info, raw, name_flag, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(body),
                              len(data), offset)
    out.write(local)
    out.write(body)
    return central
