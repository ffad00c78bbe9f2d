"""The narrow interface through which the mechanics (threats, responses) act on an exercise.

``sim.threats`` and ``sim.responses`` know an exercise only as a :class:`Context`: they read
values, set statuses, record typed records, apply effects, evaluate expressions, draw from
their own random streams and wait on SimPy events (as callbacks: sim/timers.py). They never
import the engine (no import cycle) and never touch its private parts.
:class:`sim.engine.Exercise` is the one Context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ParamSpec, Protocol

import simpy

from sim import events as ev
from sim.cause import Cause
from sim.chance import Stream
from sim.compiled import EffectPlan
from sim.expr import Value
from sim.runviews import RunViews
from sim.schema import Countermeasure, Legislation, Notification, Threat
from sim.state import ActiveResponse, Campaigns, Outcomes

if TYPE_CHECKING:
    from sim.calendar import Calendar

P = ParamSpec("P")


class Context(Protocol):
    """What a mechanic may read and do."""

    @property
    def env(self) -> simpy.Environment: ...

    @property
    def players(self) -> tuple[str, ...]:
        """The players' side (record audiences)."""
        ...

    @property
    def log(self) -> bool:
        """Whether records are kept. Without a log (a batch's runs) the words records carry
        (causes, reasons, summaries) are never read: a mechanic need not format them."""
        ...

    @property
    def state(self) -> Mapping[str, Value]:
        """Every variable's value and every element's status, by name, as ``value(name)``
        reads them (without the call); read only: they change through ``set_status`` and
        effects."""
        ...

    recorded: int
    """Records so far, kept or not. Without a log, a mechanic may count a record here instead
    of handing it to ``record``, when the record is not one whose outcomes the exercise notes
    (``sim.engine._NOTES``): nothing else of it is read; or count it and note its outcome in
    ``outcomes`` as ``_NOTES`` would."""

    @property
    def outcomes(self) -> Outcomes:
        """(without a log) What the records would have said that a batch reads."""
        ...

    @property
    def audiences(self) -> dict[str, tuple[str, ...]]:
        """Each response's record audience, by id, kept by ``sim.responses`` (it depends on the
        scenario alone, so it is worked out once per scenario)."""
        ...

    @property
    def streams(self) -> Mapping[str, str]:
        """Each threat's, inject's and response's random stream name, by id ('threat:<id>',
        'response:<id>'), made once per scenario: ``rng(streams[id])``."""
        ...

    @property
    def views(self) -> RunViews:
        """The fields a run reads of the scenario's elements, in plain objects made once per
        scenario (sim.runviews: a scenario model's fields are slow to read)."""
        ...

    @property
    def threats(self) -> Mapping[str, Threat]: ...

    @property
    def responses(self) -> Mapping[str, Notification | Countermeasure | Legislation]: ...

    @property
    def resources(self) -> Mapping[str, simpy.Resource]: ...

    @property
    def active(self) -> dict[str, ActiveResponse]:
        """Responses in progress, by id (the actors panel): ``sim.responses`` keeps it."""
        ...

    @property
    def campaigns(self) -> Campaigns:
        """The campaigns' bookkeeping: ``sim.threats`` keeps it."""
        ...

    @property
    def happened_at(self) -> Mapping[str, float]:
        """When each inject was delivered, decision made, threat started or detected."""
        ...

    @property
    def now(self) -> float: ...

    @property
    def calendar(self) -> Calendar | None:
        """(v2) The legislative calendar, if the scenario uses it (sim/calendar.py)."""
        ...

    @property
    def rng(self) -> Callable[[str], Stream]:
        """The random stream of one element ('threat:<id>', 'response:<id>')."""
        ...

    def mark_time(self, key: str) -> None:
        """Note when something first happened (``happened_at``), if not noted yet."""
        ...

    def value(self, name: str) -> Value: ...

    def set_status(self, name: str, status: str) -> None: ...

    def record(self, kind: Callable[P, ev.Event], /, *args: P.args, **fields: P.kwargs) -> None:
        """Record that something happened: a record of class ``kind`` with these fields,
        stamped with its sequence number and the time. The mechanics hand over the class and
        the fields, not a built record, so an exercise without a log (a batch's run) can count
        it without building it."""
        ...

    def apply_effects(
        self,
        effects: Mapping[str, str | float],
        cause: Cause,
        *,
        extra: Mapping[str, Value] | None = None,
    ) -> None: ...

    def apply_plan(
        self, plan: EffectPlan, cause: Cause, extra: Mapping[str, Value] | None = None
    ) -> None:
        """Apply effects compiled in a run view (``effects_plan``), as ``apply_effects``."""
        ...

    # ``where`` says where an expression is, for the record of its failure: ``where % parts``
    # (``where`` as is without parts), put into words only if it fails.

    def truth(self, source: str | float, where: str, *parts: object) -> bool:
        """A condition's value (false if it fails, which is recorded)."""
        ...

    def probability(self, source: str | float, where: str, *parts: object) -> float:
        """A chance's value within 0..1 (0 if it fails, which is recorded)."""
        ...

    def number(self, source: str | float, where: str, *parts: object) -> float:
        """An expression's value as a number (0 if it fails, which is recorded)."""
        ...

    def launch(self, response: str, cause: Cause, action: int | None = None) -> None:
        """Start a response (or record why it cannot start)."""
        ...
