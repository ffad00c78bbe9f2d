"""Parallel speed-up of `tabletop batch`: 2 worker processes against 1, same results.

Run: python benchmarks/batch_parallel.py [--runs 2000] [--pairs 3]

The same recipe (quickstart, two playbooks) runs serially and with a pool of 2 workers, in
ABBA order; the results must be identical (asserted), and the median speed-up is printed.

Beside it, the ceiling the machine allows at that moment: the same runs in 2 plain forked
processes (half each, no pool, no tally) against 1, measured in the same slices. On an idle
2-core machine the ceiling is near 2; other load on the machine lowers both figures, and the
pool's own cost is the gap between them ("share of the ceiling").
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.batch.recipe import Recipe, recipe_from_files  # noqa: E402
from sim.batch.replicate import prepared, run_chunk  # noqa: E402
from sim.batch.results import batch_data, to_json  # noqa: E402
from sim.batch.runner import run_batch  # noqa: E402

BOOKS = ROOT / "scenarios" / "playbooks"


def plain(recipe: Recipe, processes: int) -> float:
    """Seconds for the recipe's runs split over plain forked processes (no pool, no tally)."""
    prepared(recipe)  # parsed once here, inherited by the children as by the pool's workers
    context = multiprocessing.get_context("fork")
    bounds = [recipe.runs * k // processes for k in range(processes + 1)]
    start = time.perf_counter()
    children = [
        context.Process(target=run_chunk, args=(recipe, bounds[k], bounds[k + 1]))
        for k in range(processes)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
    return time.perf_counter() - start


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

    ratios, ceilings = [], []
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (reference)")
    for _ in range(args.pairs):
        a1, c1, b1, d1 = timed(1), plain(recipe, 1), timed(2), plain(recipe, 2)
        d2, b2, c2, a2 = plain(recipe, 2), timed(2), plain(recipe, 1), timed(1)
        ratios.append((a1 + a2) / (b1 + b2))
        ceilings.append((c1 + c2) / (d1 + d2))
    assert results[1] == results[2], "2 workers must give the same results as 1"
    speedup = statistics.median(ratios)
    ceiling = statistics.median(ceilings)
    print(f"replications per policy: {args.runs} (2 policies), results identical: yes")
    print(f"batch speed-up, 2 workers / 1: {speedup:.2f}x (target >= 1.7x)")
    print(f"batch speed-up per worker: {speedup / 2:.2f} (ideal 1.0)")
    print(f"ceiling now, 2 plain processes / 1: {ceiling:.2f}x (reference)")
    print(f"batch speed-up / ceiling: {speedup / ceiling:.2f} (reference: the pool's share)")
    print(f"load average after: {os.getloadavg()[0]:.1f} (reference)")


if __name__ == "__main__":
    main()
