"""The workbooks shipped in the repository (templates/, workbook/), rebuilt from code.

`python -m pyxl.shipped [ROOT]` rewrites them; a test rebuilds each into a temporary
folder and compares it with the committed file, so they never go stale.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["SHIPPED", "build_all"]


def _template(path: Path) -> None:
    from .api import template

    template(path)


def _tribunal(path: Path) -> None:
    from .api import fill, validate
    from .demo import seed_data_path

    filled = path.with_name(f".{path.stem}-filled.xlsx")
    try:
        fill(seed_data_path(), filled)
        validate(filled, out=path)
    finally:
        filled.unlink(missing_ok=True)


# repository path → builder
SHIPPED: dict[str, Callable[[Path], None]] = {
    "templates/部门绩效目标模板.xlsx": _template,
    "workbook/法庭-绩效目标.xlsx": _tribunal,
}


def build_all(root: Path) -> list[Path]:
    out = []
    for rel, build in SHIPPED.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        build(path)
        out.append(path)
    return out


if __name__ == "__main__":
    for p in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()):
        print(p)
