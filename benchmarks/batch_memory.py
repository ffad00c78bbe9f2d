"""Memory of a batch stays flat: peak memory of 100,000 runs against 1,000.

Run: python benchmarks/batch_memory.py [--runs 100000]

Each size runs in a fresh process (one job, so the tally and the engine share it) that
reports its own peak resident memory. The tally keeps counts, sums and a fixed-size sample,
never per-run lists, so the ratio should be about 1.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys
sys.path.insert(0, {root!r})
from sim.batch.recipe import recipe_from_files
from sim.batch.runner import run_batch
recipe = recipe_from_files({scenario!r}, [{book!r}], runs={runs}, seed=1)
result = run_batch(recipe)
assert result.runs_done == {runs}
print(json.dumps({{"peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def peak_kib(runs: int) -> int:
    code = CHILD.format(
        root=str(ROOT),
        scenario=str(ROOT / "scenarios" / "quickstart.yaml"),
        book=str(ROOT / "scenarios" / "playbooks" / "quickstart--cooperate.yaml"),
        runs=runs,
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(json.loads(out.stdout.strip().splitlines()[-1])["peak_kib"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    args = parser.parse_args()
    small = peak_kib(1000)
    large = peak_kib(args.runs)
    print(f"batch peak memory, 1,000 runs: {small / 1024:.1f} MiB (reference)")
    print(f"batch peak memory, {args.runs:,} runs: {large / 1024:.1f} MiB (reference)")
    print(f"batch memory {args.runs:,} / 1,000 runs: {large / small:.2f}x (target <= 1.1x)")


if __name__ == "__main__":
    main()
