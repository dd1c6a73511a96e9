"""pyxl.core.fuzzy's pure-Python fallback (the browser page has no rapidfuzz) gives exactly rapidfuzz's answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pyxl.api import fill
from pyxl.core import fuzzy
from pyxl.core.generate import generate_department
from pyxl.core.loader import load_data

ROOT = Path(__file__).resolve().parents[1]
# few letters, so that strings share a lot (the interesting alignments); CJK as in real indicators
TEXT = st.text(alphabet="ab查拆率的%人 ", max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT, st.sampled_from([None, 0, 50, 70, 85, 90, 100]))
def test_ratio_is_rapidfuzz(a: str, b: str, cutoff: float | None) -> None:
    assert fuzzy.py_ratio(a, b, score_cutoff=cutoff) == fuzz.ratio(a, b, score_cutoff=cutoff)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT, st.sampled_from([None, 0, 1, 2, 3]))
def test_distance_is_rapidfuzz(a: str, b: str, cutoff: int | None) -> None:
    assert fuzzy.py_distance(a, b, score_cutoff=cutoff) == Levenshtein.distance(a, b, score_cutoff=cutoff)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT)
def test_opcodes_are_rapidfuzz(a: str, b: str) -> None:
    assert fuzzy.py_opcodes(a, b) == [tuple(op) for op in Levenshtein.opcodes(a, b)]


def test_long_texts() -> None:
    a = "保障机构正常运转，提升公共服务质量和效率。" * 40
    b = a.replace("质量", "水平", 7)[5:]
    assert fuzzy.py_ratio(a, b) == fuzz.ratio(a, b)
    assert fuzzy.py_distance(a, b) == Levenshtein.distance(a, b)
    assert fuzzy.py_opcodes(a, b) == [tuple(op) for op in Levenshtein.opcodes(a, b)]


HIDDEN = """
import json, sys
sys.modules["rapidfuzz"] = None  # what Pyodide looks like: import rapidfuzz raises ImportError
from pyxl.core import fuzzy
from pyxl.api import validate
assert fuzzy.IMPLEMENTATION == "python", fuzzy.IMPLEMENTATION
print(json.dumps([validate(p).to_dict() for p in sys.argv[1:]], ensure_ascii=False))
"""


def test_rules_give_the_same_findings_without_rapidfuzz(tmp_path: Path) -> None:
    seed = load_data(ROOT / "pyxl" / "data" / "tribunal.yaml")
    dept = generate_department(8, 6, seed=5)
    # typos between name and description, and goals copied with small changes: the similarity rules fire
    for i, p in enumerate(dept.projects[:4]):
        p.goal = dept.projects[0].goal.replace("编号5-0", f"编号5-{i}")
        ind = p.indicators[0]
        ind.description = str(ind.name).replace("指标", "指顶")
    paths = [fill(seed, tmp_path / "seed.xlsx"), fill(dept, tmp_path / "dept.xlsx")]
    from pyxl.api import validate

    here = [validate(p).to_dict() for p in paths]
    assert fuzzy.IMPLEMENTATION == "rapidfuzz"
    rules = {f["rule"] for r in here for f in r["findings"]}
    assert {"indicator-text-mismatch", "goal-duplicate"} <= rules
    run = subprocess.run([sys.executable, "-c", HIDDEN, *map(str, paths)], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert json.loads(run.stdout) == here
