"""Hostile lengths: a key, a section name, a word or a variable written 90,000 characters long.
Each problem quotes it shortened: a problem stays a line a person can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import ONE_INJECT, refused_everywhere, scenario, validated

LONG = "k" * 90_000

CASES = [
    (
        "unknown key",
        scenario().replace("  v: {initial: 0}", f"  v:\n    initial: 0\n    ? {LONG}\n    : 1"),
        "s.yaml:15:7: unknown key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'",
    ),
    (
        "unknown section",
        scenario() + f"? {LONG}\n: 1\n",
        "s.yaml:16:3: unknown section 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'",
    ),
    (
        "word not allowed",
        scenario().replace("affiliation: government}", f"affiliation: {LONG}}}"),
        "s.yaml:9:39: 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' is not allowed here; use "
        "'government', 'ally', 'adversary', 'operator', 'public' or 'media'",
    ),
    (
        "unknown response kind",
        scenario() + f"responses:\n  - {{id: r, kind: {LONG}}}\n",
        "s.yaml:17:5: unknown response kind 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'; "
        "use notification, countermeasure or legislation",
    ),
    (
        "unknown variable in effects",
        scenario().replace("invented: true}", f"invented: true, effects: {{? {LONG}\n : 1}}}}"),
        "s.yaml:15:81: unknown variable 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'",
    ),
]


@pytest.mark.parametrize(("what", "text", "says"), CASES, ids=[c[0] for c in CASES])
def test_a_long_word_is_quoted_short(tmp_path: Path, what: str, text: str, says: str) -> None:
    found = refused_everywhere(tmp_path, text)
    assert says in found, found
    assert max(len(p) for p in found) < 300


def test_a_long_loop_of_bounds_is_shown_by_its_first_members(tmp_path: Path) -> None:
    """A loop of 5,000 bounds was one 45 kB problem naming every variable (one of 500 here);
    loops of 'after' and 'starts' were already shown by their first 10 members and their
    length."""
    n = 500
    bounds = "".join(f"  b{i}: {{initial: 0, at_most: b{(i + 1) % n}}}\n" for i in range(n))
    text = scenario().replace("  v: {initial: 0}\n", "  v: {initial: 0}\n" + bounds)
    assert refused_everywhere(tmp_path, text) == [
        "s.yaml:14:29: the bounds of b0 → b1 → b2 → b3 → b4 → b5 → b6 → b7 → b8 → b9 → … "
        "(500 in the loop) refer to each other in a loop: bound one by the others only"
    ]


def test_long_loops_of_stages_and_failures_are_shown_by_their_first_members(
    tmp_path: Path,
) -> None:
    n = 1_000
    stages = "".join(
        f"      - {{id: s{i}, duration: 1, next: [{{stage: s{(i + 1) % n}}}]}}\n" for i in range(n)
    )
    responses = "".join(
        f"  - {{id: r{i}, kind: countermeasure, actor: gov, duration: 1, "
        f"on_failure: [r{(i + 1) % n}]}}\n"
        for i in range(n)
    )
    body = f"threats:\n  - id: t\n    actor: adv\n    at: 0\n    stages:\n{stages}"
    body += f"responses:\n{responses}"
    code, out = validated(tmp_path, scenario(body + ONE_INJECT))
    assert code == 1
    assert max(len(line) for line in out.splitlines()) < 400
    assert "stages s0 → s1 → s2 → s3 → s4 → s5 → s6 → s7 → s8 → s9 → … (1,000 in the loop)" in out
    assert "'on_failure' (r0 → r1 → r2 → r3 → r4 → r5 → r6 → r7 → r8 → r9 → … (1,000" in out
