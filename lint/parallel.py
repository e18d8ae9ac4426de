"""Running a corpus: one process, a pool of processes (``--jobs N``) or a Dask cluster
(``--dask ADDRESS``), always yielding each file's result in the order the files were
given, so every way of running writes the same report byte for byte.

Only one small window of results is in flight at a time: the caller writes a file's
part of the report and drops it before the next arrives (flat memory for any number
of files).

What crosses a process boundary: a path out; a :class:`lint.model.FileResult` (plain
dataclasses: findings, locations with their ``Place``), the tool notices the file
raised and, when the file could not be read, the error as plain fields.  Everything
there must stay picklable.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections import deque
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from . import errors as _errors
from .i18n import tr
from .errors import FilinglintError, UsageError
from .model import FileResult, ToolNotice

if TYPE_CHECKING:  # pragma: no cover
    from .engine.linter import Linter, LintOptions

# Outcome of one file as it travels back: (result or None, notices, error fields or None)
Outcome = tuple["FileResult | None", list[ToolNotice], "tuple | None"]


def default_jobs() -> int:
    """The machine's cores (those this process may run on)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


# --------------------------------------------------------------------------- one file


class FileTimeout(BaseException):
    """A file took longer than ``LintOptions.timeout``: a BaseException, so no rule's
    ``except Exception`` isolation swallows it and the file is abandoned as a whole."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`FileTimeout` in this thread after ``seconds`` (SIGALRM; only in a
    process's main thread on POSIX — elsewhere, e.g. on Dask worker threads, unbounded)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise FileTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def lint_one(linter: "Linter", path: str) -> Outcome:
    """Lint ``path`` with ``linter`` and package what happened for the trip home.

    A file that runs past ``linter.options.timeout`` seconds (a plugin or rule that
    hangs) is dropped with a tool notice naming it; the run goes on."""
    before = len(linter.notices)
    timeout = getattr(linter.options, "timeout", None)
    result: FileResult | None = None
    error = None
    try:
        with deadline(timeout):
            result = linter.lint_file(path)
    except FilinglintError as exc:
        error = _error_fields(exc)
    except FileTimeout:
        linter.notices.append(ToolNotice(
            tr("检查超时：{seconds} 秒内未完成，可能有插件或规则卡住，可用 --timeout 调整", seconds=f"{timeout:g}"),
            "", path))
    notices = linter.notices[before:]
    del linter.notices[before:]  # a long-lived worker keeps nothing per file
    return result, notices, error


def _error_fields(exc: FilinglintError) -> tuple:
    return (type(exc).__name__, exc.message, exc.path, exc.line, exc.col, exc.context)


def _error_from(fields: tuple) -> FilinglintError:
    name, message, path, line, col, context = fields
    cls = getattr(_errors, name, FilinglintError)
    if not (isinstance(cls, type) and issubclass(cls, FilinglintError)):
        cls = FilinglintError
    return cls(message, path, line, col, context)


# --------------------------------------------------------------------------- the run


def iter_results(linter: "Linter", paths: Sequence[str], *, jobs: int = 1, dask: "str | Any" = None,
                 on_error: Callable[[FilinglintError], None] | None = None, exclude: Sequence[str] = (),
                 on_path_count: Callable[[int], None] | None = None) -> Iterator[FileResult]:
    """Each linted file's result, in input order.

    Notices a file raised go to ``linter.notices`` (in file order, as a serial run
    appends them); a file that cannot be read is recorded as an input notice and passed
    to ``on_error`` (without ``on_error`` it ends the run).  ``dask`` is a scheduler
    address, ``local:N``, or a ``distributed.Client``."""
    from .engine.linter import expand_paths, input_notice

    def failed(exc: FilinglintError) -> None:
        if on_error is None:
            raise exc
        linter.notices.append(input_notice(exc))
        on_error(exc)

    files = expand_paths(paths, linter._suffixes(), on_error=failed, exclude=exclude)
    # Cross-year pairing looks for last year's filing among the run's inputs.
    linter.options.run_inputs = tuple(files)
    if on_path_count is not None:
        on_path_count(len(files))
    if dask:
        outcomes = _dask_outcomes(linter, files, dask)
    elif jobs > 1 and len(files) > 1:
        outcomes = _pool_outcomes(linter, files, min(jobs, len(files)))
    else:
        outcomes = (lint_one(linter, f) for f in files)
    for result, notices, error in outcomes:
        linter.notices.extend(notices)
        if error is not None:
            failed(_error_from(error))
        if result is not None:
            yield result


# --------------------------------------------------------------------------- process pool

_WORKER_LINTER: "Linter | None" = None


def _init_worker(options: "LintOptions | None", years: dict | None = None) -> None:
    """Pool initializer.  Forked workers inherit the parent's loaded linter; spawned
    ones (where fork is unavailable) load their own from the same options."""
    global _WORKER_LINTER
    if options is not None:
        from .engine.linter import Linter

        _WORKER_LINTER = Linter(options)
        gc.freeze()
        if years:
            from .engine.crossyear import know_years

            know_years(_WORKER_LINTER, years)


def _pool_batch(paths: Sequence[str]) -> list[Outcome]:
    assert _WORKER_LINTER is not None
    return [lint_one(_WORKER_LINTER, path) for path in paths]


def _year_task(path: str) -> int | None:
    from .engine.crossyear import year_of

    assert _WORKER_LINTER is not None
    try:
        with deadline(getattr(_WORKER_LINTER.options, "timeout", None)):
            return year_of(_WORKER_LINTER, path)
    except FileTimeout:  # the lint pass reports the file that hangs
        return None


def _input_years(files: Sequence[str], jobs: int, ctx: Any, init: Any) -> dict[str, int | None] | None:
    """The report year of every input, each file read once by one of the pool's
    processes, for cross-year pairing (lint/engine/crossyear.py).  Without it each
    worker would read every input itself to learn its year (the work of the pairing
    done once per worker: ~10% of a run over text filings, more over PDFs)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, min(32, len(files) // (jobs * 8)))
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                 initargs=(init,)) as pool:
            return dict(zip(files, pool.map(_year_task, files, chunksize=chunk)))
    except BrokenProcessPool:  # a reader that kills its process: the lint pass reports the file
        return None


def batch_size(files: int, jobs: int) -> int:
    """How many files one pool task lints.  Each task costs the pool about as much as a
    small filing's rules (~3 ms: ~15% of a run sent one file at a time), so a long run
    sends a few at a time; a short one sends them singly, to keep every worker busy to
    the end (at least 16 tasks per worker)."""
    return max(1, min(8, files // (jobs * 16)))


def _pool_outcomes(linter: "Linter", files: Sequence[str], jobs: int) -> Iterator[Outcome]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORKER_LINTER
    if "fork" in mp.get_all_start_methods():
        ctx, init = mp.get_context("fork"), None
        _WORKER_LINTER = linter
        # What linting a file imports (pandas and the recognizers, ~0.3 s) is imported
        # once here, before the fork, rather than again in every worker.
        from .recognize import filing, tables  # noqa: F401
        # Objects made while loading are never freed: keep them out of the collector's
        # scans, which (after fork) would also touch, and so copy, every shared page.
        gc.freeze()
    else:  # pragma: no cover - macOS/Windows
        ctx, init = mp.get_context("spawn"), linter.options
    years = None
    options = linter.options
    if getattr(options, "pair_years", False) and not getattr(options, "previous", None):
        from .engine.crossyear import know_years

        years = _input_years(files, jobs, ctx, init)
        if years:
            know_years(linter, years)  # forked workers inherit them; spawned ones get them below
    size = batch_size(len(files), jobs)
    window = jobs * 4  # batches waiting to be written in order stay few
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                             initargs=(init, years if init is not None else None)) as pool:
        pending: deque = deque()
        batches = (files[i:i + size] for i in range(0, len(files), size))
        for batch in batches:
            pending.append((batch[0], pool.submit(_pool_batch, batch)))
            if len(pending) >= window:
                break
        while pending:
            first, future = pending.popleft()
            try:
                outcomes = future.result()
            except BrokenProcessPool:  # a worker was killed (out of memory?) or crashed
                raise FilinglintError(tr("检查进程意外退出（内存不足？），可用 --jobs 1 重试"), first) from None
            nxt = next(batches, None)
            if nxt is not None:
                pending.append((nxt[0], pool.submit(_pool_batch, nxt)))
            yield from outcomes


# --------------------------------------------------------------------------- dask


_DASK_LINTERS = threading.local()


def _dask_task(options: "LintOptions", path: str, shown: str) -> Outcome:
    """Runs on a Dask worker: one linter per worker thread and per options, kept."""
    from .engine.linter import Linter

    key = repr(options)
    cache = getattr(_DASK_LINTERS, "by_options", None)
    if cache is None:
        cache = _DASK_LINTERS.by_options = {}
    linter = cache.get(key)
    if linter is None:
        linter = cache[key] = Linter(options)
    result, notices, error = lint_one(linter, path)
    if path != shown:  # report the path the user gave, not the absolute one sent
        result = rebase(result, path, shown) if result is not None else None
        notices = [replace(n, path=shown) if n.path == path else n for n in notices]
        if error is not None and error[2] == path:
            error = (*error[:2], shown, *error[3:])
    return result, notices, error


def rebase(result: FileResult, old: str, new: str) -> FileResult:
    """``result`` with every location in file ``old`` moved to path ``new``."""
    def loc(location):
        return replace(location, path=new) if location.path == old else location

    findings = [replace(f, location=loc(f.location), related=tuple(loc(r) for r in f.related))
                for f in result.findings]
    return replace(result, path=new, findings=findings)


def dask_client(address: str) -> Any:
    """A ``distributed.Client`` for ``address``: ``tcp://host:port`` (or any address
    Dask accepts) of a running scheduler, or ``local:N`` for a local cluster of N
    worker processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dask is a dependency
        raise UsageError(tr("--dask 需要安装 dask[distributed]")) from None
    if address.startswith("local"):
        _, _, n = address.partition(":")
        try:
            workers = int(n) if n else default_jobs()
        except ValueError:
            raise UsageError(tr("--dask local:N 中 N 应为整数，实际为 {n}", n=repr(n))) from None
        import logging

        # The cluster's own chatter (workers starting, stopping) is not the report's.
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.CRITICAL)
        return Client(cluster)
    try:
        return Client(address, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(tr("无法连接 Dask 调度器：{error}", error=exc), address) from None


def _dask_outcomes(linter: "Linter", files: Sequence[str], address: str | Any) -> Iterator[Outcome]:
    """Files spread over a Dask cluster.  ``address`` may also be a ``Client``."""
    own = isinstance(address, str)
    client = dask_client(address) if own else address
    try:
        window = max(sum(client.nthreads().values()), 1) * 4
        options = linter.options
        pending: deque = deque()
        it = iter(files)

        def submit(path: str) -> None:
            pending.append(client.submit(_dask_task, options, os.path.abspath(path), path, pure=False))

        for path in it:
            submit(path)
            if len(pending) >= window:
                break
        while pending:
            future = pending.popleft()
            outcome = future.result()
            future.release()
            nxt = next(it, None)
            if nxt is not None:
                submit(nxt)
            yield outcome
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
