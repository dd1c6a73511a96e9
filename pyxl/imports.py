"""`pyxl import`: published text or a workbook in, a pyxl/v1 file or a workbook out.

Sits beside the workbook orchestrator: it opens sources through the layouts and writes
through the loader and the writers; the findings come from the rules (read issues).
"""

from __future__ import annotations

from pathlib import Path

from .core.errors import UserError
from .core.model import Department

__all__ = ["DATA_SUFFIXES", "WORKBOOK_SUFFIXES", "read_source", "read_text_file", "write_output"]

DATA_SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".txt", ".text", ".md")


def read_text_file(path: Path) -> str:
    """The text of a published document; UTF-8, else GB18030 (what Chinese tools save as 'ANSI')."""
    try:
        from .backends.safety import Limits

        limit = Limits.from_config().max_file_bytes
        if path.stat().st_size > limit:  # a published text is tens of KB; do not read gigabytes
            raise UserError(f"{path.name} 过大（上限 {limit // 2**20} MB）",
                            f"{path.name} is too large (the limit is {limit // 2**20} MB)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到文件：{path}", f"file not found: {path}") from None
    except OSError as exc:
        raise UserError(f"无法读取文件：{path}（{exc.strerror}）", f"cannot read {path}: {exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(
        f"{path.name} 既不是 UTF-8 也不是 GBK 编码的文本", f"{path.name} is neither UTF-8 nor GBK text"
    )


def read_source(
    path: Path, *, name: str | None = None, code: str | None = None, year: int | None = None
) -> tuple[Department, str]:
    """(department, layout) from published text or a workbook in any layout pyxl reads."""
    suffix = path.suffix.lower()
    # other spreadsheet files go the workbook way too: pyxl.backends.safety names what they are (.xls, .ods…)
    if suffix in (*WORKBOOK_SUFFIXES, ".xls", ".xlsb", ".ods", ".et", ".csv"):
        from .workbook import open_file, read_department

        layout, dept = read_department(open_file(path))
        for key, value in (("name", name), ("code", code), ("year", year)):
            if value is not None:
                setattr(dept, key, value)
        return dept, layout
    if suffix in DATA_SUFFIXES:
        raise UserError(f"{path.name} 已经是数据文件，无需导入", f"{path.name} is already a data file")
    from .layouts.text_import import import_text

    text = read_text_file(path)
    if not text.strip():
        raise UserError(f"{path.name} 是空文件", f"{path.name} is empty")
    dept = import_text(text, name=name, code=code, year=year)
    if not (dept.targets or dept.projects):
        # an overall goal alone is nothing to check (a 决算 report's "总体情况说明" reads as one)
        raise UserError(
            f"{path.name} 中找不到项目或绩效目标（没有“分项绩效目标”，也没有可识别的项目绩效目标表）",
            f"{path.name} holds no project and no target "
            "(no 分项绩效目标 section, no project table pyxl can read)",
            rule="layout-unrecognized",
        )
    return dept, "text"


def write_output(dept: Department, out: Path, *, form: bool = False) -> None:
    suffix = out.suffix.lower()
    if suffix in DATA_SUFFIXES:
        from .core.loader import dump_data

        dump_data(dept, out)
    elif suffix in WORKBOOK_SUFFIXES:
        from .layouts.workbook_out import write_department

        write_department(dept, out, form=form)
    else:
        raise UserError(
            f"输出文件应为 .yaml、.json 或 .xlsx：{out.name}",
            f"output must be .yaml, .json or .xlsx: {out.name}",
        )
