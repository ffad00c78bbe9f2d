"""The rules behind `tabletop serve`'s refusals, one at a time (no server needed)."""

from __future__ import annotations

import ipaddress
import socket

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
        # Digits Python's isdigit() takes but int() does not: a 500 answer, not a refusal.
        ("localhost:\u00b2", None),
        ("localhost:80\u2079", None),
        # Digits int() reads: not what a browser writes, refused all the same.
        ("localhost:\uff18\uff10", None),
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
    # A page's ?width= or a resize message: digits int() cannot read ended the session.
    assert clamp_size("\u00b2", "1\u2079") == (80, 24)
    assert clamp_size("\uff19\uff10", "\u0661\u0662") == (80, 24)


def test_odd_digits_in_a_host_or_origin_are_refused_not_an_error() -> None:
    assert not host_ok("localhost:\u00b2", 8000, remote_names=None)
    assert not origin_ok("http://localhost:\u00b2", "localhost:8000")


# --- IPv4-mapped IPv6 addresses (::ffff:a.b.c.d): judged by their IPv4 form ---------------------

MAPPED_LOOPBACK = [
    "::ffff:127.0.0.1",
    "[::ffff:127.0.0.1]",
    "::ffff:7f00:1",
    "::FFFF:7F00:1",
    "0:0:0:0:0:ffff:127.0.0.1",
    "::ffff:127.9.9.9",
]


@pytest.mark.parametrize("host", MAPPED_LOOPBACK)
def test_a_mapped_loopback_bind_is_this_machine_and_listens_on_its_ipv4_form(host: str) -> None:
    bind = resolve_bind(host, allow_remote=False)
    assert bind.loopback
    assert bind.family == socket.AF_INET
    assert ipaddress.ip_address(bind.address).is_loopback and "." in bind.address


MAPPED_REMOTE = [
    "::ffff:10.0.0.1",
    "::ffff:8.8.8.8",
    "[::ffff:192.168.1.1]",
    "::ffff:0.0.0.0",  # every IPv4 address of this machine
    "::ffff:7f00:1:1",  # looks mapped, is not (five zero groups, not six)
    "::127.0.0.1",  # IPv4-compatible (obsolete), not mapped
    "64:ff9b::127.0.0.1",  # NAT64: a gateway's address, not ours
    "2002:7f00:1::",  # 6to4: likewise
]


@pytest.mark.parametrize("host", MAPPED_REMOTE)
def test_a_mapped_address_of_another_machine_still_needs_allow_remote(host: str) -> None:
    with pytest.raises(BindError, match="--allow-remote"):
        resolve_bind(host, allow_remote=False)
    assert not resolve_bind(host, allow_remote=True).loopback


MALFORMED_BINDS = [
    "::ffff:127.0.0.1.1",
    "[::ffff:127.0.0.1",
    "::ffff:127.0.0.1]",
    "[[::ffff:127.0.0.1]]",
    "::ffff:127.1",
    "::ffff:0127.0.0.1",
    "::ffff:127.0.0.256",
    "::ffff:127.0.0.1%eth0",
    "[::ffff:127.0.0.1%eth0]",
    "::ffff:127.0.0.1%25eth0",
    "::ffff:7f00:1%lo",
    "::ffff:10.0.0.1%eth0",
    "::ffff:127.0.0.1\x00",
    "::ffff:127.0.0.1\x1b[31m",
    "::ffff:127.0.0.1%\x1b]0;owned\x07",
    "::ffff:" + "0" * 300 + "127.0.0.1",
    "::ffff:127.0.0.1" + "a" * 300,
]


@pytest.mark.parametrize("host", MALFORMED_BINDS)
@pytest.mark.parametrize("allow_remote", [False, True])
def test_malformed_mapped_binds_are_refused_in_one_printable_line(
    host: str, allow_remote: bool
) -> None:
    with pytest.raises(BindError) as refused:
        resolve_bind(host, allow_remote=allow_remote)
    message = str(refused.value)
    assert message.isprintable() and "\n" not in message


@pytest.mark.parametrize(
    "header",
    [
        "[::ffff:127.0.0.1]:8000",
        "[::ffff:7f00:1]:8000",  # as browsers write it
        "[::FFFF:7F00:1]:8000",
        "[0:0:0:0:0:ffff:127.0.0.1]:8000",
    ],
)
def test_a_mapped_loopback_host_header_is_this_machine(header: str) -> None:
    assert host_ok(header, 8000, remote_names=None)


@pytest.mark.parametrize(
    "header",
    [
        "[::ffff:10.0.0.1]:8000",
        "[::ffff:8.8.8.8]:8000",
        "[::ffff:a00:1]:8000",
        "[::ffff:0.0.0.0]:8000",
        "[::ffff:7f00:1:1]:8000",
        "[::127.0.0.1]:8000",
        "[64:ff9b::7f00:1]:8000",
        "[::ffff:127.0.0.1]:8001",
        "[::ffff:127.0.0.1.1]:8000",
        "[::ffff:127.0.0.1:8000",
        "::ffff:127.0.0.1:8000",
        "::ffff:127.0.0.1",
        "[::ffff:127.0.0.1]]:8000",
        "[[::ffff:127.0.0.1]]:8000",
        "[::ffff:127.0.0.1]8000",
        "[::ffff:127.0.0.1%eth0]:8000",
        "[::ffff:127.0.0.1%25eth0]:8000",
        "[::ffff:127.0.0.1\x00]:8000",
        "[::ffff:127.0.0.1]\x1b[31m:8000",
        "[::ffff:127.0.0.1\r\nX-Evil: 1]:8000",
        "[::ffff:" + "0" * 300 + "127.0.0.1]:8000",
    ],
)
def test_other_or_malformed_mapped_host_headers_are_refused(header: str) -> None:
    assert not host_ok(header, 8000, remote_names=None)


# --- zones (scope ids, %...): a link with one cannot be opened, so no address with one is served --

ZONED_BINDS = [
    "::1%lo",
    "[::1%lo]",
    "::1%1",
    "::1%25lo",
    "fe80::1%eth0",
    "[fe80::1%eth0]",
    "fe80::1%lo",
    "2001:db8::1%eth0",
    "::%lo",
    "::1%eth0.5",
]


@pytest.mark.parametrize("host", ZONED_BINDS)
@pytest.mark.parametrize("allow_remote", [False, True])
def test_an_address_with_a_zone_is_refused_with_or_without_allow_remote(
    host: str, allow_remote: bool
) -> None:
    with pytest.raises(BindError, match="zone") as refused:
        resolve_bind(host, allow_remote=allow_remote)
    message = str(refused.value)
    assert message.isprintable() and "\n" not in message


def test_a_name_that_resolves_to_an_address_with_a_zone_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def link_local(*_: object, **__: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("fe80::1%eth0", 0, 0, 2))]

    monkeypatch.setattr(socket, "getaddrinfo", link_local)
    with pytest.raises(BindError, match="zone"):
        resolve_bind("printer.local", allow_remote=True)


@pytest.mark.parametrize(
    ("host", "outcome"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("[]", "empty"),
        ("\x00", "not a host name"),
        ("local\x00host", "not a host name"),
        ("::1%\x1b[31m", "not a host name"),
        ("local host", "cannot resolve"),
        ("a" * 254, "not a host name"),
        ("a" * 64 + ".example", "cannot resolve"),
        ("127.0.0.1:8000", "cannot resolve"),
        ("0.0.0.0", "--allow-remote"),
        ("::", "--allow-remote"),
        ("::1%", "cannot resolve"),
    ],
)
def test_odd_hosts_are_usage_errors(host: str, outcome: str) -> None:
    with pytest.raises(BindError, match=outcome):
        resolve_bind(host, allow_remote=False)


@pytest.mark.parametrize("host", [" localhost ", "LOCALHOST", "[::1]", "127.0.0.1"])
def test_loopback_spellings_listen_on_a_plain_loopback_address(host: str) -> None:
    bind = resolve_bind(host, allow_remote=False)
    assert bind.loopback and "%" not in bind.address


@pytest.mark.parametrize(
    "host",
    ["224.0.0.1", "239.255.255.250", "255.255.255.255", "ff02::1", "[ff05::2]", "::ffff:224.0.0.1"],
)
@pytest.mark.parametrize("allow_remote", [False, True])
def test_a_multicast_or_broadcast_host_is_refused(host: str, allow_remote: bool) -> None:
    """No browser can connect to one (before, --allow-remote served on 224.0.0.1: to nobody)."""
    with pytest.raises(BindError, match="multicast or broadcast"):
        resolve_bind(host, allow_remote=allow_remote)


@pytest.mark.parametrize("host", ["fe80::1", "[fe80::fc:ff:fe00:1]", "febf::1"])
@pytest.mark.parametrize("allow_remote", [False, True])
def test_an_ipv6_link_local_host_is_refused(host: str, allow_remote: bool) -> None:
    """It needs a zone to listen on (before: 'Invalid argument', exit 1), and no zone is served."""
    with pytest.raises(BindError, match="link-local"):
        resolve_bind(host, allow_remote=allow_remote)


@pytest.mark.parametrize("host", ["169.254.1.1", "10.0.0.1", "2001:db8::1"])
def test_other_remote_hosts_are_still_allowed_with_allow_remote(host: str) -> None:
    assert not resolve_bind(host, allow_remote=True).loopback
