"""Shared helpers for the report and package tests (not a test module)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sim.analysis.model import AarInput, Audience, build_aar
from sim.analysis.render import render_aar
from sim.analysis.sources import headless_input
from sim.bundled import bundled_playbooks, bundled_scenarios, resolve
from sim.deciders import DefaultDecider, play
from sim.loader import load_scenario
from sim.schema import Scenario
from sim.session.journal import start_session
from sim.session.store import PlanRow, SessionStore

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile_report.yaml"
URL = re.compile(r"https?:", re.IGNORECASE)


@cache
def scenario(name: str) -> Scenario:
    """A bundled scenario, parsed once per test process (it is frozen: tests only read it)."""
    path = resolve(name)
    assert path is not None, name
    return load_scenario(path)


@cache
def hostile() -> Scenario:
    return load_scenario(HOSTILE)


def bundled() -> list[str]:
    return [p.stem for p in bundled_scenarios()]


def playbooks(name: str) -> list[str]:
    return [p.stem for p in bundled_playbooks(name)]


def all_formats(
    source: AarInput, audience: Audience, formats: tuple[str, ...] = ("html", "md", "json")
) -> dict[str, str]:
    aar = build_aar(source, audience)
    caveat = source.scenario.scenario.handling
    return {fmt: render_aar(aar, fmt, caveat) for fmt in formats}


def run(name: str, seed: int | None = None, playbook: str | None = None) -> AarInput:
    return headless_input(scenario(name), seed, playbook)


def saved_session(store: Path, *, finish: bool = True, seed: int = 2020) -> int:
    """A quickstart session as the console records one: decisions, observations, a plan."""
    path = resolve("quickstart")
    assert path is not None
    text = path.read_text(encoding="utf-8")
    with SessionStore.open(store) as st:
        ex = start_session(st, scenario("quickstart"), text, path, seed)
        ex.run_until_decision()
        ex.run_until(ex.now + 2)
        ex.decide("answer_ally", "deny", by="players", reason="We cannot admit a breach")
        ex.observe("The room never asked who else should know", assessment="improvement")
        ex.note("CONTROLLER-NOTE-session")
        if finish:
            play(ex, DefaultDecider())
        assert ex.journal is not None
        sid = ex.journal.session_id
        st.add_plan_row(
            sid,
            PlanRow(
                "keep_the_alliance",
                "Denied the breach to the ally",
                "Agree a disclosure policy",
                "MOFA",
                "2027-01-31",
            ),
        )
    return sid
