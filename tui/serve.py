# ruff: noqa: E501
"""`tabletop serve`: the console in a browser, for the facilitator on this machine and nobody else.

An aiohttp server speaking textual-serve's protocol (its page script and statics are reused;
the page template below is ours, with nothing fetched from outside this machine). Every request
must carry the secret token printed at start, name this server in its Host header (against DNS
rebinding) and, from a browser, come from this server's own page (Origin). Each browser session
runs one console process (:mod:`tui.serve_child`), at most ``max_sessions`` at once, and that
process's whole group ends when the browser leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from sim.safetext import printable
from tui.serve_child import ConsoleChild
from tui.serve_guard import (
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MAX_VIEWERS,
    Bind,
    clamp_size,
    host_ok,
    new_token,
    origin_ok,
    remote_names,
    resolve_bind,
    token_ok,
)

if TYPE_CHECKING:
    from tui.serve_projector import Projector

TITLE = "tabletop: facilitator console"
MAX_MESSAGE = 64 * 1024
"""Largest websocket message accepted from a browser (keys and pastes are far smaller)."""
MAX_PING = 64
CLOSE_WAIT = 2.0
"""Seconds to close a browser's connection politely before cutting it."""
IDLE_TIMEOUT = 60.0
"""Seconds a connection may go without a whole request (half-sent headers, trickled or not,
or an idle keep-alive) before it is closed; aiohttp's own default is an hour. A console's
websocket is a request in progress, never idle."""
STATIC_FILES = (
    "css/xterm.css",
    "js/textual.js",
    "fonts/RobotoMono-VariableFont_wght.ttf",
    "fonts/RobotoMono-Italic-VariableFont_wght.ttf",
    "images/background.png",
)
"""The only files served besides the page: what the page itself loads."""


class ServeStartError(Exception):
    """The server could not start (busy port, no permission): one line, exit 1."""


def console_command(files: Sequence[Path] = (), store: Path | None = None) -> list[str]:
    """The console each browser session runs: one named file opens directly; otherwise the
    picker offers the bundled scenarios and the named files, never the working folder."""
    parts = [sys.executable, "-m", "tui", "play"]
    if store is not None:
        parts.extend(["--store", str(store)])
    if len(files) != 1:
        parts.append("--no-folder")
    parts.extend(str(Path(f).resolve()) for f in files)
    return parts


def static_dir() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).resolve().parent / "static"


@dataclass
class ServeConfig:
    """What one server start serves, and to whom."""

    command: Sequence[str]
    token: str
    port: int
    remote: frozenset[str] | None = None
    """Names accepted in Host headers besides loopback ones; None: loopback only."""
    max_sessions: int = DEFAULT_MAX_SESSIONS
    title: str = TITLE
    echo: Callable[[str], None] = field(default=lambda line: None)
    projector: Projector | None = None
    """The read-only projector pages (tui/serve_projector.py); None: none offered."""


@dataclass(eq=False)
class Session:
    """One browser connection and the console process behind it."""

    websocket: web.WebSocketResponse
    request: web.Request
    child: ConsoleChild | None = None

    async def close(self, code: int = 1000, message: bytes = b"") -> None:
        """Close the browser's connection; cut it if the browser does not read (no hang).

        Cut, not closed: a graceful close waits for the data already queued to be read, and a
        browser that stopped reading would hold the connection and that data for ever. The
        transport is taken first: aiohttp lets go of it when a close fails.
        """
        transport = self.request.transport
        try:
            await asyncio.wait_for(self.websocket.close(code=code, message=message), CLOSE_WAIT)
        except Exception:
            if transport is not None:
                transport.abort()
        except BaseException:  # cancelled meanwhile: cut it all the same
            if transport is not None:
                transport.abort()
            raise


SESSIONS = web.AppKey("sessions", set[Session])
VIEWERS = web.AppKey("viewers", set[Session])
CONFIG = web.AppKey("config", ServeConfig)


def _refuse(status: type[web.HTTPException], why: str) -> web.HTTPException:
    return status(text=f"tabletop serve: {why}\n")


@web.middleware
async def _guard(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Host and Origin first, for every path; then the security headers on every answer."""
    config = request.app[CONFIG]
    host = request.headers.get("Host")
    try:
        if not host_ok(host, config.port, remote_names=config.remote):
            raise _refuse(web.HTTPForbidden, "unexpected Host header")
        if not origin_ok(request.headers.get("Origin"), host):
            raise _refuse(web.HTTPForbidden, "request from another site refused")
        response = await handler(request)
    except web.HTTPException as exc:
        _secure(exc, host)
        raise
    if not isinstance(response, web.WebSocketResponse):
        _secure(response, host)
    return response


def _secure(response: web.StreamResponse, host: str | None) -> None:
    headers = response.headers
    ws = f" ws://{host}" if host and host_ok_chars(host) else ""
    headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"font-src 'self'; img-src 'self' data:; connect-src 'self'{ws}; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cache-Control"] = "no-store"


def host_ok_chars(host: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c in ".-_:[]") for c in host)


async def _page(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    token = request.query.get("token")
    if not token_ok(token, config.token):
        raise _refuse(
            web.HTTPForbidden,
            "open the address printed when the server started (it carries the server's token)",
        )
    host = request.headers["Host"]  # checked by _guard
    page = (
        TEMPLATE.replace("@STATIC@", html.escape(f"/static/{config.token}/"))
        .replace("@WEBSOCKET@", html.escape(f"ws://{host}/ws/{config.token}"))
        .replace("@TITLE@", html.escape(config.title))
    )
    return web.Response(text=page, content_type="text/html")


async def _static(request: web.Request) -> web.StreamResponse:
    config = request.app[CONFIG]
    given = request.match_info["token"]
    viewer = config.projector.token if config.projector is not None else None
    if not token_ok(given, config.token) and not (viewer and token_ok(given, viewer)):
        raise _refuse(web.HTTPForbidden, "wrong or missing token")
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.FileResponse(static_dir() / name)


def child_environment(width: int, height: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
        TEXTUAL_FPS="60",
        TEXTUAL_COLOR_SYSTEM="truecolor",
        TERM_PROGRAM="textual",
        TERM_PROGRAM_VERSION=version("textual-serve"),
        COLUMNS=str(width),
        ROWS=str(height),
    )
    return env


async def _websocket(request: web.Request) -> web.StreamResponse:
    config = request.app[CONFIG]
    sessions = request.app[SESSIONS]
    if not token_ok(request.match_info["token"], config.token):
        raise _refuse(web.HTTPForbidden, "wrong or missing token")
    websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
    if not websocket.can_prepare(request).ok:
        raise _refuse(web.HTTPBadRequest, "expected a websocket")
    if len(sessions) >= config.max_sessions:
        raise _refuse(
            web.HTTPServiceUnavailable,
            f"{config.max_sessions} console sessions are already open (see --max-sessions)",
        )
    return await run_session(request, websocket, config.command, sessions, viewer=False)


async def run_session(
    request: web.Request,
    websocket: web.WebSocketResponse,
    command: Sequence[str],
    sessions: set[Session],
    *,
    viewer: bool,
) -> web.WebSocketResponse:
    """Run command for one browser until either ends; a viewer's keys never reach it."""
    config = request.app[CONFIG]
    what = "projector" if viewer else "session"
    width, height = clamp_size(request.query.get("width"), request.query.get("height"))
    session = Session(websocket, request)
    sessions.add(session)  # before any await: the callers' cap checks hold (see their tests)
    config.echo(f"{what} started ({len(sessions)} open)")
    pump: asyncio.Task[None] | None = None
    try:
        await websocket.prepare(request)
        session.child = child = ConsoleChild(command, child_environment(width, height))
        await child.start()
        pump = asyncio.create_task(_forward(child, websocket))
        await _receive(websocket, child, viewer=viewer)
    except Exception as exc:  # one line on the server's terminal, never a traceback
        config.echo(f"a {what} failed: {printable(str(exc) or type(exc).__name__, one_line=True)}")
    finally:
        sessions.discard(session)
        if session.child is not None:
            await session.child.stop()
            _report_exit(session.child, config.echo)
        if pump is not None:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
        try:
            await session.close()
        finally:
            config.echo(f"{what} ended ({len(sessions)} open)")
    return websocket


def _report_exit(child: ConsoleChild, echo: Callable[[str], None]) -> None:
    code = child.process.returncode if child.process is not None else None
    if code in (0, None, -signal.SIGTERM, -signal.SIGKILL):
        return
    lines = child.stderr_tail.decode("utf-8", "replace").strip().splitlines()
    last = printable(lines[-1], one_line=True)[:200] if lines else ""
    echo(f"a console ended with exit code {code}" + (f": {last}" if last else ""))


async def _forward(child: ConsoleChild, websocket: web.WebSocketResponse) -> None:
    """Screen data from the console to the browser; closes the browser's end when it quits."""
    async for kind, payload in child.packets():
        if kind == b"D":
            with contextlib.suppress(Exception):  # the browser left: keep draining
                await websocket.send_bytes(payload)
        elif kind == b"M":
            try:
                meta = json.loads(payload)
            except ValueError:
                continue
            if isinstance(meta, dict) and meta.get("type") == "exit":
                break
        # Other packets (file deliveries, URLs to open) are not passed on: nothing leaves.
    with contextlib.suppress(Exception):
        await asyncio.wait_for(websocket.close(), CLOSE_WAIT)


def _envelope(data: str) -> tuple[str, Any] | None:
    try:
        message = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, list) or not message or not isinstance(message[0], str):
        return None
    return message[0], message[1] if len(message) > 1 else None


async def _receive(
    websocket: web.WebSocketResponse, child: ConsoleChild, *, viewer: bool = False
) -> None:
    """Keys and resizes from the browser to the console; anything malformed is ignored.

    From a viewer (a projector page) only resizes reach the console: never keys, focus or blur.
    """
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        envelope = _envelope(message.data)
        if envelope is None:
            continue
        kind, data = envelope
        ok = True
        if viewer and kind not in ("resize", "ping"):
            continue
        if kind == "stdin" and isinstance(data, str):
            ok = await child.send(b"D", data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = clamp_size(data.get("width"), data.get("height"))
            ok = await child.send_meta({"type": "resize", "width": width, "height": height})
        elif kind in ("focus", "blur"):
            ok = await child.send_meta({"type": kind})
        elif kind == "ping" and isinstance(data, str) and len(data) <= MAX_PING:
            await websocket.send_json(["pong", data])
        if not ok:
            break


async def _close_sessions(app: web.Application) -> None:
    """On shutdown: end every console (whole groups), then close every browser connection."""
    sessions = [*app[SESSIONS], *app[VIEWERS]]
    await asyncio.gather(
        *(s.child.stop() for s in sessions if s.child is not None), return_exceptions=True
    )
    await asyncio.gather(
        *(s.close(1001, b"server stopping") for s in sessions), return_exceptions=True
    )


def build_app(config: ServeConfig) -> web.Application:
    """The web application: the page, its statics and the websocket; nothing else."""
    app = web.Application(middlewares=[_guard], client_max_size=MAX_MESSAGE)
    app[CONFIG] = config
    app[SESSIONS] = set()
    app[VIEWERS] = set()
    app.router.add_get("/", _page)
    app.router.add_get("/ws/{token}", _websocket)
    if config.projector is not None:
        from tui.serve_projector import add_projector_routes

        add_projector_routes(app)
    app.router.add_get("/static/{token}/{name:.+}", _static)
    app.on_shutdown.append(_close_sessions)
    return app


def open_socket(bind: Bind, port: int) -> socket.socket:
    """A listening socket on bind's address; ServeStartError (one line) if that fails."""
    where = f"[{bind.address}]" if ":" in bind.address else bind.address
    try:
        sock = socket.socket(bind.family, socket.SOCK_STREAM)
    except OSError as exc:
        raise ServeStartError(f"cannot listen on {where}:{port}: {exc.strerror}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if bind.family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((bind.address, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = "the port is in use" if exc.errno == 98 else (exc.strerror or str(exc))
        raise ServeStartError(f"cannot listen on {where}:{port}: {reason}") from None
    sock.setblocking(False)
    return sock


def error_answer(status: int) -> web.Response:
    """The whole answer to a request that failed before the app saw it: its status, nothing of it."""
    try:
        phrase = HTTPStatus(status).phrase.lower()
    except ValueError:
        phrase = "error"
    response = web.Response(
        status=status, text=f"tabletop serve: {phrase}\n", content_type="text/plain"
    )
    _secure(response, None)
    response.force_close()
    return response


class _PlainErrors(web.RequestHandler):
    """aiohttp's handler of one connection, answering what it could not parse with error_answer.

    aiohttp answers a malformed request (a bad request line, bytes a URL or header may not hold,
    a line too long) itself, before any middleware, and its answer quotes the offending bytes,
    as text/plain without nosniff: a web page could make a browser send bytes of its choosing
    and have them come back from this machine. aiohttp has no hook for that answer (its issues
    3287 and 9882); handle_error is where it is made, so it is replaced here.
    """

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        super().handle_error(request, status, exc, None)  # logs; raises if an answer had begun
        return error_answer(status)


class _Site(web.SockSite):
    """A SockSite whose connections are handled by _PlainErrors (made as aiohttp's Server would).

    That needs aiohttp's private insides (the Server's handler settings, the site's socket);
    an aiohttp without them gets its own handler (its own 400s) and ``plain_errors`` is False,
    rather than a server that accepts connections and answers none."""

    plain_errors = True

    async def start(self) -> None:
        server = self._runner.server
        assert server is not None
        settings = getattr(server, "_kwargs", None)
        insides = ("_sock", "_backlog", "_server")
        if not isinstance(settings, dict) or not all(hasattr(self, a) for a in insides):
            self.plain_errors = False
            await super().start()
            return
        await web.BaseSite.start(self)  # registers the site with its runner (stopped by cleanup)
        loop = asyncio.get_running_loop()

        def connection() -> _PlainErrors:
            return _PlainErrors(server, loop=loop, **settings)

        self._server = await loop.create_server(connection, sock=self._sock, backlog=self._backlog)


async def start_site(
    app: web.Application, sock: socket.socket, *, warn: Callable[[str], None] | None = None
) -> web.AppRunner:
    """Run app on an already listening socket; await runner.cleanup() to stop. ``warn`` hears
    one line if malformed requests get aiohttp's own answers (see _Site), not error_answer."""
    runner = web.AppRunner(
        app,
        access_log=None,
        handle_signals=False,
        shutdown_timeout=5,
        keepalive_timeout=IDLE_TIMEOUT,
    )
    await runner.setup()
    site = _Site(runner, sock)
    await site.start()
    if not site.plain_errors and warn is not None:
        warn(
            "warning: this aiohttp version cannot be given tabletop serve's own answer to "
            "malformed requests: they get aiohttp's, which may quote the request back"
        )
    return runner


def page_urls(bind: Bind, port: int, token: str) -> list[str]:
    """The addresses to open, token included (as Jupyter prints them)."""
    if bind.loopback:
        hosts = [f"[{bind.address}]" if ":" in bind.address else bind.address]
    elif bind.address in ("0.0.0.0", "::"):
        hosts = [socket.gethostname(), "127.0.0.1"]
    else:
        hosts = [f"[{bind.address}]" if ":" in bind.address else bind.address]
    return [f"http://{h}:{port}/?token={token}" for h in hosts]


def serve_console(
    files: Sequence[Path] = (),
    *,
    host: str = "localhost",
    port: int = 8000,
    allow_remote: bool = False,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    max_viewers: int = DEFAULT_MAX_VIEWERS,
    store: Path | None = None,
    echo: Callable[[str], None] = print,
    warn: Callable[[str], None] = print,
) -> None:
    """Serve the console until interrupted (ctrl+c). BindError: usage; ServeStartError: exit 1."""
    bind = resolve_bind(host, allow_remote=allow_remote)
    sock = open_socket(bind, port)
    port = sock.getsockname()[1]
    token = new_token()
    from sim.session.location import store_path
    from sim.session.store import SessionStore, StoreError, now_iso
    from tui.serve_projector import Projector, watch_command

    store = store_path(str(store) if store is not None else None).resolve()
    try:  # refused now, as play refuses it, not by every console the browser opens
        with SessionStore.open(store) as usable:
            usable.check()
    except StoreError as exc:
        sock.close()
        raise ServeStartError(str(exc)) from None
    projector = Projector(
        token=new_token(),
        store=store,
        since=now_iso(),
        command=watch_command(store),
        max_viewers=max_viewers,
    )
    config = ServeConfig(
        command=console_command(files, store),
        token=token,
        port=port,
        remote=None if bind.loopback else remote_names(host),
        max_sessions=max_sessions,
        echo=echo,
        projector=projector,
    )
    if not bind.loopback:
        warn(
            f"warning: --allow-remote: listening on {bind.address}:{port}, reachable from other "
            "machines. Anyone who gets the address below can run the console and read the "
            "facilitator notes, and the connection is not encrypted."
        )
    echo("tabletop serve: the facilitator console, in your browser.")
    echo("Open this address (it carries this server's secret token; do not share it):")
    for url in page_urls(bind, port, token):
        echo(f"    {url}")
    echo("Projector (players' view of the newest session started here, read-only; this link")
    echo("gives no control, show it to the room):")
    for url in page_urls(bind, port, projector.token):
        echo(f"    {url.replace('/?token=', '/watch?token=', 1)}")
    echo(f"Sessions are saved in {printable(str(store), one_line=True)}.")
    echo(
        f"At most {max_sessions} console sessions and {max_viewers} projector pages at once. "
        "Press ctrl+c to stop."
    )
    asyncio.run(_run(build_app(config), sock, warn))


def _quiet_aiohttp() -> None:
    """Malformed requests are answered 400 (see _PlainErrors); don't print tracebacks for them."""
    quiet = logging.getLogger("aiohttp")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False


async def _run(
    app: web.Application, sock: socket.socket, warn: Callable[[str], None] | None = None
) -> None:
    _quiet_aiohttp()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = await start_site(app, sock, warn=warn)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


TEMPLATE = """<!DOCTYPE html>
<html>
  <head>
    <link rel="stylesheet" href="@STATIC@css/xterm.css" />

    <!-- tabletop: no external font stylesheet; the font ships with textual-serve's statics. -->
    <style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("@STATIC@fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("@STATIC@fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-style: italic;
      }
    </style>
    <script src="@STATIC@js/textual.js"></script>
    <style>
      body {
        background: #0c181f;
      }

      .dialog-container {
        position: absolute;
        width: 100vw;
        height: 100vh;
        display: flex;
        align-items: center;
        justify-content: center;
        z-index: 10;
        box-shadow: var(--shadow-elevation-high);
      }
      .shade {
        position: absolute;
        width: 100%;
        height: 100%;
        background: #0c181f;
        background-image: url("@STATIC@images/background.png");
      }
      .intro {
        width: 640px;
        height: 240px;
        font-size: 16px;
        z-index: 20;
        font-family: "Roboto Mono", menlo, monospace;
        text-align: center;
        opacity: 1;
        color: rgba(255, 255, 255, 0.95);
        background-color: #12232d;
        display: flex;
        align-items: center;
        justify-content: center;
        margin: 32px;
      }

      body.-first-byte .intro-dialog,
      body.-first-byte .intro-dialog .shade {
        opacity: 0;
        transition: opacity 0.3s ease-out;
        display: none;
      }

      body .textual-terminal {
        opacity: 0;
        transition: opacity 0.3s ease-out;
      }

      body.-first-byte .textual-terminal {
        opacity: 1;
        transition: opacity 0.3s ease-out;
      }

      .intro svg {
        padding-right: 16px;
      }

      body Button {
        padding: 16px 32px;
        background-color: #5e0ba7;
        color: rgba(255, 255, 255, 0.95);
        border: none;
        font-family: "Roboto Mono", menlo, monospace;
        margin: 16px;
        display: block;
      }

      Button:hover {
        background: #ac5af4;
        cursor: pointer;
      }

      .closed-dialog {
        opacity: 0;
        display: none;
      }

      body.-closed .closed-dialog {
        opacity: 1;
        display: flex;
      }

      #start {
        display: none;
      }

      #start.-delay {
        display: flex;
      }
    </style>
    <script>
      function getStartUrl() {
        const url = new URL(window.location.href);
        const params = new URLSearchParams(url.search);
        params.delete("delay");
        return url.pathname + "?" + params.toString();
      }
      function refresh() {
        window.location.href = getStartUrl();
      }
    </script>
  </head>
  <body>
    <div class="dialog-container intro-dialog">
      <div class="shade"></div>
      <div class="intro">
        <svg
          width="32px"
          viewBox="0 0 2933 2261"
          fill="none"
          >
          <path
            fill-rule="evenodd"
            clip-rule="evenodd"
            d="M2927.81 0H1677.1L1312.35 205.173H306.689L0.359375 434.921L204.029 893.177H735.972L644.784 2261H1060.36L1441.72 1974.97L2073.92 688.003H2334.4L2717.9 472.286L2927.81 0ZM1245.82 410.347L1276.32 277.656H330.85L153.929 410.347H1245.82ZM1229.16 482.83H100.972L251.134 820.694H813.449L722.26 2188.52H837.043L1229.16 482.83ZM1350.7 277.656L911.417 2188.52H1023.87L1662.19 615.52H2301.36L2451.52 277.656H1350.7ZM1460.19 205.173H2497.79L2733.69 72.4829H1696.09L1460.19 205.173Z"
            fill="#ffffff"
          />
        </svg>

        <div>@TITLE@</div>
        <button type="button" onClick="refresh()" id="start">Start</button>
      </div>
    </div>

    <div class="dialog-container closed-dialog">
      <div class="shade"></div>
      <div class="intro">
        <div class="message">Session ended.</div>
        <button type="button" onClick="refresh()">Restart</button>
      </div>
    </div>

    <div
      id="terminal"
      class="textual-terminal"
      data-session-websocket-url="@WEBSOCKET@"
      data-font-size="16"
    ></div>
  </body>
</html>
"""
