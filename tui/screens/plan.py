"""The improvement plan in the debrief: drafted from the objectives not met, edited, saved.

Until the facilitator edits it, the plan shown is drafted from the objectives not fully met
(in the players' view, so a drafted row never quotes what the players cannot see). The first
edit saves the whole plan with the session (``SessionStore.replace_plan``); from then on the
rows are the saved ones, after a quit, a crash or a resume, and in `tabletop report`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Static

from sim.analysis.entries import PlanEntry, draft_plan, plan_problems
from sim.safetext import printable
from sim.session.store import PlanRow
from sim.views import WITHHELD_TEXT, mentions_any
from tui.failures import failure_text
from tui.fmt import literal
from tui.screens.dialogs import ConfirmDialog, Dialog, ProblemLine
from tui.widgets.fitted import FitColumn, FittedTable
from tui.widgets.textinput import TextInput

if TYPE_CHECKING:
    from tui.app import TabletopApp
    from tui.driver import Snapshot

MAX_ROWS = 100
"""The most rows a plan holds."""
COLUMNS = (
    FitColumn("Objective", floor=12),
    FitColumn("Issue", weight=2, floor=12),
    FitColumn("Corrective action", weight=2, floor=12),
    FitColumn("Owner", floor=8),
    FitColumn("Due", floor=10),
)
"""The table's columns: they fit the window, the issue and action wrapping (enter shows a
row whole)."""
FIELDS = ("objective", "issue", "action", "owner", "due")
LABELS = {
    "objective": "Objective",
    "issue": "Issue",
    "action": "Action",
    "owner": "Owner",
    "due": "Due date",
}
"""Each field's label in the row dialog (the table's columns, short enough for 80x24)."""


class PlanRowDialog(Dialog[PlanEntry]):
    """Edit (or add) one row; every problem is said here and what was typed is kept."""

    def __init__(self, row: PlanEntry, objectives: tuple[str, ...], *, title: str) -> None:
        super().__init__()
        self.row = row
        self.objectives = objectives
        self.title_text = title

    def compose(self) -> ComposeResult:
        ids = ", ".join(self.objectives) or "none"
        hints = {
            "objective": "optional: one of the ids above",
            "issue": "what needs improving (required)",
            "action": "what will be done about it",
            "owner": "who does it",
            "due": "YYYY-MM-DD",
        }
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text, style="bold"))
            # The ids to choose from, whole (a placeholder is cut at the field's edge, and
            # goes once something is typed).
            yield Label(literal(f"Objective ids: {ids}", "dim"), id="plan-objectives")
            for name in FIELDS:
                # The label stays beside its field once something is typed in it (a
                # placeholder alone goes), and takes no extra line (the dialog is tall).
                with Horizontal(classes="field-row"):
                    yield Label(Text(LABELS[name], style="bold"), classes="field-label")
                    yield TextInput(
                        value=getattr(self.row, name), placeholder=hints[name], id=f"plan-{name}"
                    )
            yield ProblemLine()
            yield Label(Text("tab next field  enter save  escape cancel", style="dim"))
            yield self.buttons("Save")

    def typed(self) -> PlanEntry:
        values = {name: self.query_one(f"#plan-{name}", Input).value.strip() for name in FIELDS}
        return PlanEntry(**values)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        row = self.typed()
        problems = plan_problems(row, self.objectives)
        if problems:
            shown = "\n".join(printable(p[:300]) for p in problems)
            self.show_problem(shown)
            return
        self.dismiss(row)


class PlanTable(FittedTable):
    """The plan's rows; enter edits the row under the cursor, a adds, delete removes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,insert", "add_row", "Add row"),
        Binding("delete,backspace", "remove_row", "Delete row"),
    ]

    def action_add_row(self) -> None:
        self.editor.add_entry()

    def action_remove_row(self) -> None:
        self.editor.remove_entry(self.cursor_row)

    @property
    def editor(self) -> PlanEditor:
        return cast(PlanEditor, self.parent)


class PlanEditor(Vertical):
    """The plan tab: a note saying whose rows these are, and the table."""

    def __init__(self, objectives: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.objectives = objectives
        self.rows: list[PlanEntry] = []
        self.saved = False
        """Whether the rows shown are the ones saved with the session (else drafted)."""
        self.secrets: frozenset[str] = frozenset()
        """What a row shown in the players' view must not name (the snapshot's)."""

    @property
    def tabletop(self) -> TabletopApp:
        return cast("TabletopApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-note")
        table = PlanTable(id="plan-table", cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        self.query_one(PlanTable).fill(COLUMNS, [])

    def has_session(self) -> bool:
        recording = self.tabletop.recording
        return recording is not None and recording.session_id is not None

    def show(self, snapshot: Snapshot) -> None:
        """Load the saved plan, or draft one from the objectives as they stand now."""
        self.secrets = snapshot.players_secrets
        recording = self.tabletop.recording
        self.saved = False
        if recording is not None and recording.session_id is not None:
            store, sid = recording.store, recording.session_id
            try:
                if store.plan_edited(sid):
                    self.rows = [PlanEntry(*_fields(r)) for r in store.plan_rows(sid)]
                    self.saved = True
            except Exception as exc:  # said, and the plan is drafted: never a crash
                self.notify(
                    printable(f"The saved plan was not read: {failure_text(exc)}"),
                    severity="error",
                    markup=False,
                )
        if not self.saved:
            standing = [
                (r.objective, r.description, r.rating, r.evidence)
                for r in snapshot.view(False).ratings
                if r.rating is not None
            ]
            self.rows = draft_plan(standing)
        self.redraw()

    def redraw(self) -> None:
        rows = [[literal(text) for text in self.shown(row)] for row in self.rows]
        self.query_one(PlanTable).fill(COLUMNS, rows)
        note = self.query_one("#plan-note", Static)
        if not self.has_session():
            note.update(
                Text("Drafted from the objectives not met. Editing the plan needs a saved session.")
            )
        elif self.saved:
            note.update(
                Text(
                    f"Saved with the session: {len(self.rows)} row(s), in the report. "
                    "enter edit · a add · delete remove"
                )
            )
        else:
            note.update(
                Text(
                    "Drafted from the objectives not fully met (not saved until you edit it). "
                    "enter edit · a add · delete remove"
                )
            )

    # --- editing ------------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _edit(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.edit_entry(event.cursor_row)

    def shown(self, row: PlanEntry) -> list[str]:
        """A row's cells as this view shows them: in the players' view, typed text that names
        what the players cannot see is withheld (as in the players' edition of the report)."""
        cells = [getattr(row, name) for name in FIELDS]
        if self.tabletop.controller:
            return cells
        return [
            WITHHELD_TEXT if name != "objective" and mentions_any(text, self.secrets) else text
            for name, text in zip(FIELDS, cells, strict=True)
        ]

    def edit_entry(self, index: int) -> None:
        if not self._editable() or not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        if self.shown(row) != [getattr(row, name) for name in FIELDS]:  # the dialog would show it
            self.notify(
                "This row names what the players cannot see: edit it in the controller view (v)",
                severity="warning",
            )
            return

        def done(row: PlanEntry | None) -> None:
            if row is not None:
                rows = list(self.rows)
                rows[index] = row
                self.save(rows, f"Row {index + 1} saved")

        title = f"Improvement plan: row {index + 1}"
        self.app.push_screen(PlanRowDialog(self.rows[index], self.objectives, title=title), done)

    def add_entry(self) -> None:
        if not self._editable():
            return
        if len(self.rows) >= MAX_ROWS:
            self.notify(f"A plan holds at most {MAX_ROWS} rows", severity="warning")
            return

        def done(row: PlanEntry | None) -> None:
            if row is not None:
                self.save([*self.rows, row], f"Row {len(self.rows) + 1} added")

        dialog = PlanRowDialog(PlanEntry(), self.objectives, title="Improvement plan: a new row")
        self.app.push_screen(dialog, done)

    def remove_entry(self, index: int) -> None:
        if not self._editable() or not 0 <= index < len(self.rows):
            return

        def done(yes: bool | None) -> None:
            if yes:
                rows = [r for n, r in enumerate(self.rows) if n != index]
                self.save(rows, f"Row {index + 1} deleted")

        self.app.push_screen(ConfirmDialog(f"Delete row {index + 1} of the plan?"), done)

    def _editable(self) -> bool:
        if not self.has_session():
            self.notify("Editing the improvement plan needs a saved session", severity="warning")
            return False
        return True

    def save(self, rows: list[PlanEntry], done: str) -> None:
        """Save the whole plan with the session; on failure say why and keep the old rows."""
        recording = self.tabletop.recording
        assert recording is not None and recording.session_id is not None
        try:
            recording.store.replace_plan(recording.session_id, [PlanRow(*_fields(r)) for r in rows])
        except Exception as exc:  # said, and the rows shown stay: never a crash
            self.notify(
                printable(f"The plan was not saved: {failure_text(exc)}"),
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        self.rows = rows
        self.saved = True
        self.redraw()
        self.notify(f"{done} (saved with session {recording.session_id})", timeout=4)


def _fields(row: PlanEntry | PlanRow) -> tuple[str, str, str, str, str]:
    return (row.objective, row.issue, row.action, row.owner, row.due)
