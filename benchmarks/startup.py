"""Start-up of the `tabletop` command against starting Python and importing what it must.

Run: python benchmarks/startup.py [--pairs 15]

- `tabletop --help` and `--version` against `python -c pass`;
- `tabletop play --help` against `python -c pass` (reference: click and the command modules);
- `tabletop validate quickstart` against the `import simpy, numpy, yaml` floor, and how much
  of that difference is importing pydantic alone, and declaring one model (references).

Timed as an installed copy runs: with bytecode caches (PYTHONDONTWRITEBYTECODE is dropped from
the children's environment and every command runs once before timing), through the installed
`tabletop` script when there is one. Each figure is the median of interleaved ABBA slices.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def tabletop_command() -> list[str]:
    """The installed console script beside this Python, else `python -m tui`."""
    script = Path(sys.executable).with_name("tabletop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


def timed(cmd: list[str]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, env=ENV, cwd=ROOT)
        return time.perf_counter() - start

    run()  # writes the bytecode caches, warms the file cache
    return run


def abba(a: Callable[[], float], b: Callable[[], float], pairs: int) -> tuple[float, float]:
    """Median of b/a and of b-a (seconds) over interleaved a b b a slices."""
    ratios, diffs = [], []
    for _ in range(pairs):
        a1, b1, b2, a2 = a(), b(), b(), a()
        ratios.append((b1 + b2) / (a1 + a2))
        diffs.append((b1 + b2 - a1 - a2) / 2)
    return statistics.median(ratios), statistics.median(diffs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    tabletop = tabletop_command()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (reference)")

    bare = timed([py, "-c", "pass"])
    ratio, _ = abba(bare, timed([*tabletop, "--help"]), args.pairs)
    print(f"tabletop --help / python -c pass: {ratio:.2f}x (target <= 2x)")
    ratio, _ = abba(bare, timed([*tabletop, "--version"]), args.pairs)
    print(f"tabletop --version / python -c pass: {ratio:.2f}x (target <= 2x)")
    ratio, _ = abba(bare, timed([*tabletop, "play", "--help"]), args.pairs)
    print(f"tabletop play --help / python -c pass: {ratio:.2f}x (reference)")

    floor = timed([py, "-c", "import simpy, numpy, yaml"])
    validate = timed([*tabletop, "validate", str(ROOT / "scenarios" / "quickstart.yaml")])
    _, extra = abba(floor, validate, args.pairs)
    print(f"tabletop validate - import floor: {extra * 1000:+.0f} ms (target <= +50 ms)")
    used = subprocess.run(
        [py, "-c", "from sim import coreschemas; print(coreschemas._matches())"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    state = "used" if used == "True" else "NOT used: regenerate with python -m sim.coreschemas"
    print(f"validate's pre-generated core schemas: {state} (reference)")
    pydantic = timed(
        [py, "-c", "import simpy, numpy, yaml, pydantic; from pydantic import BaseModel"]
    )
    _, extra = abba(floor, pydantic, args.pairs)
    print(f"import pydantic - import floor: {extra * 1000:+.0f} ms (reference: part of validate)")
    model = timed(
        [py, "-c", "import simpy, numpy, yaml, pydantic\nclass M(pydantic.BaseModel):\n x: int"]
    )
    _, extra = abba(floor, model, args.pairs)
    print(
        f"declaring a pydantic model - import floor: {extra * 1000:+.0f} ms "
        "(reference: what any use of pydantic costs, pydantic.fields and pydantic.types included)"
    )
    print(f"load average after: {os.getloadavg()[0]:.1f} (reference)")


if __name__ == "__main__":
    main()
