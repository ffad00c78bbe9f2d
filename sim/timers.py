"""Callbacks where a SimPy process would wait: the engine's and the mechanics' timers.

A process that waits and then acts costs SimPy an event for its start (``Initialize``: urgent,
at the current instant), one per ``yield``, and one for its end, plus a generator resume per
event. The engine's timers and the mechanics (sim/threats.py, sim/responses.py) keep the
events a process would wait on, created at the same moments, and drop the process:
``Soon`` calls back where the process would have started, ``Timer`` where its ``yield
env.timeout(delay)`` would have resumed it (removing the callback from a ``Timer``'s
callbacks cancels it, as an interrupt does). SimPy orders events by (time, priority, creation),
so events at the same time still come in the same order, and the process's end event, which
nobody waits on, can go without reordering the others.

A batch run makes a few dozen of these, so each is made in as few instructions as it can be:
the two fields every one of them sets to the same value (``_value``, ``_ok``: a triggered
event's, that succeeded with no value) are the class's, read through the class as SimPy reads
them on the instance; a field set later (``succeed``, ``fail``) would be the instance's own.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush

import simpy
from simpy.events import NORMAL, URGENT

Callback = Callable[[simpy.Event], None]


class Soon(simpy.Event):
    """An event at the current instant, before ordinary events, that calls back: what SimPy's
    ``Initialize`` is to a process, and its ``Interruption`` to an interrupted one (the same
    fields, with the same values)."""

    _value = None
    _ok = True

    def __init__(self, env: simpy.Environment, then: Callback) -> None:
        self.env = env
        self.callbacks = [then]
        # env.schedule(self, URGENT), inline: the same entry in SimPy's queue (at ``_now + 0``,
        # which is ``_now``, the same number of the same type)
        heappush(env._queue, (env._now, URGENT, next(env._eid), self))


class Timer(simpy.Timeout):
    """``env.timeout(delay)`` with ``then`` as its callback, made in one call: the same fields,
    with the same values, and the same entry in SimPy's queue."""

    _value = None
    _ok = True

    def __init__(self, env: simpy.Environment, delay: float, then: Callback) -> None:
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")
        self.env = env
        self.callbacks = [then]
        self._delay = delay
        # env.schedule(self, NORMAL, delay), inline
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), self))
