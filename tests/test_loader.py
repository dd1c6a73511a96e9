"""The pyxl/v1 data contract: loading, schema, and clear messages for malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from pyxl.core.errors import DataFileError
from pyxl.core.loader import dump_data, load_data, load_data_text, schema


def test_seed_loads_with_every_target_and_indicator(seed_dept):
    # the published document has 14 分项 indicator lines and two projects of 9 indicators each
    assert len(seed_dept.targets) == 14
    assert [p.code for p in seed_dept.projects] == ["144001001", "144001002"]
    assert [len(p.indicators) for p in seed_dept.projects] == [9, 9]
    # values stay as written, mistakes included
    assert seed_dept.projects[0].funding == {"财政资金": "74.5 元"}
    assert seed_dept.projects[0].budget == "74.5 万元"
    assert seed_dept.projects[1].indicators[0].description == "保全、拆封、送达次数"


def test_shipped_schema_is_valid_and_accepts_the_seed(seed_path: Path):
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(yaml.safe_load(seed_path.read_text("utf-8")), schema())


def test_design_example_is_accepted():
    text = """
schema: pyxl/v1
department:
  name: 某某人民法庭
  code: "144001"
  year: 2026
  overall_goal: "…"
  targets:
    - goal: 依法审查立案
      indicator: 一审简易程序适用率
      value: "≥80%"
      actual: null
projects:
  - code: "144001001"
    name: 长期聘用人员工资和社会保障缴费
    purpose: "…"
    budget: "74.5万元"
    funding: {财政资金: "74.5元", 其他资金: 0}
    spend_plan: {"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"}
    spend_actual: {}
    goal: "…"
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 聘用人员数量,
         description: 聘用人员数量, value: "14 人", basis: 根据管委会研究决定,
         actual: null, deviation_reason: null}
"""
    dept = load_data_text(text)
    assert dept.code == "144001" and dept.year == 2026
    assert dept.projects[0].funding == {"财政资金": "74.5元", "其他资金": 0}


def test_json_and_yaml_round_trip(tmp_path: Path, seed_dept):
    for suffix in (".yaml", ".json"):
        out = tmp_path / f"seed{suffix}"
        dump_data(seed_dept, out)
        assert load_data(out).to_data() == seed_dept.to_data()


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("schema: pyxl/v1\ndepartment:\n  name: x\n  nmae: y\n", "第 4 行 department：未知的键 nmae", "line 4 department: unknown key(s) nmae"),
        ("schema: pyxl/v2\ndepartment: {}\n", "第 1 行 schema：应为 'pyxl/v1'", "must be 'pyxl/v1'"),
        ("department: {}\n", "缺少必需的键 schema", "missing required key(s) schema"),
        ("schema: pyxl/v1\ndepartment: {}\nprojects:\n  - code: '1'\n    indicators: {a: 1}\n",
         "第 5 行 projects[0].indicators：类型应为列表或空", "projects[0].indicators: must be of type array/null"),
        ("schema: pyxl/v1\ndepartment:\n  year: 二〇二六\n", "第 3 行 department.year：类型应为整数或空", "department.year"),
        ("schema: pyxl/v1\ndepartment: [\n", "第 3 行 YAML 格式错误", "line 3: invalid YAML"),
        ("- just\n- a list\n", "顶层应为键值表", "top level must be a mapping"),
    ],
)
def test_malformed_files_name_the_key_and_line(text: str, zh: str, en: str):
    with pytest.raises(DataFileError) as err:
        load_data_text(text, name="bad.yaml")
    assert zh in err.value.zh
    assert en in err.value.en


def test_bad_json_names_the_line(tmp_path: Path):
    p = tmp_path / "bad.json"
    p.write_text('{"schema": "pyxl/v1",\n "department": {,}\n}', "utf-8")
    with pytest.raises(DataFileError) as err:
        load_data(p)
    assert "第 2 行 JSON 格式错误" in err.value.zh


def test_missing_and_non_utf8_files(tmp_path: Path):
    with pytest.raises(DataFileError, match="找不到数据文件"):
        load_data(tmp_path / "nope.yaml")
    p = tmp_path / "gbk.yaml"
    p.write_bytes("schema: pyxl/v1\ndepartment: {name: 法庭}\n".encode("gbk"))
    with pytest.raises(DataFileError, match="UTF-8"):
        load_data(p)


def test_yaml_norway_problem_is_caught_not_swallowed():
    # `no:` is a boolean key in YAML 1.1; the loader must say so rather than silently drop it
    with pytest.raises(DataFileError, match="未知的键 False"):
        load_data_text("schema: pyxl/v1\ndepartment:\n  targets:\n    - {no: 1, goal: x}\n")


def test_json_report_of_errors_is_plain_text():
    with pytest.raises(DataFileError) as err:
        load_data_text(json.dumps({"schema": "pyxl/v1", "department": {"name": 5}}), json_syntax=True)
    assert "department.name" in err.value.zh
