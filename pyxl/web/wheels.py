"""Pure-Python wheels for the page, built from what is installed here.

The page must run the same code as the command line, so the wheels are made from
the installed distributions (the versions the CLI uses), not downloaded anew: a
distribution's files as its RECORD lists them, minus byte-code and installer
bookkeeping, with a fresh RECORD. A distribution with compiled files is refused:
Pyodide could not load it. pyxl itself is packed from its package folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from ..core.errors import UserError

__all__ = ["dist_wheel", "native_wheel", "pyxl_wheel"]

_NATIVE = (".so", ".pyd", ".dylib", ".dll")
_SKIP_META = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same bytes on every build


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name)


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def _write_wheel(target: Path, files: Iterable[tuple[str, bytes]], dist_info: str) -> Path:
    record = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in sorted(files):
            info = zipfile.ZipInfo(arcname, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
            record.append(_record_line(arcname, data))
        record.append(f"{dist_info}/RECORD,,")
        info = zipfile.ZipInfo(f"{dist_info}/RECORD", _FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, "\n".join(record) + "\n")
    return target


def _wheel_meta(name: str, version: str) -> str:
    return f"Wheel-Version: 1.0\nGenerator: pyxl web ({name} {version})\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def dist_wheel(name: str, out_dir: Path) -> Path:
    """A py3-none-any wheel of the installed distribution ``name``."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise UserError(f"未安装 {name}，无法打包网页所需的依赖",
                        f"{name} is not installed; cannot pack it for the page") from None
    files = []
    for rel in dist.files or ():
        posix = rel.as_posix()
        if "__pycache__" in rel.parts or posix.endswith(".pyc") or posix.startswith(".."):
            continue  # ../../bin/… are scripts outside site-packages
        if posix.endswith(_NATIVE):
            raise UserError(f"{name} 含编译模块（{posix}），无法在浏览器中运行",
                            f"{name} has compiled code ({posix}); it cannot run in the browser")
        parts = rel.parts
        if parts[0].endswith(".dist-info") and parts[-1] in _SKIP_META:
            continue
        path = Path(str(dist.locate_file(rel)))
        if path.is_file():
            files.append((posix, path.read_bytes()))
    if not files:
        raise UserError(f"找不到 {name} 的文件", f"no files found for {name}")
    dist_info = next(p.split("/")[0] for p, _ in files if p.split("/")[0].endswith(".dist-info"))
    files = [(p, d) for p, d in files if p != f"{dist_info}/WHEEL"]
    files.append((f"{dist_info}/WHEEL", _wheel_meta(name, dist.version).encode()))
    target = out_dir / f"{_norm(dist.metadata['Name'])}-{dist.version}-py3-none-any.whl"
    return _write_wheel(target, files, dist_info)


def pyxl_wheel(out_dir: Path) -> Path:
    """pyxl's own wheel, from the package folder this module belongs to (works from a checkout too)."""
    import pyxl

    package = Path(pyxl.__file__).resolve().parent
    try:
        version = metadata.version("pyxl-jixiao")
    except metadata.PackageNotFoundError:
        version = pyxl.__version__
    files = []
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package.parent)
        if not path.is_file() or "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo"):
            continue
        files.append((rel.as_posix(), path.read_bytes()))
    dist_info = f"pyxl_jixiao-{version}.dist-info"
    files.append((f"{dist_info}/METADATA", f"Metadata-Version: 2.1\nName: pyxl-jixiao\nVersion: {version}\n".encode()))
    files.append((f"{dist_info}/WHEEL", _wheel_meta("pyxl-jixiao", version).encode()))
    return _write_wheel(out_dir / f"pyxl_jixiao-{version}-py3-none-any.whl", files, dist_info)


def native_wheel(name: str, runtime: Path, cache: Path) -> Path | None:
    """The PyPI wheel of ``name`` compiled for this Pyodide runtime's ABI, at the installed version,
    downloaded once into ``cache``; None when there is none (or no network): the page then does without."""
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
    info = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    platform = f"pyemscripten_{info['abi_version']}_wasm32"
    python = ".".join(info["python"].split(".")[:2])
    tag = f"cp{python.replace('.', '')}"
    target = cache / "wheels" / platform
    pattern = f"{_norm(name)}-{version}-{tag}-{tag}-{platform}.whl"
    def found() -> Path | None:
        return next((p for p in sorted(target.iterdir()) if p.name.lower() == pattern.lower()), None)

    if target.is_dir() and (hit := found()):
        return hit
    target.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--platform", platform, "--python-version", python, "--implementation", "cp",
         f"{name}=={version}", "-d", str(target)],
        capture_output=True, text=True, check=False)
    return found() if run.returncode == 0 else None
