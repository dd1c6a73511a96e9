"""Load a pyxl/v1 data file (YAML or JSON) into the model.

Structure is checked against the shipped JSON Schema; every problem is reported
with its key path and, for YAML and JSON text, its line, in Chinese and English.
Content problems (an empty budget, a wrong unit) are not load errors: they load
and the rules report them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import DataFileError
from .model import Department, Indicator, Project, SelfEval, Target

__all__ = ["dump_data", "load_data", "load_data_text", "model_from_data", "schema"]


@cache
def schema() -> dict[str, Any]:
    text = resources.files("pyxl").joinpath("schema/pyxl-v1.schema.json").read_text("utf-8")
    return json.loads(text)


def load_data(path: str | Path) -> Department:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"找不到数据文件：{path}", f"data file not found: {path}") from None
    except OSError as exc:
        raise DataFileError(f"无法读取数据文件：{path}（{exc.strerror}）", f"cannot read data file {path}: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"数据文件不是 UTF-8 编码（第 {exc.start} 字节）：{path}",
            f"data file is not UTF-8 (byte {exc.start}): {path}",
        ) from None
    return load_data_text(text, name=str(path), json_syntax=path.suffix.lower() == ".json")


def load_data_text(text: str, *, name: str = "<data>", json_syntax: bool = False) -> Department:
    try:
        return _load_data_text(text, name=name, json_syntax=json_syntax)
    except RecursionError:  # [[[[…]]]] thousands deep: the parsers and the schema check recurse
        raise DataFileError(f"{name} 嵌套层次过深，不是 pyxl/v1 数据文件",
                            f"{name} is nested too deeply to be a pyxl/v1 data file") from None


def _load_data_text(text: str, *, name: str, json_syntax: bool) -> Department:
    import yaml

    lines: dict[tuple[Any, ...], int] = {}
    if json_syntax:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataFileError(
                f"{name} 第 {exc.lineno} 行 JSON 格式错误：{exc.msg}",
                f"{name} line {exc.lineno}: invalid JSON: {exc.msg}",
            ) from None
    else:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else "?"
            problem = getattr(exc, "problem", None) or str(exc)
            raise DataFileError(
                f"{name} 第 {line} 行 YAML 格式错误：{problem}",
                f"{name} line {line}: invalid YAML: {problem}",
            ) from None
        if node is not None:
            _index_lines(node, (), lines)
    if not isinstance(data, dict):
        raise DataFileError(
            f"{name} 不是 pyxl/v1 数据文件：顶层应为键值表（schema、department、projects）",
            f"{name} is not a pyxl/v1 data file: the top level must be a mapping (schema, department, projects)",
        )
    _unquoted_date(data)
    _check_schema(data, name, lines)
    return model_from_data(data)


def _unquoted_date(data: dict[str, Any]) -> None:
    """YAML reads an unquoted ``as_of: 2026-10-31`` (or ``start:``/``end:``) as a date; the data file means the text."""
    import datetime as dt

    def iso(mapping: Any, *keys: str) -> None:
        if isinstance(mapping, dict):
            for key in keys:
                if isinstance(mapping.get(key), dt.date):
                    mapping[key] = mapping[key].isoformat()[:10]

    iso(data.get("department"), "as_of")
    projects = data.get("projects")
    for project in projects if isinstance(projects, list) else ():
        iso(project, "start", "end")


def _index_lines(node: Any, path: tuple[Any, ...], out: dict[tuple[Any, ...], int],
                 seen: set[int] | None = None) -> None:
    import yaml

    # An alias (*a) is the node it names: walking it again per path would multiply
    # (nine aliases of nine aliases… is a billion paths from a few lines of YAML).
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*path, key.value)] = key.start_mark.line + 1
            _index_lines(value, (*path, key.value), out, seen)
            out[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), out, seen)


def _check_schema(data: dict[str, Any], name: str, lines: dict[tuple[Any, ...], int]) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    messages_zh, messages_en = [], []
    for err in errors[:5]:
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # point at the first unknown key itself, not at its parent mapping
            extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
            line_path = (*path, extra[0]) if extra else path
        else:
            line_path = path
        key = _key_text(path)
        line = _nearest_line(line_path, lines)
        where_zh = f"第 {line} 行 " if line else ""
        where_en = f"line {line} " if line else ""
        zh, en = _explain(err)
        messages_zh.append(f"{where_zh}{key}：{zh}")
        messages_en.append(f"{where_en}{key}: {en}")
    more = len(errors) - 5
    if more > 0:
        messages_zh.append(f"另有 {more} 处")
        messages_en.append(f"and {more} more")
    raise DataFileError(
        f"{name} 不符合 pyxl/v1：" + "；".join(messages_zh),
        f"{name} does not match pyxl/v1: " + "; ".join(messages_en),
    )


def _key_text(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（顶层）"


def _nearest_line(path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]


def _explain(err: Any) -> tuple[str, str]:
    v = err.validator
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        keys = "、".join(map(str, extra))
        allowed = "、".join(err.schema.get("properties", {}))
        return (f"未知的键 {keys}（允许：{allowed}）", f"unknown key(s) {', '.join(map(str, extra))}")
    if v == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        return (f"缺少必需的键 {'、'.join(missing)}", f"missing required key(s) {', '.join(missing)}")
    if v == "const":
        expected, got = err.validator_value, err.instance
        return (f"应为 {expected!r}，实际为 {got!r}", f"must be {expected!r}, got {got!r}")
    if v == "type":
        expected = err.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        names = {"string": "文本", "number": "数字", "integer": "整数", "null": "空", "object": "键值表", "array": "列表"}
        zh = "或".join(names.get(t, t) for t in expected)
        return (f"类型应为{zh}，实际为 {err.instance!r}", f"must be of type {'/'.join(expected)}, got {err.instance!r}")
    if v in ("minimum", "maximum"):
        return (f"取值超出范围：{err.instance!r}", f"value out of range: {err.instance!r}")
    if v == "pattern":
        what = err.schema.get("description", "")
        return (f"格式不对：{err.instance!r}（{what}）", f"malformed value {err.instance!r} ({err.validator_value})")
    return (err.message, err.message)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _scalar_map(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in (value or {}).items()}


_PROJECT_TEXT_KEYS = ("code", "name", "supervisor", "implementer", "contact", "nature", "category", "start", "end",
                      "purpose", "long_term_goal", "goal")


def model_from_data(data: dict[str, Any]) -> Department:
    """Build the model from an already schema-valid pyxl/v1 mapping."""
    d = data.get("department") or {}
    dept = Department(
        name=_text(d.get("name")),
        code=_text(d.get("code")),
        year=d.get("year"),
        overall_goal=_text(d.get("overall_goal")),
        as_of=_text(d.get("as_of")),
        targets=[Target(**{k: (_text(v) if k in ("goal", "indicator", "numbering") else v) for k, v in t.items()})
                 for t in d.get("targets") or []],
    )
    for p in data.get("projects") or []:
        texts = {k: _text(p.get(k)) for k in _PROJECT_TEXT_KEYS}
        selfeval = p.get("selfeval")
        project = Project(
            **texts,
            total_budget=p.get("total_budget"),
            budget=p.get("budget"),
            funding=_scalar_map(p.get("funding")),
            spend_plan=_scalar_map(p.get("spend_plan")),
            spend_actual=_scalar_map(p.get("spend_actual")),
            indicators=[Indicator(**i) for i in p.get("indicators") or []],
            selfeval=SelfEval(**selfeval) if selfeval else None,
        )
        dept.projects.append(project)
    return dept


def dump_data(dept: Department, path: str | Path) -> None:
    """Write the department as a pyxl/v1 file (YAML, or JSON by suffix)."""
    import yaml

    path = Path(path)
    data = dept.to_data()
    if path.suffix.lower() == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    from .atomic import write_text_atomic

    write_text_atomic(path, text)
