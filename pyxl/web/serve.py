"""``pyxl web --serve``: the built site on 127.0.0.1, opened in the browser.

A plain static server, bound to the loopback address only: nobody else on the
network sees it, and the page fetches nothing from anywhere else. WebAssembly and
JavaScript modules get the content types browsers insist on.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import ClassVar

__all__ = ["SiteServer", "serve"]

TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
         ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".html": "text/html; charset=utf-8", ".css": "text/css"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the terminal shows the address, not every request


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser closed a connection (a reload, a cancelled download): nothing to say
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteServer:
    """The site served on 127.0.0.1 in a background thread (``port=0``: any free port)."""

    def __init__(self, site: str | Path, port: int = 0) -> None:
        from ..core.errors import UserError

        handler = functools.partial(_Handler, directory=str(Path(site)))
        try:
            self.httpd = _Server(("127.0.0.1", port), handler)
        except OSError as exc:
            raise UserError(f"无法在 127.0.0.1:{port} 上启动（端口被占用？可用 --port 换一个）：{exc.strerror}",
                            f"cannot serve on 127.0.0.1:{port} (port in use? try --port): {exc.strerror}") from None
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(site: str | Path, port: int = 0, *, open_browser: bool = True) -> None:
    """Serve until Ctrl+C."""
    import webbrowser

    import click

    with SiteServer(site, port) as server:
        click.echo(f"网页已启动 / serving: {server.url}（按 Ctrl+C 结束 / Ctrl+C to stop）")
        if open_browser:
            webbrowser.open(server.url)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            click.echo("已停止 / stopped")
