"""The browser page, in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven over the
DevTools protocol by playwright's Python client (no browser is downloaded).

The site is built once per session (Pyodide from the npm registry, cached in the user's cache folder),
served on 127.0.0.1, and the page validates the seed workbook and a generated 20-project department
through its own file picker; each downloaded workbook must equal `pyxl validate`'s output cell for cell.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyxl.api import fill
from pyxl.api import validate as cli_validate
from pyxl.core.generate import generate_department
from pyxl.core.loader import load_data

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-10-31"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pyxl.web.builder import build_site

    out = tmp_path_factory.mktemp("web") / "site"
    build_site(out)
    return out


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("web-books")
    return {
        "seed": fill(load_data(ROOT / "pyxl" / "data" / "tribunal.yaml"), tmp / "法庭.xlsx"),
        "dept20": fill(generate_department(20, 14, seed=11), tmp / "测试单位20.xlsx"),
    }


class Browser:
    """One page of the site in headless Chromium; remembers requests that left 127.0.0.1."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url
        self.external: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _request(self, request: Any) -> None:
        if not request.url.startswith((self.url, "blob:", "data:")):
            self.external.append(request.url)


@pytest.fixture(scope="session")
def playwright(site: Path) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    from pyxl.web.serve import SiteServer

    with SiteServer(site) as srv:
        yield srv.url


@pytest.fixture(scope="session")
def browser(playwright: Any, server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
        accept_downloads=True, viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(300_000)  # Python in WebAssembly on a busy machine is slow
    b = Browser(page, server)
    page.goto(server)
    page.evaluate("window.pyxl.ready")
    page.wait_for_selector("#status.ready")
    yield b
    context.close()


_CLI: dict[Path, tuple[dict[str, Any], Path]] = {}


def _cli(book: Path, tmp: Path) -> tuple[dict[str, Any], Path]:
    """`pyxl validate` on a book (once per session: the books do not change)."""
    if book not in _CLI:
        out = tmp / f"cli-{book.name}"
        report = cli_validate(book, out=out, as_of=dt.date.fromisoformat(AS_OF))
        _CLI[book] = report.to_dict(), out
    return _CLI[book]


def _set_date(page: Any, text: str) -> None:
    page.fill("#as-of", text)
    page.press("#as-of", "Tab")  # typed, then left: the page takes the date


def _row(page: Any, name: str) -> Any:
    return page.locator("#file-table tbody tr", has_text=name)


def test_page_validates_like_the_cli(browser: Browser, books: dict[str, Path], tmp_path: Path, artifacts: Path) -> None:
    from workbook_fingerprint import fingerprint

    page = browser.page
    _set_date(page, AS_OF)
    page.set_input_files("#files", [str(p) for p in books.values()])
    for book in books.values():
        _row(page, book.name).locator("button", has_text="下载校验后的工作簿").wait_for()
    for key, book in books.items():
        cli_report, cli_out = _cli(book, tmp_path)
        with page.expect_download() as info:
            _row(page, book.name).locator("button", has_text="下载校验后的工作簿").click()
        download = info.value
        assert download.suggested_filename == f"{book.stem}-校验.xlsx"
        mine = tmp_path / f"page-{key}.xlsx"
        download.save_as(mine)
        # values, status marks (the hidden mirrors), notes, conditional formats: zero differences
        assert fingerprint(mine) == fingerprint(cli_out), key
        # the JavaScript entry gives the CLI's JSON report
        page_report = page.evaluate(
            "async ([b, name, asOf]) => (await window.pyxl.validate(new Uint8Array(b), {name, asOf})).report",
            [list(book.read_bytes()), book.name, AS_OF])
        assert page_report == json.loads(json.dumps(cli_report, ensure_ascii=False)), key
        assert cli_report["counts"]["error"] + cli_report["counts"]["warning"] > 0  # something to show
        counts = cli_report["counts"]
        cells = _row(page, book.name).locator("td.num").all_inner_texts()
        assert cells == [str(counts["error"]), str(counts["warning"]), str(counts["info"])]

    total = sum(len(_cli(b, tmp_path)[0]["findings"]) for b in books.values())
    assert page.locator("#findings tbody tr").count() == total
    page.locator("#findings-panel").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "web-findings.png"))

    # filter and sort: errors only, then by 位置
    page.locator("#level-chips label.warning input").uncheck()
    page.locator("#level-chips label.info input").uncheck()
    errors = sum(_cli(b, tmp_path)[0]["counts"]["error"] for b in books.values())
    assert page.locator("#findings tbody tr").count() == errors
    assert set(page.locator("#findings tbody tr td:nth-child(2)").all_inner_texts()) == {"错误"}
    page.locator("#level-chips label.warning input").check()
    page.locator("#level-chips label.info input").check()
    rule = _cli(books["seed"], tmp_path)[0]["findings"][0]["rule"]
    page.fill("#search", rule)
    rules = page.locator("#findings tbody tr td:nth-child(3)").all_inner_texts()
    assert rules and all(rule in r for r in rules)
    # sorted by 位置 when its header is clicked
    page.fill("#search", "")
    page.click("#findings th[data-key=where]")
    where = page.locator("#findings tbody tr td:nth-child(4)").all_inner_texts()
    assert len(where) == total and where == sorted(where)
    page.click("#findings th[data-key=where]")
    assert page.locator("#findings tbody tr td:nth-child(4)").all_inner_texts() == sorted(where, reverse=True)


def test_page_rolls_up_like_the_cli(browser: Browser, books: dict[str, Path], tmp_path: Path) -> None:
    from pyxl.consolidate import rollup

    page = browser.page
    if page.locator("#file-table tbody tr").count() < 2:
        _set_date(page, AS_OF)
        page.set_input_files("#files", [str(p) for p in books.values()])
    page.locator("#rollup:not([disabled])").wait_for()
    # every state the 汇总 bar and its text go through, as the page shows them
    page.evaluate("""() => { window.__rollupSeen = [];
        new MutationObserver(() => { const bar = document.querySelector('#rollup-bar');
            const text = document.querySelector('#rollup-text');
            if (bar) window.__rollupSeen.push([bar.value, bar.max, text ? text.textContent.trim() : '']); })
          .observe(document.querySelector('#rollup-result'),
                   {subtree: true, childList: true, attributes: true, characterData: true}); }""")
    page.click("#rollup")
    page.locator("#download-summary").wait_for()
    names = [b.name for b in books.values()]  # the page's file list order, the order 汇总 reads them in
    seen = []
    for state in page.evaluate("window.__rollupSeen"):
        if not seen or seen[-1] != state:
            seen.append(state)
    bar = [(v, m) for v, m, _ in seen]
    assert bar[0] == (0, 2) and bar[-1] == (2, 2)
    assert [v for v, _ in bar] == sorted(v for v, _ in bar)  # never backwards
    assert (1, 2) in bar  # it advanced after the first file, before the last
    texts = [t for _, _, t in seen]
    assert f"正在汇总 1/2：{names[0]}" in texts and f"正在汇总 2/2：{names[1]}" in texts
    assert "已读完 2 个文件，正在生成汇总工作簿…" in texts
    with page.expect_download() as info:
        page.click("#download-summary")
    mine = tmp_path / "page-汇总.xlsx"
    info.value.save_as(mine)

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for book in books.values():
        shutil.copy(book, inbox / book.name)
    cli = rollup([inbox], as_of=dt.date.fromisoformat(AS_OF), root=inbox)
    page_summary, events = page.evaluate(
        """async ([files, asOf]) => { const events = [];
            const r = await window.pyxl.rollup(files.map(([name, b]) => ({name, bytes: new Uint8Array(b)})),
                                               {asOf, onprogress: (e) => events.push([e.done, e.total, e.name])});
            return [r.summary, events]; }""",
        [[[b.name, list(b.read_bytes())] for b in books.values()], AS_OF])
    assert page_summary == json.loads(cli.to_json())
    # the JS entry's onprogress: each file as it is started, then all read
    assert events == [[0, 2, names[0]], [1, 2, names[1]], [2, 2, ""]]
    import openpyxl

    cli_out = tmp_path / "cli-汇总.xlsx"
    cli.write(cli_out)
    page_wb, cli_wb = openpyxl.load_workbook(mine), openpyxl.load_workbook(cli_out)
    assert page_wb.sheetnames == cli_wb.sheetnames
    for name in ("项目明细", "指标明细", "问题清单"):
        if name in cli_wb.sheetnames:
            assert [list(r) for r in page_wb[name].values] == [list(r) for r in cli_wb[name].values], name


def test_unusable_files_are_explained_and_the_page_keeps_working(browser: Browser, books: dict[str, Path],
                                                                   tmp_path: Path) -> None:
    page = browser.page
    legacy = tmp_path / "旧版.xlsx"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    text = tmp_path / "名单.xlsx"
    text.write_text("姓名,金额\n张三,1\n", encoding="utf-8")
    csv = tmp_path / "数据.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    good = tmp_path / "再来一个.xlsx"
    shutil.copy(books["seed"], good)
    page.set_input_files("#files", [str(legacy), str(text), str(csv), str(good)])
    _row(page, good.name).locator("button", has_text="下载校验后的工作簿").wait_for()
    assert "加密" in _row(page, legacy.name).inner_text() or "xls" in _row(page, legacy.name).inner_text()
    assert "不是 Excel 工作簿" in _row(page, text.name).inner_text()
    assert "不支持 .csv" in _row(page, csv.name).inner_text()
    for bad in (legacy, text, csv):
        assert _row(page, bad.name).get_attribute("data-status") == "failed"
    err = page.evaluate("async () => { try { await window.pyxl.validate(new Uint8Array([1, 2, 3]), {name: 'x.xlsx'}); }"
                        " catch (e) { return [e.message, e.rule]; } }")
    assert err[1] == "file-unreadable" and "Excel" in err[0]


def test_nothing_leaves_the_host_and_no_native_only_modules(browser: Browser) -> None:
    # after validating and rolling up: none of what the page does without, and no process pool
    # (asyncio, which Pyodide loads, imports concurrent.futures itself; its process half must stay out)
    loaded = browser.page.evaluate(
        "window.pyxl.python(\"import sys; ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'yaml', 'jsonschema', 'pandas', 'pyarrow', 'rapidfuzz', 'click', 'rich', 'multiprocessing'} "
        "or m == 'concurrent.futures.process'))\")")
    assert loaded == ""
    assert browser.external == []
    assert browser.errors == []


def test_page_without_calamine_reads_through_openpyxl(browser: Browser, books: dict[str, Path],
                                                      tmp_path: Path) -> None:
    """The pure-Python path (what the page does where no python-calamine wheel could be had)."""
    from workbook_fingerprint import fingerprint

    page = browser.page
    book = books["seed"]
    page.evaluate("window.pyxl.python(\"import os; os.environ['PYXL_READER'] = 'openpyxl'\")")
    try:
        reader = page.evaluate("window.pyxl.python('from pyxl.backends.readers import available_reader; available_reader()')")
        got = page.evaluate(
            "async ([b, name, asOf]) => { const r = await window.pyxl.validate(new Uint8Array(b), {name, asOf});"
            " return [r.report, Array.from(r.workbook)]; }", [list(book.read_bytes()), book.name, AS_OF])
    finally:
        page.evaluate("window.pyxl.python(\"import os; os.environ.pop('PYXL_READER', None)\")")
    assert reader == "openpyxl"
    cli_report, cli_out = _cli(book, tmp_path)
    assert got[0] == json.loads(json.dumps(cli_report, ensure_ascii=False))
    (tmp_path / "page.xlsx").write_bytes(bytes(got[1]))
    assert fingerprint(tmp_path / "page.xlsx") == fingerprint(cli_out)


def test_samples_download(browser: Browser, site: Path) -> None:
    page = browser.page
    for key, name in (("template", "部门绩效目标模板.xlsx"), ("example", "法庭-绩效目标（示例）.xlsx")):
        with page.expect_download() as info:
            page.click(f"#{key}")
        assert info.value.suggested_filename == name
        assert Path(info.value.path()).read_bytes()[:2] == b"PK"


def test_date_field_is_iso_in_any_locale(playwright: Any, server: str, artifacts: Path) -> None:
    """评估日期 shows YYYY-MM-DD in an American Chromium too (<input type=date> would show 10/31/2026)."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[*FLAGS, "--lang=en-US"])
    try:
        page = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 400}).new_page()
        page.route("**/pyodide/**", lambda route: route.abort())  # the field needs no Python: spare the CPU
        page.goto(server)
        assert page.evaluate("navigator.language") == "en-US"
        # a date picked in the browser's calendar (its value is ISO whatever the locale) is shown as ISO
        page.evaluate("""() => { const p = document.querySelector('#as-of-picker'); p.value = '2026-10-31';
                                 p.dispatchEvent(new Event('change')); }""")
        assert page.input_value("#as-of") == "2026-10-31"
        assert page.get_attribute("#as-of", "type") == "text"
        # what people type in China is read and shown as ISO
        for typed, shown in (("2026/10/31", "2026-10-31"), ("2026年3月5日", "2026-03-05"), ("20261031", "2026-10-31"),
                             ("2026.1.2", "2026-01-02"), ("", "")):
            page.fill("#as-of", typed)
            page.press("#as-of", "Tab")
            assert page.input_value("#as-of") == shown, typed
            assert page.is_hidden("#as-of-error"), typed
        page.fill("#as-of", "2026-10-31")
        page.press("#as-of", "Tab")
        page.locator(".controls").screenshot(path=str(artifacts / "web-date-en-US.png"))
        # an ambiguous or impossible date is refused in Chinese, kept as typed for the user to fix
        for typed in ("10/31/2026", "2026-02-30", "31.10.2026"):
            page.fill("#as-of", typed)
            page.press("#as-of", "Tab")
            assert page.input_value("#as-of") == typed
            assert page.is_visible("#as-of-error") and "YYYY-MM-DD" in page.inner_text("#as-of-error"), typed
            assert page.get_attribute("#as-of", "aria-invalid") == "true"
        page.locator(".controls").screenshot(path=str(artifacts / "web-date-invalid.png"))
        # the runtime that could not load is reported, not restarted in a loop
        page.wait_for_selector("#status.failed")
        assert page.evaluate("window.pyxl.restarts") == 0
    finally:
        browser.close()


def test_worker_restarts_after_a_fatal_error(browser: Browser, books: dict[str, Path], tmp_path: Path,
                                             artifacts: Path) -> None:
    """A fatal WebAssembly error in the worker: a fresh one takes over, the file is retried, nothing is lost."""
    from workbook_fingerprint import fingerprint

    page = browser.page
    seed = books["seed"]
    if _row(page, seed.name).count() == 0:  # run alone: something validated before the crash
        _set_date(page, AS_OF)
        page.set_input_files("#files", [str(seed)])
    _row(page, seed.name).locator("button", has_text="下载校验后的工作簿").wait_for()
    before = page.locator("#file-table tbody tr").all_inner_texts()
    findings = page.locator("#findings tbody tr").count()
    logged = len(browser.errors)

    page.evaluate("window.pyxl.test.crashNext()")
    again = tmp_path / "崩溃后重试.xlsx"
    shutil.copy(seed, again)
    page.set_input_files("#files", [str(again)])
    row = _row(page, again.name)
    row.locator("button", has_text="下载校验后的工作簿").wait_for()
    page.wait_for_selector("#status.ready")

    assert page.evaluate("window.pyxl.restarts") == 1
    # the old runtime really died: Pyodide's own fatal-error report; not a failure of the test run
    fatal = browser.errors[logged:]
    assert any("fatal error" in e for e in fatal), fatal
    del browser.errors[logged:]
    assert "已自动重试" in row.inner_text()
    assert "意外中止" in page.inner_text("#status") and "都还在" in page.inner_text("#status")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "web-restarted.png"))
    # nothing lost: the earlier rows and findings are all there, their downloads still work
    assert page.locator("#file-table tbody tr").all_inner_texts()[:len(before)] == before
    assert page.locator("#findings tbody tr").count() > findings
    _, cli_out = _cli(seed, tmp_path)
    for name in (seed.name, again.name):
        with page.expect_download() as info:
            _row(page, name).locator("button", has_text="下载校验后的工作簿").click()
        mine = tmp_path / f"after-{name}"
        info.value.save_as(mine)
        assert fingerprint(mine) == fingerprint(cli_out), name
    # the JS entry works on the fresh runtime
    report = page.evaluate("async ([b, asOf]) => (await window.pyxl.validate(new Uint8Array(b), {name: 'x.xlsx', asOf})).report",
                           [list(seed.read_bytes()), AS_OF])
    assert report["counts"] == _cli(seed, tmp_path)[0]["counts"]
