"""The rules configuration is checked whole when it is loaded: types, allowed values, ranges."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pyxl.core.config import _defaults, load_config
from pyxl.core.config_check import check_config, schema_keys
from pyxl.core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def leaves(node: dict, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for key, value in node.items():
        out |= leaves(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}"}
    return out


def test_every_shipped_key_has_a_spec_entry() -> None:
    """A section added to rules.toml without its entries in pyxl/schema/rules.schema.json fails here."""
    missing = leaves(_defaults()) - schema_keys()
    assert not missing, f"add these keys to pyxl/schema/rules.schema.json: {sorted(missing)}"
    assert not schema_keys() - leaves(_defaults()), "the spec names keys rules.toml does not have"


def test_the_shipped_defaults_pass() -> None:
    check_config(_defaults())


BAD = [
    ('[plan]\ntime_progress = "weeks"', "plan.time_progress", "days、months"),
    ('[monitoring]\nprofile = "bogus"', "monitoring.profile", "default、fixed_lines"),
    ("[monitoring]\nnear_tolerance = -3.0", "monitoring.near_tolerance", "≥ 0"),
    ("[text]\ngoal_duplicate_similarity = 900", "text.goal_duplicate_similarity", "≤ 100"),
    ("[text]\ncopied_min_block = 2.5", "text.copied_min_block", "整数"),
    ("[monitoring]\nfar_exceeds_ratio = true", "monitoring.far_exceeds_ratio", "数值"),
    ("[code]\npattern = '[0-9'", "code.pattern", "正则"),
    ("[basis]\nstandard = []", "basis.standard", "不能为空"),
    ("[limits]\nmax_rows = 0", "limits.max_rows", "≥ 1"),
    ("[monitoring.fixed_lines]\nmonths = [4, 6]\npercents = [25, 40, 60]", "monitoring.fixed_lines", "一一对应"),
    ("[monitoring.fixed_lines]\nmonths = [13]\npercents = [25]", "monitoring.fixed_lines.months.0", "≤ 12"),
    ('[selfeval.grades]\n"优秀" = "高"', "selfeval.grades.优秀", "数值"),
    ("[selfeval.grades]", "selfeval.grades", "不能为空"),
]


@pytest.mark.parametrize(("text", "key", "zh"), BAD)
def test_a_bad_value_is_refused_at_load(tmp_path: Path, text: str, key: str, zh: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text + "\n", "utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    line = exc.value.one_line()
    assert key in line and zh in line and " / Error: config key" in line, line
    assert "\n" not in line


def test_good_overrides_load(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[plan]\ntime_progress = "months"\n[monitoring]\nprofile = "fixed_lines"\nnear_tolerance = 0\n',
                    "utf-8")
    cfg = load_config(path)
    assert cfg["plan.time_progress"] == "months" and cfg["monitoring.near_tolerance"] == 0


def test_a_bureau_names_its_own_grades(tmp_path: Path) -> None:
    """[selfeval.grades] is the bureau's own words: a file's table replaces the default 优/良/中/差
    (merged, 优秀 and 优 would both be top grades), and every grade then follows it."""
    from pyxl.core.scoring import SelfEvalRules, grade_of

    path = tmp_path / "rules.toml"
    path.write_text('[selfeval.grades]\n"优秀" = 90\n"良好" = 75\n"合格" = 60\n"不合格" = 0\n', "utf-8")
    rules = SelfEvalRules.from_mapping(load_config(path).get("selfeval"))
    assert [g for g, _ in rules.grades] == ["优秀", "良好", "合格", "不合格"]
    assert [grade_of(t, rules) for t in (95, 80, 74.99, 60, 12)] == ["优秀", "良好", "合格", "合格", "不合格"]
    # other tables still merge key by key, and an unknown key elsewhere is still refused
    assert load_config(path)["selfeval.bands"] == _defaults()["selfeval"]["bands"]
    path.write_text('[selfeval]\nrate_wieght = 10\n', "utf-8")
    with pytest.raises(ConfigError):
        load_config(path)


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pyxl", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_cli_refuses_a_bad_config_before_any_work(tmp_path: Path) -> None:
    """validate on a workbook without actuals and rollup both stop with one line, exit 2, nothing written."""
    from pyxl.api import fill

    book = fill(ROOT / "pyxl" / "data" / "tribunal.yaml", tmp_path / "法庭.xlsx")
    bad = tmp_path / "bad.toml"
    bad.write_text('[plan]\ntime_progress = "weeks"\n', "utf-8")
    for args, outputs in (
        (("validate", book, "-o", tmp_path / "v.xlsx", "--json", tmp_path / "v.json", "--config", bad),
         ("v.xlsx", "v.json")),
        (("rollup", book, "-o", tmp_path / "h.xlsx", "--json", tmp_path / "h.json", "--config", bad, "-q"),
         ("h.xlsx", "h.json")),
    ):
        proc = run_cli(*args, cwd=tmp_path)
        assert proc.returncode == 2, (args[0], proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "plan.time_progress" in lines[0] and " / Error: " in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr
        for name in outputs:
            assert not (tmp_path / name).exists(), f"{args[0]} left {name} behind"
