"""The browser page's speed, as ratios to the CLI on the same file in the same run.

    python benchmarks/web.py [--site DIR] [--repeat 3] [--projects 50] [--indicators 14]

Prints:
- the site's size (Pyodide runtime, wheels, total);
- cold start (fresh browser profile: page load → Python ready, by stage → first result on the seed
  given the moment Python is ready → the page's warm-up done), ÷ the CLI's cold start (a fresh
  ``python -m pyxl validate`` process on the seed);
- warm validate of the seed and of a 50 × 14 department in the page, each ÷ the CLI's validate
  (in-process ``pyxl.api.validate``, best of --repeat) — goal ≤ 3;
- where the time goes: the same phases (open, read, rules, marks, save) inside the page
  and natively, and the page with values read through openpyxl instead of python-calamine.

Needs Debian's chromium (/usr/bin/chromium) and playwright's Python package (no browser download).
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyxl.api import fill, validate
from pyxl.core.generate import generate_department
from pyxl.core.loader import load_data
from pyxl.web.builder import build_site
from pyxl.web.serve import SiteServer

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]

PHASES = """
import time
from pyxl.core.config import load_config
from pyxl.rules import run_rules
from pyxl.rules.monitoring import met_cells
from pyxl.workbook import apply_marks, open_file, read_department
def phases(src, out, repeat):
    cfg = load_config()
    best = {}
    for _ in range(repeat):
        t = [time.perf_counter()]
        be = open_file(src, config=cfg); t.append(time.perf_counter())
        _, dept = read_department(be); t.append(time.perf_counter())
        findings = run_rules(dept, cfg); t.append(time.perf_counter())
        apply_marks(be, findings, met_cells(dept, cfg)); t.append(time.perf_counter())
        be.save(out); t.append(time.perf_counter())
        for name, a, b in zip(("open", "read", "rules", "marks", "save (package writer)"), t, t[1:]):
            best[name] = min(best.get(name, 1e9), (b - a) * 1000)
    return best
"""

def best_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def _timed_cli(book: Path, out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pyxl", "validate", str(book), "-o", str(out)],
                   check=False, capture_output=True)
    return time.perf_counter() - t


def native_phases(src: Path, out: Path, repeat: int) -> dict[str, float]:
    ns: dict = {}
    exec(PHASES, ns)
    return ns["phases"](str(src), str(out), repeat)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--projects", type=int, default=50)
    ap.add_argument("--indicators", type=int, default=14)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    site = args.site
    if site is None:
        t = time.perf_counter()
        build_site(tmp / "site")
        site = tmp / "site"
        print(f"site built in {time.perf_counter() - t:.1f} s")
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    size = manifest["bytes"]
    print(f"site size: {size['total'] / 1e6:.1f} MB (Pyodide runtime {size['pyodide'] / 1e6:.1f} MB, "
          f"wheels {size['wheels'] / 1e6:.2f} MB: {', '.join(manifest['wheels'])})")

    books = {
        "seed": fill(load_data(ROOT / "pyxl" / "data" / "tribunal.yaml"), tmp / "seed.xlsx"),
        f"{args.projects}x{args.indicators}": fill(generate_department(args.projects, args.indicators, seed=1),
                                                   tmp / "dept.xlsx"),
    }
    for book in books.values():
        validate(book, out=tmp / "warm.xlsx")  # imports and caches

    def cli_ms(key: str) -> float:
        return best_ms(lambda: validate(books[key], out=tmp / "cli-out.xlsx"), 1)

    with SiteServer(site) as server, sync_playwright() as pw:
        profile = tempfile.mkdtemp()
        ctx = pw.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", headless=True,
                                                    args=FLAGS)
        page = ctx.new_page()
        page.set_default_timeout(900_000)
        # the CLI's cold start: a fresh process (interpreter, imports, validate), best of --repeat
        cli_cold = min(_timed_cli(books["seed"], tmp / "cold-out.xlsx") for _ in range(args.repeat))
        t0 = time.perf_counter()
        page.goto(server.url)
        page.evaluate("""() => { window.__events = {};
            window.pyxl.onprogress((m) => { if (m.type === 'ready' || m.type === 'warmed') window.__events[m.type] = m; }); }""")
        page.evaluate("window.pyxl.ready")
        t_ready = time.perf_counter() - t0
        seed_b64 = base64.b64encode(books["seed"].read_bytes()).decode()
        page.evaluate("async (b) => { await window.pyxl.validate(Uint8Array.from(atob(b), c => c.charCodeAt(0)),"
                      " {name: 'seed.xlsx'}); }", seed_b64)
        t_first = time.perf_counter() - t0
        events = page.evaluate("window.__events")
        reader = page.evaluate("window.pyxl.python('from pyxl.backends.readers import available_reader; available_reader()')")
        stages = ", ".join(f"{k} {v / 1000:.1f} s" for k, v in events["ready"]["stages"].items())
        print(f"cold start (fresh profile, values read with {reader}):")
        print(f"  Python ready            {t_ready:6.1f} s   ({stages})")
        print(f"  warm-up (example) done  {events['warmed']['ms'] / 1000:6.1f} s   (a file given later runs warm)")
        print(f"  first result on the seed, given the moment Python is ready "
              f"{t_first:.1f} s   CLI cold (fresh process) {cli_cold:.1f} s   ratio {t_first / cli_cold:.1f}")

        # what the page no longer imports before it is ready (validate with calamine needs neither)
        deferred = page.evaluate("window.pyxl.python('import sys, time; t = time.perf_counter(); "
                                 "import openpyxl, xlsxwriter; time.perf_counter() - t')")
        print(f"  deferred: importing openpyxl + xlsxwriter takes {deferred:.1f} s in the page, "
              "paid only when a file is read without calamine or 汇总 writes its summary")

        for key, book in books.items():
            page.evaluate("([k, b]) => { (window.__books ||= {})[k] = Uint8Array.from(atob(b), c => c.charCodeAt(0)); }",
                          [key, base64.b64encode(book.read_bytes()).decode()])

        def in_page(key: str) -> float:
            return page.evaluate("""async (k) => { const t = performance.now();
                await window.pyxl.validate(window.__books[k], {name: k + '.xlsx'});
                return performance.now() - t; }""", key)

        def alternate(key: str) -> tuple[float, float]:
            # the CLI and the page take turns, so that load from elsewhere on the machine hits both alike
            runs = [(in_page(key), cli_ms(key)) for _ in range(args.repeat)]
            return min(r[0] for r in runs), min(r[1] for r in runs)

        print(f"\nwarm validate (best of {args.repeat}, alternating)   page      CLI    ratio (goal ≤ 3)")
        for key in books:
            ms, cli = alternate(key)
            print(f"  {key:32} {ms:8.0f} ms {cli:6.0f} ms   {ms / cli:5.2f}")

        print(f"\nwhere the time goes (ms, best of {args.repeat})   page phases  |  native phases")
        page.evaluate("c => window.pyxl.python(c)", PHASES)
        for key, book in books.items():
            page.evaluate(f"window.pyxl.python(\"import base64, pathlib; pathlib.Path('/tmp/{key}.xlsx')"
                          f".write_bytes(base64.b64decode('{base64.b64encode(book.read_bytes()).decode()}'))\")")
            mine = json.loads(page.evaluate(
                f"window.pyxl.python(\"import json; json.dumps(phases('/tmp/{key}.xlsx', '/tmp/out.xlsx', {args.repeat}))\")"))
            native = native_phases(book, tmp / "phase-out.xlsx", args.repeat)
            print(f"  {key}")
            for name in mine:
                print(f"    {name:16} {mine[name]:8.0f}  |  {native[name]:8.0f}")
        # the pure-Python path, as the page runs where no python-calamine wheel could be had
        page.evaluate("window.pyxl.python(\"import os; os.environ['PYXL_READER'] = 'openpyxl'\")")
        print("\npage with values read through openpyxl (no python-calamine):")
        for key in books:
            ms, cli = alternate(key)
            print(f"  {key:32} {ms:8.0f} ms {cli:6.0f} ms   {ms / cli:5.2f}")
        page.evaluate("window.pyxl.python(\"import os; os.environ.pop('PYXL_READER', None)\")")
        ctx.close()


if __name__ == "__main__":
    main()
