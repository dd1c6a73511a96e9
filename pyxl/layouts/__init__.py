"""Layouts: how a department is laid out in a workbook (our template, the official form, published text)."""
