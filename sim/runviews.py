"""Run views: plain copies of the fields a run reads of a scenario's elements, made per scenario.

Reading a field of a scenario model (``stage.duration``, ``obj.id``) is slow: pydantic's
``BaseModel`` defines ``__getattr__``, and CPython cannot specialise an attribute read on a class
that does (see sim.engine's MODEL_FIELDS_ARE_SLOW), so each read costs about 350 instructions
where a plain slotted object's costs about 15. The mechanics' hot paths read the elements they
run through these views instead: each copies, once per scenario, only the fields a run reads,
and keeps its ``model`` for everything else (records in words, v2 mechanics, the calendar).
An element's own cause (``cause``: what its effects and the responses it starts are recorded
as caused by) is made here too, once, where a run would make it at every use.

The schema models stay the validated format; a view is made from a validated model only, is
shared by every run of the scenario and is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.cause import (
    CAUSE_DECISION,
    CAUSE_INJECT,
    CAUSE_RESPONSE,
    CAUSE_THREAT,
    Cause,
    shared_cause,
)
from sim.chance import Sampler, sampler
from sim.compiled import Compiled, EffectPlan, compiled
from sim.schema import (
    Branch,
    Countermeasure,
    Decision,
    Distribution,
    Inject,
    Legislation,
    Notification,
    Objective,
    Option,
    Scenario,
    Stage,
    Threat,
)


class OptionView:
    """A decision's option as the engine applies it (sim.engine)."""

    __slots__ = ("cause", "effects", "effects_plan", "id", "model", "response_views", "responses")

    def __init__(
        self,
        option: Option,
        decision: str,
        plans: Compiled,
        responses: Mapping[str, ResponseView],
    ) -> None:
        self.model = option
        self.id = option.id
        self.effects: Mapping[str, str | float] = option.effects
        self.effects_plan: EffectPlan = plans.effects(option.effects, False)
        """Its effects compiled, in file order (``Compiled.effects``, planned once)."""
        self.responses = tuple(option.responses)
        self.response_views = tuple(responses[r] for r in option.responses)
        """The responses it starts, as their views (``responses``' ids, in order)."""
        self.cause: Cause = shared_cause(CAUSE_DECISION, decision, option.id)


class DecisionView:
    """A decision as the engine opens, times and makes it (sim.engine)."""

    __slots__ = ("deadline", "default", "id", "model", "options")

    def __init__(self, d: Decision, plans: Compiled, responses: Mapping[str, ResponseView]) -> None:
        self.model = d
        self.id = d.id
        self.deadline = d.deadline
        self.default = d.default
        self.options = {o.id: OptionView(o, d.id, plans, responses) for o in d.options}
        """Its options by id."""


class InjectView:
    """An inject as the engine triggers and delivers it (sim.engine)."""

    __slots__ = (
        "cause",
        "decision",
        "delay",
        "draw_delay",
        "effects",
        "effects_plan",
        "id",
        "model",
        "only_if",
        "poses",
        "reveals",
    )

    def __init__(self, inj: Inject, plans: Compiled, decisions: Mapping[str, DecisionView]) -> None:
        self.model = inj
        self.id = inj.id
        self.cause: Cause = shared_cause(CAUSE_INJECT, inj.id)
        self.delay: Distribution | None = inj.delay
        """The wait after what it follows ('after')."""
        self.draw_delay: Sampler | None = None if inj.delay is None else sampler(inj.delay)
        self.only_if = inj.only_if
        self.effects: Mapping[str, str | float] = inj.effects
        self.effects_plan: EffectPlan = plans.effects(inj.effects, False)
        self.reveals = tuple(inj.reveals)
        self.decision = inj.decision
        self.poses: DecisionView | None = None if inj.decision is None else decisions[inj.decision]
        """The decision it poses (``decision``), as its view."""


class ThreatView:
    """A threat as the engine triggers it (sim.engine); a campaign reads its model."""

    __slots__ = (
        "delay",
        "detected_cause",
        "detection_plan",
        "draw_delay",
        "id",
        "model",
        "only_if",
    )

    def __init__(self, threat: Threat, plans: Compiled) -> None:
        self.model = threat
        self.id = threat.id
        self.detection_plan: EffectPlan = plans.effects(threat.detection_effects, False)
        """Its detection effects compiled (``Compiled.effects``, planned once)."""
        self.detected_cause: Cause = shared_cause(CAUSE_THREAT, threat.id, "detected")
        """What its detection effects are caused by."""
        self.delay: Distribution | None = threat.delay
        self.draw_delay: Sampler | None = None if threat.delay is None else sampler(threat.delay)
        self.only_if = threat.only_if


Trigger = InjectView | ThreatView
"""What the engine triggers: an inject or a threat."""


class ObjectiveView:
    """An objective as the engine rates it (sim.engine: ``_level``, the watchers)."""

    __slots__ = ("by", "by_engine", "id", "met", "model", "partially", "throughout")

    def __init__(self, obj: Objective) -> None:
        self.model = obj
        self.id = obj.id
        self.met = obj.met
        self.partially = obj.partially
        self.throughout = obj.throughout
        self.by = obj.by
        self.by_engine = obj.rated_by != "evaluator" and obj.at is None and obj.within is None
        """Rated from its condition alone: not by an evaluator, not on a (v2) window."""


class StageView:
    """A campaign's stage as a campaign runs it (sim.threats, sim.branches)."""

    __slots__ = (
        "cause",
        "detect",
        "detect_rate",
        "draw_duration",
        "duration",
        "effects",
        "effects_plan",
        "id",
        "model",
        "next",
        "repeat",
    )

    def __init__(self, stage: Stage, threat: str, plans: Compiled) -> None:
        self.model = stage
        self.id = stage.id
        self.cause: Cause = shared_cause(CAUSE_THREAT, threat, stage.id)
        """What its effects are caused by: the threat, at this stage."""
        self.duration: Distribution = stage.duration
        self.draw_duration: Sampler = sampler(stage.duration)
        """A draw of its duration (``sample(duration, rng)``, planned once)."""
        self.detect = stage.detect
        self.detect_rate = stage.detect_rate
        self.effects: Mapping[str, str | float] = stage.effects
        self.effects_plan: EffectPlan = plans.effects(stage.effects, False)
        self.repeat = stage.repeat
        self.next: tuple[Branch, ...] = tuple(stage.next or ())


class ResponseView:
    """What a run reads of every response (sim.responses); a bill's stages are read from its
    ``model``."""

    __slots__ = (
        "actor",
        "cause",
        "effects",
        "effects_plan",
        "failed_cause",
        "failure_effects",
        "failure_plan",
        "id",
        "kind",
        "model",
        "starts",
    )

    def __init__(self, r: Notification | Countermeasure | Legislation, plans: Compiled) -> None:
        self.model = r
        self.id = r.id
        self.cause: Cause = shared_cause(CAUSE_RESPONSE, r.id)
        """What it causes when it succeeds (its effects, what it starts, stops or reveals)."""
        self.failed_cause: Cause = shared_cause(CAUSE_RESPONSE, r.id, "failed")
        """What its failure effects are caused by."""
        self.kind = r.kind
        self.actor = (
            r.actor
            if isinstance(r, Countermeasure)
            else r.sender
            if isinstance(r, Notification)
            else r.sponsor
        )
        """Who acts: a countermeasure's actor, a notification's sender, a bill's sponsor."""
        self.effects: Mapping[str, str | float] = r.effects
        self.failure_effects: Mapping[str, str | float] = (
            {} if isinstance(r, Notification) else r.failure_effects
        )
        self.effects_plan: EffectPlan = plans.effects(r.effects, isinstance(r, Notification))
        """Its effects compiled (a notification's may read its ``age``)."""
        self.failure_plan: EffectPlan = plans.effects(self.failure_effects, False)
        self.starts = tuple((s.response, s.only_if) for s in r.starts)
        """The responses it starts when it succeeds: (response id, condition or None)."""


class NotificationView(ResponseView):
    __slots__ = ("about", "delay", "draw_delay")
    model: Notification

    def __init__(self, r: Notification, plans: Compiled) -> None:
        super().__init__(r, plans)
        self.delay = r.delay
        self.draw_delay: Sampler = sampler(r.delay)
        self.about = r.about


class CountermeasureView(ResponseView):
    __slots__ = ("draw_duration", "duration", "reveals", "slows", "stops", "success")
    model: Countermeasure

    def __init__(self, r: Countermeasure, plans: Compiled) -> None:
        super().__init__(r, plans)
        self.duration = r.duration
        self.draw_duration: Sampler = sampler(r.duration)
        self.success = r.success
        self.stops = tuple(r.stops)
        self.slows: Mapping[str, float] = r.slows
        self.reveals = tuple(r.reveals)


def response_view(r: Notification | Countermeasure | Legislation, plans: Compiled) -> ResponseView:
    if isinstance(r, Countermeasure):
        return CountermeasureView(r, plans)
    return NotificationView(r, plans) if isinstance(r, Notification) else ResponseView(r, plans)


class RunViews:
    """The run views of one scenario's elements (kept with its run set-up, sim.engine)."""

    __slots__ = (
        "_objective",
        "decisions",
        "injects",
        "objectives",
        "responses",
        "stages",
        "threats",
    )

    def __init__(self, scenario: Scenario) -> None:
        plans = compiled(scenario)
        self.responses: Mapping[str, ResponseView] = {
            r.id: response_view(r, plans) for r in scenario.responses
        }
        """Each response, by id."""
        self.decisions = {d.id: DecisionView(d, plans, self.responses) for d in scenario.decisions}
        """Each decision, by id."""
        self.injects = {i.id: InjectView(i, plans, self.decisions) for i in scenario.injects}
        """Each inject, by id."""
        self.threats = {t.id: ThreatView(t, plans) for t in scenario.threats}
        """Each threat, by id."""
        self.objectives = tuple(ObjectiveView(o) for o in scenario.objectives)
        """Every objective, in file order."""
        self._objective = {id(v.model): v for v in self.objectives}
        self.stages: Mapping[str, tuple[StageView, ...]] = {
            t.id: tuple(StageView(s, t.id, plans) for s in t.stages) for t in scenario.threats
        }
        """Each threat's stages, in file order, by the threat's id."""

    def objective(self, obj: Objective) -> ObjectiveView:
        """The view of one of the scenario's objectives (of another, a new one)."""
        found = self._objective.get(id(obj))
        return found if found is not None and found.model is obj else ObjectiveView(obj)
