"""`tabletop serve` from the command line: where it listens, what it prints, how it fails."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tui.app import TabletopApp
from tui.screens.picker import PickerScreen

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"
LIMIT = 30.0


def tabletop(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


@contextmanager
def serving(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Start `tabletop serve ARGS`; yield the printed address and the process."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + LIMIT
        url = None
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if m := re.search(r"http://\S+/\?token=\S+", line):
                url = m.group()
        assert url, proc.stderr.read() if proc.stderr else "no address printed"
        yield url, proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(url: str) -> int:
    deadline = time.monotonic() + LIMIT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return int(r.status)
        except urllib.error.HTTPError as e:
            return int(e.code)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.parametrize(
    "host",
    [
        "0.0.0.0",
        "::",
        "192.0.2.10",
        "example.invalid.0.0.0.0",
        "::ffff:192.0.2.10",
        "[::ffff:127.0.0.1%eth0]",
        "[::ffff:127.0.0.1",
        "::ffff:127.0.0.1\x1b[2J",
    ],
)
def test_a_host_other_machines_can_reach_needs_allow_remote(host: str) -> None:
    result = tabletop("serve", "--host", host, "--port", "0", timeout=60)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr + result.stdout
    assert "--host" in result.stderr
    assert "token=" not in result.stdout


@pytest.mark.parametrize("allow", [[], ["--allow-remote"]])
@pytest.mark.parametrize("host", ["::1%lo", "[fe80::1%eth0]"])
def test_a_host_with_a_zone_is_a_usage_error(host: str, allow: list[str]) -> None:
    """A link to an address with a zone cannot be opened: refused before listening."""
    result = tabletop("serve", "--host", host, "--port", "0", *allow, timeout=60)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr + result.stdout
    assert "--host" in result.stderr and "zone" in result.stderr
    assert "token=" not in result.stdout


def test_a_busy_port_is_one_line_and_exit_1() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = tabletop("serve", "--port", str(port))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(port) in lines[0] and "in use" in lines[0]


@pytest.mark.parametrize(
    "args", [["--max-sessions", "0"], ["--max-sessions", "100000"], ["--port", "70000"]]
)
def test_bad_limits_are_usage_errors(args: list[str]) -> None:
    result = tabletop("serve", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_a_bad_scenario_is_reported_before_serving(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nscenario: [\n", encoding="utf-8")
    result = tabletop("serve", str(QUICKSTART), str(bad))
    assert result.returncode == 1
    assert "bad.yaml:" in result.stderr and "Traceback" not in result.stderr
    assert "token=" not in result.stdout
    missing = tabletop("serve", str(tmp_path / "missing.yaml"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


@pytest.mark.parametrize(
    ("make", "said"),
    [
        ("folder", "is a folder"),
        ("garbage", "not a tabletop session store"),
        ("newer", "newer tabletop"),
    ],
)
def test_an_unusable_store_is_reported_before_serving(tmp_path: Path, make: str, said: str) -> None:
    """serve printed its address and 'Sessions are saved in ...' for a store every console
    would then refuse, one browser session after another."""
    import sqlite3

    from sim.session.store import SessionStore

    store = tmp_path / "s.sqlite3"
    if make == "folder":
        store.mkdir()
    elif make == "garbage":
        store.write_bytes(b"not a database at all" * 200)
    else:
        SessionStore.open(store).close()
        conn = sqlite3.connect(store)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    result = tabletop("serve", "--port", "0", "--store", str(store), timeout=30)
    # a folder named as --store is a usage error, as for every command (test_cli_paths_agree)
    assert result.returncode == (2 if make == "folder" else 1), result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr
    assert "token=" not in result.stdout


def test_each_start_prints_a_new_secret_address() -> None:
    with serving() as (first, _), serving() as (second, _):
        for url in (first, second):
            assert url.startswith("http://127.0.0.1:")
            assert fetch(url) == 200
            assert fetch(url.split("?")[0]) == 403
        token = first.split("token=")[1]
        assert token != second.split("token=")[1]
        assert len(token) >= 40


def banner_shape(text: str) -> list[str]:
    """The banner's lines with the tokens, port and store path that change at each start."""
    text = re.sub(r"token=\S+", "token=TOKEN", text)
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)
    text = re.sub(r"saved in \S+\.$", "saved in STORE.", text, flags=re.M)
    return [line.rstrip() for line in text.strip().splitlines()]


def test_the_facilitator_guide_shows_the_banner_serve_prints(tmp_path: Path) -> None:
    """docs/facilitator-guide.md, "In a browser", quotes what `serve` prints at start."""
    guide = (ROOT / "docs" / "facilitator-guide.md").read_text(encoding="utf-8")
    quoted = re.search(r"^```\n(tabletop serve: .*?)^```", guide, re.M | re.S)
    assert quoted, "the guide no longer quotes the banner"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", "0", "--store", str(tmp_path / "s.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    printed: list[str] = []
    try:
        assert proc.stdout is not None
        while len(printed) < 10 and not any("ctrl+c" in line for line in printed[-1:]):
            printed.append(proc.stdout.readline())
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert banner_shape("".join(printed)) == banner_shape(quoted.group(1))


def test_a_mapped_loopback_host_serves_this_machine_only() -> None:
    """`--host ::ffff:127.0.0.1` is 127.0.0.1 written as IPv6: no --allow-remote, no warning."""
    with serving("--host", "::ffff:127.0.0.1") as (url, proc):
        assert url.startswith("http://127.0.0.1:")
        assert fetch(url) == 200
    assert proc.stderr is not None
    errors = proc.stderr.read()
    assert "warning" not in errors and "Traceback" not in errors


def test_allow_remote_warns_and_serves() -> None:
    with serving("--host", "0.0.0.0", "--allow-remote") as (url, proc):
        port = re.search(r":(\d+)/", url).group(1)  # type: ignore[union-attr]
        token = url.split("token=")[1]
        assert fetch(f"http://127.0.0.1:{port}/?token={token}") == 200
        assert fetch(f"http://127.0.0.1:{port}/") == 403
    assert proc.stderr is not None
    warning = proc.stderr.read()
    assert "warning" in warning and "other machines" in warning
    assert "Traceback" not in warning


def test_ctrl_c_stops_the_server_without_a_traceback() -> None:
    with serving() as (url, proc):
        assert fetch(url) == 200
        port = int(re.search(r":(\d+)/", url).group(1))  # type: ignore[union-attr]
        for junk in (
            b"GARBAGE\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n",
            b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n",
            b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 100,
        ):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(junk)
                assert s.recv(100).startswith(b"HTTP/1.")
    assert proc.returncode == 0
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()


# --- the picker under serve --------------------------------------------------------------------


async def test_the_picker_offers_bundled_and_named_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = tmp_path / "named.yaml"
    named.write_text(QUICKSTART.read_text(encoding="utf-8"), encoding="utf-8")
    folder = tmp_path / "cwd"
    folder.mkdir()
    (folder / "stray.yaml").write_text(QUICKSTART.read_text(encoding="utf-8"))
    monkeypatch.chdir(folder)
    app = TabletopApp(files=[named])
    async with app.run_test() as pilot:
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        for _ in range(200):
            if picker.choices:
                break
            await pilot.pause(0.05)
        paths = [c.path for c in picker.choices]
        assert named in paths
        assert not any(p.name == "stray.yaml" for p in paths)
        assert all(c.bundled for c in picker.choices if c.path != named)
    everything = TabletopApp(files=[])
    async with everything.run_test() as pilot:
        picker = everything.screen
        assert isinstance(picker, PickerScreen)
        for _ in range(200):
            if picker.choices:
                break
            await pilot.pause(0.05)
        assert picker.choices and all(c.bundled for c in picker.choices)
