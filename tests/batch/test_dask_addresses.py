"""`--executor dask://HOST:PORT` with a HOST that no network could reach is a usage error at
once (exit 2, naming the host), never a connection attempt that ends in a misleading "does not
answer as a Dask scheduler: is it another service?" (nothing was asked). A well-formed address
goes on to the scheduler as tcp://HOST:PORT, IPv6 in brackets included."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sim.batch import cluster
from sim.batch.runner import ExecutorError
from tui.cli import main


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "host",
    [
        "a:b:c",  # colons outside brackets
        "::::",
        "[::1",  # an unclosed bracket
        "::1]",
        "[]",
        "[zz::1]",  # not IPv6
        "[127.0.0.1]",  # brackets are for IPv6 only
        "...",  # empty labels
        "host..example",
        ".host",
        "-host",  # a label starts or ends with a letter or digit
        "host-",
        "x" * 64,  # a label is at most 63 characters
        ".".join(["a" * 63] * 5),  # a name at most 253
    ],
)
def test_a_malformed_host_is_a_usage_error_at_once(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(cluster, "_connect", lambda dd, target, *rest: asked.append(target))
    code, out, err = invoke(
        "batch", "quickstart", "--runs", "1", "--executor", f"dask://{host}:8786"
    )
    assert code == 2, err
    assert "Invalid value for '--executor'" in err and "host" in err
    assert out == "" and asked == []


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "127.0.0.1",
        "[::1]",
        "[2001:db8::17]",
        "Scheduler-01.cluster.example.org",
        "x" * 63,
        "10",
    ],
)
def test_a_well_formed_host_is_asked_as_given(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def connect(dd: object, target: str, *rest: object) -> object:
        asked.append(target)
        raise ExecutorError(f"cannot reach the Dask scheduler at {target}: (test)")

    monkeypatch.setattr(cluster, "_connect", connect)
    code, _, err = invoke("batch", "quickstart", "--runs", "1", "--executor", f"dask://{host}:8786")
    assert code == 1, err
    assert asked == [f"tcp://{host}:8786"]
    assert "cannot reach the Dask scheduler" in err
