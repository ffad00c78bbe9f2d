"""`tabletop serve` answers malformed requests itself through aiohttp's private insides (the
handler's settings, `Server._kwargs`). An aiohttp that names them otherwise must not leave a
server that accepts connections and answers none: it falls back to aiohttp's own answers, says
so in one line, and still serves the page and the console."""

# ruff: noqa: F811  (each test names the imported fixture `serve`)

from __future__ import annotations

import asyncio
import socket
import sys
from typing import Any

import aiohttp
import aiohttp.web_app
import pytest
from aiohttp import web
from test_serve import (
    LIMIT,
    STUB,
    Start,
    poll,
    serve,  # noqa: F401  (the fixture)
    status_of,
)

from tui.serve import ServeConfig, build_app, open_socket, start_site
from tui.serve_guard import Bind, new_token


class _RenamedSettings(web.Server):
    """aiohttp's Server as a later version might have it: its settings under another name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handler_settings = self.__dict__.pop("_kwargs")

    def __call__(self) -> web.RequestHandler:
        return web.RequestHandler(self, loop=self._loop, **self._handler_settings)


@pytest.fixture
def renamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aiohttp.web_app, "Server", _RenamedSettings)


async def test_without_aiohttps_insides_the_page_and_console_are_still_served(
    renamed: None, serve: Start
) -> None:
    s = await serve()
    assert await status_of(s.page) == 200
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws)
        await poll(lambda: s.starts(), "the console")
        await ws.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", s.port)
    try:  # a malformed request still gets a 400, aiohttp's own
        writer.write(b"GET /\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), LIMIT)
    finally:
        writer.close()
    assert head.split(b" ", 2)[1] == b"400"


async def test_the_fallback_is_said_in_one_line(renamed: None, tmp_path: Any) -> None:
    sock = open_socket(Bind(socket.AF_INET, "127.0.0.1", True), 0)
    said: list[str] = []
    config = ServeConfig(
        command=[sys.executable, str(STUB), "echo", str(tmp_path / "record.jsonl")],
        token=new_token(),
        port=sock.getsockname()[1],
        echo=said.append,
    )
    runner = await start_site(build_app(config), sock, warn=said.append)
    try:
        assert len(said) == 1 and "\n" not in said[0] and "aiohttp" in said[0], said
    finally:
        await runner.cleanup()


async def test_with_aiohttps_insides_nothing_is_said(tmp_path: Any) -> None:
    sock = open_socket(Bind(socket.AF_INET, "127.0.0.1", True), 0)
    said: list[str] = []
    config = ServeConfig(
        command=[sys.executable, str(STUB), "echo", str(tmp_path / "record.jsonl")],
        token=new_token(),
        port=sock.getsockname()[1],
        echo=said.append,
    )
    runner = await start_site(build_app(config), sock, warn=said.append)
    await runner.cleanup()
    assert said == []


@pytest.fixture
def renamed_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """aiohttp's SockSite as a later version might have it: its socket under another name."""
    plain_init = web.SockSite.__init__

    def init(self: Any, runner: web.BaseRunner, sock: socket.socket, **kwargs: Any) -> None:
        plain_init(self, runner, sock, **kwargs)
        self._listening = sock
        del self._sock

    async def start(self: Any) -> None:
        await web.BaseSite.start(self)
        loop = asyncio.get_running_loop()
        server = self._runner.server
        self._server = await loop.create_server(server, sock=self._listening)

    monkeypatch.setattr(web.SockSite, "__init__", init)
    monkeypatch.setattr(web.SockSite, "start", start)


async def test_without_the_sites_socket_the_page_is_still_served(
    renamed_socket: None, serve: Start
) -> None:
    s = await serve()
    assert await status_of(s.page) == 200
