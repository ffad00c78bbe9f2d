"""The Exercise: a scenario played out by SimPy, driven by commands, reporting only records.

Commands in, records out. Every way to change an exercise is a frozen command
(:mod:`sim.commands`) given to :meth:`Exercise.submit`, the one entry point: it validates the
command (refusing it with :class:`ExerciseError` and logging nothing), appends it to
``command_log`` with the scenario time it was asked at, and applies it. Moving the clock is a
command too (:class:`~sim.commands.Advance`), so a log replays to the same exercise
(:func:`sim.replay.replay`). The methods ``decide()``, ``run_until()``... are thin wrappers.

Changes (decide, fire or send an inject, adjust, note, observe, start a response) are applied
at the end of the current instant, one at a time, after every engine event at that instant
and after the engine's own end-of-instant work (deadline defaults, deferred choices): so where
the caller happened to pause never changes the log, and the same scenario, seed and commands
give the same log byte for byte. ``run_until(t)`` processes everything due at ``t`` itself, so
a decision's default applies at exactly its deadline however the caller steps; a choice that
arrives once the deadline has come is refused.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from heapq import heappop
from itertools import count
from math import isfinite
from typing import Any, ParamSpec, cast

import simpy
from simpy.events import EventPriority
from simpy.resources.resource import Release, Request

from sim import events as ev
from sim.calendar import Calendar, uses_calendar
from sim.cause import (
    CAUSE_RESPONSE,
    CAUSE_THREAT,
    FACILITATOR,
    UNEXPLAINED,
    Cause,
)
from sim.chance import Streams
from sim.clock import CLOCK, NOW
from sim.commands import (
    ADVANCE_STOPS,
    Adjust,
    Advance,
    Command,
    Decide,
    End,
    FireInject,
    LoggedCommand,
    Note,
    Observe,
    Rate,
    SendInject,
    StartResponse,
)
from sim.compiled import CLOCK_NAME, Compiled, EffectPlan, compiled
from sim.draws import stream_name, with_stream
from sim.dynamics import Dynamics, uses_v2
from sim.evidence import Evidence, Measure, evidence_text
from sim.expr import ExprError, Expression, Value
from sim.handrating import accept_rate, hand_rating
from sim.limits import MAX_EVENTS, MAX_TEXT
from sim.numbers import stored
from sim.observing import accept_observe
from sim.problems import TabletopError
from sim.responses import start_response
from sim.runviews import DecisionView, InjectView, ObjectiveView, RunViews, Trigger
from sim.schema import (
    UNDECIDED,
    Countermeasure,
    Decision,
    Inject,
    Legislation,
    Notification,
    Objective,
    Option,
    Scenario,
    Threat,
)
from sim.state import ActiveResponse as ActiveResponse
from sim.state import Campaigns
from sim.state import MselEntry as MselEntry
from sim.state import OpenDecision as OpenDecision
from sim.state import Outcomes as Outcomes
from sim.threats import detect, start_threat
from sim.timers import Soon, Timer
from sim.vocab import (
    DECIDED_BY_DEADLINE,
    END_FACILITATOR,
    END_HORIZON,
    INJECT_DELIVERED,
    INJECT_PENDING,
    INJECT_SKIPPED,
    RATING_MET,
    RATING_NOT_MET,
    RATING_PARTIALLY,
    RESPONSE_LOCKED,
    RESPONSE_READY,
    THREAT_PENDING,
)

_SOON, _TIMER = 0, 1
"""How a threat or inject is triggered (_Setup.armed): at the start, at a time, on a condition."""
_WHEN_KEPT = 4096
"""Most scenario times in words kept per scenario (sim.engine._Setup.when_words)."""
_PLANS_KEPT = 4096
"""Most sets of changed names whose watchers are planned, kept per scenario (_Setup.watch_plans)."""
P = ParamSpec("P")
_ENDED = "the exercise has ended"
_MOVES_BY_COMMANDS = "an exercise with a log moves only by commands (its command log must replay)"
"""Refusing ``advance_unlogged`` and ``decide_unlogged`` (checked where they start: they are
called for every step and choice of a batch's run)."""
_OPENED = "\x00a decision opened"
"""Put among the changed names when a decision opens: no name of a scenario (its watchers are
none), it wakes the stepping loop's look at whether to stop for a decision."""
_OVER_TEXT = "\x00over the text budget"
"""Put among the changed names when the records pass ``max_text`` (``text_shown``): it wakes
the stepping loop's look at the text budget, which ends the run after the step."""
# MODEL_FIELDS_ARE_SLOW: reading a field of a scenario model (``inj.id``, ``d.deadline``) costs
# about 350 instructions where a plain object's costs about 15: pydantic's ``BaseModel`` defines
# ``__getattr__``, and CPython cannot specialise an attribute read on a class that does. The hot
# paths (here and in the mechanics) read the elements through their run views (sim/runviews.py:
# plain copies made once per scenario), or read a model's field once, into a local.
_SET_SEQ = ev.Event.__dict__["seq"].__set__
_SET_TIME = ev.Event.__dict__["time"].__set__
_SHOWN: dict[Callable[..., ev.Event], tuple[str, ...]] = {k: v for k, v in ev.SHOWN.items()}


class ExerciseError(TabletopError):
    """A command the exercise refuses (unknown id, decision not open or past its deadline,
    exercise over...). A refused command changes nothing and is not logged."""


ASSESSMENTS = ("", "strength", "improvement")
"""The values of an observation's assessment."""


class BudgetExceeded(ExerciseError):
    """The run used up its engine-event budget: the scenario does too much for one run."""


@dataclass(frozen=True, slots=True)
class Rating:
    """An objective's standing: 'met', 'partially' or 'not_met', and why."""

    objective: str
    rating: str
    evidence: str
    """The evidence in words, for the controller (see ``facts`` for the data)."""
    facts: Evidence


def _opened(o: Outcomes, fields: Mapping[str, Any]) -> None:
    o.decisions[fields["decision"]] = None


def _made(o: Outcomes, fields: Mapping[str, Any]) -> None:
    o.decisions[fields["decision"]] = fields["option"]


def _finished(o: Outcomes, fields: Mapping[str, Any]) -> None:
    o.succeeded.add(fields["response"])


def _branched(o: Outcomes, fields: Mapping[str, Any]) -> None:
    o.branches.add((fields["threat"], fields["stage"], fields["to"]))


def _started(o: Outcomes, fields: Mapping[str, Any]) -> None:
    if fields["origin"] == (CAUSE_RESPONSE, fields["response"], "retry"):
        o.retries[fields["response"]] = o.retries.get(fields["response"], 0) + 1


def _failed(o: Outcomes, fields: Mapping[str, Any]) -> None:
    o.expression_failures += 1


def _evaluated(o: Outcomes, fields: Mapping[str, Any]) -> None:
    o.ratings[fields["objective"]] = fields["rating"]


_NOTES: dict[Callable[..., ev.Event], Callable[[Outcomes, Mapping[str, Any]], None]] = {
    ev.DecisionOpened: _opened,
    ev.DecisionMade: _made,
    ev.ResponseFinished: _finished,
    ev.ThreatBranched: _branched,
    ev.ResponseStarted: _started,
    ev.ExpressionFailed: _failed,
    ev.ObjectiveEvaluated: _evaluated,
}
"""The records whose outcomes an exercise without a log notes, and how. (The frequent ones are
noted where they happen, as these note them, without building their fields: decisions opened
and made and objectives rated by the engine, responses finished by sim.responses;
tests/batch/test_records_off.py checks every tally against the logged runs'.)"""


class Exercise:
    """One play of a scenario with one seed."""

    # Its fields in slots: read and written without an instance dictionary, which (with more
    # than 30 fields) CPython would otherwise build field by field for every run. ``__dict__``
    # keeps room for fields added elsewhere (a subclass's, a caller's).
    __slots__ = (
        "__dict__",
        "__weakref__",
        "_actions",
        "_choice_waiting",
        "_defaulted",
        "_dirty",
        "_due",
        "_expressions",
        "_fire_waiting",
        "_followers",
        "_limits",
        "_live",
        "_objective_broken",
        "_objective_first_true",
        "_opened",
        "_option_lists",
        "_options",
        "_own_watchers",
        "_queue",
        "_quiet",
        "_state",
        "_watch_index",
        "_watch_plans",
        "_watchers",
        "_when_words",
        "active",
        "audiences",
        "calendar",
        "campaigns",
        "command_log",
        "compiled",
        "decisions",
        "env",
        "events_processed",
        "finished",
        "hand_ratings",
        "happened_at",
        "horizon",
        "injects",
        "log",
        "max_events",
        "max_text",
        "open_decisions",
        "outcomes",
        "players",
        "recorded",
        "records",
        "resources",
        "responses",
        "rng",
        "scenario",
        "seed",
        "state",
        "streams",
        "text_shown",
        "threats",
        "v2",
        "views",
    )

    def __init__(self, scenario: Scenario, seed: int | None = None, *, log: bool = True) -> None:
        self.scenario = scenario
        self.log = log
        """Whether records are kept (``records``). Without a log (a batch's replications) the
        run is the same, but records are only counted and the outcomes a batch reads are
        noted in ``outcomes``; no record, and none of the words records carry, is built."""
        self.recorded = 0
        """Records so far (kept or not)."""
        self.outcomes = Outcomes()
        """(without a log) What the records would have said that a batch reads."""
        self.seed = scenario.scenario.seed if seed is None else seed
        setup = _setup(scenario)
        self.compiled: Compiled = setup.compiled
        self.env: simpy.Environment = _Environment()
        self._expressions = self.compiled.by_source
        self.rng = Streams(self.seed)
        self.horizon = scenario.scenario.horizon
        self.records: list[ev.Event] = []
        self.finished = False
        self.events_processed = 0
        """Engine steps taken so far; a run stops with BudgetExceeded past ``max_events``."""
        self.max_events = MAX_EVENTS
        self.text_shown = 0
        """Characters of prose the records carry so far (``ev.SHOWN``); a run stops with
        BudgetExceeded past ``max_text``."""
        self.max_text = MAX_TEXT
        self._limits = setup.limits
        self.players: tuple[str, ...] = setup.players
        self._when_words = setup.when_words
        self.audiences = setup.audiences
        """Each response's record audience, worked out once per scenario (sim.responses)."""
        self.streams = setup.streams
        """Each threat's, inject's and response's stream name ('threat:<id>'), made once per
        scenario: ``rng(streams[id])`` finds its stream by a name already hashed, where a
        name built at each use is a new string, hashed anew."""
        self.views: RunViews = setup.views
        """The fields a run reads of the scenario's elements, in plain objects made once per
        scenario (sim.runviews: a scenario model's fields are slow to read)."""

        self._state: dict[str, Value] = dict(setup.state)
        self.state: Mapping[str, Value] = self._state
        """Every variable's value and element's status, by name (read only; ``value``)."""
        if setup.clock_now:  # (v2) 'now' reads the clock
            self._state[CLOCK] = cast(Value, self.env)

        # The scenario's elements by id: worked out once per scenario, read-only, shared.
        self.injects: Mapping[str, Inject] = setup.injects
        self.decisions: Mapping[str, Decision] = setup.decisions
        self._options = setup.options
        self._option_lists = setup.option_lists
        self.responses: Mapping[str, Notification | Countermeasure | Legislation] = setup.responses
        self.threats: Mapping[str, Threat] = setup.threats
        self.resources = _Resources(self.env, setup.capacity)
        """Each actor's capacity (a ``simpy.Resource``, created when first used)."""
        self.open_decisions: dict[str, OpenDecision] = {}
        self.active: dict[str, ActiveResponse] = {}
        self.happened_at: dict[str, float] = {}
        """When each inject was delivered, decision made, threat started or detected."""
        self.campaigns = Campaigns()
        """The campaigns' bookkeeping, kept by sim.threats."""

        self.command_log: list[LoggedCommand] = []
        self._actions = 0
        """Every command accepted, in order, with the scenario time it was asked at."""
        self._due: deque[Callable[[], None]] = deque()
        """The engine's own end-of-instant work: deadline defaults, deferred choices."""
        self._queue: deque[Callable[[], None]] = deque()
        """Accepted commands waiting for the end of the current instant."""
        self._choice_waiting: set[str] = set()
        self._defaulted: dict[str, float] = {}
        """Decisions whose deadline default applied, and when."""
        self._fire_waiting: set[str] = set()
        self._followers: dict[str, tuple[Trigger, ...]] = dict(setup.followers)
        """What starts after each inject or decision (see ``happened``); armed per scenario."""
        # The watchers (a ``when`` trigger, a watched objective) are planned once per scenario
        # (_Setup.watchers, .watch_index, shared); a run keeps which are still live, and extends
        # its own copy of the plan if it adds watchers (v2 mechanics, the calendar: ``_watch``).
        self._watchers: list[_Watcher] = setup.watchers
        self._watch_index: dict[str, list[_Watcher]] = setup.watch_index
        self._own_watchers = False
        self._watch_plans = setup.watch_plans
        """Which watchers to check for a set of changed names (``_plan_watchers``)."""
        self._live = bytearray(setup.live)
        """Whether each watcher (by order) still waits (a ``when`` trigger fires once)."""
        self._dirty: set[str] = set()
        self._opened = 0
        """Decisions opened so far (``run_until_decision`` stops when it grows)."""
        self._objective_first_true: dict[str, float] = {}
        self._objective_broken: dict[str, float] = {}
        self.hand_ratings: dict[str, tuple[str, str, float]] = {}
        """Objectives rated by an evaluator: (rating, note, when) (see sim/handrating.py)."""

        if log:
            self._emit(
                ev.ExerciseStarted, scenario=scenario.scenario.id, seed=self.seed, start=setup.start
            )
        else:  # not a record the exercise notes (_NOTES): counted only
            self.recorded += 1
        # The triggers, as _Setup.armed lists them (threats, then injects, in file order); those
        # armed on a condition are the plan's first watchers (_Setup.watchers).
        fire, env = self._fire, self.env
        for how, item, delay in setup.armed:
            if how == _TIMER:
                # Armed before anything runs: created now, the timer comes after the same
                # events as when a process created it at time 0 (every timer is created later).
                Timer(env, delay, partial(fire, item))
            else:
                Soon(env, partial(fire, item))
        self.v2: Dynamics | None = Dynamics(self) if setup.v2 else None
        """Format v2 mechanics (sim/dynamics.py), armed only for a scenario that uses them."""
        self.calendar: Calendar | None = Calendar(self) if setup.calendar else None
        """(v2) The legislative calendar (sim/calendar.py), armed only if the scenario uses it."""
        self._quiet = self.v2 is None and not log
        """A run without a log or v2 mechanics (a batch's): ``apply_plan`` makes its changes
        itself."""
        # Every watcher is checked once against the initial state. When that cannot differ
        # from run to run (no v2 mechanic or calendar has armed or drawn anything, no watcher
        # fires, fails or reads the clock), it was worked out once per scenario
        # (_Setup.initial): a run only keeps the objectives' first readings.
        initial = setup.initial
        if initial is None:
            self._dirty.update(self._watch_index)
            self.events_processed += self._check_watchers()
        else:
            self.events_processed += initial.checks  # as if checked here
            if initial.held:
                self._objective_first_true.update(initial.held)
            if initial.broken:
                self._objective_broken.update(initial.broken)

    # --- reading state ------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """The scenario time. (The engine's own hot paths read ``float(self.env._now)``, what
        this returns, without the property's call.)"""
        return float(self.env._now)  # what ``env.now`` returns, without a second property call

    @property
    def threat_detected(self) -> set[str]:
        """Threats the defenders (and so the players) know of."""
        return self.campaigns.detected

    def mark_time(self, key: str) -> None:
        """Note when something first happened (see ``happened_at``)."""
        self.happened_at.setdefault(key, float(self.env._now))

    def clock(self, t: float | None = None) -> datetime:
        """Scenario date-time of time t (default: now)."""
        hours = self.scenario.hours(self.now if t is None else t)
        return self.scenario.scenario.start + timedelta(hours=hours)

    def value(self, name: str) -> Value:
        """A variable's value or an element's status."""
        return self._state[name]

    def variables(self) -> dict[str, float]:
        return {k: float(self._state[k]) for k in self.scenario.variables}

    def busy(self, actor: str) -> tuple[int, int]:
        """(capacity in use, capacity) of an actor."""
        res = self.resources[actor]
        return int(res.count), int(res.capacity)

    def msel(self, controller: bool = False) -> list[MselEntry]:
        """The MSEL in order. Players (controller=False) see no contingency injects that have
        not been fired, no skipped injects, and no time for conditional injects not yet
        delivered."""
        out = []
        for inj in self.scenario.injects:
            status = str(self._state[inj.id])
            if not controller and (
                status == "skipped" or (inj.contingency and status == "pending")
            ):
                continue
            t = self.happened_at.get(inj.id)
            if t is None and inj.at is not None and (controller or inj.when is None):
                t = inj.at
            out.append(MselEntry(inj, t, status))
        return sorted(out, key=lambda e: (e.time is None, e.time or 0.0))

    def standing(self) -> list[Rating]:
        """Each objective's rating if the exercise ended now."""
        return [self._rate(o, final=False) for o in self.scenario.objectives]

    def visible(self, controller: bool = False) -> list[ev.Event]:
        """The records a viewer may see: all of them for the controller, else the players'
        (facilitator-only fields left out; see :mod:`sim.views`)."""
        from sim.views import records

        return records(self, controller)

    def rate(self, objective: str) -> Rating:
        """An objective's rating if the exercise ended now."""
        return self._rate(
            next(o for o in self.scenario.objectives if o.id == objective), final=False
        )

    def decision_audience(self, owner: str) -> tuple[str, ...]:
        """Who knows of a decision of ``owner``: everyone when the owner is on the players'
        side, else only its owner. An adversary's, an ally's or any other outside actor's
        deliberation (posed, perhaps, by an inject the players never received) is not the
        room's to see: they learn of it by its effects."""
        return ev.EVERYONE if owner in self.players else (owner,)

    def clock_text(self, t: float) -> str:
        """Scenario date-time and time of t, as evidence words it: '2020-07-21 09:00 (t=6)'."""
        return self._when(t)

    # --- advancing time (wrappers around the Advance command) ------------------------------

    def step(self) -> list[ev.Event]:
        """Advance until at least one new record appears (or the exercise ends)."""
        return self._move(self.horizon, "record")

    def run_until_decision(self) -> list[ev.Event]:
        """Advance until a new decision is open or the exercise ends."""
        return self._move(self.horizon, "decision")

    def run_until(self, t: float) -> list[ev.Event]:
        """Advance the clock to time t (or the end), processing everything due up to and at t."""
        return self._move(t, "")

    def run_before(self, t: float) -> list[ev.Event]:
        """Process everything due before time t; the clock stays at the last event before t."""
        return self._move(t, "", before=True)

    def settle(self) -> list[ev.Event]:
        """Apply queued actions: finish the current instant, without moving the clock on."""
        return self._move(self.now, "")

    def run(self) -> list[ev.Event]:
        """Run to the end; open decisions take their defaults at their deadlines."""
        return self._move(self.horizon, "")

    def end(self, reason: str = "facilitator") -> list[ev.Event]:
        """End the exercise now and rate the objectives."""
        start = len(self.records)
        if not self.finished:
            self.submit(End(reason=reason))
        return self.records[start:]

    def due_now(self) -> bool:
        """Whether anything is still to happen at the current instant."""
        return bool(self._due or self._queue) or self.env.peek() <= self.now

    def next_time(self) -> float:
        """When the engine next has something to do: now if the instant is not finished, the
        time of its next scheduled event, or infinity."""
        return self.now if self._due or self._queue else float(self.env.peek())

    def catch_up(self, t: float) -> None:
        """Move the clock to t without logging it (replay of a log whose clock moved outside
        commands)."""
        if not self.finished:
            self._advance_to(t, "")

    def waiting_choices(self) -> frozenset[str]:
        """Decisions with a choice accepted but not yet applied (their default will not apply)."""
        return frozenset(self._choice_waiting)

    def _move(self, to: float, stop: str, *, before: bool = False) -> list[ev.Event]:
        if self.finished:
            return []
        start = len(self.records)
        target = min(to, self.horizon)
        if target <= self.now and not self.due_now():
            return []
        self.submit(Advance(to=target, stop=stop, before=before))
        return self.records[start:]

    def _advance_to(self, to: float, stop: str, before: bool = False) -> None:
        t = min(to, self.horizon)
        start = self.recorded
        env, due, queue, horizon = self.env, self._due, self._queue, self.horizon
        heap = env._queue  # SimPy's schedule: a heap of (time, priority, id, event), never empty
        # (_Environment's last entry is at infinity)
        on_record, on_decision = stop == "record", stop == "decision"
        limit, text_limit = self.max_events, self.max_text
        opened = self._opened
        dirty = self._dirty  # one set for the run: names changed since the watchers' last check,
        # and _OPENED when a decision opened (no name: the watchers pass over it)
        steps = self.events_processed  # counted here, stored back however the loop ends
        try:
            while not self.finished:
                # The most frequent engine steps: SimPy events before the target, with no work
                # at their instant and nothing changed that anyone watches. They are taken in a
                # loop that does only what SimPy's Environment.step does, the range counting
                # the steps. It stops before an event at or past the target, when no step is
                # left (the general step below stops the run), and after an event that changed
                # a watched name, opened a decision or left work for the end of its instant (a
                # deadline's default). A stop at each new record takes the general step.
                stepped = False
                if not (due or queue or on_record):
                    taken = steps
                    for steps in range(taken + 1, limit + 1):
                        if heap[0][0] >= t:
                            steps -= 1  # not taken
                            break
                        env._now, _, _, event = heappop(heap)
                        callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]
                        for callback in callbacks:
                            callback(event)
                        if not event._ok and not hasattr(event, "_defused"):
                            _crash(event)
                        if dirty or due:
                            stepped = True
                            break
                if not stepped:
                    # One general engine step: the instant's own work and queued actions once
                    # its events are done, else the next SimPy event, else the end of time.
                    nxt = heap[0][0]
                    work = due or queue
                    if before:
                        if not (nxt < t or (work and env._now < t)):
                            return
                    elif not (nxt <= t or work):
                        break
                    steps += 1
                    if steps > limit:
                        self.events_processed = steps
                        self._over_budget(env._now if work and nxt > env._now else nxt)
                    if work and nxt > env._now:
                        work.popleft()()
                    elif nxt >= horizon:
                        self._end(END_HORIZON)
                    else:  # the next event (at the target, before the instant's work, ...)
                        env.step()  # (what the inner loop above does inline)
                if dirty:  # a watched name changed, a decision opened, text over budget
                    if not self.finished:
                        steps += self._check_watchers()  # re-checking conditions is work too
                    if self.text_shown > text_limit:
                        self.events_processed = steps
                        self._over_budget()
                    if on_decision and self._opened != opened:
                        return
                if on_record and self.recorded > start:
                    return
        finally:
            self.events_processed = steps
        if not self.finished and t > env._now:
            self._clock_to(t)
        if not self.finished and t >= self.horizon:
            self._end(END_HORIZON)

    def _clock_to(self, t: float) -> None:
        """Move the clock to ``t`` when nothing is scheduled before or at it: what
        ``env.run(until=t)`` then does (its stop event takes the next event id, and comes
        before anything else at ``t``), without the event, the loop and the exception."""
        env = self.env
        next(env._eid)
        env._now = t if isinstance(t, int) else float(t)

    def _over_budget(self, at: float | None = None) -> None:
        """Stop the run: ``at`` is the time of the engine step it could not take (the clock
        may have been moved past the last event, to wherever the caller stepped it)."""
        from sim.checks import budget_hint  # what repeats most, named (only when it stops)

        if self.text_shown > self.max_text:
            from sim.textbudget import text_hint

            raise BudgetExceeded(
                f"the run stopped at t={self.now:g} after showing {self.text_shown:,} "
                f"characters of the scenario's text, more than the {self.max_text:,} one run "
                f"may show: {text_hint(self.records)}"
            )
        raise BudgetExceeded(
            f"the run stopped at t={self.now if at is None else min(at, self.horizon):g} "
            f"after {self.max_events:,} engine events, the "
            f"limit for one run: {budget_hint(self.scenario, self.max_events)}"
        )

    def _end(self, reason: str, action: int | None = None) -> None:
        if reason == END_HORIZON and self.env.now < self.horizon:
            self._clock_to(self.horizon)  # nothing is due before the horizon (_advance_to)
        for view in self.views.objectives:
            if not self.log:  # the rating alone, noted (_evaluated): no evidence in words
                self.outcomes.ratings[view.id] = self._level(view, True)
                self.recorded += 1
                continue
            obj = view.model
            r = self._rate(obj, final=True)
            self._emit(
                ev.ObjectiveEvaluated,
                objective=obj.id,
                rating=r.rating,
                evidence=r.evidence,
                measure=str(r.facts.measure),
                values=dict(r.facts.values),
                first_held=r.facts.first_held,
                stopped_holding=r.facts.stopped_holding,
                deadline=r.facts.deadline,
            )
        if self.log:
            self._emit(ev.ExerciseEnded, reason=reason, action=action)
        else:  # not a record the exercise notes: counted only
            self.recorded += 1
            self._let_go()
        self.finished = True

    def _let_go(self) -> None:
        """(an exercise without a log, at its end) Drop what still points back at the
        exercise: the timers left in SimPy's schedule (their callbacks hold it or a campaign),
        the campaigns still running (each holds it) and work never to be done. A batch's run
        is then freed by reference counting as soon as its outcomes are read: left in
        reference cycles, each run's objects waited for Python's cycle collector, which took
        about a tenth of a batch's time (tests/batch/test_run_freed.py)."""
        heap = self.env._queue
        for _, _, _, event in heap:
            event.callbacks = None  # type: ignore[assignment]  # (as once processed)
        heap[:] = [_LAST_ENTRY]
        self.campaigns.running.clear()
        for capacity in self.resources._made.values():  # a request still holding or waiting
            capacity.users.clear()  # for an actor's capacity holds the actor's resource
            capacity.put_queue.clear()
            capacity.get_queue.clear()
        self._due.clear()
        self._queue.clear()
        if self._own_watchers:  # (v2 mechanics, the calendar) watchers that call back into them
            self._watchers, self._watch_index, self._watch_plans = [], {}, {}
        if self.v2 is not None:  # (v2) it holds the exercise, and its parts hold it back
            vars(self.v2).clear()  # (Dynamics.bounds: Bounds.dyn)
        self.v2 = self.calendar = None

    # --- commands: the one entry point ---------------------------------------------------------

    def submit(self, command: Command) -> LoggedCommand:
        """Validate, log and apply one command; raise ExerciseError (logging nothing) if the
        exercise refuses it. Advance and End act at once; the others are applied at the end of
        the current instant (by the next advance, ``settle()`` included).

        Firing an inject while the clock rests within an instant (a console stepping record
        by record) is checked against the end of that instant, where it applies: the instant
        is finished first (what any later advance would do at once; the clock stays, nothing
        is logged, a replay finishes it the same way), so an inject the rest of the instant
        delivers is refused as delivered, never fired and then silently dropped. A choice is
        not: play answers each decision where it opens, mid-instant, and finishing the
        instant would open its next decision unseen by the decider
        (tests/sim/test_playbook_same_instant.py)."""
        if self._open_now(command) and self._mid_instant():  # the cheap question first
            self._advance_to(float(self.env._now), "")
        apply = self._accept(command)
        action = None if isinstance(command, Advance) else self._actions
        entry = LoggedCommand(len(self.command_log), self.now, command, action)
        self.command_log.append(entry)
        if action is not None:
            self._actions += 1
        apply(-1 if action is None else action)
        return entry

    def _open_now(self, c: Command) -> bool:
        """Whether ``c`` fires an inject still pending: what the rest of the instant may
        change (see ``submit``)."""
        if type(c) is FireInject:
            return self._state.get(c.inject) == INJECT_PENDING and c.inject in self.views.injects
        return False

    def _mid_instant(self) -> bool:
        """Whether engine events or the engine's own work remain at the current instant
        (commands waiting for its end are not counted: they are applied there anyway)."""
        return not self.finished and (bool(self._due) or self.env.peek() <= self.env._now)

    def _accept(self, c: Command) -> Callable[[int], None]:
        """Check a command against the exercise now; return how to apply it."""
        if type(c) is Advance:  # the most frequent command (every move of the clock) first
            self._require_running()
            return self._accept_advance(c)
        if isinstance(c, Rate):  # an evaluator's rating: also in the debrief, after the end
            return accept_rate(self, c)
        if isinstance(c, Observe):  # an evaluator's observation: also in the debrief
            return accept_observe(self, c)
        self._require_running()
        match c:
            case Decide():
                return self._accept_choice(c.decision, c.option, c.by, c.rationale, c.at)
            case FireInject():
                inj = self.views.injects.get(c.inject)
                if inj is None:
                    raise ExerciseError(f"there is no inject '{c.inject}'")
                if self._state[c.inject] != INJECT_PENDING:
                    raise ExerciseError(
                        f"inject '{c.inject}' has already been {self._state[c.inject]}"
                    )
                if c.inject in self._fire_waiting:
                    raise ExerciseError(f"inject '{c.inject}' is already being fired")
                self._fire_waiting.add(c.inject)

                def fire(seq: int) -> None:
                    def apply() -> None:
                        self._fire_waiting.discard(inj.id)
                        self._deliver(inj, by_facilitator=True, reason=c.reason, action=seq)

                    self._queue.append(apply)

                return fire
            case SendInject():
                for actor in (c.sender, *c.recipients):
                    if actor not in self.resources:
                        raise ExerciseError(f"there is no actor '{actor}'")
                if not c.recipients:
                    raise ExerciseError("the inject has no recipients")
                if not c.text.strip():
                    raise ExerciseError("the inject has no text")
                return lambda seq: self._queue.append(
                    lambda: self._emit(
                        ev.InjectDelivered,
                        inject="",
                        sender=c.sender,
                        recipients=c.recipients,
                        text=c.text,
                        by_facilitator=True,
                        audience=(c.sender, *c.recipients),
                        action=seq,
                    )
                )
            case Adjust():
                if c.variable not in self.scenario.variables:
                    raise ExerciseError(f"there is no variable '{c.variable}'")
                if not _finite(c.value):
                    raise ExerciseError(f"the new value of '{c.variable}' must be a number")
                if not c.reason.strip():
                    raise ExerciseError("say why the variable is adjusted")
                return lambda seq: self._queue.append(
                    lambda: self._set(
                        c.variable,
                        c.value,
                        FACILITATOR,
                        reason=c.reason,
                        action=seq,
                        always=True,
                    )
                )
            case Note():
                if not c.text.strip():
                    raise ExerciseError("the note has no text")
                return lambda seq: self._queue.append(
                    lambda: self._emit(
                        ev.FacilitatorNote, text=c.text, audience=ev.FACILITATOR_ONLY, action=seq
                    )
                )
            case StartResponse():
                if c.response not in self.responses:
                    raise ExerciseError(f"there is no response '{c.response}'")
                return lambda seq: self._queue.append(
                    lambda: self.launch(c.response, FACILITATOR, action=seq)
                )
            case Advance():
                return self._accept_advance(c)
            case End():

                def end(seq: int) -> None:
                    self._advance_to(self.now, "")
                    if not self.finished:
                        self._end(c.reason or END_FACILITATOR, action=seq)

                return end
        raise ExerciseError(f"the exercise does not take '{c.kind}' commands")

    def _accept_advance(self, c: Advance) -> Callable[[int], None]:
        if not _finite(c.to):
            raise ExerciseError("advance to a scenario time (a finite number)")
        if c.stop not in ADVANCE_STOPS:
            raise ExerciseError(f"unknown place to stop: '{c.stop}'")
        return lambda _seq: self._advance_to(c.to, c.stop, c.before)

    def _accept_choice(
        self, decision: str, option: str, by: str, rationale: str, at: float | None
    ) -> Callable[[int], None]:
        """Check a choice (a ``Decide`` command's fields) against the exercise now; return how
        to apply it."""
        view = self._check_choice(decision, option, at)
        return partial(self._queue_choice, view, option, by, rationale, at)

    def _check_choice(self, decision: str, option: str, at: float | None) -> DecisionView:
        """Refuse a choice the exercise cannot take now; else note it as waiting to apply."""
        od = self.open_decisions.get(decision)
        if od is None:
            if decision not in self.decisions:
                raise ExerciseError(f"there is no decision '{decision}'")
            state = self._state[decision]
            if decision in self._defaulted:
                raise ExerciseError(
                    f"too late: the deadline of '{decision}' was "
                    f"{self._when(self._defaulted[decision])} and its default '{state}' "
                    "applied"
                )
            if state != UNDECIDED:
                raise ExerciseError(f"decision '{decision}' was already decided ({state})")
            raise ExerciseError(f"decision '{decision}' is not open")
        d = od.decision
        if option not in self._options[decision]:
            raise ExerciseError(f"'{option}' is not an option of decision '{decision}'")
        if od.offered and option not in od.offered:
            raise ExerciseError(f"option '{option}' of '{decision}' is not offered now")
        now = float(self.env._now)
        if now >= od.deadline:
            raise ExerciseError(
                f"too late: the deadline of '{decision}' was {self._when(od.deadline)}; "
                f"its default '{d.default}' applies"
            )
        if at is not None and not _finite(at):
            raise ExerciseError("a choice's time must be a finite number")
        if at is not None and at >= od.deadline:
            raise ExerciseError(
                f"time {at:g} is not before the deadline of '{decision}' "
                f"({od.deadline:g}); at the deadline the default applies"
            )
        if decision in self._choice_waiting:
            raise ExerciseError(f"a choice for '{decision}' is already waiting to apply")
        self._choice_waiting.add(decision)
        return self.views.decisions[decision]

    def _queue_choice(
        self, view: DecisionView, option: str, by: str, rationale: str, at: float | None, seq: int
    ) -> None:
        """Apply a choice ``_check_choice`` took (action ``seq``): at the end of the instant,
        or at ``at``."""
        decision = view.id

        def choose() -> None:
            self._choice_waiting.discard(decision)
            if decision in self.open_decisions:
                self._make_decision(view, option, by, rationale=rationale, action=seq)

        if at is None:
            self._queue.append(choose)
            return

        def schedule() -> None:
            # At the end of the instant, like every action: a choice for later asked
            # mid-instant then waits behind what the rest of the instant set up for the
            # same time (another decision's deadline), as one asked after the instant.
            now = float(self.env._now)
            if at <= now:
                choose()
            else:
                self._due_after(at - now, choose)

        self._queue.append(schedule)

    # --- the actions as methods: thin wrappers that build commands ------------------------------

    def decide(
        self,
        decision: str,
        option: str,
        *,
        by: str = "players",
        at: float | None = None,
        reason: str = "",
    ) -> None:
        """Choose an option for an open decision, now or at a later time before its deadline."""
        self.submit(Decide(by=by, decision=decision, option=option, rationale=reason, at=at))

    def fire_inject(self, inject: str, reason: str = "") -> None:
        """Deliver a held (contingency) inject now."""
        self.submit(FireInject(inject=inject, reason=reason))

    def send_inject(self, text: str, sender: str, recipients: Iterable[str]) -> None:
        """Deliver a free-text inject written by the facilitator."""
        self.submit(SendInject(text=text, sender=sender, recipients=tuple(recipients)))

    def adjust(self, variable: str, value: float, reason: str) -> None:
        """Set a variable by hand, with the reason recorded (for the facilitator only)."""
        self.submit(Adjust(variable=variable, value=float(value), reason=reason))

    def note(self, text: str) -> None:
        """Add a facilitator note to the log."""
        self.submit(Note(text=text))

    def observe(self, text: str, objective: str = "", assessment: str = "") -> None:
        """Record an evaluator's observation (controller-only), for the after-action report."""
        self.submit(Observe(text=text, objective=objective, assessment=assessment))

    def start_response(self, response: str, cause: str = "facilitator") -> None:
        """Start a response outside any decision (a facilitator power)."""
        self.submit(
            StartResponse(response=response, reason="" if cause == "facilitator" else cause)
        )

    # --- an exercise without a log: the same moves, no command (sim.deciders.play) -----------

    def advance_unlogged(self, stop: str = "decision") -> None:
        """(an exercise without a log) What ``run_until_decision()`` (``stop="decision"``) or
        ``step()`` (``"record"``) does, without an ``Advance`` command: a batch's run
        (``Exercise(..., log=False)``) keeps no command log, nobody reads one."""
        if self.log:
            raise ExerciseError(_MOVES_BY_COMMANDS)
        if self.finished or (self.horizon <= self.env._now and not self.due_now()):
            return
        self._advance_to(self.horizon, stop)

    def decide_unlogged(
        self,
        decision: str,
        option: str,
        *,
        by: str = "players",
        at: float | None = None,
        reason: str = "",
    ) -> None:
        """(an exercise without a log) What ``decide()`` does, without a ``Decide`` command:
        refused the same way, applied at the same point of the run (the end of the instant,
        or ``at`` as a deferred choice), leaving the same records (counted, not built)."""
        if self.log:
            raise ExerciseError(_MOVES_BY_COMMANDS)
        if self.finished:
            raise ExerciseError(_ENDED)
        view = self._check_choice(decision, option, at)
        self._actions += 1
        self._queue_choice(view, option, by, reason, at, self._actions - 1)

    def _require_running(self) -> None:
        if self.finished:
            raise ExerciseError(_ENDED)

    # --- the context the mechanics (threats, responses) act through: sim.context.Context ----

    def record(self, kind: Callable[P, ev.Event], /, *args: P.args, **fields: P.kwargs) -> None:
        """Record that something happened: a record of class ``kind`` with these fields,
        stamped with its sequence number and the current scenario time.

        An exercise without a log (``log=False``, for batches) builds no record: it only
        counts it and notes the outcomes a batch reads (``outcomes``)."""
        self.recorded += 1
        if self.log:
            # Built, then stamped in place through the slots (sim.events._slot_init).
            event = kind(*args, **fields)
            records = self.records
            _SET_SEQ(event, len(records))
            _SET_TIME(event, float(self.env._now))
            records.append(event)
            shown = _SHOWN.get(kind)
            if shown is not None:
                self.text_shown += sum(len(getattr(event, name)) for name in shown)
                if self.text_shown > self.max_text:  # the stepping loop stops the run
                    self._dirty.add(_OVER_TEXT)
        else:
            note = _NOTES.get(kind)
            if note is not None:
                note(self.outcomes, fields)

    _emit = record

    # Timers (sim/timers.py): where a process would start, and where its timeout would resume
    # it, without the process.

    def _soon(self, then: Callable[[simpy.Event], None]) -> None:
        """Call back at the current instant, before ordinary events, as a process starts."""
        Soon(self.env, then)

    def _timer(self, delay: float, then: Callable[[simpy.Event], None]) -> None:
        """Call back after ``delay``, as a process's ``yield env.timeout(delay)`` resumes."""
        Timer(self.env, delay, then)

    def _due_after(self, delay: float, then: Callable[[], None]) -> None:
        """After ``delay``, queue ``then`` as the instant's own work: what a process that waits
        ``delay`` and then queues ``then`` would do, in two events instead of three."""
        env, due = self.env, self._due

        def start(_e: simpy.Event) -> None:
            Timer(env, delay, lambda _e: due.append(then))

        Soon(env, start)

    def set_status(self, name: str, status: str) -> None:
        # Most statuses have no watcher: for those the status is stored without asking whether
        # it changed (an equal status is the same word: a member of the vocabulary's StrEnums,
        # or an option's or a sitting's id, stored the same way each time).
        if name in self._watch_index and self._state[name] != status:
            self._dirty.add(name)  # a change only a watcher can notice
        self._state[name] = status

    def _set(
        self,
        variable: str,
        value: float,
        cause: Cause,
        *,
        reason: str = "",
        action: int | None = None,
        always: bool = False,
    ) -> None:
        self._change(variable, value, float(self._state[variable]), cause, reason, action, always)

    def _change(
        self,
        variable: str,
        value: float,
        old: float,
        cause: Cause,
        reason: str = "",
        action: int | None = None,
        always: bool = False,
    ) -> None:
        """``_set`` with the variable's value now (``old``) already read (``apply_plan``)."""
        low, high, secret = self._limits[variable]
        new = stored(float(value))
        if new < low:  # the variable's min and max (Variable.clamp; infinite when not set)
            new = low
        elif new > high:
            new = high
        if self.v2 is not None and variable in self.v2.bounded:  # (v2) bounds on other names
            new = self.v2.bound(variable, new)
        if new == old and not always:
            return
        self._state[variable] = new
        if variable in self._watch_index:  # a change only a watcher can notice
            self._dirty.add(variable)
        if not self.log:  # counted, never built: no cause in words
            self.recorded += 1
            return
        audience = ev.FACILITATOR_ONLY if secret else ev.EVERYONE
        hidden: Cause | None = None
        if cause.kind is CAUSE_THREAT and cause.id not in self.threat_detected:
            cause, hidden = UNEXPLAINED, cause
        self._emit(
            ev.VariableChanged,
            variable=variable,
            old=old,
            new=new,
            cause=cause.text,
            hidden_cause=hidden.text if hidden else "",
            origin=cause.parts,
            hidden_origin=hidden.parts if hidden else (),
            reason=reason,
            audience=audience,
            action=action,
        )

    def apply_effects(
        self,
        effects: Mapping[str, str | float],
        cause: Cause,
        *,
        extra: Mapping[str, Value] | None = None,
    ) -> None:
        """Apply effects in file order; each sees the values left by the ones before it."""
        if effects:
            self.apply_plan(self.compiled.effects(effects, extra is not None), cause, extra)

    def apply_plan(
        self, plan: EffectPlan, cause: Cause, extra: Mapping[str, Value] | None = None
    ) -> None:
        """Apply compiled effects (``Compiled.effects``: a run view's, planned once)."""
        state = self._state
        for variable, source, effect, draws, added in plan:
            old = float(state[variable])
            # A constant change (``+ 1.5``: sim.compiled.added) is the sum itself, when it is
            # in range; anything else is the effect's function (which reports a failure).
            if added is None or not isfinite(new := old + added):
                env: Mapping[str, Value] = state if extra is None else {**state, **extra}
                if draws:  # (v2) an amount drawn from the cause's own stream
                    env = with_stream(env, self.rng(stream_name(cause)))
                try:
                    new = effect.apply(old, env)
                except ExprError as exc:
                    self._expression_failed(f"{cause.text} → {variable}", str(source), exc)
                    continue
            if self._quiet:
                # What ``_change`` does in a run without a log or v2 mechanics, inline: there
                # the call to it cost about as much as the work. (``new`` is a float here: the
                # sum, or what an effect's function gives.)
                low, high, _hidden = self._limits[variable]
                new = stored(new)
                if new < low:
                    new = low
                elif new > high:
                    new = high
                if new != old:
                    state[variable] = new
                    if variable in self._watch_index:
                        self._dirty.add(variable)
                    self.recorded += 1
                continue
            if self.v2 is not None:
                new = self.v2.scale(cause, old, new)
            self._change(variable, new, old, cause)

    # An expression that fails is recorded with where it is: ``where % parts`` (``where`` as
    # is without parts), put into words only then.

    def truth(self, source: str | float, where: str, *parts: object) -> bool:
        """A condition's value (false if it fails, which is recorded)."""
        expr = self._expressions.get(source)
        if expr is None:
            expr = self.compiled.expr(source)
        try:
            return expr.truth(self._state)
        except ExprError as exc:
            self._expression_failed(where % parts if parts else where, str(source), exc)
            return False

    def probability(self, source: str | float, where: str, *parts: object) -> float:
        """A chance's value within 0..1 (0 if it fails, which is recorded)."""
        expr = self._expressions.get(source)
        if expr is None:
            expr = self.compiled.expr(source)
        try:
            return expr.probability(self._state)
        except ExprError as exc:
            self._expression_failed(where % parts if parts else where, str(source), exc)
            return 0.0

    def number(self, source: str | float, where: str, *parts: object) -> float:
        """An expression's value as a number (0 if it fails, which is recorded)."""
        expr = self._expressions.get(source)
        if expr is None:
            expr = self.compiled.expr(source)
        try:
            return expr.number(self._state)
        except ExprError as exc:
            self._expression_failed(where % parts if parts else where, str(source), exc)
            return 0.0

    def _expression_failed(self, where: str, source: str, exc: ExprError) -> None:
        self._emit(
            ev.ExpressionFailed,
            where=where,
            expression=source,
            error=str(exc),
            audience=ev.FACILITATOR_ONLY,
        )

    def launch(self, response: str, cause: Cause, action: int | None = None) -> None:
        start_response(self, self.views.responses[response], cause, action)

    def happened(self, key: str) -> None:
        """Note that an inject or decision happened, and start what follows it."""
        self.happened_at.setdefault(key, float(self.env._now))
        for item in self._followers.pop(key, ()):
            draw = item.draw_delay
            delay = draw(self.rng(self.streams[item.id])) if draw is not None else 0.0
            self._trigger_soon(item, delay)

    # --- injects, threats and their triggers ----------------------------------------------------

    def _trigger_soon(self, item: Trigger, delay: float) -> None:
        """Fire ``item`` after ``delay``, as a process started now that waits ``delay`` (if
        any) would, without the process."""

        def start(_e: simpy.Event) -> None:
            if delay > 0:
                Timer(self.env, delay, partial(self._fire, item))
            else:
                self._fire(item)

        Soon(self.env, start)

    def _fire(self, item: Trigger, _why: object = None) -> None:
        """Deliver an inject or start a threat (if its conditions hold). As a callback, what
        called back is ``_why``: a timer's event, or a watcher's truth."""
        if isinstance(item, InjectView):
            self._deliver(item)
        else:
            wait = self.v2.threat_due(item.model) if self.v2 is not None else 0.0
            if wait > 0:
                self._trigger_soon(item, wait)
                return
            if item.only_if is None or self.truth(item.only_if, "threat:%s", item.id):
                start_threat(self, item.model)

    def _deliver(
        self,
        inj: InjectView,
        by_facilitator: bool = False,
        reason: str = "",
        action: int | None = None,
    ) -> None:
        iid = inj.id
        if self._state[iid] != INJECT_PENDING:
            return
        if inj.only_if is not None and not self.truth(inj.only_if, "inject:%s", iid):
            self.set_status(iid, INJECT_SKIPPED)
            self._emit(
                ev.InjectSkipped,
                inject=iid,
                reason=f"condition false: {inj.only_if}",
                audience=ev.FACILITATOR_ONLY,
                action=action,
            )
            return
        if self.v2 is not None and not by_facilitator and not self.v2.inject_happens(inj.model):
            self.set_status(iid, INJECT_SKIPPED)
            self._emit(
                ev.InjectSkipped,
                inject=iid,
                reason=f"did not happen (probability {inj.model.probability})",
                audience=ev.FACILITATOR_ONLY,
            )
            return
        self.set_status(iid, INJECT_DELIVERED)
        if self.log:
            model = inj.model
            self._emit(
                ev.InjectDelivered,
                inject=iid,
                sender=model.sender,
                recipients=tuple(model.to),
                text=model.text,
                contingency=model.contingency,
                by_facilitator=by_facilitator,
                reason=reason,
                audience=(model.sender, *model.to),
                action=action,
            )
        else:  # not a record the exercise notes: counted only
            self.recorded += 1
        if inj.effects_plan:
            self.apply_plan(inj.effects_plan, inj.cause)
        if inj.reveals:
            for threat in inj.reveals:
                detect(self, self.threats[threat], inj.cause)
        if inj.poses is not None:
            self._open_decision(inj.poses)
        self.happened(iid)

    # --- decisions ----------------------------------------------------------------------------

    def _open_decision(self, d: DecisionView, *, again: bool = False) -> None:
        did = d.id
        if did in self.open_decisions or (self._state[did] != UNDECIDED and not again):
            return
        offered = self.v2.offered(d.model) if self.v2 is not None else ()
        now = float(self.env._now)
        od = OpenDecision(d.model, now, now + d.deadline, offered)
        self.open_decisions[did] = od
        self._opened += 1
        self._dirty.add(_OPENED)  # the stepping loop looks at _opened only when dirty
        if self.log:
            self._emit(
                ev.DecisionOpened,
                audience=self.decision_audience(d.model.owner),
                decision=did,
                owner=d.model.owner,
                prompt=d.model.prompt,
                options=offered or self._option_lists[did],
                deadline=od.deadline,
            )
        else:  # noted as _opened notes it
            self.outcomes.decisions[did] = None
            self.recorded += 1
        Soon(self.env, partial(self._time_deadline, d))

    def _time_deadline(self, d: DecisionView, _e: simpy.Event) -> None:
        """(Called back at the instant the decision opened, as a process started then would
        be) Set its deadline's timer."""
        Timer(self.env, d.deadline, partial(self._deadline, d))

    def _deadline(self, d: DecisionView, _e: simpy.Event | None = None) -> None:
        """The deadline has come: the default applies at the end of the instant, unless a
        choice was made meanwhile."""
        did = d.id
        if did in self.open_decisions:

            def default() -> None:
                if did in self.open_decisions:
                    self._make_decision(
                        d, d.default, DECIDED_BY_DEADLINE, "no decision by the deadline"
                    )

            self._due.append(default)

    def _make_decision(
        self,
        d: DecisionView,
        option_id: str,
        by: str,
        reason: str = "",
        *,
        rationale: str = "",
        action: int | None = None,
    ) -> None:
        did = d.id
        del self.open_decisions[did]
        if by == DECIDED_BY_DEADLINE:
            self._defaulted[did] = float(self.env._now)
        options = d.options
        option = options[option_id]
        self.set_status(did, option_id)
        if self.log:
            self._emit(
                ev.DecisionMade,
                audience=self.decision_audience(d.model.owner),
                decision=did,
                option=option_id,
                by=by,
                reason=reason,
                rationale=rationale,
                action=action,
            )
        else:  # noted as _made notes it
            self.outcomes.decisions[did] = option_id
            self.recorded += 1
        if self.v2 is not None:
            self.v2.decided(d.model)
            if not self.v2.consents(d.model, option.model):
                option = options[d.default]
                option_id = option.id
                self.set_status(did, option_id)
        cause = option.cause
        if option.effects_plan:
            self.apply_plan(option.effects_plan, cause)
        for response in option.response_views:
            start_response(self, response, cause, None)
        self.happened(did)

    # --- watchers: conditions checked whenever a name they read changes -----------------------

    def _watch(self, expr: Expression, then: Callable[[bool], None], *, repeat: bool) -> None:
        """Watch a condition from now on (a mechanic armed as the run goes: v2, the calendar):
        this run's own extension of the scenario's watchers. (A caller may add the new watcher
        to more names' lists, ``_watch_index``, before anything is checked: the plans of which
        watchers to check are made anew from the index after each ``_watch``.)"""
        if not self._own_watchers:  # the plan is shared by every run: copy it first
            self._watchers = list(self._watchers)
            self._watch_index = {k: list(v) for k, v in self._watch_index.items()}
            self._own_watchers = True
        self._watch_plans = {}  # this run's own from now on, made from its own index
        w = _Watcher(len(self._watchers), expr, _call_back, then, repeat)
        self._watchers.append(w)
        self._live.append(1)
        for name in expr.names:
            self._watch_index.setdefault(name, []).append(w)

    def _check_watchers(self) -> int:
        """Check the watchers of the names changed since the last check (the actions may
        change more); return how many checks were made."""
        checks = 0
        state = self._state
        live = self._live
        dirty = self._dirty  # names changed since (the watchers' actions may add more)
        while dirty:
            changed = frozenset(dirty)
            dirty.clear()
            due = self._watch_plans.get(changed)
            if due is None:
                due = self._plan_watchers(changed)
            for w in due:
                # Live when its turn comes is live when the batch began: a watcher's action ends
                # only its own watch (a ``when`` trigger, once it fired).
                if not live[w.order]:
                    continue
                checks += 1  # re-checking a condition is work too
                try:
                    ok = w.expr.truth(state)
                except ExprError as exc:
                    self._expression_failed("condition", w.expr.source, exc)
                    ok = False
                if w.repeat:
                    w.act(self, w.arg, ok)
                elif ok:
                    live[w.order] = 0
                    w.act(self, w.arg, ok)
        return checks

    def _plan_watchers(self, changed: frozenset[str]) -> tuple[_Watcher, ...]:
        """The watchers of any of the ``changed`` names, each once, in the order they were set
        up; planned once per set of names (most runs change the same few names together) and
        kept in ``_watch_plans``: the scenario's (shared by its runs, from its index, which
        never changes) or, once a run adds watchers, the run's own. A tuple: an action may arm
        a watcher of the same name while the plan is being walked."""
        index = self._watch_index
        found = {w.order: w for name in changed for w in index.get(name, ())}
        due = tuple(sorted(found.values(), key=_order))
        plans = self._watch_plans
        if len(plans) >= _PLANS_KEPT:
            plans.clear()
        plans[changed] = due
        return due

    def _objective_seen(self, obj: ObjectiveView, ok: bool) -> None:
        """A watched objective's condition checked ('by': when it first held; 'throughout':
        when it first stopped holding)."""
        if ok:
            if obj.id not in self._objective_first_true:
                self._objective_first_true[obj.id] = float(self.env._now)
        elif obj.throughout and obj.id not in self._objective_broken:
            self._objective_broken[obj.id] = float(self.env._now)

    # --- objectives ---------------------------------------------------------------------------

    def _rate(self, obj: Objective, *, final: bool) -> Rating:
        if obj.rated_by == "evaluator":
            return hand_rating(self, obj, final)
        if self.v2 is not None and (obj.at is not None or obj.within is not None):
            return self.v2.rate(obj, final)
        level = self._level(self.views.objective(obj), final)
        expr = self.compiled.expr(obj.met)
        values = {n: self._state[n] for n in sorted(expr.names)}
        if obj.throughout:
            broken = self._objective_broken.get(obj.id)
            facts = Evidence(Measure.THROUGHOUT, values, final, self.now, stopped_holding=broken)
        elif obj.by is not None:
            first = self._objective_first_true.get(obj.id)
            facts = Evidence(Measure.BY, values, final, self.now, first_held=first, deadline=obj.by)
        else:
            facts = Evidence(Measure.END, values, final, self.now)
        return Rating(obj.id, level, evidence_text(facts, self._when), facts)

    def _level(self, obj: ObjectiveView, final: bool) -> str:
        """An objective's rating level (what ``_rate`` says, without the evidence)."""
        if not obj.by_engine:  # rated by an evaluator, or on a (v2) window
            return self._rate(obj.model, final=final).rating
        if obj.throughout:
            met = obj.id not in self._objective_broken
        elif (by := obj.by) is not None:
            first = self._objective_first_true.get(obj.id)
            met = first is not None and first <= by
        else:
            met = self.truth(obj.met, "objective:%s", obj.id)
        if met:
            return RATING_MET
        if obj.partially is not None and self.truth(obj.partially, "objective:%s", obj.id):
            return RATING_PARTIALLY
        return RATING_NOT_MET

    def _when(self, t: float) -> str:
        words = self._when_words
        text = words.get(t) if t else None  # 0.0 and -0.0 are one key but two texts
        if text is None:
            if len(words) >= _WHEN_KEPT:
                words.clear()
            text = words[t] = f"{self.clock(t):%Y-%m-%d %H:%M} (t={t:g})"
        return text


class _Watcher:
    """A condition and what to do when it is checked: ``act(exercise, arg, ok)``, when it holds
    (once: a ``when`` trigger) or every time (``repeat``: a watched objective). Planned once per
    scenario and shared by its runs (a run keeps which are live: ``Exercise._live``)."""

    __slots__ = ("act", "arg", "expr", "order", "repeat")

    def __init__(
        self,
        order: int,
        expr: Expression,
        act: Callable[[Exercise, Any, bool], None],
        arg: Any,
        repeat: bool,
    ) -> None:
        self.order = order
        self.expr = expr
        self.act = act
        self.arg = arg
        self.repeat = repeat


def _call_back(_ex: Exercise, then: Callable[[bool], None], ok: bool) -> None:
    """A watcher added by a run (v2 mechanics, the calendar): its own callback."""
    then(ok)


class _Capacity(simpy.Resource):
    """A ``simpy.Resource``, set up without SimPy's generic binding of every method of the
    class to the instance (most of what creating one costs): the same fields. ``request`` and
    ``release`` are the class's methods: SimPy binds them to the instance, which then holds
    itself (a reference cycle, left for the cycle collector)."""

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self._env = env
        self._capacity = capacity
        self.put_queue: list[Request] = []
        self.get_queue: list[Release] = []
        self.users: list[Request] = []
        self.queue = self.put_queue

    def request(self) -> Request:
        return Request(self)

    def release(self, request: Request) -> Release:
        return Release(self, request)


_LAST_ENTRY = (math.inf, EventPriority(2), -1, simpy.Event.__new__(simpy.Event))
"""_Environment's entry after every event: at infinity, after any event there (a priority
lower than SimPy's ``NORMAL``), never taken."""


class _Environment(simpy.Environment):
    """A SimPy environment made without ``BoundClass.bind_early`` (which walks the class's
    attributes: a tenth of an exercise's set-up): the same fields; its event types
    (``timeout``, ``process``...) are bound when asked, as SimPy's class attributes bind them
    (the engine and the mechanics make their timers with sim.timers; only the v2 calendar
    asks)."""

    def __init__(self) -> None:
        self._now = 0
        # One entry after every event, at infinity: the stepping loop reads the next event's
        # time without asking first whether there is one. It never takes this entry (a run
        # ends at its horizon first), and ``peek`` gives infinity, as with no event left.
        self._queue = [_LAST_ENTRY]
        self._eid = count()
        self._active_proc = None


class _Resources(Mapping[str, simpy.Resource]):
    """The actors' capacity: one ``simpy.Resource`` per actor, created on first use (most
    actors of a run never queue anything)."""

    __slots__ = ("_capacity", "_env", "_made")

    def __init__(self, env: simpy.Environment, capacity: Mapping[str, int]) -> None:
        self._env = env
        self._capacity = capacity
        self._made: dict[str, simpy.Resource] = {}

    def __getitem__(self, actor: str) -> simpy.Resource:
        found = self._made.get(actor)
        if found is None:
            found = self._made[actor] = _Capacity(self._env, self._capacity[actor])
        return found

    def __contains__(self, actor: object) -> bool:
        return actor in self._capacity

    def __iter__(self) -> Iterator[str]:
        return iter(self._capacity)

    def __len__(self) -> int:
        return len(self._capacity)


@dataclass(frozen=True, slots=True)
class _Setup:
    """What every run of a scenario starts from, worked out once per scenario."""

    scenario: Scenario
    """The scenario it was worked out for (a copy made with ``model_copy`` shares the compiled
    expressions, not this)."""
    compiled: Compiled
    state: Mapping[str, Value]
    clock_now: bool
    """(v2) Whether 'now' reads the clock."""
    players: tuple[str, ...]
    capacity: Mapping[str, int]
    injects: Mapping[str, Inject]
    decisions: Mapping[str, Decision]
    responses: Mapping[str, Notification | Countermeasure | Legislation]
    threats: Mapping[str, Threat]
    start: str
    options: Mapping[str, Mapping[str, Option]]
    """Each decision's options by id (a choice is checked against them)."""
    option_lists: Mapping[str, tuple[str, ...]]
    """Each decision's option ids in order (as ``DecisionOpened`` lists them)."""
    armed: tuple[tuple[int, Trigger, float], ...]
    """How each threat and inject not armed on a condition (those are ``watchers``) is
    triggered, in the order they are armed: (_SOON, item, 0) at the start, (_TIMER, item, at)
    at a time. Contingency injects and followers are not armed."""
    followers: Mapping[str, tuple[Trigger, ...]]
    """What starts after each inject or decision (``after``)."""
    watchers: list[_Watcher]
    """The watchers, in the order they are set up: the triggers armed on a condition (as
    ``armed`` lists them), then the objectives watched as the run goes ('by' and 'throughout').
    Shared by every run, never changed (a run that adds watchers copies it)."""
    watch_index: dict[str, list[_Watcher]]
    """Each name → the watchers that read it, in order. Shared, never changed."""
    watch_plans: dict[frozenset[str], tuple[_Watcher, ...]]
    """Which watchers a set of changed names wakes, in order (``Exercise._plan_watchers``):
    filled as the runs go, shared by the runs that add no watchers of their own."""
    live: bytes
    """Every watcher live (a run's ``_live`` starts as a copy)."""
    initial: _Initial | None
    """What checking every watcher against the initial state does, when that is the same in
    every run (see ``_initial_check``); None: each run checks them."""
    v2: bool
    calendar: bool
    limits: Mapping[str, tuple[float, float, bool]]
    """Each variable's min, max (infinite when not set: no number is beyond them) and whether
    it is hidden."""
    streams: Mapping[str, str]
    """Each threat's, inject's and response's random stream name, by id: 'threat:<id>',
    'inject:<id>', 'response:<id>' (sim.chance; ids are one namespace, sim.checks)."""
    views: RunViews
    """The fields a run reads of the scenario's elements, in plain objects (sim.runviews)."""
    when_words: dict[float, str] = field(default_factory=dict)
    """Scenario times in words, as evidence gives them (deadlines recur from run to run)."""
    audiences: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each response's record audience (filled by sim.responses as responses run)."""


_LAST: list[_Setup] = []
"""The last scenario's set-up (a batch plays one scenario many times): found without asking
the scenario for its compiled expressions, a pydantic private attribute, slow to read."""


def _setup(scenario: Scenario) -> _Setup:
    """The scenario's run set-up, kept with its compiled expressions."""
    if _LAST and _LAST[0].scenario is scenario:
        return _LAST[0]
    comp = compiled(scenario)
    found = comp.run_setup
    if not (isinstance(found, _Setup) and found.scenario is scenario):
        found = comp.run_setup = _new_setup(scenario, comp)
    _LAST[:] = [found]
    return found


def _new_setup(scenario: Scenario, comp: Compiled) -> _Setup:
    state: dict[str, Value] = {k: v.initial for k, v in scenario.variables.items()}
    for d in scenario.decisions:
        state[d.id] = UNDECIDED
    for t in scenario.threats:
        state[t.id] = THREAT_PENDING
    for i in scenario.injects:
        state[i.id] = INJECT_PENDING
    for r in scenario.responses:
        state[r.id] = RESPONSE_LOCKED if r.requires else RESPONSE_READY
    views = RunViews(scenario)
    armed: list[tuple[int, Trigger, float]] = []
    watchers: list[_Watcher] = []  # the triggers armed on a condition, then the objectives
    followers: dict[str, list[Trigger]] = {}
    items: tuple[Inject | Threat, ...] = (*scenario.threats, *scenario.injects)
    for item in items:
        if isinstance(item, Inject) and item.contingency:
            continue
        trigger: Trigger = (
            views.injects[item.id] if isinstance(item, Inject) else views.threats[item.id]
        )
        if item.after is not None:
            followers.setdefault(item.after, []).append(trigger)
        elif item.when is not None:
            expr = comp.expr(item.when)
            watchers.append(_Watcher(len(watchers), expr, Exercise._fire, trigger, False))
        elif item.at is not None and item.at > 0:
            armed.append((_TIMER, trigger, item.at))
        else:
            armed.append((_SOON, trigger, 0.0))
    for o in views.objectives:
        if o.by is not None or o.throughout:
            watchers.append(
                _Watcher(len(watchers), comp.expr(o.met), Exercise._objective_seen, o, True)
            )
    index: dict[str, list[_Watcher]] = {}
    for w in watchers:
        for name in w.expr.names:
            index.setdefault(name, []).append(w)
    v2 = uses_v2(scenario)
    calendar = uses_calendar(scenario)
    clock_now = comp.names.get(NOW) == CLOCK_NAME
    return _Setup(
        scenario=scenario,
        compiled=comp,
        state=state,
        clock_now=clock_now,
        players=tuple(a.id for a in scenario.actors if a.is_player),
        capacity={a.id: a.capacity for a in scenario.actors},
        injects={i.id: i for i in scenario.injects},
        decisions={d.id: d for d in scenario.decisions},
        responses={r.id: r for r in scenario.responses},
        threats={t.id: t for t in scenario.threats},
        start=scenario.scenario.start.isoformat(),
        options={d.id: {o.id: o for o in d.options} for d in scenario.decisions},
        option_lists={d.id: tuple(o.id for o in d.options) for d in scenario.decisions},
        armed=tuple(armed),
        followers={k: tuple(v) for k, v in followers.items()},
        watchers=watchers,
        watch_index=index,
        watch_plans={},
        live=b"\x01" * len(watchers),
        initial=(None if v2 or calendar else _initial_check(watchers, index, state)),
        v2=v2,
        calendar=calendar,
        limits={
            k: (
                -math.inf if v.min is None else v.min,
                math.inf if v.max is None else v.max,
                v.hidden,
            )
            for k, v in scenario.variables.items()
        },
        streams={
            **{t.id: f"threat:{t.id}" for t in scenario.threats},
            **{i.id: f"inject:{i.id}" for i in scenario.injects},
            **{r.id: f"response:{r.id}" for r in scenario.responses},
        },
        views=views,
    )


@dataclass(frozen=True, slots=True)
class _Initial:
    """What checking every watcher against the initial state does (the same in every run)."""

    checks: int
    """How many conditions are checked (each counts as an engine step)."""
    held: Mapping[str, float]
    """The watched objectives whose condition holds at the start (first held at 0)."""
    broken: Mapping[str, float]
    """The 'throughout' objectives whose condition does not (stopped holding at 0)."""


def _initial_check(
    watchers: list[_Watcher], index: Mapping[str, list[_Watcher]], state: Mapping[str, Value]
) -> _Initial | None:
    """Check every watcher against the initial state, as a run's first ``_check_watchers``
    does (each watcher that reads a name, in order), for a scenario whose runs all start from
    ``state`` with nothing drawn or changed before the check (no v2 mechanic, no calendar). The
    result holds for every run unless a check does more than note an objective's reading: a
    ``when`` trigger that fires (it changes the state), a condition that fails (a record), or
    one that draws or reads the clock. Then None: each run checks for itself."""
    due = sorted({w.order: w for ws in index.values() for w in ws}.values(), key=_order)
    held: dict[str, float] = {}
    broken: dict[str, float] = {}
    for w in due:
        if w.expr.draws or w.expr.format2 or NOW in w.expr.names or CLOCK in w.expr.names:
            return None
        try:
            ok = w.expr.truth(state)
        except ExprError:
            return None
        if not w.repeat:  # a trigger: unless it fires, nothing happens
            if ok:
                return None
            continue
        obj = w.arg
        assert isinstance(obj, ObjectiveView) and w.act is Exercise._objective_seen
        if ok:
            held.setdefault(obj.id, 0.0)
        elif obj.throughout:
            broken.setdefault(obj.id, 0.0)
    return _Initial(len(due), held, broken)


def _crash(event: simpy.Event) -> None:
    """A failed event nobody defused: raise a copy of its exception, as SimPy's step does."""
    exc = type(event._value)(*event._value.args)
    exc.__cause__ = event._value
    raise exc


def _order(w: _Watcher) -> int:
    return w.order


def _finite(x: float) -> bool:
    """A finite number, not a yes/no (``True`` is an int to Python, but a command's JSON
    form holding ``true`` where a number belongs could never be read back and replayed)."""
    return isinstance(x, _REAL) and not isinstance(x, bool) and isfinite(x)


_REAL = (int, float)
"""What ``_finite`` accepts (and their subclasses), as one tuple: ``int | float`` would be
a new union at every call."""
