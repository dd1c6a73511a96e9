"""Run every check over a department and collect the findings."""

from __future__ import annotations

import datetime as dt

from ..core.config import Config, load_config
from ..core.findings import Finding
from ..core.model import Department
from .registry import CHECKS, Check, Context, register  # re-exported for check modules written before the split

__all__ = ["CHECKS", "Check", "Context", "check_config", "read_issue_findings", "register", "run_rules"]


def run_rules(
    dept: Department, config: Config | None = None, *, as_of: dt.date | None = None
) -> list[Finding]:
    # Importing the check modules registers them; kept here so `import pyxl.rules` stays cheap.
    from . import (  # noqa: F401
        dates,
        measures,
        monitoring,
        names,
        placeholders,
        polarity,
        selfeval,
        spending,
        structure,
        targets,
        text,
        vague,
    )
    from .policy import apply_policy

    config = config or load_config()
    year = dept.year or (as_of or dt.date.today()).year
    ctx = Context(config=config, year=year, as_of=as_of)
    findings: list[Finding] = read_issue_findings(dept)
    for check in CHECKS:
        findings.extend(check(dept, ctx))
    return apply_policy(findings, config)


def check_config(config: Config) -> None:
    """Raise ConfigError for policy values the TOML types cannot rule out (a severity word, a field
    name, a placeholder pattern), before any file is read: a rollup must not fail every file one by one."""
    from .placeholders import compile_patterns
    from .policy import apply_policy, required_fields

    apply_policy([], config)
    required_fields(config, "project")
    required_fields(config, "indicator")
    compile_patterns(tuple(config["placeholders.patterns"]))


def read_issue_findings(dept: Department) -> list[Finding]:
    """Findings for what the reader met (layout-unrecognized blocks, import doubts), in reading order."""
    from dataclasses import replace

    from .catalog import CATALOG

    out = []
    for issue in dept.read_issues:
        f = CATALOG[issue.rule].finding(loc=issue.loc, project=issue.project, path=issue.path, **issue.params)
        out.append(replace(f, message=f"{issue.where}：{f.message}") if issue.where else f)
    return out
