"""The quickstart scenario under the cooperate playbook, written by hand in bare SimPy.

This is the reference the engine is measured against: it does the same work as the engine
(the same campaign, injects, decisions, responses, actors' capacity and objectives, with the
same random streams drawn in the same order) and nothing more: no records, no watchers, no
expression language, no generic bookkeeping. tests/batch/test_reference.py checks that it
gives the engine's final variables and ratings, exactly, on 1,000 seeds.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import simpy

from sim.chance import Stream
from sim.numbers import stored

HORIZON = 720.0
Proc = Generator[Any, Any, None]


class Stopped(Exception):
    """Interrupt cause: a countermeasure stopped the campaign."""


def _clamp01(x: float) -> float:
    """Store a 0..1 variable: 12 significant digits (sim/numbers.py), then its bounds."""
    x = stored(x)
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def reference_run(seed: int) -> tuple[dict[str, float], dict[str, str], int]:
    """One run: (final variables, objective ratings, SimPy events processed)."""
    env = simpy.Environment()
    rng: dict[str, Stream] = {}

    def stream(name: str) -> Stream:
        s = rng.get(name)
        if s is None:
            s = rng[name] = Stream(seed, name)
        return s

    v = {"ally_trust": 0.7, "data_exposed": 0.0, "monitoring": 0.1, "public_trust": 0.6}
    v["acd_powers"] = 0.0
    state = {"threat": "pending", "acd_bill": "ready", "active_takedown": "locked"}
    seen: dict[str, float] = {}
    stopped_at: list[float] = []
    nisc = simpy.Resource(env, capacity=1)
    mofa = simpy.Resource(env, capacity=1)
    ally = simpy.Resource(env, capacity=1)
    diet = simpy.Resource(env, capacity=1)
    asked: set[str] = set()
    campaign: list[simpy.Process] = []

    def chance(p: float, s: Stream) -> bool:
        return False if p <= 0 else True if p >= 1 else s.random() < p

    def detect() -> None:
        if "detected" in seen or state["threat"] != "undetected":
            return
        seen["detected"] = env.now
        state["threat"] = "detected"
        v["public_trust"] = _clamp01(v["public_trust"] - 0.05)

    def stop() -> None:
        if state["threat"] in ("undetected", "detected"):
            campaign[0].interrupt(Stopped())

    def exposed(amount: float) -> None:
        v["data_exposed"] = max(0.0, stored(v["data_exposed"] + amount))
        if v["data_exposed"] > 6 and "press_question" not in asked:
            asked.add("press_question")
            v["public_trust"] = _clamp01(v["public_trust"] - 0.1)
            legislate_now = v["public_trust"] > 0.45
            if legislate_now and state["acd_bill"] == "ready":
                state["acd_bill"] = "running"
                env.process(acd_bill())

    def threat() -> Proc:
        s = stream("threat:cable_espionage")
        try:
            # persistence: the only stage that can start undetected
            remaining = s.triangular(24, 120, 48)
            detect_in = None
            if "detected" not in seen:
                p = 0.05 + 0.3 * v["monitoring"]
                if chance(p, s):
                    detect_in = s.uniform(0.0, remaining)
            if detect_in is not None:
                wait = min(detect_in, remaining)
                yield env.timeout(wait)
                remaining -= wait
                detect_in -= wait
                if detect_in <= 0:
                    detect()
                if remaining > 1e-12:
                    yield env.timeout(remaining)
            else:
                yield env.timeout(remaining)
            # exfiltration, repeating until stopped
            for _round in range(10_000):
                remaining = s.expovariate(1.0 / 24)
                detect_in = None
                if "detected" not in seen:
                    p = 0.02 + 0.2 * v["monitoring"]
                    if chance(p, s):
                        detect_in = s.uniform(0.0, remaining)
                if detect_in is not None:
                    wait = min(detect_in, remaining)
                    yield env.timeout(wait)
                    remaining -= wait
                    detect_in -= wait
                    if detect_in <= 0:
                        detect()
                    if remaining > 1e-12:
                        yield env.timeout(remaining)
                else:
                    yield env.timeout(remaining)
                exposed(1.5)
            state["threat"] = "completed"
        except simpy.Interrupt:
            state["threat"] = "stopped"
            stopped_at.append(env.now)

    def start_threat() -> Proc:
        state["threat"] = "undetected"
        campaign.append(env.process(threat()))
        yield from ()

    def ally_warning() -> Proc:
        yield env.timeout(6)
        if state["threat"] == "undetected":
            detect()
        # answer_ally: cooperate, at once
        env.process(tell_ally())
        env.process(joint_hunt())
        env.process(five_agencies(env.now))

    def ally_follow_up() -> Proc:
        yield env.timeout(96)  # delivered (the ally was not denied); it changes nothing

    def tell_ally() -> Proc:
        delay = stream("response:tell_ally").uniform(2, 12)
        if delay > 0:
            yield env.timeout(delay)
        t = seen.get("detected")
        age = env.now - t if t is not None else 0.0
        v["ally_trust"] = _clamp01(v["ally_trust"] + (0.2 - 0.002 * age))
        if v["ally_trust"] > 0.5:
            env.process(ally_assistance())

    def ally_assistance() -> Proc:
        s = stream("response:ally_assistance")
        with ally.request() as req:
            yield req
            duration = s.uniform(24, 72)
            if duration > 0:
                yield env.timeout(duration)
        if chance(0.6, s):
            if state["threat"] == "undetected":
                detect()
            v["monitoring"] = _clamp01(v["monitoring"] + 0.2)

    def joint_hunt() -> Proc:
        s = stream("response:joint_hunt")
        with nisc.request() as req:
            yield req
            duration = max(0.0, s.lognormvariate(math.log(60), 0.4))
            if duration > 0:
                yield env.timeout(duration)
        if chance(0.5 + 0.4 * v["monitoring"], s):
            stop()
        else:
            v["ally_trust"] = _clamp01(v["ally_trust"] - 0.05)

    def five_agencies(answered: float) -> Proc:
        delay = stream("inject:five_agencies").uniform(6, 18)
        if delay > 0:
            yield env.timeout(delay)
        opened = env.now
        # remediation: rebuild, 4 hours after it is posed
        yield env.timeout((opened + 4) - env.now)
        v["monitoring"] = _clamp01(v["monitoring"] + 0.3)
        env.process(rebuild_network())

    def rebuild_network() -> Proc:
        s = stream("response:rebuild_network")
        with mofa.request() as req:
            yield req
            duration = s.triangular(120, 400, 200)
            if duration > 0:
                yield env.timeout(duration)
        if chance(0.9, s):
            stop()
            v["ally_trust"] = _clamp01(v["ally_trust"] + 0.1)

    def acd_bill() -> Proc:
        s = stream("response:acd_bill")
        yield env.timeout(s.uniform(72, 168))
        yield env.timeout(24)
        if not chance(0.9, s):
            state["acd_bill"] = "failed"
            return
        for attempt in (1, 2):
            with diet.request() as req:
                yield req
                yield env.timeout(s.triangular(120, 480, 240))
            if chance(0.3 + 0.5 * v["public_trust"], s):
                break
            if attempt < 2:
                yield env.timeout(s.uniform(48, 96))
                continue
            state["acd_bill"] = "failed"
            return
        state["active_takedown"] = "ready"
        state["acd_bill"] = "succeeded"
        v["acd_powers"] = 1.0
        v["public_trust"] = _clamp01(v["public_trust"] - 0.05)
        # powers_in_force, then use_powers: takedown, at once
        env.process(active_takedown())

    def active_takedown() -> Proc:
        s = stream("response:active_takedown")
        with nisc.request() as req:
            yield req
            duration = s.uniform(12, 36)
            if duration > 0:
                yield env.timeout(duration)
        if chance(0.7, s):
            stop()

    env.process(start_threat())
    env.process(ally_warning())
    env.process(ally_follow_up())
    events = 0
    while env.peek() < HORIZON:
        env.step()
        events += 1

    ratings = {
        "keep_the_alliance": _rate(v["ally_trust"] >= 0.6, v["ally_trust"] >= 0.45),
        "stop_the_bleeding": _rate(bool(stopped_at) and stopped_at[0] <= 480, False),
        "limit_exposure": _rate(v["data_exposed"] < 15, False),
        "public_confidence": _rate(v["public_trust"] > 0.5, v["public_trust"] > 0.4),
    }
    return v, ratings, events


def _rate(met: bool, partially: bool) -> str:
    return "met" if met else "partially" if partially else "not_met"
