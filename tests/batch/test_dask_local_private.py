"""`--executor dask-local` answers only the batch that started it.

A Dask cluster runs whatever function a client sends it. The cluster of a dask-local batch
listened on plain TCP on 127.0.0.1, so any process of any user of the machine (a shared login
node) could connect and run code in the batch's workers, as the batch's user, and read what
it computes from its HTTP pages. Its connections now need the batch's own temporary TLS
certificate, and its HTTP server serves no page.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def batch_cluster() -> Iterator[tuple[Any, Any]]:
    from sim.batch.cluster import _client

    client, cluster = _client(None, 1, lambda: False)
    try:
        yield client, cluster
    finally:
        client.close()
        cluster.close()


def _stranger(address: str) -> Any:
    """A client as another local user would make one: the address, nothing else."""
    import distributed

    return distributed.Client(address, timeout=5)


def test_the_batch_itself_can_use_its_cluster(batch_cluster: tuple[Any, Any]) -> None:
    client, _ = batch_cluster
    assert client.submit(sum, [1, 2, 3]).result(timeout=30) == 6


def test_another_process_cannot_run_code_in_its_workers(batch_cluster: tuple[Any, Any]) -> None:
    _, cluster = batch_cluster
    address = cluster.scheduler_address
    host, port = address.split("://", 1)[1].rsplit(":", 1)
    assert host == "127.0.0.1"
    for scheme in ("tcp", "tls"):
        try:
            stranger = _stranger(f"{scheme}://{host}:{port}")
        except Exception:  # refused: what must happen
            continue
        stranger.close()
        pytest.fail(f"a client with no certificate was let in over {scheme}")


def test_its_http_server_shows_nothing(batch_cluster: tuple[Any, Any]) -> None:
    _, cluster = batch_cluster
    port = cluster.scheduler.http_server.port
    for page in ("/info/main/workers.html", "/json/counts.json", "/metrics", "/health"):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=5) as reply:
                shown = reply.status
        except urllib.error.HTTPError as exc:
            shown = exc.code
        assert shown == 404, page
