"""The picker: bundled scenarios, and the files named or else the valid ones in the folder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from sim.bundled import bundled_scenarios
from sim.loader import check_scenario, check_scenario_file
from sim.problems import InputProblems
from sim.safetext import printable
from sim.schema import Actor, Scenario
from sim.validation import is_playbook
from sim.views import covert_actors
from sim.yamlread import read_yaml_file
from tui.failures import failure_text
from tui.fmt import literal
from tui.widgets.fitted import FitColumn, FittedTable
from tui.widgets.keys import KeyBar

if TYPE_CHECKING:
    from tui.app import TabletopApp


@dataclass(frozen=True)
class Choice:
    path: Path
    scenario: Scenario
    bundled: bool


def find_scenarios(
    folder: Path, files: Sequence[Path] | None = None
) -> tuple[list[Choice], list[Path]]:
    """Bundled scenarios, then the valid files named (or, if None, *.yaml in folder but the
    playbooks); and the files that did not validate."""
    found: list[Choice] = []
    invalid: list[Path] = []
    seen: set[Path] = set()
    for path in bundled_scenarios():
        scenario, _ = check_scenario_file(path)
        if scenario is not None:
            found.append(Choice(path, scenario, True))
            seen.add(path.resolve())
    for path in sorted(folder.glob("*.yaml")) if files is None else files:
        try:
            where = path.resolve()
        except (OSError, RuntimeError):  # a loop of links (Python 3.11 says RuntimeError)
            invalid.append(path)
            continue
        if where in seen:
            continue
        try:
            doc = read_yaml_file(path, display_path=str(path))
        except (InputProblems, OSError):
            invalid.append(path)
            continue
        if files is None and is_playbook(doc):
            continue  # `tabletop new` writes one beside its scenario: nothing to pick
        scenario, _ = check_scenario(doc, None)
        if scenario is None:
            invalid.append(path)
        else:
            found.append(Choice(path, scenario, False))
    return found, invalid


def known_actors(scenario: Scenario) -> list[Actor]:
    """The actors the picker names: not the adversaries, nor any other actor behind a threat
    (the projector may be on; the briefing's players' view hides them too)."""
    covert = covert_actors(scenario)
    return [a for a in scenario.actors if a.id not in covert]


COLUMNS = (
    FitColumn("Scenario", weight=1, floor=16),
    FitColumn("File", weight=1, floor=12),
    FitColumn("Session", floor=7),
    FitColumn("Actors", spare=True),
)
"""The table's columns: they fit the window (titles and file names wrap); the actors, also
in the details below, only when every column fits whole."""


class PickerScreen(Screen[None]):
    """Choose a scenario with ↑↓ and enter."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "open", "Open", priority=True)]

    def __init__(self, folder: Path, files: Sequence[Path] | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.files = files
        self.choices: list[Choice] = []
        self.invalid: list[Path] = []

    @property
    def tabletop(self) -> TabletopApp:
        return cast("TabletopApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker") as box:
            box.border_title = "Choose a scenario"
            yield FittedTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Loading scenarios…", style="dim"), id="scenario-summary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(FittedTable).fill(COLUMNS, [])
        self.load()

    @work(thread=True, exclusive=True, group="picker", exit_on_error=False)
    def load(self) -> None:
        try:
            found, invalid = find_scenarios(self.folder, self.files)
        except Exception as exc:  # said, and the console goes on: never a crash
            self.app.call_from_thread(self.not_listed, failure_text(exc))
            return
        self.app.call_from_thread(self.show, found, invalid)

    def not_listed(self, why: str) -> None:
        self.notify(
            printable(f"The scenarios were not listed: {why}"),
            title="Scenarios",
            severity="error",
            markup=False,
            timeout=10,
        )
        self.show([], [])

    def show(self, found: list[Choice], invalid: list[Path]) -> None:
        self.choices = found
        table = self.query_one(FittedTable)
        rows = []
        for c in found:
            info = c.scenario.scenario
            actors = ", ".join(a.id for a in known_actors(c.scenario))
            rows.append(
                [
                    literal(info.title, "bold"),
                    literal(c.path.name + (" (bundled)" if c.bundled else "")),
                    Text(f"{info.session_minutes} min"),
                    literal(actors),
                ]
            )
        table.fill(COLUMNS, rows)
        self.invalid = invalid
        table.focus()
        self.describe(0)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.describe(event.cursor_row)

    def describe(self, row: int) -> None:
        summary = self.query_one("#scenario-summary", Static)
        if not self.choices:
            summary.update(Text("No scenarios found.", style="bold"))
            return
        c = self.choices[max(0, min(row, len(self.choices) - 1))]
        info = c.scenario.scenario
        out = Text()
        out.append_text(literal(info.title, "bold"))
        known = known_actors(c.scenario)
        out.append(f"   {info.session_minutes} min session · {len(known)} actors\n")
        out.append_text(literal(info.summary.strip()))
        out.append("\nFile: ", style="bold")
        out.append_text(literal("bundled: " + c.path.name if c.bundled else str(c.path)))
        out.append("\nActors: ", style="bold")
        out.append_text(literal(", ".join(a.name for a in known)))
        if self.invalid:
            names = ", ".join(p.name for p in self.invalid)
            out.append_text(
                literal(f"\n\nNot valid scenarios (see `tabletop validate`): {names}", "dim")
            )
        out.append("\n\nenter: open the briefing", style="dim")
        summary.update(out)

    def action_open(self) -> None:
        if not self.choices:
            return
        row = self.query_one(DataTable).cursor_row
        self.tabletop.open_scenario(self.choices[row].scenario, self.choices[row].path)
