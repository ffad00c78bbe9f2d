"""The engine's timers (sim.timers) read as the SimPy events they stand for: a ``Timer`` as
``env.timeout(delay)``, a ``Soon`` as a process's ``Initialize``, before and after they are
processed, and in the same place in SimPy's queue."""

from __future__ import annotations

import simpy
from simpy.events import URGENT

from sim.timers import Soon, Timer


def fields(event: simpy.Event) -> tuple[object, ...]:
    """What SimPy (and anyone holding the event) reads of it."""
    return (event.triggered, event.processed, event.ok, event.value, event.env)


def test_a_timer_reads_as_the_timeout_it_stands_for() -> None:
    env = simpy.Environment()
    calls: list[float] = []
    ours = Timer(env, 2.5, lambda _e: calls.append(env.now))
    theirs = env.timeout(2.5)
    assert fields(ours) == fields(theirs)
    assert ours._delay == theirs._delay == 2.5
    assert [entry[:2] for entry in env._queue] == [(2.5, 1), (2.5, 1)]
    env.run()
    assert calls == [2.5]
    assert fields(ours) == fields(theirs) == (True, True, True, None, env)


def test_a_soon_comes_before_ordinary_events_at_the_same_instant() -> None:
    env = simpy.Environment()
    order: list[str] = []
    env.timeout(0).callbacks.append(lambda _e: order.append("timeout"))
    soon = Soon(env, lambda _e: order.append("soon"))
    assert (soon.triggered, soon.processed, soon.ok, soon.value) == (True, False, True, None)
    assert (0, URGENT) in [entry[:2] for entry in env._queue]
    env.run()
    assert order == ["soon", "timeout"]
    assert soon.processed


def test_one_timer_settled_otherwise_leaves_the_others_as_they_were() -> None:
    """The fields all timers share are the class's: an event given its own value or failure
    (as SimPy's ``succeed``/``fail`` would) keeps it to itself."""
    env = simpy.Environment()
    first, second = Timer(env, 1, lambda _e: None), Timer(env, 1, lambda _e: None)
    first._value, first._ok = "mine", False
    assert (first.value, first.ok) == ("mine", False)
    assert (second.value, second.ok) == (None, True)


def test_a_negative_delay_is_refused_as_simpy_refuses_it() -> None:
    env = simpy.Environment()
    try:
        Timer(env, -1, lambda _e: None)
    except ValueError as exc:
        assert "Negative delay" in str(exc)
    else:
        raise AssertionError("a negative delay was accepted")
    assert env._queue == []
