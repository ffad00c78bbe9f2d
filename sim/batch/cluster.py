"""The Dask executor: chunks of runs on a Dask ``distributed`` cluster (optional extra).

The recipe (the scenario and playbook texts) is scattered to every worker once; each task
then carries only a reference to it and a range of run indices, and calls the same chunk
function as the local process pool. Install with ``pip install 'tabletop[cluster]'``.
"""

from __future__ import annotations

import importlib
from collections.abc import Generator, Iterator, Sequence
from typing import Any

from sim.batch.recipe import Recipe
from sim.batch.replicate import RunSummary, run_chunk
from sim.batch.runner import WINDOW_PER_JOB, ExecutorError


def _distributed() -> Any:
    """The `distributed` module (typed loosely: it is an optional extra)."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise ExecutorError(
            "the Dask executors need the 'distributed' package: pip install 'tabletop[cluster]'"
        ) from None


def _client(address: str | None, jobs: int) -> tuple[Any, Any]:
    dd = _distributed()
    if address is None:
        cluster = dd.LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        return dd.Client(cluster), cluster
    target = "tcp://" + address[len("dask://") :]
    try:
        return dd.Client(target, timeout=10), None
    except (OSError, TimeoutError) as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {target}: {exc}") from None


def dask_chunks(
    recipe: Recipe, ranges: Sequence[tuple[int, int]], jobs: int, address: str | None
) -> Generator[tuple[int, list[RunSummary]], None, None]:
    """Yield (first index, summaries) for each chunk as the cluster finishes it."""
    client, cluster = _client(address, jobs)
    running: dict[Any, int] = {}
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        shared = client.scatter(recipe, broadcast=True)
        todo = iter(ranges)
        pending = _distributed().as_completed()
        for s, e in _take(todo, workers * WINDOW_PER_JOB):
            fut = client.submit(run_chunk, shared, s, e, pure=False)
            running[fut] = s
            pending.add(fut)
        for fut in pending:
            first = running.pop(fut)
            summaries: list[RunSummary] = fut.result()
            yield first, summaries
            for s, e in _take(todo, 1):
                nxt = client.submit(run_chunk, shared, s, e, pure=False)
                running[nxt] = s
                pending.add(nxt)
    finally:
        for fut in running:
            fut.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def _take(it: Iterator[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        item = next(it, None)
        if item is None:
            break
        out.append(item)
    return out
