"""The projector pages of `tabletop serve`: the players' view of the facilitator's session.

A second secret, the viewer token, opens ``/watch?token=VIEWER``: a page whose console is
`tabletop watch ID` (read-only, following the session store) instead of `tabletop play`. Which
session: ``&session=ID`` if given, else the newest live session started since the server did,
both limited to sessions of the store the server passes to its consoles. The facilitator's
token opens no projector and the viewer token no console; a viewer's keys never reach the
process, only resizes; projectors have a cap of their own, so they never take a console's place.
"""

from __future__ import annotations

import asyncio
import html
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from sim.problems import TabletopError
from sim.session.store import SessionStore
from tui.serve import CONFIG, MAX_MESSAGE, TEMPLATE, VIEWERS, Session, _refuse, run_session
from tui.serve_guard import DEFAULT_MAX_VIEWERS, token_ok

PROJECTOR_TITLE = "tabletop: projector (players' view)"
MAX_SESSION_DIGITS = 9


@dataclass(frozen=True)
class Projector:
    """What the projector pages show, and to how many at once."""

    token: str
    store: Path
    since: str
    """Sessions created at or after this time (the store's ISO format) may be projected."""
    command: Sequence[str]
    """The watcher, without its session id (appended per page)."""
    max_viewers: int = DEFAULT_MAX_VIEWERS


def watch_command(store: Path) -> list[str]:
    """The read-only players' view each projector page runs (its session id is appended)."""
    return [sys.executable, "-m", "tui", "watch", "--store", str(store)]


def session_number(text: str | None) -> int | None:
    """A session id from a URL: a short run of digits, else None."""
    if text is None or not 0 < len(text) <= MAX_SESSION_DIGITS:
        return None
    if not (text.isascii() and text.isdigit()):  # isdigit() alone takes '²', which int() refuses
        return None
    return int(text)


def pick_session(projector: Projector, wanted: int | None) -> int | None:
    """The session to project: wanted if it is one of this server's, else the newest live one."""
    if not projector.store.exists():
        return None
    try:
        with SessionStore.open(projector.store, readonly=True) as store:
            mine = [s for s in store.sessions() if s.created >= projector.since]
    except (TabletopError, OSError):
        return None
    if wanted is not None:
        return wanted if any(s.id == wanted for s in mine) else None
    live = [s.id for s in mine if s.status == "live"]
    return max(live) if live else None


def _viewer_token_ok(request: web.Request, given: str | None) -> Projector:
    projector = request.app[CONFIG].projector
    if projector is None or not token_ok(given, projector.token):
        raise _refuse(web.HTTPForbidden, "wrong or missing token")
    return projector


async def _page(request: web.Request) -> web.Response:
    projector = _viewer_token_ok(request, request.query.get("token"))
    session = request.query.get("session")
    if session is not None and session_number(session) is None:
        raise _refuse(web.HTTPBadRequest, "session must be a session number")
    host = request.headers["Host"]  # checked by the server's guard
    socket_path = f"/watch/ws/{projector.token}" + (f"/{session}" if session else "")
    page = (
        TEMPLATE.replace("@STATIC@", html.escape(f"/static/{projector.token}/"))
        .replace("@WEBSOCKET@", html.escape(f"ws://{host}{socket_path}"))
        .replace("@TITLE@", html.escape(PROJECTOR_TITLE))
    )
    return web.Response(text=page, content_type="text/html")


async def _websocket(request: web.Request) -> web.StreamResponse:
    projector = _viewer_token_ok(request, request.match_info["token"])
    viewers = request.app[VIEWERS]
    wanted: int | None = None
    if "session" in request.match_info:
        wanted = session_number(request.match_info["session"])
        if wanted is None:
            raise _refuse(web.HTTPNotFound, "no such session")
    websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
    if not websocket.can_prepare(request).ok:
        raise _refuse(web.HTTPBadRequest, "expected a websocket")
    _check_room(viewers, projector)
    chosen = await asyncio.to_thread(pick_session, projector, wanted)
    if chosen is None:
        raise _refuse(
            web.HTTPNotFound,
            "no session to show yet: start one in the facilitator's console, then reload",
        )
    # Again: other pages may have been let in while the store was read. From here to
    # run_session's taking its place there is no await, so the cap holds.
    _check_room(viewers, projector)
    command = [*projector.command, str(chosen)]
    return await run_session(request, websocket, command, viewers, viewer=True)


def _check_room(viewers: set[Session], projector: Projector) -> None:
    """503 if the projector pages are at their cap."""
    if len(viewers) >= projector.max_viewers:
        raise _refuse(
            web.HTTPServiceUnavailable,
            f"{projector.max_viewers} projector pages are already open (see --max-viewers)",
        )


def add_projector_routes(app: web.Application) -> None:
    """The projector page and its websockets (the statics are the console's)."""
    app.router.add_get("/watch", _page)
    app.router.add_get("/watch/ws/{token}", _websocket)
    app.router.add_get("/watch/ws/{token}/{session}", _websocket)
