"""Run views (sim/runviews.py): the engine reads a scenario's elements through plain copies.

A view that fell out of step with its model would change what a run does without any error,
so every view of every bundled scenario is compared with the model it was made from."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from sim.cause import Cause, CauseKind
from sim.chance import Stream, sample
from sim.compiled import Compiled, compiled
from sim.compiled import added as compiled_added
from sim.engine import Exercise
from sim.loader import load_scenario
from sim.runviews import CountermeasureView, NotificationView, RunViews
from sim.schema import Countermeasure, Notification, Scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "tests/data/v1/scenarios").glob("*.yaml")
)


def _same(view: object, model: object, fields: tuple[str, ...]) -> None:
    for name in fields:
        got, want = getattr(view, name), getattr(model, name)
        if isinstance(want, list):
            want = tuple(want)
        assert got == want, (type(model).__name__, name)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_view_says_what_its_model_says(path: Path) -> None:
    scenario: Scenario = load_scenario(path)
    views = RunViews(scenario)
    for obj, ov in zip(scenario.objectives, views.objectives, strict=True):
        assert ov.model is obj
        _same(ov, obj, ("id", "met", "partially", "throughout", "by"))
        assert ov.by_engine == (obj.rated_by == "engine" and obj.at is None and not obj.within)
    for t in scenario.threats:
        assert views.threats[t.id].model is t
        _same(views.threats[t.id], t, ("id", "delay", "only_if"))
        for sv, stage in zip(views.stages[t.id], t.stages, strict=True):
            _same(sv, stage, ("id", "duration", "detect", "detect_rate", "effects", "repeat"))
            assert sv.next == tuple(stage.next or ())
            assert sv.cause == Cause(CauseKind.THREAT, t.id, stage.id)
    for i in scenario.injects:
        _same(views.injects[i.id], i, ("id", "delay", "only_if", "effects", "reveals", "decision"))
        assert views.injects[i.id].cause == Cause(CauseKind.INJECT, i.id)
        poses = views.injects[i.id].poses
        assert poses is (None if i.decision is None else views.decisions[i.decision])
    for d in scenario.decisions:
        dv = views.decisions[d.id]
        _same(dv, d, ("id", "deadline", "default"))
        assert list(dv.options) == [o.id for o in d.options]
        for o in d.options:
            _same(dv.options[o.id], o, ("id", "effects", "responses"))
            assert dv.options[o.id].cause == Cause(CauseKind.DECISION, d.id, o.id)
            starts = dv.options[o.id].response_views
            assert len(starts) == len(o.responses)
            assert all(v is views.responses[r] for v, r in zip(starts, o.responses, strict=True))
    for r in scenario.responses:
        rv = views.responses[r.id]
        assert rv.model is r
        _same(rv, r, ("id", "kind", "effects"))
        assert rv.starts == tuple((s.response, s.only_if) for s in r.starts)
        assert rv.cause == Cause(CauseKind.RESPONSE, r.id)
        assert rv.failed_cause == Cause(CauseKind.RESPONSE, r.id, "failed")
        if isinstance(r, Countermeasure):
            assert isinstance(rv, CountermeasureView) and rv.actor == r.actor
            _same(rv, r, ("duration", "success", "stops", "slows", "reveals", "failure_effects"))
        elif isinstance(r, Notification):
            assert isinstance(rv, NotificationView) and rv.actor == r.sender
            _same(rv, r, ("delay", "about"))
        else:
            assert rv.actor == r.sponsor
            _same(rv, r, ("failure_effects",))


def _draws_as_sample(draw: object, dist: object) -> None:
    """A view's planned draw gives what ``sample`` gives, draw for draw, from the same stream."""
    assert callable(draw)
    mine, reference = Stream(7, "view"), Stream(7, "view")
    assert [draw(mine) for _ in range(5)] == [sample(dist, reference) for _ in range(5)]  # type: ignore[arg-type]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_planned_draw_is_the_distributions_own(path: Path) -> None:
    scenario: Scenario = load_scenario(path)
    views = RunViews(scenario)
    for t in scenario.threats:
        for sv, stage in zip(views.stages[t.id], t.stages, strict=True):
            _draws_as_sample(sv.draw_duration, stage.duration)
        tv = views.threats[t.id]
        assert (tv.draw_delay is None) == (t.delay is None)
        if t.delay is not None:
            _draws_as_sample(tv.draw_delay, t.delay)
    for i in scenario.injects:
        iv = views.injects[i.id]
        assert (iv.draw_delay is None) == (i.delay is None)
        if i.delay is not None:
            _draws_as_sample(iv.draw_delay, i.delay)
    for r in scenario.responses:
        rv = views.responses[r.id]
        if isinstance(rv, CountermeasureView):
            _draws_as_sample(rv.draw_duration, rv.duration)
        elif isinstance(rv, NotificationView):
            _draws_as_sample(rv.draw_delay, rv.delay)


def test_views_are_made_once_per_scenario_and_shared_by_its_runs() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "quickstart.yaml")
    first, second = Exercise(scenario, 1, log=False), Exercise(scenario, 2)
    assert first.views is second.views
    other = load_scenario(ROOT / "scenarios" / "quickstart.yaml")
    assert Exercise(other, 1).views is not first.views


def _plans(plan: object, effects: object, plans: Compiled, notification: bool) -> None:
    """A view's planned effects are its effects, in file order, each compiled for the right
    names (a notification's may read its ``age``)."""
    assert isinstance(plan, tuple) and isinstance(effects, Mapping)
    assert [(variable, source) for variable, source, _e, _d, _a in plan] == list(effects.items())
    for _variable, source, effect, draws, added in plan:
        assert effect is plans.effect(source, notification=notification)
        assert draws == effect.expression.draws
        assert added == compiled_added(effect)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_view_plans_its_own_effects(path: Path) -> None:
    scenario: Scenario = load_scenario(path)
    views = RunViews(scenario)
    plans = compiled(scenario)
    for t in scenario.threats:
        _plans(views.threats[t.id].detection_plan, t.detection_effects, plans, False)
        assert views.threats[t.id].detected_cause == Cause(CauseKind.THREAT, t.id, "detected")
        for sv, stage in zip(views.stages[t.id], t.stages, strict=True):
            _plans(sv.effects_plan, stage.effects, plans, False)
    for i in scenario.injects:
        _plans(views.injects[i.id].effects_plan, i.effects, plans, False)
    for d in scenario.decisions:
        for o in d.options:
            _plans(views.decisions[d.id].options[o.id].effects_plan, o.effects, plans, False)
    for r in scenario.responses:
        rv = views.responses[r.id]
        notification = isinstance(r, Notification)
        _plans(rv.effects_plan, r.effects, plans, notification)
        _plans(rv.failure_plan, {} if notification else r.failure_effects, plans, False)


@pytest.mark.parametrize("path", SCENARIOS[:3], ids=lambda p: p.stem)
def test_the_mechanics_read_the_state_a_run_has_now(path: Path) -> None:
    """``Exercise.state`` (what the mechanics read) is every value and status as ``value``
    gives it, at the start and after the run moved them."""
    ex = Exercise(load_scenario(path), 3)
    names = list(ex.state)
    assert {n: ex.state[n] for n in names} == {n: ex.value(n) for n in names}
    ex.run_until(ex.horizon)
    assert ex.finished
    assert {n: ex.state[n] for n in names} == {n: ex.value(n) for n in names}
    assert any(ex.state[t.id] != "pending" for t in ex.scenario.threats)
