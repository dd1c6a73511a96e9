"""LibreOffice headless for tests: recalculate workbooks and render them to PNG.

Each call uses its own user profile, so tests (and xdist workers running in parallel)
never fight over LibreOffice's profile lock.

Starting soffice costs seconds, so:
- ``convert_many`` converts several files in one soffice run (the colour probes of a test,
  the corpus outputs) and ``rendered_cell_colours`` probes many cells with one run;
- the same bytes converted to the same format twice in a session are converted once
  (a content-addressed cache in the temporary folder of this process);
- a run that times out or produces nothing (the machine is loaded, soffice hung at start)
  is tried once more with a longer timeout before the test fails.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest

__all__ = [
    "SOFFICE", "convert", "convert_many", "needs_libreoffice", "pdf_pages", "recalculate", "render_png",
    "rendered_cell_colour", "rendered_cell_colours",
]

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
TIMEOUT = 180  # a run of one file; each further file in the run adds PER_FILE; the retry gets twice as long
PER_FILE = 60
ATTEMPTS = 2

_CACHE = Path(tempfile.gettempdir()) / f"pyxl-lo-cache-{uuid.uuid4().hex}"  # this process only


def _run_soffice(paths: Sequence[Path], fmt: str, outdir: Path, timeout: float) -> str:
    assert SOFFICE, "LibreOffice is not installed"
    profile = Path(tempfile.gettempdir()) / f"pyxl-lo-{uuid.uuid4().hex}"
    # its own session: on a timeout the whole group goes (soffice is a script that starts soffice.bin,
    # which would otherwise live on and keep loading the machine)
    proc = subprocess.Popen(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(outdir), *map(str, paths)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
        return out + err
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return f"timed out after {timeout:.0f} s"
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _key(path: Path, fmt: str) -> str:
    return hashlib.sha256(fmt.encode() + b"\0" + path.read_bytes()).hexdigest()


def convert_many(paths: Sequence[Path], fmt: str, outdir: Path) -> list[Path]:
    """`soffice --convert-to fmt` for several files in one run; the produced files, in order.

    The inputs' stems must differ (soffice names each output after its input).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    ext = fmt.split(":", 1)[0]
    stems = [p.stem for p in paths]
    assert len(set(stems)) == len(stems), f"inputs must have distinct names: {stems}"
    outs = [outdir / f"{p.stem}.{ext}" for p in paths]
    keys = [_key(p, fmt) for p in paths]
    todo = []
    for path, out, key in zip(paths, outs, keys, strict=True):
        cached = _CACHE / f"{key}.{ext}"
        if cached.exists():
            shutil.copyfile(cached, out)
        else:
            todo.append((path, out, key))
    log = ""
    for attempt in range(ATTEMPTS):
        missing = [t for t in todo if not t[1].exists()]
        if not missing:
            break
        timeout = (TIMEOUT + PER_FILE * (len(missing) - 1)) * (attempt + 1)
        log += _run_soffice([p for p, _, _ in missing], fmt, outdir, timeout)
    for _path, out, key in todo:
        assert out.exists(), f"LibreOffice produced no {out.name}: {log}"
        _CACHE.mkdir(exist_ok=True)
        shutil.copyfile(out, _CACHE / f"{key}.{ext}")
    return outs


def convert(path: Path, fmt: str, outdir: Path) -> Path:
    """`soffice --convert-to fmt`; returns the produced file."""
    return convert_many([path], fmt, outdir)[0]


def recalculate(path: Path, outdir: Path) -> Path:
    """Open in LibreOffice, recalculate every formula, save as xlsx (cached values filled in)."""
    return convert(path, "xlsx:Calc MS Excel 2007 XML", outdir)


def _pdftoppm(pdf: Path, prefix: Path, dpi: int, first: int = 1, last: int | None = None) -> list[Path]:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (poppler-utils) is not installed"
    args = [pdftoppm, "-png", "-r", str(dpi), "-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(prefix)], check=True, timeout=TIMEOUT)
    return sorted(prefix.parent.glob(f"{prefix.name}*.png"))


def render_png(path: Path, outdir: Path, *, dpi: int = 60, first: int = 1, last: int | None = None) -> list[Path]:
    """Render the workbook to PDF with LibreOffice, then pages to PNG with pdftoppm."""
    pdf = convert(path, "pdf", outdir)
    return _pdftoppm(pdf, outdir / path.stem, dpi, first, last)


def pdf_pages(pdf: Path) -> list[dict[str, float]]:
    """Each page's size in points (pdfinfo -f 1 -l N), as [{"width", "height"}]."""
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "pdfinfo (poppler-utils) is not installed"
    head = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    n = int(next(line.split()[-1] for line in head.splitlines() if line.startswith("Pages:")))
    text = subprocess.run([pdfinfo, "-f", "1", "-l", str(n), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = []
    for line in text.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, h = line.split("size:", 1)[1].split()[0:3:2]
            pages.append({"width": float(w), "height": float(h)})
    return pages


def _dominant_colour(png: Path) -> tuple[int, int, int] | None:
    from PIL import Image

    counts: dict[tuple[int, int, int], int] = {}
    for px in Image.open(png).convert("RGB").get_flattened_data():
        if px != (255, 255, 255) and max(px) - min(px) > 20:  # coloured, not white/grey/black text
            counts[px] = counts.get(px, 0) + 1
    return max(counts, key=counts.get) if counts else None


def rendered_cell_colours(book: Path, cells: Sequence[tuple[str, str]],
                          outdir: Path) -> list[tuple[int, int, int] | None]:
    """The colour LibreOffice paints each (sheet, cell) with: a page printing only that cell, its dominant colour.

    One probe workbook per cell (the other visible sheets removed, since LibreOffice prints hidden
    sheets too; the hidden ``_pyxl_`` status mirrors stay, since the conditional formats read them),
    all rendered in one LibreOffice run.
    """
    import openpyxl

    outdir.mkdir(parents=True, exist_ok=True)
    probes = []
    for i, (sheet, cell) in enumerate(cells):
        probe = outdir / f"probe{i}-{cell}.xlsx"
        wb = openpyxl.load_workbook(book)
        for ws in list(wb.worksheets):
            if ws.title != sheet and not ws.title.startswith("_pyxl_"):
                wb.remove(ws)
        wb.active = wb.sheetnames.index(sheet)
        wb[sheet].print_area = cell
        wb[sheet]._print_rows = None  # no repeated header rows on the probe page
        wb[sheet]._print_cols = None
        wb.save(probe)
        probes.append(probe)
    pdfs = convert_many(probes, "pdf", outdir)
    return [_dominant_colour(_pdftoppm(pdf, outdir / pdf.stem, 40)[0]) for pdf in pdfs]


def rendered_cell_colour(book: Path, sheet: str, cell: str, outdir: Path) -> tuple[int, int, int] | None:
    """`rendered_cell_colours` for one cell."""
    return rendered_cell_colours(book, [(sheet, cell)], outdir)[0]
