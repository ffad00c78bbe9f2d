"""Helpers for the hostile audit of the console (tests/tui/test_hostile_console_*.py).

What the terminal gets is read from the compositor (every cell of the screen on top, with
its style), never from a widget's own idea of its content: a widget that parses markup or
passes a control character through shows it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from textual.app import App

from sim.loader import load_scenario_text
from sim.schema import Scenario

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""A character that must never reach the terminal as itself (tab and newline aside)."""

ATTACK = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\x08\x7f"
"""Control sequences: set the window title, clear the screen, a C1 CSI, a bidi override,
backspace and DEL."""


@dataclass
class Frame:
    """The screen as the terminal would show it: text, and what any cell would do."""

    text: str
    links: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


def frame(app: App[object]) -> Frame:
    """Every line of the screen on top (modals, toasts and the palette included)."""
    lines: list[str] = []
    out = Frame("")
    for strip in app.screen._compositor.render_strips():
        lines.append("".join(segment.text for segment in strip))
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            if style.link:
                out.links.append(style.link)
            if style._meta:
                for key, value in style.meta.items():
                    if key.startswith("@"):
                        out.actions.append(f"{key}={value}")
    out.text = "\n".join(lines)
    return out


SECRETS_YAML = """\
format: 2
scenario:
  id: quiet_room
  title: "What the room must not see"
  summary: "A scenario that hides things from the players."
  start: 2024-01-01T09:00:00+00:00
  time_unit: hours
  horizon: 96
  seed: 1
  facilitator_notes: "SECRET01 scenario facilitator notes"
  assumptions: ["SECRET02 assumption"]
  sources:
    - {id: src, title: "SECRET03 source title", publisher: "SECRET04 publisher"}
  modules:
    - id: m1
      title: "Module one"
      start: 0
      summary: "Public module summary"
      facilitator_notes: "SECRET05 module facilitator notes"
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: ally, name: Ally, affiliation: ally}
  - id: secretadv
    name: "SECRET06 adversary name"
    affiliation: adversary
    description: "SECRET07 adversary description"
    brief: "SECRET08 brief"
variables:
  trust: {initial: 0.5, min: 0, max: 1, label: "trust"}
  secretvar:
    initial: 0
    min: 0
    label: "SECRET09 hidden label"
    unit: "SECRET10"
    hidden: true
    description: "SECRET11 hidden description"
threats:
  - id: secretthreat
    actor: secretadv
    title: "SECRET12 threat title"
    description: "SECRET13 threat description"
    at: 0
    stages:
      - id: secretstage
        title: "SECRET14 stage title"
        duration: 2
        effects: {secretvar: "+ 1", trust: "- 0.01"}
        repeat: true
injects:
  - id: opener
    at: 1
    from: ally
    to: [gov]
    title: "Public opener"
    text: "The ally calls."
    controllers_title: "SECRET15 controllers title"
    notes: "SECRET16 inject notes"
    expected_actions: ["SECRET17 expected action"]
    source: {ref: src, quote: "SECRET18 source quote"}
    decision: answer
  - id: secretinj
    at: 2
    from: secretadv
    to: [ally]
    title: "SECRET19 facilitator-only inject title"
    text: "SECRET20 facilitator-only inject text"
    invented: true
  - id: secretreserve
    contingency: true
    from: secretadv
    to: [ally]
    title: "SECRET21 contingency title"
    text: "SECRET22 contingency text"
    notes: "SECRET23 contingency notes"
    invented: true
  - id: later
    at: 95
    from: ally
    to: [gov]
    title: "SECRET24 future inject title"
    text: "SECRET25 future inject text"
    invented: true
decisions:
  - id: answer
    owner: gov
    prompt: "How do you answer?"
    deadline: 10
    default: thank
    options:
      - {id: thank, label: "Thank them"}
      - id: secretopt
        label: "SECRET26 option not offered"
        description: "SECRET27 option description"
        if: "secretvar > 1000"
      - {id: hunt, label: "Hunt together", responses: [allyhelp]}
responses:
  - id: allyhelp
    kind: countermeasure
    actor: ally
    title: "Ally help"
    duration: 30
    success: 1
objectives:
  - id: little_taken
    description: "Little is taken"
    met: "secretvar < 3"
  - id: trust_ok
    description: "Trust holds"
    met: "trust > 0.2"
"""
"""Every string marked SECRET (and every id starting 'secret') is for the controller only
while the exercise runs: the future inject (SECRET24/25) until t=95."""

SECRET = re.compile(r"SECRET\d\d|\bsecret[a-z]+")


def secrets() -> Scenario:
    return load_scenario_text(SECRETS_YAML, "quiet_room.yaml")


def leaks(text: str) -> list[str]:
    """The lines of ``text`` that show something the players may not see."""
    return [line.strip() for line in text.splitlines() if SECRET.search(line)]


TEXT_KEYS = frozenset(
    [
        "title",
        "summary",
        "audience",
        "name",
        "description",
        "label",
        "text",
        "prompt",
        "message",
        "refusal",
        "facilitator_notes",
        "notes",
        "quote",
        "publisher",
        "players_title",
        "controllers_title",
        "brief",
    ]
)
"""Keys of a scenario whose values are free text (shown somewhere, or kept for the report)."""
LIST_KEYS = frozenset({"discussion_questions", "assumptions", "expected_actions", "evaluation"})
MARKUP = "[link=https://evil.example]L[/link] [@click=app.quit]Q[/] :skull: \\[ [/] [/bold] ["
"""Rich and Textual markup: a link, an action, an emoji code, an escape, closing tags with
nothing to close and an unbalanced bracket."""


def token(n: int) -> str:
    """The marker of field n: shown as written, it reads '[b]Knn[/b]'; parsed, 'Knn'."""
    return f"[b]K{n:02d}[/b]"


def poison(text: str) -> tuple[str, dict[int, str]]:
    """The scenario ``text`` with markup at the start of every free-text value, and where
    each marker went (its number → the key path)."""
    import yaml

    class Loader(yaml.SafeLoader):
        """YAML 1.2 booleans only: an option id 'no' stays text."""

    Loader.yaml_implicit_resolvers = {
        k: [r for r in v if r[0] != "tag:yaml.org,2002:bool"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile("^(?:true|false)$"), list("tf")
    )
    data = yaml.load(text, Loader)
    where: dict[int, str] = {}

    def mark(path: str, value: str) -> str:
        where[len(where) + 1] = path
        return f"{token(len(where))} {MARKUP} {value}"

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{path}.{key}"
                if key in TEXT_KEYS and isinstance(value, str):
                    node[key] = mark(here, value)
                elif key in LIST_KEYS and isinstance(value, list):
                    node[key] = [mark(f"{here}[{i}]", v) for i, v in enumerate(value)]
                else:
                    walk(value, here)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(data, "")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False), where
