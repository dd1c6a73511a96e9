"""Model → official form workbook → model is the identity, also after a department reshaped the sheet."""

from __future__ import annotations

import tempfile
from pathlib import Path

from formkit import read_form, reshape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyxl.core.framework import FRAMEWORK
from pyxl.core.model import Department, Indicator, Project, SelfEval, Target
from pyxl.layouts.form_spec import FUNDING_SOURCES
from pyxl.layouts.form_writer import build_form_workbook, save_workbook

# Text drawn from characters that spell no label of the form, so that a value can never be
# mistaken for one (a department writing "项目编码" into a 三级指标 is another test's business).
ALPHABET = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南西北山川河海abcXYZ0123456789（）、，%≥"
text = st.text(ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
maybe = lambda s: st.none() | s  # noqa: E731
value = st.one_of(
    st.sampled_from(["≥95%", "14 人", "以实际发生次数为准", "=100%", "≤3.5万元", "达到", "90%-95%", "=0012"]),
    st.integers(0, 10_000),
    text,
)
amount = st.builds(
    lambda n, u: f"{n}{u}",
    st.decimals(0, 100000, places=2).map(str),
    st.sampled_from(["万元", " 万元", "元", " 元"]),
)
points = st.integers(0, 30) | st.sampled_from([2.5, 12.5, 1.5, 7.25])
# a 自评 figure as a department types it: a number, a percentage, an amount or a word
figure = st.one_of(
    st.integers(0, 100_000), st.floats(0, 1_000, allow_nan=False).map(lambda f: round(f, 2)),
    st.sampled_from(["100%", "95.5%", "未执行"]), amount, text,
)
percent = st.integers(0, 150).map(lambda n: f"{n}%") | st.sampled_from(["12.5%", "未定"])
checkpoints = st.lists(st.integers(1, 12), min_size=0, max_size=12, unique=True).map(
    lambda ms: [f"{m}月底" for m in sorted(ms)]
)
LEVELS = [(l1, l2) for l1, l2s in FRAMEWORK.items() for l2 in l2s] + [
    ("产出指标", "成本指标"),
    ("效果指标", "可持续性影响"),
    ("成本指标", None),
    ("满意度指标", None),
]


@st.composite
def indicators(draw: st.DrawFn, monitoring: bool) -> Indicator:
    level1, level2 = draw(st.sampled_from(LEVELS))
    ind = Indicator(
        level1=level1,
        level2=level2,
        name=draw(text),
        description=draw(maybe(text)),
        value=draw(maybe(value)),
        basis=draw(maybe(text)),
    )
    if monitoring:
        ind.actual = draw(maybe(value))
        ind.deviation_reason = draw(maybe(text))
    if draw(st.booleans()):
        # 自评 (issue 14): 分值 and 得分 without the unit/polarity columns
        ind.weight = draw(maybe(points))
        ind.score = draw(maybe(points))
    if draw(st.booleans()):
        # the new fields (issue 13): a unit column beside a value that carries it, as one cell holds it
        ind.unit = draw(maybe(st.sampled_from(["%", "人", "件", "万元"])))
        if ind.unit is not None:
            ind.value = draw(st.sampled_from(["≥", "≤", "=", ""])) + str(draw(st.integers(0, 999))) + ind.unit
        ind.polarity = draw(maybe(st.sampled_from(["正向", "反向"])))
        ind.weight = draw(maybe(st.integers(0, 30) | st.sampled_from([2.5, 12.5])))
        ind.score = draw(maybe(st.integers(0, 30) | st.sampled_from([1.5, 7.25])))
    return ind


@st.composite
def projects(draw: st.DrawFn, monitoring: bool) -> Project:
    cps = draw(checkpoints)
    purpose = draw(maybe(text))
    return Project(
        code=draw(maybe(st.from_regex(r"[0-9]{3,12}", fullmatch=True))),
        name=draw(maybe(text)),
        purpose=purpose,
        budget=draw(maybe(amount)),
        funding=draw(st.dictionaries(st.sampled_from(FUNDING_SOURCES), maybe(amount), max_size=3)),
        spend_plan={c: draw(percent) for c in cps},
        spend_actual=draw(
            st.dictionaries(st.sampled_from(["3月底", "6月底", "9月底"]), st.integers(0, 999), max_size=3)
        ),
        goal=draw(maybe(text)),
        indicators=draw(st.lists(indicators(monitoring), max_size=8)),
        **(draw(project_info()) if draw(st.booleans()) else {}),
        selfeval=draw(maybe(selfevals())),
    )


@st.composite
def selfevals(draw: st.DrawFn) -> SelfEval:
    """A 自评 part (issue 14): any of the fund figures, 实际完成情况, 总分 and 等级, as reported. No
    dash: a "-" or "—" in the fund block means nothing was entered (real 自评表 print it so)."""
    return SelfEval(
        initial_budget=draw(maybe(figure)),
        annual_budget=draw(maybe(figure)),
        executed=draw(maybe(figure)),
        rate=draw(maybe(figure | st.floats(0, 1.5, allow_nan=False).map(lambda f: round(f, 4)))),
        rate_weight=draw(maybe(points)),
        rate_score=draw(maybe(points)),
        goal_actual=draw(maybe(text)),
        total=draw(maybe(st.integers(0, 100) | st.sampled_from([93.3, 59.99]))),
        grade=draw(maybe(st.sampled_from(["优", "良", "中", "差"]) | text)),
    )


@st.composite
def project_info(draw: st.DrawFn) -> dict:
    """The project fields real forms carry (issue 13)."""
    dates = st.dates(min_value=__import__("datetime").date(2000, 1, 1)).map(lambda d: d.isoformat())
    return {
        "supervisor": draw(maybe(text)),
        "implementer": draw(maybe(text)),
        "contact": draw(maybe(text)),
        "nature": draw(maybe(st.sampled_from(["经常性项目", "一次性项目"]) | text)),
        "category": draw(maybe(st.sampled_from(["特定目标类", "其他运转类"]) | text)),
        "start": draw(maybe(dates)),
        "end": draw(maybe(dates)),
        "total_budget": draw(maybe(amount | st.integers(1, 10_000))),
        "long_term_goal": draw(maybe(text)),
    }


@st.composite
def departments(draw: st.DrawFn) -> Department:
    monitoring = draw(st.booleans())
    return Department(
        name=draw(maybe(text)),
        code=draw(maybe(st.from_regex(r"[0-9]{6}", fullmatch=True))),
        year=draw(maybe(st.integers(2000, 2100))),
        overall_goal=draw(maybe(text)),
        targets=draw(
            st.lists(
                st.builds(
                    Target,
                    numbering=st.sampled_from(["（一）", "（二）", "（六）", "1."]),
                    goal=text,
                    indicator=maybe(text),
                    value=maybe(value),
                    actual=maybe(value),
                ),
                max_size=6,
            )
        ),
        projects=draw(st.lists(projects(monitoring), min_size=1, max_size=3)),
    )


def _diff(a: dict, b: dict) -> str:
    import difflib

    import yaml

    sa = yaml.safe_dump(a, allow_unicode=True, sort_keys=True).splitlines()
    sb = yaml.safe_dump(b, allow_unicode=True, sort_keys=True).splitlines()
    return "\n".join(difflib.unified_diff(sa, sb, "written", "read back", lineterm=""))


def _round_trip(dept: Department, *, one_sheet: bool = False, **reshaping) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xlsx"
        save_workbook(build_form_workbook(dept, one_sheet=one_sheet), path)
        if reshaping:
            path = reshape(path, Path(tmp) / "reshaped.xlsx", **reshaping)
        back = read_form(path)
    assert back.read_issues == []
    a, b = _as_read(dept.to_data()), back.to_data()
    assert a == b, _diff(a, b)


def _as_read(data: dict) -> dict:
    """What a form says of ``data``: a 自评 block without a 年度资金总额 row gives its project the
    fund block's 年初预算数 (else 全年预算数) as budget, as a real 自评表 does (selfeval_block)."""
    for p in data["projects"]:
        se = p.get("selfeval", {})
        if "budget" not in p:
            for field in ("initial_budget", "annual_budget"):
                if field in se:
                    p["budget"] = se[field]
                    break
    return data


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(departments(), st.booleans())
def test_round_trip(dept: Department, one_sheet: bool) -> None:
    _round_trip(dept, one_sheet=one_sheet)


@SETTINGS
@given(departments(), st.lists(st.integers(1, 40), max_size=8), st.booleans())
def test_round_trip_after_blank_rows_and_merged_labels(
    dept: Department, rows: list[int], merge: bool
) -> None:
    _round_trip(dept, insert_before=rows, merge_labels_down=merge)


@SETTINGS
@given(departments(), st.integers(0, 6), st.integers(0, 4), st.lists(st.integers(1, 60), max_size=5))
def test_round_trip_whole_block_shifted(dept: Department, dr: int, dc: int, rows: list[int]) -> None:
    # all blocks on one sheet, the sheet's content moved down and right, blank rows between
    _round_trip(dept, one_sheet=True, shift=(dr, dc), insert_before=rows)


def test_seed_round_trip(seed_dept: Department) -> None:
    _round_trip(seed_dept)
    _round_trip(seed_dept, one_sheet=True, shift=(3, 2), insert_before=[2, 5, 9, 12], merge_labels_down=True)


def test_bare_number_amounts_come_back_as_wan_text(tmp_path: Path) -> None:
    """The printed form has no number cell for 预算数: a bare number (万元 by contract) is printed
    "N 万元" and reads back as that text, the same amount."""
    from pyxl.core.units import parse_amount

    dept = Department(projects=[Project(code="1", budget=74.5, funding={"财政资金": 70, "其他资金": 4.5})])
    path = tmp_path / "n.xlsx"
    save_workbook(build_form_workbook(dept), path)
    back = read_form(path).projects[0]
    assert back.budget == "74.5 万元"
    assert back.funding == {"财政资金": "70 万元", "其他资金": "4.5 万元"}
    assert parse_amount(back.budget).wan == 74.5  # type: ignore[union-attr]
