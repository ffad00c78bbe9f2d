"""Every `tabletop` command of sim/: the module that defines it and its one-line help.

Plain data with no imports, so that `tabletop --help` can list the commands without importing
click or any command's module (sim.quickhelp). `sim.cli` registers the commands that live in
other modules from this list and imports a module only when its command is named.
tests/sim/test_lazy_cli.py checks every line against the real command's help.
"""

from __future__ import annotations

VERSION = "0.1.0"

MAIN_HELP = """tabletop: simulate cyber-policy tabletop exercises.

Scenarios are YAML files; the bundled ones can be named by id (e.g. quickstart).
"""

SIM_COMMANDS: tuple[tuple[str, str, str], ...] = (
    # (name, module, one-line help)
    (
        "validate",
        "sim.cli",
        "Check scenarios and playbooks and report every problem as file:line:col.",
    ),
    ("run", "sim.cli", "Play SCENARIO headless with scripted decisions and print the outcome."),
    ("list", "sim.cli", "List the bundled scenarios and playbooks."),
    (
        "schema",
        "sim.cli",
        "Print the JSON Schema of the scenario (or playbook) format (draft-07, for editors).",
    ),
    (
        "batch",
        "sim.batch.cli",
        "Run SCENARIO many times under each playbook and report outcome statistics.",
    ),
    (
        "report",
        "sim.analysis.cli",
        "The after-action report and improvement plan (AAR/IP) of SOURCE.",
    ),
    (
        "pack",
        "sim.analysis.cli",
        "Write the exercise package of SCENARIO: Situation Manual, controllers' handbook, MSEL.",
    ),
    (
        "graph",
        "sim.authoring.cli",
        "Draw the flow of SCENARIO: injects, decisions, options, responses, laws, threat stages.",
    ),
    (
        "lint",
        "sim.authoring.cli",
        "Find what the schema cannot see: file:line:col: CODE level: message.",
    ),
    (
        "new",
        "sim.authoring.cli",
        "Write a commented starter scenario NAME.yaml and a playbook for it.",
    ),
    ("msel", "sim.authoring.cli", "The MSEL as a spreadsheet: import injects from a CSV export."),
    (
        "sessions",
        "sim.session.cli",
        "List saved sessions: id, scenario, start, last activity, status, decisions made.",
    ),
    (
        "branch",
        "sim.session.cli",
        "What if: replay SESSION up to a decision, take another option, play on (same seed).",
    ),
    (
        "compare",
        "sim.session.cli",
        "Where the timelines of sessions A and B diverge, and how they differ at the end.",
    ),
)
