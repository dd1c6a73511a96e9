"""click's own usage errors as pyxl says every error: one line, Chinese and English, exit status 2.

click prints "Usage: … Try 'pyxl x --help' … Error: Missing option '-o'." over several
lines, in English. ``BilingualGroup`` runs the command line without click's standalone
handling and turns each ClickException into the one line the other errors use.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

__all__ = ["BilingualGroup", "click_error_line"]


def _hint(exc: click.ClickException) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is None and param is not None:
        hint = "/".join(param.opts) if param.param_type_name == "option" else (param.human_readable_name or "")
    if isinstance(hint, list | tuple):
        hint = "/".join(hint)
    return str(hint or "")


def _zh_en(exc: click.ClickException) -> tuple[str, str]:
    en = " ".join(exc.format_message().split())
    hint = _hint(exc)
    if isinstance(exc, click.MissingParameter):
        kind = "参数" if exc.param is not None and exc.param.param_type_name == "argument" else "选项"
        return f"缺少{kind} {hint}", en
    if isinstance(exc, click.NoSuchOption):
        return f"没有选项 {exc.option_name}", en
    if isinstance(exc, click.BadOptionUsage):
        return f"选项 {exc.option_name} 用法有误", en
    if isinstance(exc, click.BadParameter):
        if " / " in exc.message:  # pyxl's own callbacks already say it in both languages
            zh, own_en = exc.message.split(" / ", 1)
            return f"{hint} 的值无效：{zh}", f"invalid value for {hint}: {own_en}"
        if "is a directory" in exc.message:
            return f"{hint} 指向的是文件夹，需要文件", en
        if "does not exist" in exc.message:
            return f"{hint} 指向的文件不存在", en
        return f"{hint} 的值无效", en
    if isinstance(exc, click.FileError):
        return f"无法打开文件 {exc.ui_filename}", en
    if isinstance(exc, click.UsageError):
        if "No such command" in exc.message:
            return "没有这个命令", en
        if "unexpected extra argument" in exc.message:
            return "多余的参数", en
        return "命令用法有误", en
    return "命令未能完成", en


def click_error_line(exc: click.ClickException, command: str | None = None) -> str:
    zh, en = _zh_en(exc)
    where = f"pyxl {command} --help" if command else "pyxl --help"
    line = f"错误：{zh}（用法见 {where}） / Error: {en.rstrip('.')} (see {where})"
    return " ".join(line.split())


class BilingualGroup(click.Group):
    """A click group whose usage errors are one bilingual line (exit status 2)."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except click.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            command = ctx.command.name if ctx is not None and ctx.command is not self else None
            click.echo(click_error_line(exc, command), err=True)
            sys.exit(2)
        except click.exceptions.Abort:
            click.echo("已取消 / Aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)
