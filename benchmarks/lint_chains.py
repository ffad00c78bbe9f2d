"""How `validate`, `lint` and `graph` grow on hostile shapes (tests/sim/hostile_shapes.py).

Run: python benchmarks/lint_chains.py [--size N] [--shapes a,b]

For each shape, each command's CPU time on a file of 4N elements divided by its time on N
(the median of 3 tries each): work in proportion to the file gives about 4×, work in
proportion to its square 16×. Printed as `name: value (target)`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "sim"))

from hostile_shapes import SHAPES  # noqa: E402

from sim.authoring.graph import to_dot, to_mermaid  # noqa: E402
from sim.authoring.lint import lint_file  # noqa: E402
from sim.flow import scenario_flow  # noqa: E402
from sim.loader import check_scenario_file  # noqa: E402


def _validate(path: Path) -> None:
    check_scenario_file(path)


def _graph(path: Path) -> None:
    scenario, _ = check_scenario_file(path)
    assert scenario is not None
    flow = scenario_flow(scenario)
    to_mermaid(flow)
    to_dot(flow, variables=False)


def _lint(path: Path) -> None:
    lint_file(path)


COMMANDS: dict[str, Callable[[Path], None]] = {
    "validate": _validate,
    "graph": _graph,
    "lint": _lint,
}


def _cpu(command: Callable[[Path], None], path: Path, tries: int = 3) -> float:
    times = []
    for _ in range(tries):
        start = time.process_time()
        command(path)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for shape in args.shapes.split(","):
            small, large = Path(folder, "small.yaml"), Path(folder, "large.yaml")
            small.write_text(SHAPES[shape](args.size), encoding="utf-8")
            large.write_text(SHAPES[shape](4 * args.size), encoding="utf-8")
            for name, command in COMMANDS.items():
                ratio = _cpu(command, large) / max(_cpu(command, small), 1e-9)
                print(
                    f"{name} {shape} {4 * args.size} / {args.size}: {ratio:.1f}× (≤ 6×)",
                    flush=True,
                )


if __name__ == "__main__":
    main()
