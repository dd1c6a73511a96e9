"""The registry of checks: what a check module needs (Context, register) and nothing above it.

Check modules import this, the engine imports them and this: no module imports the engine back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..core.config import Config
from ..core.findings import Finding
from ..core.model import Department

__all__ = ["CHECKS", "Check", "Context", "register"]


@dataclass(frozen=True)
class Context:
    config: Config
    year: int  # the budget year (department's, else the as-of date's)
    as_of: dt.date | None = None  # for in-year monitoring; None when validating targets only


Check = Callable[[Department, Context], Iterable[Finding]]
CHECKS: list[Check] = []


def register(check: Check) -> Check:
    CHECKS.append(check)
    return check
