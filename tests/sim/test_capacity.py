"""An actor's capacity claimed and given back through sim.capacity behaves as SimPy's
``Resource`` does with ``request()`` and ``release()``: the same grants, in the same order,
at the same times, with the same events in SimPy's queue (time, priority and event id), also
when claims queue, when a unit is given back and claimed again in the same instant, and when
SimPy processes (the v2 calendar's way) share the resource."""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from typing import Any

import pytest
import simpy
from simpy.events import PENDING

from sim.capacity import claim, give_back

Step = tuple[float, str, tuple[float, ...], bool]
"""(when it first asks, who, how long it holds each time it asks (it asks again as soon as
it gives back, as a bill's next stage does), whether it is a SimPy process)"""


def play(script: list[Step], capacity: int, ours: bool) -> tuple[list[Any], list[Any], int]:
    """Play the claims of ``script`` on one resource, through sim.capacity (``ours``) or
    SimPy's ``request``/``release``; what happened, SimPy's queue before each step, and the
    number of event ids taken."""
    env = simpy.Environment()
    res = simpy.Resource(env, capacity)
    happened: list[Any] = []

    def callbacks(who: str, holds: tuple[float, ...]) -> Callable[[object], None]:
        def start(_e: object) -> None:
            req = claim(res) if ours else res.request()
            happened.append(("asks", who, env.now, req._value is PENDING, len(res.users)))

            def granted(_e: simpy.Event) -> None:
                happened.append(("granted", who, env.now, len(res.users)))

                def done(_e: simpy.Event | None) -> None:
                    if ours:
                        give_back(req)
                    else:
                        res.release(req)
                    happened.append(("gave back", who, env.now, len(res.users)))
                    if holds[1:]:
                        callbacks(who, holds[1:])(None)

                if holds[0] > 0:
                    env.timeout(holds[0]).callbacks.append(done)
                else:
                    done(None)

            req.callbacks.append(granted)

        return start

    def process(who: str, holds: tuple[float, ...]) -> Generator[simpy.Event, Any, None]:
        for hold in holds:
            with res.request() as req:
                happened.append(("asks", who, env.now, req._value is PENDING, len(res.users)))
                yield req
                happened.append(("granted", who, env.now, len(res.users)))
                yield env.timeout(hold)
            happened.append(("gave back", who, env.now, len(res.users)))

    def start_process(who: str, holds: tuple[float, ...]) -> Callable[[object], None]:
        return lambda _e: env.process(process(who, holds))  # type: ignore[func-returns-value]

    for at, who, holds, is_process in script:
        start = start_process(who, holds) if is_process else callbacks(who, holds)
        env.timeout(at).callbacks.append(start)
    queues = []
    while env._queue:
        queues.append(sorted(entry[:3] for entry in env._queue))
        env.step()
    return happened, queues, next(env._eid)


def test_a_claim_with_room_is_granted_at_the_instant_after_urgent_events() -> None:
    script = [(1.0, "a", (2.0,), False)]
    assert play(script, 1, ours=True) == play(script, 1, ours=False)
    happened, _, _ = play(script, 1, ours=True)
    assert happened == [
        ("asks", "a", 1.0, False, 1),
        ("granted", "a", 1.0, 1),
        ("gave back", "a", 3.0, 0),
    ]


def test_a_claim_given_back_and_claimed_again_in_one_instant_lets_the_queue_in_as_simpy() -> None:
    """The corner a shortcut would get wrong: b takes the unit a frees, holds it for no time,
    and c, queued behind b in the same instant, is let in by a's release, not b's."""
    script = [(0, "a", (1.0,), False), (1.0, "b", (0.0,), False), (1.0, "c", (0.0,), False)]
    for capacity in (1, 2):
        assert play(script, capacity, ours=True) == play(script, capacity, ours=False)


def test_a_claim_made_while_others_wait_for_a_unit_just_given_back_comes_after_them() -> None:
    """a gives its unit back and at once claims again (a bill's next stage); b, queued
    before, gets the unit when a's release is processed, and a waits: as in SimPy, where a's
    new request lets b in first."""
    script = [(0, "a", (1.0, 1.0), False), (0.5, "b", (1.0,), False)]
    happened, _, _ = play(script, 1, ours=True)
    assert happened == play(script, 1, ours=False)[0]
    assert [h[:2] for h in happened if h[0] == "granted"] == [
        ("granted", "a"),
        ("granted", "b"),
        ("granted", "a"),
    ]


@pytest.mark.parametrize("seed", range(300))
def test_random_claims_are_granted_as_simpy_grants_them(seed: int) -> None:
    rng = random.Random(seed)
    script = [
        (
            float(rng.choice((0, 0, 1, 1, 2, 3))),
            f"claim{i}",
            tuple(float(rng.choice((0, 0, 1, 2))) for _ in range(rng.choice((1, 1, 2, 3)))),
            rng.random() < 0.25,
        )
        for i in range(rng.randint(1, 8))
    ]
    capacity = rng.choice((1, 1, 2, 3))
    assert play(script, capacity, ours=True) == play(script, capacity, ours=False)


def test_a_granted_claim_reads_as_a_granted_request() -> None:
    env = simpy.Environment()
    res = simpy.Resource(env, 1)
    ours, theirs = claim(res), simpy.Resource(env, 1).request()
    assert (ours.triggered, ours.ok, ours.value, ours.processed) == (
        theirs.triggered,
        theirs.ok,
        theirs.value,
        theirs.processed,
    )
    assert ours.resource is res and res.count == 1
    give_back(ours)
    give_back(ours)  # a second release is ignored, as SimPy ignores it
    assert res.count == 0
