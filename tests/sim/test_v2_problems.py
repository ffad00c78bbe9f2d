"""The remaining format v2 keys: every problem of a file reported at once, at its place."""

from __future__ import annotations

from sim.loader import check_scenario
from sim.yamlread import read_yaml_text

BAD = """format: 2
scenario:
  id: bad
  title: Bad
  summary: Every new key, wrong.
  start: 2020-01-01T00:00:00+00:00
  horizon: 100
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  stolen: {initial: 0}
  published: {initial: 0, at_most: "published + stolen"}
  now: {initial: 0}
injects:
  - {id: start, at: 0, from: gov, to: [gov], text: Go., invented: true,
     effects: {stolen: "+ uniform(5, 1)"}}
threats:
  - id: spies
    actor: apt
    at: 0
    stages:
      - {id: a, duration: 5, detect_rate: "stolenn * 2", next: [{stage: c}]}
      - {id: b, duration: 5}
responses:
  - {id: tell, kind: notification, from: gov, to: [gov], retry: {delay: 5}}
"""


def test_every_problem_of_the_new_keys_is_reported_at_once() -> None:
    _, found = check_scenario(read_yaml_text(BAD, "bad.yaml"), BAD)
    got = [(p.line, p.message.split(" (")[0].split(":")[0]) for p in found if p.severity == "error"]
    lines = BAD.splitlines()

    def at(needle: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if needle in line)

    expected = {
        (at("published: {"), "the bound of 'published' reads 'published' itself"),
        (at("now: {"), "'now' is the current time in format 2 expressions; choose another id"),
        (at("uniform(5, 1)"), "uniform() needs low <= high"),
        (at("stolenn"), "unknown name 'stolenn'"),
        (at("stolenn"), "unknown stage 'c' of threat 'spies'"),
        (at("id: tell"), "a notification never fails"),
    }
    assert expected <= set(got), got
