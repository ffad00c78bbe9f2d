"""Engine speed as ratios to references measured side by side (see ../shared/brief/PERFORMANCE.md).

Run: python benchmarks/engine.py [--pairs 30]

Prints one line per figure, `name: value (target)`, for the quickstart scenario under the
cooperate playbook:
- SimPy events per run, engine and hand-written reference (they should be close: the
  reference does the same work, see quickstart_reference.py and tests/batch/test_reference.py);
- Python bytecode instructions per run, engine (no log) and reference: a count, the same on
  any machine at any load, which follows the CPU-time ratio closely;
- the engine's time per run against that reference, as a batch plays it (no log kept: the
  target line), and as `tabletop run` plays it (every record built: a reference line); and
  per SimPy event against a pure-Python heapq event loop (the floor for an interpreted engine);
- each v1 scenario (the files of tests/data/v1, as they stood before format v2) played to its
  end with every decision defaulting, per run against the same hand-written quickstart run: a
  fixed yardstick, so "v1 runs do not get slower" is a ratio that must not grow;
Start-up is measured by startup.py. Times are CPU times of interleaved slices; absolute times
drift on shared machines, only the ratios are meant to be compared (say the load beside them).
"""

from __future__ import annotations

import argparse
import heapq
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quickstart_reference import reference_run  # noqa: E402

from sim import engine as sim_engine  # noqa: E402
from sim.deciders import DefaultDecider, PlaybookDecider, play  # noqa: E402
from sim.engine import Exercise  # noqa: E402
from sim.loader import load_scenario  # noqa: E402
from sim.playbook import load_playbook  # noqa: E402
from sim.schema import Scenario  # noqa: E402

SCENARIO = load_scenario(ROOT / "scenarios" / "quickstart.yaml")
BOOK = PlaybookDecider(
    load_playbook(ROOT / "scenarios/playbooks/quickstart--cooperate.yaml", SCENARIO)
)


V1 = sorted((ROOT / "tests" / "data" / "v1" / "scenarios").glob("*.yaml"))


def v1_run(scenario: Scenario) -> Callable[[int], int]:
    """One run of a v1 scenario, every decision left to its default."""

    def run(seed: int) -> int:
        ex = Exercise(scenario, seed)
        play(ex, DefaultDecider())
        return len(ex.records)

    return run


def engine_run(seed: int) -> int:
    """A run as a batch plays it: no log kept (records counted, not built)."""
    ex = Exercise(SCENARIO, seed, log=False)
    play(ex, BOOK)
    return ex.recorded


def logged_run(seed: int) -> int:
    """A run as `tabletop run` plays it: every record built and kept."""
    ex = Exercise(SCENARIO, seed)
    play(ex, BOOK)
    return len(ex.records)


def reference_run_events(seed: int) -> int:
    """The same run written by hand in bare SimPy (benchmarks/quickstart_reference.py)."""
    return reference_run(seed)[2]


def count_engine_events(seeds: range) -> float:
    """SimPy events the engine processes per run (counted outside any timing): those its
    stepping loop pops from SimPy's schedule itself, and any stepped by SimPy."""
    count = 0
    original_step, original_pop = simpy.Environment.step, sim_engine.heappop

    def stepping(self: simpy.Environment) -> None:
        nonlocal count
        count += 1
        original_step(self)

    def popping(heap: list[Any]) -> Any:
        nonlocal count
        count += 1
        return original_pop(heap)

    simpy.Environment.step = stepping  # type: ignore[method-assign]
    sim_engine.heappop = popping
    try:
        for seed in seeds:
            engine_run(seed)
    finally:
        simpy.Environment.step = original_step  # type: ignore[method-assign]
        sim_engine.heappop = original_pop
    return count / len(seeds)


def bytecodes_per_run(fn: Callable[[int], int], seeds: range) -> float:
    """Python bytecode instructions executed per call of fn (a trace of each instruction,
    after warm-up calls): the same count on any machine and at any load. The interpreter
    pays a dispatch per instruction (a jump its branch predictor often misses), so the ratio
    follows CPU time more closely than machine instructions do (docs/performance.md)."""
    for seed in range(20):
        fn(seed)
    count = 0

    def tracer(frame: FrameType, event: str, _arg: object) -> Any:
        nonlocal count
        frame.f_trace_opcodes = True
        frame.f_trace_lines = False
        if event == "opcode":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        for seed in seeds:
            fn(seed)
    finally:
        sys.settrace(None)
    return count / len(seeds)


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
    """CPU time per call (``time.process_time``: what other processes on a shared machine
    take is not counted), running fn with fresh seeds for about `budget` CPU seconds."""
    calls = units = 0
    start = time.process_time()
    while time.process_time() - start < budget:
        units += fn(calls)
        calls += 1
    return (time.process_time() - start) / calls, units // calls


def timed(fn: Callable[[int], int]) -> Callable[[], float]:
    """A slice of fn, timed (see slice_time)."""
    return lambda: slice_time(fn)[0]


def abba(a: Callable[[], float], b: Callable[[], float], pairs: int) -> tuple[float, float]:
    """Median and spread (IQR) of b/a over interleaved A B B A slices."""
    ratios = []
    for _ in range(pairs):
        a1, b1, b2, a2 = a(), b(), b(), a()
        ratios.append((b1 + b2) / (a1 + a2))
    q = statistics.quantiles(ratios, n=4)
    return statistics.median(ratios), q[2] - q[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=30)
    args = parser.parse_args()

    seeds = range(200)
    engine_events = count_engine_events(seeds)
    ref_events = sum(reference_run(s)[2] for s in seeds) / len(seeds)
    print(f"simpy events per run, engine: {engine_events:.1f} (reference {ref_events:.1f})")
    ours, theirs = (
        bytecodes_per_run(fn, range(1000, 1100)) for fn in (engine_run, reference_run_events)
    )
    print(
        f"bytecode instructions per run, engine batch run / hand-written: {ours / theirs:.3f}x "
        f"({ours:,.0f} against {theirs:,.0f}; reference point, load-independent)"
    )

    for name, run, target in (
        ("engine batch run (no log)", engine_run, "target <= 1.3x"),
        ("engine logged run", logged_run, "reference point"),
    ):
        ratio, spread = abba(
            lambda: slice_time(reference_run_events)[0],
            lambda run=run: slice_time(run)[0],  # type: ignore[misc]
            args.pairs,
        )
        print(f"{name} / hand-written SimPy run: {ratio:.2f}x IQR {spread:.2f} ({target})")

    def per_event(fn: Callable[[int], int], events: float) -> Callable[[], float]:
        return lambda: slice_time(fn)[0] / events

    def floor_per_event() -> float:
        per_call, n = slice_time(lambda _: heapq_loop(1000))
        return per_call / n

    ratio, spread = abba(floor_per_event, per_event(engine_run, engine_events), args.pairs)
    print(
        f"engine (no log) per simpy event / heapq floor: {ratio:.2f}x IQR {spread:.2f} "
        "(reference point)"
    )
    ratio, spread = abba(floor_per_event, per_event(reference_run_events, ref_events), args.pairs)
    print(f"hand-written per event / heapq floor: {ratio:.2f}x IQR {spread:.2f} (reference point)")

    for path in V1:
        ratio, spread = abba(
            timed(reference_run_events), timed(v1_run(load_scenario(path))), max(5, args.pairs // 2)
        )
        print(
            f"v1 {path.stem} run (decisions defaulting) / hand-written quickstart run: "
            f"{ratio:.2f}x IQR {spread:.2f} (must not grow)"
        )


if __name__ == "__main__":
    main()
