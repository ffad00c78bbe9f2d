"""The command log's text: equal commands give equal text, and what the engine takes replays."""

from __future__ import annotations

from functools import cache

from sim.bundled import resolve
from sim.commands import Adjust, command_from_json, command_to_json
from sim.engine import Exercise
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
