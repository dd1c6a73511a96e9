"""A compound file (the OLE "structured storage" of vbaProject.bin) written from a tree of streams.

[MS-CFB] version 3: 512-byte sectors, streams under 4,096 bytes in the mini stream
(64-byte mini sectors), one FAT, no DIFAT sectors (109 FAT sectors in the header are
enough for files up to about 7 MB; a VBA project of a few modules is a few dozen KB).
Timestamps and CLSIDs are zero and the sibling trees are built deterministically, so
the same streams always give the same bytes.

Each storage's children form a red-black tree ordered as [MS-CFB] 2.6.4 prescribes
(shorter names first, then by upper-cased UTF-16 code units). The tree is balanced by
construction (median split) and the nodes on an incomplete last level are coloured red,
so every path has the same number of black nodes, as the rules require.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Storage", "write_compound_file"]

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
HEADER_DIFAT = 109

STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1


@dataclass
class Storage:
    """A storage: named streams (bytes) and named sub-storages."""

    streams: dict[str, bytes] = field(default_factory=dict)
    storages: dict[str, Storage] = field(default_factory=dict)


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    colour: int = BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _order_key(name: str) -> tuple[int, str]:
    # [MS-CFB] 2.6.4: compare lengths first, then the names upper-cased code unit by code unit
    return (len(name.encode("utf-16-le")), name.upper())


def _flatten(root: Storage) -> list[_Entry]:
    entries = [_Entry("Root Entry", ROOT)]

    def add(storage: Storage, parent: int) -> None:
        names = [n.upper() for n in (*storage.streams, *storage.storages)]
        if len(set(names)) != len(names):  # siblings are compared without case
            raise ValueError("two entries of one storage differ only in case")
        for name, data in storage.streams.items():
            entries.append(_Entry(name, STREAM, data=data, size=len(data)))
            entries[parent].children.append(len(entries) - 1)
        for name, sub in storage.storages.items():
            entries.append(_Entry(name, STORAGE))
            index = len(entries) - 1
            entries[parent].children.append(index)
            add(sub, index)

    add(root, 0)
    for e in entries:
        if len(e.name) > 31:
            raise ValueError(f"compound file names are at most 31 characters: {e.name!r}")
    return entries


def _build_tree(entries: list[_Entry], ids: list[int], depth: int, full_depth: int) -> int:
    """Balanced tree over ``ids`` (sorted); returns the root id. Nodes deeper than the last
    complete level are red, all others black."""
    if not ids:
        return NOSTREAM
    mid = len(ids) // 2
    node = entries[ids[mid]]
    node.colour = RED if depth > full_depth else BLACK
    node.left = _build_tree(entries, ids[:mid], depth + 1, full_depth)
    node.right = _build_tree(entries, ids[mid + 1 :], depth + 1, full_depth)
    return ids[mid]


def _link(entries: list[_Entry]) -> None:
    for e in entries:
        if not e.children:
            continue
        ids = sorted(e.children, key=lambda i: _order_key(entries[i].name))
        # depth (0-based) of the last level that a median-split tree of n nodes fills completely
        full_depth = (len(ids) + 1).bit_length() - 2
        e.child = _build_tree(entries, ids, 0, full_depth)


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i + 1 < count else ENDOFCHAIN


def _sectors(size: int, unit: int) -> int:
    return (size + unit - 1) // unit


def _dir_entry(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le") + b"\0\0"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        e.kind,
        e.colour,
        e.left,
        e.right,
        e.child,
        b"\0" * 16,
        0,
        0,
        0,
        e.start if e.kind != STORAGE else 0,
        e.size,
    )


def write_compound_file(root: Storage | Mapping[str, object]) -> bytes:
    """The bytes of a compound file holding ``root``'s streams and storages."""
    if not isinstance(root, Storage):
        raise TypeError("root must be a Storage")
    entries = _flatten(root)
    _link(entries)

    # small streams into the mini stream, the others into sectors of their own
    mini = bytearray()
    minifat: list[int] = []
    big = [e for e in entries if e.kind == STREAM and e.size >= MINI_CUTOFF]
    for e in entries:
        if e.kind != STREAM or e.size >= MINI_CUTOFF:
            continue
        if e.size == 0:
            e.start = ENDOFCHAIN
            continue
        n = _sectors(e.size, MINI_SECTOR)
        e.start = len(minifat)
        minifat.extend([0] * n)
        _chain(minifat, e.start, n)
        mini += e.data + b"\0" * (n * MINI_SECTOR - e.size)

    dir_bytes_count = len(entries) * 128
    n_dir = _sectors(dir_bytes_count, SECTOR)
    n_minifat = _sectors(len(minifat) * 4, SECTOR)
    n_mini = _sectors(len(mini), SECTOR)
    n_big = sum(_sectors(e.size, SECTOR) for e in big)
    n_fat = 1
    while True:  # the FAT must also describe its own sectors
        total = n_fat + n_dir + n_minifat + n_mini + n_big
        need = _sectors(total * 4, SECTOR)
        if need <= n_fat:
            break
        n_fat = need
    if n_fat > HEADER_DIFAT:
        raise ValueError("VBA project too large for a compound file without DIFAT sectors")

    fat = [FREESECT] * (n_fat * SECTOR // 4)
    pos = 0
    for i in range(n_fat):
        fat[pos + i] = FATSECT
    pos += n_fat
    dir_start = pos
    _chain(fat, pos, n_dir)
    pos += n_dir
    minifat_start = pos if n_minifat else ENDOFCHAIN
    _chain(fat, pos, n_minifat)
    pos += n_minifat
    root_entry = entries[0]
    root_entry.start = pos if n_mini else ENDOFCHAIN
    root_entry.size = len(mini)
    _chain(fat, pos, n_mini)
    pos += n_mini
    for e in big:
        n = _sectors(e.size, SECTOR)
        e.start = pos
        _chain(fat, pos, n)
        pos += n

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector shift: 512
        6,  # mini sector shift: 64
        b"\0" * 6,
        0,  # directory sectors: must be 0 in version 3
        n_fat,
        dir_start,
        0,  # transaction signature
        MINI_CUTOFF,
        minifat_start,
        n_minifat,
        ENDOFCHAIN,  # first DIFAT sector: none
        0,
    )
    difat = list(range(n_fat)) + [FREESECT] * (HEADER_DIFAT - n_fat)
    header += struct.pack(f"<{HEADER_DIFAT}I", *difat)
    assert len(header) == SECTOR

    def padded(data: bytes | bytearray, fill: bytes = b"\0") -> bytes:
        rest = (-len(data)) % SECTOR
        return bytes(data) + fill * rest

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    directory = b"".join(_dir_entry(e) for e in entries)
    # unused directory slots are empty entries: no name, no siblings
    empty = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0)
    directory += empty * ((n_dir * SECTOR - len(directory)) // 128)
    out += directory
    if n_minifat:
        out += padded(struct.pack(f"<{len(minifat)}I", *minifat), b"\xff")
    if n_mini:
        out += padded(mini)
    for e in big:
        out += padded(e.data)
    return bytes(out)
