"""A bundled scenario with every text an author writes replaced (not a test module).

``twin(name, make)`` loads the bundled scenario ``name`` with each free-text field (titles,
names, inject text, prompts, option labels, objective text, variable labels and units,
notes, briefs, lists of questions and rules...) replaced by ``make(where)``, where ``where``
names the field. Ids, expressions and numbers are kept, so the scenario plays as before: a
hostile twin and a plain twin ("X" everywhere) make documents of the same structure unless
some text escaped its place.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sim.bundled import resolve
from sim.loader import load_scenario_text
from sim.schema import Scenario
from sim.yamlread import read_yaml_text

TEXT_KEYS = frozenset(
    {
        "title",
        "summary",
        "audience",
        "facilitator_notes",
        "handling",
        "purpose",
        "scope",
        "name",
        "description",
        "brief",
        "label",
        "unit",
        "text",
        "players_title",
        "controllers_title",
        "notes",
        "quote",
        "prompt",
        "refusal",
        "message",
        "publisher",
    }
)
LIST_KEYS = frozenset(
    {"assumptions", "ground_rules", "discussion_questions", "expected_actions", "evaluation"}
)

TAGS = (
    "<script>s()</script> </style><style>*{background:url(https://evil.example/u)}</style> "
    '"><img src=x onerror=alert(1)> \'><a href="javascript:a()">j</a> '
    "<svg onload=s()><script>t()</script></svg> <!-- c --> <![CDATA[ d ]]> --> "
    '<div style="background:url(https://evil.example/v)">'
)
"""Markup that must stay text in HTML."""

MARKDOWN = (
    "first line\n\n    indented four\n# heading\n===\n---\n| a | b |\n- item\n+ item\n"
    "1. one\n2) two\n> quote\n```\nfence\n~~~\n<div>\n\n[l](javascript:m()) ![i](x.png) "
    "`tick` **b** _i_ ~~s~~ \\ trailing\\"
)
"""Lines and spans that would be Markdown structure if not escaped."""


def hostile(where: str) -> str:
    """A multi-line text that is hostile to HTML, Markdown and spreadsheets at once."""
    return f'=T{where}: {TAGS}\n{MARKDOWN}\n{{{{ 7*7 }}}} =HYPERLINK("x")'


def plain(where: str) -> str:
    return "X"


def _replace(node: Any, where: str, make: Callable[[str], str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                node[key] = make(f"{where}.{key}")
            elif key in LIST_KEYS and isinstance(value, list):
                node[key] = [make(f"{where}.{key}{i}") for i in range(len(value))]
            else:
                _replace(value, f"{where}.{key}", make)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _replace(value, f"{where}{i}", make)


def twin_text(name: str, make: Callable[[str], str]) -> str:
    """The twin as scenario text (JSON, which is YAML), for commands that read a file."""
    path = resolve(name)
    assert path is not None, name
    data = read_yaml_text(path.read_text(encoding="utf-8"), str(path)).data
    _replace(data, "", make)
    return json.dumps(data, ensure_ascii=False)


def twin(name: str, make: Callable[[str], str]) -> Scenario:
    return load_scenario_text(twin_text(name, make), f"<{name} twin>")
