"""The Dask executor: chunks of runs on a Dask ``distributed`` cluster (optional extra).

The recipe (the scenario and playbook texts) is scattered to every worker once; each task
then carries only a reference to it and a range of run indices, and calls the same chunk
function as the local process pool. Install with ``pip install 'tabletop[cluster]'``.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
import warnings
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any

from sim.batch.recipe import Recipe
from sim.batch.replicate import RunSummary, run_chunk
from sim.batch.runner import HEARTBEAT, WINDOW_PER_JOB, ExecutorError

Stop = Callable[[], bool]
"""True once the batch is to stop (Ctrl-C or SIGTERM received)."""

CONNECT_TIMEOUT_S = 10
"""Seconds to reach a dask://HOST:PORT scheduler and hear its greeting."""


def _distributed() -> Any:
    """The `distributed` module (typed loosely: it is an optional extra)."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise ExecutorError(
            "the Dask executors need the 'distributed' package: pip install 'tabletop[cluster]'"
        ) from None


def _client(address: str | None, jobs: int, stop: Stop) -> tuple[Any, Any]:
    """A client and, for dask-local, its cluster; (None, None) if stop() became true first."""
    dd = _distributed()
    if address is None:
        return _local_cluster(dd, jobs)
    return _connect(dd, _target(address), stop), None


def _local_cluster(dd: Any, jobs: int) -> tuple[Any, Any]:
    """A Dask cluster of this machine that answers this batch only.

    A Dask scheduler or worker runs any function a client sends it, and on plain TCP any
    process of any user of the machine may be that client. So every connection is TLS with
    a certificate made for this batch (kept in memory, gone when it ends), and the HTTP
    servers Dask starts anyway (the dashboard is off) serve no page: no one else can run code
    in the workers or read what they compute.
    """
    import dask

    try:
        security = dd.Security.temporary()
    except ImportError:
        raise ExecutorError(
            "--executor dask-local needs the 'cryptography' package: "
            "pip install 'tabletop[cluster]'"
        ) from None
    warnings.filterwarnings(  # Dask moves its HTTP server off a busy port 8787 and says so
        "ignore", message="Port .* is already in use", category=UserWarning
    )
    no_pages: dict[str, list[str]] = {
        "distributed.scheduler.http.routes": [],
        "distributed.worker.http.routes": [],
    }
    with dask.config.set(no_pages):
        cluster = dd.LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            security=security,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,  # the batch says in one line why it stopped
            preload=["sim.batch.daskworker"],  # Ctrl-C is this process's to handle
        )
    return dd.Client(cluster, security=security), cluster


def _target(address: str) -> str:
    return "tcp://" + address[len("dask://") :]


def _reachable(target: str) -> None:
    """Raise ExecutorError at once if nothing listens at target (tcp://HOST:PORT): Dask's
    connect retries a refused connection until its timeout (10 s, by design: a scheduler may
    be starting, dask/distributed#3487), so a mistyped port or a stopped scheduler would wait
    for nothing. One plain TCP connection, closed at once, answers first (the scheduler may
    log that it closed before its handshake); a silent host is left to the timeout."""
    import socket

    host, port = target[len("tcp://") :].rsplit(":", 1)
    try:
        probe = socket.create_connection((host.strip("[]"), int(port)), CONNECT_TIMEOUT_S)
    except TimeoutError:
        return  # said by the wait for the client, as for a server that never greets
    except socket.gaierror as exc:
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {target}: unknown host ({exc.strerror})"
        ) from None
    except ConnectionRefusedError:
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {target}: connection refused "
            "(is a Dask scheduler running there, on that port?)"
        ) from None
    except OSError as exc:  # no route to the host, the network down, ...
        reason = exc.strerror or type(exc).__name__
        raise ExecutorError(f"cannot reach the Dask scheduler at {target}: {reason}") from None
    probe.close()


def _connect(dd: Any, target: str, stop: Stop = lambda: False) -> Any:
    """A client of the scheduler at target, or ExecutorError within the timeout: Dask bounds
    the TCP connection but not its handshake, so a server that accepts and never answers
    would hold the batch for ever; the client is made on a thread that is waited for, a
    HEARTBEAT at a time so that Ctrl-C or SIGTERM stops the wait (then None is returned, and
    a client made after all is closed)."""
    made: list[Any] = []
    failed: list[BaseException] = []
    abandoned = threading.Event()

    def connect() -> None:
        try:
            _reachable(target)
            client = dd.Client(target, timeout=CONNECT_TIMEOUT_S)
        except BaseException as exc:  # handed to the waiting thread
            failed.append(exc)
            return
        made.append(client)
        if abandoned.is_set():
            client.close()

    thread = threading.Thread(target=connect, name="tabletop-dask-connect", daemon=True)
    thread.start()
    deadline = time.monotonic() + CONNECT_TIMEOUT_S * 1.5
    while thread.is_alive() and time.monotonic() < deadline and not stop():
        thread.join(HEARTBEAT)
    if thread.is_alive() and stop():
        abandoned.set()
        return None
    if thread.is_alive():
        raise ExecutorError(
            f"no answer from the Dask scheduler at {target} within {CONNECT_TIMEOUT_S} s: "
            "is a Dask scheduler listening there?"
        )
    if made:
        return made[0]
    exc = failed[0]
    if isinstance(exc, ExecutorError):
        raise exc
    if isinstance(exc, (OSError, TimeoutError)):
        raise ExecutorError(f"cannot reach the Dask scheduler at {target}: {exc}") from None
    raise ExecutorError(  # a web server or another service: its reply read as a Dask message
        # can be anything, such as a MemoryError for a length of exabytes
        f"{target} does not answer as a Dask scheduler: is it another service?"
    ) from None


def dask_chunks(
    recipe: Recipe,
    ranges: Sequence[tuple[int, int]],
    jobs: int,
    address: str | None,
    stop: Stop = lambda: False,
) -> Generator[tuple[int, list[RunSummary]], None, None]:
    """Yield (first index, summaries) for each chunk as the cluster finishes it, until every
    chunk is done or stop() is true (looked at every HEARTBEAT seconds, even while workers
    finish nothing: all gone, or stuck)."""
    client, cluster = _client(address, jobs, stop)
    if client is None:
        return
    running: dict[Any, int] = {}
    try:
        if address is not None and not _some_worker(client, _target(address), stop):
            return
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        shared = client.scatter(recipe, broadcast=True)
        todo = iter(ranges)
        for s, e in _take(todo, workers * WINDOW_PER_JOB):
            running[client.submit(run_chunk, shared, s, e, pure=False)] = s
        wait = _distributed().wait
        while running and not stop():
            try:
                finished, _ = wait(list(running), timeout=HEARTBEAT, return_when="FIRST_COMPLETED")
            except TimeoutError:
                continue  # nothing finished: look at stop() again
            for fut in finished:
                first = running.pop(fut)
                summaries: list[RunSummary] = fut.result()
                yield first, summaries
                for s, e in _take(todo, 1):
                    running[client.submit(run_chunk, shared, s, e, pure=False)] = s
    finally:
        for fut in running:
            fut.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def _some_worker(client: Any, target: str, stop: Stop) -> bool:
    """Wait for the scheduler to have a worker (True), or stop() (False), or ExecutorError
    within the timeout: with none the chunks would wait for ever (Dask gives up on scattering
    the recipe, in its words)."""
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while not stop():
        try:
            client.wait_for_workers(1, timeout=HEARTBEAT)
        except TimeoutError:
            if time.monotonic() < deadline:
                continue
            raise ExecutorError(
                f"the Dask scheduler at {target} has no workers (none joined within "
                f"{CONNECT_TIMEOUT_S} s): start some with `dask worker {target}`"
            ) from None
        return True
    return False


def _take(it: Iterator[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        item = next(it, None)
        if item is None:
            break
        out.append(item)
    return out
