"""validate speed, as ratios against a baseline measured in the same run.

    python benchmarks/validate.py [--projects 50] [--indicators 14] [--repeat 5]

Prints:
- validate (read + rules + marks + save) ÷ a bare openpyxl load + save of the same file (goal ≤ 0.4);
- validate ÷ the floor: a calamine read of every sheet plus a plain copy of the package (goal ≤ 2);
- the rule engine alone, in ms (goal ≤ 20 ms);
(medians of --repeat alternated rounds, each ratio taken within its round)
- where the time goes (read, rules, marks, save).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from pyxl.api import fill
from pyxl.core.config import load_config
from pyxl.core.generate import generate_department
from pyxl.rules import run_rules
from pyxl.workbook import apply_marks, open_file, read_department


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=50)
    ap.add_argument("--indicators", type=int, default=14)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    book = fill(generate_department(args.projects, args.indicators, seed=1), tmp / "dept.xlsx")
    out = tmp / "out.xlsx"
    config = load_config()

    def baseline() -> None:
        openpyxl.load_workbook(book).save(out)

    def floor() -> None:
        import shutil

        import python_calamine

        wb = python_calamine.CalamineWorkbook.from_path(str(book))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        shutil.copyfile(book, out)

    phases: dict[str, list[float]] = {"read": [], "rules": [], "marks": [], "save": []}

    def validate() -> None:
        t0 = time.perf_counter()
        backend = open_file(book)
        _, dept = read_department(backend)
        t1 = time.perf_counter()
        findings = run_rules(dept, config)
        t2 = time.perf_counter()
        apply_marks(backend, findings)
        t3 = time.perf_counter()
        backend.save(out)
        t4 = time.perf_counter()
        for k, v in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            phases[k].append(v)

    _, dept = read_department(open_file(book))
    run_rules(dept, config)  # warm imports and caches
    # alternated rounds, ratios taken within each round, medians reported: the machine's load comes and goes
    rounds = [(timed(baseline), timed(floor), timed(validate)) for _ in range(args.repeat)]
    base = statistics.median(r[0] for r in rounds)
    low = statistics.median(r[1] for r in rounds)
    full = statistics.median(r[2] for r in rounds)
    to_base = statistics.median(r[2] / r[0] for r in rounds)
    to_floor = statistics.median(r[2] / r[1] for r in rounds)
    # first sight of these values: grammar parses and judgements not yet cached
    cold = []
    for seed in range(2, 2 + max(3, args.repeat)):
        path = fill(generate_department(args.projects, args.indicators, seed=seed), tmp / f"d{seed}.xlsx")
        fresh = read_department(open_file(path))[1]
        cold.append(timed(lambda fresh=fresh: run_rules(fresh, config)))
    cold_ms = statistics.median(cold) * 1000
    rules_ms = statistics.median(timed(lambda: run_rules(dept, config)) for _ in range(args.repeat * 4)) * 1000
    n_findings = len(run_rules(dept, config))
    print(f"department: {args.projects} projects × {args.indicators} indicators, {n_findings} findings")
    print(f"bare openpyxl load+save : {base * 1000:8.1f} ms")
    print(f"read + copy floor       : {low * 1000:8.1f} ms")
    print(f"pyxl validate           : {full * 1000:8.1f} ms   ratio {to_base:.2f} of openpyxl load+save "
          f"(goal ≤ 0.4), {to_floor:.2f} of the floor (goal ≤ 2); medians of {args.repeat} rounds' ratios")
    print(f"rule engine alone       : {rules_ms:8.1f} ms warm, {cold_ms:.1f} ms on a department not seen before "
          f"(median of {len(cold)}; goal ≤ 20 ms)")
    print("where the time goes (median of runs):")
    for k, v in phases.items():
        print(f"  {k:6} {statistics.median(v) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
