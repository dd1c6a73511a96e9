"""The department template's layout: sheet names, headers, and where things go.

Shared by the writer (openpyxl), the reader (plain grids) and the marks, so the
three never disagree about a column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ACTUAL_GROUP",
    "AS_OF_CELL",
    "AS_OF_LABEL",
    "CURRENT_EXEC_HEADER",
    "DEFAULT_CHECKPOINTS",
    "DEFAULT_FUNDING",
    "DEPT_FIELDS",
    "DEPT_SHEET",
    "EVAL_YEAR_CELL",
    "EVAL_YEAR_LABEL",
    "EXEC_GROUP",
    "GAP_PLAN_GROUP",
    "GAP_TIME_HEADER",
    "INDICATOR_COLUMNS",
    "INDICATOR_SHEET",
    "INFO_GROUP",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "LIVE_VERDICT_HEADER",
    "MIRROR_PREFIX",
    "PROJECT_INFO_COLUMNS",
    "PROJECT_SHEET",
    "RESULTS_SHEET",
    "SELFEVAL_COLUMNS",
    "SELFEVAL_HEADER_ROW",
    "SELFEVAL_SHEET",
    "SPEND_STATUS",
    "STATUS_GROUP",
    "STATUS_NAMES",
    "TARGET_COLUMNS",
    "TIME_PROGRESS_CELL",
    "TIME_PROGRESS_LABEL",
    "TIME_STATUS_HEADER",
    "ProjectColumns",
    "mirror_sheet",
]

INSTRUCTIONS_SHEET = "说明"
DEPT_SHEET = "部门整体"
PROJECT_SHEET = "项目"
INDICATOR_SHEET = "绩效指标"
RESULTS_SHEET = "校验结果"
SELFEVAL_SHEET = "自评"  # year-end 自评: one row per project (layouts/selfeval_sheet.py)
LISTS_SHEET = "_pyxl_列表"

# The hidden status mirrors and the defined names that conditional formats read them through.
STATUS_NAMES = {
    DEPT_SHEET: "pyxl_status_dept",
    PROJECT_SHEET: "pyxl_status_projects",
    INDICATOR_SHEET: "pyxl_status_indicators",
    SELFEVAL_SHEET: "pyxl_status_selfeval",
}


MIRROR_PREFIX = "_pyxl_"
_SHEET_NAME_MAX = 31  # Excel's limit, in UTF-16 code units


def mirror_sheet(sheet: str) -> str:
    """The hidden status mirror of ``sheet``: ``_pyxl_`` + its name, or, when that would pass Excel's
    31 characters, a cut of the name and a digest of the whole (still one name per sheet)."""
    name = MIRROR_PREFIX + sheet
    if _utf16_len(name) <= _SHEET_NAME_MAX:
        return name
    from hashlib import sha1

    tag = "~" + sha1(sheet.encode("utf-8")).hexdigest()[:6]
    room = _SHEET_NAME_MAX - len(MIRROR_PREFIX) - len(tag)
    cut = ""
    for ch in sheet:
        if _utf16_len(cut + ch) > room:
            break
        cut += ch
    return MIRROR_PREFIX + cut + tag


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# 部门整体: label in column A, value in column B (label rows are found by text, not position).
DEPT_FIELDS: dict[str, str] = {
    "name": "部门名称",
    "code": "部门编码",
    "year": "预算年度",
    "overall_goal": "总体绩效目标",
}
# 分项绩效目标 table on the same sheet, below its header row.
TARGET_COLUMNS: dict[str, str] = {
    "numbering": "编号",
    "goal": "绩效目标",
    "indicator": "绩效指标",
    "value": "指标值",
    "actual": "实际完成值",
}

# 绩效指标: one row per indicator. "project_name" is a lookup formula, not an input.
INDICATOR_COLUMNS: dict[str, str] = {
    "code": "项目编码",
    "project_name": "项目名称",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
    "basis": "指标值确定依据",
    "actual": "实际完成值",
    "forecast": "全年预计完成值",
    "deviation_reason": "偏差原因",
    "corrective_action": "纠偏措施",
    # where a form keeps them in columns of their own (issue 13)
    "unit": "计量单位",
    "polarity": "指标方向",
    # 自评 (year end): 分值 is also the 申报 权重; 得分 is a live formula for 定量 indicators
    "weight": "分值",
    "score": "得分",
}

# 自评 sheet: one row per project, matched to the 项目 sheet by 项目编码. Keys are SelfEval fields
# except "code"/"project_name" and the computed "indicator_weights", "weight_sum", "indicator_scores".
SELFEVAL_HEADER_ROW = 4
SELFEVAL_COLUMNS: dict[str, str] = {
    "code": "项目编码",
    "project_name": "项目名称",
    "initial_budget": "年初预算数（万元）",
    "annual_budget": "全年预算数（万元）",
    "executed": "全年执行数（万元）",
    "rate_weight": "执行率分值",
    "rate": "执行率",
    "rate_score": "执行率得分",
    "indicator_weights": "指标分值合计",
    "weight_sum": "分值合计",
    "indicator_scores": "指标得分合计",
    "total": "总分",
    "grade": "等级",
    "goal_actual": "年度总体目标实际完成情况",
}

# 项目 sheet: project fields real forms carry, optional, right of the formula columns (so that the
# input and formula columns keep their places). Found by header on reading.
INFO_GROUP = "项目信息（选填）"
PROJECT_INFO_COLUMNS: tuple[tuple[str, str], ...] = (
    ("supervisor", "主管部门"),
    ("implementer", "实施单位"),
    ("contact", "项目负责人及电话"),
    ("nature", "项目性质"),
    ("category", "项目类别"),
    ("start", "计划开始日期"),
    ("end", "计划完成日期"),
    ("total_budget", "项目资金总额（万元）"),
    ("long_term_goal", "中长期目标"),
)

DEFAULT_FUNDING = ("财政资金", "其他资金")
DEFAULT_CHECKPOINTS = ("3月底", "6月底", "10月底", "12月底")

PLAN_GROUP = "资金支出计划（累计%）"
ACTUAL_GROUP = "累计实际支出（万元）"
CUMULATIVE_GROUP = "累计计划支出（万元）"
PERIOD_GROUP = "当期计划支出（万元）"
EXEC_GROUP = "执行率（累计实际÷预算）"
GAP_PLAN_GROUP = "执行率与计划差"
BUDGET_WAN_HEADER = "预算数折合（万元）"
CURRENT_EXEC_HEADER = "当前执行率"
GAP_TIME_HEADER = "与序时进度差"
STATUS_GROUP = "节点状态（公式）"
TIME_STATUS_HEADER = "序时状态（公式）"
# live status words on the 项目 sheet → status code (as validate's E/W)
SPEND_STATUS = {"超预算": "E", "落后计划": "W", "落后序时进度": "W"}

# 项目 sheet, row 1: the as-of date (评估日期) that drives 序时进度, found by its label.
AS_OF_LABEL = "评估日期"
TIME_PROGRESS_LABEL = "序时进度"
EVAL_YEAR_LABEL = "年度"
# (label column, value column), 1-based: label left of its value
AS_OF_CELL = (4, 5)
TIME_PROGRESS_CELL = (6, 7)
EVAL_YEAR_CELL = (8, 9)
# The live verdict column beside the indicator and target tables (formulas; helpers hidden to its right).
LIVE_VERDICT_HEADER = "实时判定"


@dataclass(frozen=True)
class ProjectColumns:
    """Columns of the 项目 sheet; funding sources and checkpoints vary by department."""

    funding: tuple[str, ...] = DEFAULT_FUNDING
    checkpoints: tuple[str, ...] = DEFAULT_CHECKPOINTS
    fixed_before: tuple[tuple[str, str], ...] = field(
        default=(("code", "项目编码"), ("name", "项目名称"), ("purpose", "项目资金主要用途"), ("budget", "预算数（万元）"))
    )

    # 1-based column numbers
    @property
    def funding_start(self) -> int:
        return len(self.fixed_before) + 1

    @property
    def goal_col(self) -> int:
        return self.funding_start + len(self.funding)

    @property
    def plan_start(self) -> int:
        return self.goal_col + 1

    @property
    def actual_start(self) -> int:
        return self.plan_start + len(self.checkpoints)

    @property
    def budget_wan_col(self) -> int:
        return self.actual_start + len(self.checkpoints)

    @property
    def cumulative_start(self) -> int:
        return self.budget_wan_col + 1

    @property
    def period_start(self) -> int:
        return self.cumulative_start + len(self.checkpoints)

    @property
    def exec_start(self) -> int:
        return self.period_start + len(self.checkpoints)

    @property
    def gap_plan_start(self) -> int:
        return self.exec_start + len(self.checkpoints)

    @property
    def current_exec_col(self) -> int:
        return self.gap_plan_start + len(self.checkpoints)

    @property
    def gap_time_col(self) -> int:
        return self.current_exec_col + 1

    @property
    def info_start(self) -> int:
        """The optional project fields (PROJECT_INFO_COLUMNS), right of the formula columns."""
        return self.gap_time_col + 1

    @property
    def last_col(self) -> int:
        """The last visible column; hidden status helpers follow it."""
        return self.info_start + len(PROJECT_INFO_COLUMNS) - 1

    @property
    def status_start(self) -> int:
        """Hidden: per checkpoint, 超预算 / 落后计划 / "" for the live colours of the actual cells."""
        return self.last_col + 1

    @property
    def time_status_col(self) -> int:
        """Hidden: 落后序时进度 / "" for the live colour of 与序时进度差."""
        return self.status_start + len(self.checkpoints)

    def input_headers(self) -> list[tuple[str, str]]:
        """(model key, header) for every column a user types into, in order."""
        cols = list(self.fixed_before)
        cols += [(f"funding.{f}", f) for f in self.funding]
        cols.append(("goal", "年度绩效目标"))
        cols += [(f"spend_plan.{c}", c) for c in self.checkpoints]
        cols += [(f"spend_actual.{c}", c) for c in self.checkpoints]
        return cols
