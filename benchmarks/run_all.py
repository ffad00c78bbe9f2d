"""Run every benchmark, one after another; each prints `name: value (target)` lines.

Run: python benchmarks/run_all.py [--quick]

--quick uses fewer pairs and runs (a smoke test of the scripts, not figures to record).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL = [
    ["engine.py", "--pairs", "30"],
    ["startup.py", "--pairs", "15"],
    ["batch_parallel.py", "--runs", "2000", "--pairs", "3"],
    ["batch_memory.py", "--runs", "100000"],
    ["tui_startup.py"],
    ["lint_chains.py", "--size", "2000"],
]
QUICK = [
    ["engine.py", "--pairs", "5"],
    ["startup.py", "--pairs", "2"],
    ["batch_parallel.py", "--runs", "200", "--pairs", "1"],
    ["batch_memory.py", "--runs", "3000"],
    ["tui_startup.py", "3"],
    ["lint_chains.py", "--size", "100", "--shapes", "after_chain_reversed"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    failed = 0
    for script, *rest in QUICK if args.quick else FULL:
        print(f"== {script}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script), *rest], check=False)
        failed += done.returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
