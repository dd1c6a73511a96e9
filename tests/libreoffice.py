"""LibreOffice headless for tests: recalculate workbooks and render them to PNG.

Each call uses its own user profile, so tests (and helpers running in parallel)
never fight over LibreOffice's profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

__all__ = [
    "SOFFICE",
    "convert",
    "needs_libreoffice",
    "recalculate",
    "render_png",
    "rendered_cell_colour",
    "rendered_cell_colours",
]

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
TIMEOUT = 180


def convert(path: Path, fmt: str, outdir: Path) -> Path:
    """`soffice --convert-to fmt`; returns the produced file."""
    assert SOFFICE, "LibreOffice is not installed"
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir()) / f"pyxl-lo-{uuid.uuid4().hex}"
    try:
        proc = subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(outdir), str(path)],
            capture_output=True, text=True, timeout=TIMEOUT,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    ext = fmt.split(":", 1)[0]
    out = outdir / f"{path.stem}.{ext}"
    assert out.exists(), f"LibreOffice produced no {ext}: {proc.stdout}\n{proc.stderr}"
    return out


def recalculate(path: Path, outdir: Path) -> Path:
    """Open in LibreOffice, recalculate every formula, save as xlsx (cached values filled in)."""
    return convert(path, "xlsx:Calc MS Excel 2007 XML", outdir)


def render_png(path: Path, outdir: Path, *, dpi: int = 60, first: int = 1, last: int | None = None) -> list[Path]:
    """Render the workbook to PDF with LibreOffice, then pages to PNG with pdftoppm."""
    pdf = convert(path, "pdf", outdir)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (poppler-utils) is not installed"
    args = [pdftoppm, "-png", "-r", str(dpi), "-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(outdir / path.stem)], check=True, timeout=TIMEOUT)
    return sorted(outdir.glob(f"{path.stem}*.png"))


def rendered_cell_colour(book: Path, sheet: str, cell: str, outdir: Path) -> tuple[int, int, int] | None:
    """The colour LibreOffice paints one cell with: a page printing only that cell, its dominant colour."""
    return rendered_cell_colours(book, [(sheet, cell)], outdir)[(sheet, cell)]


def rendered_cell_colours(
    book: Path, cells: list[tuple[str, str]], outdir: Path
) -> dict[tuple[str, str], tuple[int, int, int] | None]:
    """The colour LibreOffice paints each cell with, from ONE conversion: each probed sheet prints only
    its probed cells, one print range (so one page) per cell, and each page's dominant colour is its
    cell's. LibreOffice orders a sheet's ranges down, then over (column by column).

    The other visible sheets are removed (LibreOffice prints hidden sheets too); the hidden
    ``_pyxl_`` status mirrors stay, since the conditional formats read them.
    """
    import openpyxl
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    from PIL import Image

    def down_then_over(a1: str) -> tuple[int, int]:
        col, row = coordinate_from_string(a1)
        return column_index_from_string(col), row

    by_sheet: dict[str, list[str]] = {}
    for sheet, cell in cells:
        by_sheet.setdefault(sheet, []).append(cell)
    outdir.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(book)
    for ws in list(wb.worksheets):
        if ws.title not in by_sheet and not ws.title.startswith("_pyxl_"):
            wb.remove(ws)
    order: list[tuple[str, str]] = []
    for ws in wb.worksheets:
        if ws.title in by_sheet:
            mine = sorted(set(by_sheet[ws.title]), key=down_then_over)
            ws.print_area = mine
            ws._print_rows = None  # no repeated header rows on the probe pages
            order += [(ws.title, c) for c in mine]
    wb.active = wb.sheetnames.index(order[0][0])
    probe = outdir / f"probe-{uuid.uuid4().hex[:8]}.xlsx"  # its own stem: pages of earlier probes are not its own
    wb.save(probe)
    pngs = render_png(probe, outdir, dpi=40)
    assert len(pngs) == len(order), f"{len(pngs)} pages for {len(order)} cells: {order}"
    seen: dict[tuple[str, str], tuple[int, int, int] | None] = {}
    for key, png in zip(order, pngs, strict=True):
        counts: dict[tuple[int, int, int], int] = {}
        for px in Image.open(png).convert("RGB").get_flattened_data():
            if px != (255, 255, 255) and max(px) - min(px) > 20:  # coloured, not white/grey/black text
                counts[px] = counts.get(px, 0) + 1
        seen[key] = max(counts, key=counts.get) if counts else None  # type: ignore[arg-type]
    return seen
