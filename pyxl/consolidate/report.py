"""What the rollup command prints, and which paths it writes (so a rerun does not read them back)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .result import Rollup
from .spec import FINDINGS, INDICATORS, PROJECTS
from .spill import spill_path

__all__ = ["outputs_of", "summary_lines", "writing_status"]


def outputs_of(out: Path, json_path: Path | None = None) -> list[Path]:
    paths = [out, *(spill_path(out, t) for t in (PROJECTS, INDICATORS, FINDINGS))]
    return paths + ([json_path] if json_path else [])


def summary_lines(result: Rollup, written: Sequence[Path]) -> list[str]:
    t, c = result.totals, result.counts
    skipped = len(result.file_records) - len(result.read) - len(result.failed)
    lines = [
        f"已汇总 / rolled up: {t['departments']} 个部门 departments，{t['projects']} 个项目 projects，"
        f"{t['indicators']} 条指标 indicators；预算合计 budget {t['budget']:,.4f} 万元，"
        f"财政资金 fiscal {t['fiscal']:,.4f} 万元",
        f"文件 / files: 已读取 read {len(result.read)}，未能读取 failed {len(result.failed)}，"
        f"跳过 skipped {skipped}",
    ]
    lines += [f"  未能读取 / failed: {r.file} — [{r.rule}] {r.reason}" for r in result.failed]
    lines.append(f"问题 / findings: 错误 error {c['error']}，警告 warning {c['warning']}，"
                 f"提示 info {c['info']}")
    scored = [d for d in result.department_records if d.se_totals]
    if scored:
        totals = [x for d in scored for x in d.se_totals]
        grades = "，".join(f"{g} {sum(d.se_grades[g] for d in scored)}" for g in result.grades)
        lines.append(f"自评 / self-evaluation: {len(scored)} 个部门 departments，{len(totals)} 个项目 projects，"
                     f"平均分 mean {sum(totals) / len(totals):.2f}；{grades}")
    lines += [f"已写出 / written: {p}" for p in written]
    return lines


@contextmanager
def writing_status(*, show: bool) -> Iterator[None]:
    """A spinner on a terminal while the summary is written (the progress bar covers the reading)."""
    if not (show and sys.stderr.isatty()):
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status("写出汇总工作簿 / writing the summary …"):
        yield
