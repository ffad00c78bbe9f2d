"""Hostile audit of the projector pages: the room holds the viewer link, so it must not be able
to run more watchers than the cap by asking for many at once.

Real server, real aiohttp client, stand-in consoles that record every start (test_serve.py).
"""

# ruff: noqa: F811  (each test names the imported fixture `serve`)

from __future__ import annotations

import asyncio

import aiohttp
from test_serve import poll, status_of, ws_refusal
from test_serve_projector import (
    Start,
    serve,  # noqa: F401  (the fixture)
)

from tui.serve import VIEWERS


async def test_many_projector_connections_at_once_never_exceed_the_cap(serve: Start) -> None:
    """The cap is checked while the store is read for the session to show (in a thread), so
    connections asked for together must not all slip past it."""
    s = await serve(max_viewers=2, since="0000")
    s.new_session()
    async with aiohttp.ClientSession() as http:

        async def connect() -> aiohttp.ClientWebSocketResponse | int:
            try:
                return await http.ws_connect(s.ws)
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

        results = await asyncio.gather(*(connect() for _ in range(12)))
        opened = [r for r in results if not isinstance(r, int)]
        refused = [r for r in results if isinstance(r, int)]
        assert len(opened) == 2, results
        assert set(refused) == {503}
        await poll(lambda: len(s.viewer.starts()) == 2, "the two watchers")
        await asyncio.sleep(0.3)  # a watcher past the cap, had one started, would have recorded
        assert len(s.viewer.starts()) == 2
        assert len(s.console.app[VIEWERS]) <= 2
        for ws in opened:
            await ws.close()


async def test_a_session_number_in_digits_int_cannot_read_is_refused_not_an_error(
    serve: Start,
) -> None:
    """'²' is a digit to str.isdigit() but not to int(): the projector page and its websocket
    answered 500 (an error of the server) to anyone holding the room's link."""
    s = await serve(since="0000")
    s.new_session()
    for bad in ("\u00b2", "1\u2079", "\uff11"):
        quoted = aiohttp.helpers.quote(bad, safe="")  # type: ignore[attr-defined]
        assert await status_of(f"{s.page}&session={quoted}") == 400, bad
        assert await ws_refusal(f"{s.ws}/{quoted}") == 404, bad
    await asyncio.sleep(0.3)
    assert s.viewer.starts() == []
