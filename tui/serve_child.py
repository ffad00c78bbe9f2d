"""One console process behind one browser session, and ending it for certain.

The console runs Textual's web driver: it prints ``__GANGLION__`` and then writes packets to
stdout (1 byte type, 4 bytes big-endian length, payload: ``D`` screen data, ``M`` JSON meta,
``P`` packed data) and reads the same framing on stdin. This is textual-serve's protocol; the
process handling is ours: the console starts in a session (and process group) of its own, and
:meth:`ConsoleChild.stop` ends the whole group (quit, then SIGTERM, then SIGKILL), so a console
blocked writing to a full pipe, or any process it started, cannot outlive its client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections.abc import AsyncIterator, Mapping, Sequence

PRELUDE = b"__GANGLION__\n"
MAX_PACKET = 32 * 1024 * 1024
"""Largest packet accepted from a console (a full 500x200 truecolor screen is far smaller)."""
WRITE_TIMEOUT = 5.0
"""Seconds a write to the console may wait before the session is given up."""
QUIT_GRACE = 2.0
"""Seconds a console has to quit by itself before its process group gets SIGTERM..."""
TERM_GRACE = 2.0
"""...and then to end after SIGTERM before SIGKILL."""
STDERR_TAIL = 4096


class ConsoleChild:
    """A console process started in its own session, spoken to in textual-serve's framing."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        self.argv = list(argv)
        self.environment = dict(env)
        self.process: asyncio.subprocess.Process | None = None
        self.stderr_tail = b""
        self._stderr_task: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self.environment,
            start_new_session=True,
        )
        self._stderr_task = asyncio.create_task(self._read_stderr())

    async def _read_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        with contextlib.suppress(Exception):
            while data := await self.process.stderr.read(4096):
                self.stderr_tail = (self.stderr_tail + data)[-STDERR_TAIL:]

    async def packets(self) -> AsyncIterator[tuple[bytes, bytes]]:
        """(type, payload) pairs from the console until it closes stdout or misbehaves."""
        assert self.process is not None and self.process.stdout is not None
        stdout = self.process.stdout
        try:
            for _ in range(10):
                line = await stdout.readline()
                if not line or line == PRELUDE:
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                if size > MAX_PACKET:
                    return
                yield kind, await stdout.readexactly(size)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            return

    async def send(self, kind: bytes, payload: bytes) -> bool:
        """Write one packet to the console; False if it is gone or does not read in time."""
        process = self.process
        if process is None or process.stdin is None or process.returncode is not None:
            return False
        try:
            process.stdin.write(kind + len(payload).to_bytes(4, "big") + payload)
            await asyncio.wait_for(process.stdin.drain(), WRITE_TIMEOUT)
        except (OSError, RuntimeError, TimeoutError):
            return False
        return True

    async def send_meta(self, meta: Mapping[str, object]) -> bool:
        return await self.send(b"M", json.dumps(meta).encode("utf-8"))

    async def _wait(self, timeout: float) -> bool:
        assert self.process is not None
        try:
            await asyncio.wait_for(asyncio.shield(self.process.wait()), timeout)
        except TimeoutError:
            return False
        return True

    def _signal_group(self, sig: signal.Signals) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, sig)

    async def stop(self, quit_grace: float = QUIT_GRACE, term_grace: float = TERM_GRACE) -> None:
        """End the console and every process in its group; returns once the console is reaped."""
        process = self.process
        if process is None:
            return
        if process.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), 1.0)
            if process.stdin is not None:
                with contextlib.suppress(Exception):
                    process.stdin.close()
            if not await self._wait(quit_grace):
                self._signal_group(signal.SIGTERM)
                if not await self._wait(term_grace):
                    self._signal_group(signal.SIGKILL)
                    await process.wait()
        # Whatever the console started in its group goes too (the group outlives its leader).
        self._signal_group(signal.SIGKILL)
        if self._stderr_task is not None:
            self._stderr_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._stderr_task
