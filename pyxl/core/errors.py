"""Exceptions raised by pyxl.

PyxlError
 └─ UserError            bad input the user can fix; carries a Chinese and an English message
     ├─ DataFileError    a pyxl/v1 data file is malformed
     ├─ ConfigError      a rules TOML file is malformed
     └─ WorkbookError    a workbook cannot be read or has no layout pyxl knows

Faces (CLI, Excel buttons) turn a UserError into a one-line message and exit status 2;
anything else is a bug and may show a traceback.
"""

from __future__ import annotations

__all__ = ["ConfigError", "DataFileError", "PyxlError", "UserError", "WorkbookError"]


class PyxlError(Exception):
    """Base of every pyxl exception."""


class UserError(PyxlError):
    def __init__(self, zh: str, en: str, *, rule: str | None = None) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en
        # A rule id from the catalog (file-unreadable, layout-unrecognized) so that rollup
        # can list the file with the same id validate would use.
        self.rule = rule

    def one_line(self) -> str:
        # file names and quoted input may hold line breaks; the reason stays on one line
        text = f"错误：{self.zh} / Error: {self.en}"
        return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


class DataFileError(UserError):
    pass


class ConfigError(UserError):
    pass


class WorkbookError(UserError):
    pass
