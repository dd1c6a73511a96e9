"""Benchmark: `pyxl rollup` against the I/O floor and a naive pandas loop, measured in the same run.

    python benchmarks/rollup.py            # 400 departments × 20 projects × 14 indicators
    python benchmarks/rollup.py --quick    # a smoke run on 40 departments

Prints, each against a baseline measured in this run (medians of --repeat alternated rounds):
  rollup --jobs 1 ÷ I/O floor (python-calamine reading every cell of the inputs + XlsxWriter in
  constant_memory mode writing as many cells as the summary holds)      goal ≤ 1.5
  naive (pandas read_excel/openpyxl per file, concat, to_excel) ÷ rollup  goal ≥ 3
  speed-up of --jobs 2
  peak RSS of the rollup process at a small (50) and the full number of files (flat = good)
  the rule engine alone on departments not seen before (ms each, goal ≤ 20)
  the safety check ÷ calamine's read of the same files (what the check costs, measured, not a goal)
  where the time goes (read, layout, rules, rows, summary writing)

Every rollup measurement runs in its own subprocess, so peak RSS is that run's alone.
The department workbooks are generated once (pyxl fill, in parallel) and cached in
--cache (keyed by size and INPUTS_VERSION), since generating them takes far longer than rolling up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------- inputs


# Bump when the generator or the template changes what a department workbook holds (or delete --cache).
INPUTS_VERSION = 1


def _source_key(projects: int, indicators: int) -> str:
    return f"{projects}x{indicators}-v{INPUTS_VERSION}"


def _make_one(args: tuple[int, int, int, str]) -> str:
    seed, projects, indicators, folder = args
    from pyxl.api import fill
    from pyxl.core.generate import generate_department

    path = Path(folder) / f"dept-{seed:05d}.xlsx"
    if not path.exists():
        # distinct seeds and codes: every department has its own figures and project codes
        fill(generate_department(projects, indicators, seed=seed, code=f"{200000 + seed}"), path)
    return str(path)


def ensure_inputs(n: int, projects: int, indicators: int, cache: Path, jobs: int) -> Path:
    folder = cache / f"rollup-{_source_key(projects, indicators)}"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [s for s in range(n) if not (folder / f"dept-{s:05d}.xlsx").exists()]
    if missing:
        print(f"generating {len(missing)} department workbooks in {folder} (cached for later runs) …",
              flush=True)
        t = time.perf_counter()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            jobs_args = [(s, projects, indicators, str(folder)) for s in missing]
            for i, _ in enumerate(pool.map(_make_one, jobs_args), 1):
                if i % 50 == 0:
                    print(f"  {i}/{len(missing)} ({time.perf_counter() - t:.0f} s)", flush=True)
    return folder


def input_files(folder: Path, n: int) -> list[str]:
    return [str(folder / f"dept-{s:05d}.xlsx") for s in range(n)]


# ---------------------------------------------------------------- measurements (each in a child process)


def _median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The round whose time is the median (its other figures come with it)."""
    return sorted(runs, key=lambda m: m["seconds"])[len(runs) // 2]


def _rss_mb() -> tuple[float, float]:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def child_rollup(files: list[str], jobs: int, out: Path) -> dict[str, float]:
    from pyxl.consolidate import rollup

    t0 = time.perf_counter()
    result = rollup(files, jobs=jobs)
    t1 = time.perf_counter()
    result.write(out)
    t2 = time.perf_counter()
    own, children = _rss_mb()
    return {"seconds": t2 - t0, "collect": t1 - t0, "write": t2 - t1, "rss_mb": own,
            "workers_rss_mb": children, "departments": result.totals["departments"],
            "indicators": result.totals["indicators"]}


def summary_cells(path: Path) -> dict[str, list[list[object]]]:
    """The summary's non-empty cells, sheet by sheet (what the floor writes)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def child_floor(files: list[str], summary: Path, out: Path) -> dict[str, float]:
    """python-calamine reading every cell of the inputs + XlsxWriter (constant_memory) writing the
    very cells the rollup's summary holds (same values, same types), in the cheapest way it has."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    sheets = summary_cells(summary)  # loaded before the clock starts
    t0 = time.perf_counter()
    read = 0
    for f in files:
        book = CalamineWorkbook.from_path(f)
        for name in book.sheet_names:
            read += sum(len(row) for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    t1 = time.perf_counter()
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    cells = 0
    for name, grid in sheets.items():
        ws = wb.add_worksheet(name)
        put_string, put_number = ws._write_string, ws._write_number  # no A1 decorator
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                if v == "" or v is None:
                    continue
                if isinstance(v, str):
                    put_string(r, c, v, None)
                else:
                    put_number(r, c, float(v), None)
                cells += 1
    wb.close()
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "read": t1 - t0, "write": t2 - t1, "cells_read": read, "cells_written": cells}


def child_naive(files: list[str], out: Path) -> dict[str, float]:
    import pandas as pd

    t0 = time.perf_counter()
    frames: dict[str, list[object]] = {}
    for f in files:
        for name, df in pd.read_excel(f, sheet_name=None, engine="openpyxl").items():
            df.insert(0, "文件", f)
            frames.setdefault(name, []).append(df)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, dfs in frames.items():
            pd.concat(dfs).to_excel(writer, sheet_name=name[:31], index=False)
    return {"seconds": time.perf_counter() - t0}


def child_profile(files: list[str], out: Path) -> dict[str, float]:
    """The rollup's steps timed separately, --jobs 1."""
    from pyxl.backends.openpyxl_backend import OpenpyxlBackend
    from pyxl.consolidate.extract import digest, result_from_department
    from pyxl.consolidate.result import Rollup
    from pyxl.core.config import load_config
    from pyxl.rules import run_rules
    from pyxl.workbook import LAYOUTS

    cfg = load_config()
    t = dict.fromkeys(("hash", "read", "layout", "rules", "rows", "collect", "write"), 0.0)
    result = Rollup(cfg)
    for i, f in enumerate(files, 1):
        a = time.perf_counter()
        digest(Path(f))
        b = time.perf_counter()
        backend = OpenpyxlBackend(f)
        names = backend.sheet_names()
        name, _detect, read = next((n, d, r) for n, d, r in LAYOUTS if d(names, backend.read_values))
        for sheet in ("部门整体", "项目", "绩效指标"):
            if sheet in names:
                backend.read_values(sheet)
        c = time.perf_counter()
        dept = read(names, backend.read_values)
        d = time.perf_counter()
        findings = run_rules(dept, cfg)
        e = time.perf_counter()
        fr = result_from_department(i, f, dept, findings, name)
        g = time.perf_counter()
        result.add(fr)
        h = time.perf_counter()
        t["hash"] += b - a
        t["read"] += c - b
        t["layout"] += d - c
        t["rules"] += e - d
        t["rows"] += g - e
        t["collect"] += h - g
    result.finish()
    a = time.perf_counter()
    result.write(out)
    t["write"] = time.perf_counter() - a
    return t


def child_rules(files: list[str]) -> dict[str, float]:
    """run_rules once on each department, the first time this process sees its values (as in a rollup,
    where memos fill from the departments before); the first is a warm-up for imports."""
    import statistics

    from pyxl.backends.file_reader import FileReader
    from pyxl.core.config import load_config
    from pyxl.rules import run_rules
    from pyxl.workbook import read_department

    cfg = load_config()
    depts = [read_department(FileReader(f))[1] for f in files[:13]]
    run_rules(depts[0], cfg)
    ms = []
    for dept in depts[1:]:
        t = time.perf_counter()
        run_rules(dept, cfg)
        ms.append((time.perf_counter() - t) * 1000)
    return {"median_ms": statistics.median(ms), "max_ms": max(ms), "departments": len(ms)}


def child_safety(files: list[str]) -> dict[str, float]:
    """The safety check alone and calamine's read of every sheet alone, over the same files."""
    from python_calamine import CalamineWorkbook

    from pyxl.backends.safety import check_workbook

    check_workbook(files[0])  # imports
    t0 = time.perf_counter()
    for f in files:
        check_workbook(f)
    t1 = time.perf_counter()
    for f in files:
        book = CalamineWorkbook.from_path(f)
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    t2 = time.perf_counter()
    return {"safety": t1 - t0, "calamine": t2 - t1}


def _child(args: argparse.Namespace) -> None:
    # run from the folder's parent with relative paths, as a user would (`pyxl rollup 收件箱/ …`)
    folder = Path(args.folder).resolve()
    out = Path(args.out).resolve()
    os.chdir(folder.parent)
    files = input_files(Path(folder.name), args.files)
    if args.child == "rollup":
        res = child_rollup(files, args.jobs, out)
    elif args.child == "floor":
        res = child_floor(files, Path(args.summary), out)
    elif args.child == "naive":
        res = child_naive(files, out)
    elif args.child == "rules":
        res = child_rules(files)
    elif args.child == "safety":
        res = child_safety(files)
    else:
        res = child_profile(files, out)
    print(json.dumps(res))


def measure(kind: str, folder: Path, n: int, tmp: Path, **extra: object) -> dict[str, float]:
    out = tmp / f"{kind}-{n}-{extra.get('jobs', 1)}.xlsx"
    cmd = [sys.executable, __file__, "--child", kind, "--folder", str(folder), "--files", str(n),
           "--out", str(out)]
    for key, value in extra.items():
        cmd += [f"--{key}", str(value)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode:
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["out"] = str(out)
    return res


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke run: 40 files, small = 10")
    ap.add_argument("--files", type=int, default=400)
    ap.add_argument("--small", type=int, default=50, help="the smaller run (RSS, naive comparison)")
    ap.add_argument("--projects", type=int, default=20)
    ap.add_argument("--indicators", type=int, default=14)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pyxl-bench")
    ap.add_argument("--gen-jobs", type=int, default=2, help="processes generating the inputs")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of the main measurements, alternated; the median of each counts "
                         "(a shared machine's load comes and goes)")
    ap.add_argument("--no-naive", action="store_true", help="skip the (slow) pandas comparison")
    # child-process plumbing
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--summary", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args)
        return
    if args.quick:
        args.files, args.small, args.repeat = 40, 10, 1
    n, small = args.files, min(args.small, args.files)
    folder = ensure_inputs(n, args.projects, args.indicators, args.cache, args.gen_jobs)
    with tempfile.TemporaryDirectory(prefix="pyxl-bench-") as tmp_name:
        tmp = Path(tmp_name)
        print(f"inputs: {n} department workbooks × {args.projects} projects × {args.indicators} indicators "
              f"({folder}); median of {max(1, args.repeat)} alternated rounds", flush=True)
        rounds: dict[str, list[dict[str, float]]] = {"r1": [], "floor": [], "r2": [], "rs": [], "rules": [],
                                                     "safety": []}
        for i in range(max(1, args.repeat)):
            rounds["r1"].append(measure("rollup", folder, n, tmp, jobs=1))
            rounds["floor"].append(measure("floor", folder, n, tmp, summary=rounds["r1"][0]["out"]))
            rounds["r2"].append(measure("rollup", folder, n, tmp, jobs=2))
            rounds["rs"].append(measure("rollup", folder, small, tmp, jobs=1))
            rounds["rules"].append(measure("rules", folder, small, tmp))
            rounds["safety"].append(measure("safety", folder, small, tmp))
            r = rounds["r1"][-1]["seconds"] / rounds["floor"][-1]["seconds"]
            print(f"  round {i + 1}: rollup ÷ floor {r:.2f}", flush=True)
        ratios = [a["seconds"] / b["seconds"] for a, b in zip(rounds["r1"], rounds["floor"], strict=True)]
        r1, floor, r2, rs = (_median_run(rounds[k]) for k in ("r1", "floor", "r2", "rs"))
        r1["rss_mb"] = statistics.median(m["rss_mb"] for m in rounds["r1"])
        rs["rss_mb"] = statistics.median(m["rss_mb"] for m in rounds["rs"])
        rules_ms = statistics.median(m["median_ms"] for m in rounds["rules"])
        safety = statistics.median(m["safety"] / m["calamine"] for m in rounds["safety"])
        cells = int(floor["cells_written"])
        naive = None if args.no_naive else measure("naive", folder, small, tmp)
        prof = measure("profile", folder, small, tmp)

    print()
    print(f"summary: {r1['departments']} departments, {r1['indicators']} indicators, "
          f"{cells:,} non-empty cells; inputs: {floor['cells_read']:,} cells read by the floor")
    print(f"I/O floor ({n} files): {floor['seconds']:.2f} s  (calamine read {floor['read']:.2f} s "
          f"+ XlsxWriter write {floor['write']:.2f} s)")
    print(f"rollup --jobs 1:       {r1['seconds']:.2f} s  (read+validate {r1['collect']:.2f} s "
          f"+ summary {r1['write']:.2f} s)")
    print(f"  ÷ I/O floor          {statistics.median(ratios):.2f}   (goal ≤ 1.5; median of the rounds' ratios "
          f"{', '.join(f'{x:.2f}' for x in ratios)})")
    print(f"rollup --jobs 2:       {r2['seconds']:.2f} s  speed-up {r1['seconds'] / r2['seconds']:.2f}×")
    if naive is not None:
        print(f"naive pandas loop ({small} files): {naive['seconds']:.2f} s vs rollup {rs['seconds']:.2f} s "
              f"→ naive ÷ rollup {naive['seconds'] / rs['seconds']:.1f}   (goal ≥ 3)")
    print(f"peak RSS, rollup --jobs 1: {rs['rss_mb']:.0f} MB at {small} files, "
          f"{r1['rss_mb']:.0f} MB at {n} files (ratio {r1['rss_mb'] / rs['rss_mb']:.2f}, flat = 1; "
          f"jobs 2: main {r2['rss_mb']:.0f} MB, workers ≤ {r2['workers_rss_mb']:.0f} MB)")
    print(f"rule engine alone, a department not seen before ({args.projects} projects × {args.indicators} "
          f"indicators): {rules_ms:.1f} ms   (goal ≤ 20 ms)")
    print(f"safety check ÷ calamine read of every sheet ({small} files): {safety:.2f}")
    prof.pop("out")
    total = sum(prof.values())
    print(f"where the time goes ({small} files, --jobs 1, {total:.2f} s):")
    steps = (("read", "open + calamine read of the data sheets"), ("layout", "layout reader → model"),
             ("rules", "validation rules"), ("rows", "rows for the summary (grammar, amounts, months)"),
             ("collect", "spooling rows to disk"), ("hash", "SHA-256 of the file"),
             ("write", "summary workbook (XlsxWriter)"))
    for key, label in steps:
        print(f"  {label:48} {prof[key]:6.2f} s  {100 * prof[key] / total:4.0f}%")


if __name__ == "__main__":
    main()
