"""Write the department template (blank, or filled from a Department) with openpyxl.

Everything a user sees is native Excel: dropdowns (二级 depends on 一级 via INDIRECT
over defined names, the usual 二级联动 technique that Excel, WPS and LibreOffice share),
number formats, frozen headers, print setup, and live formulas for the spending
schedule. Highlighting is conditional formatting that reads a hidden status mirror
through a defined name; validate only ever writes that mirror, never the user's cells.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..core.atomic import write_atomic
from ..core.framework import BASIS_STANDARD, DEVIATION_REASONS, FRAMEWORK, OUTDATED
from ..core.model import Department
from .cell_write import put  # re-exported: form_writer and others import it from here
from .form_spec import CHOICES
from .live_checks import (
    LIVE_COLOURS,
    VerdictColumns,
    add_verdict_formats,
    define_thresholds,
    wan_expr,
    write_word_lists,
)
from .results_style import RESULT_STYLED_ROWS, RESULT_WIDTHS, style_result_rows
from .sheet_style import AMOUNT_FORMAT, COLOURS, HEADER_FILL, PRINT_SCALE, WAN_FORMAT  # noqa: F401  (re-exported)
from .sheet_style import header as _header
from .sheet_style import print_setup as _print_setup
from .sheet_style import stamp_rows as _stamp_rows
from .sheet_style import styles as _styles
from .template_spec import (
    ACTUAL_GROUP,
    AS_OF_CELL,
    AS_OF_LABEL,
    BUDGET_WAN_HEADER,
    CUMULATIVE_GROUP,
    CURRENT_EXEC_HEADER,
    DEFAULT_FUNDING,
    DEPT_FIELDS,
    DEPT_SHEET,
    EVAL_YEAR_CELL,
    EVAL_YEAR_LABEL,
    EXEC_GROUP,
    GAP_PLAN_GROUP,
    GAP_TIME_HEADER,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    INFO_GROUP,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    PERIOD_GROUP,
    PLAN_GROUP,
    PROJECT_INFO_COLUMNS,
    PROJECT_SHEET,
    RESULTS_SHEET,
    SELFEVAL_COLUMNS,
    SELFEVAL_SHEET,
    SPEND_STATUS,
    STATUS_GROUP,
    STATUS_NAMES,
    TARGET_COLUMNS,
    TIME_PROGRESS_CELL,
    TIME_PROGRESS_LABEL,
    TIME_STATUS_HEADER,
    ProjectColumns,
    mirror_sheet,
)

__all__ = ["RESULT_HEADERS", "build_workbook", "put", "save_workbook", "write_package"]

# Rows a blank template offers; fill adds room when a department has more.
PROJECT_ROWS = 300
INDICATOR_ROWS = 3000
TARGET_ROWS = 60
# Rows below the filled ones that still carry the live 双监控 verdict formulas (16 per row).
LIVE_MARGIN = 500
INSTRUCTIONS_WIDTH = 110  # 说明 column, characters: fits A4 landscape at PRINT_SCALE, lines wrap inside it

DEPT_TITLE_ROW = 1
DEPT_FIRST_FIELD_ROW = 2
PROJECT_HEADER_ROW = 4  # row 3 holds the group headers
INDICATOR_HEADER_ROW = 3
RESULT_HEADERS = ("序号", "级别", "规则", "工作表", "单元格", "项目", "问题", "修改建议")


def _percent_cell(raw: Any) -> tuple[Any, str | None]:
    """A plan percentage as Excel stores it (0.25 with a % format) when that is lossless.

    A bare number in the model means percent points (25 → 25%), as schedule.parse_percent reads it.
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return round(raw / 100, 12), "0%" if float(raw).is_integer() else "0.0#%"
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith("%"):
            try:
                number = float(text[:-1])
            except ValueError:
                return raw, None
            if f"{number:g}%" == text:
                fmt = "0%" if number == int(number) else "0.0#%"
                return round(number / 100, 12), fmt
    return raw, None


def _iso_date(text: str | None) -> dt.date | None:
    """The 评估日期 of a data file ("2026-10-31") as a date, so the workbook's formulas can use it."""
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _header_style(cell: Any) -> None:
    st = _styles()
    cell.font, cell.fill = st["header_font"], st["header_fill"]
    cell.border, cell.alignment = st["border"], st["center"]


def build_workbook(dept: Department | None = None) -> Any:
    from openpyxl import Workbook

    dept = dept or Department()
    columns = _project_columns(dept)
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), columns)
    target_rows = max(TARGET_ROWS, len(dept.targets) + 20)
    project_rows = max(PROJECT_ROWS, len(dept.projects) + 50)
    indicator_count = sum(len(p.indicators) for p in dept.projects)
    indicator_rows = max(INDICATOR_ROWS, indicator_count + 500)
    _lists(wb)
    from ..core.config import load_config

    config = load_config()
    define_thresholds(wb, config)
    from .selfeval_sheet import define_selfeval_names, write_selfeval_sheet

    define_selfeval_names(wb, config)
    write_word_lists(wb, LISTS_SHEET)
    dept_last_row = _dept_sheet(wb.create_sheet(DEPT_SHEET), dept, target_rows)
    _project_sheet(wb.create_sheet(PROJECT_SHEET), dept, columns, project_rows)
    _indicator_sheet(wb.create_sheet(INDICATOR_SHEET), dept, indicator_rows, indicator_count + LIVE_MARGIN)
    from openpyxl.utils import get_column_letter

    letters = {k: get_column_letter(i) for i, k in enumerate(INDICATOR_COLUMNS, start=1)}
    indicator_cells = (letters["code"], letters["weight"], letters["score"], INDICATOR_HEADER_ROW + 1,
                       INDICATOR_HEADER_ROW + indicator_rows)
    selfeval_last = write_selfeval_sheet(wb.create_sheet(SELFEVAL_SHEET), dept, project_rows, indicator_cells, config)
    _results_sheet(wb.create_sheet(RESULTS_SHEET))
    extents = {
        DEPT_SHEET: (dept_last_row, len(TARGET_COLUMNS)),
        PROJECT_SHEET: (PROJECT_HEADER_ROW + project_rows, columns.last_col),
        INDICATOR_SHEET: (INDICATOR_HEADER_ROW + indicator_rows, len(INDICATOR_COLUMNS)),
        SELFEVAL_SHEET: (selfeval_last, len(SELFEVAL_COLUMNS)),
    }
    for sheet, (rows, cols) in extents.items():
        add_status_mirror(wb, sheet, rows, cols)
    _print_areas(wb, dept, columns, indicator_count)
    wb.active = wb.sheetnames.index(DEPT_SHEET if dept.name or dept.projects else INSTRUCTIONS_SHEET)
    return wb


def save_workbook(wb: Any, path: str | Path) -> None:
    write_atomic(path, lambda tmp: write_package(wb, tmp))


def write_package(wb: Any, path: Path) -> None:
    """Save ``wb`` to ``path`` (not atomically: callers write a temporary file) with the values Python
    computes for formulas (自评) cached in the package, so readers without a calculation engine see them."""
    from .cached_values import cached_of, write_cached

    wb.save(path)
    write_cached(path, cached_of(wb))


def _print_areas(wb: Any, dept: Department, columns: ProjectColumns, indicator_count: int) -> None:
    # Pre-formatted blank rows would otherwise print as hundreds of empty pages.
    from openpyxl.utils import get_column_letter as L

    dept_ws = wb[DEPT_SHEET]
    target_header = next(r for r in range(1, 20) if dept_ws.cell(row=r, column=1).value == TARGET_COLUMNS["numbering"])
    areas = {
        DEPT_SHEET: (target_header + max(len(dept.targets), 10), len(TARGET_COLUMNS)),
        PROJECT_SHEET: (PROJECT_HEADER_ROW + max(len(dept.projects), 10), columns.last_col),
        INDICATOR_SHEET: (INDICATOR_HEADER_ROW + max(indicator_count, 20), len(INDICATOR_COLUMNS)),
    }
    for sheet, (rows, cols) in areas.items():
        wb[sheet].print_area = f"A1:{L(cols)}{rows}"


def _project_columns(dept: Department) -> ProjectColumns:
    funding = list(DEFAULT_FUNDING)
    checkpoints: list[str] = []
    for p in dept.projects:
        funding += [k for k in p.funding if k not in funding]
        for k in (*p.spend_plan, *p.spend_actual):
            if k not in checkpoints:
                checkpoints.append(k)
    if not checkpoints:
        return ProjectColumns(funding=tuple(funding))
    from ..core.schedule import checkpoint_month

    # departments write checkpoints in month order; keep unknown labels at the end, in order
    checkpoints.sort(key=lambda c: (checkpoint_month(c) is None, checkpoint_month(c) or 0))
    return ProjectColumns(funding=tuple(funding), checkpoints=tuple(checkpoints))


# ---------------------------------------------------------------- styles


# ---------------------------------------------------------------- sheets


def _instructions(ws: Any, columns: ProjectColumns) -> None:
    st = _styles()
    lines = [
        ("预算绩效目标表（pyxl 模板）使用说明", "title"),
        ("", None),
        ("1. 在“部门整体”表填写部门名称、预算年度、总体绩效目标和分项绩效目标。", None),
        ("2. 在“项目”表每行填写一个预算项目：项目编码、名称、资金主要用途、预算数、资金来源、年度绩效目标和资金支出计划。", None),
        ("   · 金额单位为万元，可直接填数字；也可照原文写“74.5 万元”“745000 元”，校验时按单位换算。", None),
        ("   · 资金支出计划填累计百分比（如 25%、50%、75%、100%）。节点月份可改：直接改表头“3月底”等文字即可。", None),
        ("   · 右侧灰色各列为公式，自动计算各节点累计计划支出金额和当期计划支出金额，请勿改动。", None),
        ("3. 在“绩效指标”表每行填写一条指标，用“项目编码”对应到项目。一级、二级指标和确定依据可从下拉列表选择，二级列表随一级变化。", None),
        ("   · 指标值照实填写，如“≥95%”“≤3.5万元”“14人”“90%-95%”，定性指标填“达到/基本达到/未达到”或“优/良/中/差”。", None),
        ("4. 填好后点“校验”（或运行 pyxl validate）。有问题的单元格会标色并附批注，“校验结果”表逐条列出，点击单元格地址可跳转。", None),
        ("   · 红色（错误）：必须修改，如金额单位混用、资金来源合计与预算数不符、必填项为空。", None),
        ("   · 黄色（警告）：请核对，如指标值不可衡量、满意度目标过低、目标与其他项目雷同。", None),
        ("   · 绿色：已达成的指标（填写实际完成值后）。提示类问题不标色，只列在“校验结果”并附批注。", None),
        ("5. 校验只读取您填写的内容，不会修改任何数据，也不会改动您自己设置的格式；标色可随时清除（清除标记）。", None),
        ("6. 年度中（双监控）：在“绩效指标”表填写实际完成值、全年预计完成值；", None),
        ("   未达成或大幅超额时，选择偏差原因并填写纠偏措施。", None),
        ("   在“项目”表填写各节点累计实际支出（万元），并在表上方填写评估日期（空白为今天）。", None),
        ("   · “实时判定”列随输入即时变色，不必先校验：绿色达成，红色未达成，", None),
        ("     黄色接近目标（差距在 5% 以内）或大幅超额（达到目标的 130% 以上，请说明原因）。", None),
        ("     区间值等写法由“校验”判断。", None),
        ("7. 年终自评（财预〔2020〕10号）：在“绩效指标”表填写每条指标的分值和实际完成值；在“自评”表每个项目一行，", None),
        ("   填写年初预算数、全年预算数、全年执行数（执行率分值空白按 10 分）。", None),
        ("   · 定量指标的得分自动计算：达成得满分，未达成按完成比例（正向 实际÷目标，反向 目标÷实际）；", None),
        ("     定性指标由单位在档次区间内打分：达成 80–100%、部分达成 60–80%、未达成 0–60% 的分值。", None),
        ("   · 执行率、执行率得分、分值合计（应为 100，不符标红）、总分和等级（优 ≥90，良 80–90，中 60–80，差 <60）为公式。", None),
        ("   · “项目”表自动计算执行率、与计划差、与序时进度差：累计支出超过预算标红；", None),
        ("     已过节点低于计划，或截至评估日期低于序时进度 10 个百分点以上，标黄。", None),
        ("", None),
        ("指标体系（财预〔2021〕101号）：", None),
    ]
    lines += [(f"   {k}：{'、'.join(v)}", None) for k, v in FRAMEWORK.items()]
    lines += [
        ("   旧版名称（效果指标、可持续性影响、产出指标下的成本指标）仍可使用，校验时提示现行名称。", None),
        (f"指标值确定依据：{'、'.join(BASIS_STANDARD)}。", None),
    ]
    from .print_layout import wrapped_height

    for i, (text, kind) in enumerate(lines, start=1):
        c = ws.cell(row=i, column=1, value=text)
        c.alignment = st["wrap"]  # long lines wrap on screen and on paper instead of running off the page
        if kind == "title":
            c.font = st["title"]
        else:
            ws.row_dimensions[i].height = wrapped_height(text, INSTRUCTIONS_WIDTH)
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    ws.sheet_view.showGridLines = False
    _print_setup(ws, None)


def _lists(wb: Any) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    names: dict[str, str] = {}
    ws.cell(row=1, column=1, value="一级指标")
    for i, level1 in enumerate(FRAMEWORK, start=2):
        ws.cell(row=i, column=1, value=level1)
    names["pyxl_level1"] = f"'{LISTS_SHEET}'!$A$2:$A${1 + len(FRAMEWORK)}"
    for col, (level1, level2s) in enumerate(FRAMEWORK.items(), start=2):
        ws.cell(row=1, column=col, value=level1)
        for r, level2 in enumerate(level2s, start=2):
            ws.cell(row=r, column=col, value=level2)
        letter = ws.cell(row=1, column=col).column_letter
        ref = f"'{LISTS_SHEET}'!${letter}$2:${letter}${1 + len(level2s)}"
        names[level1] = ref  # INDIRECT(一级) finds the 二级 list
        for old, new in OUTDATED.items():
            if new == level1:
                names[old] = ref
    base = 2 + len(FRAMEWORK)
    for offset, (name, values) in enumerate(
        (("pyxl_basis", BASIS_STANDARD), ("pyxl_deviation", DEVIATION_REASONS), ("pyxl_nature", CHOICES["nature"]),
         ("pyxl_category", CHOICES["category"]), ("pyxl_polarity", CHOICES["polarity"]))
    ):
        col = base + offset
        ws.cell(row=1, column=col, value=name)
        for r, value in enumerate(values, start=2):
            ws.cell(row=r, column=col, value=value)
        letter = ws.cell(row=1, column=col).column_letter
        names[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${1 + len(values)}"
    for name, ref in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _dept_sheet(ws: Any, dept: Department, target_rows: int) -> int:
    st = _styles()
    ws.cell(row=DEPT_TITLE_ROW, column=1, value="部门整体绩效目标").font = st["title"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TARGET_COLUMNS))
    row = DEPT_FIRST_FIELD_ROW
    for key, label in DEPT_FIELDS.items():
        c = ws.cell(row=row, column=1, value=label)
        c.font, c.fill, c.border = st["header_font"], st["header_fill"], st["border"]
        v = ws.cell(row=row, column=2)
        put(v, getattr(dept, key))
        v.alignment = st["wrap"]
        if key in ("code",):
            v.number_format = "@"
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(TARGET_COLUMNS))
        if key == "overall_goal":
            ws.row_dimensions[row].height = 150
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="分项绩效目标").font = st["header_font"]
    header_row = row + 1
    _header(ws, header_row, TARGET_COLUMNS.values())
    last = header_row + target_rows
    for col in range(1, len(TARGET_COLUMNS) + 1):
        c = ws.cell(row=header_row + 1, column=col)
        c.border, c.alignment, c.number_format = st["border"], st["wrap"], "@"
    _stamp_rows(ws, header_row + 1, last, len(TARGET_COLUMNS))
    for i, t in enumerate(dept.targets):
        r = header_row + 1 + i
        for col, key in enumerate(TARGET_COLUMNS, start=1):
            put(ws.cell(row=r, column=col), getattr(t, key))
    letters = {key: chr(ord("A") + i) for i, key in enumerate(TARGET_COLUMNS)}
    live = VerdictColumns(first=len(TARGET_COLUMNS) + 1, value=letters["value"], actual=letters["actual"],
                          name=letters["indicator"])
    add_verdict_formats(ws, live, header_row + 1, last)
    live.write(ws, header_row, header_row + 1, last, header_style=_header_style)
    for letter, width in zip("ABCDE", (10, 48, 30, 16, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _print_setup(ws, f"{header_row}:{header_row}")
    return last


def _project_sheet(ws: Any, dept: Department, columns: ProjectColumns, capacity: int) -> None:
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter as L

    st = _styles()
    ws.cell(row=1, column=1, value="项目支出预算及资金支出计划").font = st["title"]
    ws.cell(row=2, column=1, value=(
        "金额单位：万元。支出计划为累计百分比；节点月份可直接修改表头（如“10月底”改为“9月底”）。"
        "年度中填写各节点累计实际支出，并在上方填写评估日期（空白为今天）。灰色列为公式。")).font = st["note"]
    hr = PROJECT_HEADER_ROW
    n = len(columns.checkpoints)
    first, last_row = hr + 1, hr + capacity
    headers = [h for _, h in columns.input_headers()]
    _header(ws, hr, headers)
    groups = (
        (columns.plan_start, PLAN_GROUP),
        (columns.actual_start, ACTUAL_GROUP),
        (columns.cumulative_start, CUMULATIVE_GROUP),
        (columns.period_start, PERIOD_GROUP),
        (columns.exec_start, EXEC_GROUP),
        (columns.gap_plan_start, GAP_PLAN_GROUP),
    )
    for start, label in groups:
        _header(ws, hr - 1, [label], start)
        if n > 1:
            ws.merge_cells(start_row=hr - 1, start_column=start, end_row=hr - 1, end_column=start + n - 1)
    _header(ws, hr, [BUDGET_WAN_HEADER], columns.budget_wan_col)
    _header(ws, hr, [h for _, h in PROJECT_INFO_COLUMNS], columns.info_start)
    _header(ws, hr - 1, [INFO_GROUP], columns.info_start)
    ws.merge_cells(start_row=hr - 1, start_column=columns.info_start, end_row=hr - 1, end_column=columns.last_col)
    _header(ws, hr, [CURRENT_EXEC_HEADER, GAP_TIME_HEADER], columns.current_exec_col)
    for i in range(n):
        plan_letter = L(columns.plan_start + i)
        for start in (columns.actual_start, columns.cumulative_start, columns.period_start,
                      columns.exec_start, columns.gap_plan_start):
            # the label follows the editable checkpoint header
            _header(ws, hr, [f"={plan_letter}${hr}"], start + i)

    # 评估日期 → effective as-of date (blank: today), budget year, 序时进度 (days elapsed ÷ days in year)
    as_of = f"${L(AS_OF_CELL[1])}$1"
    year = f"${L(EVAL_YEAR_CELL[1])}$1"
    progress = f"${L(TIME_PROGRESS_CELL[1])}$1"
    effective = f"IF(ISNUMBER({as_of}),{as_of},IFERROR(DATEVALUE({as_of}),TODAY()))"
    year_ref = f"'{DEPT_SHEET}'!$B${DEPT_FIRST_FIELD_ROW + list(DEPT_FIELDS).index('year')}"
    labels = ((AS_OF_CELL, AS_OF_LABEL), (TIME_PROGRESS_CELL, TIME_PROGRESS_LABEL),
              (EVAL_YEAR_CELL, EVAL_YEAR_LABEL))
    for (label_col, value_col), label in labels:
        _header_style(ws.cell(row=1, column=label_col, value=label))
        ws.cell(row=1, column=value_col).border = st["border"]
    date_cell = ws.cell(row=1, column=AS_OF_CELL[1])
    parsed = _iso_date(dept.as_of)
    put(date_cell, parsed if parsed is not None else dept.as_of)
    date_cell.number_format = "yyyy-mm-dd"
    ws.cell(row=1, column=EVAL_YEAR_CELL[1]).value = (
        f"=IF(ISNUMBER({year_ref}),{year_ref},IFERROR(VALUE(LEFT(ASC({year_ref}),4)),YEAR({effective})))"
    )
    pc = ws.cell(row=1, column=TIME_PROGRESS_CELL[1])
    pc.value = (
        f"=IF(YEAR({effective})<{year},0,IF(YEAR({effective})>{year},1,"
        f"({effective}-DATE({year},1,1)+1)/(DATE({year},12,31)-DATE({year},1,1)+1)))"
    )
    pc.number_format = "0.0%"
    # row 2, above the execution columns: each checkpoint's date (month end), "" if the label has no month
    for i in range(n):
        header = f"{L(columns.plan_start + i)}${hr}"
        bare = f'SUBSTITUTE(SUBSTITUTE(ASC({header}),"截至",""),"截止","")'
        month = f'VALUE(LEFT({bare},FIND("月",{bare})-1))'
        c = ws.cell(row=2, column=columns.exec_start + i)
        c.value = f'=IFERROR(IF(AND({month}>=1,{month}<=12),EOMONTH(DATE({year},{month},1),0),""),"")'
        c.number_format, c.font = "yyyy-mm-dd", st["note"]

    budget_letter = L(4)
    wan = L(columns.budget_wan_col)
    formula_fill = PatternFill("solid", fgColor="F2F2F2")
    # style the first row, then stamp it down (see _stamp_rows)
    for col in range(1, columns.last_col + 1):
        ws.cell(row=first, column=col).border = st["border"]
    for col in (1, 2, 3, columns.goal_col):
        ws.cell(row=first, column=col).number_format = "@"
        ws.cell(row=first, column=col).alignment = st["wrap"]
    for col in [*range(4, columns.goal_col), *range(columns.actual_start, columns.actual_start + n)]:
        ws.cell(row=first, column=col).number_format = AMOUNT_FORMAT
    for i in range(n):
        ws.cell(row=first, column=columns.plan_start + i).number_format = "0%"
    for col in range(columns.budget_wan_col, columns.gap_time_col + 1):
        c = ws.cell(row=first, column=col)
        c.number_format, c.fill = WAN_FORMAT, formula_fill
    for col in range(columns.exec_start, columns.gap_time_col + 1):
        ws.cell(row=first, column=col).number_format = "0.0%"
    for i, (key, _) in enumerate(PROJECT_INFO_COLUMNS):
        c = ws.cell(row=first, column=columns.info_start + i)
        c.number_format = AMOUNT_FORMAT if key == "total_budget" else "@"
        c.alignment = st["wrap"]
    _stamp_rows(ws, first, last_row, columns.last_col)
    for r in range(first, last_row + 1):
        # budget as written ("74.5 万元", "745000 元", 74.5) → 万元, the same reading as units.parse_amount
        ws.cell(row=r, column=columns.budget_wan_col).value = f"={wan_expr(f'{budget_letter}{r}')}"
        for i in range(n):
            pct = f"{L(columns.plan_start + i)}{r}"
            plan_value = f"IF(ISNUMBER({pct}),{pct},VALUE({pct}))"
            cum = ws.cell(row=r, column=columns.cumulative_start + i)
            cum.value = f'=IF(OR(${wan}{r}="",{pct}=""),"",IFERROR(${wan}{r}*{plan_value},""))'
            this = f"{L(columns.cumulative_start + i)}{r}"
            per = ws.cell(row=r, column=columns.period_start + i)
            if i == 0:
                per.value = f"={this}"
            else:
                prev = f"{L(columns.cumulative_start + i - 1)}{r}"
                per.value = f'=IF(OR({this}="",{prev}=""),"",{this}-{prev})'
            spent = f"{L(columns.actual_start + i)}{r}"
            executed = f"{L(columns.exec_start + i)}{r}"
            ws.cell(row=r, column=columns.exec_start + i).value = (
                f'=IF(OR({spent}="",${wan}{r}=""),"",IFERROR({wan_expr(spent)}/${wan}{r},""))'
            )
            ws.cell(row=r, column=columns.gap_plan_start + i).value = (
                f'=IF(OR({executed}="",{pct}=""),"",IFERROR({executed}-{plan_value},""))'
            )
        # the latest execution rate entered (rightmost checkpoint with an actual), and its gap to 序时进度
        latest = '""'
        for i in range(n):
            e = f"{L(columns.exec_start + i)}{r}"
            latest = f'IF({e}<>"",{e},{latest})'
        ws.cell(row=r, column=columns.current_exec_col).value = f"={latest}"
        current = f"{L(columns.current_exec_col)}{r}"
        ws.cell(row=r, column=columns.gap_time_col).value = f'=IF({current}="","",{current}-{progress})'
    for i, p in enumerate(dept.projects):
        r = first + i
        values: dict[str, Any] = {
            "code": p.code, "name": p.name, "purpose": p.purpose, "budget": p.budget, "goal": p.goal,
        }
        for key, _ in columns.input_headers():
            group, _, item = key.partition(".")
            if group in ("funding", "spend_plan", "spend_actual"):
                values[key] = getattr(p, group).get(item)
        for col, (key, _) in enumerate(columns.input_headers(), start=1):
            cell = ws.cell(row=r, column=col)
            value = values.get(key)
            if key.startswith("spend_plan."):
                value, fmt = _percent_cell(value)
                if fmt:
                    cell.number_format = fmt
            put(cell, value)
        for k, (key, _) in enumerate(PROJECT_INFO_COLUMNS):
            put(ws.cell(row=r, column=columns.info_start + k), getattr(p, key))
    from .schedule_cache import remember_schedule

    remember_schedule(ws, columns, first, first + len(dept.projects) - 1, year=dept.year,
                      as_of=parsed)  # what previewers show
    _spending_status(ws, columns, first, last_row, effective)
    _info_choices(ws, columns, first, last_row)
    widths = {1: 14, 2: 26, 3: 30, 4: 14, columns.goal_col: 40, columns.last_col: 40}
    for col in range(1, columns.last_col + 1):
        ws.column_dimensions[L(col)].width = widths.get(col, 12)
    ws.freeze_panes = ws.cell(row=hr + 1, column=3)
    _print_setup(ws, f"{hr - 1}:{hr}", repeat_cols=2)  # 项目编码 and 项目名称 on every page


def _choice(ws: Any, letter: str, first: int, last: int, source: str, title: str, prompt: str) -> None:
    """A dropdown over a fixed list that still accepts other text (a warning, not a stop)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    # the list source without a leading "=", as Excel stores it (Gnumeric rejects "=…" as an invalid expression)
    v = DataValidation(type="list", formula1=source.removeprefix("="), allow_blank=True, errorStyle="warning",
                       showErrorMessage=True, showInputMessage=True)
    v.errorTitle, v.error = "不在列表中", f"“{title}”建议从下拉列表选择。仍要保留请点“是”。"
    v.promptTitle, v.prompt = title, prompt
    v.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(v)


def _info_choices(ws: Any, columns: ProjectColumns, first: int, last: int) -> None:
    """项目性质 and 项目类别 from their lists (pyxl/data/form_labels.toml [choices])."""
    from openpyxl.utils import get_column_letter as L

    keys = [k for k, _ in PROJECT_INFO_COLUMNS]
    for key, name in (("nature", "pyxl_nature"), ("category", "pyxl_category")):
        header = dict(PROJECT_INFO_COLUMNS)[key]
        _choice(ws, L(columns.info_start + keys.index(key)), first, last, name, header,
                "、".join(CHOICES[key]))


def _spending_status(ws: Any, columns: ProjectColumns, first: int, last: int, as_of: str) -> None:
    """Live spending checks on the 项目 sheet as hidden formula cells, and the colours they drive:
    an actual over budget (red) or behind its plan at a passed checkpoint (yellow), the execution rate
    more than N points behind 序时进度 (yellow) — spend-over-budget / -behind-plan / -behind-time."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter as L

    n = len(columns.checkpoints)
    hr = first - 1
    _header(ws, hr - 1, [STATUS_GROUP], columns.status_start)
    for i in range(n):
        _header(ws, hr, [f"={L(columns.plan_start + i)}${hr}"], columns.status_start + i)
    _header(ws, hr, [TIME_STATUS_HEADER], columns.time_status_col)
    for r in range(first, last + 1):
        for i in range(n):
            executed = f"{L(columns.exec_start + i)}{r}"
            gap = f"{L(columns.gap_plan_start + i)}{r}"
            due = f"{L(columns.exec_start + i)}$2"
            # nested IFs, not AND(): AND evaluates every argument and an empty cell would give #VALUE!
            ws.cell(row=r, column=columns.status_start + i).value = (
                f'=IF(NOT(ISNUMBER({executed})),"",IF(ROUND({executed}-1-pyxl_amount_tol,9)>0,"超预算",'
                f'IF(NOT(ISNUMBER({gap})),"",IF(AND(ROUND({gap}+pyxl_behind_plan/100,9)<0,'
                f'OR({due}="",{due}<={as_of})),"落后计划",""))))'
            )
        gap_time = f"{L(columns.gap_time_col)}{r}"
        ws.cell(row=r, column=columns.time_status_col).value = (
            f'=IF(NOT(ISNUMBER({gap_time})),"",IF(ROUND({gap_time}+pyxl_behind_time/100,9)<0,"落后序时进度",""))'
        )
    ws.column_dimensions.group(L(columns.status_start), L(columns.time_status_col), hidden=True,
                               outline_level=1)

    def rule(formula: str, code: str) -> Any:
        fill, font = LIVE_COLOURS[code]
        return FormulaRule(formula=[formula], fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                           font=Font(color=font), stopIfTrue=True)

    targets = [(L(columns.actual_start + i), L(columns.status_start + i)) for i in range(n)]
    targets.append((L(columns.gap_time_col), L(columns.time_status_col)))
    for shown, status in targets:
        for word, code in SPEND_STATUS.items():
            ws.conditional_formatting.add(f"{shown}{first}:{shown}{last}", rule(f'${status}{first}="{word}"', code))


def _indicator_sheet(ws: Any, dept: Department, capacity: int, live_rows: int) -> None:
    from openpyxl.utils import get_column_letter as L

    st = _styles()
    ws.cell(row=1, column=1, value="项目绩效指标").font = st["title"]
    ws.cell(row=2, column=1, value="每行一条指标，以“项目编码”对应“项目”表。一级、二级指标和确定依据可从下拉列表选择。").font = st["note"]
    hr = INDICATOR_HEADER_ROW
    keys = list(INDICATOR_COLUMNS)
    _header(ws, hr, INDICATOR_COLUMNS.values())
    r = hr + 1
    for p in dept.projects:
        for ind in p.indicators:
            for col, key in enumerate(keys, start=1):
                if key == "code":  # the key to the 项目 row: its code, else its name (never the project above's)
                    put(ws.cell(row=r, column=col), p.code or p.name)
                elif key != "project_name":
                    put(ws.cell(row=r, column=col), getattr(ind, key))
            r += 1
    last = hr + capacity
    col_of = {k: i for i, k in enumerate(keys, start=1)}
    code_l, l1_l = L(col_of["code"]), L(col_of["level1"])
    name_col = col_of["project_name"]
    from openpyxl.styles import PatternFill

    formula_fill = PatternFill("solid", fgColor="F2F2F2")
    for col in range(1, len(keys) + 1):
        c = ws.cell(row=hr + 1, column=col)
        c.border, c.alignment = st["border"], st["wrap"]
        if col not in (name_col, col_of["weight"], col_of["score"]):
            c.number_format = "@"
    ws.cell(row=hr + 1, column=name_col).fill = formula_fill
    _stamp_rows(ws, hr + 1, last, len(keys))
    for row in range(hr + 1, last + 1):
        c = ws.cell(row=row, column=name_col)
        c.value = (
            f'=IF({code_l}{row}="","",IFERROR(INDEX(\'{PROJECT_SHEET}\'!$B:$B,'
            f"MATCH({code_l}{row},'{PROJECT_SHEET}'!$A:$A,0)),IF(COUNTIF('{PROJECT_SHEET}'!$B:$B,{code_l}{row}),"
            f"{code_l}{row},\"（项目表中无此编码）\")))"
        )
    first = hr + 1

    def dv(formula: str, key: str, prompt: str) -> None:
        _choice(ws, L(col_of[key]), first, last, formula, INDICATOR_COLUMNS[key], prompt)

    live = VerdictColumns(first=len(keys) + 1, value=L(col_of["value"]), actual=L(col_of["actual"]),
                          name=L(col_of["name"]), level1=L(col_of["level1"]), level2=L(col_of["level2"]))
    live_last = min(last, hr + live_rows)
    add_verdict_formats(ws, live, first, live_last)
    live.write(ws, hr, first, live_last, header_style=_header_style)
    from .selfeval_sheet import ScoreColumns

    scores = ScoreColumns(first=live.last + 1, live=live, weight=L(col_of["weight"]), score=L(col_of["score"]))
    scores.write(ws, hr, first, live_last, header_style=_header_style)
    dv("pyxl_level1", "level1", "选择一级指标")
    dv(f"INDIRECT(${l1_l}{first})", "level2", "先选一级指标，再选二级指标")
    dv("pyxl_basis", "basis", "计划标准/行业标准/历史标准/其他")
    dv("pyxl_deviation", "deviation_reason", "未达成或大幅超额时填写")
    dv("pyxl_polarity", "polarity", "正向：越大越好；反向：越小越好")
    widths = {"code": 14, "project_name": 20, "level1": 12, "level2": 18, "name": 24, "description": 34,
              "value": 14, "basis": 16, "actual": 12, "forecast": 12, "deviation_reason": 12, "corrective_action": 24,
              "unit": 10, "polarity": 10, "weight": 8, "score": 8}
    for key, width in widths.items():
        ws.column_dimensions[L(col_of[key])].width = width
    ws.freeze_panes = ws.cell(row=hr + 1, column=3)
    ws.auto_filter.ref = f"A{hr}:{L(len(keys))}{hr}"
    _print_setup(ws, f"{hr}:{hr}", repeat_cols=2)


def _results_sheet(ws: Any) -> None:
    st = _styles()
    ws.cell(row=1, column=1, value="校验结果").font = st["title"]
    ws.cell(row=2, column=1, value="尚未校验。点击“校验”按钮或运行 pyxl validate。")
    _header(ws, 3, RESULT_HEADERS)
    for letter, width in zip("ABCDEFGH", RESULT_WIDTHS, strict=True):  # one A4 page across
        ws.column_dimensions[letter].width = width
    style_result_rows(ws, first=4, last=3 + RESULT_STYLED_ROWS, width=len(RESULT_HEADERS))
    ws.freeze_panes = "A4"
    _print_setup(ws, "3:3")


def add_status_mirror(wb: Any, sheet: str, rows: int, cols: int) -> None:
    """A hidden sheet mirroring ``sheet`` cell for cell, read by conditional formats on ``sheet``."""
    from ..backends.openpyxl_backend import install_status_mirror

    name = STATUS_NAMES.get(sheet) or f"pyxl_status_{len(wb.defined_names)}"
    install_status_mirror(wb, sheet, mirror_sheet(sheet), name, (rows, cols), COLOURS)
