"""The command log's text: equal commands give equal text, and what the engine takes replays."""

from __future__ import annotations

import random
from functools import cache

import pytest

from sim.bundled import resolve
from sim.commands import Adjust, Advance, Command, Decide, command_from_json, command_to_json
from sim.engine import BudgetExceeded, Exercise, ExerciseError
from sim.loader import load_scenario
from sim.schema import Scenario


@cache
def quickstart() -> Scenario:
    path = resolve("quickstart")
    assert path is not None
    return load_scenario(path)


def log_text(ex: Exercise) -> list[str]:
    return [f"{e.at!r} {command_to_json(e.command)}" for e in ex.command_log]


def test_a_clock_moved_to_whole_numbers_logs_the_same_text_as_one_moved_to_floats() -> None:
    by_int, by_float = Exercise(quickstart(), 4), Exercise(quickstart(), 4)
    for t in range(1, 40):
        by_int.run_until(t)
        by_float.run_until(float(t))
    for ex in (by_int, by_float):
        od = next(iter(ex.open_decisions.values()))
        ex.decide(od.decision.id, od.decision.options[0].id, at=int(ex.now) + 1)
        ex.submit(Adjust(variable="public_trust", value=1, reason="press leak"))
        ex.run_until(60)
    assert by_int.command_log == by_float.command_log
    assert log_text(by_int) == log_text(by_float)


@pytest.mark.parametrize(
    "command",
    [
        Advance(to=True),  # type: ignore[arg-type]
        Adjust(variable="public_trust", value=True, reason="x"),  # type: ignore[arg-type]
        Decide(decision="answer_ally", option="acknowledge", at=True),  # type: ignore[arg-type]
    ],
    ids=["advance-to-true", "adjust-to-true", "decide-at-true"],
)
def test_a_command_whose_text_cannot_be_read_back_is_refused(command: Command) -> None:
    """A yes/no where a number belongs: its JSON could not be replayed, so it is refused (as
    the session store refuses to save it) rather than applied and logged."""
    ex = Exercise(quickstart(), 4)
    ex.run_until_decision()
    before = list(ex.command_log)
    with pytest.raises(ExerciseError):
        ex.submit(command)
    assert ex.command_log == before


def test_every_logged_command_reads_back_equal_from_its_text() -> None:
    ex = Exercise(quickstart(), 4)
    ex.run_until(7)
    ex.submit(Adjust(variable="public_trust", value=0, reason="x"))
    ex.run_until_decision()
    ex.run()
    for entry in ex.command_log:
        text = command_to_json(entry.command)
        assert command_from_json(text) == entry.command
        assert command_to_json(command_from_json(text)) == text


@pytest.mark.parametrize("limit", [17, 40, 80])
def test_a_run_over_its_event_budget_stops_at_the_same_time_however_it_was_stepped(
    limit: int,
) -> None:
    """The budget stops the run at the same engine event whatever the stepping, and says
    so with the same words: the time of that event, not where the clock was last moved to."""
    said = set()
    for slices in (0, 1, 7):
        ex = Exercise(quickstart(), 1)
        ex.max_events = limit
        rng = random.Random(slices)
        with pytest.raises(BudgetExceeded) as stopped:
            while not ex.finished:
                if slices == 0:
                    ex.run()
                elif rng.random() < 0.3:
                    ex.step()
                else:
                    ex.run_until(ex.now + rng.random() * ex.horizon / slices / 20)
        said.add(str(stopped.value))
    assert len(said) == 1, said
