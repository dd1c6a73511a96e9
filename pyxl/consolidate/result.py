"""The result of a rollup: per-department records in memory, long tables spooled on disk.

Also where the figures the summary shows are decided: department and project rows
with their month columns, totals, the JSON report and the exit status.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..rules.catalog import CATALOG
from .extract import DeptRecord, FileRecord, FileResult
from .months import MISSING, MonthTotal, add_month_totals
from .spec import DEPARTMENTS, FILES, FINDINGS, INDICATORS, PROJECTS, WAN, Column, Table, selfeval_grade_columns
from .spool import SpoolDir

__all__ = ["Rollup"]


def _json_number(value: Any) -> Any:
    """A Decimal for JSON: the float whose shortest repr is its decimal text (86.8, not 86.80000000000001).

    Sums of amounts typed with up to 15 significant digits come out exactly as they add up.
    """
    return float(value) if isinstance(value, Decimal) else value


def _month_column(prefix: str, month: int, header: str) -> Column:
    return Column(f"{prefix}_{month}", f"{month}月底{header}", WAN, 14)


class Rollup:
    """Departments' workbooks consolidated. DataFrames: departments, projects, indicators, findings, files."""

    def __init__(self, config: Config, as_of: dt.date | None = None, inputs: list[str] | None = None) -> None:
        self.config = config
        self.as_of = as_of
        self.inputs = inputs or []  # the INPUT arguments, as shown in the summary's folder cell
        self._dir = SpoolDir()
        self._projects = self._dir.spool("projects")
        self._indicators = self._dir.spool("indicators")
        self._findings = self._dir.spool("findings")
        self.file_records: list[FileRecord] = []
        self.department_records: list[DeptRecord] = []
        self._codes: dict[str, tuple[str, str, str | None]] = {}  # code → (department, file, cell) first seen
        self._frames: dict[str, Any] = {}
        self._plan_months: set[int] = set()
        self._actual_months: set[int] = set()

    # ------------------------------------------------------------ collecting

    def add(self, result: FileResult) -> None:
        rec = result.file
        self.file_records.append(rec)
        if result.department is None:
            if rec.status == "failed":
                rule = CATALOG[rec.rule or "file-unreadable"]
                f = rule.finding(reason=rec.reason or "")
                row = (None, rec.file, f.severity.value, f.rule, None, None, None, f.message, f.hint)
                self._findings.extend([row])
            return
        dept = result.department
        self.department_records.append(dept)
        self._projects.extend(result.projects)
        self._indicators.extend(result.indicators)
        extra = self._cross_department_duplicates(dept, result.codes)
        self._findings.extend(result.findings + extra)
        for row in result.projects:
            self._plan_months.update(row[-2])
            self._actual_months.update(row[-1])
        if extra:
            dept.findings["error"] += len(extra)
            rec.findings = (rec.findings or 0) + len(extra)

    def _cross_department_duplicates(
        self, dept: DeptRecord, codes: list[tuple[str, str | None]]
    ) -> list[tuple[Any, ...]]:
        rule = CATALOG["code-duplicate"]
        out = []
        for code, cell in codes:
            first = self._codes.setdefault(code, (dept.name, dept.file, cell))
            if first[1] != dept.file:
                other = f"部门“{first[0]}”（{first[1]}{'，' + first[2] if first[2] else ''}）"
                f = rule.finding(code=code, other=other)
                sheet, _, where = (cell or "").partition("!")
                out.append((dept.name, dept.file, f.severity.value, f.rule, sheet or None, where or None,
                            code, f.message, f.hint))
        return out

    def finish(self) -> None:
        for s in (self._projects, self._indicators, self._findings):
            s.flush()
        self.file_records.sort(key=lambda r: r.index)
        self._codes.clear()  # only needed while files arrive

    def close(self) -> None:
        """Remove the spooled rows (also done when the object is garbage-collected)."""
        self._dir.close()

    # ------------------------------------------------------------ figures

    @property
    def read(self) -> list[FileRecord]:
        return [r for r in self.file_records if r.status == "read"]

    @property
    def failed(self) -> list[FileRecord]:
        return [r for r in self.file_records if r.status == "failed"]

    @property
    def counts(self) -> dict[str, int]:
        c: Counter[str] = Counter()
        for d in self.department_records:
            c.update(d.findings)
        c["error"] += len(self.failed)
        return {k: c.get(k, 0) for k in ("error", "warning", "info")}

    @property
    def exit_code(self) -> int:
        """0 all read and no error-level finding; 1 errors or failed files; 2 nothing could be read."""
        if not self.read:
            return 2
        return 1 if self.failed or self.counts["error"] else 0

    @property
    def checkpoint_months(self) -> list[int]:
        """Months at which some department has a checkpoint of its own (the summary's month columns)."""
        return sorted(self._plan_months)

    @property
    def actual_months(self) -> list[int]:
        return sorted(self._actual_months)

    @property
    def month_totals(self) -> list[MonthTotal]:
        return add_month_totals(d.months for d in self.department_records)

    @property
    def budget(self) -> Decimal:
        return sum((d.budget for d in self.department_records), Decimal(0))

    @property
    def fiscal(self) -> Decimal:
        return sum((d.fiscal for d in self.department_records), Decimal(0))

    @property
    def totals(self) -> dict[str, Any]:
        recs = self.department_records
        return {
            "departments": len(recs),
            "projects": sum(d.projects for d in recs),
            "indicators": sum(d.indicators for d in recs),
            "budget": self.budget,  # Decimal: the exact sum of what was typed (万元)
            "fiscal": self.fiscal,
        }

    @property
    def plan(self) -> dict[str, Decimal]:
        """Cumulative planned amount (万元, Decimal) of all departments at each checkpoint month.

        A department without its own checkpoint in that month counts with the value
        interpolated between its neighbouring checkpoints (the 支出进度 sheet marks these).
        """
        totals = self.month_totals
        return {str(m): totals[m - 1].plan for m in self.checkpoint_months if totals[m - 1].valued}

    @property
    def grades(self) -> tuple[str, ...]:
        """自评 等级 words, best first, from the run's ``[selfeval.grades]``."""
        section = self.config.get("selfeval")["grades"]
        return tuple(sorted(section, key=lambda g: -float(section[g])))

    @property
    def year(self) -> int:
        years = Counter(d.year for d in self.department_records if d.year)
        if years:
            return years.most_common(1)[0][0]
        return (self.as_of or dt.date.today()).year

    # ------------------------------------------------------------ tables

    def department_table(self) -> tuple[Table, list[tuple[Any, ...]]]:
        months = self.checkpoint_months
        grades = self.grades
        table = DEPARTMENTS.with_columns(tuple(_month_column("plan", m, "累计计划（万元）") for m in months),
                                         before="execution_rate")
        table = table.with_columns(selfeval_grade_columns(grades), before="se_rate")
        rows = []
        for i, d in enumerate(self.department_records, start=1):
            own = [m in d.checkpoints and d.months[m - 1].status != MISSING for m in months]
            plan = [float(d.months[m - 1].plan) if ok else None for m, ok in zip(months, own, strict=True)]
            rows.append((
                i, d.name, d.code, d.year, d.file, d.layout, d.projects, d.indicators, d.quantitative,
                d.qualitative, d.targets, float(d.budget), float(d.fiscal), *plan,
                d.execution_rate, d.outcomes["met"], d.outcomes["near"], d.outcomes["missed"],
                len(d.se_totals), d.se_mean, *(d.se_grades[g] for g in grades), d.se_rate,
                d.findings["error"], d.findings["warning"], d.findings["info"],
            ))
        return table, rows

    def project_table(self) -> Table:
        plan = tuple(_month_column("plan", m, "累计计划（万元）") for m in self.checkpoint_months)
        actual = tuple(_month_column("actual", m, "累计实际支出（万元）") for m in self.actual_months)
        return PROJECTS.with_columns(plan + actual, before="execution_rate")

    def project_rows(self) -> Iterator[tuple[Any, ...]]:
        months, actual_months = self.checkpoint_months, self.actual_months
        cut = PROJECTS.keys.index("execution_rate")
        for row in self._projects:
            *fixed, plan, actual = row
            yield (*fixed[:cut], *(plan.get(m) for m in months), *(actual.get(m) for m in actual_months),
                   *fixed[cut:])

    @property
    def project_count(self) -> int:
        return self._projects.count

    def indicator_rows(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._indicators)

    @property
    def indicator_count(self) -> int:
        return self._indicators.count

    def finding_rows(self) -> Iterator[tuple[Any, ...]]:
        """Errors first, then warnings, then info (as reports list them), each in file order.

        One pass over the spool per severity: the order costs no memory.
        """
        for severity in ("error", "warning", "info"):
            for row in self._findings:
                if row[2] == severity:
                    yield row

    @property
    def finding_count(self) -> int:
        return self._findings.count

    def file_table(self) -> tuple[Table, list[tuple[Any, ...]]]:
        rows = [tuple(getattr(r, k) for k in FILES.keys) for r in self.file_records]
        return FILES, rows

    def long_tables(self) -> list[tuple[Table, Iterator[tuple[Any, ...]] | Any, int]]:
        """(spec, rows, count) of the tables that may outgrow a sheet."""
        return [
            (self.project_table(), self.project_rows, self.project_count),
            (INDICATORS, self.indicator_rows, self.indicator_count),
            (FINDINGS, self.finding_rows, self.finding_count),
        ]

    # ------------------------------------------------------------ DataFrames (the Python API)

    def _frame(self, key: str, table: Table, rows: Any) -> Any:
        if key not in self._frames:
            import pandas as pd

            self._frames[key] = pd.DataFrame.from_records(list(rows), columns=table.keys)
        return self._frames[key]

    @property
    def departments(self) -> Any:
        table, rows = self.department_table()
        return self._frame("departments", table, rows)

    @property
    def projects(self) -> Any:
        return self._frame("projects", self.project_table(), self.project_rows())

    @property
    def indicators(self) -> Any:
        return self._frame("indicators", INDICATORS, self.indicator_rows())

    @property
    def findings(self) -> Any:
        return self._frame("findings", FINDINGS, self.finding_rows())

    @property
    def files(self) -> Any:
        table, rows = self.file_table()
        return self._frame("files", table, rows)

    # ------------------------------------------------------------ JSON

    def _json_head(self) -> dict[str, Any]:
        return {
            "departments": [
                {"file": d.file, "name": d.name, "projects": d.projects, "budget": float(d.budget),
                 "fiscal": float(d.fiscal),
                 "findings": {k: d.findings[k] for k in ("error", "warning", "info")},
                 "execution_rate": d.execution_rate,
                 "targets": {k: d.outcomes[k] for k in ("met", "near", "missed")},
                 "selfeval": d.selfeval(self.grades)}
                for d in self.department_records
            ],
            "totals": {k: _json_number(v) for k, v in self.totals.items()},
            "plan": {k: _json_number(v) for k, v in self.plan.items()},
            "files": {
                "read": len(self.read),
                "failed": [{"file": r.file, "reason": r.reason} for r in self.failed],
            },
        }

    def _json_findings(self) -> Iterator[dict[str, Any]]:
        for dept, file, severity, rule, sheet, cell, project, message, _hint in self.finding_rows():
            del dept
            yield {"file": file, "rule": rule, "severity": severity, "sheet": sheet, "cell": cell,
                   "project": project, "message": message}

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary as a dict (amounts as the shortest float that prints their exact decimal)."""
        out = self._json_head()
        out["findings"] = list(self._json_findings())
        return out

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON summary as text (what ``--json`` writes)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def write_json(self, path: str | Path) -> Path:
        """The JSON report, streamed: findings are written one by one, never all held at once."""
        from ..core.atomic import write_atomic
        from ..outputs import check_output

        check_output("json", path, "--json")

        head = json.dumps(self._json_head(), ensure_ascii=False, indent=2)

        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(head[:-2] + ',\n  "findings": [')
                for i, f in enumerate(self._json_findings()):
                    fh.write(("," if i else "") + "\n    " + json.dumps(f, ensure_ascii=False))
                fh.write("\n  ]\n}\n")

        write_atomic(path, write)
        return Path(path)

    def write(self, path: str | Path, **options: Any) -> list[Path]:
        """Write the summary workbook (and Parquet files for tables too long for a sheet)."""
        from ..outputs import check_output
        from .summary_writer import write_summary

        check_output("rollup", path)

        return write_summary(self, Path(path), **options)
