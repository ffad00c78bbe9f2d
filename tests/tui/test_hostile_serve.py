"""Hostile audit of `tabletop serve`: what the other tests of the server do not try.

A real server on a free loopback port (test_serve.py's fixture), real HTTP and websocket
clients, and raw sockets for what no polite client sends. A stand-in console records every
start, so a refusal can prove that nothing started.
"""

# ruff: noqa: F811  (each test names the imported fixture `serve`)

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import string

import aiohttp
import pytest
from test_serve import (
    LIMIT,
    Start,
    _raw_websocket,
    alive,
    poll,
    serve,  # noqa: F401  (the fixture)
    status_of,
    ws_refusal,
)

import tui.serve
import tui.serve_child
from tui.serve import SESSIONS


async def raw_request(port: int, data: bytes) -> bytes:
    """Send bytes as they are; the server's whole answer (it closes or stops sending)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), LIMIT)
        return head
    finally:
        writer.close()


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def near_misses(token: str) -> list[str]:
    """Tokens a guesser might try: same length one character off, other case, cut, padded."""

    def other(c: str) -> str:
        return next(o for o in string.ascii_letters + string.digits if o != c)

    swapped = token.swapcase()
    return [
        token[:-1] + other(token[-1]),  # right length, wrong
        other(token[0]) + token[1:],  # (each replacement differs from what it replaces)
        swapped if swapped != token else token[:-1] + other(token[-1]),
        token[: len(token) // 2],
        token + token,
        " " + token,
        token + "\x00",
    ]


# --- the token ----------------------------------------------------------------------------------


async def test_near_miss_tokens_open_nothing(serve: Start) -> None:
    s = await serve()
    for wrong in near_misses(s.token):
        quoted = aiohttp.helpers.quote(wrong, safe="")  # type: ignore[attr-defined]
        assert await status_of(f"{s.base}/?token={quoted}") == 403, wrong
        assert await status_of(f"{s.base}/static/{quoted}/js/textual.js") == 403, wrong
        assert await ws_refusal(f"ws://127.0.0.1:{s.port}/ws/{quoted}") in (403, 404), wrong
    await asyncio.sleep(0.3)  # a console, had one started, would have recorded itself
    assert s.starts() == []


async def test_refusals_never_carry_the_token(serve: Start) -> None:
    """Not in a 403, 404 or 405 body: a page that gets a refusal learns nothing from it."""
    s = await serve()
    async with aiohttp.ClientSession() as http:
        for method, url, headers in (
            ("GET", f"{s.base}/?token=wrong", {}),
            ("GET", f"{s.base}/nothing-here", {}),
            ("POST", s.page, {}),
            ("POST", s.page, {"Origin": "http://evil.example"}),
            ("GET", s.page, {"Origin": "null"}),
            ("GET", s.page, {"Host": "evil.example"}),
            ("DELETE", f"{s.base}/static/{s.token}/js/textual.js", {}),
        ):
            async with http.request(method, url, headers=headers) as r:
                assert r.status in (403, 404, 405), (method, url, headers)
                assert s.token not in await r.text()
                assert s.token not in str(r.headers)


async def test_only_get_is_answered_and_posts_from_other_sites_are_refused(
    serve: Start,
) -> None:
    s = await serve()
    async with aiohttp.ClientSession() as http:
        for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
            async with http.request(method, s.page) as r:
                assert r.status == 405, method
            async with http.request(method, s.page, headers={"Origin": "http://evil.example"}) as r:
                assert r.status == 403, method
            async with http.request(method, s.ws.replace("ws://", "http://")) as r:
                assert r.status in (403, 405), method
    assert s.starts() == []


# --- Host headers a browser never sends ---------------------------------------------------------


async def test_two_host_headers_are_refused(serve: Start) -> None:
    s = await serve()
    good = f"127.0.0.1:{s.port}"
    for first, second in ((good, "evil.example"), ("evil.example", good), (good, good)):
        answer = await raw_request(
            s.port,
            f"GET /?token={s.token} HTTP/1.1\r\nHost: {first}\r\nHost: {second}\r\n\r\n".encode(),
        )
        assert status(answer) in (400, 403), (first, second, answer)
        assert s.token.encode() not in answer


async def test_a_mapped_loopback_host_header_is_served_and_a_mapped_other_host_is_not(
    serve: Start,
) -> None:
    """`[::ffff:7f00:1]` is 127.0.0.1 written as IPv6 (a browser's address bar sends this)."""
    s = await serve()
    for host, expected in (
        (f"[::ffff:127.0.0.1]:{s.port}", 200),
        (f"[::ffff:7f00:1]:{s.port}", 200),
        (f"[::ffff:10.0.0.1]:{s.port}", 403),
        (f"[::ffff:8.8.8.8]:{s.port}", 403),
        (f"[::ffff:127.0.0.1]:{s.port + 1 if s.port < 65535 else 1}", 403),
    ):
        origin = f"Origin: http://{host}\r\n" if expected == 200 else ""
        answer = await raw_request(
            s.port,
            f"GET /?token={s.token} HTTP/1.1\r\nHost: {host}\r\n{origin}\r\n".encode(),
        )
        assert status(answer) == expected, (host, answer[:80])


async def test_an_absolute_url_naming_another_host_does_not_get_past_the_host_check(
    serve: Start,
) -> None:
    s = await serve()
    answer = await raw_request(
        s.port,
        f"GET http://127.0.0.1:{s.port}/?token={s.token} HTTP/1.1\r\nHost: evil.example\r\n\r\n".encode(),
    )
    assert status(answer) == 403


# --- requests that never end, or are too big ----------------------------------------------------


async def test_a_client_that_never_finishes_its_headers_blocks_nobody(serve: Start) -> None:
    s = await serve()
    idle = []
    for _ in range(20):
        _, writer = await asyncio.open_connection("127.0.0.1", s.port)
        writer.write(
            f"GET /?token={s.token} HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\nX-Slow: ".encode()
        )
        await writer.drain()
        idle.append(writer)
    try:
        assert await status_of(s.page) == 200
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(s.ws)
            await ws.send_json(["stdin", "k"])
            echoed = await ws.receive(timeout=LIMIT)
            assert echoed.data == b"echo:k"
            await ws.close()
    finally:
        for writer in idle:
            writer.close()


async def test_very_long_urls_and_headers_are_refused_whole(serve: Start) -> None:
    s = await serve()
    host = f"Host: 127.0.0.1:{s.port}\r\n"
    for request in (
        f"GET /?token={s.token}&{'a' * 100_000} HTTP/1.1\r\n{host}\r\n",
        f"GET /static/{s.token}/{'../' * 30_000}etc/passwd HTTP/1.1\r\n{host}\r\n",
        f"GET /?token={s.token} HTTP/1.1\r\n{host}X-Big: {'b' * 100_000}\r\n\r\n",
        f"GET /?token={s.token} HTTP/1.1\r\n{host}" + "X-Many: c\r\n" * 5_000 + "\r\n",
    ):
        answer = await raw_request(s.port, request.encode())
        assert status(answer) in (400, 413, 414, 431), answer[:80]
    assert await status_of(s.page) == 200  # and the server still serves


# --- requests the server cannot parse: answered, never echoed ----------------------------------

ECHO = b"tt-echo-7q"
"""In every malformed request below: seen anywhere in the answer, the server echoed the attacker."""
SCRIPT = b"<script>alert(1)</script>"


def malformed_requests(port: int) -> dict[str, bytes]:
    host = f"Host: 127.0.0.1:{port}\r\nConnection: close\r\n".encode()
    line = b" HTTP/1.1\r\n" + host + b"\r\n"
    get = b"GET / HTTP/1.1\r\n" + host
    return {
        "control characters in the path": b"GET /\x01\x1b[2J" + ECHO + SCRIPT + line,
        "bytes that are not UTF-8": b"GET /\xff\xfe" + ECHO + SCRIPT + line,
        "NUL in the path": b"GET /\x00" + ECHO + SCRIPT + line,
        "a space inside the path": b"GET /a " + ECHO + SCRIPT + line,
        "a URL longer than any line": b"GET /" + ECHO + SCRIPT * 1000 + line,
        "a bad HTTP version": b"GET /" + ECHO + SCRIPT + b" HTTP/9.<b>\r\n" + host + b"\r\n",
        "a bad method": b"G<" + ECHO + b">T /" + line,
        "not HTTP at all": SCRIPT + ECHO + b"\r\n\r\n",
        "a broken absolute URL": b"GET http://[" + ECHO + SCRIPT + line,
        "a bad header name": get + b"X" + ECHO + SCRIPT + b": y\r\n\r\n",
        "a bad header value": get + b"X: " + ECHO + SCRIPT + b"\x01\r\n\r\n",
        "a bad Content-Length": get + b"Content-Length: " + ECHO + b"\r\n\r\n",
    }


async def whole_answer(port: int, data: bytes) -> bytes:
    """Send bytes as they are; every byte the server sends back until it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), LIMIT)
    finally:
        writer.close()


def head_and_body(answer: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.split(b"\r\n")
    headers = dict(line.lower().split(b": ", 1) for line in lines)
    return int(status_line.split(b" ")[1]), headers, body


async def test_malformed_requests_get_a_fixed_plain_answer_that_echoes_nothing(
    serve: Start,
) -> None:
    """aiohttp's own 400 quotes the request line back; a page that makes a browser send such a
    request must get nothing of its own back, and nothing a browser would run or sniff."""
    s = await serve()
    bodies: dict[int, set[bytes]] = {}
    for what, request in malformed_requests(s.port).items():
        answer = await whole_answer(s.port, request)
        code, headers, body = head_and_body(answer)
        assert 400 <= code < 500, (what, answer[:200])
        for echoed in (ECHO, b"<script", b"\xff", b"\x1b", b"\x00", b"<b>"):
            assert echoed not in answer, (what, echoed, answer[:400])
        assert headers.get(b"content-type", b"").startswith(b"text/plain"), (what, headers)
        assert headers.get(b"x-content-type-options") == b"nosniff", (what, headers)
        assert int(headers[b"content-length"]) == len(body), what
        bodies.setdefault(code, set()).add(body)
    # One fixed answer for each status, whatever was sent. (aiohttp's pure-Python parser lets
    # the bytes that are not UTF-8 through to the app, which refuses them 403: as fixed.)
    assert all(len(fixed) == 1 for fixed in bodies.values()), bodies
    assert 400 in bodies
    assert await status_of(s.page) == 200  # and the server still serves


async def test_a_malformed_request_after_a_good_one_is_answered_the_same_way(serve: Start) -> None:
    """On a kept-alive connection: the good request is served, the bad one echoes nothing."""
    s = await serve()
    good = f"GET /?token={s.token} HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n\r\n".encode()
    bad = malformed_requests(s.port)["control characters in the path"]
    reader, writer = await asyncio.open_connection("127.0.0.1", s.port)
    try:
        writer.write(good)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), LIMIT)
        code, headers, _ = head_and_body(head)
        assert code == 200
        await reader.readexactly(int(headers[b"content-length"]))
        writer.write(bad)
        second = await asyncio.wait_for(reader.read(), LIMIT)
    finally:
        writer.close()
    assert 400 <= head_and_body(second)[0] < 500
    assert ECHO not in second and b"<script" not in second
    assert head_and_body(second)[1].get(b"x-content-type-options") == b"nosniff"


# --- websocket messages -------------------------------------------------------------------------


async def test_a_compressed_bomb_ends_the_session_without_reaching_the_console(
    serve: Start,
) -> None:
    """A small compressed frame that inflates past the message limit (permessage-deflate)."""
    s = await serve()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws, compress=15)
        assert ws.compress, "the server should accept compression (or this test proves nothing)"
        started = await poll(lambda: s.starts(), "the console")
        pid = int(started[0]["started"])  # type: ignore[index]
        await ws.send_str(json.dumps(["stdin", "x" * 5_000_000]), compress=15)
        closed = await ws.receive(timeout=LIMIT)
        assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        await poll(lambda: not alive(pid), "the console to end")
    assert [e for e in s.entries() if "data" in e] == []


def client_frame(payload: bytes, opcode: int, *, final: bool) -> bytes:
    """One masked websocket frame, as a browser would send it (FIN bit as asked)."""
    head = bytes([(0x80 if final else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def test_a_message_in_many_fragments_is_held_to_the_same_limit(serve: Start) -> None:
    """Continuation frames that add up past the limit: the same as one oversized message."""
    s = await serve()
    sock = await asyncio.to_thread(_raw_websocket, s.port, f"/ws/{s.token}")
    try:
        started = await poll(lambda: s.starts(), "the console")
        pid = int(started[0]["started"])  # type: ignore[index]
        chunk = b"x" * 16_000
        frames = [client_frame(b'["stdin", "' + chunk, 0x1, final=False)]
        frames += [client_frame(chunk, 0x0, final=False) for _ in range(10)]
        frames.append(client_frame(b'"]', 0x0, final=True))

        def send_all() -> None:
            with contextlib.suppress(OSError):
                for frame in frames:
                    sock.sendall(frame)

        await asyncio.to_thread(send_all)
        await poll(lambda: not alive(pid), "the console to end")
        await poll(lambda: not s.app[SESSIONS], "the session to close")
    finally:
        sock.close()
    assert [e for e in s.entries() if "data" in e] == []


async def test_resizes_to_nothing_or_enormous_are_held_to_the_limits(serve: Start) -> None:
    s = await serve()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws + "?width=0&height=0")
        started = await poll(lambda: s.starts(), "the console")
        assert (started[0]["columns"], started[0]["rows"]) == ("20", "10")  # type: ignore[index]
        await ws.send_json(["resize", {"width": 0, "height": 0}])
        await ws.send_json(["resize", {"width": 100000, "height": 100000}])
        await ws.send_json(["resize", {"width": "100000", "height": "-1"}])

        def resizes() -> list[tuple[int, int]] | None:
            got = [
                (e["meta"]["width"], e["meta"]["height"])  # type: ignore[index]
                for e in s.entries()
                if "meta" in e and e["meta"]["type"] == "resize"  # type: ignore[index]
            ]
            return got if len(got) == 3 else None

        assert await poll(resizes, "three resizes") == [(20, 10), (500, 200), (500, 24)]
        await ws.close()


async def test_digits_int_cannot_read_are_refused_or_ignored_never_an_error(
    serve: Start,
) -> None:
    """'²' is a digit to Python's isdigit() but not to int(): in the Host header's port it was
    a 500 answer; in ?width= a 500 on the upgrade; in a resize it ended the console."""
    s = await serve()
    answer = await raw_request(
        s.port, f"GET /?token={s.token} HTTP/1.1\r\nHost: localhost:\u00b2\r\n\r\n".encode()
    )
    assert status(answer) == 403, answer
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws + "?width=%C2%B2&height=1%E2%81%B9")
        started = await poll(lambda: s.starts(), "the console")
        assert (started[0]["columns"], started[0]["rows"]) == ("80", "24")  # type: ignore[index]
        await ws.send_json(["resize", {"width": "\u00b2", "height": "\u00b9"}])
        await ws.send_json(["resize", {"width": 30, "height": 12}])

        def resizes() -> list[tuple[int, int]] | None:
            got = [
                (e["meta"]["width"], e["meta"]["height"])  # type: ignore[index]
                for e in s.entries()
                if "meta" in e and e["meta"]["type"] == "resize"  # type: ignore[index]
            ]
            return got if len(got) == 2 else None

        assert await poll(resizes, "both resizes") == [(80, 24), (30, 12)]
        assert len(s.app[SESSIONS]) == 1  # the console still runs
        await ws.close()


async def test_keys_the_page_never_sends_do_not_reach_the_console_as_anything_but_keys(
    serve: Start,
) -> None:
    """A browser can only send typed text; a message shaped as the console's own control
    packets (quit, a file delivery, a URL to open) is ignored, and keys stay keys."""
    s = await serve()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws)
        for junk in (
            ["quit"],
            ["exit"],
            ["deliver_file_start", {"key": "x", "path": "/etc/passwd"}],
            ["open_url", {"url": "http://evil.example"}],
            ["meta", {"type": "quit"}],
            ["stdin", {"type": "quit"}],
            ["resize", {"width": 80, "height": 24, "type": "quit"}],
            ["focus", {"type": "quit"}],
        ):
            await ws.send_json(junk)
        await ws.send_json(["stdin", 'M\x00\x00\x00\x10{"type":"quit"}'])
        await ws.send_json(["stdin", "\ud800 after a lone surrogate"])
        await ws.send_json(["stdin", "k"])
        deadline = asyncio.get_running_loop().time() + LIMIT
        seen = b""
        while b"echo:k" not in seen and asyncio.get_running_loop().time() < deadline:
            message = await ws.receive(timeout=LIMIT)
            assert message.type == aiohttp.WSMsgType.BINARY, message
            seen += message.data
        await ws.close()
    metas = [e["meta"]["type"] for e in s.entries() if "meta" in e]  # type: ignore[index]
    assert "quit" not in metas[:-1]  # only the server's own quit, when the page left
    assert metas.count("resize") == 1 and metas.count("focus") == 1
    data = [e["data"] for e in s.entries() if "data" in e]
    assert data[0] == 'M\x00\x00\x00\x10{"type":"quit"}'  # a key press, sent as screen input
    assert data[-1] == "k"


# --- more than one browser ----------------------------------------------------------------------


async def test_a_second_tab_gets_a_console_of_its_own_and_the_first_keeps_control(
    serve: Start,
) -> None:
    s = await serve()
    async with aiohttp.ClientSession() as first_browser, aiohttp.ClientSession() as second_browser:
        first = await first_browser.ws_connect(s.ws)
        await poll(lambda: len(s.starts()) == 1, "the first console")
        second = await second_browser.ws_connect(s.ws)
        await poll(lambda: len(s.starts()) == 2, "the second console")
        pids = [int(e["started"]) for e in s.starts()]  # type: ignore[arg-type]
        assert pids[0] != pids[1]
        await second.send_json(["stdin", "second"])
        await first.send_json(["stdin", "first"])
        assert (await first.receive(timeout=LIMIT)).data == b"echo:first"
        assert (await second.receive(timeout=LIMIT)).data == b"echo:second"
        await second.close()
        await poll(lambda: not alive(pids[1]), "the second console to end")
        assert alive(pids[0])
        await first.send_json(["stdin", "still mine"])
        assert (await first.receive(timeout=LIMIT)).data == b"echo:still mine"
        await first.close()


async def test_many_consoles_asked_for_at_once_never_exceed_the_cap(serve: Start) -> None:
    s = await serve(max_sessions=2)
    async with aiohttp.ClientSession() as http:

        async def connect() -> aiohttp.ClientWebSocketResponse | int:
            try:
                return await http.ws_connect(s.ws)
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

        results = await asyncio.gather(*(connect() for _ in range(12)))
        opened = [r for r in results if not isinstance(r, int)]
        assert len(opened) == 2
        assert {r for r in results if isinstance(r, int)} == {503}
        await poll(lambda: len(s.starts()) == 2, "two consoles")
        await asyncio.sleep(0.3)
        assert len(s.starts()) == 2 and len(s.app[SESSIONS]) == 2
        for ws in opened:
            await ws.close()


@pytest.mark.parametrize("origin", ["http://evil.example", "null"])
async def test_a_foreign_origin_on_the_upgrade_starts_nothing_even_with_the_token(
    serve: Start,
    origin: str,
) -> None:
    """Cross-site websocket hijacking: the token is in the path, as a stolen link would have it."""
    s = await serve()
    assert await ws_refusal(s.ws, origin=origin) == 403
    assert await ws_refusal(s.ws, origin=origin, headers={"Host": "evil.example"}) == 403
    await asyncio.sleep(0.3)
    assert s.starts() == []


async def test_a_connection_that_never_sends_a_whole_request_is_closed(
    serve: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half-sent headers, trickled or not, must not hold a connection (a file descriptor and its
    buffers) for long: aiohttp's own limit is an hour. Made short here to see it happen; a
    console connection in use is not idle and stays open."""
    monkeypatch.setattr(tui.serve, "IDLE_TIMEOUT", 0.5, raising=False)
    s = await serve()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws)
        reader, writer = await asyncio.open_connection("127.0.0.1", s.port)
        writer.write(f"GET /?token={s.token} HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n".encode())
        await writer.drain()
        try:
            trickled = 0
            while not reader.at_eof():
                assert trickled < LIMIT / 0.1, "the half-sent request was never closed"
                writer.write(b"X")  # a byte at a time, as slowloris does
                with contextlib.suppress(ConnectionError):
                    await writer.drain()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(reader.read(100), 0.1)
                trickled += 1
        finally:
            writer.close()
        await ws.send_json(["stdin", "still here"])
        echoed = await ws.receive(timeout=LIMIT)
        assert echoed.data == b"echo:still here"
        await ws.close()


async def test_a_browser_that_floods_and_never_reads_is_cut_off(
    serve: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys sent as fast as possible by a page that reads nothing back: the echoes back up, the
    console stops reading, the session ends, and the connection is cut. Before, it was only
    closed politely, which waits for the browser to read what is queued: the connection and
    megabytes of queued screen data stayed for as long as the page stayed open."""
    monkeypatch.setattr(tui.serve_child, "WRITE_TIMEOUT", 0.5)  # seconds; the server's are 5
    monkeypatch.setattr(tui.serve, "CLOSE_WAIT", 0.5)
    s = await serve()
    sock = await asyncio.to_thread(_raw_websocket, s.port, f"/ws/{s.token}")
    key = client_frame(json.dumps(["stdin", "x" * 60_000]).encode(), 0x1, final=True)

    def flood() -> None:  # 300 MB, far more than any buffer on the way; never reads
        with contextlib.suppress(OSError):
            for _ in range(5_000):
                sock.sendall(key)

    flooding = asyncio.create_task(asyncio.to_thread(flood))
    try:
        started = await poll(lambda: s.starts(), "the console")
        pid = int(started[0]["started"])  # type: ignore[index]
        await poll(lambda: not alive(pid), "the console to end")
        await poll(lambda: not s.app[SESSIONS], "the session to end")
        await poll(flooding.done, "the connection to be cut (the flood to stop)")
        assert any("session ended" in line for line in s.echoed)
    finally:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # unblocks the flood if the server did not cut it
        await flooding
        sock.close()
