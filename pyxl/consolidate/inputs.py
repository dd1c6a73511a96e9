"""Turn rollup INPUT arguments (files, folders, globs) into the list of files to read."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Entry", "expand_inputs"]


@dataclass(frozen=True)
class Entry:
    path: str  # the argument, or the argument joined with the file's place in it
    status: str  # "read" (to be read), "skipped" (deliberately left out) or "failed" (nothing there)
    reason: str | None = None
    display: str = ""  # as shown in the summary: relative to the root when one is given

    @property
    def name(self) -> str:
        return self.display or self.path


def _display(path: str, root: Path | None) -> str:
    if root is None:
        return path
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return path


def _has_magic(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _walk(folder: str) -> list[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in sorted(files)]
    return found


def _skip_reason(path: str, excluded: set[Path]) -> str | None:
    name = os.path.basename(path)
    if name.startswith("~$"):
        return "Excel 打开文件时生成的临时锁定文件"
    if name.startswith("."):
        return "隐藏文件"
    resolved = Path(path).resolve()
    if resolved in excluded or not excluded.isdisjoint(resolved.parents):  # a file, or one in an output folder
        return "本次汇总的输出文件"
    return None


def expand_inputs(
    inputs: Sequence[str | os.PathLike[str]],
    exclude: Iterable[str | os.PathLike[str]] = (),
    root: str | os.PathLike[str] | None = None,
) -> list[Entry]:
    """Every file named by the inputs, in argument order (folders and globs sorted), each once.

    Folders are walked recursively. Excel's lock files (~$…), hidden files and the rollup's own
    outputs are listed as skipped; an argument that names nothing is listed as failed. With
    ``root``, files are shown relative to it (so a summary does not depend on where it was run).
    """
    excluded = {Path(p).resolve() for p in exclude}
    base = Path(os.path.abspath(root)) if root is not None else None
    entries: list[Entry] = []
    seen: set[Path] = set()
    for arg in inputs:
        text = os.fspath(arg)
        if os.path.isdir(text):
            candidates = _walk(text)
            if not candidates:
                entries.append(Entry(text, "failed", "文件夹中没有文件", _display(text, base)))
        elif os.path.exists(text):
            candidates = [text]
        elif _has_magic(text):
            candidates = sorted(p for p in glob.glob(text, recursive=True) if os.path.isfile(p))
            if not candidates:
                entries.append(Entry(text, "failed", "没有与之匹配的文件", _display(text, base)))
        else:
            entries.append(Entry(text, "failed", "找不到文件或文件夹", _display(text, base)))
            continue
        for path in candidates:
            key = Path(path).resolve()
            if key in seen:
                continue
            seen.add(key)
            reason = _skip_reason(path, excluded)
            entries.append(Entry(path, "skipped" if reason else "read", reason, _display(path, base)))
    return entries
