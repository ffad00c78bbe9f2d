"""`tabletop new NAME`: a commented starter scenario and playbook that validate and lint clean.

Beside them go the two JSON Schemas, named on each file's first line, so that editors built
on yaml-language-server complete and check the files offline and for this exact version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sim.problems import TabletopError

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,54}$"
"""A scenario id short enough that '<name>--example' is still a valid playbook id."""
SCENARIO_SCHEMA = "scenario.schema.json"
PLAYBOOK_SCHEMA = "playbook.schema.json"


class ScaffoldError(TabletopError):
    """A file would be overwritten, or the template is not found."""


@dataclass(frozen=True)
class Written:
    path: Path
    what: str


def starter_scenario(name: str) -> str:
    return _STARTER.replace("@NAME@", name)


def starter_playbook(name: str) -> str:
    return _PLAYBOOK.replace("@NAME@", name)


def from_bundled(name: str, template: str) -> tuple[str, str, str]:
    """A bundled scenario and its first playbook, renamed: (scenario, playbook, policy)."""
    from sim.bundled import bundled_playbooks, resolve

    source = resolve(template)
    books = bundled_playbooks(template)
    if source is None or source.parent.name != "scenarios" or not books:
        raise ScaffoldError(f"no bundled scenario '{template}' with a playbook")
    text = source.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    body, count = re.subn(
        rf"^(  id: ){re.escape(template)}$", rf"\g<1>{name}", "".join(lines), count=1, flags=re.M
    )
    if count != 1:
        raise ScaffoldError(f"cannot find the id of '{template}' in its file")
    scenario = f"# yaml-language-server: $schema={SCENARIO_SCHEMA}\n{body}"
    book = books[0]
    policy = book.stem.split("--", 1)[1]
    book_text = book.read_text(encoding="utf-8")
    book_text = re.sub(
        rf"^(  id: ){re.escape(template)}--", rf"\g<1>{name}--", book_text, count=1, flags=re.M
    )
    book_text = re.sub(
        rf"^(  scenario: ){re.escape(template)}$", rf"\g<1>{name}", book_text, count=1, flags=re.M
    )
    if not book_text.startswith("# yaml-language-server:"):
        book_text = f"# yaml-language-server: $schema={PLAYBOOK_SCHEMA}\n{book_text}"
    return scenario, book_text, policy


def scaffold(name: str, directory: Path, template: str | None = None) -> list[Written]:
    """Write NAME.yaml, NAME--POLICY.yaml and (if missing) the schemas; never overwrite."""
    from sim.authoring.playbookschema import playbook_json_schema_text
    from sim.jsonschema import scenario_json_schema_text
    from sim.outfolder import whole_folder, write_staged

    if template is None:
        scenario, book, policy = starter_scenario(name), starter_playbook(name), "example"
    else:
        scenario, book, policy = from_bundled(name, template)
    files = [
        (directory / f"{name}.yaml", scenario, "scenario"),
        (directory / f"{name}--{policy}.yaml", book, "playbook"),
    ]
    taken = [path for path, _, _ in files if path.exists() or path.is_symlink()]
    if taken:
        names = ", ".join(str(p) for p in taken)
        verb = "exists" if len(taken) == 1 else "exist"
        raise ScaffoldError(f"{names} already {verb}; not overwritten")
    written: list[Written] = []
    with whole_folder(directory, replace=False) as stage:
        for path, text, what in files:
            write_staged(stage / path.name, text)
            written.append(Written(path, what))
        for file_name, schema in (
            (SCENARIO_SCHEMA, scenario_json_schema_text),
            (PLAYBOOK_SCHEMA, playbook_json_schema_text),
        ):
            path = directory / file_name
            if path.exists() or path.is_symlink():
                continue
            write_staged(stage / file_name, schema())
            written.append(Written(path, "schema for editors"))
    return written


_STARTER = """\
# yaml-language-server: $schema=scenario.schema.json
# @NAME@: a starter scenario from `tabletop new`. Change anything; every key is explained in
# the format reference (docs/scenario-format.md). After each change, check it:
#
#   tabletop validate @NAME@.yaml     # the format: keys, types, references
#   tabletop lint @NAME@.yaml         # what can never happen or never matter
#
# and play it headless with the example playbook, or in the console:
#
#   tabletop run @NAME@.yaml --playbook @NAME@--example.yaml
#   tabletop play @NAME@.yaml

# Who, when and how long. Times below are in hours from 'start'.
scenario:
  id: @NAME@
  title: "Ransomware at the city hospital"
  summary: >
    Ransomware is spreading through the city hospital's network. The ministry decides whether
    to send the national incident team before care has to stop.
  start: 2025-01-06T09:00:00+00:00
  time_unit: hours
  horizon: 72                 # the exercise covers three days
  seed: 1                     # same seed and decisions: the same run
  session_minutes: 60
  assumptions:                # what you invented, and why the numbers are plausible
    - "All numbers are a first draft: each wave of encryption takes a fifth of the care capacity."

# Everyone who acts. Government actors are played by the players.
actors:
  - {id: ministry, name: Ministry of Health, affiliation: government}
  - {id: hospital, name: City hospital, affiliation: operator}
  - {id: gang, name: Ransomware gang, affiliation: adversary}

# The numbers of the world. Effects change them; objectives read them.
variables:
  care: {initial: 100, min: 0, max: 100, unit: "%", label: "care capacity",
         description: "Share of the hospital's normal care it can still give"}

# The adversary's campaign: stages run one after another until a countermeasure stops it.
threats:
  - id: ransomware
    actor: gang
    title: "Ransomware spreads"
    at: 0
    stages:
      - id: encrypt
        title: "A wave of encryption"
        duration: {uniform: [4, 10]}
        detect: 0.5           # chance the defenders notice it during this stage
        effects: {care: "- 20"}
        repeat: true          # wave after wave until stopped

# The MSEL: what the players are told, and when.
injects:
  - id: first_call
    at: 1
    from: hospital
    to: [ministry]
    title: "A call from the hospital"
    text: "The hospital's director calls: screens are locked, and a ransom note is on every ward."
    invented: true            # or cite a source: source: {ref: ..., quote: "..."}
    decision: support         # the players face this decision once the call is delivered
    expected_actions: ["Ask what the hospital needs", "Decide who helps"]
  - id: update
    after: support            # once the decision is made...
    delay: 12                 # ...twelve hours later
    from: hospital
    to: [ministry]
    title: "An update from the hospital"
    text: "The director reports how the wards are coping."
    invented: true

# Decisions: the players choose one option before the deadline, or the default applies.
decisions:
  - id: support
    owner: ministry
    prompt: "How do you help the hospital?"
    deadline: 4
    default: wait
    options:
      - id: send_team
        label: "Send the national incident team"
        responses: [incident_team]
      - id: wait
        label: "Let the hospital handle it alone"

# Responses that options start: notifications, countermeasures and legislation.
responses:
  - id: incident_team
    kind: countermeasure
    actor: ministry
    title: "National incident team"
    duration: {uniform: [6, 18]}
    success: 0.7
    stops: [ransomware]
    effects: {care: "+ 30"}

# What the exercise tests: each is rated met, partially met or not met at the end.
objectives:
  - id: keep_caring
    description: "Care capacity never falls below 40%"
    met: "care >= 40"
    throughout: true
"""

_PLAYBOOK = """\
# yaml-language-server: $schema=playbook.schema.json
# A playbook scripts the players' decisions for headless runs:
#
#   tabletop run @NAME@.yaml --playbook @NAME@--example.yaml
#
# Decisions left out take their default at their deadline.
playbook:
  id: @NAME@--example
  title: "Send the incident team at once"
  scenario: @NAME@
decisions:
  support: send_team
"""
