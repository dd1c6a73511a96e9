"""The bureau's policy (``[policy]`` of rules.toml): required fields, severities, field labels.

Checks read their part of the policy through these helpers; ``apply_policy`` then sets the
severities the bureau chose on the findings of a run. With the shipped defaults every finding
keeps its catalog severity (the contract in DESIGN.md).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from importlib import resources

from ..core.config import Config
from ..core.errors import ConfigError
from ..core.findings import Finding, Severity

__all__ = ["SEVERITY_WORDS", "apply_policy", "field_label", "required_fields", "severity_of"]

# The words a policy file may use for a severity.
SEVERITY_WORDS: dict[str, Severity] = {
    "error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO,
    "错误": Severity.ERROR, "警告": Severity.WARNING, "提示": Severity.INFO,
}
_OPERATOR_MISSING = "target-operator-missing"


@cache
def _labels() -> dict[str, dict[str, str]]:
    text = resources.files("pyxl.rules").joinpath("fields.toml").read_text("utf-8")
    return tomllib.loads(text)


def field_label(kind: str, key: str) -> str:
    """What the forms call a field: ("project", "start") → "计划开始日期"."""
    return _labels().get(kind, {}).get(key, key)


def severity_of(word: str, key: str) -> Severity:
    try:
        return SEVERITY_WORDS[str(word).strip()]
    except KeyError:
        raise ConfigError(
            f"配置项 {key} 应为 error、warning 或 info，实际为 {word!r}",
            f"config key {key} must be error, warning or info, got {word!r}",
        ) from None


def required_fields(config: Config, kind: str) -> list[tuple[str, str]]:
    """(field, label) pairs the policy requires for "project" or "indicator" rows."""
    key = f"policy.required_{kind}_fields"
    known = _labels()[kind]
    out = []
    for name in config[key]:
        if name not in known:
            raise ConfigError(
                f"配置项 {key} 中的“{name}”不是{'项目' if kind == 'project' else '指标'}字段（可选：{'、'.join(known)}）",
                f"config key {key}: {name!r} is not a {kind} field (choices: {', '.join(known)})",
            )
        out.append((name, known[name]))
    return out


def apply_policy(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """The findings with the severities the policy sets (``policy.severity``, and
    ``policy.operator_missing_severity`` for a project's indicator rows)."""
    table = {rule: severity_of(word, f"policy.severity.{rule}") for rule, word in config["policy.severity"].items()}
    findings = list(findings)
    operator = severity_of(config["policy.operator_missing_severity"], "policy.operator_missing_severity")
    out = []
    for f in findings:
        wanted = table.get(f.rule)
        if f.rule == _OPERATOR_MISSING and (f.path or "").startswith("projects["):
            wanted = operator
        out.append(replace(f, severity=wanted) if wanted is not None and wanted is not f.severity else f)
    return out
