"""`pyxl demo`: the seed tribunal's workbook filled and validated, files left ready to open."""

from __future__ import annotations

import shutil
from collections import Counter
from importlib import resources
from pathlib import Path

import click

from .api import fill, template, validate
from .consolidate import Rollup, rollup
from .core.generate import generate_department
from .core.generate_selfeval import add_year_end
from .core.loader import load_data
from .core.model import Department
from .core.units import parse_amount

__all__ = ["SAMPLE_DEPARTMENTS", "SUMMARY_FOLDER", "TRIBUNAL_NAME", "build_summary", "run", "sample_departments",
           "selfeval_data_path"]


def seed_data_path() -> Path:
    return Path(str(resources.files("pyxl").joinpath("data/tribunal.yaml")))


def selfeval_data_path() -> Path:
    """The tribunal at year end (自评), one deliberate mistake of each 自评 rule."""
    return Path(str(resources.files("pyxl").joinpath("data/tribunal_selfeval.yaml")))


def run(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    data = out / "tribunal.yaml"
    shutil.copyfile(seed_data_path(), data)
    dept = load_data(data)
    template(out / "空白模板.xlsx")
    filled = fill(dept, out / "法庭-填报.xlsx")
    checked = out / "法庭-校验.xlsx"
    report = validate(filled, out=checked)
    (out / "法庭-校验.json").write_text(report.to_json(), "utf-8")

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
    click.echo("")
    year_end = _demo_selfeval(out)
    _demo_rollup(out, year_end)
    return 0


def _demo_selfeval(out: Path) -> Path:
    """The tribunal at year end: filled (live 得分/总分/等级 formulas) and validated."""
    data = out / "tribunal_selfeval.yaml"
    shutil.copyfile(selfeval_data_path(), data)
    filled = fill(load_data(data), out / "法庭-自评.xlsx")
    checked = out / "法庭-自评-校验.xlsx"
    report = validate(filled, out=checked)
    click.echo(f"年终自评 / year-end self-evaluation: {data.name} → {filled.name}（自评表、得分公式）→ {checked.name}")
    by_rule = Counter(f.rule for f in report.findings if f.rule in _SELFEVAL_RULES)
    for rule in _SELFEVAL_RULES:
        click.echo(f"  {rule:28} {by_rule[rule]}")
    click.echo("")
    return filled


_SELFEVAL_RULES = ("weight-sum", "score-over-weight", "score-mismatch", "score-reason-missing", "total-mismatch",
                   "grade-mismatch", "execution-rate-mismatch")


# 汇总: the tribunal rolled up with a few generated departments (one plans at 3/6/9/12 months,
# the others at 3/6/10/12, so the summary shows months aligned and interpolated).
SAMPLE_DEPARTMENTS = (
    (101, "144002", "示例区司法局", None),
    (102, "144003", "示例区档案馆", {"3月底": "20%", "6月底": "45%", "9月底": "70%", "12月底": "100%"}),
    (103, "144004", "示例区应急管理局", None),
)
SUMMARY_FOLDER = "部门"
TRIBUNAL_NAME = "某人民法庭"


def sample_departments() -> list[Department]:
    out = []
    for seed, code, name, plan in SAMPLE_DEPARTMENTS:
        d = generate_department(8, 14, seed=seed, code=code, name=name)
        for p in d.projects:
            p.spend_plan = dict(plan or p.spend_plan)
        out.append(add_year_end(d, seed=seed))  # at year end, as the tribunal beside them
    return out


def build_summary(folder: Path, tribunal_workbook: Path) -> Rollup:
    """Write ``folder``/部门/ (department workbooks), rolled up into ``folder``/汇总.xlsx and 汇总.json."""
    depts = folder / SUMMARY_FOLDER
    depts.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tribunal_workbook, depts / f"{TRIBUNAL_NAME}.xlsx")
    for d in sample_departments():
        fill(d, depts / f"{d.name}.xlsx")
    result = rollup([depts], root=folder)
    result.write(folder / "汇总.xlsx")
    result.write_json(folder / "汇总.json")
    return result


def _demo_rollup(out: Path, tribunal_workbook: Path) -> None:
    from .consolidate.report import summary_lines

    result = build_summary(out, tribunal_workbook)
    click.echo(f"汇总 / rollup: {SUMMARY_FOLDER}/ 中的 {len(result.read)} 个部门工作簿 → "
               "汇总.xlsx、汇总.json")
    for line in summary_lines(result, []):
        click.echo(f"  {line}")
