"""The lint rules: each has a stable code, a level and a one-line summary (docs/lint-rules.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    level: Level
    summary: str


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        # the file itself and the suppression comments
        Rule("TT001", "invalid-scenario", "error", "the file does not load (schema or reference)"),
        Rule("TT002", "loader-warning", "warning", "a likely mistake the loader already warns of"),
        Rule("TT003", "bad-suppression", "warning", "a suppression comment that is unclear"),
        # static analysis
        Rule("TT101", "inject-never-fires", "warning", "an inject that can never be delivered"),
        Rule("TT102", "option-changes-nothing", "warning", "an option with no consequence"),
        Rule("TT103", "variable-never-read", "info", "a variable no condition or effect reads"),
        Rule("TT104", "variable-never-written", "warning", "a variable nothing ever changes"),
        Rule("TT105", "actor-never-used", "warning", "an actor no element refers to"),
        Rule("TT106", "deadline-after-horizon", "warning", "a decision's deadline is too late"),
        Rule("TT107", "objective-never-met", "warning", "an objective that can never be met"),
        Rule("TT108", "objective-never-fails", "warning", "an objective that is always met"),
        Rule("TT109", "objective-met-at-start", "warning", "a 'by' objective already met at 0"),
        Rule("TT110", "players-spoiler", "warning", "a players' title that spoils a condition"),
        Rule("TT111", "law-never-enacted", "warning", "a response needs a law no bill can enact"),
        Rule("TT112", "label-too-long", "info", "text too wide for its console panel"),
        Rule("TT113", "threat-unstoppable", "warning", "a threat nothing can stop or slow"),
        Rule("TT114", "invented-without-reason", "warning", "invented numbers, no stated reason"),
        Rule("TT115", "effect-reads-as-one", "warning", "'- a - b' subtracts all of 'a - b'"),
        Rule("TT116", "option-never-taken", "warning", "an option never offered or consented to"),
        # simulated coverage (tabletop lint --explore N)
        Rule("TT201", "inject-never-delivered", "info", "no explored run delivered the inject"),
        Rule("TT202", "option-never-taken", "info", "no explored run took the option"),
        Rule("TT203", "objective-always-met", "info", "every explored run met the objective"),
        Rule("TT204", "objective-never-met-in-runs", "info", "no explored run met the objective"),
        Rule("TT205", "decision-never-posed", "info", "no explored run posed the decision"),
        Rule("TT206", "run-ended-early", "info", "an explored run goes quiet long before the end"),
        Rule("TT207", "run-raised", "error", "an explored run failed with an error"),
    ]
}

CONSOLE_WIDTHS: dict[str, int] = {
    # The console's fixed widths (tui/app.tcss, tui/widgets): text wider than these is cut.
    "inject title": 38,  # the MSEL column is 42 cells: border and padding take 4
    "variable label": 14,  # the dashboard shows the first 14 cells of a label
    "variable unit": 2,  # and 2 cells of its unit
    "actor name": 38,  # the actors panel shares the MSEL's 42-cell column
    "option label": 70,  # one line of the decision panel on a 120-cell terminal
}
