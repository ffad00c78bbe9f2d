"""`tabletop serve` answers its facilitator and nobody else.

Each test starts a real server on a free loopback port and talks to it with a real HTTP and
websocket client (aiohttp). A stand-in console (serve_stub_console.py) records every start, so
the refusal tests can prove that no console process was started.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from tui.serve import (
    SESSIONS,
    STATIC_FILES,
    ServeConfig,
    build_app,
    console_command,
    open_socket,
    start_site,
)
from tui.serve_guard import Bind, new_token

STUB = Path(__file__).with_name("serve_stub_console.py")
LIMIT = 20.0


@dataclass
class Running:
    port: int
    token: str
    app: web.Application
    record: Path
    echoed: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def page(self) -> str:
        return f"{self.base}/?token={self.token}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/{self.token}"

    def entries(self) -> list[dict[str, object]]:
        if not self.record.exists():
            return []
        # the stub may be mid-way through writing its last line: only whole lines are entries
        lines = self.record.read_text(encoding="utf-8").split("\n")[:-1]
        return [json.loads(line) for line in lines]

    def starts(self) -> list[dict[str, object]]:
        return [e for e in self.entries() if "started" in e]


Start = Callable[..., Awaitable[Running]]


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[Start]:
    runners: list[web.AppRunner] = []

    async def start(
        mode: str = "echo", *, command: list[str] | None = None, max_sessions: int = 4
    ) -> Running:
        record = tmp_path / f"record-{len(runners)}.jsonl"
        sock = open_socket(Bind(socket.AF_INET, "127.0.0.1", True), 0)
        port = sock.getsockname()[1]
        running = Running(port, new_token(), web.Application(), record)
        config = ServeConfig(
            command=command or [sys.executable, str(STUB), mode, str(record)],
            token=running.token,
            port=port,
            max_sessions=max_sessions,
            echo=running.echoed.append,
        )
        running.app = build_app(config)
        runners.append(await start_site(running.app, sock))
        return running

    yield start
    for runner in runners:
        await runner.cleanup()


async def poll(check: Callable[[], object], what: str) -> object:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        if result := check():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def alive(pid: int) -> bool:
    """True while pid runs (a zombie waiting for its parent counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def status_of(url: str, **headers: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as r:
        return r.status


async def ws_refusal(url: str, **kwargs: object) -> int:
    """The HTTP status with which the server refuses a websocket (fails if it accepts)."""
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with http.ws_connect(url, **kwargs):  # type: ignore[arg-type]
                pass
    return refused.value.status


# --- refusals -----------------------------------------------------------------------------------


async def test_page_needs_the_token(serve: Start) -> None:
    s = await serve()
    for url in (
        f"{s.base}/",
        f"{s.base}/?token=",
        f"{s.base}/?token=wrong",
        f"{s.base}/?token={s.token[:-1]}",
        f"{s.base}/?token={s.token}x",
        f"{s.base}/?tok={s.token}",
    ):
        async with aiohttp.ClientSession() as http, http.get(url) as r:
            assert r.status == 403, url
            assert s.token not in await r.text()
    assert await status_of(s.page) == 200
    assert s.starts() == []


async def test_websocket_needs_the_token_and_starts_nothing_without_it(serve: Start) -> None:
    s = await serve()
    for token in ("wrong", s.token[:-1], s.token + "x", s.token.upper(), "%00"):
        assert await ws_refusal(f"ws://127.0.0.1:{s.port}/ws/{token}") == 403
    for path in ("/ws", "/ws/", f"/ws/{s.token}/extra", f"/?token={s.token}"):
        assert await ws_refusal(f"ws://127.0.0.1:{s.port}{path}") in (403, 404, 200), path
    await asyncio.sleep(0.3)  # a console, had one been started, would have recorded itself
    assert s.starts() == []
    assert not any("session" in line for line in s.echoed)


async def test_statics_need_the_token(serve: Start) -> None:
    s = await serve()
    assert await status_of(f"{s.base}/static/wrong/js/textual.js") == 403
    assert await status_of(f"{s.base}/static/js/textual.js") == 403
    assert await status_of(f"{s.base}/static/{s.token}/js/textual.js") == 200


FOREIGN_ORIGINS = [
    "http://evil.example",
    "null",
    "http://127.0.0.1",  # another port on this machine is another origin
    "http://localhost:1",
    "https://127.0.0.1:{port}",
    "http://127.0.0.1:{port}.evil.example",
    "http://user@127.0.0.1:{port}",
    "file://",
]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
async def test_a_page_from_another_origin_is_refused(serve: Start, origin: str) -> None:
    s = await serve()
    origin = origin.format(port=s.port)
    assert await ws_refusal(s.ws, origin=origin) == 403
    assert await status_of(s.page, Origin=origin) == 403
    await asyncio.sleep(0.3)
    assert s.starts() == []


BAD_HOSTS = [
    "evil.example:{port}",  # DNS rebinding: an attacker's name pointing at 127.0.0.1
    "localhost.evil.example:{port}",
    "sub.localhost:{port}",
    "127.0.0.1:{other}",
    "127.0.0.1",
    "192.168.1.10:{port}",
    "127.0.0.1:{port}:{port}",
    "[::1:{port}",
    "",
]


@pytest.mark.parametrize("host", BAD_HOSTS)
async def test_an_unexpected_host_header_is_refused(serve: Start, host: str) -> None:
    s = await serve()
    host = host.format(port=s.port, other=s.port + 1 if s.port < 65535 else 1)
    assert await status_of(s.page, Host=host) == 403
    assert await ws_refusal(s.ws, headers={"Host": host}) == 403
    await asyncio.sleep(0.3)
    assert s.starts() == []


async def test_a_request_without_host_header_is_refused(serve: Start) -> None:
    s = await serve()
    reader, writer = await asyncio.open_connection("127.0.0.1", s.port)
    writer.write(f"GET /?token={s.token} HTTP/1.0\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    assert status_line.split()[1] in (b"400", b"403")


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "127.1.2.3:{port}"])
async def test_loopback_host_names_are_accepted(serve: Start, host: str) -> None:
    s = await serve()
    assert await status_of(s.page, Host=host.format(port=s.port)) == 200


async def test_no_directory_listing_and_only_the_pages_own_files(serve: Start) -> None:
    s = await serve()
    static = f"{s.base}/static/{s.token}"
    for path in (
        "/",
        "/js/",
        "/js",
        "/fonts/",
        "/../server.py",
        "/%2e%2e/server.py",
        "/js/..%2f..%2fserver.py",
        "/../templates/app_index.html",
        "/.",
    ):
        assert await status_of(static + path) in (403, 404), path
    for path in ("/static/", "/download/abc", "/templates/app_index.html", "/favicon.ico"):
        assert await status_of(s.base + path) == 404, path
    for name in STATIC_FILES:
        assert await status_of(f"{static}/{name}") == 200, name


async def test_sessions_are_capped(serve: Start) -> None:
    s = await serve(max_sessions=2)
    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(s.ws)
        second = await http.ws_connect(s.ws)
        await poll(lambda: len(s.starts()) == 2, "two consoles")
        assert await ws_refusal(s.ws) == 503
        await asyncio.sleep(0.3)
        assert len(s.starts()) == 2
        await first.close()
        await poll(lambda: len(s.app[SESSIONS]) == 1, "the first session to end")
        third = await http.ws_connect(s.ws)
        await poll(lambda: len(s.starts()) == 3, "a console for the third session")
        await second.close()
        await third.close()


async def test_terminal_size_is_clamped(serve: Start) -> None:
    s = await serve()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws + "?width=8000&height=8000")
        started = await poll(lambda: s.starts(), "the console")
        assert started[0]["columns"] == "500"  # type: ignore[index]
        assert started[0]["rows"] == "200"  # type: ignore[index]
        sizes = [
            ({"width": 8000, "height": 8000}, (500, 200)),
            ({"width": -5, "height": 0}, (20, 10)),
            ({"width": 1e300, "height": "40"}, (80, 40)),
            ({"width": True, "height": None}, (80, 24)),
            ({"width": "99999999999999999999", "height": [1]}, (80, 24)),
            ({}, (80, 24)),
            ({"width": 120, "height": 40}, (120, 40)),
        ]
        for size, _ in sizes:
            await ws.send_json(["resize", size])
        resizes = await poll(
            lambda: (
                r
                if len(
                    r := [
                        e["meta"]
                        for e in s.entries()
                        if "meta" in e and e["meta"]["type"] == "resize"  # type: ignore[index]
                    ]
                )
                == len(sizes)
                else None
            ),
            "every resize to reach the console",
        )
        got = [(m["width"], m["height"]) for m in resizes]  # type: ignore[index]
        assert got == [want for _, want in sizes]
        await ws.close()


async def test_hostile_messages_are_ignored_and_keys_still_arrive(serve: Start) -> None:
    s = await serve()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws)
        for junk in (
            "not json",
            "{}",
            "[]",
            "[1, 2]",
            '["stdin", 5]',
            '["stdin"]',
            '["resize", "big"]',
            '["ping", "' + "p" * 1000 + '"]',
            '["open_url", {"url": "http://evil.example"}]',
            "[" * 20000 + "]" * 20000,
        ):
            await ws.send_str(junk)
        await ws.send_bytes(b"\x00binary")
        await ws.send_json(["stdin", "k"])
        echoed = await ws.receive(timeout=LIMIT)
        assert echoed.type == aiohttp.WSMsgType.BINARY
        assert echoed.data == b"echo:k"
        await ws.send_json(["ping", "p1"])
        assert (await ws.receive_json(timeout=LIMIT)) == ["pong", "p1"]
        await ws.close()
    data = [e["data"] for e in s.entries() if "data" in e]
    assert data == ["k"]


async def test_an_oversized_message_ends_the_session_and_its_console(serve: Start) -> None:
    s = await serve()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws)
        started = await poll(lambda: s.starts(), "the console")
        pid = int(started[0]["started"])  # type: ignore[index]
        await ws.send_json(["stdin", "x" * 200_000])
        closed = await ws.receive(timeout=LIMIT)
        assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        await poll(lambda: not alive(pid), "the console to end")
    assert [e for e in s.entries() if "data" in e] == []


# --- the child's whole process group ends with its client --------------------------------------


def _raw_websocket(port: int, path: str) -> socket.socket:
    """Open a websocket by hand and never read from it (so the server's writes back up)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def _wchan(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""


async def test_a_stubborn_console_and_its_helpers_end_when_the_client_leaves(
    serve: Start,
) -> None:
    s = await serve("stubborn")
    sock = await asyncio.to_thread(_raw_websocket, s.port, f"/ws/{s.token}")
    try:
        started = await poll(lambda: s.starts(), "the console")
        pid = int(started[0]["started"])  # type: ignore[index]
        assert started[0]["pgid"] == pid and started[0]["sid"] == pid  # its own session
        helper = int(
            await poll(  # type: ignore[arg-type]
                lambda: next((e["helper"] for e in s.entries() if "helper" in e), None),
                "the console's helper process",
            )
        )
        if Path(f"/proc/{pid}/wchan").exists() and _wchan(pid) not in ("", "0"):
            # Best effort: give the console time to fill its pipe and block in the write (how
            # soon depends on the server's buffers and the machine's load); whether or not it
            # got there, it must end below.
            deadline = time.monotonic() + LIMIT
            while _wchan(pid) != "pipe_write" and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        assert alive(pid) and alive(helper)
    finally:
        sock.close()
    await poll(lambda: not alive(pid), "the console to end")
    await poll(lambda: not alive(helper), "the console's helper to end")
    await poll(lambda: not s.app[SESSIONS], "the session to close")


async def test_stopping_the_server_ends_every_console(serve: Start, tmp_path: Path) -> None:
    s = await serve("stubborn")
    sock = await asyncio.to_thread(_raw_websocket, s.port, f"/ws/{s.token}")
    started = await poll(lambda: s.starts(), "the console")
    pid = int(started[0]["started"])  # type: ignore[index]
    helper = int(
        await poll(  # type: ignore[arg-type]
            lambda: next((e["helper"] for e in s.entries() if "helper" in e), None),
            "the helper",
        )
    )
    await s.app.shutdown()  # the app's shutdown hooks, as ctrl+c runs them
    sock.close()
    await poll(lambda: not alive(pid) and not alive(helper), "every console process to end")


# --- the real console ------------------------------------------------------------------------


async def test_the_real_console_runs_and_ends_with_its_client(
    serve: Start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quickstart = Path(__file__).resolve().parents[2] / "scenarios" / "quickstart.yaml"
    named = tmp_path / "named-exercise.yaml"
    named.write_text(quickstart.read_text(encoding="utf-8"), encoding="utf-8")
    other = tmp_path / "second-named.yaml"
    other.write_text(quickstart.read_text(encoding="utf-8"), encoding="utf-8")
    folder = tmp_path / "cwd"
    folder.mkdir()
    (folder / "stray-folder-file.yaml").write_text(quickstart.read_text(encoding="utf-8"))
    monkeypatch.chdir(folder)
    s = await serve(command=console_command([named, other]))
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws + "?width=400&height=40")
        sessions = s.app[SESSIONS]

        def child_pid() -> int | None:
            child = next(iter(sessions)).child if sessions else None
            return child.pid if child is not None else None

        pid = int(await poll(child_pid, "the console process"))  # type: ignore[arg-type]
        screen = b""
        # One overall bound: the server's heartbeat pings restart receive()'s own timeout.
        async with asyncio.timeout(60):
            while b"second-named.yaml" not in screen or b"named-exercise.yaml" not in screen:
                message = await ws.receive()
                assert message.type == aiohttp.WSMsgType.BINARY, message
                screen += message.data
        assert b"stray-folder-file" not in screen
        await ws.close()
    await poll(lambda: not alive(pid), "the console to end")


def test_served_console_never_lists_the_working_folder() -> None:
    command = console_command([])
    assert command[-1] == "--no-folder"
    one = console_command([Path("a.yaml")])
    assert one[-1] == str(Path("a.yaml").resolve()) and "--no-folder" not in one
    two = console_command([Path("a.yaml"), Path("b.yaml")])
    assert "--no-folder" in two and two[-2:] == [
        str(Path("a.yaml").resolve()),
        str(Path("b.yaml").resolve()),
    ]


# --- the page stays offline ------------------------------------------------------------------


async def test_the_page_references_nothing_outside_this_machine(serve: Start) -> None:
    s = await serve()
    async with aiohttp.ClientSession() as http, http.get(s.page) as r:
        html = await r.text()
        csp = r.headers["Content-Security-Policy"]
        assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "textual-terminal" in html
    assert "tabletop: facilitator console" in html
    assert "googleapis" not in html and "gstatic" not in html
    urls = re.findall(r"(?:https?|wss?)://[^\"' )]+", html)
    assert urls == [f"ws://127.0.0.1:{s.port}/ws/{s.token}"]
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r'url\("([^"]+)"\)', html):
        assert ref.startswith(f"/static/{s.token}/"), ref
        assert await status_of(s.base + ref) == 200, ref
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{s.base}/static/{s.token}/css/xterm.css") as r,
    ):
        css = await r.text()
    assert "url(" not in css and "@import" not in css
