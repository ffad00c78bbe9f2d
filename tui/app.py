"""The facilitator console: the App, its keys, and the bridge to the engine worker.

All engine calls run in Textual thread workers through :class:`tui.driver.EngineDriver`
(which holds a lock, so they never overlap); results come back as messages carrying an
immutable snapshot. "Play" is a timer that asks the worker to advance the clock a little.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Protocol

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from sim import events as ev
from sim.engine import Exercise, ExerciseError
from sim.pacing import Stop, StopReason
from sim.problems import TabletopError
from sim.safetext import printable
from sim.schema import Scenario
from sim.views import offered
from tui.commands import ConsoleCommands
from tui.driver import EngineDriver, Job, Snapshot
from tui.failures import failure_text, notify_failure
from tui.fmt import when
from tui.livereload import POLL, ReloadRefused, ScenarioReloaded, Watched, problem_lines
from tui.messages import EngineFailed, EngineStarted, EngineUpdated
from tui.recording import Recording
from tui.widgets.decision import default_label
from tui.widgets.textinput import guard_paste, safe_notice

SPEEDS: tuple[float, ...] = (0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256)
"""Play speeds, in scenario hours per real second."""
DEFAULT_SPEED = 3
TICK = 0.25
ENGINE_WAIT_TICKS = 50
"""After SIGTERM or SIGHUP, how many tenths of a second the console waits for the engine job
under way (a decision being saved) before it leaves."""
"""Seconds between play ticks."""

Command = tuple[str, str, Callable[[], Any]]


class StateView(Protocol):
    def show_state(self, *, full: bool = False, alert: bool = False) -> None: ...


INERT_AFTER_THE_END = frozenset(
    {"end_exercise", "toggle_play", "step", "faster", "slower", "choose", "next_decision"}
)
"""Actions that cannot act once the exercise has ended: the key bars stop listing them."""
CONTROLLER_VIEW_ONLY = frozenset({"fire_inject", "adjust", "note", "observe", "undo"})
"""Actions for the controller view only (each says so, and to press v, in the players' view):
the key bars list them only in the controller view."""


class TabletopApp(App[None]):
    """One facilitated session: picker → briefing → console → debrief."""

    CSS_PATH = "app.tcss"
    TITLE = "tabletop"
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "request_quit", "Quit"),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+p", "command_palette", "Commands", key_display="^p"),
    ]

    def __init__(
        self,
        scenario: Scenario | None = None,
        seed: int | None = None,
        *,
        folder: Path | None = None,
        files: Sequence[Path] | None = None,
        tick: float = TICK,
        recording: Recording | None = None,
        hold_defaults: bool = True,
        watch: Path | None = None,
    ) -> None:
        super().__init__()
        self.watched = None if watch is None else Watched(watch)
        """The scenario file `--watch` reloads when it is saved (None: no live reload)."""
        self.hold_defaults = hold_defaults
        """Stop the clock before a decision's deadline default applies (the room may choose)."""
        self.scenario = scenario
        self.seed = seed
        self.recording = recording
        """Where the session is saved (None: not saved), and a resumed exercise if any."""
        self.folder = folder or Path.cwd()
        self.files = None if files is None else tuple(files)
        """Files the picker offers besides the bundled ones; None: the scenarios in folder."""
        self.tick = tick
        self.driver: EngineDriver | None = None
        self.snapshot: Snapshot | None = None
        self.controller = False
        self.playing = False
        self.speed_index = DEFAULT_SPEED
        self.decision_index = 0
        self.inflight = 0
        self.resume_after_decision = False
        self.debrief_shown = False
        self.exporting: Path | None = None
        """The folder the after-action report is being written to, while it is (one at once)."""
        self.held_notices: list[tuple[str, str, SeverityLevel, float | None]] = []
        """Notices for the facilitator given while the players' view was on screen (a file's
        problems, why a replay stopped): shown when the controller view is switched on."""
        self.timer: Timer | None = None
        self.stopped_by: int | None = None
        """The signal (SIGTERM, SIGHUP) that ended the console (tui.stopsignals), if one did."""
        self._release_signals: Callable[[], None] = lambda: None
        self._waited_for_engine = 0

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
        guard_paste(event)  # a paste reaches every field (the palette's too) as printable text
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error ends the app with exit code 1 (Textual's rule)."""
        from tui.crash import write_crash_log

        self._crash = (error, write_crash_log(error))
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """One line and a log file, never Textual's traceback (its locals hold the scenario)."""
        from rich.text import Text

        from tui.crash import crash_line

        error, log = getattr(self, "_crash", (RuntimeError("unknown"), None))
        self.bell()
        self.panic(Text(crash_line(error, log)))

    def compose(self) -> ComposeResult:
        yield Static("")

    def on_mount(self) -> None:
        if not self.is_headless:  # a real terminal: a test's app leaves the test's signals be
            from tui.stopsignals import catch_stop_signals

            self._release_signals = catch_stop_signals(self.stop_by_signal)
        self.timer = self.set_interval(self.tick, self._tick, pause=True)
        if self.watched is not None:
            self.set_interval(POLL, self._check_watched)
            self.notify(self.watched.started_notice(), title="Live reload", markup=False)
        if self.scenario is not None:
            self.start_exercise(self.scenario)
        else:
            from tui.screens.picker import PickerScreen

            self.push_screen(PickerScreen(self.folder, self.files))

    # --- starting -----------------------------------------------------------------------------

    def open_scenario(self, scenario: Scenario, path: Path | None = None) -> None:
        """From the picker: start the exercise and read the briefing first."""
        from tui.screens.briefing import BriefingScreen

        if self.recording is not None and path is not None:
            self.recording = self.recording.with_file(path)
        self.start_exercise(scenario)
        self.push_screen(BriefingScreen(scenario))

    def start_exercise(self, scenario: Scenario) -> None:
        from tui.screens.console import ConsoleScreen

        self.scenario = scenario
        self.sub_title = scenario.scenario.title
        self.push_screen(ConsoleScreen(scenario))
        self.inflight += 1
        self.run_worker(
            partial(self._start_work, scenario, self.seed),
            thread=True,
            group="engine",
            exit_on_error=False,
        )

    def _start_work(self, scenario: Scenario, seed: int | None) -> None:
        try:
            exercise = None
            if self.recording is not None:
                exercise = self.recording.exercise(scenario, seed)
            driver = EngineDriver(
                scenario, seed, exercise=exercise, hold_defaults=self.hold_defaults
            )
            self.post_message(EngineStarted(driver, driver.snapshot()))
        except TabletopError as exc:  # the store could not be used: say so, never a crash
            self.post_message(EngineFailed(f"could not start the exercise: {exc}"))
        except Exception as exc:  # shown, never a crash, and says what failed
            self.post_message(EngineFailed(f"could not start the exercise: {failure_text(exc)}"))

    # --- the engine worker --------------------------------------------------------------------

    def submit(self, job: Job, kind: str = "") -> bool:
        """Run an engine job on a worker thread; False if no exercise is running."""
        driver = self.driver
        if driver is None:
            return False
        self.inflight += 1
        self.run_worker(
            partial(self._work, driver, job, kind),
            thread=True,
            group="engine",
            exit_on_error=False,
        )
        return True

    def _work(self, driver: EngineDriver, job: Job, kind: str) -> None:
        try:
            new = job(driver)
        except ExerciseError as exc:
            self.post_message(EngineFailed(str(exc)))
            return
        except TabletopError as exc:  # the store refused the write: nothing was applied
            self.post_message(EngineFailed(f"not saved, so not done: {exc}"))
            return
        except Exception as exc:  # an engine bug must not take the session down
            self.post_message(EngineFailed(f"internal error: {failure_text(exc)}"))
            return
        self.post_message(EngineUpdated(driver.snapshot(), tuple(new), kind, driver.take_stop()))

    def act(self, action: Callable[[Exercise], object], kind: str = "action") -> None:
        if not self.submit(lambda d: d.act(action), kind):
            self.notify("No exercise is running", severity="warning")

    def notify_staff(
        self,
        message: str,
        *,
        title: str,
        players: str,
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        """A notice that may quote what the players must not see (the scenario file's lines, a
        hidden name in why a command no longer applies): in the players' view only ``players``
        is said, and the notice waits for the controller view."""
        if self.controller:
            self.notify(message, title=title, severity=severity, markup=False, timeout=timeout)
            return
        self.held_notices.append((message, title, severity, timeout))
        self.notify(
            f"{players} (details in the controller view: v)",
            title=title,
            severity=severity,
            markup=False,
            timeout=timeout,
        )

    def on_engine_started(self, message: EngineStarted) -> None:
        self.inflight -= 1
        self.driver = message.driver
        self.snapshot = message.snapshot
        self.refresh_views(full=True)
        if message.snapshot.finished:  # a session resumed after its end: no clock keys listed
            for screen in self.screen_stack:
                screen.refresh_bindings()
        resumed = self.recording.resumed if self.recording is not None else None
        if resumed is not None:
            said = (
                f"Session {resumed.session_id} resumed"
                if resumed.forked_from is None  # with --force on a changed file: a new one
                else f"Session {resumed.session_id} continues session {resumed.forked_from}"
            )
            lines = resumed.report()
            if lines:  # why commands were skipped may name what the players cannot see
                text = "\n".join([said, *lines])
                self.notify_staff(text, title="Resumed", players=said, timeout=10)
            else:
                self.notify(said, title="Resumed", markup=False, timeout=10)

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.inflight -= 1
        self.notify(
            printable(message.text), title="Not done", severity="error", markup=False, timeout=6
        )

    def on_engine_updated(self, message: EngineUpdated) -> None:
        self.inflight -= 1
        was_finished = self.snapshot is not None and self.snapshot.finished
        snap = message.snapshot
        self.snapshot = snap
        opened = [  # another actor's decision is for the controller view only
            r.decision
            for r in message.new
            if isinstance(r, ev.DecisionOpened) and (self.controller or r.visible_to(snap.players))
        ]
        alert = bool(opened) and not snap.finished
        if alert:
            if self.playing:
                self.set_playing(False)
                self.resume_after_decision = True
            ids = [od.decision.id for od in snap.view(self.controller).open_decisions]
            self.decision_index = ids.index(opened[-1]) if opened[-1] in ids else 0
            self.bell()
        elif snap.view(self.controller).open_decisions:
            self.decision_index %= len(snap.view(self.controller).open_decisions)
        else:
            self.decision_index = 0
            if self.resume_after_decision and not snap.finished:
                self.resume_after_decision = False
                self.set_playing(True)
        if snap.finished:
            self.set_playing(False)
            self.resume_after_decision = False
        if snap.finished != was_finished:  # the keys that can act change: every key bar says so
            for screen in self.screen_stack:
                screen.refresh_bindings()
        if message.kind == "undo" and not snap.finished:
            self.debrief_shown = False
        if message.kind == "observe":
            self.notify("Observation saved for the after-action report", timeout=3)
        if message.stopped is not None:
            self.tell_stop(message.stopped)
        self.refresh_views(full=message.kind == "undo", alert=alert)
        if snap.finished and not self.debrief_shown:
            self.debrief_shown = True
            self.notify("The exercise has ended: here is the debrief", timeout=6)
            self.action_debrief()

    def refresh_views(self, *, full: bool = False, alert: bool = False) -> None:
        """Redraw every screen on the stack that shows exercise state."""
        for screen in self.screen_stack:
            show = getattr(screen, "show_state", None)
            if show is not None and screen.is_mounted:
                show(full=full, alert=alert and screen is self.screen)

    def snapshot_players(self) -> tuple[str, ...]:
        """The players' side (record audiences), from the last snapshot."""
        return () if self.snapshot is None else self.snapshot.players

    def tell_stop(self, stop: Stop) -> None:
        """Say what the clock did with deadlines: held before one, or let a default apply."""
        scenario = self.scenario
        if scenario is None:
            return
        for made in stop.defaults:
            if not self.controller and not made.visible_to(self.snapshot_players()):
                continue  # another actor's decision: not the room's to hear of
            self.notify(
                f"No choice by the deadline: {_prompt(scenario, made.decision)} → "
                f"the default '{_label(scenario, made.decision, made.option)}' applied",
                title="Default applied",
                severity="warning",
                markup=False,
                timeout=8,
            )
        held = stop.deadline
        if stop.reason is StopReason.DEADLINE and held is not None:
            if self.playing:
                self.set_playing(False)
            self.resume_after_decision = False
            d = held.decision
            self.bell()
            self.notify(
                f"The deadline of {d.prompt} comes next ({when(scenario, held.deadline)}). "
                f"Choose now, or press n or space to let the default "
                f"'{_label(scenario, d.id, d.default)}' apply.",
                title="Paused before a deadline",
                severity="warning",
                markup=False,
                timeout=10,
            )

    # --- live reload (--watch) -----------------------------------------------------------------

    def _check_watched(self) -> None:
        watched, driver = self.watched, self.driver
        if watched is None or driver is None or not watched.watcher.changed():
            return
        self.set_playing(False)
        self.resume_after_decision = False
        self.inflight += 1
        self.run_worker(
            partial(self._reload_work, driver, watched.path),
            thread=True,
            group="engine",
            exit_on_error=False,
        )

    def _reload_work(self, driver: EngineDriver, path: Path) -> None:
        from sim.authoring.reload import Reloaded

        try:
            result = driver.reload(path)
        except Exception as exc:  # shown, never a crash; the old exercise keeps running
            self.post_message(ReloadRefused([f"internal error: {failure_text(exc)}"]))
            return
        if isinstance(result, Reloaded):
            scenario = result.exercise.scenario
            self.post_message(
                ScenarioReloaded(
                    scenario, driver.snapshot(), result.summary(), complete=result.stopped is None
                )
            )
        else:
            self.post_message(ReloadRefused(problem_lines(result)))

    async def on_scenario_reloaded(self, message: ScenarioReloaded) -> None:
        from tui.screens.console import ConsoleScreen

        self.inflight -= 1
        self.scenario = message.scenario
        self.snapshot = snap = message.snapshot
        self.sub_title = message.scenario.scenario.title
        self.decision_index = 0
        self.debrief_shown = snap.finished
        # the panels are built from the scenario (its variables, actors): build them again
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ConsoleScreen):
            await self.pop_screen()
        if isinstance(self.screen, ConsoleScreen):
            await self.switch_screen(ConsoleScreen(message.scenario))
        else:
            await self.push_screen(ConsoleScreen(message.scenario))
        self.refresh_views(full=True)
        if message.complete:
            self.notify(
                printable(message.summary), title="Scenario reloaded", markup=False, timeout=10
            )
        else:  # why a command no longer applies may name what the players cannot see
            self.notify_staff(
                printable(message.summary),
                title="Scenario reloaded",
                players="Reloaded; some commands no longer apply",
                timeout=10,
            )

    def on_reload_refused(self, message: ReloadRefused) -> None:
        self.inflight -= 1
        name = self.watched.name() if self.watched is not None else "the file"
        self.notify_staff(  # the problems quote the file: its hidden names, its notes
            printable("\n".join(message.lines)),
            title=f"Not reloaded: {name} has problems (the exercise goes on unchanged)",
            players="The file was not reloaded",
            severity="error",
            timeout=20,
        )

    # --- time ---------------------------------------------------------------------------------

    def speed_label(self) -> str:
        speed = SPEEDS[self.speed_index]
        return f"{speed:g} h/s"

    def set_playing(self, playing: bool) -> None:
        self.playing = playing
        if self.timer is not None:
            if playing:
                self.timer.resume()
            else:
                self.timer.pause()

    def _tick(self) -> None:
        snap, scenario = self.snapshot, self.scenario
        if not self.playing or self.inflight or snap is None or scenario is None:
            return
        if snap.finished:
            self.set_playing(False)
            return
        hours = SPEEDS[self.speed_index] * self.tick
        dt = hours / scenario.hours(1.0)
        self.submit(lambda d: d.advance(dt), "advance")

    def action_toggle_play(self) -> None:
        if self.snapshot is None or self.snapshot.finished:
            self.notify("The exercise has ended", severity="warning")
            return
        self.resume_after_decision = False
        self.set_playing(not self.playing)
        self.refresh_views()

    def action_step(self) -> None:
        controller = self.controller
        self.submit(lambda d: d.step(controller), "step")

    def action_faster(self) -> None:
        self.speed_index = min(self.speed_index + 1, len(SPEEDS) - 1)
        self.refresh_views()

    def action_slower(self) -> None:
        self.speed_index = max(self.speed_index - 1, 0)
        self.refresh_views()

    # --- decisions ----------------------------------------------------------------------------

    def action_choose(self, number: int) -> None:
        snap = self.snapshot
        if snap is None or not snap.view(self.controller).open_decisions:
            self.notify("No decision is open", severity="warning")
            return
        od = snap.view(self.controller).open_decisions[
            self.decision_index % len(snap.view(self.controller).open_decisions)
        ]
        if od.deadline <= snap.now:  # the engine would refuse it: say so, open no dialog
            self.notify(
                f"Too late: the deadline of {od.decision.prompt} has come; its default "
                f"'{default_label(od)}' applies (press n or space)",
                severity="warning",
                markup=False,
            )
            return
        options = offered(od)
        if not 1 <= number <= len(options):
            self.notify(f"Choose 1 to {len(options)}", severity="warning")
            return
        decision, option = od.decision.id, options[number - 1].id

        def record(rationale: str | None) -> None:
            if rationale is None:
                self.notify("Not chosen", timeout=2)
                return
            self.act(
                lambda ex: ex.decide(decision, option, by="players", reason=rationale), "decide"
            )

        from tui.screens.rationale import RationaleDialog

        self.push_screen(RationaleDialog(od.decision.prompt, options[number - 1].label), record)

    def action_next_decision(self) -> None:
        snap = self.snapshot
        if snap is not None and snap.view(self.controller).open_decisions:
            self.decision_index = (self.decision_index + 1) % len(
                snap.view(self.controller).open_decisions
            )
            self.refresh_views()

    # --- views and screens --------------------------------------------------------------------

    def action_toggle_view(self) -> None:
        self.controller = not self.controller
        if not self.controller:  # a notice given in the controller view may name its secrets
            self.clear_notifications()
        view = "Controller view: everything is shown" if self.controller else "Players' view"
        self.notify(view, timeout=3)
        if self.controller:
            held, self.held_notices = self.held_notices, []
            for text, title, severity, timeout in held:
                self.notify(text, title=title, severity=severity, markup=False, timeout=timeout)
        self.refresh_views(full=True)
        for screen in self.screen_stack:  # the key bars list the controller's keys, or not
            screen.refresh_bindings()

    def listed(self, action: str) -> bool:
        """Whether the key bars list a key for ``action`` (``app.undo``, ``undo``) now."""
        return self.controller or action.removeprefix("app.") not in CONTROLLER_VIEW_ONLY

    def action_briefing(self) -> None:
        from tui.screens.briefing import BriefingScreen

        if self.scenario is not None and not isinstance(self.screen, BriefingScreen):
            self.push_screen(BriefingScreen(self.scenario))

    def action_debrief(self) -> None:
        from tui.screens.debrief import DebriefScreen

        if self.scenario is None or self.snapshot is None:
            return
        if not isinstance(self.screen, DebriefScreen):
            self.set_playing(False)
            self.push_screen(DebriefScreen(self.scenario))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self._release_signals()

    def stop_by_signal(self, signum: int) -> None:
        """SIGTERM or SIGHUP: leave as quitting does, once the engine job under way is done
        (its decision is saved with it); `tabletop play` says why and exits 128 + signum."""
        if self.stopped_by is None:
            self.stopped_by = signum
            from tui.stopsignals import LEAVE_LIMIT, exit_anyway

            exit_anyway(128 + signum, LEAVE_LIMIT)
            self._leave_when_idle()

    def _leave_when_idle(self) -> None:
        if self.inflight > 0 and self._waited_for_engine < ENGINE_WAIT_TICKS:
            self._waited_for_engine += 1
            self.set_timer(0.1, self._leave_when_idle)
            return
        if self.recording is not None:
            self.recording.leave(self.driver)
        self.exit()

    def action_request_quit(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        def done(yes: bool | None) -> None:
            if yes:
                if self.recording is not None:
                    self.recording.leave(self.driver)
                self.exit()

        if isinstance(self.screen, ConfirmDialog):
            return
        saved = "The session is not saved."
        if self.recording is not None:
            saved = self.recording.saved_message(self.driver)
        self.push_screen(ConfirmDialog(f"Quit the console?\n{saved}"), done)

    def action_what_if(self) -> None:
        """From the debrief: play another option of a decision out, then compare (a branch)."""
        from tui.screens.whatif import WhatIf, WhatIfDialog, alternatives

        recording, snap, scenario = self.recording, self.snapshot, self.scenario
        if recording is None or recording.session_id is None or snap is None or not scenario:
            self.notify("What if needs a saved session", severity="warning")
            return
        choices = alternatives(scenario, list(snap.visible(self.controller)))
        if not choices:
            self.notify("No decision has been made yet", severity="warning")
            return
        session_id, controller = recording.session_id, self.controller

        def done(choice: WhatIf | None) -> None:
            if choice is not None:
                self.notify("Playing the other timeline out…", timeout=3)
                self.run_worker(
                    partial(self._what_if_work, session_id, choice, controller),
                    thread=True,
                    group="what-if",
                    exit_on_error=False,
                )

        self.push_screen(WhatIfDialog(choices), done)

    def _what_if_work(self, session_id: int, choice: Any, controller: bool) -> None:
        from sim.deciders import DefaultDecider, play
        from sim.session.branch import branch_session
        from sim.session.compare import compare_sessions
        from tui.screens.whatif import ComparisonScreen

        recording = self.recording
        assert recording is not None
        made = None
        try:
            made = branch_session(recording.store, session_id, choice.decision, choice.option)
            play(made.exercise, DefaultDecider())
            comparison = compare_sessions(recording.store, session_id, made.session_id)
            scenario = made.exercise.scenario  # times as the clock gives them: day, date, time
            text = comparison.to_text(controller, when=partial(when, scenario))
        except Exception as exc:  # said, never silence: w and a choice promised a timeline
            what = "The what-if was not played"
            if made is not None:  # the branch was saved before it failed: say where it is
                what += f" (its branch was saved as session {made.session_id})"
            notify_failure(self, what, exc, "What if")
            return
        title = (
            f"What if {choice.decision} had been {choice.option}? "
            f"(session {made.session_id}, a branch of session {session_id}; "
            f"`tabletop compare {session_id} {made.session_id}`)"
        )
        self.call_from_thread(self.push_screen, ComparisonScreen(title, text))

    def action_undo(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if self.driver is None or self.recording is None:
            self.notify("Undo works in a saved session", severity="warning")
            return
        if not self.controller:
            # Whatever it would ask or say ('Undone: an adjustment', even 'nothing to undo')
            # tells the room of commands it never saw: undo is asked in the controller view.
            self.notify(
                "Undo is for the controller view: switch to it (v) first", severity="warning"
            )
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.set_playing(False)
                controller = self.controller  # the notice is for the view undone from
                self.submit(partial(self._undo_job, controller=controller), "undo")

        last = self.driver.last_command(self.controller)
        if last is None:  # only the clock has moved (or nothing at all): nothing to ask about
            self.notify("There is nothing to undo (the clock's steps are not undone)")
            return
        self.push_screen(
            ConfirmDialog(
                f"Undo the last command, {last}? (it stays in the session, marked undone)"
            ),
            done,
        )

    def _undo_job(self, driver: EngineDriver, *, controller: bool = True) -> list[ev.Event]:
        what = driver.undo(controller)
        self.call_from_thread(self.notify, f"Undone: {what}", title="Undo", markup=False, timeout=6)
        return []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys a key bar lists only while they can act: the clock's, choosing and ending,
        until the exercise has ended (an undo of the end brings them back)."""
        ended = self.snapshot is not None and self.snapshot.finished
        return not (action in INERT_AFTER_THE_END and ended)

    def action_end_exercise(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if self.snapshot is None or self.snapshot.finished:
            self.notify("The exercise has already ended", severity="warning")
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.set_playing(False)
                self.debrief_shown = True
                self.submit(lambda d: d.end(), "end")

        self.push_screen(ConfirmDialog("End the exercise now and rate the objectives?"), done)

    # --- facilitator powers -------------------------------------------------------------------

    def action_fire_inject(self) -> None:
        from tui.screens.dialogs import FireInjectDialog, FireRequest

        snap = self.snapshot
        if snap is None or snap.finished:
            self.notify("No exercise is running", severity="warning")
            return
        if not self.controller:  # even 'held inject 1, 2, 3' tells the room what is in reserve
            self.notify(
                "Held injects are for the controller view: switch to it (v) first",
                severity="warning",
            )
            return
        held = [
            e.inject for e in snap.msel_controller if e.inject.contingency and e.status == "pending"
        ]
        if not held:
            self.notify("No contingency injects are held in reserve", severity="warning")
            return

        def done(req: FireRequest | None) -> None:
            if req is not None:
                self.fire(req.inject, req.reason)

        self.push_screen(FireInjectDialog(held), done)

    def fire(self, inject: str, reason: str = "") -> None:
        self.act(lambda ex: ex.fire_inject(inject, reason), "fire")

    def action_free_inject(self) -> None:
        from tui.screens.dialogs import SendInjectDialog, SendRequest

        if self.scenario is None:
            return

        def done(req: SendRequest | None) -> None:
            if req is not None:
                self.act(lambda ex: ex.send_inject(req.text, req.sender, req.recipients), "send")

        self.push_screen(SendInjectDialog(self.scenario, controller=self.controller), done)

    def action_adjust(self) -> None:
        from tui.screens.dialogs import AdjustDialog, AdjustRequest

        snap, scenario = self.snapshot, self.scenario
        if snap is None or scenario is None:
            return
        if not self.controller:
            # The reason typed is for the controller only (the players' view leaves it out of
            # the record): typed in the players' view it was on the projector, as a note was.
            self.notify(
                "Adjustments are recorded with a reason for the controller: switch to the "
                "controller view (v) first",
                severity="warning",
            )
            return
        names = list(scenario.variables)

        def done(req: AdjustRequest | None) -> None:
            if req is not None:
                self.act(lambda ex: ex.adjust(req.variable, req.value, req.reason), "adjust")

        self.push_screen(AdjustDialog(scenario, snap.variables, names), done)

    def action_note(self) -> None:
        """A note for the log (facilitator only): controller view only, as observations and
        ratings are (what is typed would be on the projector)."""
        from tui.screens.dialogs import NoteDialog

        if not self.controller:
            self.notify(
                "Notes are for the facilitator's log: switch to the controller view (v) first",
                severity="warning",
            )
            return

        def done(text: str | None) -> None:
            if text:
                self.act(lambda ex: ex.note(text), "note")

        self.push_screen(NoteDialog(), done)

    def action_observe(self) -> None:
        """An evaluator's observation (see tui/screens/observe.py): controller view only."""
        from tui.screens.observe import open_observe

        open_observe(self)

    # --- the command palette ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's system commands, with Quit asking first and Screenshot saying where."""
        for command in super().get_system_commands(screen):
            if command.title == "Quit":
                yield SystemCommand(
                    "Quit", "Leave the console (asks first)", self.action_request_quit
                )
            elif command.title == "Screenshot":
                yield SystemCommand(
                    "Screenshot",
                    "Save an SVG screenshot in the current folder",
                    lambda: self.set_timer(0.1, self.save_screenshot_here),
                )
            else:
                yield command

    def save_screenshot_here(self) -> None:
        """Save an SVG screenshot in the console's folder (else the store's) and say where."""
        from sim.safetext import printable

        folders = [self.folder]
        if self.recording is not None:
            folders.append(self.recording.store.path.parent)
        for folder in folders:
            try:
                path = self.save_screenshot(path=str(folder))
            except OSError:
                continue
            self.notify(f"Screenshot saved: {printable(path, one_line=True)}", markup=False)
            return
        self.notify("Could not save a screenshot: no writable folder", severity="error")

    def palette_commands(self) -> list[Command]:
        """Every console action by name, then the choices open now (for ConsoleCommands)."""
        out: list[Command] = [
            ("Play / pause", "space: run the scenario clock", self.action_toggle_play),
            ("Next event", "n: step to the next event", self.action_step),
            ("Faster", "+: speed up play", self.action_faster),
            ("Slower", "-: slow down play", self.action_slower),
            (
                "Toggle controller view",
                "v: players' view / controller view",
                self.action_toggle_view,
            ),
            ("Fire contingency inject", "i: deliver a held inject", self.action_fire_inject),
            ("Free-text inject", "t: write and send an inject", self.action_free_inject),
            ("Adjust variable", "a: set a variable, with a reason", self.action_adjust),
            ("Add note", "m: facilitator note", self.action_note),
            ("Add observation", "s: for the report (controller view)", self.action_observe),
            ("Undo", "u: take back the last command", self.action_undo),
            ("What if", "w (debrief): play another option out and compare", self.action_what_if),
            ("Briefing", "b: situation, actors, objectives, modules", self.action_briefing),
            ("Debrief", "d: decisions, objectives, variables", self.action_debrief),
            ("End exercise", "rate the objectives now", self.action_end_exercise),
            ("Next open decision", "o: when several are open", self.action_next_decision),
            ("Help", "?: every key", self.action_help),
            ("Quit", "q: leave the console", self.action_request_quit),
        ]
        snap = self.snapshot
        if snap is not None and snap.view(self.controller).open_decisions:
            od = snap.view(self.controller).open_decisions[
                self.decision_index % len(snap.view(self.controller).open_decisions)
            ]
            late = od.deadline <= snap.now  # its default applies this instant: no choice
            for n, option in enumerate(() if late else offered(od), start=1):
                out.append(
                    (
                        f"Choose {n}: {option.label}",
                        escape(f"decision {od.decision.id}"),
                        partial(self.action_choose, n),
                    )
                )
        if snap is not None and not snap.finished and self.controller:
            # (the players' view on screen: none of them, not even how many are held)
            held = [
                e for e in snap.msel_controller if e.inject.contingency and e.status == "pending"
            ]
            for e in held:
                name = f"Fire inject: {e.inject.title or e.inject.id}"
                about = escape(f"contingency inject {e.inject.id}")
                out.append((name, about, partial(self.fire, e.inject.id, "")))
        return out


def _prompt(scenario: Scenario, decision: str) -> str:
    return next((d.prompt for d in scenario.decisions if d.id == decision), decision)


def _label(scenario: Scenario, decision: str, option: str) -> str:
    for d in scenario.decisions:
        for o in d.options:
            if d.id == decision and o.id == option:
                return o.label
    return option
