"""Adversary campaigns: stages run in order, may be detected, and can be stopped or slowed.

A campaign runs as callbacks on SimPy timers (:class:`Campaign`). Stopping and slowing are
interrupts sent by countermeasures, delivered as SimPy delivers a process's: the campaign
catches them mid-stage, so a slowed stage keeps the time it already spent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import simpy

from sim import events as ev
from sim.branches import MAX_REPEATS as MAX_REPEATS
from sim.branches import stage_path
from sim.cause import Cause, CauseKind
from sim.detection import time_to_detection
from sim.runviews import StageView
from sim.schema import Threat
from sim.timers import Soon, Timer
from sim.vocab import (
    THREAT_COMPLETED,
    THREAT_DETECTED,
    THREAT_PENDING,
    THREAT_STOPPED,
    THREAT_UNDETECTED,
)

if TYPE_CHECKING:
    from sim.context import Context


_MONITORING = Cause(CauseKind.MONITORING)
"""What detects a campaign by a stage's own chance of detection."""


@dataclass(frozen=True, slots=True)
class Stop:
    """Interrupt cause: the campaign is stopped."""

    by: Cause


@dataclass(frozen=True, slots=True)
class Slow:
    """Interrupt cause: what is left of the campaign takes `factor` times longer."""

    factor: float
    by: Cause


def start_threat(ex: Context, threat: Threat) -> None:
    """Begin a campaign (unless a countermeasure already prevented it)."""
    tid = threat.id  # read once: see sim.engine's MODEL_FIELDS_ARE_SLOW
    if ex.state[tid] != THREAT_PENDING:
        return
    ex.set_status(tid, THREAT_UNDETECTED)
    ex.mark_time(tid)
    if ex.log:
        ex.record(ev.ThreatStarted, threat=tid, actor=threat.actor, audience=ev.FACILITATOR_ONLY)
    else:  # not a record the exercise notes: counted only
        ex.recorded += 1
    ex.campaigns.running[tid] = Campaign(ex, threat)


def detect(ex: Context, threat: Threat, by: Cause) -> None:
    """The defenders learn of the campaign."""
    tid = threat.id  # read once: see sim.engine's MODEL_FIELDS_ARE_SLOW
    if tid in ex.campaigns.detected or ex.state[tid] != THREAT_UNDETECTED:
        return
    ex.campaigns.detected.add(tid)
    ex.mark_time(f"{tid}:detected")
    ex.set_status(tid, THREAT_DETECTED)  # it was undetected (checked above)
    if ex.log:
        ex.record(
            ev.ThreatDetected,
            threat=tid,
            stage=ex.campaigns.stage.get(tid, ""),
            by=by.text,
            origin=by.parts,
            audience=ex.players,
        )
    else:  # not a record the exercise notes: counted only
        ex.recorded += 1
    view = ex.views.threats[tid]
    if view.detection_plan:
        ex.apply_plan(view.detection_plan, view.detected_cause)


def stop(ex: Context, threat: Threat, by: Cause) -> str:
    """Stop a campaign; returns what happened, for the response's summary."""
    tid = threat.id  # read once: see sim.engine's MODEL_FIELDS_ARE_SLOW
    status = ex.state[tid]
    if status == THREAT_PENDING:
        ex.set_status(tid, THREAT_STOPPED)
        if ex.log:
            ex.record(
                ev.ThreatStopped,
                threat=tid,
                stage="",
                by=by.text,
                origin=by.parts,
                audience=_told(ex, threat),
            )
        else:  # not a record the exercise notes: counted only
            ex.recorded += 1
        return _summary(ex, threat, "prevented {}", tid)
    if status in (THREAT_UNDETECTED, THREAT_DETECTED):
        ex.campaigns.running[tid].interrupt(Stop(by))
        return _summary(ex, threat, "stopped {}", tid)
    return _summary(ex, threat, "{} was already {}", tid, status)


def _told(ex: Context, threat: Threat) -> tuple[str, ...]:
    """Players hear of a campaign's fate only if they know of the campaign."""
    return ex.players if threat.id in ex.campaigns.detected else ev.FACILITATOR_ONLY


def _summary(ex: Context, threat: Threat, text: str, *args: object) -> str:
    """A response's summary names only threats the players know of: ``text`` formatted with
    ``args``, only when the summary is kept (an exercise without a log keeps no words)."""
    return text.format(*args) if ex.log and threat.id in ex.campaigns.detected else ""


def slow(ex: Context, threat: Threat, factor: float, by: Cause) -> str:
    """Slow a running campaign now, or a campaign not yet begun for when it begins."""
    status = ex.state[threat.id]
    if status in (THREAT_UNDETECTED, THREAT_DETECTED):
        ex.campaigns.running[threat.id].interrupt(Slow(factor, by))
        return _summary(ex, threat, "slowed {} ×{:g}", threat.id, factor)
    if status == THREAT_PENDING:
        ex.campaigns.slowed[threat.id] = ex.campaigns.slowed.get(threat.id, 1.0) * factor
        return _summary(ex, threat, "{} will be slowed ×{:g} if it begins", threat.id, factor)
    return _summary(ex, threat, "{} was already {}", threat.id, status)


class Campaign:
    """A running campaign: its stages in order, each taking its time and perhaps detected on
    the way, as callbacks on SimPy timers (sim/timers.py) where a process would wait.

    Stop and slow reach it as a SimPy process's interrupts would: an urgent event at the
    current instant (``interrupt``) that, if the campaign still runs then, cancels the pending
    timer (which stays in SimPy's queue, as an interrupted process's timeout does) and goes
    on from the time already spent. So the times, the records and their order, and the
    random draws are those of the process this replaces."""

    __slots__ = (
        "alive",
        "began",
        "detect_in",
        "ex",
        "factor",
        "remaining",
        "rng",
        "stage",
        "stages",
        "threat",
        "tid",
        "timeout",
        "wait",
    )

    def __init__(self, ex: Context, threat: Threat) -> None:
        self.ex = ex
        self.threat = threat
        self.tid = threat.id
        """The threat's id, read once (see sim.engine's MODEL_FIELDS_ARE_SLOW)."""
        self.alive = True
        """Until the campaign completes or is stopped (a later interrupt is ignored)."""
        self.timeout: simpy.Event | None = None
        """The timer the campaign waits on."""
        Soon(ex.env, self._start)

    def interrupt(self, cause: Stop | Slow) -> None:
        """Stop or slow the campaign at the current instant, as ``Process.interrupt`` would."""
        Soon(self.ex.env, partial(self._interrupted, cause))

    def _start(self, _e: simpy.Event) -> None:
        ex, threat, tid = self.ex, self.threat, self.tid
        self.rng = ex.rng(ex.streams[tid])
        self.factor = ex.campaigns.slowed.get(tid, 1.0)
        self.stages = stage_path(ex, threat, ex.views.stages[tid])
        self._next_stage()

    def _next_stage(self) -> None:
        """Run stages until one has to wait (or the campaign completes)."""
        ex, tid = self.ex, self.tid
        campaigns, log = ex.campaigns, ex.log
        for stage in self.stages:
            self.stage = stage
            campaigns.stage[tid] = stage.id
            seen = tid in campaigns.detected
            if log:
                ex.record(
                    ev.ThreatStageReached,
                    threat=tid,
                    stage=stage.id,
                    detected=seen,
                    audience=ex.players if seen else ev.FACILITATOR_ONLY,
                )
            else:  # not a record the exercise notes: counted only
                ex.recorded += 1
            rng = self.rng
            remaining = stage.draw_duration(rng) * self.factor
            detect_in: float | None = None
            if not seen:
                p = ex.probability(stage.detect, "threat:%s.%s", tid, stage.id)
                # chance(p, rng), inline: no draw at p <= 0 or p >= 1
                if not p <= 0 and (p >= 1 or rng.random() < p):
                    detect_in = rng.uniform(0.0, remaining)
                if stage.detect_rate is not None:  # (v2) detection at a rate
                    by_rate = time_to_detection(ex, self.threat, stage.model, remaining)
                    if by_rate is not None:
                        detect_in = by_rate if detect_in is None else min(detect_in, by_rate)
            if self._wait(remaining, detect_in):
                return
            if stage.effects_plan:
                ex.apply_plan(stage.effects_plan, stage.cause)
        self.alive = False
        ex.set_status(tid, THREAT_COMPLETED)
        if log:
            ex.record(
                ev.ThreatCompleted,
                threat=tid,
                audience=ex.players if tid in campaigns.detected else ev.FACILITATOR_ONLY,
            )
        else:
            ex.recorded += 1

    def _wait(self, remaining: float, detect_in: float | None) -> bool:
        """Wait for the end of the stage (``remaining`` from now) or its detection
        (``detect_in`` from now, if due), whichever comes first, if either is still to come.

        Without a detection due, the timer is for the whole of the stage's time, and calls
        ``_stage_done`` itself: what ``_waited`` would find then (nothing left of the stage,
        no detection) it knows already."""
        self.remaining = remaining
        self.detect_in = detect_in
        env = self.ex.env
        if detect_in is None:
            if not remaining > 0:
                return False
            self.timeout = Timer(env, remaining, self._stage_done)
        else:
            wait = self.wait = min(detect_in, remaining)
            self.timeout = Timer(env, wait, self._waited)
        self.began = env._now  # subtracted from ex.now (a float) only if interrupted
        return True

    def _stage_done(self, _e: simpy.Event | None = None) -> None:
        stage = self.stage
        if stage.effects_plan:
            self.ex.apply_plan(stage.effects_plan, stage.cause)
        self._next_stage()

    def _waited(self, _e: simpy.Event) -> None:
        """The timer of a stage whose detection was due: the stage's end, or its detection."""
        wait = self.wait
        remaining, detect_in = self.remaining - wait, self.detect_in
        assert detect_in is not None  # else the timer would call _stage_done
        detect_in -= wait
        if detect_in <= 0:
            detect_in = None
            detect(self.ex, self.threat, _MONITORING)
        if remaining <= 1e-12 or not self._wait(remaining, detect_in):
            self._stage_done()

    def _interrupted(self, cause: Stop | Slow, _e: simpy.Event) -> None:
        if not self.alive:
            return
        ex, threat = self.ex, self.threat
        assert self.timeout is not None and self.timeout.callbacks is not None
        self.timeout.callbacks.clear()  # the timer's one callback: ours (_stage_done or _waited)
        spent = ex.now - self.began
        remaining, detect_in = self.remaining - spent, self.detect_in
        if detect_in is not None:
            detect_in -= spent
        if isinstance(cause, Stop):
            self.alive = False
            _stopped(ex, threat, self.stage, cause.by)
            return
        self.factor *= cause.factor
        remaining *= cause.factor
        if detect_in is not None:
            detect_in *= cause.factor
        if ex.log:
            ex.record(
                ev.ThreatSlowed,
                threat=threat.id,
                factor=cause.factor,
                by=cause.by.text,
                origin=cause.by.parts,
                audience=_told(ex, threat),
            )
        else:  # not a record the exercise notes: counted only
            ex.recorded += 1
        if not self._wait(remaining, detect_in):
            self._stage_done()


def _stopped(ex: Context, threat: Threat, stage: StageView, by: Cause) -> None:
    ex.set_status(threat.id, THREAT_STOPPED)
    if ex.log:
        ex.record(
            ev.ThreatStopped,
            threat=threat.id,
            stage=stage.id,
            by=by.text,
            origin=by.parts,
            audience=_told(ex, threat),
        )
    else:  # not a record the exercise notes: counted only
        ex.recorded += 1
