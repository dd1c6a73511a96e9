"""``pyxl excel-setup``: make the 校验 button of the .xlsm workbooks work on this PC, in one step.

On Windows it checks Python (the one running pyxl), pyxl itself, the xlwings package
(installs it with pip if missing), the xlwings add-in of Excel (``xlwings addin install``,
which also points the add-in at this Python), and says in Chinese what is ready and what
is not. Elsewhere it prints what it would do (the buttons need desktop Excel on Windows;
macOS users run the same two commands by hand, see docs/excel.md).

The steps are data (``plan``) and the commands run through an injectable runner, so the
logic is tested without Windows; only a Windows PC with Excel proves the add-in works.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["MIN_PYTHON", "Step", "plan", "run_setup"]

MIN_PYTHON = (3, 11)
Runner = Callable[[Sequence[str]], tuple[int, str]]


@dataclass
class Step:
    what: str  # what is checked, in Chinese
    ok: bool | None  # None: not checked yet (a command will tell)
    detail: str
    command: list[str] | None = None  # what fixes it / does it


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _default_runner(cmd: Sequence[str]) -> tuple[int, str]:
    done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=600)
    return done.returncode, (done.stdout + done.stderr).strip()


def plan(python: str = sys.executable, version: tuple[int, ...] = tuple(sys.version_info[:3])) -> list[Step]:
    """The steps, with what is already known about this machine."""
    steps = [
        Step("Python", version[:2] >= MIN_PYTHON,
             f"Python {'.'.join(map(str, version))}（{python}）" +
             ("" if version[:2] >= MIN_PYTHON else f"：需要 {MIN_PYTHON[0]}.{MIN_PYTHON[1]} 或更新版本，请从 python.org 安装")),
        Step("pyxl", True, f"pyxl {_version('pyxl-jixiao') or '（源码）'}"),
    ]
    xlwings = _version("xlwings") if importlib.util.find_spec("xlwings") else None
    steps.append(Step("xlwings", xlwings is not None,
                      f"xlwings {xlwings}" if xlwings else "未安装 xlwings：将用 pip 安装",
                      None if xlwings else [python, "-m", "pip", "install", "xlwings"]))
    steps.append(Step("xlwings 加载项", None, "安装（或更新）Excel 的 xlwings 加载项，并让它使用上面的 Python",
                      [python, "-m", "xlwings.cli", "addin", "install"]))
    return steps


def run_setup(
    *,
    platform: str = sys.platform,
    runner: Runner | None = None,
    echo: Callable[[str], None] = print,
    steps: list[Step] | None = None,
) -> int:
    """Run the steps (Windows) or print them (elsewhere). Exit status 0 when everything is ready."""
    steps = steps if steps is not None else plan()
    runner = runner or _default_runner
    if not platform.startswith("win"):
        echo("pyxl excel-setup 只在 Windows 上安装（按钮需要 Windows 桌面版 Excel）。在 Windows 上它会：")
        for s in steps:
            state = "已就绪" if s.ok else "待处理" if s.ok is False else "将执行"
            line = f"  · {s.what}：{s.detail}（{state}）"
            if s.command and not s.ok:
                line += f"\n      {' '.join(s.command)}"
            echo(line)
        echo("macOS 上可手动运行：pip3 install pyxl-jixiao xlwings，然后 xlwings addin install（详见 docs/excel.md）。")
        return 0
    failed = False
    for s in steps:
        if s.ok is False and s.command is None:
            echo(f"✗ {s.what}：{s.detail}")
            failed = True
            break  # nothing after it can work
        if s.command and not s.ok:
            code, output = runner(s.command)
            s.ok = code == 0
            if not s.ok:
                last = output.splitlines()[-1] if output else f"退出码 {code}"
                s.detail += f"：失败（{last}）"
        echo(f"{'✓' if s.ok else '✗'} {s.what}：{s.detail}")
        failed |= not s.ok
        if s.what == "xlwings" and not s.ok:
            break  # the add-in step needs the package
    if failed:
        echo("未全部完成：请按上面的提示处理后再运行 pyxl excel-setup。详见 docs/excel.md。")
        return 1
    echo("全部就绪：重新打开 Excel，打开 .xlsm 工作簿，点“启用内容”，再点“校验”。")
    return 0
