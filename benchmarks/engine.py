"""Engine speed as ratios to references measured side by side (see ../shared/brief/PERFORMANCE.md).

Run: python benchmarks/engine.py [--pairs 30]

Prints, for the quickstart scenario:
- the engine's time per run against the same campaign written by hand in bare SimPy
  (what our bookkeeping costs), and per record against a pure-Python heapq event loop
  (the floor for an interpreted engine);
- start-up of `tabletop --help` and `tabletop validate` against `python -c pass` and the
  bare `import simpy, numpy, yaml` floor.
Absolute times drift on shared machines; only the ratios are meant to be compared.
"""

from __future__ import annotations

import argparse
import heapq
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.deciders import PlaybookDecider, play  # noqa: E402
from sim.engine import Exercise  # noqa: E402
from sim.loader import load_scenario  # noqa: E402
from sim.playbook import load_playbook  # noqa: E402

SCENARIO = load_scenario(ROOT / "scenarios" / "quickstart.yaml")
BOOK = PlaybookDecider(
    load_playbook(ROOT / "scenarios/playbooks/quickstart--cooperate.yaml", SCENARIO)
)


def engine_run(seed: int) -> int:
    ex = Exercise(SCENARIO, seed)
    play(ex, BOOK)
    return len(ex.records)


def bare_simpy_run(seed: int) -> int:
    """The quickstart's campaign and responses, hand-written: timeouts, a resource, a log."""
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    log: list[tuple[float, str]] = []
    staff = simpy.Resource(env, capacity=1)
    state = {"exposed": 0.0, "stopped": False}

    def campaign() -> simpy.events.ProcessGenerator:
        yield env.timeout(rng.triangular(24, 48, 120))
        log.append((env.now, "exfiltration"))
        while not state["stopped"] and env.now < 720:
            yield env.timeout(rng.exponential(24))
            state["exposed"] += 1.5
            log.append((env.now, "exposed"))

    def hunt(delay: float, duration: float) -> simpy.events.ProcessGenerator:
        yield env.timeout(delay)
        with staff.request() as req:
            yield req
            log.append((env.now, "hunt started"))
            yield env.timeout(duration)
        if rng.random() < 0.7:
            state["stopped"] = True
        log.append((env.now, "hunt done"))

    env.process(campaign())
    env.process(hunt(6, rng.lognormal(np.log(60), 0.4)))
    env.process(hunt(27, rng.triangular(120, 200, 400)))
    env.run(until=720)
    return len(log)


def heapq_loop(n: int) -> int:
    """The floor: n events through a plain heap with a dict record each."""
    heap = [(float(i % 97), i) for i in range(n)]
    heapq.heapify(heap)
    log = []
    while heap:
        t, i = heapq.heappop(heap)
        log.append({"t": t, "i": i})
    return len(log)


def slice_time(fn: Callable[[int], int], budget: float = 0.03) -> tuple[float, int]:
    """Time per call, running fn with fresh seeds for about `budget` seconds."""
    calls = units = 0
    start = time.perf_counter()
    while time.perf_counter() - start < budget:
        units += fn(calls)
        calls += 1
    return (time.perf_counter() - start) / calls, units // calls


def abba(a: Callable[[], float], b: Callable[[], float], pairs: int) -> tuple[float, float]:
    """Median and spread (IQR) of b/a over interleaved A B B A slices."""
    ratios = []
    for _ in range(pairs):
        a1, b1, b2, a2 = a(), b(), b(), a()
        ratios.append((b1 + b2) / (a1 + a2))
    q = statistics.quantiles(ratios, n=4)
    return statistics.median(ratios), q[2] - q[0]


def startup(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=30)
    args = parser.parse_args()

    records = engine_run(0)
    print(f"quickstart: {records} records per run (seed 0)")

    ratio, spread = abba(
        lambda: slice_time(bare_simpy_run)[0], lambda: slice_time(engine_run)[0], args.pairs
    )
    print(f"engine run / hand-written SimPy run:        {ratio:6.2f}x  (IQR {spread:.2f})")

    def engine_per_record() -> float:
        per_run, n = slice_time(engine_run)
        return per_run / n

    def floor_per_event() -> float:
        per_call, n = slice_time(lambda _: heapq_loop(1000))
        return per_call / n

    ratio, spread = abba(floor_per_event, engine_per_record, args.pairs)
    print(f"engine per record / heapq floor per event: {ratio:6.2f}x  (IQR {spread:.2f})")

    py = sys.executable
    tabletop = [py, "-m", "tui.cli"]
    floor = [py, "-c", "import simpy, numpy, yaml"]
    for label, cmd in (
        ("tabletop --help", [*tabletop, "--help"]),
        (
            "tabletop validate quickstart",
            [*tabletop, "validate", str(ROOT / "scenarios/quickstart.yaml")],
        ),
    ):
        pairs = max(5, args.pairs // 3)
        vs_pass, _ = abba(lambda: startup([py, "-c", "pass"]), lambda c=cmd: startup(c), pairs)
        vs_import, _ = abba(lambda: startup(floor), lambda c=cmd: startup(c), pairs)
        print(f"{label:<30} / python -c pass: {vs_pass:5.1f}x   / import floor: {vs_import:5.2f}x")


if __name__ == "__main__":
    main()
