"""Foundations: the model, the 指标值 grammar and units, the indicator framework, schedule, scoring,
findings, errors and config. Plain values in, plain values out: no openpyxl, xlwings or pandas."""
