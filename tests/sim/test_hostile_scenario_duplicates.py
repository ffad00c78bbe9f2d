"""Hostile repetition inside a list of ids: an actor told twice, a threat stopped twice, a
response an option starts twice. Each is refused where it is repeated (as 'requires' was);
runs said 'delivered to ally, ally', 'stopped t; stopped t' and 'r could not start: already
running'."""

from __future__ import annotations

from pathlib import Path

from hostile_cli import refused_everywhere, scenario

DUPLICATES = """\
threats:
  - {id: t, actor: adv, at: 0, stages: [{id: s, duration: 50}]}
responses:
  - {id: r, kind: countermeasure, actor: gov, duration: 1, stops: [t, t], reveals: [t, t]}
  - {id: n, kind: notification, from: gov, to: [ally, gov, ally]}
decisions:
  - id: d
    owner: gov
    prompt: P
    deadline: 1
    default: a
    options:
      - {id: a, label: A, responses: [r, n, r]}
      - {id: b, label: B}
injects:
  - {id: i0, at: 0, from: gov, to: [gov, gov], reveals: [t, t], text: Hi, invented: true, decision: d}
"""


def test_an_id_named_twice_in_a_list_is_refused(tmp_path: Path) -> None:
    assert refused_everywhere(tmp_path, scenario(DUPLICATES)) == [
        "s.yaml:17:71: 't' is named twice in 'stops'",
        "s.yaml:17:88: 't' is named twice in 'reveals'",
        "s.yaml:18:60: 'ally' is named twice in 'to'",
        "s.yaml:26:45: 'r' is named twice in 'responses'",
        "s.yaml:29:42: 'gov' is named twice in 'to'",
        "s.yaml:29:61: 't' is named twice in 'reveals'",
    ]
