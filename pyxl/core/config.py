"""Rule thresholds: the shipped TOML defaults, deep-merged with a user's file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["Config", "load_config"]


@dataclass(frozen=True)
class Config:
    data: dict[str, Any]

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    def __getitem__(self, dotted: str) -> Any:
        return self.get(dotted)


def _defaults() -> dict[str, Any]:
    text = resources.files("pyxl").joinpath("rules.toml").read_text("utf-8")
    return tomllib.loads(text)


# Tables whose keys are a bureau's own words: a file's table replaces the default one whole, since
# merging 优秀/良好/合格/不合格 into 优/良/中/差 would give eight grades (the values are checked by the spec)
_OWN_WORDS = frozenset({"selfeval.grades"})


def _merge(base: dict[str, Any], override: dict[str, Any], path: str = "") -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        where = f"{path}{key}"
        if where in _OWN_WORDS and isinstance(value, dict):
            if not value:
                raise ConfigError(f"配置项 {where} 不能为空", f"config key {where} must not be an empty table")
            out[key] = dict(value)
            continue
        if key not in base:
            raise ConfigError(f"配置文件中有未知的键 {where}", f"unknown key {where} in config file")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"配置项 {where} 应为一个表（[{where}]）", f"config key {where} must be a table")
            out[key] = _merge(base[key], value, where + ".")
        else:
            if type(value) is not type(base[key]) and not (
                isinstance(value, int | float) and isinstance(base[key], int | float)
            ):
                raise ConfigError(
                    f"配置项 {where} 的类型应与默认值 {base[key]!r} 相同，实际为 {value!r}",
                    f"config key {where} must have the type of its default {base[key]!r}, got {value!r}",
                )
            out[key] = value
    return out


def load_config(path: str | Path | None = None) -> Config:
    data = _defaults()
    if path is None:
        return Config(data)
    path = Path(path)
    try:
        user = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"找不到配置文件：{path}", f"config file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件格式错误：{path}（{exc}）", f"invalid TOML in {path}: {exc}") from None
    merged = _merge(data, user)
    from .config_check import check_config

    check_config(merged)  # the whole file, now: types, allowed values, ranges (the shipped defaults: a test)
    return Config(merged)
