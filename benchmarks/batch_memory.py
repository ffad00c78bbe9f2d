"""Memory of a batch stays flat: peak memory of 1,000, 10,000 and 100,000 runs.

Run: python benchmarks/batch_memory.py [--runs 100000] [--sizes 1000,10000]

Each size runs in a fresh process (one job, so the tally and the engine share it) that
reports its own peak resident memory and how long it took. The tally keeps counts, sums and
a fixed-size sample, never per-run lists, so the ratio to 1,000 runs should be about 1.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from sim.batch.recipe import recipe_from_files
from sim.batch.runner import run_batch
recipe = recipe_from_files({scenario!r}, [{book!r}], runs={runs}, seed=1)
result = run_batch(recipe)
assert result.runs_done == {runs}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"peak_kib": peak, "seconds": time.perf_counter() - start}}))
"""


def peak_kib(runs: int) -> tuple[int, float]:
    """Peak resident memory (KiB) of a fresh process running the batch, and its seconds."""
    code = CHILD.format(
        root=str(ROOT),
        scenario=str(ROOT / "scenarios" / "quickstart.yaml"),
        book=str(ROOT / "scenarios" / "playbooks" / "quickstart--cooperate.yaml"),
        runs=runs,
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return int(got["peak_kib"]), float(got["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument(
        "--sizes", default="10000", help="Sizes between 1,000 and --runs, comma-separated."
    )
    args = parser.parse_args()
    sizes = [1000, *(int(n) for n in args.sizes.split(",") if n and 1000 < int(n) < args.runs)]
    small = 0
    for runs in [*sizes, args.runs]:
        peak, seconds = peak_kib(runs)
        small = small or peak
        print(
            f"batch peak memory, {runs:,} runs: {peak / 1024:.1f} MiB in {seconds:.0f} s "
            "(reference)",
            flush=True,
        )
    print(f"batch memory {args.runs:,} / 1,000 runs: {peak / small:.2f}x (target <= 1.1x)")


if __name__ == "__main__":
    main()
