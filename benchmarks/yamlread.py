"""Time to refuse hostile YAML, as a ratio to libyaml alone pulling the same file's events.

Run: python benchmarks/yamlread.py [--repeat 3]

Tests bound the reader's *work* (parser events pulled); this prints its *time* against the
floor of simply parsing the file, which is what a shared machine can compare fairly.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.problems import InputProblems  # noqa: E402
from sim.yamlread import read_yaml_text  # noqa: E402

CASES = {
    "deep flow nesting": "[" * 1_999_000,
    "deep flow mappings": "{a: " * 50_000 + "1" + "}" * 50_000,
    "400k list items": "".join(f"- {i}\n" for i in range(400_000))[:1_999_990],
    "499k aliases": "a: &a x\nb: [" + "*a, " * 499_000 + "]\n",
    "2 MB scalar": "a: " + "x" * 1_999_000 + "\n",
    "99k duplicate keys": "k: v\n" * 99_000,
    "alias bomb": (ROOT / "tests/data/hostile/alias_bomb.yaml").read_text(encoding="utf-8"),
}


def best(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def refuse(text: str) -> None:
    with contextlib.suppress(InputProblems):
        read_yaml_text(text, "bench.yaml")


def parse_only(text: str) -> None:
    loader = yaml.CSafeLoader(text)
    try:
        while loader.get_event() is not None:
            pass
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'case':<22} {'reader':>10} {'libyaml':>10} {'ratio':>7}")
    ratios = []
    for name, text in CASES.items():
        ours = best(lambda: refuse(text), args.repeat)  # noqa: B023
        floor = best(lambda: parse_only(text), args.repeat)  # noqa: B023
        ratio = ours / floor if floor > 0 else float("nan")
        ratios.append(ratio)
        print(f"{name:<22} {ours * 1000:>8.1f}ms {floor * 1000:>8.1f}ms {ratio:>7.2f}")
    print(f"median ratio {statistics.median(ratios):.2f} (below 1: refused before the end)")


if __name__ == "__main__":
    main()
