"""The console: clock, MSEL, inject feed, decision panel, dashboard, actors and event log.

Wide terminals show every panel at once (a grid); below 100×30 the panels fold into tabs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Tab, Tabs

from sim.schema import Scenario
from tui.widgets.actors import ActorsPanel
from tui.widgets.clock import ClockBar
from tui.widgets.dashboard import Dashboard
from tui.widgets.decision import DecisionPanel
from tui.widgets.eventlog import EventLog
from tui.widgets.feed import InjectFeed
from tui.widgets.keys import KeyBar
from tui.widgets.msel import MselPanel

if TYPE_CHECKING:
    from tui.app import TabletopApp

NARROW_WIDTH = 100
NARROW_HEIGHT = 30
FOLDS = (
    ("now", "Now"),
    ("dash", "Dashboard"),
    ("msel", "MSEL"),
    ("actors", "Actors"),
    ("log", "Log"),
)


class FoldTabs(Tabs):
    """The panel tabs of narrow terminals; never focused, so keys reach the console."""

    can_focus = False


class ConsoleScreen(Screen[None]):
    """The main screen of a live session."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "app.toggle_play", "Play/pause"),
        Binding("n", "app.step", "Next event"),
        Binding("plus,equals_sign", "app.faster", "Faster", key_display="+"),
        Binding("minus", "app.slower", "Slower", key_display="-"),
        Binding("1", "app.choose(1)", "Choose", key_display="1-9"),
        *[Binding(str(n), f"app.choose({n})", f"Option {n}", show=False) for n in range(2, 10)],
        Binding("o", "app.next_decision", "Other decision", show=False),
        Binding("v", "app.toggle_view", "View"),
        Binding("i", "app.fire_inject", "Inject"),
        Binding("t", "app.free_inject", "Free text"),
        Binding("a", "app.adjust", "Adjust"),
        Binding("m", "app.note", "Note"),
        Binding("s", "app.observe", "Observe"),
        Binding("u", "app.undo", "Undo"),
        Binding("b", "app.briefing", "Briefing"),
        Binding("d", "app.debrief", "Debrief"),
        Binding("left", "fold(-1)", "Previous tab", show=False),
        Binding("right", "fold(1)", "Next tab", show=False),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.seen = 0
        self.seen_controller: bool | None = None

    @property
    def tabletop(self) -> TabletopApp:
        return cast("TabletopApp", self.app)

    def compose(self) -> ComposeResult:
        s = self.scenario
        yield ClockBar(s, id="clock")
        yield FoldTabs(*[Tab(label, id=f"tab-{key}") for key, label in FOLDS], id="fold-tabs")
        with Container(id="panels"):
            with VerticalScroll(id="p-msel", classes="panel") as msel:
                msel.border_title = "MSEL"
                yield MselPanel(s, id="msel")
            with Vertical(id="p-now", classes="panel -active") as now:
                now.border_title = "Injects"
                yield InjectFeed(s, id="feed")
                yield DecisionPanel(s, id="decision")
            with VerticalScroll(id="p-actors", classes="panel") as actors:
                actors.border_title = "Actors   busy/capacity"
                yield ActorsPanel(s, id="actors")
            with VerticalScroll(id="p-dash", classes="panel") as dash:
                dash.border_title = "Variables and objectives"
                yield Dashboard(s, id="dashboard")
            log = EventLog(s, id="p-log", classes="panel")
            log.border_title = "Event log"
            yield log
        yield KeyBar()

    def on_mount(self) -> None:
        self.fold(self.size.width, self.size.height)
        self.show_state(full=True)

    def on_resize(self, event: Resize) -> None:
        self.fold(event.size.width, event.size.height)

    def fold(self, width: int, height: int) -> None:
        self.set_class(width < NARROW_WIDTH or height < NARROW_HEIGHT, "-narrow")

    @on(Tabs.TabActivated, "#fold-tabs")
    def _fold_tab(self, event: Tabs.TabActivated) -> None:
        key = (event.tab.id or "tab-now").removeprefix("tab-")
        self.select_fold(key)

    def action_fold(self, delta: int) -> None:
        """Show the previous or next panel (narrow terminals only)."""
        keys = [key for key, _label in FOLDS]
        active = next((p.id for p in self.query(".panel.-active")), "p-now") or "p-now"
        current = active.removeprefix("p-")
        index = keys.index(current) if current in keys else 0
        self.select_fold(keys[(index + delta) % len(keys)])

    def select_fold(self, key: str) -> None:
        for panel in self.query(".panel"):
            panel.set_class(panel.id == f"p-{key}", "-active")
        tabs = self.query_one("#fold-tabs", Tabs)
        if tabs.active != f"tab-{key}":
            tabs.active = f"tab-{key}"

    # --- rendering from the app's snapshot -----------------------------------------------------

    def show_state(self, *, full: bool = False, alert: bool = False) -> None:
        app = self.tabletop
        snap = app.snapshot
        controller = app.controller
        self.query_one(ClockBar).show(
            snap, playing=app.playing, speed=app.speed_label(), controller=controller
        )
        # the view's colour is the clock bar's own class: restyling the whole screen on every
        # switch cost more than everything else the switch does
        if snap is None:
            return
        self.query_one(MselPanel).show(snap, controller)
        self.query_one(DecisionPanel).show(snap, app.decision_index, controller)
        self.query_one(ActorsPanel).show(snap, controller)
        self.query_one(Dashboard).show(snap, controller)
        visible = snap.visible(controller)
        feed, log = self.query_one(InjectFeed), self.query_one(EventLog)
        if full or self.seen_controller != controller or self.seen > len(visible):
            feed.reset(visible, controller)
            log.reset(visible, controller)
        else:
            fresh = visible[self.seen :]
            feed.add(fresh, controller)
            log.add(fresh)
        self.seen, self.seen_controller = len(visible), controller
        if alert:
            self.alert_decision()

    def alert_decision(self) -> None:
        """A decision has opened: bring it into view and flash the panel."""
        if self.has_class("-narrow"):
            self.select_fold("now")
        panel = self.query_one(DecisionPanel)
        panel.add_class("-flash")
        self.set_timer(0.6, lambda: panel.remove_class("-flash"))
        self.set_timer(1.2, lambda: panel.add_class("-flash"))
        self.set_timer(1.8, lambda: panel.remove_class("-flash"))
