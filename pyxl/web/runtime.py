"""The Pyodide runtime for the page: the npm package ``pyodide``, fetched once and cached.

Fetched with ``npm pack`` where npm is installed (npm checks the registry's integrity
itself), else as the registry's tarball over HTTPS. Either way the tarball is checked
against the integrity pinned in ``pyodide.toml`` before anything is taken from it, and
kept in the user's cache directory (``PYXL_CACHE_DIR``, else the platform's cache
folder) so that later builds need no network.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..core.errors import UserError

__all__ = ["Runtime", "cache_dir", "fetch_runtime", "runtime_spec"]


@dataclass(frozen=True)
class Runtime:
    version: str
    integrity: str
    registry: str
    files: tuple[str, ...]
    distributions: tuple[str, ...]
    native: tuple[str, ...] = ()

    @property
    def tarball_name(self) -> str:
        return f"pyodide-{self.version}.tgz"


def runtime_spec() -> Runtime:
    data = tomllib.loads(resources.files("pyxl.web").joinpath("pyodide.toml").read_text(encoding="utf-8"))
    return Runtime(data["version"], data["integrity"], data["registry"].rstrip("/"), tuple(data["files"]),
                   tuple(data["wheels"]["distributions"]), tuple(data.get("native", {}).get("distributions", ())))


def cache_dir() -> Path:
    """Where downloads are kept between builds."""
    if os.environ.get("PYXL_CACHE_DIR"):
        return Path(os.environ["PYXL_CACHE_DIR"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "pyxl"


def _matches(path: Path, integrity: str) -> bool:
    algo, _, digest = integrity.partition("-")
    h = hashlib.new(algo)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return base64.b64encode(h.digest()).decode() == digest


def _npm_pack(rt: Runtime, into: Path) -> Path | None:
    npm = shutil.which("npm")
    if npm is None:
        return None
    run = subprocess.run([npm, "pack", f"pyodide@{rt.version}", "--pack-destination", str(into), "--silent"],
                         capture_output=True, text=True, check=False)
    made = into / rt.tarball_name
    return made if run.returncode == 0 and made.is_file() else None


def _download(rt: Runtime, into: Path) -> Path:
    import urllib.request

    url = f"{rt.registry}/pyodide/-/{rt.tarball_name}"
    target = into / rt.tarball_name
    try:
        with urllib.request.urlopen(url, timeout=120) as resp, open(target, "wb") as out:
            shutil.copyfileobj(resp, out)
    except OSError as exc:
        raise UserError(f"无法下载 Pyodide 运行环境（{url}）：{exc}",
                        f"cannot download the Pyodide runtime ({url}): {exc}") from None
    return target


def fetch_runtime(rt: Runtime | None = None, *, cache: Path | None = None) -> Path:
    """The directory holding the runtime's files (extracted from the cached, verified tarball)."""
    rt = rt or runtime_spec()
    root = (cache or cache_dir()) / "pyodide"
    unpacked = root / rt.version
    if all((unpacked / f).is_file() for f in rt.files):
        return unpacked
    root.mkdir(parents=True, exist_ok=True)
    tarball = root / rt.tarball_name
    if not (tarball.is_file() and _matches(tarball, rt.integrity)):
        with tempfile.TemporaryDirectory(dir=root) as tmp:
            got = _npm_pack(rt, Path(tmp)) or _download(rt, Path(tmp))
            if not _matches(got, rt.integrity):
                raise UserError(f"下载的 Pyodide {rt.version} 校验和不符，已拒绝",
                                f"the downloaded Pyodide {rt.version} does not match its pinned integrity; refused")
            os.replace(got, tarball)
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        staging = Path(tmp) / rt.version
        staging.mkdir()
        with tarfile.open(tarball, "r:gz") as tar:
            for name in rt.files:
                member = tar.getmember(f"package/{name}")
                src = tar.extractfile(member)
                if src is None:
                    raise UserError(f"Pyodide 包缺少文件 {name}", f"the Pyodide package lacks {name}")
                with src, open(staging / name, "wb") as out:
                    shutil.copyfileobj(src, out)
        if unpacked.exists():
            shutil.rmtree(unpacked)
        os.replace(staging, unpacked)
    return unpacked
