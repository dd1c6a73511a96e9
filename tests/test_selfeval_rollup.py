"""自评 in the rollup: 总分, 等级 and 执行率 per project and department, the JSON's departments[].selfeval,
and the grade chart on 部门汇总 — from records, without pandas (the web page's path)."""

from __future__ import annotations

import json
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from pyxl.api import fill
from pyxl.consolidate import rollup
from pyxl.consolidate.report import summary_lines
from pyxl.core.generate import generate_department
from pyxl.core.generate_selfeval import add_year_end
from pyxl.core.loader import load_data
from pyxl.core.scoring import SelfEvalRules, grade_of, project_score

TRIBUNAL = Path(str(resources.files("pyxl").joinpath("data/tribunal_selfeval.yaml")))


@pytest.fixture(scope="module")
def rolled(tmp_path_factory):
    out = tmp_path_factory.mktemp("roll")
    folder = out / "部门"
    folder.mkdir()
    depts = {
        "法庭": load_data(TRIBUNAL),
        "gen": add_year_end(generate_department(5, 14, seed=3, code="144333"), seed=3),
        "plain": generate_department(3, 10, seed=4, code="144444"),  # still at 申报: no 自评
    }
    for name, d in depts.items():
        fill(d, folder / f"{name}.xlsx")
    result = rollup([folder], root=out)
    result.write(out / "汇总.xlsx")
    result.write_json(out / "汇总.json")
    yield depts, result, out
    result.close()


def test_json_selfeval_per_department(rolled) -> None:
    depts, _, out = rolled
    data = json.loads((out / "汇总.json").read_text("utf-8"))
    by_name = {d["name"]: d["selfeval"] for d in data["departments"]}
    rules = SelfEvalRules()
    for d in depts.values():
        totals = [project_score(p, rules).total for p in d.projects if p.selfeval is not None]
        if not totals:
            assert by_name[d.name] is None
            continue
        want = {"projects": len(totals), "mean_score": round(sum(totals) / len(totals), 2),
                "grades": {g: sum(grade_of(t, rules) == g for t in totals) for g in ("优", "良", "中", "差")}}
        assert by_name[d.name] == want
    assert by_name["某人民法庭"] == {"projects": 2, "mean_score": 97.36, "grades": {"优": 2, "良": 0, "中": 0, "差": 0}}


def test_project_and_department_rows(rolled) -> None:
    depts, result, _ = rolled
    table = result.project_table()
    keys = table.keys
    rows = {r[keys.index("code")]: r for r in result.project_rows()}
    rules = SelfEvalRules()
    for p in depts["gen"].projects:
        ps = project_score(p, rules)
        row = rows[p.code]
        assert (row[keys.index("se_total")], row[keys.index("se_grade")]) == (ps.total, ps.grade)
        assert row[keys.index("se_rate")] == pytest.approx(ps.rate)
    assert rows["144001002"][keys.index("se_rate")] == pytest.approx(3.2 / 3.5)
    assert all(rows[p.code][keys.index("se_total")] is None for p in depts["plain"].projects)
    dtable, drows = result.department_table()
    court = next(r for r in drows if r[dtable.keys.index("name")] == "某人民法庭")
    assert court[dtable.keys.index("se_projects")] == 2 and court[dtable.keys.index("se_0")] == 2
    assert court[dtable.keys.index("se_rate")] == pytest.approx((74.5 + 3.2) / (74.5 + 3.5))
    assert any(line.startswith("自评 / self-evaluation: 2 个部门") for line in summary_lines(result, []))


def test_grade_chart_in_the_summary(rolled) -> None:
    _, _, out = rolled
    with zipfile.ZipFile(out / "汇总.xlsx") as z:
        charts = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/charts/chart")]
    [grade] = [c for c in charts if "各部门自评等级分布" in c]
    assert grade.count("<c:ser>") == 4 and "$K$2:$K$3" in grade  # two departments in 自评


def test_grade_columns_follow_the_config(rolled, tmp_path: Path) -> None:
    """部门汇总's 自评 等级 columns are the run's [selfeval.grades], as the JSON and the chart are: three
    grades named otherwise give three columns 自评<word>, counted as the JSON counts them."""
    import copy

    from pyxl.core.config import Config, load_config

    _, _, out = rolled
    raw = copy.deepcopy(load_config().data)  # a config file cannot rename grades: build one in code
    raw["selfeval"]["grades"] = {"甲": 97, "乙": 95, "丙": 0}
    result = rollup([out / "部门"], root=out, config=Config(raw))
    try:
        table, rows = result.department_table()
        headers = [c.header for c in table.columns if c.key.startswith("se_") and c.key[3:].isdigit()]
        assert headers == ["自评甲", "自评乙", "自评丙"]
        result.write_json(tmp_path / "j.json")
        by_name = {d["name"]: d["selfeval"] for d in json.loads((tmp_path / "j.json").read_text("utf-8"))["departments"]}
        for row in rows:
            name = row[table.keys.index("name")]
            se = by_name[name]
            counts = [row[table.keys.index(f"se_{i}")] for i in range(3)]
            if se is None:
                assert counts == [0, 0, 0]
            else:
                assert counts == [se["grades"][g] for g in ("甲", "乙", "丙")]
                assert sum(counts) == se["projects"]
        assert by_name["某人民法庭"]["grades"] == {"甲": 1, "乙": 0, "丙": 1}  # 总分 100.58 and 94.14
    finally:
        result.close()
