"""The template's 自评 part: live 得分 on the 绩效指标 sheet and the 自评 sheet (one row per project).

On 绩效指标, 分值 and 得分 sit at the end of the table. 得分 is a formula for 定量 indicators
(met → 分值; missed → 分值 × 完成度, ≥/≤ aware, ranges and "=" handled) — the arithmetic of
:mod:`pyxl.core.scoring` — reading the live 双监控 helpers (目标数, 比较符号, 实际数) plus hidden helpers of
its own (range bounds, 完成度, the 定性 band). A 定性 indicator's 得分 is typed by the department; a
colour says when it leaves the band of its light. Both: red above the 分值, yellow off the computed
score.

The 自评 sheet: 年初预算数 / 全年预算数 / 全年执行数 typed; 执行率, 执行率得分, 分值合计 (red unless it
is 100), 指标得分合计, 总分 and 等级 are formulas. Thresholds are workbook names holding ``[selfeval]``
of rules.toml. Fill writes a value the data reports (a 得分, 执行率, 总分 or 等级 as written, mistakes
included) in place of the formula, so validate sees what was reported; where nothing is reported
the formula stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..core.model import Department
from .helper_columns import HelperColumns
from .live_checks import LIVE_COLOURS, VerdictColumns, _leading_number_length, wan_expr
from .template_spec import INDICATOR_SHEET, PROJECT_SHEET, SELFEVAL_COLUMNS, SELFEVAL_HEADER_ROW

__all__ = [
    "BAND_NAMES",
    "ScoreColumns",
    "define_selfeval_names",
    "grade_formula",
    "write_selfeval_sheet",
]

# workbook name → (band, index) in [selfeval.bands]; percent of the weight
BAND_NAMES = {
    "pyxl_se_met_lo": ("达成", 0), "pyxl_se_met_hi": ("达成", 1),
    "pyxl_se_part_lo": ("部分达成", 0), "pyxl_se_part_hi": ("部分达成", 1),
    "pyxl_se_miss_lo": ("未达成", 0), "pyxl_se_miss_hi": ("未达成", 1),
}
_SCALARS = {"pyxl_se_rate_weight": "rate_weight", "pyxl_se_total_points": "total_points",
            "pyxl_se_tol": "score_tolerance"}
_RANGE_SEPARATORS = '{"-","~","至","—"}'
_POSITIONS_FROM_2 = "{" + ",".join(str(i) for i in range(2, 21)) + "}"


def define_selfeval_names(wb: Any, config: Any) -> None:
    """Workbook names for the 自评 thresholds; grade bounds as pyxl_se_grade_1… (best first)."""
    from openpyxl.workbook.defined_name import DefinedName

    section = config.get("selfeval")
    values = {name: float(section[key]) for name, key in _SCALARS.items()}
    values |= {name: float(section["bands"][band][i]) for name, (band, i) in BAND_NAMES.items()}
    for i, (_, low) in enumerate(_grades(section), start=1):
        values[f"pyxl_se_grade_{i}"] = low
    for name, value in values.items():
        wb.defined_names[name] = DefinedName(name, attr_text=repr(value))


def _grades(section: dict[str, Any]) -> list[tuple[str, float]]:
    return sorted(((str(k), float(v)) for k, v in section["grades"].items()), key=lambda g: -g[1])


def grade_formula(total: str, section: dict[str, Any]) -> str:
    """等级 of the 总分 in cell ``total`` by the named bounds (labels from config, best first)."""
    grades = _grades(section)
    expr = f'"{grades[-1][0]}"'
    for i in range(len(grades) - 1, 0, -1):
        expr = f'IF({total}>=pyxl_se_grade_{i},"{grades[i - 1][0]}",{expr})'
    return f'IF(NOT(ISNUMBER({total})),"",{expr})'


@dataclass(frozen=True)
class ScoreColumns(HelperColumns):
    """Hidden 自评 helpers right of the live verdict helpers on the 绩效指标 sheet."""

    first: int
    live: VerdictColumns
    weight: str  # column letters of 分值 and 得分
    score: str

    KEYS: ClassVar[tuple[str, ...]] = (
        "rs", "rl", "rr", "rlk", "rrk", "lo", "hi", "ru", "ra", "comp", "sc", "light", "blo", "bhi",
    )
    HEADERS: ClassVar[dict[str, str]] = {
        "rs": "区间分隔位置", "rl": "区间下限文字", "rr": "区间上限文字", "rlk": "下限数字长", "rrk": "上限数字长",
        "lo": "区间下限", "hi": "区间上限", "ru": "区间单位", "ra": "实际数（区间单位）", "comp": "完成度",
        "sc": "计算得分", "light": "定性档次", "blo": "档次最低分", "bhi": "档次最高分",
    }

    def formulas(self, r: int) -> dict[str, str]:
        rs, rl, rr, rlk, rrk, lo, hi, ru, ra, comp, light = (
            f"{self.letter(k)}{r}" for k in ("rs", "rl", "rr", "rlk", "rrk", "lo", "hi", "ru", "ra", "comp", "light")
        )
        t, pi, si, num, op, act, at, ak, verdict = (
            f"{self.live.letter(k)}{r}" for k in ("t", "pi", "si", "num", "op", "act", "at", "ak", "verdict")
        )
        w = f"{self.weight}{r}"
        left_unit = f"MID({rl},{rlk}+1,99)"
        a_unit = f"MID({at},{ak}+1,99)"
        quantitative = (
            f'IF(OR({num}="",{act}="",{op}="x"),"",IF(OR({op}=">=",{op}=">"),'
            f"IF({act}>={num},1,IF({num}>0,MAX(0,{act}/{num}),0)),"
            f'IF(OR({op}="<=",{op}="<"),IF({act}<={num},1,IF({act}>0,MAX(0,{num}/{act}),0)),'
            f"IF({act}={num},1,IF(AND({act}>0,{num}>0),MIN({act},{num})/MAX({act},{num}),0)))))"
        )
        ranged = (
            f'IF({ra}="","",IF({ra}<{lo},IF({lo}>0,MAX(0,{ra}/{lo}),0),'
            f"IF({ra}>{hi},IF({ra}>0,MAX(0,{hi}/{ra}),0),1)))"
        )

        def band(which: int) -> str:
            names = [n for n, (_, i) in BAND_NAMES.items() if i == which]
            return (f'IF({light}="","",ROUND({w}*IF({light}="达成",{names[0]},'
                    f'IF({light}="部分达成",{names[1]},{names[2]}))/100,2))')

        return {
            # a range "90%-95%", "3~5天": a separator after the first character, no operator words
            "rs": f'=IF(OR({t}="",{pi}<>0,{si}<>0),0,IFERROR(SUMPRODUCT(MATCH(TRUE,ISNUMBER(MATCH('
                  f"MID({t},{_POSITIONS_FROM_2},1),{_RANGE_SEPARATORS},0)),0))+1,0))",
            "rl": f'=IF({rs}=0,"",LEFT({t},{rs}-1))',
            "rr": f'=IF({rs}=0,"",MID({t},{rs}+1,99))',
            "rlk": f"={_leading_number_length(rl)}",
            "rrk": f"={_leading_number_length(rr)}",
            "ru": f'=IF(OR({rs}=0,{rrk}=0),"",MID({rr},{rrk}+1,99))',
            "lo": f'=IF(OR({rs}=0,{rlk}=0,{rrk}=0),"",IF(OR({left_unit}="",{left_unit}={ru}),'
                  f'IFERROR(VALUE(LEFT({rl},{rlk})),""),""))',
            "hi": f'=IF({lo}="","",IFERROR(VALUE(LEFT({rr},{rrk})),""))',
            "ra": f'=IF(OR({lo}="",{hi}="",{ak}=0),"",IF(OR({a_unit}="",{a_unit}={ru},{ru}=""),'
                  f'IFERROR(VALUE(LEFT({at},{ak})),""),""))',
            "comp": f'=IF({lo}<>"",{ranged},{quantitative})',
            "sc": f'=IF(OR(NOT(ISNUMBER({w})),{comp}=""),"",ROUND({w}*{comp},2))',
            "light": f'=IF(OR(NOT(ISNUMBER({w})),{num}<>"",{lo}<>""),"",IF({verdict}="达成","达成",'
                     f'IF({verdict}="接近","部分达成",IF({verdict}="未达成","未达成",""))))',
            "blo": f"={band(0)}",
            "bhi": f"={band(1)}",
        }

    def write(self, ws: Any, header_row: int, first_row: int, last_row: int, *, header_style: Any = None) -> None:
        """Helpers for every row (hidden), the 得分 formula where the cell is empty, and the colours."""
        from copy import copy

        from openpyxl.styles import Alignment, Font, PatternFill

        for i, key in enumerate(self.KEYS):
            cell = ws.cell(row=header_row, column=self.first + i, value=self.HEADERS[key])
            if header_style is not None:
                header_style(cell)
        proto = ws.cell(row=first_row, column=self.first)
        proto.fill = PatternFill("solid", fgColor="F2F2F2")
        proto.alignment = Alignment(vertical="top")
        proto.font = Font(name="等线", size=9, color="808080")
        style = proto._style
        for r in range(first_row, last_row + 1):
            formulas = self.formulas(r)
            for i, key in enumerate(self.KEYS):
                cell = ws.cell(row=r, column=self.first + i, value=formulas[key])
                cell._style = copy(style)
            score = ws[f"{self.score}{r}"]
            if score.value is None:
                score.value = f"=IF(ISNUMBER({self.letter('sc')}{r}),{self.letter('sc')}{r},\"\")"
        ws.column_dimensions.group(self.letter(self.KEYS[0]), self.letter(self.KEYS[-1]), hidden=True,
                                   outline_level=1)
        self._formats(ws, first_row, last_row)

    def _formats(self, ws: Any, first: int, last: int) -> None:
        from openpyxl.formatting.rule import FormulaRule
        from openpyxl.styles import Font, PatternFill

        s, w = f"${self.score}{first}", f"${self.weight}{first}"
        sc, blo, bhi = (f"${self.letter(k)}{first}" for k in ("sc", "blo", "bhi"))
        rules = (
            ("E", f"AND(ISNUMBER({s}),ISNUMBER({w}),{s}>{w}+0.000001)"),
            ("W", f"AND(ISNUMBER({s}),ISNUMBER({sc}),ABS({s}-{sc})>pyxl_se_tol+0.000001)"),
            ("W", f"AND(ISNUMBER({s}),ISNUMBER({blo}),OR({s}<{blo}-pyxl_se_tol,{s}>{bhi}+pyxl_se_tol))"),
        )
        for code, formula in rules:
            fill, font = LIVE_COLOURS[code]
            ws.conditional_formatting.add(f"{self.score}{first}:{self.score}{last}", FormulaRule(
                formula=[formula], fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=font),
                stopIfTrue=True))


def _se_value(key: str, value: Any) -> tuple[Any, str | None]:
    """A reported value as the cell holds it: 执行率 "95%" → 0.95 with a % format."""
    if key == "rate" and value is not None:
        from ..core.schedule import parse_percent

        points = parse_percent(value)
        if points is not None:
            return round(points / 100, 12), "0.00%"
    return value, None


def write_selfeval_sheet(ws: Any, dept: Department, capacity: int, indicators: tuple[str, str, str, int, int],
                         config: Any) -> int:
    """The 自评 sheet; ``indicators`` = (code, weight, score column letters, first row, last row) on
    绩效指标. Returns the last pre-formatted row."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter as L

    from .cell_write import put
    from .sheet_style import AMOUNT_FORMAT
    from .sheet_style import header as _header
    from .sheet_style import print_setup as _print_setup
    from .sheet_style import stamp_rows as _stamp_rows
    from .sheet_style import styles as _styles

    st = _styles()
    ws.cell(row=1, column=1, value="项目支出绩效自评表（年度）").font = st["title"]
    ws.cell(row=2, column=1, value=(
        "每行一个项目，以“项目编码”对应“项目”表；金额单位：万元。执行率、执行率得分、分值合计、得分合计、总分、等级为公式"
        "（灰色）。各指标的分值、实际完成值和得分在“绩效指标”表：定量指标得分自动计算，定性指标在档次区间内打分"
        "（达成 80–100%、部分达成 60–80%、未达成 0–60%）。")).font = st["note"]
    hr = SELFEVAL_HEADER_ROW
    keys = list(SELFEVAL_COLUMNS)
    col = {k: i for i, k in enumerate(keys, start=1)}
    letter = {k: L(i) for k, i in col.items()}
    _header(ws, hr, SELFEVAL_COLUMNS.values())
    first, last = hr + 1, hr + capacity
    formula_fill = PatternFill("solid", fgColor="F2F2F2")
    for k, c in col.items():
        cell = ws.cell(row=first, column=c)
        cell.border, cell.alignment = st["border"], st["wrap"]
        if k in ("code", "goal_actual", "grade"):
            cell.number_format = "@"
        elif k in ("initial_budget", "annual_budget", "executed"):
            cell.number_format = AMOUNT_FORMAT
        elif k == "rate":
            cell.number_format = "0.00%"
        else:
            cell.number_format = "0.##"
        if k in ("project_name", "rate", "rate_score", "indicator_weights", "weight_sum", "indicator_scores",
                 "total", "grade"):
            cell.fill = formula_fill
    _stamp_rows(ws, first, last, len(keys))
    code_l, weight_l, score_l, ind_first, ind_last = indicators
    codes = f"'{INDICATOR_SHEET}'!${code_l}${ind_first}:${code_l}${ind_last}"
    section = config.get("selfeval")
    for i, p in enumerate(dept.projects):
        se = p.selfeval
        r = first + i
        put(ws.cell(row=r, column=col["code"]), p.code)
        if se is None:
            continue
        for k in ("initial_budget", "annual_budget", "executed", "rate_weight", "rate", "rate_score", "total",
                  "grade", "goal_actual"):
            value, fmt = _se_value(k, getattr(se, k))
            cell = ws.cell(row=r, column=col[k])
            put(cell, value)
            if fmt:
                cell.number_format = fmt
    for r in range(first, last + 1):
        a = f"{letter['code']}{r}"
        f = {k: f"{letter[k]}{r}" for k in keys}
        budget, executed = wan_expr(f["annual_budget"]), wan_expr(f["executed"])
        rate_weight = f"IF(ISNUMBER({f['rate_weight']}),{f['rate_weight']},pyxl_se_rate_weight)"
        weights = f"SUMIF({codes},{a},'{INDICATOR_SHEET}'!${weight_l}${ind_first}:${weight_l}${ind_last})"
        scores = f"SUMIF({codes},{a},'{INDICATOR_SHEET}'!${score_l}${ind_first}:${score_l}${ind_last})"
        formulas = {
            "project_name": f'=IF({a}="","",IFERROR(INDEX(\'{PROJECT_SHEET}\'!$B:$B,'
                            f"MATCH({a},'{PROJECT_SHEET}'!$A:$A,0)),\"（项目表中无此编码）\"))",
            "rate": f'=IF(OR({f["annual_budget"]}="",{f["executed"]}=""),"",IFERROR({executed}/{budget},""))',
            "rate_score": f'=IF(OR({f["annual_budget"]}="",{f["executed"]}=""),"",'
                          f"IFERROR(ROUND({rate_weight}*MIN(1,MAX(0,{executed}/{budget})),2),\"\"))",
            # blank rather than 0 while the project's indicators have no 分值 / 得分 (a 申报 workbook)
            "indicator_weights": f'=IF({a}="","",IF({weights}=0,"",{weights}))',
            # blank until a weight is entered, so a 申报 workbook shows no 分值合计 of 10
            "weight_sum": f'=IF(OR({a}="",N({f["indicator_weights"]})=0),"",{rate_weight}+{f["indicator_weights"]})',
            "indicator_scores": f'=IF({a}="","",IF({scores}=0,"",ROUND({scores},2)))',
            # blank until 全年预算数 or 全年执行数 is entered (the project is in 自评)
            "total": f'=IF(OR({a}="",AND({f["annual_budget"]}="",{f["executed"]}="")),"",'
                     f'ROUND(IF(ISNUMBER({f["rate_score"]}),{f["rate_score"]},0)+N({f["indicator_scores"]}),2))',
            "grade": f"={grade_formula(f['total'], section)}",
        }
        for k, formula in formulas.items():
            cell = ws.cell(row=r, column=col[k])
            if cell.value is None:
                cell.value = formula
    _remember_values(ws, dept, section, col, first, indicators)
    # 分值合计 ≠ 100 (weight-sum), live
    fill, font = LIVE_COLOURS["E"]
    ws_ = f"${letter['weight_sum']}{first}"
    ws.conditional_formatting.add(
        f"{letter['weight_sum']}{first}:{letter['weight_sum']}{last}",
        FormulaRule(formula=[f"AND(ISNUMBER({ws_}),ABS({ws_}-pyxl_se_total_points)>0.000001)"],
                    fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=font), stopIfTrue=True))
    widths = {"code": 14, "project_name": 24, "goal_actual": 40, "grade": 6, "initial_budget": 13,
              "annual_budget": 13, "executed": 13}
    for k, c in col.items():
        ws.column_dimensions[L(c)].width = widths.get(k, 10)
    ws.freeze_panes = ws.cell(row=first, column=3)
    _print_setup(ws, f"{hr}:{hr}")
    ws.print_area = f"A1:{L(len(keys))}{hr + max(len(dept.projects), 10)}"
    return last


def _is_formula(cell: Any) -> bool:
    return isinstance(cell.value, str) and cell.value.startswith("=")


def _numeric(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _remember_values(ws: Any, dept: Department, section: dict[str, Any], col: dict[str, int], first: int,
                     indicators: tuple[str, str, str, int, int]) -> None:
    """What the 自评 formulas of the filled rows compute, from pyxl.core.scoring, as the cells' cached values."""
    from openpyxl.utils import get_column_letter as L

    from ..core.scoring import SelfEvalRules, grade_of, project_score
    from .cached_values import remember

    wb = ws.parent
    rules = SelfEvalRules.from_mapping(section)
    ind_ws = wb[INDICATOR_SHEET]
    _, _, score_l, row, _ = indicators
    for i, p in enumerate(dept.projects):
        ps = project_score(p, rules)
        for s in ps.indicators:
            if _is_formula(ind_ws[f"{score_l}{row}"]):
                remember(wb, INDICATOR_SHEET, f"{score_l}{row}", s.computed)
            row += 1
        se = p.selfeval
        if se is None or not p.code:
            continue
        r = first + i
        weights = sum(ind.weight for ind in p.indicators if _numeric(ind.weight))
        scores = sum(ind.score if _numeric(ind.score) else (s.computed or 0) if ind.score is None else 0
                     for ind, s in zip(p.indicators, ps.indicators, strict=True))
        started = se.annual_budget is not None or se.executed is not None
        total = ps.total_reported if ps.total_reported is not None else ps.total
        values = {
            "project_name": p.name,
            "rate": ps.rate,
            "rate_score": ps.rate_score,
            "indicator_weights": weights or "",
            "weight_sum": ps.rate_weight + weights if weights else "",
            "indicator_scores": round(scores, 2) if scores else "",
            "total": ps.total if started else None,
            "grade": grade_of(total, rules) if started else None,
        }
        for key, value in values.items():
            cell = ws.cell(row=r, column=col[key])
            if _is_formula(cell):
                remember(wb, ws.title, f"{L(col[key])}{r}", value)
