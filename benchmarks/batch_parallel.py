"""Parallel speed-up of `tabletop batch`: 2 worker processes against 1, same results.

Run: python benchmarks/batch_parallel.py [--runs 2000] [--pairs 3]

The same recipe (quickstart, two playbooks) runs serially and with a pool of 2 workers, in
ABBA order; the results must be identical (asserted), and the median speed-up is printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.batch.recipe import recipe_from_files  # noqa: E402
from sim.batch.results import batch_data, to_json  # noqa: E402
from sim.batch.runner import run_batch  # noqa: E402

BOOKS = ROOT / "scenarios" / "playbooks"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    recipe = recipe_from_files(
        ROOT / "scenarios" / "quickstart.yaml",
        [BOOKS / "quickstart--cooperate.yaml", BOOKS / "quickstart--go-it-alone.yaml"],
        runs=args.runs,
        seed=1,
    )
    results: dict[int, str] = {}

    def timed(jobs: int) -> float:
        start = time.perf_counter()
        result = run_batch(recipe, jobs=jobs)
        seconds = time.perf_counter() - start
        text = to_json(batch_data(result))
        assert results.setdefault(jobs, text) == text
        return seconds

    ratios = []
    for _ in range(args.pairs):
        a1, b1, b2, a2 = timed(1), timed(2), timed(2), timed(1)
        ratios.append((a1 + a2) / (b1 + b2))
    assert results[1] == results[2], "2 workers must give the same results as 1"
    speedup = statistics.median(ratios)
    print(f"replications per policy: {args.runs} (2 policies), results identical: yes")
    print(f"batch speed-up, 2 workers / 1: {speedup:.2f}x (target >= 1.7x)")
    print(f"batch speed-up per worker: {speedup / 2:.2f} (ideal 1.0)")


if __name__ == "__main__":
    main()
