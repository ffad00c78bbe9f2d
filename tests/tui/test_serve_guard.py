"""The rules behind `tabletop serve`'s refusals, one at a time (no server needed)."""

from __future__ import annotations

import pytest

from tui.serve_guard import (
    BindError,
    clamp_size,
    host_ok,
    new_token,
    origin_ok,
    resolve_bind,
    split_host,
    token_ok,
)


def test_tokens_are_fresh_and_compared_exactly() -> None:
    a, b = new_token(), new_token()
    assert a != b and len(a) >= 40
    assert token_ok(a, a)
    for wrong in (None, "", b, a[:-1], a + "=", a.upper(), "\udcff"):
        assert not token_ok(wrong, a)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.9.9.9", "::1", "[::1]"])
def test_loopback_binds_need_no_flag(host: str) -> None:
    assert resolve_bind(host, allow_remote=False).loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.1", "[2001:db8::1]"])
def test_other_binds_need_allow_remote(host: str) -> None:
    with pytest.raises(BindError, match="--allow-remote"):
        resolve_bind(host, allow_remote=False)
    assert not resolve_bind(host, allow_remote=True).loopback


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("LocalHost:8000", ("localhost", 8000)),
        ("[::1]:80", ("::1", 80)),
        ("127.0.0.1", ("127.0.0.1", None)),
        ("a:b", None),
        ("[::1", None),
        ("[nothost]:80", None),
        ("h:0", None),
        ("h:65536", None),
        ("h:+80", None),
        ("h o:80", None),
        ("h\x1b:80", None),
        ("", None),
        ("x" * 300, None),
    ],
)
def test_host_headers_are_parsed_strictly(value: str, parts: tuple[str, int | None] | None) -> None:
    assert split_host(value) == parts


def test_host_rules() -> None:
    assert host_ok("localhost:8000", 8000, remote_names=None)
    assert not host_ok("localhost:8001", 8000, remote_names=None)
    assert not host_ok("evil.example:8000", 8000, remote_names=None)
    assert not host_ok(None, 8000, remote_names=None)
    assert not host_ok("10.0.0.5:8000", 8000, remote_names=None)
    names = frozenset({"laptop"})
    assert host_ok("10.0.0.5:8000", 8000, remote_names=names)
    assert host_ok("laptop:8000", 8000, remote_names=names)
    assert not host_ok("evil.example:8000", 8000, remote_names=names)
    assert host_ok("localhost", 80, remote_names=None)


def test_origin_rules() -> None:
    assert origin_ok(None, "localhost:8000")
    assert origin_ok("http://localhost:8000", "localhost:8000")
    assert origin_ok("http://LOCALHOST:8000", "localhost:8000")
    for foreign in ("http://127.0.0.1:8000", "null", "https://localhost:8000", "http://localhost"):
        assert not origin_ok(foreign, "localhost:8000"), foreign


def test_sizes_are_clamped() -> None:
    assert clamp_size("8000", "8000") == (500, 200)
    assert clamp_size(0, -1) == (20, 10)
    assert clamp_size("abc", None) == (80, 24)
    assert clamp_size(True, 3.5) == (80, 24)
    assert clamp_size("9" * 50, "1" * 7) == (80, 24)
