"""The players' view never shows what the scenario hides from them (a property test)."""

from __future__ import annotations

import json
import random
from functools import cache

import pytest

from sim import events as ev
from sim.bundled import bundled_scenarios
from sim.deciders import RandomDecider
from sim.describe import describe
from sim.engine import Exercise, ExerciseError
from sim.loader import load_scenario
from sim.report import RunResult
from sim.schema import Scenario
from sim.views import view

SCENARIOS = [p.stem for p in bundled_scenarios()]
SEEDS = range(50)


@cache
def scenario(name: str) -> Scenario:
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == name))


def players_output(ex: Exercise) -> str:
    """Everything a players' screen or file could show now, as one text."""
    seen = view(ex, controller=False)
    parts = [describe(r, ex.scenario) for r in seen.records]
    parts += [json.dumps(r.to_dict()) for r in seen.records]
    parts += [f"{m.key} {m.title} {m.time} {m.status}" for m in seen.msel]
    parts += [f"{r.objective} {r.rating} {r.evidence}" for r in seen.ratings]
    parts += [f"{k} = {v}" for k, v in seen.variables.items()]
    parts += [f"{a.actor} {[j.response for j in a.jobs]}" for a in seen.actors]
    parts += [RunResult(ex, None).to_text(controller=False)]
    if ex.finished:
        data = RunResult(ex, None).to_json_data(controller=False)
        for objective in data["objectives"]:
            del objective["description"]  # the author's briefing text, public by design
        parts += [json.dumps(data, ensure_ascii=False)]
    return "\n".join(parts)


def forbidden(ex: Exercise, said: list[str]) -> dict[str, str]:
    """What the players must not see now, and why."""
    s = ex.scenario
    told = {
        r.inject
        for r in ex.records
        if isinstance(r, ev.InjectDelivered) and r.visible_to(ex.players)
    }
    out: dict[str, str] = {}
    for name, var in s.variables.items():
        if var.hidden:
            out[name] = "hidden variable"
    known = {r.threat for r in ex.records if isinstance(r, ev.ThreatDetected)}
    for t in s.threats:
        if t.id not in ex.threat_detected and t.id not in known:  # (v2: back after eviction)
            out[t.id] = "undetected threat"
            if t.title:
                out[t.title] = "undetected threat's name"
    for inj in s.injects:
        if inj.id not in told:
            out[inj.text] = f"text of undelivered inject {inj.id}"
            if inj.title:
                out[inj.title] = f"title of undelivered inject {inj.id}"
    for text in said:
        out[text] = "facilitator's note or reason"
    return out


def act_at_random(ex: Exercise, rng: random.Random, said: list[str]) -> None:
    """One random facilitator action (refusals are fine: they change nothing)."""
    s = ex.scenario
    token = f"SECRET{rng.randrange(10**9)}"
    kind = rng.choice(["fire", "adjust", "note", "observe", "respond", "send"])
    try:
        if kind == "fire":
            held = [i.id for i in s.injects if i.contingency and ex.value(i.id) == "pending"]
            if held:
                said.append(token)
                ex.fire_inject(rng.choice(held), reason=token)
        elif kind == "adjust":
            name = rng.choice(list(s.variables))
            said.append(token)
            ex.adjust(name, ex.variables()[name] + rng.choice([-1, 0, 1]), reason=token)
        elif kind == "note":
            said.append(token)
            ex.note(token)
        elif kind == "observe":
            said.append(token)
            ex.observe(token, assessment=rng.choice(["", "strength", "improvement"]))
        elif kind == "respond" and s.responses:
            ex.start_response(rng.choice(s.responses).id)
        elif kind == "send":
            ex.send_inject("The minister calls", s.actors[0].id, [s.actors[0].id])
    except ExerciseError:
        pass


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_players_output_shows_what_is_hidden_from_them(name: str) -> None:
    s = scenario(name)
    for seed in SEEDS:
        rng = random.Random(seed)
        ex = Exercise(s, seed)
        decider = RandomDecider(seed)
        said: list[str] = []
        asked: set[str] = set()
        while not ex.finished:
            ex.run_until(min(ex.now + rng.uniform(0.5, 72) / s.hours(1.0), ex.horizon))
            for pending in list(ex.open_decisions.values()):
                if pending.decision.id not in asked and rng.random() < 0.7:
                    asked.add(pending.decision.id)
                    choice = decider.choose(ex, pending)
                    if choice is not None:
                        ex.decide(pending.decision.id, choice.option, reason=choice.reason)
            if rng.random() < 0.3:
                act_at_random(ex, rng, said)
            if rng.random() < 0.05 or ex.finished:
                shown = players_output(ex)
                for secret, why in forbidden(ex, said).items():
                    assert secret not in shown, f"{name} seed {seed} t={ex.now:g}: {why} {secret!r}"


def test_the_players_msel_shows_undelivered_injects_only_through_a_players_title() -> None:
    from test_engine import MINI

    from sim.loader import load_scenario_text
    from sim.views import msel

    text = MINI.replace(
        '  - {id: warning, at: 20, from: ally, to: [gov], text: "Warning',
        '  - {id: warning, at: 20, players_title: "Summit with the ally", from: ally, '
        'to: [gov], title: "Ally warns of spies", text: "Warning',
    )
    ex = Exercise(load_scenario_text(text), 1)
    before = msel(ex, controller=False)
    assert [(m.key, m.title, m.time, m.status) for m in before] == [
        ("", "Summit with the ally", 20.0, "scheduled")
    ]
    assert "Ally warns of spies" in {m.title for m in msel(ex, controller=True)}
    ex.run_until(20)
    after = msel(ex, controller=False)
    assert [(m.key, m.title, m.status) for m in after] == [
        ("warning", "Ally warns of spies", "delivered")
    ]


def test_a_choice_whose_reason_reads_hidden_state_does_not_show_that_reason_to_players() -> None:
    """A playbook rule's condition may read a hidden variable; the players never see it."""
    ex = Exercise(scenario("quickstart"), 1)
    ex.run_until_decision()
    pending = next(iter(ex.open_decisions.values()))
    option = pending.decision.options[0].id
    why = "playbook p (because data_exposed > 5)"
    ex.decide(pending.decision.id, option, by="playbook", reason=why)
    ex.settle()
    made = [r for r in ex.records if isinstance(r, ev.DecisionMade)]
    assert made and why in made[-1].rationale  # the controller keeps it
    shown = [r for r in view(ex, controller=False).records if isinstance(r, ev.DecisionMade)]
    assert shown and all("data_exposed" not in r.rationale for r in shown)
    assert "data_exposed" not in players_output(ex)
