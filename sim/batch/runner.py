"""Running a batch: split the run indices into chunks, hand them to an executor, and feed the
results to the tally in index order.

Executors: ``local`` (this process for one job, else a process pool), ``dask-local`` (a Dask
LocalCluster with worker processes) and ``dask://HOST:PORT`` (a running Dask scheduler). All
call the same chunk function, ``sim.batch.replicate.run_chunk``. Because the tally takes the
runs in index order and every run is seeded from the root seed and its index, the results are
the same for any executor, number of jobs or chunk size.

Ctrl-C (SIGINT) or SIGTERM stops the batch: outstanding chunks are cancelled and the result
holds the runs completed before the first missing index, marked partial, with the signal that
stopped it. In the main thread a signal only sets a flag, read between chunks (and every
HEARTBEAT seconds while the pool works), so it never lands inside the pool's or the tally's
bookkeeping: stopping cannot hang or leave a tally half-added. (A KeyboardInterrupt raised in
the progress callback stops the batch too.)
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, overload

from sim.batch.aggregate import Tally
from sim.batch.recipe import Recipe
from sim.batch.replicate import RunSummary, prepared, run_chunk
from sim.batch.view import PolicyView
from sim.problems import TabletopError

CHUNK_SECONDS = 0.05
"""Aim for chunks of about this much work: far above the cost of handing one out."""
WINDOW_PER_JOB = 4
"""Chunks in flight per worker: enough to keep workers busy, few enough to bound memory."""
HEARTBEAT = 0.2
"""Seconds between looks at the Ctrl-C flag while the pool's workers are busy."""

Progress = Callable[[int, int], None]
"""Called with (runs done, runs in total) as chunks complete."""
Chunks = Generator[tuple[int, list[RunSummary]], None, None]


class ExecutorError(TabletopError):
    """The executor could not be started or reached (bad address, Dask not installed)."""


@dataclass
class BatchResult:
    """A finished (or interrupted) batch."""

    recipe: Recipe
    tally: Tally
    partial: bool
    executor: str
    jobs: int
    seconds: float
    failure: str | None = None
    """Why the batch stopped early other than a signal (the results are then partial)."""
    stopped_by: int | None = None
    """The signal (SIGINT, SIGTERM, SIGHUP) received while the batch ran, if one was."""

    @property
    def runs_done(self) -> int:
        return self.tally.runs_done

    @property
    def stopped(self) -> str | None:
        """Why the results are partial, in words (None: they are whole)."""
        if self.failure is not None:
            return self.failure
        if not self.partial:
            return None
        return STOPPED_BY.get(self.stopped_by or signal.SIGINT, "stopped")

    def policy(self, name: str) -> PolicyView:
        """One policy's outcomes, by name (a playbook's id, or 'random')."""
        return PolicyView(self.tally.per_policy[self.tally.policies.index(name)])


class ChunkRanges(Sequence[tuple[int, int]]):
    """The (start, stop) index ranges of a batch's chunks, computed when asked for: a batch of
    any size holds no list of its chunks (memory stays flat)."""

    def __init__(self, runs: int, size: int) -> None:
        self.runs, self.size = runs, max(1, size)

    def __len__(self) -> int:
        return -(-self.runs // self.size)

    @overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, int]]: ...
    def __getitem__(self, i: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return i * self.size, min((i + 1) * self.size, self.runs)


def chunk_ranges(runs: int, size: int) -> ChunkRanges:
    return ChunkRanges(runs, size)


def pick_chunk_size(recipe: Recipe, jobs: int) -> int:
    """Enough runs per chunk for about CHUNK_SECONDS of work, and enough chunks to share out.

    It times one run here; the chunk size never changes the results.
    """
    prep = prepared(recipe)
    policies = range(len(recipe.policies))
    for p in policies:  # the first run compiles what later runs reuse: not a fair sample
        prep.replicate(recipe.root_seed, 0, p)
    t0 = time.perf_counter()
    timed = 0
    while timed < 10 and (timed < 1 or time.perf_counter() - t0 < 0.02):
        for p in policies:
            prep.replicate(recipe.root_seed, timed + 1, p)
        timed += 1
    per_run = max((time.perf_counter() - t0) / timed, 1e-6)
    size = max(1, round(CHUNK_SECONDS / per_run))
    share = max(1, math.ceil(recipe.runs / (jobs * WINDOW_PER_JOB)))
    return max(1, min(size, share))


def run_batch(
    recipe: Recipe,
    *,
    jobs: int = 1,
    executor: str = "local",
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Run every index of the recipe under every policy and tally the results."""
    if recipe.runs < 0:
        raise ValueError("runs must not be negative")
    jobs = max(1, jobs)
    tally = Tally(prepared(recipe).layout, recipe.policy_names, recipe.root_seed)
    start = time.perf_counter()
    waiting: dict[int, list[RunSummary]] = {}
    done = 0
    failure: str | None = None
    chunks: Chunks | None = None
    with StopSignals() as ctrl_c:
        try:
            size = chunk_size or pick_chunk_size(recipe, jobs)
            ranges = chunk_ranges(recipe.runs, size)
            chunks = _executor_chunks(recipe, ranges, jobs, executor, ctrl_c.stop)
            for first, summaries in chunks:
                waiting[first] = summaries
                done += len(summaries) // max(1, len(recipe.policies))
                while tally.runs_done in waiting:
                    _feed(tally, waiting.pop(tally.runs_done), len(recipe.policies))
                if progress is not None:
                    progress(done, recipe.runs)
                if ctrl_c.pressed:
                    break
        except KeyboardInterrupt:  # raised by the progress callback, or outside the main thread
            ctrl_c.received = ctrl_c.received or signal.SIGINT
        except ExecutorError:
            raise
        except Exception as exc:  # a worker died, the cluster went away: keep what is done
            if not ctrl_c.pressed:  # else the workers were stopped by the same signal
                failure = f"the executor failed: {type(exc).__name__}: {exc}"
        finally:
            if chunks is not None:
                chunks.close()
    partial = ctrl_c.pressed or tally.runs_done < recipe.runs
    seconds = time.perf_counter() - start
    return BatchResult(recipe, tally, partial, executor, jobs, seconds, failure, ctrl_c.received)


STOPPED_BY: dict[int, str] = {
    signal.SIGINT: "interrupted (Ctrl-C)",
    signal.SIGTERM: "terminated (SIGTERM)",
    signal.SIGHUP: "hung up (SIGHUP)",
}
"""A batch stopped by a signal, in words: in its results, and why they are partial."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""The signals that stop a batch and keep its results: Ctrl-C, SIGTERM (`kill`, `timeout`,
a job scheduler, systemd) and SIGHUP (its terminal is gone: an ssh connection dropped)."""


class StopSignals:
    """Ctrl-C and SIGTERM as a flag, the first one received (main thread only; elsewhere the
    signals keep their handlers). Nested, the inner one has them until it exits."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    @property
    def pressed(self) -> bool:
        return self.received is not None

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._receive)
        return self

    def _receive(self, signum: int, frame: object) -> None:
        if self.received is None:
            self.received = signum

    def stop(self) -> bool:
        return self.pressed

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            if previous is None:  # set outside Python: back to Python's own default
                previous = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
            signal.signal(sig, previous)


def _feed(tally: Tally, summaries: list[RunSummary], policies: int) -> None:
    for i in range(0, len(summaries), policies):
        tally.add_run(summaries[i : i + policies])


def _executor_chunks(
    recipe: Recipe,
    ranges: Sequence[tuple[int, int]],
    jobs: int,
    kind: str,
    stop: Callable[[], bool] = lambda: False,
) -> Chunks:
    jobs = max(1, min(jobs, len(ranges)))  # a worker with no chunk to run is a wasted process
    if kind == "local":
        return _serial(recipe, ranges) if jobs == 1 else _pool(recipe, ranges, jobs, stop)
    if kind == "dask-local" or kind.startswith("dask://"):
        from sim.batch.cluster import dask_chunks

        return dask_chunks(recipe, ranges, jobs, None if kind == "dask-local" else kind, stop)
    raise ExecutorError(f"unknown executor '{kind}' (local, dask-local or dask://HOST:PORT)")


def _serial(recipe: Recipe, ranges: Sequence[tuple[int, int]]) -> Chunks:
    for s, e in ranges:
        yield s, run_chunk(recipe, s, e)


def ignore_interrupts() -> None:
    """Worker start-up: Ctrl-C is the driver's to handle, so workers do not print tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_WORKER_RECIPE: list[Recipe] = []
"""The recipe of this worker process's pool, sent once when the worker starts."""


def _start_worker(recipe: Recipe) -> None:
    ignore_interrupts()
    _WORKER_RECIPE[:] = [recipe]
    prepared(recipe)  # parse now (a forked worker already has it)


def _worker_chunk(start: int, stop: int) -> list[RunSummary]:
    return run_chunk(_WORKER_RECIPE[0], start, stop)


def _pool(
    recipe: Recipe, ranges: Sequence[tuple[int, int]], jobs: int, stop: Callable[[], bool]
) -> Chunks:
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(recipe,))
    todo = iter(ranges)
    running: dict[Future[list[RunSummary]], int] = {}
    try:
        for s, e in _take(todo, jobs * WINDOW_PER_JOB):
            running[pool.submit(_worker_chunk, s, e)] = s
        while running and not stop():
            finished, _ = wait(running, timeout=HEARTBEAT, return_when=FIRST_COMPLETED)
            for fut in finished:
                first = running.pop(fut)
                yield first, fut.result()
                for s, e in _take(todo, 1):
                    running[pool.submit(_worker_chunk, s, e)] = s
    finally:
        for fut in running:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _take(it: Iterator[Any], n: int) -> list[Any]:
    out = []
    for _ in range(n):
        try:
            out.append(next(it))
        except StopIteration:
            break
    return out
