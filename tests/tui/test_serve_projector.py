"""The projector pages of `tabletop serve`: the room sees the players' view and controls nothing.

A real server on a free loopback port, a real aiohttp client, and stand-in consoles
(serve_stub_console.py) that record every start: one record for the facilitator's consoles,
another for the projector's watchers, so each test can prove which process a token started and
what reached it.
"""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from test_serve import LIMIT, STUB, Running, alive, poll, status_of, ws_refusal
from test_serve_cli import fetch

from sim.session.store import SessionStore, now_iso
from tui.serve import VIEWERS, ServeConfig, build_app, console_command, open_socket, start_site
from tui.serve_guard import Bind, new_token
from tui.serve_projector import Projector, pick_session, watch_command


@dataclass
class Served:
    console: Running
    """The facilitator's side: its token, and the record of consoles started."""
    viewer: Running
    """The projector's side: the viewer token, and the record of watchers started."""
    store: Path

    @property
    def page(self) -> str:
        return f"{self.console.base}/watch?token={self.viewer.token}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.console.port}/watch/ws/{self.viewer.token}"

    def new_session(self) -> int:
        with SessionStore.open(self.store) as st:
            return st.create(
                scenario_text="id: x\n", scenario_path="x.yaml", scenario_id="x", seed=1
            )


Start = Callable[..., Awaitable[Served]]
TITLE = b"Quickstart"


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[Start]:
    runners: list[web.AppRunner] = []

    async def start(
        *,
        max_sessions: int = 4,
        max_viewers: int = 4,
        since: str | None = None,
        real_watcher: bool = False,
    ) -> Served:
        n = len(runners)
        store = tmp_path / f"store-{n}.db"
        sock = open_socket(Bind(socket.AF_INET, "127.0.0.1", True), 0)
        port = sock.getsockname()[1]
        console = Running(port, new_token(), web.Application(), tmp_path / f"console-{n}.jsonl")
        viewer = Running(port, new_token(), console.app, tmp_path / f"viewer-{n}.jsonl")
        projector = Projector(
            token=viewer.token,
            store=store,
            since=since or now_iso(),
            command=(
                watch_command(store)
                if real_watcher
                else [sys.executable, str(STUB), "echo", str(viewer.record)]
            ),
            max_viewers=max_viewers,
        )
        config = ServeConfig(
            command=[sys.executable, str(STUB), "echo", str(console.record)],
            token=console.token,
            port=port,
            max_sessions=max_sessions,
            echo=console.echoed.append,
            projector=projector,
        )
        console.app = viewer.app = build_app(config)
        runners.append(await start_site(console.app, sock))
        return Served(console, viewer, store)

    yield start
    for runner in runners:
        await runner.cleanup()


# --- tokens -------------------------------------------------------------------------------------


async def test_the_viewer_token_never_starts_a_console(serve: Start) -> None:
    s = await serve()
    s.new_session()
    base = f"ws://127.0.0.1:{s.console.port}"
    assert await ws_refusal(f"{base}/ws/{s.viewer.token}") == 403
    assert await status_of(f"{s.console.base}/?token={s.viewer.token}") == 403
    await asyncio.sleep(0.3)  # a console, had one been started, would have recorded itself
    assert s.console.starts() == []
    assert s.viewer.starts() == []


async def test_the_facilitator_token_opens_no_projector(serve: Start) -> None:
    s = await serve()
    sid = s.new_session()
    base = f"ws://127.0.0.1:{s.console.port}"
    assert await ws_refusal(f"{base}/watch/ws/{s.console.token}") == 403
    assert await ws_refusal(f"{base}/watch/ws/{s.console.token}/{sid}") == 403
    assert await status_of(f"{s.console.base}/watch?token={s.console.token}") == 403
    await asyncio.sleep(0.3)
    assert s.console.starts() == [] and s.viewer.starts() == []


async def test_wrong_viewer_tokens_are_refused(serve: Start) -> None:
    s = await serve()
    s.new_session()
    v = s.viewer.token
    base = f"ws://127.0.0.1:{s.console.port}/watch/ws"
    for token in ("wrong", v[:-1], v + "x", v.upper(), "%00"):
        assert await ws_refusal(f"{base}/{token}") == 403, token
        assert await status_of(f"{s.console.base}/watch?token={token}") == 403, token
    assert await status_of(f"{s.console.base}/watch") == 403
    assert await status_of(f"{s.console.base}/static/{v}/js/textual.js") == 200
    assert await status_of(f"{s.console.base}/static/{v}x/js/textual.js") == 403
    await asyncio.sleep(0.3)
    assert s.console.starts() == [] and s.viewer.starts() == []


async def test_a_projector_from_another_origin_or_host_is_refused(serve: Start) -> None:
    s = await serve()
    s.new_session()
    assert await ws_refusal(s.ws, origin="http://evil.example") == 403
    assert await status_of(s.page, Origin="http://evil.example") == 403
    assert await ws_refusal(s.ws, headers={"Host": f"evil.example:{s.console.port}"}) == 403
    await asyncio.sleep(0.3)
    assert s.viewer.starts() == []


async def test_the_projector_page_carries_only_the_viewer_token(serve: Start) -> None:
    s = await serve()
    async with aiohttp.ClientSession() as http, http.get(s.page) as r:
        assert r.status == 200
        text = await r.text()
    assert f"/watch/ws/{s.viewer.token}" in text
    assert s.console.token not in text
    assert await status_of(s.page + "&session=12") == 200
    for bad in ("x", "-1", "1/..", "9" * 20, ""):
        assert await status_of(s.page + f"&session={bad}") == 400, bad


# --- which session ------------------------------------------------------------------------------


async def test_no_session_yet_starts_nothing(serve: Start) -> None:
    s = await serve()
    assert await ws_refusal(s.ws) == 404
    await asyncio.sleep(0.3)
    assert s.viewer.starts() == []


async def test_the_projector_watches_the_newest_live_session(serve: Start) -> None:
    s = await serve(since="0000")
    s.new_session()
    newest = s.new_session()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws)
        started = await poll(lambda: s.viewer.starts(), "the watcher")
        assert started[0]["argv"] == [str(newest)]  # type: ignore[index]
        await ws.close()
    assert s.console.starts() == []


async def test_a_named_session_must_be_one_of_this_servers(serve: Start, tmp_path: Path) -> None:
    s = await serve(since="0000")
    first = s.new_session()
    s.new_session()
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(f"{s.ws}/{first}")
        started = await poll(lambda: s.viewer.starts(), "the watcher")
        assert started[0]["argv"] == [str(first)]  # type: ignore[index]
        await ws.close()
    for bad in ("999", "0", "x", "1e3", "9" * 20):
        assert await ws_refusal(f"{s.ws}/{bad}") == 404, bad
    await asyncio.sleep(0.3)
    assert len(s.viewer.starts()) == 1


def test_sessions_from_before_the_server_are_not_projected(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    with SessionStore.open(store) as st:
        old = st.create(scenario_text="id: x\n", scenario_path="x", scenario_id="x", seed=1)
        ended = st.create(scenario_text="id: x\n", scenario_path="x", scenario_id="x", seed=1)
        st.set_status(ended, "finished")
    later = Projector(token="t", store=store, since="9999", command=[])
    assert pick_session(later, None) is None
    assert pick_session(later, old) is None
    now = Projector(token="t", store=store, since="0000", command=[])
    assert pick_session(now, None) == old  # the finished one is not "live"
    assert pick_session(now, ended) == ended  # but may be named
    missing = Projector(token="t", store=tmp_path / "none.db", since="0000", command=[])
    assert pick_session(missing, None) is None
    assert not (tmp_path / "none.db").exists()


# --- what a viewer can do -----------------------------------------------------------------------


async def test_a_viewer_cannot_type_into_anything(serve: Start) -> None:
    s = await serve(since="0000")
    s.new_session()
    async with aiohttp.ClientSession() as http:
        facilitator = await http.ws_connect(s.console.ws)
        viewer = await http.ws_connect(s.ws)
        await poll(lambda: s.viewer.starts() and s.console.starts(), "both processes")
        for message in (
            ["stdin", "q"],
            ["stdin", "\x1b[A"],
            ["focus"],
            ["blur"],
            ["open_url", {"url": "http://evil.example"}],
        ):
            await viewer.send_json(message)
        await viewer.send_json(["resize", {"width": 100, "height": 30}])
        await viewer.send_json(["ping", "p1"])
        assert (await viewer.receive_json(timeout=LIMIT)) == ["pong", "p1"]
        await poll(
            lambda: any("meta" in e for e in s.viewer.entries()), "the resize to reach the watcher"
        )
        # The facilitator's console still takes keys.
        await facilitator.send_json(["stdin", "k"])
        echoed = await facilitator.receive(timeout=LIMIT)
        assert echoed.data == b"echo:k"
        await viewer.close()
        await facilitator.close()
    watcher = [e for e in s.viewer.entries() if "started" not in e]
    assert [e for e in watcher if "data" in e] == []
    metas = [e["meta"] for e in watcher if "meta" in e]
    assert {m["type"] for m in metas} <= {"resize", "quit"}  # type: ignore[index]
    assert [e["data"] for e in s.console.entries() if "data" in e] == ["k"]


async def test_viewers_have_their_own_cap(serve: Start) -> None:
    s = await serve(max_sessions=1, max_viewers=2, since="0000")
    s.new_session()
    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(s.ws)
        second = await http.ws_connect(s.ws)
        await poll(lambda: len(s.viewer.starts()) == 2, "two watchers")
        assert await ws_refusal(s.ws) == 503
        # A full projector does not take the facilitator's place, nor the other way round.
        console = await http.ws_connect(s.console.ws)
        await poll(lambda: len(s.console.starts()) == 1, "the facilitator's console")
        assert await ws_refusal(s.console.ws) == 503
        await first.close()
        await poll(lambda: len(s.console.app[VIEWERS]) == 1, "the first viewer to leave")
        third = await http.ws_connect(s.ws)
        await poll(lambda: len(s.viewer.starts()) == 3, "a watcher for the third viewer")
        for ws in (second, third, console):
            await ws.close()


def test_the_consoles_and_watchers_share_the_servers_store(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    console = console_command((), store)
    assert console[console.index("play") + 1 :] == ["--store", str(store), "--no-folder"]
    assert watch_command(store)[-4:] == ["tui", "watch", "--store", str(store)]


async def test_the_real_watcher_shows_the_players_view_and_ends_with_its_page(
    serve: Start,
) -> None:
    s = await serve(real_watcher=True)
    quickstart = Path(__file__).resolve().parents[2] / "scenarios" / "quickstart.yaml"
    with SessionStore.open(s.store) as st:
        st.create(
            scenario_text=quickstart.read_text(encoding="utf-8"),
            scenario_path=str(quickstart),
            scenario_id="quickstart",
            seed=1,
        )
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(s.ws + "?width=160&height=40")
        viewers = s.console.app[VIEWERS]

        def child_pid() -> int | None:
            child = next(iter(viewers)).child if viewers else None
            return child.pid if child is not None else None

        pid = int(await poll(child_pid, "the watcher process"))  # type: ignore[arg-type]
        screen = b""
        async with asyncio.timeout(60):
            while TITLE not in screen:
                message = await ws.receive()
                assert message.type == aiohttp.WSMsgType.BINARY, message
                screen += message.data
        # Keys are ignored: "q" and ctrl+q would quit the watcher, which would close the page.
        await ws.send_json(["focus"])
        await ws.send_json(["stdin", "q\x11"])
        await asyncio.sleep(1.0)  # time for a quit to happen, had the keys arrived (the stub
        # watcher test above proves exactly what arrives)
        await ws.send_json(["ping", "still-there"])
        async with asyncio.timeout(60):
            while (message := await ws.receive()).type == aiohttp.WSMsgType.BINARY:
                pass
        assert message.type == aiohttp.WSMsgType.TEXT, message
        assert message.json() == ["pong", "still-there"]
        assert alive(pid)
        await ws.close()
    await poll(lambda: not alive(pid), "the watcher to end")


# --- from the command line ----------------------------------------------------------------------


def _serve_lines(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_prints_a_projector_link_with_its_own_token(tmp_path: Path) -> None:
    store = tmp_path / "room.db"
    proc = _serve_lines("--store", str(store), "--max-viewers", "3")
    try:
        assert proc.stdout is not None
        printed: list[str] = []
        while not any("ctrl+c" in line for line in printed):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "serve ended"
            printed.append(line)
        text = "".join(printed)
        console = re.search(r"http://(\S+)/\?token=(\S+)", text)
        projector = re.search(r"http://(\S+)/watch\?token=(\S+)", text)
        assert console and projector
        assert console.group(2) != projector.group(2)
        assert str(store) in text and "3 projector pages" in text
        base = f"http://{projector.group(1)}"
        assert fetch(f"{base}/watch?token={projector.group(2)}") == 200
        assert fetch(f"{base}/watch?token={console.group(2)}") == 403
        assert fetch(f"{base}/?token={projector.group(2)}") == 403
        assert fetch(f"{base}/?token={console.group(2)}") == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
    assert proc.returncode == 0


@pytest.mark.parametrize("value", ["0", "65", "x"])
def test_a_bad_viewer_cap_is_a_usage_error(value: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "serve", "--max-viewers", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--max-viewers" in done.stderr
