"""One plain-language line per event record, shared by the console, the runner and reports."""

from __future__ import annotations

from collections.abc import Callable

from sim import events as ev
from sim.schema import Scenario


def describe(
    e: ev.Event,
    scenario: Scenario,
    controller: bool = False,
    when: Callable[[float], str] | None = None,
) -> str:
    """What happened, in a sentence a facilitator can read aloud. Facilitator-only detail
    (the real cause of an unexplained change) is included only for the controller view.
    A time the sentence names (a deadline, an expected end, a retry) is given by `when`: the
    console gives it as its clock does (day, date and time); by default it is the engine's
    scenario time (`t=30`), as headless runs and reports give it."""
    match e:
        case ev.ExerciseStarted():
            return f"Exercise '{e.scenario}' started (seed {e.seed})"
        case ev.ExerciseEnded():
            return f"Exercise ended ({e.reason})"
        case ev.InjectDelivered():
            label = "free-text inject" if not e.inject else f"inject {e.inject}"
            extra = " (fired by the facilitator)" if e.by_facilitator and e.inject else ""
            if controller and e.reason:
                extra += f" [why: {e.reason}]"
            return f"{label}: {e.sender} → {', '.join(e.recipients)}{extra}: {e.text}"
        case ev.InjectSkipped():
            return f"inject {e.inject} skipped: {e.reason}"
        case ev.DecisionOpened():
            deadline = _at(e.deadline, when, "g")
            return f"decision {e.decision} posed to {e.owner}: {e.prompt} (deadline {deadline})"
        case ev.DecisionMade():
            how = "default at the deadline" if e.by == "deadline" else f"by {e.by}"
            return f"decision {e.decision}: chose {e.option} ({how})"
        case ev.ResponseQueued():
            return f"{e.response} waits for {e.actor} to be free"
        case ev.ResponseStarted():
            eta = (
                f", expected to finish {_at(e.expected_end, when, '.4g')}"
                if e.expected_end is not None
                else ""
            )
            return f"{e.response_kind} {e.response} started by {e.actor}{eta}"
        case ev.ResponseFinished():
            return f"{e.response_kind} {e.response} succeeded" + (
                f": {e.summary}" if e.summary else ""
            )
        case ev.ResponseFailed():
            return f"{e.response_kind} {e.response} failed: {e.reason}"
        case ev.ResponseBlocked():
            return f"{e.response} could not start: {e.reason}"
        case ev.NotificationDelivered():
            return f"{e.sender} told {', '.join(e.recipients)}: {e.message}"
        case ev.BillProgress():
            again = f" (attempt {e.attempt})" if e.attempt > 1 else ""
            step = _BILL_STEPS.get(e.step, e.step)
            return f"bill {e.response}: {e.stage} {step}{again}"
        case ev.ThreatStarted():
            return f"threat {e.threat} begins ({e.actor})"
        case ev.ThreatStageReached():
            hidden = "" if e.detected else " (undetected)"
            return f"threat {e.threat} reached {e.stage}{hidden}"
        case ev.ThreatDetected():
            return f"threat {e.threat} detected during {e.stage or 'its start'} ({e.by})"
        case ev.ThreatSlowed():
            return f"threat {e.threat} slowed ×{e.factor:g} ({e.by})"
        case ev.ThreatStopped():
            where = f" during {e.stage}" if e.stage else " before it began"
            return f"threat {e.threat} stopped{where} ({e.by})"
        case ev.ThreatCompleted():
            return f"threat {e.threat} completed its campaign"
        case ev.VariableChanged():
            arrow = "▲" if e.new > e.old else "▼"
            cause = e.cause
            if controller and e.hidden_cause:
                cause += f": {e.hidden_cause}"
            if controller and e.reason:
                cause += f": {e.reason}"
            return f"{e.variable} {e.old:.3g} → {e.new:.3g} {arrow} ({cause})"
        case ev.ObjectiveEvaluated():
            return f"objective {e.objective}: {e.rating.replace('_', ' ')} — {e.evidence}"
        case ev.ObjectiveRated():
            note = f": {e.note}" if e.note else ""
            return f"objective {e.objective} rated {e.rating.replace('_', ' ')} by the {e.by}{note}"
        case ev.FacilitatorNote():
            return f"note: {e.text}"
        case ev.ObservationRecorded():
            tag = ", ".join(x for x in (e.objective, e.assessment) if x)
            return f"observation{f' ({tag})' if tag else ''}: {e.text}"
        case ev.ExpressionFailed():
            return f"expression failed in {e.where}: {e.expression!r}: {e.error}"
        case ev.ConsentRefused():
            return f"{e.decision} → {e.option} refused by {e.actor}: {e.text}"
        case ev.ThreatBranched():
            to = f"goes on to {e.to}" if e.to else "ends (goes quiet)"
            return f"threat {e.threat} {to} after {e.stage} (chance {e.chance:.0%})"
        case ev.ResponseRetry():
            if e.step == "dropped":
                return f"{e.response} will not be tried again: the reason to retry has gone"
            due = _at(e.due, when, ".4g")
            return f"{e.response} will be tried again (attempt {e.attempt}) at {due}"
        case ev.ParliamentOpened():
            return f"parliament sits: {e.title} opens"
        case ev.ParliamentClosed():
            if e.reason == "dissolved":
                return f"{e.title} ends early: {e.text}"
            return f"{e.title} ends"
    return e.kind


def _at(t: float, when: Callable[[float], str] | None, digits: str) -> str:
    """A time a sentence names: by `when`, else as the engine's time (`t=30`)."""
    return when(t) if when is not None else f"t={t:{digits}}"


_BILL_STEPS = {
    "waiting": "waits for parliament to sit",
    "carried_over": "carried over to the next sitting",
    "resumed": "resumed",
}
"""(v2) The calendar's bill steps in words (the v1 steps are their own words)."""
