"""pyxl — 预算绩效目标表 workbook automation: fill, validate (校验) and roll up in Excel.

Library use::

    import pyxl
    dept = pyxl.load_data("tribunal.yaml")
    pyxl.fill(dept, "tribunal.xlsx")
    report = pyxl.validate("tribunal.xlsx", out="tribunal-checked.xlsx")
    report.counts  # {"error": 2, "warning": 6, "info": 60}
    summary = pyxl.rollup(["departments/"])  # .departments, .projects, .indicators … (pandas)
    summary.write("汇总.xlsx")
"""

from __future__ import annotations

from .api import clear, fill, template, validate
from .consolidate import Rollup, rollup, write_feedback
from .core.config import Config, load_config
from .core.errors import ConfigError, DataFileError, PyxlError, UserError, WorkbookError
from .core.findings import Finding, Severity
from .core.loader import load_data
from .core.model import Department, Indicator, Location, Project, Target
from .rules import run_rules
from .workbook import Report

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "DataFileError",
    "Department",
    "Finding",
    "Indicator",
    "Location",
    "Project",
    "PyxlError",
    "Report",
    "Rollup",
    "Severity",
    "Target",
    "UserError",
    "WorkbookError",
    "clear",
    "fill",
    "load_config",
    "load_data",
    "rollup",
    "run_rules",
    "template",
    "validate",
    "write_feedback",
]
