"""Observations in the two editions: shared with the room, except what names a secret."""

from __future__ import annotations

from aar_helpers import scenario

from sim.analysis.model import AarInput, build_aar
from sim.deciders import DefaultDecider, play
from sim.engine import Exercise

SHARED = "The room never asked who else should know"
SECRET = "They guessed data_exposed was small"


def observed() -> AarInput:
    ex = Exercise(scenario("quickstart"), 2020)
    ex.run_until_decision()
    ex.observe(SHARED, objective="keep_the_alliance", assessment="improvement")
    ex.observe(SECRET, assessment="strength")
    ex.observe("Quick to call the ally", assessment="strength")
    play(ex, DefaultDecider())
    return AarInput(ex, commands=tuple(ex.command_log))


def texts(source: AarInput, audience: str) -> tuple[list[str], list[str], list[str]]:
    aar = build_aar(source, "players" if audience == "players" else "controller")
    timeline = [e.text for e in aar.timeline if e.kind == "observation"]
    return (
        timeline,
        [f.text for f in aar.strengths if f.source == "observation"],
        [f.text for f in aar.improvements if f.source == "observation"],
    )


def test_observations_are_shared_with_the_players_unless_they_name_a_secret() -> None:
    source = observed()
    timeline, strengths, improvements = texts(source, "players")
    assert SHARED in timeline and improvements == [SHARED]
    assert strengths == ["Quick to call the ally"]
    assert not any("data_exposed" in t for t in timeline + strengths + improvements)


def test_the_controllers_edition_has_every_observation() -> None:
    timeline, strengths, improvements = texts(observed(), "controller")
    assert {SHARED, SECRET, "Quick to call the ally"} <= set(timeline)
    assert SECRET in strengths and improvements == [SHARED]


def test_the_live_players_view_never_shows_observations() -> None:
    from sim import events as ev
    from sim.views import view

    ex = observed().exercise
    assert not any(isinstance(r, ev.ObservationRecorded) for r in view(ex, False).records)


def test_an_objective_awaiting_its_evaluator_says_so_and_drafts_nothing() -> None:
    from aar_helpers import run

    for audience in ("players", "controller"):
        aar = build_aar(run("showcase", playbook="showcase--together"), audience)  # type: ignore[arg-type]
        one = next(o for o in aar.objectives if o.id == "one_voice")
        assert (one.rating, one.rating_label) == ("awaiting", "Awaiting evaluator")
        assert "one_voice" not in [f.objective for f in (*aar.strengths, *aar.improvements)]
        assert "one_voice" not in [row.objective for row in aar.plan]
