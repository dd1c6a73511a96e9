"""pyxl excel-setup: the steps it takes on Windows (driven with a recording runner) and its plan elsewhere."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

from pyxl.excel.setup import plan, run_setup


class Recorder:
    def __init__(self, fail: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail = fail

    def __call__(self, cmd: Sequence[str]) -> tuple[int, str]:
        self.calls.append(list(cmd))
        if self.fail and self.fail in " ".join(cmd):
            return 1, "Error: Excel is running\nPermissionError: xlwings.xlam in use"
        return 0, "Successfully installed the xlwings add-in!"


def _steps(xlwings: bool, version: tuple[int, ...] = (3, 12, 1)):
    steps = plan(python=r"C:\Python312\python.exe", version=version)
    if not xlwings:
        steps[2].ok, steps[2].detail = False, "未安装 xlwings：将用 pip 安装"
        steps[2].command = [r"C:\Python312\python.exe", "-m", "pip", "install", "xlwings"]
    return steps


def test_windows_installs_xlwings_then_the_add_in() -> None:
    runner, lines = Recorder(), []
    code = run_setup(platform="win32", runner=runner, echo=lines.append, steps=_steps(xlwings=False))
    assert code == 0
    assert runner.calls == [[r"C:\Python312\python.exe", "-m", "pip", "install", "xlwings"],
                            [r"C:\Python312\python.exe", "-m", "xlwings.cli", "addin", "install"]]
    assert lines[-1].startswith("全部就绪") and all(line.startswith("✓") for line in lines[:-1])


def test_windows_says_what_failed() -> None:
    runner, lines = Recorder(fail="addin"), []
    code = run_setup(platform="win32", runner=runner, echo=lines.append, steps=_steps(xlwings=True))
    assert code == 1
    assert len(runner.calls) == 1  # xlwings was there: only the add-in step ran
    assert any(line.startswith("✗ xlwings 加载项") and "xlwings.xlam in use" in line for line in lines)
    assert lines[-1].startswith("未全部完成")


def test_an_old_python_stops_before_installing_anything() -> None:
    runner, lines = Recorder(), []
    code = run_setup(platform="win32", runner=runner, echo=lines.append, steps=_steps(xlwings=False, version=(3, 9, 0)))
    assert code == 1 and runner.calls == []
    assert "3.11" in lines[0] and lines[0].startswith("✗ Python")


def test_elsewhere_it_prints_what_it_would_do() -> None:
    done = subprocess.run([sys.executable, "-m", "pyxl", "excel-setup"], capture_output=True, text=True, timeout=120)
    if sys.platform.startswith("win"):
        return  # would really install
    assert done.returncode == 0
    assert "只在 Windows 上安装" in done.stdout and "xlwings.cli addin install" in done.stdout
    assert sys.executable in done.stdout
