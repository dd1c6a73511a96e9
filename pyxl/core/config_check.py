"""Check a whole rules configuration when it is loaded, against a declarative spec.

The spec is ``pyxl/schema/rules.schema.json`` (JSON Schema: each key's type, allowed
values and range); a section added to ``rules.toml`` is covered by adding its entries
there. What a schema cannot say (two lists of the same length, months in order) is in
``RELATIONS`` below. A value out of bounds is refused at once with one line in Chinese
and English, before any rule runs, whatever the workbook holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from .errors import ConfigError

__all__ = ["RELATIONS", "check_config", "schema_keys"]

_TYPES = {  # JSON Schema type → (Chinese, English)
    "number": ("数值", "a number"), "integer": ("整数", "an integer"), "string": ("文本", "a string"),
    "array": ("列表", "a list"), "object": ("表", "a table"), "boolean": ("true 或 false", "true or false"),
}


@cache
def _validator() -> Any:
    import jsonschema

    text = resources.files("pyxl").joinpath("schema/rules.schema.json").read_text("utf-8")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _where(error: Any) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(整个文件)"


def _message(error: Any) -> tuple[str, str]:
    where, value, kind = _where(error), error.instance, error.validator
    got = json.dumps(value, ensure_ascii=False)
    bound = error.validator_value
    if kind == "type":
        zh, en = _TYPES.get(bound, (bound, bound))
        return f"配置项 {where} 应为{zh}，实际为 {got}", f"config key {where} must be {en}, got {got}"
    if kind == "enum":
        allowed = "、".join(map(str, bound))
        return (f"配置项 {where} 只能是 {allowed} 之一，实际为 {got}",
                f"config key {where} must be one of {', '.join(map(str, bound))}, got {got}")
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        op = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}[kind]
        return f"配置项 {where} 应 {op} {bound}，实际为 {got}", f"config key {where} must be {op} {bound}, got {got}"
    if kind in ("minItems", "minLength"):
        return f"配置项 {where} 不能为空", f"config key {where} must not be empty"
    if kind == "format":
        return (f"配置项 {where} 不是有效的正则表达式：{got}",
                f"config key {where} is not a valid regular expression: {got}")
    return f"配置项 {where} 的值无效：{got}", f"config key {where} is invalid ({error.message})"


def _fixed_lines_pair(data: dict[str, Any]) -> bool:
    lines = data.get("monitoring", {}).get("fixed_lines", {})
    months, percents = lines.get("months", []), lines.get("percents", [])
    return len(months) == len(percents) and all(a < b for a, b in pairwise(months))


# (holds, Chinese, English): relations between keys that the schema cannot state
RELATIONS: list[tuple[Callable[[dict[str, Any]], bool], str, str]] = [
    (_fixed_lines_pair,
     "配置项 monitoring.fixed_lines 的 months 与 percents 应一一对应，且月份从小到大",
     "config keys monitoring.fixed_lines.months and .percents must pair up, months in increasing order"),
]


def check_config(data: dict[str, Any]) -> None:
    """Raise ConfigError (one line, Chinese and English) for the first key out of its spec."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ConfigError(*_message(errors[0]))
    for holds, zh, en in RELATIONS:
        if not holds(data):
            raise ConfigError(zh, en)


def schema_keys() -> set[str]:
    """Every dotted leaf key the spec describes (to prove rules.toml is covered)."""

    def walk(node: dict[str, Any], prefix: str) -> Iterator[str]:
        for key, sub in node.get("properties", {}).items():
            if "properties" in sub:
                yield from walk(sub, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}"

    return set(walk(_validator().schema, ""))
