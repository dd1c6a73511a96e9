"""`pyxl demo`: the seed tribunal's workbook filled and validated, files left ready to open."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from importlib import resources
from pathlib import Path

import click

from .api import fill, template, validate
from .loader import load_data
from .units import parse_amount

__all__ = ["run"]


def seed_data_path() -> Path:
    return Path(str(resources.files("pyxl").joinpath("data/tribunal.yaml")))


def run(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    data = out / "tribunal.yaml"
    shutil.copyfile(seed_data_path(), data)
    dept = load_data(data)
    template(out / "空白模板.xlsx")
    filled = fill(dept, out / "法庭-填报.xlsx")
    checked = out / "法庭-校验.xlsx"
    report = validate(filled, out=checked)
    (out / "法庭-校验.json").write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2), "utf-8")

    budget = sum(a.wan for p in dept.projects if (a := parse_amount(p.budget)) is not None)
    click.echo(f"演示输出目录 / demo folder: {out.resolve()}")
    click.echo(f"  {data.name}            数据文件 / data file (pyxl/v1)")
    click.echo(f"  {filled.name}        填好的部门工作簿 / filled workbook")
    click.echo(f"  {checked.name}        校验后（标色+批注+校验结果表）/ validated, highlighted")
    click.echo("  法庭-校验.json        JSON 报告 / report")
    click.echo("  空白模板.xlsx          空白模板 / blank template")
    click.echo("")
    click.echo(f"部门 / department: {dept.name}；项目 / projects: {len(dept.projects)}；"
               f"指标 / indicators: {sum(len(p.indicators) for p in dept.projects)}；"
               f"预算合计 / budget total: {budget:g} 万元")
    c = report.counts
    click.echo(f"校验 / findings: 错误 error {c['error']}，警告 warning {c['warning']}，提示 info {c['info']}")
    by_rule = Counter((f.severity.rank, f.severity.value, f.rule) for f in report.findings)
    for (_, severity, rule), n in sorted(by_rule.items()):
        click.echo(f"  {severity:7} {rule:28} {n}")
    return 0
