"""Write the summary workbook (汇总) with XlsxWriter, streaming rows from the rollup's spools.

Sheets: 部门汇总 (with the two charts on top), 项目明细, 指标明细, 支出进度, 问题清单,
处理记录. Every sheet is written top to bottom once (XlsxWriter's constant_memory mode),
which is why totals and counts are worked out before a sheet is started.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from ..core.atomic import write_atomic
from ..core.cells import quote_sheet
from ..core.schedule import time_progress, time_progress_at
from .months import INTERPOLATED, MISSING, PARTIAL, QUARTER_ENDS, MonthTotal
from .print_setup import setup_print
from .spec import DEPARTMENTS, FILES, INT, PCT, TEXT, WAN, Column, Table
from .spill import spill_path, write_parquet
from .xlsx import EXCEL_MAX_ROWS, Formats, add_streamed_table, new_workbook, write_rows


class SummarySource(Protocol):
    """What the writer reads from a rollup (pyxl.consolidate.result.Rollup is one).

    A protocol, not an import: the result calls this writer, so the writer must not import
    the result (no two modules import each other).
    """

    config: Any
    as_of: Any
    inputs: list[str]
    file_records: list[Any]
    department_records: list[Any]

    @property
    def read(self) -> list[Any]: ...
    @property
    def failed(self) -> list[Any]: ...
    @property
    def totals(self) -> dict[str, Any]: ...
    @property
    def budget(self) -> Decimal: ...
    @property
    def month_totals(self) -> list[MonthTotal]: ...
    @property
    def year(self) -> int: ...
    @property
    def checkpoint_months(self) -> list[int]: ...
    @property
    def grades(self) -> tuple[str, ...]: ...  # 自评 等级 words, best first
    def department_table(self) -> tuple[Table, list[tuple[Any, ...]]]: ...
    def file_table(self) -> tuple[Table, list[tuple[Any, ...]]]: ...
    def long_tables(self) -> list[tuple[Table, Any, int]]: ...

__all__ = ["CHART_SHEET", "DEPARTMENTS_SHEET", "FOLDER_CELL", "FOLDER_NAME", "SPEND_SHEET", "SUMMARY_TOTAL_ROW", "write_summary"]

SPEND_SHEET = "支出进度"
DEPARTMENTS_SHEET = DEPARTMENTS.sheet
FOLDER_NAME = "pyxl_rollup_folder"  # defined name of the cell naming the folder to roll up
FOLDER_CELL = (0, 4)  # 部门汇总!E1 (0-based row, column)
LONG_HEADER_ROW = 2  # title, note, then the header of a long sheet
CHART_ROWS = 20  # rows kept free on 部门汇总 for the two charts
SUMMARY_TOTAL_ROW = 2 + CHART_ROWS  # 部门汇总: the 合计 row (0-based), the table's header below it
CHART_SHEET = "_pyxl_图表"  # hidden: the charts' data
CHART_DEPARTMENTS = 30  # the findings chart shows at most this many departments
PARTIAL_TOTAL_NOTE = ("只有部分部门在这个月设有支出计划节点，各部门的数字直接相加没有意义，所以不合计。"
                      "按月对齐（缺节点的部门按前后节点插值）后的合计见“支出进度”表。")
SPEND_WIDTHS = (22, 26, 16, 14, 14, 14, 12, 14, 40)
# columns repeated on every printed page of a long sheet (the department: a page on its own says whose rows)
PRINT_KEYS = {"项目明细": 1, "指标明细": 1, "问题清单": 1}
QUARTER_NAMES = {3: "第一季度", 6: "第二季度", 9: "第三季度", 12: "第四季度"}

# 支出进度: where the total-by-month block sits (the charts point at it)
SPEND_MONTH_HEADER = 5
SPEND_COLUMNS = ("月份", "季度末", "累计计划支出（万元）", "累计计划进度", "累计实际支出（万元）",
                 "实际执行进度", "序时进度", "计划进度－序时进度", "说明")


def write_summary(
    rollup: SummarySource, path: Path, *, max_rows: int = EXCEL_MAX_ROWS, spill_beside: Path | None = None,
    extend: Callable[[Any, list[Any]], None] | None = None,
) -> list[Path]:
    """Write the workbook atomically; returns it and any Parquet file written beside it
    (beside ``spill_beside`` instead, when the workbook is only a step on the way).
    ``extend(workbook, worksheets)`` adds to the XlsxWriter workbook before it is closed
    (the .xlsm summary: pyxl.excel.macro_workbook.add_to_xlsxwriter, its 汇总 button)."""
    written: list[Path] = []
    spilled: dict[str, Path] = {}
    for table, rows, count in rollup.long_tables():
        if LONG_HEADER_ROW + 1 + count > max_rows:
            spilled[table.sheet] = write_parquet(table, rows(), spill_path(spill_beside or path, table))
            written.append(spilled[table.sheet])

    def build(tmp: Path) -> None:
        wb = new_workbook(str(tmp))
        fmt = Formats(wb)
        long_tables = rollup.long_tables()
        sheets = {
            name: wb.add_worksheet(name)
            for name in (DEPARTMENTS_SHEET, long_tables[0][0].sheet, long_tables[1][0].sheet, SPEND_SHEET,
                         long_tables[2][0].sheet, FILES.sheet, CHART_SHEET)
        }
        axis = sorted(set(rollup.checkpoint_months) | set(QUARTER_ENDS)) if rollup.department_records else []
        _departments_sheet(wb, sheets[DEPARTMENTS_SHEET], rollup, fmt, axis)
        for table, rows, count in long_tables:
            _long_sheet(sheets[table.sheet], table, rows(), count, fmt, spilled.get(table.sheet))
        _spend_sheet(wb, sheets[SPEND_SHEET], rollup, fmt, axis)
        files, file_rows = rollup.file_table()
        _long_sheet(sheets[FILES.sheet], files, file_rows, len(file_rows), fmt, None,
                    note=_files_note(rollup))
        _chart_data_sheet(sheets[CHART_SHEET], rollup, fmt)
        if extend is not None:
            extend(wb, list(sheets.values()))
        wb.close()

    write_atomic(path, build)
    return [path, *written]


# ---------------------------------------------------------------- generic sheet pieces


def _widths(ws: Any, columns: Sequence[Column]) -> None:
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)


def _header(ws: Any, row: int, columns: Sequence[Column], fmt: Formats) -> None:
    for c, col in enumerate(columns):
        ws.write_string(row, c, col.header, fmt.header)


def _long_sheet(
    ws: Any, table: Table, rows: Iterable[Sequence[Any]], count: int, fmt: Formats, spilled: Path | None,
    *, note: str | None = None,
) -> None:
    ws.write_string(0, 0, table.title, fmt.title)
    _widths(ws, table.columns)
    if spilled is not None:
        ws.write_string(1, 0, (
            f"本表共 {count:,} 行，超过 Excel 单个工作表 {EXCEL_MAX_ROWS:,} 行的上限。"
            f"完整明细已写入与本工作簿同一文件夹的“{spilled.name}”"
            "（Parquet 格式，可用 pandas、Power BI 等打开），列与下方表头相同。"
        ), fmt.note)
        _header(ws, LONG_HEADER_ROW, table.columns, fmt)
        setup_print(ws, [c.width for c in table.columns], header_row=LONG_HEADER_ROW)
        return
    ws.write_string(1, 0, note or f"共 {count:,} 行。表头带筛选按钮，可按部门、项目等筛选和排序。", fmt.note)
    ws.set_row(LONG_HEADER_ROW, 30)
    _header(ws, LONG_HEADER_ROW, table.columns, fmt)
    add_streamed_table(ws, LONG_HEADER_ROW, LONG_HEADER_ROW + max(count, 1), table.columns, table.name, fmt)
    ws.freeze_panes(LONG_HEADER_ROW + 1, 0)
    written = write_rows(ws, LONG_HEADER_ROW + 1, table.columns, rows, fmt)
    assert written == count, f"{table.sheet}: {written} rows written, {count} expected"
    if count == 0:
        ws.write_string(LONG_HEADER_ROW + 1, 0, "（无）")
    setup_print(ws, [c.width for c in table.columns], header_row=LONG_HEADER_ROW, repeat_cols=PRINT_KEYS.get(table.sheet, 0))


def _files_note(rollup: SummarySource) -> str:
    n = len(rollup.file_records)
    read, failed = len(rollup.read), len(rollup.failed)
    return (f"共 {n} 个文件：已读取 {read} 个，未能读取 {failed} 个，跳过 {n - read - failed} 个。"
            "内容哈希可用于核对所汇总的正是收到的文件。")


def _col_letter(c: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(c)


# ---------------------------------------------------------------- 部门汇总


def _departments_sheet(wb: Any, ws: Any, rollup: SummarySource, fmt: Formats, axis: list[int]) -> None:
    table, rows = rollup.department_table()
    n = len(rows)
    t = rollup.totals
    ws.write_string(0, 0, table.title, fmt.title)
    # the folder the 汇总 button rolls up again (relative to this workbook's folder)
    ws.write_string(0, FOLDER_CELL[1] - 1, "汇总文件夹：", fmt.label)
    ws.write_string(0, FOLDER_CELL[1], "；".join(rollup.inputs), fmt.input)
    wb.define_name(FOLDER_NAME, f"={quote_sheet(DEPARTMENTS_SHEET)}!${_col_letter(FOLDER_CELL[1])}${FOLDER_CELL[0] + 1}")
    note = (f"共 {t['departments']} 个部门、{t['projects']} 个项目、{t['indicators']} 条项目指标；"
            f"预算合计 {t['budget']:,.4f} 万元，其中财政资金 {t['fiscal']:,.4f} 万元。"
            f"文件：已读取 {len(rollup.read)} 个，未能读取 {len(rollup.failed)} 个（见“处理记录”）。")
    if rollup.as_of:
        note += f"评估日 {rollup.as_of.isoformat()}。"
    ws.write_string(1, 0, note, fmt.note)
    _widths(ws, table.columns)
    total_row = SUMMARY_TOTAL_ROW
    header = total_row + 1
    first, last = header + 1, header + n
    # totals on top, so they show without scrolling; SUBTOTAL follows the table's filter
    ws.write_string(total_row, 0, "合计", fmt.total_label)
    # a month only some departments plan at has no meaningful total here (支出进度 aligns them)
    partial = {k for i, k in enumerate(table.keys)
               if k.startswith("plan_") and any(r[i] is None for r in rows)}
    for c, col in enumerate(table.columns):
        if col.key in partial and n:  # blank on purpose: say why, where the total would be
            ws.write_string(total_row, c, "不合计，见支出进度", fmt.note)
            ws.write_comment(total_row, c, PARTIAL_TOTAL_NOTE, {"x_scale": 2, "y_scale": 1.2})
            continue
        if col.kind in (INT, WAN) and col.key not in ("index", "year", *partial) and n:
            letter = _col_letter(c)
            value = sum(row[c] or 0 for row in rows)
            if col.kind == WAN:
                value = float(sum((Decimal(repr(row[c])) for row in rows if row[c] is not None), Decimal(0)))
            ws.write_formula(total_row, c, f"=SUBTOTAL(109,{letter}{first + 1}:{letter}{last + 1})",
                             fmt.total_wan if col.kind == WAN else fmt.total_int, value)
    ws.set_row(header, 45)
    _header(ws, header, table.columns, fmt)
    add_streamed_table(ws, header, header + max(n, 1), table.columns, table.name, fmt)
    ws.freeze_panes(header + 1, 2)
    write_rows(ws, first, table.columns, rows, fmt)
    if n == 0:
        ws.write_string(first, 0, "（没有可汇总的部门）")
    _findings_chart(wb, ws, len(chart_departments(rollup)))
    _spend_chart(wb, ws, anchor=(2, 9))
    if grade_departments(rollup):
        _grade_chart(wb, ws, len(grade_departments(rollup)), len(rollup.grades), anchor=(2, 18))
    # no repeated columns: the charts sit over the first columns and would print again on every page
    setup_print(ws, [c.width for c in table.columns], header_row=header)


# ---------------------------------------------------------------- charts
#
# Both charts read a hidden sheet: refreshing the summary in place (the 汇总 button,
# pyxl.excel.rollup) rewrites its values and the charts follow. The month block always has
# 12 rows; the department block is as long as when the workbook was written, its departments
# sorted by findings, so a refresh with more departments still charts those with most findings.


def chart_departments(rollup: SummarySource) -> list[tuple[str, int, int, int]]:
    """(name, errors, warnings, infos) of the departments the findings chart shows, most findings first."""
    table, rows = rollup.department_table()
    keys = table.keys
    name_c, sev_c = keys.index("name"), [keys.index(k) for k in ("error", "warning", "info")]
    ranked = sorted(rows, key=lambda r: ([-r[c] for c in sev_c], r[0]))[:CHART_DEPARTMENTS]
    return [(r[name_c], r[sev_c[0]], r[sev_c[1]], r[sev_c[2]]) for r in ranked]


def _chart_data_sheet(ws: Any, rollup: SummarySource, fmt: Formats) -> int:
    """_pyxl_图表: A1:D… findings of up to 30 departments; F1:I13 cumulative % by month, 1–12."""
    rows = chart_departments(rollup)
    totals, budget = rollup.month_totals, rollup.budget
    year, mode = rollup.year, rollup.config["plan.time_progress"]
    for c, h in enumerate(("部门", "错误", "警告", "提示", None, "月份", "累计计划进度", "实际执行进度", "序时进度")):
        if h:
            ws.write_string(0, c, h)
    for i in range(max(CHART_DEPARTMENTS, 12)):
        r = i + 1
        if i < len(rows):
            ws.write_string(r, 0, rows[i][0])
            for j in range(3):
                ws.write_number(r, 1 + j, rows[i][1 + j])
        if i < 12:
            m, t = i + 1, totals[i]
            ws.write_string(r, 5, f"{m}月底")
            if rows and budget and t.valued:
                ws.write_number(r, 6, float(t.plan / budget), fmt.pct)
            if t.actual is not None and t.reported_budget:
                ws.write_number(r, 7, float(t.actual / t.reported_budget), fmt.pct)
            ws.write_number(r, 8, time_progress(m, year, mode) / 100, fmt.pct)
    _grade_data(ws, rollup)
    ws.hide()
    return len(rows)


# 自评 等级 per department: K1:O… of the chart sheet (部门, then one column per grade)
GRADE_DATA_COL = 10


def grade_departments(rollup: SummarySource) -> list[tuple[str, list[int]]]:
    """(name, counts of each grade best first) of the departments with projects in 自评, at most 30."""
    grades = rollup.grades
    rows = [(d.name, [d.se_grades[g] for g in grades]) for d in rollup.department_records if d.se_totals]
    return rows[:CHART_DEPARTMENTS]


def _grade_data(ws: Any, rollup: SummarySource) -> None:
    ws.write_string(0, GRADE_DATA_COL, "部门")
    for j, g in enumerate(rollup.grades):
        ws.write_string(0, GRADE_DATA_COL + 1 + j, g)
    for i, (name, counts) in enumerate(grade_departments(rollup), start=1):
        ws.write_string(i, GRADE_DATA_COL, name)
        for j, n in enumerate(counts):
            ws.write_number(i, GRADE_DATA_COL + 1 + j, n)


_GRADE_COLOURS = ("#70AD47", "#5B9BD5", "#FFC000", "#C00000")


def _grade_chart(wb: Any, ws: Any, n: int, k: int, anchor: tuple[int, int]) -> None:
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for j in range(k):
        col = GRADE_DATA_COL + 1 + j
        chart.add_series({
            "name": [CHART_SHEET, 0, col],
            "categories": [CHART_SHEET, 1, GRADE_DATA_COL, n, GRADE_DATA_COL],
            "values": [CHART_SHEET, 1, col, n, col],
            "fill": {"color": _GRADE_COLOURS[j % len(_GRADE_COLOURS)]},
            "gap": 60,
        })
    chart.set_title({"name": "各部门自评等级分布（项目数）", "name_font": {"size": 11}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 480, "height": 380})
    ws.insert_chart(anchor[0], anchor[1], chart, {"x_offset": 4, "y_offset": 4})


def _findings_chart(wb: Any, ws: Any, n: int) -> None:
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    last = max(n, 1)
    for col, label, colour in ((1, "错误", "#C00000"), (2, "警告", "#FFC000"), (3, "提示", "#5B9BD5")):
        chart.add_series({
            "name": label,
            "categories": [CHART_SHEET, 1, 0, last, 0],
            "values": [CHART_SHEET, 1, col, last, col],
            "fill": {"color": colour},
            "gap": 60,
        })
    chart.set_title({"name": f"各部门问题数（问题多者在上，至多 {CHART_DEPARTMENTS} 个部门）",
                     "name_font": {"size": 11}})
    chart.set_y_axis({"reverse": True})  # most findings on top
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 560, "height": 380})
    ws.insert_chart(2, 0, chart, {"x_offset": 4, "y_offset": 4})


def _spend_chart(wb: Any, ws: Any, anchor: tuple[int, int]) -> None:
    chart = wb.add_chart({"type": "line"})
    for col, name, colour, dash in ((6, "累计计划进度", "#4472C4", "solid"), (7, "实际执行进度", "#ED7D31", "solid"),
                                    (8, "序时进度", "#7F7F7F", "dash")):
        chart.add_series({
            "name": name,
            "categories": [CHART_SHEET, 1, 5, 12, 5],
            "values": [CHART_SHEET, 1, col, 12, col],
            "line": {"color": colour, "width": 2.25, "dash_type": dash},
            "marker": {"type": "circle", "size": 4, "fill": {"color": colour}, "border": {"color": colour}},
        })
    chart.show_blanks_as("span")  # actuals are reported at a few months: join them
    chart.set_title({"name": "累计支出进度：计划、实际与序时进度（全部部门）", "name_font": {"size": 11}})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 560, "height": 380})
    ws.insert_chart(anchor[0], anchor[1], chart, {"x_offset": 4, "y_offset": 4})


# ---------------------------------------------------------------- 支出进度


def _status_note(total: MonthTotal, what: str) -> list[str]:
    notes = []
    if total.valued == 0:
        notes.append(f"无{what}数据")
    elif total.status == PARTIAL:
        notes.append(f"{total.parts - total.valued + total.partial} 个{what}缺少此月数据（合计不完整）")
    if total.interpolated:
        notes.append(f"含插值：{total.interpolated} 个{what}在此月没有节点，按前后节点线性插值")
    return notes


def _spend_sheet(wb: Any, ws: Any, rollup: SummarySource, fmt: Formats, axis: list[int]) -> None:
    year = rollup.year
    mode = rollup.config["plan.time_progress"]
    ws.write_string(0, 0, "支出进度（累计，金额单位：万元）", fmt.title)
    basis = "截至该月底已过天数÷全年天数" if mode == "days" else "月份÷12"
    note = f"序时进度＝{basis}（{year} 年）。"
    if rollup.as_of:
        progress = time_progress_at(rollup.as_of, mode)
        note += f"评估日 {rollup.as_of.isoformat()} 的序时进度为 {progress:.1f}%。"
    ws.write_string(1, 0, note, fmt.note)
    ws.write_string(2, 0, "黄底斜体＝插值（该部门在此月没有支出计划节点，按前后节点线性插值；年初按 0 计）；"
                          "灰底＝部分项目缺少此月数据；空白＝无数据。", fmt.note)
    for c, w in enumerate(SPEND_WIDTHS):
        ws.set_column(c, c, w)
    ws.set_column(9, 9 + len(axis), 14)
    totals = rollup.month_totals
    budget = rollup.budget
    ws.write_string(SPEND_MONTH_HEADER - 1, 0, "全部部门合计（按月）", fmt.subtitle)
    ws.set_row(SPEND_MONTH_HEADER, 30)
    for c, h in enumerate(SPEND_COLUMNS):
        ws.write_string(SPEND_MONTH_HEADER, c, h, fmt.header)
    r = SPEND_MONTH_HEADER + 1
    for m in axis:
        _total_row(ws, r, f"{m}月底", "是" if m in QUARTER_ENDS else "", totals[m - 1], budget,
                   time_progress(m, year, mode) / 100, fmt)
        r += 1
    if not axis:
        ws.write_string(r, 0, "（没有可汇总的支出计划）")
        r += 1
    r += 1
    ws.write_string(r, 0, "全部部门合计（按季度）", fmt.subtitle)
    r += 1
    ws.set_row(r, 30)
    for c, h in enumerate(("季度", *SPEND_COLUMNS[:1], *SPEND_COLUMNS[2:])):
        ws.write_string(r, c, h, fmt.header)
    r += 1
    for m in QUARTER_ENDS:
        if rollup.department_records:
            _total_row(ws, r, QUARTER_NAMES[m], f"{m}月底", totals[m - 1], budget,
                       time_progress(m, year, mode) / 100, fmt)
            r += 1
    r += 1
    r = _dept_month_block(ws, r, rollup, axis, fmt)
    r += 1
    _dept_quarter_block(ws, r, rollup, fmt)
    if axis:
        # right of every block, so it never covers a table
        right = max(len(SPEND_COLUMNS), len(axis) + 4) + 1
        _spend_chart(wb, ws, anchor=(SPEND_MONTH_HEADER - 1, right))
    setup_print(ws, [*SPEND_WIDTHS, *[14] * (len(axis) + 1)])


def _plan_format(status: str, fmt: Formats, pct: bool = False) -> Any:
    if status == INTERPOLATED:
        return fmt.interpolated_pct if pct else fmt.interpolated
    if status == PARTIAL:
        return fmt.partial_pct if pct else fmt.partial
    return fmt.pct if pct else fmt.wan


def _total_row(
    ws: Any, r: int, label: str, second: str, total: MonthTotal, budget: Decimal, progress: float,
    fmt: Formats,
) -> None:
    ws.write_string(r, 0, label)
    if second:
        ws.write_string(r, 1, second)
    status = total.status
    if status != MISSING:
        ws.write_number(r, 2, float(total.plan), _plan_format(status, fmt))
        if budget:
            plan_pct = float(total.plan / budget)
            ws.write_number(r, 3, plan_pct, _plan_format(status, fmt, pct=True))
            ws.write_formula(r, 7, f"=D{r + 1}-G{r + 1}", fmt.pct, plan_pct - progress)
    if total.actual is not None:
        ws.write_number(r, 4, float(total.actual), fmt.wan)
        if total.reported_budget:
            ws.write_number(r, 5, float(total.actual / total.reported_budget), fmt.pct)
    ws.write_number(r, 6, progress, fmt.pct)
    notes = _status_note(total, "部门")
    if total.actual is not None:
        notes.append(f"实际支出：{total.reported}/{total.parts} 个部门已填报，执行进度按已填报部门的预算计算")
    if notes:
        ws.write_string(r, 8, "；".join(notes))


def _dept_month_block(ws: Any, r: int, rollup: SummarySource, axis: list[int], fmt: Formats) -> int:
    ws.write_string(r, 0, "各部门累计计划支出（按月，万元）", fmt.subtitle)
    r += 1
    columns = (Column("department", "部门", TEXT), Column("file", "文件", TEXT),
               Column("budget", "预算数（万元）", WAN), *(Column(f"m{m}", f"{m}月底", WAN) for m in axis),
               Column("note", "说明", TEXT))
    ws.set_row(r, 30)
    _header(ws, r, columns, fmt)
    depts = rollup.department_records
    add_streamed_table(ws, r, r + max(len(depts), 1), columns, "SpendByMonth", fmt)
    r += 1
    for d in depts:
        ws.write_string(r, 0, d.name)
        ws.write_string(r, 1, d.file)
        ws.write_number(r, 2, float(d.budget), fmt.wan)
        interpolated, partial = [], []
        for c, m in enumerate(axis, start=3):
            t = d.months[m - 1]
            if t.status == MISSING:
                ws.write_blank(r, c, None, fmt.missing)
                continue
            ws.write_number(r, c, float(t.plan), _plan_format(t.status, fmt))
            (interpolated if t.interpolated else []).append(f"{m}月底")
            (partial if t.status == PARTIAL else []).append(f"{m}月底")
        notes = []
        if interpolated:
            own = "、".join(f"{m}月底" for m in d.checkpoints)
            notes.append(f"{'、'.join(interpolated)}为插值（本部门节点：{own}）")
        if partial:
            notes.append(f"{'、'.join(partial)}部分项目缺少数据")
        if notes:
            ws.write_string(r, 3 + len(axis), "；".join(notes))
        r += 1
    if not depts:
        r += 1
    return r


def _dept_quarter_block(ws: Any, r: int, rollup: SummarySource, fmt: Formats) -> int:
    ws.write_string(r, 0, "各部门累计计划与实际支出（按季度末，万元）", fmt.subtitle)
    r += 1
    cols = (Column("department", "部门", TEXT), Column("file", "文件", TEXT), Column("quarter", "季度", TEXT),
            Column("budget", "预算数（万元）", WAN), Column("plan", "累计计划支出（万元）", WAN),
            Column("actual", "累计实际支出（万元）", WAN), Column("rate", "实际执行进度", PCT),
            Column("plan_rate", "累计计划进度", PCT), Column("note", "说明", TEXT))
    ws.set_row(r, 30)
    _header(ws, r, cols, fmt)
    depts = rollup.department_records
    add_streamed_table(ws, r, r + max(len(depts) * len(QUARTER_ENDS), 1), cols, "SpendByQuarter", fmt)
    r += 1
    for d in depts:
        for m in QUARTER_ENDS:
            t = d.months[m - 1]
            ws.write_string(r, 0, d.name)
            ws.write_string(r, 1, d.file)
            ws.write_string(r, 2, f"{QUARTER_NAMES[m]}（{m}月底）")
            ws.write_number(r, 3, float(d.budget), fmt.wan)
            if t.status == MISSING:
                ws.write_blank(r, 4, None, fmt.missing)
            else:
                ws.write_number(r, 4, float(t.plan), _plan_format(t.status, fmt))
                if d.budget:
                    ws.write_number(r, 7, float(t.plan / d.budget), _plan_format(t.status, fmt, pct=True))
            if t.actual is not None:
                ws.write_number(r, 5, float(t.actual), fmt.wan)
                if t.reported_budget:
                    ws.write_number(r, 6, float(t.actual / t.reported_budget), fmt.pct)
            notes = _status_note(t, "项目")
            if notes:
                ws.write_string(r, 8, "；".join(notes))
            r += 1
    return r
