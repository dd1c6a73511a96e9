"""Run a rollup: expand the inputs, read every file (in worker processes with jobs > 1), collect.

Results are taken in input order through a bounded window of pending files, so the
summary is the same whatever ``jobs`` is and memory does not grow with the number
of files. A worker that dies (a file that exhausts memory, say) costs that file only.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.config import Config, load_config
from ..core.errors import UserError
from .extract import FileRecord, FileResult, process_file
from .inputs import expand_inputs
from .result import Rollup

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["rollup"]

WINDOW_PER_JOB = 4  # files in flight per worker: keeps workers busy without piling up results

Task = tuple[int, str, str]  # (index, path to open, name to show)


def _display_input(path: str | os.PathLike[str], root: str | os.PathLike[str] | None) -> str:
    if root is None:
        return os.fspath(path)
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix() or "."
    except ValueError:
        return os.fspath(path)


def rollup(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    as_of: dt.date | None = None,
    config: Config | str | os.PathLike[str] | None = None,
    exclude: Sequence[str | os.PathLike[str]] = (),
    progress: bool | None = False,
    root: str | os.PathLike[str] | None = None,
    on_file: Callable[[int, int, str], object] | None = None,
) -> Rollup:
    """Consolidate department workbooks (files, folders, globs).

    Every file is validated with the rules on the way; none is modified. Files that
    cannot be used are listed (``rollup.failed``) and the others still go through.
    ``progress=None`` shows a progress bar when stderr is a terminal. With ``root``, files are
    named relative to it in the summary. ``on_file(done, total, name)``, when given, is called as
    each file to read is started (``done`` of ``total`` finished so far), for a caller's own progress
    display (the browser page's).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    if jobs < 1:
        raise UserError("--jobs 至少为 1", "--jobs must be at least 1")
    cfg = config if isinstance(config, Config) else load_config(config)
    from ..rules.engine import check_config

    check_config(cfg)  # a bad policy value is one error (exit 2), not every file failing
    entries = expand_inputs(paths, exclude, root)
    result = Rollup(cfg, as_of, inputs=[_display_input(p, root) for p in paths])
    tasks: list[Task] = []
    for i, e in enumerate(entries, start=1):
        if e.status == "read":
            tasks.append((i, e.path, e.name))
        else:
            rule = "file-unreadable" if e.status == "failed" else None
            record = FileRecord(index=i, file=e.name, status=e.status, rule=rule, reason=e.reason)
            result.add(FileResult(record))
    show = sys.stderr.isatty() if progress is None else progress
    with _progress(len(tasks), show) as advance:
        for fr in _results(tasks, jobs, cfg, as_of, on_file):
            result.add(fr)
            advance(fr.file.file)
    result.finish()
    return result


def _results(tasks: list[Task], jobs: int, cfg: Config, as_of: dt.date | None,
             on_file: Callable[[int, int, str], object] | None = None) -> Iterator[FileResult]:
    started = on_file or (lambda done, total, name: None)
    if jobs > 1 and len(tasks) > 1:
        from .spawn_guard import unguarded_main_script

        script = unguarded_main_script()
        if script is not None:
            import warnings

            warnings.warn(
                f"{Path(script).name} 在顶层调用 rollup(jobs={jobs})，未放在 if __name__ == \"__main__\": 之下；"
                "工作进程会重新运行该脚本，因此本次在当前进程中逐个读取 / "
                f"{Path(script).name} calls rollup(jobs={jobs}) at its top level, not under "
                "if __name__ == \"__main__\":, where worker processes would run the script again; "
                "reading the files in this process instead",
                RuntimeWarning, stacklevel=3,
            )
            jobs = 1
    if jobs == 1 or len(tasks) <= 1:
        for done, task in enumerate(tasks):
            started(done, len(tasks), task[2])
            yield process_file(*task, cfg, as_of)
        return
    yield from _pooled(tasks, jobs, cfg, as_of, started)


def _pooled(tasks: list[Task], jobs: int, cfg: Config, as_of: dt.date | None,
            started: Callable[[int, int, str], object]) -> Iterator[FileResult]:
    # imported here: `import pyxl` must not pull in process pools (xlwings Lite runs in Pyodide)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    todo = deque(tasks)
    done = 0
    pending: deque[tuple[Task, Future[FileResult]]] = deque()
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        while todo or pending:
            while todo and len(pending) < jobs * WINDOW_PER_JOB:
                task = todo.popleft()
                started(done, len(tasks), task[2])
                pending.append((task, pool.submit(process_file, *task, cfg, as_of)))
            task, future = pending.popleft()
            try:
                yield future.result()
                done += 1
            except BrokenProcessPool:
                # Some worker died. Retry this file alone to learn whether it was the culprit,
                # then carry on with a fresh pool for the others.
                pool.shutdown(wait=False, cancel_futures=True)
                yield _alone(task, cfg, as_of)
                done += 1
                todo.extendleft(reversed([t for t, _ in pending]))
                pending.clear()
                pool = ProcessPoolExecutor(max_workers=jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _alone(task: Task, cfg: Config, as_of: dt.date | None) -> FileResult:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    index, _path, name = task
    with ProcessPoolExecutor(max_workers=1) as solo:
        try:
            return solo.submit(process_file, *task, cfg, as_of).result()
        except BrokenProcessPool:
            record = FileRecord(index=index, file=name, status="failed", rule="file-unreadable",
                                reason="读取该文件时工作进程意外退出（文件可能过大或已损坏）")
            return FileResult(record)


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Callable[[str], None]]:
    if not show or total == 0:
        yield lambda _name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("汇总 / rolling up"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
               TextColumn("{task.description}"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)

        def advance(name: str) -> None:
            bar.update(task, advance=1, description=Path(name).name[:40])

        yield advance
