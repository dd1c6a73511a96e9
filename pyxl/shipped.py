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


def _tribunal_macros(path: Path) -> None:
    """The tribunal's workbook with its 校验 buttons: filled as .xlsm, then validated in place."""
    from .api import fill, validate
    from .demo import seed_data_path

    fill(seed_data_path(), path)
    validate(path, in_place=True)


def _department(index: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        from .api import fill
        from .demo import sample_departments

        fill(sample_departments()[index], path)

    return build


def _tribunal_plain(path: Path) -> None:
    """The tribunal in the summary's folder: at year end (自评), as the sample departments."""
    from .api import fill
    from .demo import selfeval_data_path

    fill(selfeval_data_path(), path)


def _summary(path: Path) -> None:
    """汇总.xlsx over the department workbooks beside it (the repository's when built elsewhere, so
    that a rebuild reads the very files committed: their sizes and hashes are in 处理记录)."""
    from .consolidate import rollup
    from .demo import SUMMARY_FOLDER

    folder = path.parent / SUMMARY_FOLDER
    if not folder.is_dir():
        folder = Path(__file__).resolve().parents[1] / "workbook" / SUMMARY_FOLDER
    extend = None
    if path.suffix == ".xlsm":  # with its 汇总 button
        from .excel.macro_workbook import add_to_xlsxwriter as extend
    rollup([folder], root=folder.parent).write(path, extend=extend)


def _summary_inputs() -> dict[str, Callable[[Path], None]]:
    from .demo import SAMPLE_DEPARTMENTS, SUMMARY_FOLDER, TRIBUNAL_NAME

    inputs = {f"workbook/{SUMMARY_FOLDER}/{TRIBUNAL_NAME}.xlsx": _tribunal_plain}
    for i, (_seed, _code, name, _plan) in enumerate(SAMPLE_DEPARTMENTS):
        inputs[f"workbook/{SUMMARY_FOLDER}/{name}.xlsx"] = _department(i)
    return inputs


# repository path → builder (in order: the summary reads the department workbooks built before it)
SHIPPED: dict[str, Callable[[Path], None]] = {
    "templates/部门绩效目标模板.xlsx": _template,
    "templates/部门绩效目标模板.xlsm": _template,
    "workbook/法庭-绩效目标.xlsx": _tribunal,
    "workbook/法庭-绩效目标.xlsm": _tribunal_macros,
    **_summary_inputs(),
    "workbook/汇总.xlsx": _summary,
    "workbook/汇总.xlsm": _summary,
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
