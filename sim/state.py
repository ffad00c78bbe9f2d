"""Small frozen views of an exercise's state that the engine, the mechanics and views share."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sim.schema import Decision, Inject

if TYPE_CHECKING:
    from sim.threats import Campaign

T = TypeVar("T")


def slot_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass an ``__init__`` that stores its fields through their
    slots' descriptors: the same parameters in the same order, with the same defaults; the
    instance stays frozen (assigning a field still raises ``FrozenInstanceError``).

    The generated ``__init__`` of a frozen dataclass stores each field with
    ``object.__setattr__``: about 10,000 instructions to build an ``ActiveResponse``, about
    6,000 this way, for views a batch run builds several of per run (as sim.events does for
    records; tests/sim/test_state_classes.py checks each class against a generated one)."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    assert not hasattr(cls, "__post_init__")
    assert all(
        f.init and not f.kw_only and f.default_factory is dataclasses.MISSING for f in fields
    )
    namespace: dict[str, Any] = {}
    params, body = [], []
    for f in fields:
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # as dataclasses itself does; only field names reach the source
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


@slot_init
@dataclass(frozen=True, slots=True)
class OpenDecision:
    """A decision the players face now."""

    decision: Decision
    opened: float
    deadline: float
    offered: tuple[str, ...] = ()
    """(v2) The options offered, where some are conditional; empty: all of them."""


@slot_init
@dataclass(frozen=True, slots=True)
class ActiveResponse:
    """A response in progress, for the console's actors panel."""

    response: str
    kind: str
    actor: str
    started: float
    expected_end: float | None
    stage: str = ""


@dataclass(frozen=True, slots=True)
class MselEntry:
    """One line of the MSEL as a viewer may see it."""

    inject: Inject
    time: float | None
    """Delivery time if known (delivered, or scheduled at a fixed time), else None."""
    status: str


@dataclass(slots=True, init=False)
class Outcomes:
    """What a batch reads from a run's records, noted as they would have been recorded, by an
    exercise without a log (``Exercise(..., log=False)``; see ``sim.engine._NOTES``).

    Made empty, once per run, by an ``__init__`` written out: the generated one asks of every
    field whether it was given, about 50 instructions where this takes 20
    (tests/sim/test_state_classes.py checks it makes what the generated one makes)."""

    ratings: dict[str, str] = field(default_factory=dict)
    """Each objective's final rating (what its ``ObjectiveEvaluated`` says)."""
    decisions: dict[str, str | None] = field(default_factory=dict)
    """Each decision posed: the option taken last, None while open (``DecisionOpened``,
    ``DecisionMade``)."""
    succeeded: set[str] = field(default_factory=set)
    """Responses that finished successfully at least once (``ResponseFinished``)."""
    branches: set[tuple[str, str, str]] = field(default_factory=set)
    """(v2) Branches taken at least once: (threat, stage, to) (``ThreatBranched``)."""
    retries: dict[str, int] = field(default_factory=dict)
    """(v2) Per response: how many times a retry started it again (``ResponseStarted`` with
    the origin ``("response", ID, "retry")``)."""
    expression_failures: int = 0
    """``ExpressionFailed`` records."""

    def __init__(self) -> None:
        self.ratings = {}
        self.decisions = {}
        self.succeeded = set()
        self.branches = set()
        self.retries = {}
        self.expression_failures = 0


@dataclass(slots=True, init=False)
class Campaigns:
    """The bookkeeping of adversary campaigns (kept by ``sim.threats``), made empty once per
    run, by an ``__init__`` written out (as ``Outcomes``)."""

    running: dict[str, Campaign] = field(default_factory=dict)
    """The campaigns begun, by threat id (stop and slow interrupt them)."""
    detected: set[str] = field(default_factory=set)
    """Threats the defenders know of."""
    stage: dict[str, str] = field(default_factory=dict)
    """The stage each campaign is in."""
    slowed: dict[str, float] = field(default_factory=dict)
    """Slowing applied to campaigns before they began."""

    def __init__(self) -> None:
        self.running = {}
        self.detected = set()
        self.stage = {}
        self.slowed = {}
