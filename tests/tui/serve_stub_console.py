"""A stand-in console for the `tabletop serve` tests, speaking textual-serve's framing.

Usage: serve_stub_console.py MODE RECORD [ARGS...]. Every start appends a JSON line to RECORD
(pid, process group, session, the terminal size it was given, ARGS); then:

- ``echo``: log each packet from the server to RECORD and echo screen data back; exit on "quit";
- ``stubborn``: ignore SIGTERM and quit, start a helper in the same group that does the same,
  and write screen data to stdout forever (so it blocks in a pipe write once nobody reads).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys


def log(record: str, entry: dict[str, object]) -> None:
    with open(record, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def main() -> None:
    mode, record = sys.argv[1], sys.argv[2]
    log(
        record,
        {
            "started": os.getpid(),
            "pgid": os.getpgid(0),
            "sid": os.getsid(0),
            "columns": os.environ.get("COLUMNS"),
            "rows": os.environ.get("ROWS"),
            "argv": sys.argv[3:],
        },
    )
    out = sys.stdout.buffer
    out.write(b"__GANGLION__\n")
    out.flush()
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        helper = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)",
            ]
        )
        log(record, {"helper": helper.pid})
        chunk = packet(b"D", b"x" * 65536)
        while True:
            out.write(chunk)
            out.flush()
    inp = sys.stdin.buffer
    while len(head := inp.read(5)) == 5:
        payload = inp.read(int.from_bytes(head[1:], "big"))
        if head[:1] == b"M":
            meta = json.loads(payload)
            log(record, {"meta": meta})
            if meta.get("type") == "quit":
                break
        else:
            log(record, {"data": payload.decode("utf-8", "replace")})
            out.write(packet(b"D", b"echo:" + payload))
            out.flush()


if __name__ == "__main__":
    main()
