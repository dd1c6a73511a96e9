"""docs/rules.md is generated from the catalog and the shipped thresholds, and is current."""

import subprocess
import sys
from pathlib import Path

from pyxl.rules import CATALOG
from pyxl.rules.docs import render

ROOT = Path(__file__).resolve().parents[1]


def test_docs_rules_md_is_current():
    # regenerate with `make docs` (python -m pyxl.rules.docs > docs/rules.md)
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == render()


def test_every_rule_is_listed_with_its_severity():
    text = render()
    for rule_id, rule in CATALOG.items():
        [row] = [line for line in text.splitlines() if line.startswith(f"| `{rule_id}` |")]
        assert f"| {rule.severity.value}（" in row
        if rule.issue:
            assert row.rstrip(" |").endswith(rule.issue)


def test_thresholds_show_the_shipped_defaults():
    text = render()
    assert "`plan.behind_time_points` = `10`" in text
    assert '`plan.time_progress` = `"days"`' in text
    assert "`policy.satisfaction_floor_percent` = `90`" in text


def test_module_prints_the_document():
    out = subprocess.run(
        [sys.executable, "-m", "pyxl.rules.docs"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
    )
    assert out.stdout.decode("utf-8") == render()
