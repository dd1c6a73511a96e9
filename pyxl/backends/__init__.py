"""Backends: how pyxl reads and marks a workbook (openpyxl for files, xlwings for live Excel)."""

from .base import Backend, Formula

__all__ = ["Backend", "Formula"]
