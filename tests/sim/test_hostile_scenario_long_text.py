"""Hostile lengths: a key, a section name, a word or a variable written 90,000 characters long.
Each problem quotes it shortened: a problem stays a line a person can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import refused_everywhere, scenario

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
