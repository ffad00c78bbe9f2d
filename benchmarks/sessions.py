"""Session store costs as ratios to references measured side by side.

Run: python benchmarks/sessions.py [--commands 300] [--pairs 5]

Prints:
- saving one command (a committed, fsynced SQLite transaction through SessionStore.append)
  against a bare `INSERT` + `COMMIT` on the same kind of file with the same settings (WAL,
  synchronous=FULL): what our bookkeeping costs on top of the disk's floor;
- resuming a session of N commands (read, decode, check the scenario file, replay) against
  loading the scenario text and replaying the same commands in memory with sim.replay: what
  the store adds to a resume.
Absolute times drift on shared machines and disks; only the ratios are meant to be compared.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.commands import Advance, Command, Note  # noqa: E402
from sim.replay import replay  # noqa: E402
from sim.session.journal import start_session  # noqa: E402
from sim.session.resume import load_text, resume_session  # noqa: E402
from sim.session.store import SessionStore  # noqa: E402

QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"
TEXT = QUICKSTART.read_text(encoding="utf-8")
SCENARIO = load_text(TEXT, str(QUICKSTART))


def commands(n: int) -> list[Command]:
    out: list[Command] = []
    for i in range(n):
        out.append(Advance(to=(i + 1) * 0.5) if i % 3 else Note(text=f"note {i}"))
    return out


def store_appends(folder: Path, cmds: list[Command]) -> float:
    store = SessionStore.open(folder / "store.sqlite3")
    sid = store.create(
        scenario_text=TEXT, scenario_path=str(QUICKSTART), scenario_id="quickstart", seed=1
    )
    start = time.perf_counter()
    for i, c in enumerate(cmds):
        store.append(sid, float(i), c)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed / len(cmds)


def bare_inserts(folder: Path, cmds: list[Command]) -> float:
    conn = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE c (seq INTEGER PRIMARY KEY, body TEXT)")
    bodies = [repr(c) for c in cmds]
    start = time.perf_counter()
    for i, body in enumerate(bodies):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO c VALUES (?, ?)", (i, body))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed / len(cmds)


def recorded_session(folder: Path, n: int) -> tuple[Path, list[Command]]:
    path = folder / "resume.sqlite3"
    store = SessionStore.open(path)
    ex = start_session(store, SCENARIO, TEXT, QUICKSTART, 1)
    t = 0.0
    while len(ex.command_log) < n and not ex.finished:
        t += 0.25
        ex.run_until(t)
        if len(ex.command_log) % 5 == 0:
            ex.note(f"note at {t}")
    store.close()
    return path, [e.command for e in ex.command_log]


def time_resume(path: Path) -> float:
    store = SessionStore.open(path)
    start = time.perf_counter()
    resume_session(store, 1)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def time_replay(cmds: list[Command]) -> float:
    """The same work without the store: load the scenario text, replay the commands."""
    start = time.perf_counter()
    replay(load_text(TEXT, str(QUICKSTART)), 1, cmds)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=300)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    cmds = commands(args.commands)
    ratios, ours, floor = [], [], []
    for _ in range(args.pairs):
        with tempfile.TemporaryDirectory() as tmp:
            a = store_appends(Path(tmp), cmds)
            b = bare_inserts(Path(tmp), cmds)
        ours.append(a)
        floor.append(b)
        ratios.append(a / b)
    print(
        f"save one command: {statistics.median(ours) * 1e3:.2f} ms, bare insert+commit "
        f"{statistics.median(floor) * 1e3:.2f} ms: ratio {statistics.median(ratios):.2f}x"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path, logged = recorded_session(Path(tmp), args.commands)
        pairs = [(time_resume(path), time_replay(logged)) for _ in range(args.pairs)]
    r = statistics.median(a / b for a, b in pairs)
    print(
        f"resume a session of {len(logged)} commands: "
        f"{statistics.median(a for a, _ in pairs) * 1e3:.1f} ms, load + in-memory replay "
        f"{statistics.median(b for _, b in pairs) * 1e3:.1f} ms: ratio {r:.2f}x"
    )


if __name__ == "__main__":
    main()
