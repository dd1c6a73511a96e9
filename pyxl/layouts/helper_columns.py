"""A run of hidden helper columns on a sheet (the live verdict, the 自评 score): where each keyed column sits."""

from __future__ import annotations

from typing import ClassVar

__all__ = ["HelperColumns"]


class HelperColumns:
    """Mixin for a frozen dataclass with ``first`` (1-based column of the first helper) and ``KEYS`` in order."""

    first: int
    KEYS: ClassVar[tuple[str, ...]] = ()

    def letter(self, key: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.first + self.KEYS.index(key))

    @property
    def last(self) -> int:
        return self.first + len(self.KEYS) - 1
