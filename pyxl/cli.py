"""The `pyxl` command line. Exit status: 0 no error-level finding, 1 error-level findings, 2 unusable input."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .cli_errors import BilingualGroup
from .core.errors import UserError

__all__ = ["main"]


def _user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input ends with one line in Chinese and English and status 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            click.echo(exc.one_line(), err=True)
            sys.exit(2)
        except PermissionError as exc:
            click.echo(f"错误：没有权限写入或读取 {exc.filename}（文件是否在 Excel 中打开？） / "
                       f"Error: permission denied: {exc.filename} (is it open in Excel?)", err=True)
            sys.exit(2)
        except IsADirectoryError as exc:
            click.echo(f"错误：{exc.filename} 是文件夹，需要文件 / Error: {exc.filename} is a directory", err=True)
            sys.exit(2)

    return wrapper


def _as_of(_ctx: Any, _param: Any, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期应写成 YYYY-MM-DD，如 2026-10-31 / date must be YYYY-MM-DD, got {value!r}") from None


@click.group(cls=BilingualGroup, help="pyxl：预算绩效目标表的填报、校验与汇总 / budget performance-target workbooks")
@click.version_option(package_name="pyxl-jixiao")
def main() -> None:
    pass


@main.command(help="生成空白部门模板 / write the blank department workbook")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_user_errors
def template(out: Path) -> None:
    from .api import template as make

    make(out)
    click.echo(f"已生成模板 / template written: {out}")


@main.command(help="由数据文件（YAML/JSON，pyxl/v1）生成部门工作簿 / fill a workbook from a data file")
@click.argument("data", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--form", is_flag=True,
              help="写成可打印的官方表式（项目支出绩效目标表）/ write the official printable form")
@_user_errors
def fill(data: Path, out: Path, form: bool) -> None:
    from .api import fill as do_fill
    from .core.loader import load_data

    dept = load_data(data)
    do_fill(dept, out, form=form)
    n = sum(len(p.indicators) for p in dept.projects)
    click.echo(f"已生成 / written: {out}（{len(dept.projects)} 个项目，{n} 条指标）")


@main.command(help="校验工作簿，标出问题单元格 / validate a workbook and mark problem cells")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="写出带标记的副本 / write a marked copy")
@click.option("--in-place", is_flag=True, help="直接在原文件上标记（原子替换）/ mark the file itself")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="JSON 报告 / JSON report")
@click.option("--config", type=click.Path(path_type=Path), help="规则阈值 TOML / rule thresholds")
@click.option("--as-of", callback=_as_of,
              help="评估日期 YYYY-MM-DD（双监控；默认取“项目”表的评估日期，再默认今天）"
                   "/ as-of date (default: the workbook's 评估日期, else today)")
@click.option("-q", "--quiet", is_flag=True, help="只输出汇总 / summary only")
@_user_errors
def validate(file: Path, out: Path | None, in_place: bool, json_path: Path | None, config: Path | None,
             as_of: dt.date | None, quiet: bool) -> None:
    from .api import validate as do_validate
    from .core.atomic import write_text_atomic
    from .outputs import check_output

    if json_path:
        check_output("json", json_path, "--json")
    report = do_validate(file, out=out, in_place=in_place, config=config, as_of=as_of)
    if not quiet:
        for f in report.findings:  # in report order: errors first
            where = f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or "-")
            click.echo(f"{f.severity.value:7} {where:14} {f.rule:26} {f.project or '':12} {f.message}")
    c = report.counts
    click.echo(f"{file.name}：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']} / "
               f"errors {c['error']}, warnings {c['warning']}, info {c['info']}")
    if out or in_place:
        click.echo(f"已写出标记 / marked workbook: {out or file}")
    if json_path:
        write_text_atomic(json_path, report.to_json() + "\n")
    sys.exit(report.exit_code)


@main.command(help="清除 pyxl 的标记和批注 / remove pyxl's marks and notes")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path))
@_user_errors
def clear(file: Path, out: Path | None) -> None:
    from .api import clear as do_clear

    target = do_clear(file, out=out)
    click.echo(f"已清除标记 / marks cleared: {target}")


@main.command(help="演示：法庭示例的填报、校验 / demo on the tribunal's seed data")
@click.option("-o", "--output", "out", default="demo-output", type=click.Path(file_okay=False, path_type=Path))
@_user_errors
def demo(out: Path) -> None:
    from .demo import run

    sys.exit(run(out))


@main.command("excel-setup", help="准备 Excel 的“校验”按钮：检查 Python，安装 xlwings 加载项（Windows）"
                                   "/ set up the Excel buttons: check Python, install the xlwings add-in")
def excel_setup() -> None:
    from .excel.setup import run_setup

    sys.exit(run_setup(echo=click.echo))


@main.command("import", help="导入公开文本或官方表式工作簿 / import published text or a form workbook")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="DATA.yaml|DATA.json|FILE.xlsx")
@click.option("--form", is_flag=True, help="输出 .xlsx 时写成官方表式 / write .xlsx as the official form")
@click.option("--name", help="部门名称（文本中未写明时）/ department name")
@click.option("--code", help="部门编码 / department code")
@click.option("--year", type=click.IntRange(2000, 2100), help="预算年度 / budget year")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON 报告 / JSON report")
@_user_errors
def import_(source: Path, out: Path, form: bool, name: str | None, code: str | None, year: int | None,
            json_path: Path | None) -> None:
    from .api import import_source
    from .core.atomic import write_text_atomic
    from .outputs import check_output

    if json_path:
        check_output("json", json_path, "--json")
    report = import_source(source, out, form=form, name=name, code=code, year=year)
    for f in report.findings:
        click.echo(f"{f.severity.value:7} {f.rule:26} {f.project or '':12} {f.message}")
    dept = report.department
    assert dept is not None
    n = sum(len(p.indicators) for p in dept.projects)
    c = report.counts
    click.echo(f"已导入 / imported: {out}（分项目标 {len(dept.targets)} 条，"
               f"项目 {len(dept.projects)} 个，指标 {n} 条；"
               f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']} / "
               f"errors {c['error']}, warnings {c['warning']}, info {c['info']}）")
    if dept.name is None:
        click.echo("提示：原文未写明部门名称，可用 --name 指定 / "
                   "note: no department name in the source; use --name")
    if json_path:
        write_text_atomic(json_path, report.to_json() + "\n")
    sys.exit(report.exit_code)


@main.command(help="生成网页版校验（浏览器中运行，无需安装）/ build the browser page (runs in Pyodide)")
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="网页文件夹 / site folder")
@click.option("--serve", "serve_site", is_flag=True, help="在 127.0.0.1 上启动并打开浏览器 / serve on 127.0.0.1 and open it")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="--serve 的端口 / port")
@_user_errors
def web(out: Path, serve_site: bool, port: int) -> None:
    from .web.builder import build_site
    from .web.serve import serve

    manifest = build_site(out)
    click.echo(f"已生成网页 / site written: {out}（{manifest['bytes']['total'] / 1e6:.1f} MB，"
               f"Pyodide {manifest['pyodide']}）")
    if serve_site:
        serve(out, port)


@main.command(help="汇总多个部门的工作簿（文件、文件夹或通配符）/ consolidate department workbooks "
                   "(files, folders, globs)")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="汇总工作簿（.xlsm 带“汇总”按钮）/ summary workbook (.xlsx, or .xlsm with its 汇总 button)")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON 汇总 / JSON summary")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="并行进程数 / worker processes")
@click.option("--as-of", callback=_as_of, help="评估日期 YYYY-MM-DD（双监控）/ as-of date")
@click.option("--config", type=click.Path(path_type=Path), help="规则阈值 TOML / rule thresholds")
@click.option("-q", "--quiet", is_flag=True, help="不显示进度条 / no progress bar")
@click.option("--feedback", type=click.Path(file_okay=False, path_type=Path),
              help="为每个部门写出带标记和“审核意见”表的工作簿 / each department's workbook back, marked, "
                   "with a 审核意见 sheet")
@_user_errors
def rollup(inputs: tuple[str, ...], out: Path, json_path: Path | None, jobs: int, as_of: dt.date | None,
           config: Path | None, quiet: bool, feedback: Path | None) -> None:
    from .consolidate import rollup as do_rollup
    from .consolidate import write_feedback
    from .consolidate.report import outputs_of, summary_lines, writing_status
    from .outputs import check_output

    check_output("rollup", out)
    if json_path:
        check_output("json", json_path, "--json")
    exclude = outputs_of(out, json_path) + ([feedback] if feedback else [])
    result = do_rollup(list(inputs), jobs=jobs, as_of=as_of, config=config,
                       exclude=exclude, progress=False if quiet else None)
    if result.exit_code == 2:  # nothing could be read: no summary of nothing is left behind
        for line in summary_lines(result, []):
            click.echo(line)
        click.echo("错误：没有可汇总的文件，未写出汇总 / Error: no file could be read; nothing written", err=True)
        sys.exit(2)
    extend = None
    if out.suffix.lower() == ".xlsm":  # the summary with its 汇总 button
        from .excel.macro_workbook import add_to_xlsxwriter as extend
    with writing_status(show=not quiet):
        written = result.write(out, extend=extend)
        if json_path:
            written.append(result.write_json(json_path))
    for line in summary_lines(result, written):
        click.echo(line)
    if feedback and result.read:
        fb = write_feedback(result, feedback, jobs=jobs)
        click.echo(f"审核意见 / feedback: {len(fb.written)} 个部门工作簿 workbooks → {feedback}")
        for name, reason in fb.failed.items():
            click.echo(f"  未能写出审核意见 / no feedback: {name} — {reason}")
    sys.exit(result.exit_code)
