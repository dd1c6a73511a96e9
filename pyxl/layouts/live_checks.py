"""Live 双监控 feedback in the template: formulas and conditional formats, no Python needed.

While a department types actuals in Excel (or WPS, LibreOffice), formulas judge
each actual against its 指标值 and conditional formats colour it: green met,
yellow near the target or far above it, red missed — the same verdicts as
:mod:`pyxl.core.monitoring`, for the forms a formula can read (an operator symbol or
the usual wording, a number, a unit; amounts converted between 元/千元/万元/亿元;
a missing operator assumed the way :func:`pyxl.core.grammar.assumed_op` does; 定性
targets of the 达成 family).  What a formula cannot read (ranges, 在98%, other
unit conversions) stays uncoloured until 校验 runs the full grammar.

The helper columns sit right of the table, grouped and hidden; only the
verdict column (实时判定) shows.  Thresholds are workbook names (pyxl_tol, …)
holding the shipped defaults of ``[monitoring]`` in rules.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..core.monitoring import ACHIEVEMENT_GRADES
from .helper_columns import HelperColumns

__all__ = [
    "LIVE_COLOURS",
    "THRESHOLD_NAMES",
    "VERDICTS",
    "WORD_LISTS",
    "VerdictColumns",
    "add_verdict_formats",
    "define_thresholds",
    "wan_expr",
    "write_word_lists",
]

# verdict text → status code (the same codes validate writes: G met, W warning, E error)
VERDICTS = {"达成": "G", "接近": "W", "大幅超额": "W", "未达成": "E"}
LIVE_COLOURS = {"G": ("C6EFCE", "006100"), "W": ("FFEB9C", "9C5700"), "E": ("FFC7CE", "9C0006")}

# workbook name → rules.toml key
THRESHOLD_NAMES = {
    "pyxl_tol": "monitoring.near_tolerance",
    "pyxl_far": "monitoring.far_exceeds_ratio",
    "pyxl_behind_plan": "monitoring.behind_plan_points",
    "pyxl_behind_time": "monitoring.default.behind_time_points",
    "pyxl_amount_tol": "amounts.tolerance",
}

_POSITIONS = "{" + ",".join(str(i) for i in range(1, 21)) + "}"
_DIGITS = "{" + ",".join(f'"{d}"' for d in range(10)) + "}"

# Word lists the formulas read, written to the hidden lists sheet under these names.
# Prefixes and suffixes are matched longest first, hence the order; "w" is the weak 达到 (a suffix decides).
_PREFIXES = (
    ("不低于", ">="), ("不少于", ">="), ("不超过", "<="), ("不高于", "<="), ("不多于", "<="),
    ("控制在", "<="),
    (">=", ">="), ("=>", ">="), ("<=", "<="), ("=<", "<="), ("至少", ">="), ("至多", "<="), ("高于", ">"),
    ("大于", ">"), ("低于", "<"), ("小于", "<"), ("达到", "w"),
    ("≥", ">="), ("≧", ">="), ("≤", "<="), ("≦", "<="), (">", ">"), ("<", "<"), ("=", "="),
)
_SUFFIXES = (
    ("及以上", ">="), ("或以上", ">="), ("及以下", "<="), ("或以下", "<="),
    ("以上", ">="), ("以下", "<="), ("以内", "<="), ("之内", "<="), ("内", "<="),
)
WORD_LISTS: dict[str, tuple[Any, ...]] = {
    "pyxl_prefix_words": tuple(w for w, _ in _PREFIXES),
    "pyxl_prefix_ops": tuple(o for _, o in _PREFIXES),
    "pyxl_suffix_words": tuple(w for w, _ in _SUFFIXES),
    "pyxl_suffix_ops": tuple(o for _, o in _SUFFIXES),
    # grammar.assumed_op: 成本 and time limits are "≤" when no operator is written
    "pyxl_cost_spend": ("费用", "支出", "开支", "经费"),
    "pyxl_time_units": (
        "天", "日", "个工作日", "工作日", "小时", "分钟", "秒", "周", "个月", "月", "年", "季度",
    ),
    "pyxl_time_name": ("时", "期限", "周期", "天数", "日数"),
    "pyxl_time_quantity": (
        "培训", "学习", "授课", "课时", "学时", "服务时长", "开放", "运行", "在线", "志愿",
    ),
    "pyxl_amount_units": ("元", "千元", "万元", "亿元"),
    "pyxl_amount_factors": (1, 1000, 10000, 100000000),
    # 定性: grades a formula compares, the 达成-family targets, and the answers on the 达成 scale
    "pyxl_grades": (
        "达到", "达成", "完成", "达标", "达成年度指标", "优", "良", "中", "差", "是", "否", "合格",
    ),
    "pyxl_ach_targets": ("达到", "达成", "完成", "达标", "达成年度指标"),
    "pyxl_ach_met": ACHIEVEMENT_GRADES[0],
    "pyxl_ach_partial": ACHIEVEMENT_GRADES[1],
    "pyxl_ach_missed": ACHIEVEMENT_GRADES[2],
}


def write_word_lists(wb: Any, sheet: str) -> None:
    """Put :data:`WORD_LISTS` on the (hidden) lists sheet, one column each, and name them."""
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    from ..core.cells import quote_sheet
    from .cell_write import put

    ws = wb[sheet]
    start = ws.max_column + 2
    for offset, (name, words) in enumerate(WORD_LISTS.items()):
        col = start + offset
        ws.cell(row=1, column=col, value=name)
        for r, word in enumerate(words, start=2):
            put(ws.cell(row=r, column=col), word)  # "=<" and "=" stay text
        letter = get_column_letter(col)
        ref = f"{quote_sheet(sheet)}!${letter}$2:${letter}${1 + len(words)}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


def wan_expr(ref: str) -> str:
    """An amount cell as written (74.5, "74.5 万元", "745000 元", "3千元") in 万元, "" if unreadable.

    The same reading as units.parse_amount for these forms; the unit words are
    tried longest first so "万元" is not read as "元".
    """
    def strip(unit: str) -> str:
        return f'VALUE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({ref},"{unit}","")," ",""),",",""))'

    return (
        f"IF(ISNUMBER({ref}),{ref},IFERROR({strip('万元')},IFERROR({strip('亿元')}*10000,"
        f"IFERROR({strip('千元')}/10,IFERROR({strip('元')}/10000,\"\")))))"
    )


def _leading_number_length(text: str) -> str:
    # position of the first character that is not a digit or "." (text&"x" always has one), minus one
    return f'SUMPRODUCT(MATCH(TRUE,ISERROR(FIND(MID({text}&"x",{_POSITIONS},1),"0123456789.")),0))-1'


def _any_in(words: str, text: str) -> str:
    return f"SUMPRODUCT(--ISNUMBER(FIND({words},{text})))>0"


@dataclass(frozen=True)
class VerdictColumns(HelperColumns):
    """The live verdict column and its hidden helpers, starting at ``first`` (1-based)."""

    first: int
    value: str  # column letters of the table's cells
    actual: str
    name: str
    level1: str | None = None
    level2: str | None = None

    # helper columns, in order; the verdict is the first (visible) one
    KEYS: ClassVar[tuple[str, ...]] = (
        "verdict", "t", "pi", "si", "po", "so", "opw", "c", "k", "num", "unit", "op", "d", "at", "ak", "act",
    )
    HEADERS: ClassVar[dict[str, str]] = {
        "verdict": "实时判定", "t": "规范指标值", "pi": "前缀序号", "si": "后缀序号", "po": "前缀符号",
        "so": "后缀符号", "opw": "写明符号", "c": "数值部分", "k": "数字长", "num": "目标数", "unit": "单位",
        "op": "比较符号", "d": "余量", "at": "规范实际值", "ak": "实际数字长", "act": "实际数（目标单位）",
    }

    def formulas(self, r: int) -> dict[str, str]:
        t, pi, si, po, so, opw, c, k, num, unit, op, d, at, ak, act = (
            f"{self.letter(x)}{r}" for x in self.KEYS[1:]
        )
        v, a, nm = f"{self.value}{r}", f"{self.actual}{r}", f"{self.name}{r}"
        l1 = f"{self.level1}{r}" if self.level1 else '""'
        l2 = f"{self.level2}{r}" if self.level2 else '""'
        prefix_len = f"IF({pi}=0,0,LEN(INDEX(pyxl_prefix_words,{pi})))"
        suffix_len = f"IF({si}=0,0,LEN(INDEX(pyxl_suffix_words,{si})))"
        cost = (
            f'OR(ISNUMBER(FIND("成本",{l1})),ISNUMBER(FIND("成本",{l2})),ISNUMBER(FIND("成本",{nm})),'
            f'AND(ISNUMBER(FIND("控制",{nm})),{_any_in("pyxl_cost_spend", nm)}))'
        )
        time_limit = (
            f"AND(ISNUMBER(MATCH({unit},pyxl_time_units,0)),"
            f'OR({_any_in("pyxl_time_name", nm)},ISNUMBER(FIND("时效",{l2}))),'
            f'NOT({_any_in("pyxl_time_quantity", nm)}))'
        )
        a_unit = f"MID({at},{ak}+1,99)"
        a_num = f"VALUE(LEFT({at},{ak}))"

        def factor(u: str) -> str:
            return f"INDEX(pyxl_amount_factors,MATCH({u},pyxl_amount_units,0))"

        met = f'IF(OR({op}=">",{op}="<"),ROUND({d},9)>0,ROUND({d},9)>=0)'
        far = f'AND(OR({op}=">=",{op}=">"),{num}>0,ROUND({act}-pyxl_far*{num},9)>=0)'

        def has(words: str, x: str) -> str:
            return f"ISNUMBER(MATCH({x},{words},0))"

        qualitative = (
            f'IF({has("pyxl_grades", t)},IF({at}={t},"达成",IF({has("pyxl_ach_targets", t)},'
            f'IF({has("pyxl_ach_met", at)},"达成",IF({has("pyxl_ach_partial", at)},"接近",'
            f'IF({has("pyxl_ach_missed", at)},"未达成",""))),"")),"")'
        )
        return {
            "t": f'=IF({v}="","",SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(ASC({v})," ",""),",",""),'
                 f'"(含)",""),"(含本数)",""))',
            "pi": f"=IFERROR(SUMPRODUCT(MATCH(TRUE,LEFT({t},LEN(pyxl_prefix_words))=pyxl_prefix_words,0)),0)",
            "si": f"=IFERROR(SUMPRODUCT(MATCH(TRUE,RIGHT({t},LEN(pyxl_suffix_words))=pyxl_suffix_words,0)),"
                  "0)",
            "po": f'=IF({pi}=0,"",INDEX(pyxl_prefix_ops,{pi}))',
            "so": f'=IF({si}=0,"",INDEX(pyxl_suffix_ops,{si}))',
            # the written operator, as grammar reads it; "x" when prefix and suffix contradict each other
            "opw": f'=IF({po}="w",IF({so}="",">=",{so}),IF({so}="",{po},IF({po}="",{so},'
                   f'IF(OR(AND(OR({po}=">=",{po}=">"),{so}=">="),AND(OR({po}="<=",{po}="<"),{so}="<=")),'
                   f'{po},"x"))))',
            "c": f"=MID({t},{prefix_len}+1,MAX(0,LEN({t})-{prefix_len}-{suffix_len}))",
            "k": f"={_leading_number_length(c)}",
            "num": f'=IF({k}=0,"",IFERROR(VALUE(LEFT({c},{k})),""))',
            "unit": f'=IF({k}=0,"",MID({c},{k}+1,99))',
            # the operator in force: written, else assumed as grammar.assumed_op does
            "op": f'=IF({opw}<>"",{opw},IF(OR({cost},{time_limit}),"<=",">="))',
            # how far the actual is on the good side of the target (negative: the bad side)
            "d": f'=IF(OR({num}="",{act}=""),"",IF(OR({op}=">=",{op}=">"),{act}-{num},'
                 f'IF(OR({op}="<=",{op}="<"),{num}-{act},-ABS({act}-{num}))))',
            "at": f'=IF({a}="","",SUBSTITUTE(SUBSTITUTE(ASC({a})," ",""),",",""))',
            "ak": f"={_leading_number_length(at)}",
            "act": f'=IF(OR({ak}=0,{num}="",{op}="x",{_any_in(_DIGITS, unit)}),"",'
                   f'IFERROR(IF(OR({a_unit}="",{a_unit}={unit},{unit}=""),{a_num},'
                   f"{a_num}*{factor(a_unit)}/{factor(unit)}),\"\"))",
            "verdict": f'=IF({a}="","",IF({num}<>"",IF({d}="","",IF({met},IF({far},"大幅超额","达成"),'
                       f'IF(ROUND({d}+pyxl_tol*ABS({num}),9)>=0,"接近","未达成"))),{qualitative}))',
        }

    def write(
        self, ws: Any, header_row: int, first_row: int, last_row: int, *, header_style: Any = None
    ) -> None:
        """Headers, formulas for every row, the helpers grouped and hidden."""
        from copy import copy

        from openpyxl.styles import Alignment, Font, PatternFill

        for i, key in enumerate(self.KEYS):
            cell = ws.cell(row=header_row, column=self.first + i, value=self.HEADERS[key])
            if header_style is not None:
                header_style(cell)
        # style one cell per column, then copy its style array: openpyxl's style setters are slow
        protos = []
        for i, key in enumerate(self.KEYS):
            proto = ws.cell(row=first_row, column=self.first + i)
            proto.fill = PatternFill("solid", fgColor="F2F2F2")
            proto.alignment = Alignment(vertical="top")  # as the table's wrapped text cells
            if key != "verdict":
                proto.font = Font(name="等线", size=9, color="808080")
            protos.append(proto._style)
        for r in range(first_row, last_row + 1):
            formulas = self.formulas(r)
            for i, key in enumerate(self.KEYS):
                cell = ws.cell(row=r, column=self.first + i, value=formulas[key])
                cell._style = copy(protos[i])
        ws.column_dimensions[self.letter("verdict")].width = 10
        ws.column_dimensions.group(self.letter("t"), self.letter(self.KEYS[-1]), hidden=True, outline_level=1)


def add_verdict_formats(ws: Any, cols: VerdictColumns, first_row: int, last_row: int) -> None:
    """Colour the actual (and the verdict) by the live verdict. Added before validate's status rules,
    so a verdict computed from what is typed now wins over marks from the last 校验."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    verdict = f"${cols.letter('verdict')}{first_row}"
    for area in (f"{cols.actual}{first_row}:{cols.actual}{last_row}",
                 f"{cols.letter('verdict')}{first_row}:{cols.letter('verdict')}{last_row}"):
        for code in ("E", "W", "G"):
            tests = [f'{verdict}="{w}"' for w, c in VERDICTS.items() if c == code]
            formula = tests[0] if len(tests) == 1 else "OR(" + ",".join(tests) + ")"
            fill, font = LIVE_COLOURS[code]
            ws.conditional_formatting.add(area, FormulaRule(
                formula=[formula], fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=font), stopIfTrue=True))


def define_thresholds(wb: Any, config: Any) -> None:
    """Workbook names holding the thresholds the live formulas use (defaults from rules.toml)."""
    from openpyxl.workbook.defined_name import DefinedName

    for name, key in THRESHOLD_NAMES.items():
        wb.defined_names[name] = DefinedName(name, attr_text=repr(float(config[key])))
