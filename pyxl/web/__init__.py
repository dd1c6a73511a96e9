"""The browser page: ``pyxl web -o DIR [--serve]`` builds a static site running pyxl in Pyodide.

- builder: the site (page assets, Pyodide runtime, wheels, sample workbooks);
- runtime / wheels: what goes into it, fetched or packed at build time;
- glue: the Python the page's worker calls inside Pyodide (bytes in, report and bytes out);
- serve: the site on 127.0.0.1.

Nothing here is imported by ``import pyxl``; glue runs inside the browser.
"""

from __future__ import annotations

__all__ = ["build_site", "serve"]


def build_site(*args, **kwargs):  # type: ignore[no-untyped-def]
    from .builder import build_site as build

    return build(*args, **kwargs)


def serve(*args, **kwargs):  # type: ignore[no-untyped-def]
    from .serve import serve as run

    return run(*args, **kwargs)
