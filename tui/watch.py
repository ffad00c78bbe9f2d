"""`tabletop watch`: the players' view of a live session, read-only, following the store.

For the projector: another terminal (or another machine sharing the store file) shows what
the players may see, as the facilitator plays. It replays the session's commands from the
store and never takes an action; it shows no controller-only record.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import Static

from sim.describe import describe
from sim.safetext import printable
from sim.session.store import StoreError
from sim.session.watch import Follower, Update
from tui.driver import EngineDriver, Snapshot
from tui.failures import failure_text
from tui.screens.console import NARROW_WIDTH
from tui.widgets.clock import ClockBar
from tui.widgets.dashboard import Dashboard
from tui.widgets.decision import DecisionPanel
from tui.widgets.eventlog import EventLog
from tui.widgets.feed import InjectFeed
from tui.widgets.textinput import guard_paste, safe_notice

POLL = 0.2
"""Seconds between looks at the store (a cheap read of SQLite's data_version)."""


def players_lines(follower: Follower, update: Update) -> list[str]:
    """The players' records of an update, one plain line each (terminal-safe)."""
    out = []
    if update.reset:
        out.append("-- the session was rebuilt (a command was undone) --")
    scenario = follower.scenario
    for r in update.records:
        line = f"t={r.time:g} {describe(r, scenario, controller=False)}"
        out.append(printable(line, one_line=True))
    return out


def watch_plain(follower: Follower, *, poll: float = POLL, until_end: bool = True) -> None:
    """Print the players' view of a session as lines, following it until it ends.

    A session the store marks finished (before and after a poll: an undo in between makes it
    live again) whose replay of every command has not ended never will: a StoreError."""
    try:
        while True:
            finished_before = until_end and follower.marked_finished()
            update = follower.poll()
            if update is not None:
                for line in players_lines(follower, update):
                    print(line, flush=True)
            if until_end and follower.exercise.finished:
                return
            if finished_before and follower.marked_finished():
                raise StoreError(
                    f"session {follower.info.id} is finished, but its replay does not reach "
                    "the end: the store was changed by another program, or written by a "
                    "tabletop that replays it otherwise"
                )
            time.sleep(poll)
    except KeyboardInterrupt:
        return
    except BrokenPipeError:
        sys.stderr.close()


class Polled(Message):
    """The follower applied new commands: the new players' records and a fresh snapshot."""

    def __init__(self, update: Update, snapshot: Snapshot) -> None:
        super().__init__()
        self.update = update
        self.snapshot = snapshot


class PollFailed(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class WatchApp(App[None]):
    """A read-only console: clock, injects, the open decision, dashboard and log, players' view."""

    TITLE = "tabletop watch"
    CSS_PATH = "app.tcss"
    CSS = """
    #w-clock { background: $primary-darken-2; }
    #w-main { height: 1fr; }
    #w-now { width: 1fr; border: round $primary-lighten-1; }
    #w-feed { height: 1fr; }
    #w-decision { height: auto; max-height: 60%; border-top: solid $primary; padding: 0 1; }
    #w-dash { width: 1fr; min-width: 60; border: round $primary-lighten-1; padding: 0 1; }
    /* Below 100 columns (a projector's large font) the injects and the dashboard share the
       width; the dashboard's objectives go under its variables, as in the console's tabs. */
    .-narrow #w-dash { min-width: 0; layout: vertical; }
    .-narrow #w-dash #variables, .-narrow #w-dash #objectives { width: 100%; }
    .-narrow #w-dash #objectives { padding-left: 0; }
    .-narrow #w-dash .variable-spark { min-width: 0; }
    #w-log { height: 10; border: round $primary-lighten-1; }
    #w-foot { height: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, follower: Follower, *, poll: float = POLL) -> None:
        super().__init__()
        self.follower = follower
        self.poll_every = poll
        self.snapshot: Snapshot | None = None
        self.failure: str | None = None
        """The last failure said (said once, until the session is followed again)."""
        self.stopped_by: int | None = None
        """The signal (SIGTERM, SIGHUP) that ended the viewer (tui.stopsignals), if one did."""
        self._release_signals: Callable[[], None] = lambda: None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice (from any screen) shown literally: markup off, control characters
        as visible escapes (a notice may quote a prompt, a label or an error)."""
        message, title = safe_notice(message, title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        guard_paste(event)  # the command palette's search: pasted text shown literally
        await super().on_event(event)

    def compose(self) -> ComposeResult:
        s = self.follower.scenario
        yield ClockBar(s, id="w-clock")
        with Horizontal(id="w-main"):
            with Vertical(id="w-now") as now:
                now.border_title = "Injects"
                yield InjectFeed(s, id="w-feed")
                yield DecisionPanel(s, id="w-decision")
            dash = Dashboard(s, id="w-dash")
            dash.border_title = "Variables and objectives"
            yield dash
        log = EventLog(s, id="w-log")
        log.border_title = "What the players know"
        yield log
        yield Static(
            Text(
                f"Watching session {self.follower.info.id} (read-only, players' view)   q quit",
                style="dim",
            ),
            id="w-foot",
        )

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_mount(self) -> None:
        if not self.is_headless:  # a real terminal: a test's app leaves the test's signals be
            from tui.stopsignals import catch_stop_signals

            self._release_signals = catch_stop_signals(self.stop_by_signal)
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self.sub_title = f"session {self.follower.info.id}"
        self.set_interval(self.poll_every, self._tick)
        self._tick()

    def on_unmount(self) -> None:
        self._release_signals()

    def stop_by_signal(self, signum: int) -> None:
        """SIGTERM or SIGHUP: leave as `q` does (the viewer changes nothing: no work to wait
        for); `tabletop watch` says why and exits 128 + signum."""
        if self.stopped_by is None:
            self.stopped_by = signum
            from tui.stopsignals import LEAVE_LIMIT, exit_anyway

            exit_anyway(128 + signum, LEAVE_LIMIT)  # if leaving hangs (a terminal gone)
            self.exit()

    def _tick(self) -> None:
        self.run_worker(self._poll, thread=True, exclusive=True, group="poll", exit_on_error=False)

    def _poll(self) -> None:
        try:
            update = self.follower.poll()
            if update is None:
                return
            ex = self.follower.exercise
            snap = EngineDriver(ex.scenario, exercise=ex).snapshot()
        except Exception as exc:  # said, never a view frozen in silence
            self.post_message(PollFailed(failure_text(exc)))
            return
        self.post_message(Polled(update, snap))

    def on_polled(self, message: Polled) -> None:
        self.failure = None
        snap = message.snapshot
        self.snapshot = snap
        self.query_one(ClockBar).show(snap, playing=False, speed="", controller=False)
        self.query_one(DecisionPanel).show(snap, 0)
        self.query_one(Dashboard).show(snap, False)
        feed, log = self.query_one(InjectFeed), self.query_one(EventLog)
        records = message.update.records
        if message.update.reset:
            feed.reset(records, False)
            log.reset(records)
        else:
            feed.add(records, False)
            log.add(records)

    def on_poll_failed(self, message: PollFailed) -> None:
        if message.text == self.failure:
            return  # said already: not again at every look at the store
        self.failure = message.text
        self.notify(message.text, title="Cannot follow", severity="error", markup=False)
