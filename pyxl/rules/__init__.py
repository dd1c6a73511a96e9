"""Rules: the catalog and the checks that run over a department.

``run_rules(department, config)`` returns every finding (no stop at the first).
"""

from __future__ import annotations

from .catalog import CATALOG, Rule
from .engine import run_rules

__all__ = ["CATALOG", "Rule", "run_rules"]
