"""The rule catalog: one small class per rule id, with its severity and message templates.

Ids and severities are a contract (DESIGN.md); checks live in the sibling modules
(structure, targets, text, spending, …) and create findings through these classes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.findings import Finding, Severity
from ..core.model import Location

__all__ = ["CATALOG", "Rule", "rule"]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


class Rule:
    id: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]  # what the rule means, for docs/rules.md
    template: ClassVar[str]  # the finding's Chinese message, str.format(**params)
    hint: ClassVar[str]  # how to fix it
    example: ClassVar[str] = ""
    threshold: ClassVar[str] = ""  # the config keys it reads
    issue: ClassVar[str] = ""  # set on rules whose checks another part of pyxl brings

    @classmethod
    def finding(
        cls,
        *,
        loc: Location | None = None,
        project: str | None = None,
        path: str | None = None,
        severity: Severity | None = None,
        **params: Any,
    ) -> Finding:
        return Finding(
            rule=cls.id,
            severity=severity or cls.severity,
            message=cls.template.format(**params),
            hint=cls.hint.format(**params),
            sheet=loc.sheet if loc else None,
            cell=loc.cell if loc else None,
            project=project,
            path=path,
        )


CATALOG: dict[str, type[Rule]] = {}


def rule(
    id: str,
    severity: Severity,
    title: str,
    template: str,
    hint: str,
    example: str = "",
    threshold: str = "",
    issue: str = "",
) -> type[Rule]:
    cls = type(
        "Rule_" + id.replace("-", "_"),
        (Rule,),
        {
            "id": id,
            "severity": severity,
            "title": title,
            "template": template,
            "hint": hint,
            "example": example,
            "threshold": threshold,
            "issue": issue,
        },
    )
    CATALOG[id] = cls
    return cls


FieldMissing = rule(
    "field-missing", E, "必填项为空（项目编码、名称、预算数、绩效目标；指标的一级、二级、三级、指标值）",
    "{what}未填写", "请填写{what}。", "项目“差旅费”没有预算数",
    "policy.required_project_fields, policy.required_indicator_fields")
CodeInvalid = rule(
    "code-invalid", E, "项目编码格式不对（含空格、小数点、全角字符或长度不符）",
    "项目编码“{code}”格式不正确", "项目编码应为 3–40 位字母或数字，不含空格和小数点；"
    "若从 Excel 读出为“144001001.0”，请把单元格设为文本后重新输入。", "144001001.0", "code.pattern")
CodeDuplicate = rule(
    "code-duplicate", E, "同一项目编码出现多次", "项目编码“{code}”重复（另见{other}）",
    "每个项目应有唯一编码，请核对后修改。", "两个项目都编为 144001001")
CategoryUnknown = rule(
    "category-unknown", E, "一级或二级指标不在指标体系内", "{level}“{value}”不在指标体系内",
    "请从下拉列表中选择：{choices}。", "一级指标写成“产出”")
CategoryMisplaced = rule(
    "category-misplaced", E, "二级指标放在了错误的一级指标下", "二级指标“{level2}”不属于“{level1}”，应属于“{owner}”",
    "请把一级指标改为“{owner}”，或改选“{level1}”下的二级指标。", "产出指标 / 社会效益指标")
CategoryOutdated = rule(
    "category-outdated", I, "使用了旧版指标名称（效果指标、可持续性影响、产出指标下的成本指标等）；可接受，建议改用新名称",
    "“{old}”是旧版名称，现行指标体系为“{new}”", "可继续使用；建议改为“{new}”（财预〔2021〕101号）。", "效果指标 → 效益指标")
CategoryRequiredMissing = rule(
    "category-required-missing", E, "项目缺少必需的一级指标（错误）或二级指标（警告）",
    "项目缺少{level}“{category}”", "请补充至少一条“{category}”。", "项目没有满意度指标",
    "policy.required_level1, policy.required_level2")
TargetUnparsed = rule(
    "target-unparsed", W, "指标值无法识别", "指标值“{value}”无法识别", "请写成“≥80%”“≤3.5万元”“14人”或定性等级（优/良/中/差、达到/未达到）。",
    "约八成左右")
TargetUnquantified = rule(
    "target-unquantified", W, "指标值不可衡量（如“以实际发生次数为准”）；定性等级不在此列",
    "指标值“{value}”不可衡量", "请给出可衡量的目标值（如“≥120次”），无法量化时用定性等级（达到/基本达到/未达到）。",
    "以实际发生次数为准")
TargetOperatorMissing = rule(
    "target-operator-missing", I, "指标值只有数字，没有 ≥/≤/= 或“以上/以内”等字样；按默认方向理解并说明",
    "指标值“{value}”缺少比较符号，{assumption}", "请写明比较方向，如“{suggestion}”。", "29%",
    "targets.lower_is_better_words")
TargetPercentRange = rule(
    "target-percent-range", W, "百分比小于 0、大于 100，或写成“≥100%”（只有 =100% 可达成）",
    "指标值“{value}”{problem}", "{fix}", "≥100%")
TargetDirectionSuspect = rule(
    "target-direction-suspect", W, "方向可疑：成本指标用 ≥/以上，或比率、满意度用 ≤",
    "指标值“{value}”的方向可疑：{reason}", "请核对比较符号；{fix}", "成本指标 ≥5万元",
    "targets.cost_words, targets.rate_words, targets.lower_is_better_words")
SatisfactionBelowFloor = rule(
    "satisfaction-below-floor", W, "满意度目标低于下限（默认 90%）", "满意度目标“{value}”低于 {floor:g}%",
    "满意度指标一般不低于 {floor:g}%，请核对。", "≥80%", "policy.satisfaction_floor_percent")
BasisNonstandard = rule(
    "basis-nonstandard", I, "指标值确定依据不是 计划标准/行业标准/历史标准/其他", "确定依据“{value}”不是标准选项",
    "请从 {choices} 中选择；具体来源可写在指标描述中。", "根据管委会研究决定", "basis.standard")
AmountUnparsed = rule(
    "amount-unparsed", E, "预算数或资金来源不是带已知单位的金额", "{what}“{value}”不是可识别的金额",
    "请填写数字（单位万元），或写明单位：元、万元、亿元。", "七十四万")
FundingSumMismatch = rule(
    "funding-sum-mismatch", E, "资金来源合计不等于预算数", "资金来源合计 {total} 万元，不等于预算数 {budget} 万元",
    "请核对财政资金、其他资金与预算数。", "预算 74.5 万元，财政资金 70 万元", "amounts.tolerance")
AmountUnitSuspect = rule(
    "amount-unit-suspect", E, "两个应相等的金额相差 10⁴ 或 10⁸ 倍（元/万元/亿元混用）",
    "{what}“{value}”与{other}“{other_value}”相差 {factor} 倍，疑似单位写错（{unit_hint}）",
    "请统一单位：{fix}。", "预算数 74.5 万元，财政资金 74.5 元", "amounts.tolerance")
CostOverBudget = rule(
    "cost-over-budget", E, "成本指标金额超过项目预算", "成本指标“{value}”（{amount} 万元）超过项目预算 {budget} 万元",
    "成本目标不应超过预算数，请核对金额与单位。", "预算 3.5 万元，成本 ≤35万元",
    "amounts.tolerance, targets.cost_words")
GoalDuplicate = rule(
    "goal-duplicate", W, "项目的年度绩效目标与另一项目（几乎）相同", "年度绩效目标与项目“{other}”相同（相似度 {score:.0f}%）",
    "每个项目应写出自己的年度绩效目标。", "差旅费沿用了工资项目的目标",
    "text.goal_duplicate_similarity, text.goal_min_length")
IndicatorTextMismatch = rule(
    "indicator-text-mismatch", W, "三级指标与其描述只差一两个字（疑似笔误）",
    "三级指标“{name}”与描述“{description}”不一致（{diff}）", "请核对用字，二者应一致。", "查封 / 拆封",
    "text.typo_min_similarity, text.typo_max_edits")
IndicatorTextRedundant = rule(
    "indicator-text-redundant", I, "绩效指标描述只是重复三级指标名称", "描述只重复了指标名称“{name}”",
    "描述应说明指标的含义、口径或计算方法。", "依法履职尽责 / 依法履职尽责")
IndicatorCopied = rule(
    "indicator-copied", I, "一组指标与另一项目的完全相同（整块复制）", "{count} 条指标与项目“{other}”逐字相同",
    "请按本项目实际设置指标。", "两个项目的效益、满意度指标完全一样", "text.copied_min_block")
PlanMissing = rule(
    "plan-missing", E, "没有资金支出计划", "项目没有资金支出计划", "请填写各节点（如3月底、6月底、10月底、12月底）的累计支出百分比。")
PlanPercentRange = rule(
    "plan-percent-range", E, "支出计划百分比不在 0–100% 之间或无法识别", "{checkpoint}的支出计划“{value}”{problem}",
    "请填写 0%–100% 之间的累计百分比。", "120%")
PlanDecreasing = rule(
    "plan-decreasing", E, "累计支出计划后一节点小于前一节点", "{checkpoint}的累计计划 {value} 小于{previous}的 {previous_value}",
    "支出计划是累计数，应逐节点不减。", "6月底 50%，10月底 40%")
PlanIncomplete = rule(
    "plan-incomplete", E, "最后一个节点的累计计划不是 100%", "最后一个节点{checkpoint}的累计计划为 {value}，不是 100%",
    "年底累计支出计划应为 100%。", "12月底 90%")
PlanBehindTime = rule(
    "plan-behind-time", I, "计划累计进度低于序时进度超过 N 个百分点",
    "{checkpoint}计划累计 {planned:g}%，低于序时进度 {progress:.1f}%（差 {gap:.1f} 个百分点）",
    "请核对支出计划是否过于滞后。", "10月底计划 60%", "plan.behind_time_points, plan.time_progress")

# Checks for the rules below come with the monitoring, import and rollup parts of pyxl.
_MON = "双监控"
ActualMissesTarget = rule(
    "actual-misses-target", E, "实际完成值未达到指标值（按比较方向判断，单位换算后比较；定性指标为“未达成”）",
    "实际完成值“{actual}”未达到指标值“{value}”{assumption}",
    "请核实完成情况，并填写偏差原因和纠偏措施。", "目标 ≥95%，实际 80%", "monitoring.near_tolerance", _MON)
ActualNearTarget = rule(
    "actual-near-target", W, "实际完成值未达到指标值，但差距在容差之内（定性指标为“部分达成”）",
    "实际完成值“{actual}”接近但未达到指标值“{value}”{assumption}",
    "请关注进度，必要时采取纠偏措施。", "目标 ≥95%，实际 93%", "monitoring.near_tolerance", _MON)
ActualFarExceedsTarget = rule(
    "actual-far-exceeds-target", W, "实际完成值达到 ≥/> 目标的 130% 以上（目标是否定得过低？）",
    "实际完成值“{actual}”为目标“{value}”的 {ratio:.0f}%", "请说明原因；目标可能定得过低。", "目标 100件，实际 150件",
    "monitoring.far_exceeds_ratio", _MON)
ActualUnparsed = rule(
    "actual-unparsed", W, "实际完成值无法识别，或无法与指标值比较（单位不同、定量指标填了定性词等）",
    "实际完成值“{actual}”无法与指标值“{value}”比较：{reason}",
    "请填写数字及单位（如“96%”“14人”），定性指标填写 达成、部分达成 或 未达成。", "快完成了", "", _MON)
DeviationReasonMissing = rule(
    "deviation-reason-missing", W,
    "未达成或大幅超额的指标没有填写偏差原因（已填报得分且低于分值的，由 score-reason-missing 一条提示）", "指标“{name}”{state}，但未填写偏差原因",
    "请从下拉列表选择偏差原因（经费保障、制度保障、人员保障、硬件保障、其他），并填写纠偏措施。",
    "目标 ≥95%，实际 80%，偏差原因空白", "", _MON)
SpendBehindPlan = rule(
    "spend-behind-plan", W, "已过节点的累计实际支出（执行率）低于该节点的支出计划",
    "{checkpoint}累计支出 {actual_wan} 万元，执行率 {actual:.1f}%，低于计划 {planned:g}%",
    "请加快支出进度或说明原因。", "6月底计划 50%，实际 30%", "monitoring.behind_plan_points", _MON)
SpendBehindTime = rule(
    "spend-behind-time", W, "截至评估日的预算执行率低于序时进度（默认低 10 个百分点以上）或低于固定进度线",
    "截至 {as_of} 预算执行率 {actual:.1f}%，低于{line} {required:.1f}%",
    "请加快支出进度或说明原因。", "10月底序时进度 83.3%，执行率 60%",
    "monitoring.profile, monitoring.default.behind_time_points, monitoring.fixed_lines.months, "
    "monitoring.fixed_lines.percents, plan.time_progress", _MON)
SpendOverBudget = rule(
    "spend-over-budget", E, "累计实际支出超过预算", "{checkpoint}累计实际支出 {actual} 万元超过预算 {budget} 万元",
    "请核对支出金额与单位（元/万元）以及预算数。", "预算 3.5 万元，累计支出 4 万元", "amounts.tolerance", _MON)
ImportNumberingDuplicate = rule(
    "import-numbering-duplicate", I, "导入文本时发现重复的序号", "序号“{numbering}”重复出现", "请核对原文编号。",
    "两个（六）", "", "导入")
ImportAmbiguous = rule(
    "import-ambiguous", W, "导入文本时某个值的归属存在疑问", "“{value}”的归属不确定：{reason}", "请核对导入结果。", "", "", "导入")
FileUnreadable = rule(
    "file-unreadable", E, "汇总时文件无法读取（损坏、加密、旧版 .xls 等）", "文件无法读取：{reason}",
    "请另存为 .xlsx 后重新提交。", "", "", "汇总")
LayoutUnrecognized = rule(
    "layout-unrecognized", E, "汇总时文件的版式无法识别", "无法识别文件版式：{reason}", "请使用 pyxl 模板或标准的项目支出绩效目标表。",
    "", "", "汇总")

# Rules from the field (real reviewers' and the budget system's checks): checks in the modules
# vague, placeholders, names, measures, polarity and dates.
TargetVague = rule(
    "target-vague", W, "指标值只是一句不可衡量的套话（有效提升、长期、持续影响…）；定性等级（优/良/中/差、达成/部分达成/未达成、是/否）不在此列",
    "指标值“{value}”不可衡量（“{word}”）", "请写出可衡量的目标（如“≥95%”“≥120次”）；确实无法量化时，用定性等级"
    "（优/良/中/差，达成/部分达成/未达成）并在指标描述中写明评判标准。", "持续影响",
    "vague.words, vague.grades")
PlaceholderLeft = rule(
    "placeholder-left", E, "模板占位符或填写说明留在了表中（“≥**个”、XX、××、待填写、“注:各地请根据实际情况…”）",
    "{what}中留有模板占位符或填写说明“{found}”", "请按实际情况填写{what}，删去占位符和模板说明。",
    "贫困地区旅游景点开发数量( ≥**个 )", "placeholders.patterns")
IndicatorNameDuplicate = rule(
    "indicator-name-duplicate", E, "同一项目中三级指标名称重复（预算系统无法保存）",
    "三级指标“{name}”在本项目中重复（另见{other}）", "同一项目的三级指标名称不能重复；请合并两条指标，或改名以区分各自的口径。",
    "两条“满足海洛因成瘾患者维持治疗需求”")
UnitMissing = rule(
    "unit-missing", W, "定量指标值没有计量单位（百分比、无量纲的比率除外），指标值和计量单位列都没有写",
    "指标值“{value}”没有计量单位", "请写明计量单位（如“个”“人次”“平方米”“万元”），写在指标值中或计量单位列。",
    "重点建设工程安排数量 2", "units.ratio_words, units.unit_words")
PolarityConflict = rule(
    "polarity-conflict", W, "指标性质/方向与比较符号矛盾：正向（越大越好）配“≤/<”，或反向（越小越好）配“≥/>”",
    "指标方向“{polarity}”与指标值“{value}”的符号“{symbol}”矛盾", "{fix}", "反向 / ≥95%",
    "polarity.higher_words, polarity.lower_words")
DateOrder = rule(
    "date-order", E, "计划开始日期晚于计划完成日期，或年度项目的日期超出预算年度",
    "{problem}", "{fix}", "开始 2026-12-01，完成 2026-06-30", "dates.multi_year_words")

# 自评 (year end, 财预〔2020〕10号): checks in rules/selfeval.py, arithmetic in pyxl/core/scoring.py
_SE = "自评"
WeightSum = rule(
    "weight-sum", E, "自评：项目各指标分值与预算执行率分值之和不等于 100",
    "指标分值合计 {indicators:g} 加执行率分值 {rate:g}，共 {total:g}，应为 {expected:g}",
    "请调整各指标分值（默认：执行率 10、产出 50、效益 30、满意度 10）。", "指标分值合计 85 + 执行率 10 = 95",
    "selfeval.total_points, selfeval.rate_weight", _SE)
ScoreOverWeight = rule(
    "score-over-weight", E, "自评：得分超过该项的分值", "“{name}”得分 {score:g} 超过分值 {weight:g}",
    "得分最高为分值，请改正。", "分值 10，得分 12", "", _SE)
ScoreMismatch = rule(
    "score-mismatch", W, "自评：填报的得分与按规则计算的得分不符（定量），或不在定性档次的分数区间内",
    "“{name}”填报得分 {score:g}，{expected}",
    "定量指标：达成得满分，未达成按完成比例得分（正向 实际÷目标，反向 目标÷实际）；定性指标：达成 80–100%、"
    "部分达成 60–80%、未达成 0–60% 的分值。", "目标 ≥100件，实际 80件，分值 10，填报得分 10（应为 8）",
    "selfeval.score_tolerance, selfeval.bands", _SE)
ScoreReasonMissing = rule(
    "score-reason-missing", W, "自评：得分低于分值，但未填写偏差原因（含未达成目标的指标，不再另报 deviation-reason-missing）", "“{name}”得分 {score:g} 低于分值 {weight:g}，未填写偏差原因",
    "请填写偏差原因分析及改进措施。", "分值 10，得分 8，偏差原因空白", "", _SE)
TotalMismatch = rule(
    "total-mismatch", E, "自评：总分不等于各项得分之和（含预算执行率得分）", "总分 {total:g}，各项得分之和为 {expected:g}",
    "请重新合计总分。", "执行率得分 10 + 指标得分 78 = 88，填报总分 90", "selfeval.score_tolerance", _SE)
GradeMismatch = rule(
    "grade-mismatch", E, "自评：等级与总分不符（优 ≥90，良 80–90，中 60–80，差 <60）", "总分 {total:g} 应为“{expected}”，填报为“{grade}”",
    "请按总分确定等级。", "总分 85，等级“优”", "selfeval.grades", _SE)
ExecutionRateMismatch = rule(
    "execution-rate-mismatch", E, "自评：预算执行率不等于全年执行数 ÷ 全年预算数",
    "执行率填报 {rate:g}%，全年执行数 {executed} ÷ 全年预算数 {budget} = {expected:.2f}%",
    "请按 全年执行数 ÷ 全年预算数 计算执行率。", "预算 100 万元，执行 90 万元，执行率填 100%",
    "selfeval.rate_tolerance_points", _SE)
