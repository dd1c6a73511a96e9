"""Writing one value into an openpyxl cell safely: shared by the template, form and live-check writers."""

from __future__ import annotations

from typing import Any

from ..backends.base import is_risky_text

__all__ = ["put"]


def put(cell: Any, value: Any) -> None:
    """Write a value; text that looks like a formula stays text (never executed)."""
    cell.value = value
    if is_risky_text(value):
        cell.data_type = "s"
