"""Append-only row spools on disk, so memory stays flat however many files are rolled up.

Rows arrive one file at a time and are read back, in order, when the summary is
written; a province's ~10⁶ indicator rows never sit in memory at once.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["Spool", "SpoolDir"]


class Spool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._fh = open(path, "wb")

    def extend(self, rows: Sequence[Any]) -> None:
        if rows:
            pickle.dump(rows, self._fh, protocol=pickle.HIGHEST_PROTOCOL)
            self.count += len(rows)

    def flush(self) -> None:
        if not self._fh.closed:
            self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()

    def batches(self) -> Iterator[Sequence[Any]]:
        """The rows in the order they were added, a file's worth at a time."""
        self.flush()
        with open(self.path, "rb") as fh:
            while True:
                try:
                    yield pickle.load(fh)
                except EOFError:
                    return

    def __iter__(self) -> Iterator[Any]:
        for batch in self.batches():
            yield from batch


class SpoolDir:
    """A temporary folder of spools, removed when the owner is garbage-collected or closed."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="pyxl-rollup-"))
        self._spools: list[Spool] = []
        self._cleanup = weakref.finalize(self, _remove, self.path, self._spools)

    def spool(self, name: str) -> Spool:
        s = Spool(self.path / f"{name}.pickle")
        self._spools.append(s)
        return s

    def close(self) -> None:
        self._cleanup()


def _remove(path: Path, spools: list[Spool]) -> None:
    for s in spools:
        s.close()
    shutil.rmtree(path, ignore_errors=True)
