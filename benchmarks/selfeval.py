"""自评 speed, as ratios against a baseline measured in the same run.

    python benchmarks/selfeval.py [--projects 50] [--indicators 14] [--repeat 5]

Prints, for one department at year end (weights, actuals, budget execution):
- the 自评 checks alone (scoring every indicator, 执行率, 总分, 等级) ÷ the whole rule engine on the same
  department before year end (goal ≤ 0.5: 自评 must not dominate validate);
- the 自评 checks in ms (goal, on an idle machine: ≤ 10 ms for 50 × 14).
"""

from __future__ import annotations

import argparse
import copy
import time

from pyxl.core.config import load_config
from pyxl.core.generate import generate_department
from pyxl.core.generate_selfeval import add_year_end
from pyxl.rules import run_rules
from pyxl.rules.engine import Context
from pyxl.rules.selfeval import check_selfeval


def best(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=50)
    ap.add_argument("--indicators", type=int, default=14)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    config = load_config()
    plain = generate_department(args.projects, args.indicators, seed=1)
    year_end = add_year_end(copy.deepcopy(plain), seed=1)
    ctx = Context(config=config, year=2026)
    base = best(lambda: run_rules(plain, config), args.repeat)
    checks = best(lambda: list(check_selfeval(year_end, ctx)), args.repeat)
    print(f"{args.projects} projects × {args.indicators} indicators")
    print(f"rule engine before year end (baseline): {base * 1000:.1f} ms")
    print(f"自评 checks at year end: {checks * 1000:.1f} ms = {checks / base:.2f} × baseline (goal ≤ 0.5)")


if __name__ == "__main__":
    main()
