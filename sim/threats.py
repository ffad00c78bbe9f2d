"""Adversary campaigns: stages run in order, may be detected, and can be stopped or slowed.

Stopping and slowing are SimPy interrupts sent by countermeasures: the campaign's process
catches them mid-stage, so a slowed stage keeps the time it already spent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import simpy

from sim import events as ev
from sim.branches import MAX_REPEATS as MAX_REPEATS
from sim.branches import stage_path
from sim.cause import Cause, CauseKind
from sim.chance import chance, sample
from sim.detection import time_to_detection
from sim.schema import Stage, Threat
from sim.vocab import ThreatStatus

if TYPE_CHECKING:
    from sim.context import Context, Process


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
    if ex.value(threat.id) != ThreatStatus.PENDING:
        return
    ex.set_status(threat.id, ThreatStatus.UNDETECTED)
    ex.mark_time(threat.id)
    ex.record(ev.ThreatStarted, threat=threat.id, actor=threat.actor, audience=ev.FACILITATOR_ONLY)
    ex.campaigns.procs[threat.id] = ex.env.process(_campaign(ex, threat))


def detect(ex: Context, threat: Threat, by: Cause) -> None:
    """The defenders learn of the campaign."""
    if threat.id in ex.campaigns.detected or ex.value(threat.id) != ThreatStatus.UNDETECTED:
        return
    ex.campaigns.detected.add(threat.id)
    ex.mark_time(f"{threat.id}:detected")
    if ex.value(threat.id) == ThreatStatus.UNDETECTED:
        ex.set_status(threat.id, ThreatStatus.DETECTED)
    ex.record(
        ev.ThreatDetected,
        threat=threat.id,
        stage=ex.campaigns.stage.get(threat.id, ""),
        by=by.text if ex.log else "",
        origin=by.parts,
        audience=ex.players,
    )
    ex.apply_effects(threat.detection_effects, Cause(CauseKind.THREAT, threat.id, "detected"))


def stop(ex: Context, threat: Threat, by: Cause) -> str:
    """Stop a campaign; returns what happened, for the response's summary."""
    status = ex.value(threat.id)
    if status == ThreatStatus.PENDING:
        ex.set_status(threat.id, ThreatStatus.STOPPED)
        ex.record(
            ev.ThreatStopped,
            threat=threat.id,
            stage="",
            by=by.text if ex.log else "",
            origin=by.parts,
            audience=_told(ex, threat),
        )
        return _summary(ex, threat, "prevented {}", threat.id)
    if status in (ThreatStatus.UNDETECTED, ThreatStatus.DETECTED):
        ex.campaigns.procs[threat.id].interrupt(Stop(by))
        return _summary(ex, threat, "stopped {}", threat.id)
    return _summary(ex, threat, "{} was already {}", threat.id, status)


def _told(ex: Context, threat: Threat) -> tuple[str, ...]:
    """Players hear of a campaign's fate only if they know of the campaign."""
    return ex.players if threat.id in ex.campaigns.detected else ev.FACILITATOR_ONLY


def _summary(ex: Context, threat: Threat, text: str, *args: object) -> str:
    """A response's summary names only threats the players know of: ``text`` formatted with
    ``args``, only when the summary is kept (an exercise without a log keeps no words)."""
    return text.format(*args) if ex.log and threat.id in ex.campaigns.detected else ""


def slow(ex: Context, threat: Threat, factor: float, by: Cause) -> str:
    """Slow a running campaign now, or a campaign not yet begun for when it begins."""
    status = ex.value(threat.id)
    if status in (ThreatStatus.UNDETECTED, ThreatStatus.DETECTED):
        ex.campaigns.procs[threat.id].interrupt(Slow(factor, by))
        return _summary(ex, threat, "slowed {} ×{:g}", threat.id, factor)
    if status == ThreatStatus.PENDING:
        ex.campaigns.slowed[threat.id] = ex.campaigns.slowed.get(threat.id, 1.0) * factor
        return _summary(ex, threat, "{} will be slowed ×{:g} if it begins", threat.id, factor)
    return _summary(ex, threat, "{} was already {}", threat.id, status)


def _campaign(ex: Context, threat: Threat) -> Process:
    rng = ex.rng(f"threat:{threat.id}")
    factor = ex.campaigns.slowed.get(threat.id, 1.0)
    for stage in stage_path(ex, threat):
        ex.campaigns.stage[threat.id] = stage.id
        seen = threat.id in ex.campaigns.detected
        ex.record(
            ev.ThreatStageReached,
            threat=threat.id,
            stage=stage.id,
            detected=seen,
            audience=ex.players if seen else ev.FACILITATOR_ONLY,
        )
        remaining = sample(stage.duration, rng) * factor
        detect_in: float | None = None
        if not seen:
            p = ex.probability(stage.detect, "threat:%s.%s", threat.id, stage.id)
            if chance(p, rng):
                detect_in = float(rng.uniform(0.0, remaining))
            by_rate = time_to_detection(ex, threat, stage, remaining)
            if by_rate is not None:
                detect_in = by_rate if detect_in is None else min(detect_in, by_rate)
        while remaining > 0 or detect_in is not None:
            wait = remaining if detect_in is None else min(detect_in, remaining)
            began = ex.now
            try:
                yield ex.env.timeout(wait)
            except simpy.Interrupt as intr:
                spent = ex.now - began
                remaining -= spent
                if detect_in is not None:
                    detect_in -= spent
                cause = intr.cause
                if isinstance(cause, Stop):
                    _stopped(ex, threat, stage, cause.by)
                    return
                if isinstance(cause, Slow):
                    factor *= cause.factor
                    remaining *= cause.factor
                    if detect_in is not None:
                        detect_in *= cause.factor
                    ex.record(
                        ev.ThreatSlowed,
                        threat=threat.id,
                        factor=cause.factor,
                        by=cause.by.text if ex.log else "",
                        origin=cause.by.parts,
                        audience=_told(ex, threat),
                    )
                continue
            remaining -= wait
            if detect_in is not None:
                detect_in -= wait
                if detect_in <= 0:
                    detect_in = None
                    detect(ex, threat, Cause(CauseKind.MONITORING))
            if remaining <= 1e-12:
                break
        ex.apply_effects(stage.effects, Cause(CauseKind.THREAT, threat.id, stage.id))
    ex.set_status(threat.id, ThreatStatus.COMPLETED)
    ex.record(
        ev.ThreatCompleted,
        threat=threat.id,
        audience=ex.players if threat.id in ex.campaigns.detected else ev.FACILITATOR_ONLY,
    )


def _stopped(ex: Context, threat: Threat, stage: Stage, by: Cause) -> None:
    ex.set_status(threat.id, ThreatStatus.STOPPED)
    ex.record(
        ev.ThreatStopped,
        threat=threat.id,
        stage=stage.id,
        by=by.text if ex.log else "",
        origin=by.parts,
        audience=_told(ex, threat),
    )
