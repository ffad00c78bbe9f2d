"""Export from the debrief: write the after-action report of the session to a folder.

The facilitator presses x in the debrief, checks (or types) the folder and presses enter; the
report is written in HTML, Markdown and JSON (the same bytes as `tabletop report`) and, where a
Chromium-based browser is installed, PDF printed from that HTML, in the players' and the
controller's edition. A folder that cannot be used is said in the dialog.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label

from sim.analysis.export import AUDIENCES, EXPORT_FORMATS, ExportError, export_folder
from sim.safetext import printable
from tui.screens.dialogs import Dialog, ProblemLine
from tui.widgets.textinput import TextInput


class ExportDialog(Dialog[Path]):
    """Which folder to write the report into; returns it, checked (made if missing)."""

    def __init__(self, session_id: int, default: Path) -> None:
        super().__init__()
        self.session_id = session_id
        self.default = default

    def compose(self) -> ComposeResult:
        formats = ", ".join(EXPORT_FORMATS).upper()
        with Vertical(classes="dialog"):
            yield Label(
                Text(f"Export the after-action report of session {self.session_id}", style="bold")
            )
            yield Label(
                Text(
                    f"{formats} (and PDF where a Chromium browser is installed), in the "
                    f"{' and the '.join(AUDIENCES)} editions (as `tabletop report` writes "
                    "them). Folder:"
                )
            )
            yield TextInput(
                value=printable(str(self.default), one_line=True),
                placeholder="folder (empty: next to the session store)",
                id="folder",
            )
            yield ProblemLine()
            yield Label(Text("enter export  escape cancel", style="dim"))
            yield self.buttons("Export")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        typed = self.query_one("#folder", Input).value
        try:
            folder = export_folder(typed, self.default)
        except ExportError as exc:
            self.show_problem(printable(str(exc)))
            return
        self.dismiss(folder)
