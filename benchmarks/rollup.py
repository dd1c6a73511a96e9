"""Benchmark: `pyxl rollup` against the I/O floor and a naive pandas loop, measured in the same run.

    python benchmarks/rollup.py            # 500 departments × 20 projects × 14 indicators
    python benchmarks/rollup.py --quick    # a smoke run on 40 departments

Prints, each against a baseline measured in this run:
  rollup --jobs 1 ÷ I/O floor (python-calamine reading every cell of the inputs + XlsxWriter in
  constant_memory mode writing as many cells as the summary holds)      goal ≤ 1.5
  naive (pandas read_excel/openpyxl per file, concat, to_excel) ÷ rollup  goal ≥ 3
  speed-up of --jobs 2
  peak RSS of the rollup process at a small and the full number of files (flat = good)
  where the time goes (read, layout, rules, rows, summary writing)

Every rollup measurement runs in its own subprocess, so peak RSS is that run's alone.
The department workbooks are generated once (pyxl fill, in parallel) and cached in
--cache, keyed by the generator and template sources, since generating is slow.
"""

from __future__ import annotations

import hashlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------- inputs


def _source_key(projects: int, indicators: int) -> str:
    h = hashlib.sha256(f"{projects}x{indicators}".encode())
    for rel in ("pyxl/generate.py", "pyxl/layouts/template_writer.py", "pyxl/layouts/template_spec.py"):
        h.update((ROOT / rel).read_bytes())
    return h.hexdigest()[:12]


def _make_one(args: tuple[int, int, int, str]) -> str:
    seed, projects, indicators, folder = args
    from pyxl.api import fill
    from pyxl.generate import generate_department

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
