"""The served console in a real browser (headless chromium): the facilitator gets in.

The locks on `tabletop serve` (token, Host, Origin, the page's content security policy) must
not lock out the browser they are for: the page loads, its websocket connects, the console's
first screen arrives, and the browser reports no blocked content.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tui.serve import SESSIONS, ServeConfig, build_app, console_command, open_socket, start_site
from tui.serve_guard import Bind, new_token

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs chromium (apt-get install chromium)"
)


async def _devtools_page(profile: Path) -> str:
    """The websocket address of the browser's first page, once chromium is up."""
    port_file = profile / "DevToolsActivePort"
    async with asyncio.timeout(60):
        while not port_file.exists() or not port_file.read_text().strip():
            await asyncio.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        async with aiohttp.ClientSession() as http:
            while True:
                async with http.get(f"http://127.0.0.1:{port}/json/list") as r:
                    pages = [p for p in await r.json() if p.get("type") == "page"]
                if pages:
                    return str(pages[0]["webSocketDebuggerUrl"])
                await asyncio.sleep(0.1)


async def test_the_browser_gets_the_console(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    sock = open_socket(Bind(socket.AF_INET, "127.0.0.1", True), 0)
    port = sock.getsockname()[1]
    token = new_token()
    app = build_app(ServeConfig(command=console_command([]), token=token, port=port))
    runner = await start_site(app, sock)
    profile = tmp_path / "profile"
    browser = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ids = itertools.count(1)
    logged: list[str] = []
    try:
        page = await _devtools_page(profile)
        async with aiohttp.ClientSession() as http, http.ws_connect(page, max_msg_size=0) as cdp:

            async def call(method: str, **params: Any) -> dict[str, Any]:
                n = next(ids)
                await cdp.send_json({"id": n, "method": method, "params": params})
                while True:
                    message = await cdp.receive_json()
                    if message.get("method") == "Log.entryAdded":
                        logged.append(message["params"]["entry"]["text"])
                    if message.get("id") == n:
                        return dict(message.get("result", {}))

            await call("Log.enable")
            await call("Page.navigate", url=f"http://127.0.0.1:{port}/?token={token}")
            async with asyncio.timeout(90):
                while True:
                    result = await call(
                        "Runtime.evaluate", expression="document.body && document.body.className"
                    )
                    classes = str(result.get("result", {}).get("value") or "")
                    if "-first-byte" in classes:
                        break
                    await asyncio.sleep(0.2)
            assert len(app[SESSIONS]) == 1
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
        await runner.cleanup()
    blocked = [t for t in logged if "Content Security Policy" in t or "Refused" in t]
    assert blocked == [], json.dumps(blocked, indent=1)
