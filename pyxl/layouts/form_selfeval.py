"""The 自评 parts of a project's block in the printable form (`pyxl fill --form`), as the published
项目支出绩效自评表 prints them (财预〔2020〕10号, real/M01):

- the 项目资金 block: a header row (年初预算数, 全年预算数（A）, 全年执行数（B）, 分值, 执行率（B/A）,
  得分) over one 年度资金合计 row;
- 实际完成情况 of the 年度总体目标, on the row after 绩效目标;
- 总分 and 等级 on the row after the indicator table.

Each part is printed only when the project's ``selfeval`` has something for it, and in words the
readers know (selfeval_block reads them back, the block reader leaves them alone), so the form reads
back to the same model. The words are in pyxl/data/selfeval_words.toml ``[write]``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..core.model import Project, SelfEval

__all__ = [
    "FUND_WIDTH",
    "SelfEvalRows",
    "fund_rows",
    "has_foot",
    "has_fund",
    "write_foot",
    "write_fund",
    "write_goal_actual",
]


@dataclass(frozen=True)
class _Write:
    group: str
    columns: tuple[tuple[str, str], ...]
    total_row: str
    goal_actual: str
    total: str
    grade: str


@cache
def _words() -> _Write:
    data = tomllib.loads(resources.files("pyxl").joinpath("data/selfeval_words.toml").read_text("utf-8"))
    w = data["write"]
    return _Write(w["group"], tuple((k, h) for k, h in w["columns"]), w["total_row"], w["goal_actual"],
                  w["total"], w["grade"])


# the label column and one column per fund field: the block needs this many columns
FUND_WIDTH = 1 + len(_words().columns)

def _se(p: Project) -> SelfEval | None:
    return p.selfeval


def has_fund(p: Project) -> bool:
    """The project has a selfeval with anything in it. The fund block is then printed even when all
    its figures are blank: the reader finds a 自评 part by that block's header (as in real forms)."""
    se = _se(p)
    return se is not None and any(v is not None for k, v in vars(se).items() if k != "loc")


def has_foot(p: Project) -> bool:
    se = _se(p)
    return se is not None and (se.total is not None or se.grade is not None)


def fund_rows(p: Project) -> int:
    return 2 if has_fund(p) else 0


@dataclass(frozen=True)
class SelfEvalRows:
    """How the block writer draws: label(r, c, text, r1, c1) and value(r, c, v, c1, align)."""

    label: Callable[..., None]
    value: Callable[..., None]
    height: Callable[[int, float], None]


def write_fund(p: Project, r: int, left: int, right: int, draw: SelfEvalRows) -> None:
    """The header row at r and the 年度资金合计 row at r + 1. The last column spans to ``right``."""
    se = _se(p)
    assert se is not None
    words = _words()
    draw.label(r, left, words.group)
    draw.label(r + 1, left, words.total_row)
    n = len(words.columns)
    for j, (key, header) in enumerate(words.columns):
        c = left + 1 + j
        c1 = right if j == n - 1 else c
        draw.label(r, c, header, None, c1)
        draw.value(r + 1, c, getattr(se, key), c1, align="center")
    draw.height(r, 30)
    draw.height(r + 1, 22)


def write_goal_actual(p: Project, r: int, left: int, right: int, draw: SelfEvalRows) -> None:
    se = _se(p)
    assert se is not None
    draw.label(r, left, _words().goal_actual)
    draw.value(r, left + 1, se.goal_actual, right)


def write_foot(p: Project, r: int, left: int, right: int, draw: SelfEvalRows) -> None:
    """总分 | value | 等级 | value, the last value spanning to ``right``. Only what is reported is
    printed, from the left: a reader takes the next filled cell right of a label as its value (总分
    over a blank would read 等级 as the total), and the block reader ends the indicator table only at
    a label in the 一级 column (等级 alone in the 二级 column would read as an indicator)."""
    se = _se(p)
    assert se is not None
    words = _words()
    pairs = [(text, v) for text, v in ((words.total, se.total), (words.grade, se.grade)) if v is not None]
    c = left
    for k, (text, v) in enumerate(pairs):
        draw.label(r, c, text)
        draw.value(r, c + 1, v, right if k == len(pairs) - 1 else None, align="center")
        c += 2
    draw.height(r, 22)
