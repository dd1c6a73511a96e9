"""Findings: what a rule reports, located at a sheet and cell."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

__all__ = ["SEVERITY_ZH", "Finding", "Severity", "count_by_severity", "report_order"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    hint: str = ""
    sheet: str | None = None
    cell: str | None = None
    project: str | None = None
    path: str | None = None  # where in the model, e.g. "projects[1].indicators[0].description"
    file: str | None = None

    def located(self, sheet: str | None, cell: str | None) -> Finding:
        return replace(self, sheet=sheet, cell=cell)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def report_order(f: Finding) -> tuple[int, str, str]:
    """How reports list findings (CLI, JSON, API, 校验结果): errors first, then by sheet and rule."""
    return (f.severity.rank, f.sheet or "", f.rule)


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    c = Counter(f.severity.value for f in findings)
    return {s.value: c.get(s.value, 0) for s in Severity}
