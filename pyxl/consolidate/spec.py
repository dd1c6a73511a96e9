"""Column specs of the summary's tables: one tuple of columns per sheet.

The extractor builds rows in this order, the writer lays the sheets out from it,
and the DataFrames and the Parquet spill take their column names from it. Adding
a column (monitoring adds actuals, execution rate…) is a line here plus its value
in the extractor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..core.findings import SEVERITY_ZH, Severity

__all__ = [
    "DEPARTMENTS",
    "FILES",
    "FINDINGS",
    "INDICATORS",
    "INT",
    "NUMBER",
    "PCT",
    "PROJECTS",
    "RAW",
    "SELFEVAL_GRADES",
    "STATUS_ZH",
    "TEXT",
    "WAN",
    "Column",
    "Table",
    "selfeval_grade_columns",
]

# What a column holds; the writer picks the cell type and number format from it.
TEXT = "text"  # text from an input or from pyxl: always written as a string
RAW = "raw"  # a value as the user typed it: text stays text, a number stays a number
INT = "int"
WAN = "wan"  # an amount in 万元
NUMBER = "number"
PCT = "pct"  # a fraction shown as a percentage (0.25 → 25.0%)

STATUS_ZH = {"read": "已读取", "failed": "未能读取", "skipped": "已跳过"}


def _severity_zh(value: Any) -> Any:
    return SEVERITY_ZH.get(Severity(value), value) if value in ("error", "warning", "info") else value


def _status_zh(value: Any) -> Any:
    return STATUS_ZH.get(value, value)


@dataclass(frozen=True)
class Column:
    key: str  # name in the DataFrame, the Parquet file and the JSON
    header: str  # the Chinese header on the sheet
    kind: str = TEXT
    width: float = 12
    display: Callable[[Any], Any] | None = None  # value shown on the sheet, if not the stored one


@dataclass(frozen=True)
class Table:
    sheet: str
    name: str  # the Excel table's name (ASCII: older Excel versions reject others)
    title: str
    columns: tuple[Column, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def with_columns(self, extra: tuple[Column, ...], *, before: str | None = None) -> Table:
        """The table with ``extra`` columns inserted before the column ``before`` (else at the end)."""
        cols = list(self.columns)
        at = self.keys.index(before) if before is not None else len(cols)
        return replace(self, columns=(*cols[:at], *extra, *cols[at:]))


_FILE = Column("file", "文件", TEXT, 28)
# 自评 等级 in the order of the default [selfeval.grades]. The summary's columns follow the run's config
# (selfeval_grade_columns, inserted before se_rate by RollupResult.department_table), as JSON and chart do.
SELFEVAL_GRADES = ("优", "良", "中", "差")


def selfeval_grade_columns(grades: tuple[str, ...] = SELFEVAL_GRADES) -> tuple[Column, ...]:
    """One count column per 自评 等级, best first: se_0 … with the header 自评<等级>."""
    return tuple(Column(f"se_{i}", f"自评{g}", INT, 6) for i, g in enumerate(grades))


_DEPT = Column("department", "部门", TEXT, 22)

DEPARTMENTS = Table("部门汇总", "Departments", "部门汇总（金额单位：万元）", (
    Column("index", "序号", INT, 6),
    Column("name", "部门名称", TEXT, 24),
    Column("code", "部门编码", TEXT, 10),
    Column("year", "预算年度", INT, 8),
    _FILE,
    Column("layout", "版式", TEXT, 8),
    Column("projects", "项目数", INT, 8),
    Column("indicators", "指标数", INT, 8),
    Column("quantitative", "定量指标", INT, 8),
    Column("qualitative", "定性指标", INT, 8),
    Column("targets", "部门整体目标数", INT, 10),
    Column("budget", "预算数（万元）", WAN, 14),
    Column("fiscal", "财政资金（万元）", WAN, 14),
    # cumulative plan per checkpoint month goes here (columns depend on the departments read)
    # 双监控: latest cumulative actual ÷ budget of the projects reporting one; verdicts of all target lines
    Column("execution_rate", "预算执行率", PCT, 10),
    Column("met", "目标达成", INT, 8),
    Column("near", "目标接近", INT, 8),
    Column("missed", "目标未达成", INT, 10),
    # 自评 (year end), scored by pyxl: projects in 自评, mean 总分, 等级 counts, 全年执行数 ÷ 全年预算数
    Column("se_projects", "自评项目数", INT, 8),
    Column("se_mean", "自评平均分", NUMBER, 10),
    # one count per 等级 of the run's config goes here (selfeval_grade_columns)
    Column("se_rate", "自评执行率", PCT, 10),
    Column("error", "错误", INT, 6),
    Column("warning", "警告", INT, 6),
    Column("info", "提示", INT, 6),
))

PROJECTS = Table("项目明细", "Projects", "项目明细（金额单位：万元）", (
    _DEPT,
    _FILE,
    Column("code", "项目编码", TEXT, 14),
    Column("name", "项目名称", TEXT, 24),
    Column("budget_raw", "预算数（原文）", RAW, 12),
    Column("budget", "预算数（万元）", WAN, 14),
    Column("fiscal", "财政资金（万元）", WAN, 14),
    Column("other_funding", "其他资金（万元）", WAN, 14),
    Column("plan_text", "资金支出计划（原文，累计%）", TEXT, 30),
    # cumulative planned amount, then actual spending, per checkpoint month go here
    Column("execution_rate", "预算执行率", PCT, 10),  # latest cumulative actual ÷ 预算数
    Column("indicators", "指标数", INT, 8),
    Column("met", "目标达成", INT, 8),
    Column("near", "目标接近", INT, 8),
    Column("missed", "目标未达成", INT, 10),
    Column("se_rate", "自评执行率", PCT, 10),  # 全年执行数 ÷ 全年预算数
    Column("se_total", "自评总分", NUMBER, 10),  # computed by pyxl (pyxl.core.scoring)
    Column("se_grade", "自评等级", TEXT, 8),
    Column("error", "错误", INT, 6),
    Column("warning", "警告", INT, 6),
    Column("info", "提示", INT, 6),
    Column("sheet", "来源工作表", TEXT, 10),
    Column("cell", "来源单元格", TEXT, 8),
))

INDICATORS = Table("指标明细", "Indicators", "指标明细", (
    _DEPT,
    _FILE,
    Column("project_code", "项目编码", TEXT, 14),
    Column("project_name", "项目名称", TEXT, 20),
    Column("scope", "范围", TEXT, 8),  # 项目 / 部门整体 (a 分项绩效目标)
    Column("level1", "一级指标", TEXT, 10),
    Column("level2", "二级指标", TEXT, 14),
    Column("name", "三级指标", TEXT, 24),
    Column("value", "指标值（原文）", RAW, 14),
    Column("kind", "类型", TEXT, 8),  # 定量 / 定性 / 非值 / 空 / 无法识别
    Column("op", "符号", TEXT, 6),
    Column("op_source", "符号来源", TEXT, 8),  # 写明 / 推定
    Column("number", "数值", NUMBER, 10),
    Column("upper", "上限", NUMBER, 8),
    Column("unit", "单位", TEXT, 6),
    Column("grade", "定性等级", TEXT, 10),
    Column("basis", "指标值确定依据", TEXT, 12),
    Column("actual", "实际完成值", RAW, 10),
    Column("verdict", "完成情况", TEXT, 10),  # 达成 / 接近 / 部分达成 (定性) / 未达成 / 无法比较
    Column("sheet", "来源工作表", TEXT, 10),
    Column("cell", "来源单元格", TEXT, 8),
))

FINDINGS = Table("问题清单", "Findings", "问题清单", (
    _DEPT,
    _FILE,
    Column("severity", "级别", TEXT, 6, _severity_zh),
    Column("rule", "规则", TEXT, 24),
    Column("sheet", "工作表", TEXT, 10),
    Column("cell", "单元格", TEXT, 8),
    Column("project", "项目", TEXT, 14),
    Column("message", "问题", TEXT, 50),
    Column("hint", "修改建议", TEXT, 40),
))

FILES = Table("处理记录", "Files", "处理记录：每个文件的读取情况", (
    Column("index", "序号", INT, 6),
    _FILE,
    Column("status", "状态", TEXT, 8, _status_zh),
    Column("rule", "规则", TEXT, 18),
    Column("reason", "原因", TEXT, 40),
    Column("layout", "版式", TEXT, 8),
    Column("department", "部门", TEXT, 20),
    Column("projects", "项目行数", INT, 8),
    Column("indicators", "指标行数", INT, 8),
    Column("targets", "部门目标行数", INT, 10),
    Column("findings", "问题数", INT, 8),
    Column("size", "大小（字节）", INT, 12),
    Column("sha256", "内容哈希（SHA-256）", TEXT, 66),
))
