"""Who `tabletop serve` answers: the token, the Host and Origin checks, the bind address, sizes.

Pure functions with no web framework in them, so each rule can be tested on its own. The
server (tui/serve.py) applies them to every request before it does anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used, to keep `tabletop --help` fast (tui.cli imports us)
    import ipaddress
    import socket

MIN_WIDTH, MAX_WIDTH = 20, 500
MIN_HEIGHT, MAX_HEIGHT = 10, 200
DEFAULT_WIDTH, DEFAULT_HEIGHT = 80, 24
DEFAULT_MAX_SESSIONS = 4
"""Consoles one server runs at once (each is a process); `--max-sessions` changes it."""
MAX_SESSIONS_LIMIT = 64
DEFAULT_MAX_VIEWERS = 8
"""Projector pages one server runs at once, apart from the consoles; `--max-viewers` changes it."""


class BindError(Exception):
    """The address cannot be used as asked (a usage error: exit 2)."""


@dataclass(frozen=True)
class Bind:
    """Where to listen: an address family and a literal IP address."""

    family: socket.AddressFamily
    address: str
    loopback: bool


def new_token() -> str:
    """A fresh secret for one server start (256 bits, URL-safe)."""
    import secrets

    return secrets.token_urlsafe(32)


def token_ok(given: str | None, expected: str) -> bool:
    """True if the request carries the server's token (compared in constant time)."""
    import hmac

    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    import ipaddress

    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


MAX_HOST_NAME = 253
"""Longest --host accepted (the longest DNS name); longer is refused before any look-up."""


def _unmapped(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An IPv4-mapped IPv6 address (``::ffff:a.b.c.d``) as the IPv4 address it stands for.

    Only the mapped form (``::ffff:0:0/96``) is the same machine as its IPv4 address; the
    look-alikes (IPv4-compatible ``::a.b.c.d``, NAT64 ``64:ff9b::``, 6to4 ``2002::``) name a
    gateway or nothing, and stay as they are.
    """
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


_ZONED = (
    "an address with a zone (%...) cannot be served: a browser cannot open a link to it; "
    "name the address without its zone"
)


def _shown(text: str) -> str:
    """text quoted for a one-line message: control characters escaped, at most 60 shown."""
    return repr(text if len(text) <= 60 else text[:60] + "...")


def resolve_bind(host: str, *, allow_remote: bool) -> Bind:
    """The address to listen on for --host; a non-loopback one needs allow_remote.

    An IPv4-mapped address (``::ffff:127.0.0.1``) is listened on in its IPv4 form, and is
    loopback exactly when that form is.
    """
    import socket

    name = host.strip()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if not name:
        raise BindError("--host is empty")
    if len(name) > MAX_HOST_NAME or not name.isprintable() or "[" in name or "]" in name:
        raise BindError(f"--host {_shown(name)} is not a host name or IP address")
    if name.lower() == "localhost":
        return Bind(socket.AF_INET, "127.0.0.1", True)
    ip = _ip(name)
    if ip is None:
        try:
            infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError, ValueError):
            raise BindError(f"cannot resolve --host {_shown(name)}") from None
        if not infos:
            raise BindError(f"cannot resolve --host {_shown(name)}")
        address = infos[0][4]
        found = str(address[0])
        ip = _ip(found)
        if ip is None:
            raise BindError(f"cannot resolve --host {_shown(name)}")
        if ip.version == 6 and (ip.scope_id is not None or (len(address) > 3 and address[3])):
            raise BindError(f"--host {_shown(name)} is {_shown(found)}: {_ZONED}")
    elif ip.version == 6 and ip.scope_id is not None:
        raise BindError(f"--host {_shown(name)}: {_ZONED}")
    ip = _unmapped(ip)
    if ip.is_multicast or (ip.version == 4 and ip.packed == b"\xff\xff\xff\xff"):
        raise BindError(
            f"--host {_shown(name)} is a multicast or broadcast address: no browser can "
            "connect to it; name an address of this machine"
        )
    if ip.version == 6 and ip.is_link_local:
        raise BindError(
            f"--host {_shown(name)} is an IPv6 link-local address, which works only with a zone "
            "(%...), and a browser cannot open a link to one; name another address of this machine"
        )
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    if ip.is_loopback:
        return Bind(family, str(ip), True)
    if not allow_remote:
        raise BindError(
            f"--host {name} is reachable from other machines; serve only listens on this "
            "machine unless you add --allow-remote"
        )
    return Bind(family, str(ip), False)


def _ascii_digits(text: str) -> bool:
    """Only 0-9: str.isdigit() also takes '²' (which int() refuses) and other scripts' digits."""
    return text.isascii() and text.isdigit()


def split_host(value: str) -> tuple[str, int | None] | None:
    """A Host header (or an origin's host part) as (lower-case name, port); None if malformed."""
    value = value.strip().lower()
    if not value or len(value) > 255:
        return None
    port_text: str | None = None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1 :]
        if _ip(name) is None:
            return None
        if rest:
            if not rest.startswith(":"):
                return None
            port_text = rest[1:]
    elif value.count(":") == 1:
        name, port_text = value.split(":")
    elif ":" in value:
        return None
    else:
        name = value
    if not name or any(not (c.isascii() and (c.isalnum() or c in ".-_:")) for c in name):
        return None
    if port_text is None:
        return name, None
    if not _ascii_digits(port_text) or len(port_text) > 5 or not 0 < int(port_text) < 65536:
        return None
    return name, int(port_text)


def _is_loopback_name(name: str) -> bool:
    if name == "localhost":
        return True
    ip = _ip(name)
    return ip is not None and _unmapped(ip).is_loopback


def host_ok(header: str | None, port: int, *, remote_names: frozenset[str] | None) -> bool:
    """True for a Host header that names this server (the defence against DNS rebinding).

    Loopback names are always accepted, an IPv4-mapped one (``[::ffff:7f00:1]``, as a browser
    writes ``[::ffff:127.0.0.1]``) included. With remote access on (remote_names not None), so are
    IP literals and the given machine names: a DNS-rebinding page reaches us under a name of
    its own, never under an IP address or ours.
    """
    if header is None:
        return False
    parts = split_host(header)
    if parts is None:
        return False
    name, given_port = parts
    if (given_port if given_port is not None else 80) != port:
        return False
    if _is_loopback_name(name):
        return True
    if remote_names is None:
        return False
    return _ip(name) is not None or name in remote_names


def origin_ok(origin: str | None, host_header: str | None) -> bool:
    """True unless a browser says the request comes from a page of another origin.

    A request without Origin (curl, a script) is judged by its token alone; "null" (a sandboxed
    frame, a local file) and any origin other than this page's own are refused.
    """
    if origin is None:
        return True
    if host_header is None or not origin.lower().startswith("http://"):
        return False
    mine = split_host(host_header)
    theirs = split_host(origin[len("http://") :])
    if mine is None or theirs is None:
        return False
    return (mine[0], mine[1] or 80) == (theirs[0], theirs[1] or 80)


def remote_names(bind_host: str) -> frozenset[str]:
    """Names this machine answers to, accepted in Host headers when remote access is on."""
    import socket

    names = {bind_host.strip("[]").lower()}
    try:
        names.add(socket.gethostname().lower())
        names.add(socket.getfqdn().lower())
    except OSError:
        pass
    return frozenset(n for n in names if n)


def parse_int(value: object, default: int) -> int:
    """A size from a client: an int, or a short string of digits; anything else is default."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and 0 < len(value) <= 6 and _ascii_digits(value):
        return int(value)
    return default


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """Terminal width and height from a client, clamped to 20..500 x 10..200 cells."""
    w = parse_int(width, DEFAULT_WIDTH)
    h = parse_int(height, DEFAULT_HEIGHT)
    return max(MIN_WIDTH, min(MAX_WIDTH, w)), max(MIN_HEIGHT, min(MAX_HEIGHT, h))
