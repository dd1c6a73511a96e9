"""Build the static site: ``pyxl web -o DIR``.

DIR holds everything the page needs and nothing it would fetch elsewhere:

    index.html, app.js, pyxl.js, worker.js, style.css   the page (package data, pyxl/web/assets)
    pyodide/                                            the Pyodide runtime (npm package, cached)
    wheels/*.whl                                        pyxl and its pure-Python dependencies (plus
                                                        python-calamine built for Pyodide, when PyPI has it)
    files/                                              the blank template and the tribunal example
    manifest.json                                       what the worker loads, with sizes

The site is built in a sibling folder and moved into place: a failed build leaves
DIR as it was. An existing DIR is replaced only if it is empty or an earlier site.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.errors import UserError
from .runtime import cache_dir, fetch_runtime, runtime_spec
from .wheels import dist_wheel, native_wheel, pyxl_wheel

__all__ = ["ASSETS", "SAMPLES", "build_site"]

ASSETS = ("index.html", "app.js", "pyxl.js", "worker.js", "style.css")
# what the page offers to download: (file in files/, name it is saved as)
SAMPLES = {
    "template": ("template.xlsx", "部门绩效目标模板.xlsx"),
    "example": ("tribunal.xlsx", "法庭-绩效目标（示例）.xlsx"),
}
MANIFEST = "manifest.json"


def _samples(into: Path) -> dict[str, dict[str, str]]:
    from ..api import fill, template
    from ..core.loader import load_data

    into.mkdir()
    template(into / SAMPLES["template"][0])
    with resources.as_file(resources.files("pyxl").joinpath("data", "tribunal.yaml")) as seed:
        fill(load_data(seed), into / SAMPLES["example"][0])
    return {key: {"url": f"files/{file}", "name": name} for key, (file, name) in SAMPLES.items()}


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} 已存在且不是文件夹", f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise UserError(f"{out} 不是空文件夹，也不是 pyxl 网页；请换一个文件夹",
                        f"{out} is neither empty nor an earlier pyxl site; choose another folder")


def build_site(out: str | Path, *, cache: Path | None = None) -> dict[str, Any]:
    """Write the site into ``out``; returns its manifest."""
    out = Path(out)
    _check_target(out)
    rt = runtime_spec()
    runtime = fetch_runtime(rt, cache=cache)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        assets = resources.files("pyxl.web").joinpath("assets")
        for name in ASSETS:
            (site / name).write_bytes(assets.joinpath(name).read_bytes())
        (site / "pyodide").mkdir()
        for name in rt.files:
            shutil.copyfile(runtime / name, site / "pyodide" / name)
        wheels_dir = site / "wheels"
        wheels_dir.mkdir()
        wheels = [dist_wheel(name, wheels_dir) for name in rt.distributions] + [pyxl_wheel(wheels_dir)]
        native = [w for w in (native_wheel(n, runtime, cache or cache_dir()) for n in rt.native) if w is not None]
        for w in native:
            shutil.copyfile(w, wheels_dir / w.name)
        wheels += [wheels_dir / w.name for w in native]
        samples = _samples(site / "files")
        from .. import __version__

        manifest: dict[str, Any] = {
            "pyxl": __version__,
            "pyodide": rt.version,
            "wheels": [w.name for w in wheels],
            "native": [w.name for w in native],
            "samples": samples,
            "bytes": {
                "pyodide": sum(f.stat().st_size for f in (site / "pyodide").iterdir()),
                "wheels": sum(w.stat().st_size for w in wheels),
            },
        }
        manifest["bytes"]["total"] = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        (site / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if out.exists():
            old = Path(tmp) / "old"
            os.replace(out, old)  # removed with the temporary folder
        os.replace(site, out)
    return manifest
