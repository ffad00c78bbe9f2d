"""An actor's capacity claimed and given back as ``simpy.Resource`` does it, in fewer steps.

A countermeasure (or a bill's stage) holds a unit of its actor's capacity while it runs: what
a process would do with ``with resource.request() as req: yield req``. SimPy grants a request
with room by putting it among the resource's users and scheduling it as an event at the
current instant (``succeed``: after urgent events), which calls back when processed; it
releases by taking the request out of the users and scheduling a ``Release`` event, whose
processing lets in whatever waits in the queue (``_trigger_put``).

Most claims find room and nothing queued. For those, ``claim`` does only what SimPy's
``Request`` ends up doing (a user added, one event at the current instant, the same place in
SimPy's queue and the same event id), without SimPy's ``__init__``, its queue entry and the
generic put/get loops around it; ``give_back`` does only what a ``Release`` does. A claim and
its release cost about 120 bytecode instructions where SimPy's took about 370 (a quickstart
batch run makes three). Any other claim is SimPy's own ``Request``.
So the users, the queue, the events and their order are SimPy's, whoever claims the capacity
(the v2 calendar still uses ``resource.request()`` itself): tests/sim/test_capacity.py plays
the same claims and releases both ways and compares the order of grants and SimPy's queue.
"""

from __future__ import annotations

from heapq import heappush

import simpy
from simpy.events import NORMAL
from simpy.resources.resource import Request


class Granted(Request):
    """A claim granted at once: SimPy's ``Request`` as it is after ``succeed()`` (triggered,
    to be processed at the current instant after urgent events), made without SimPy's
    ``__init__`` (the put queue and its loop), with the fields a caller reads of a request
    (``resource``; ``callbacks``, to which the caller adds its own)."""

    _value = None
    _ok = True

    def __init__(self, resource: simpy.Resource) -> None:  # no super().__init__: see above
        env = self.env = resource._env
        self.resource = resource
        self.callbacks = []
        # env.schedule(self, NORMAL), inline: the entry ``succeed`` makes (at ``_now + 0``,
        # which is ``_now``, the same number of the same type, as sim.timers.Soon has it)
        heappush(env._queue, (env._now, NORMAL, next(env._eid), self))


class _Released(simpy.Event):
    """What SimPy's ``Release`` is once triggered: an event at the current instant whose one
    callback lets the resource's queue in (``_trigger_put``) when it is processed."""

    _value = None
    _ok = True

    def __init__(self, resource: simpy.Resource) -> None:
        env = self.env = resource._env
        self.callbacks = [resource._trigger_put]
        heappush(env._queue, (env._now, NORMAL, next(env._eid), self))


def claim(resource: simpy.Resource) -> Request:
    """``resource.request()``: the claim, an event that succeeds when the unit is granted
    (``_value is PENDING`` until then: queued). Add the callback to its ``callbacks``.

    For a plain ``simpy.Resource`` (the actors' capacity: sim.engine's ``_Capacity``), whose
    requests are served first come, first served; not a priority or preemptive one."""
    users = resource.users
    # Room, and nobody waiting: SimPy's request would be granted now (a request made while
    # others wait, after a release not yet processed, lets them in first: SimPy's own path).
    if len(users) < resource._capacity and not resource.put_queue:
        granted = Granted(resource)
        users.append(granted)  # as SimPy's ``_do_put`` (``usage_since`` is read by no one)
        return granted
    return resource.request()


def give_back(req: Request) -> None:
    """``resource.release(req)`` for a claim (``Granted``, or SimPy's request): the unit is
    free at once; the queue is let in when the release's event is processed."""
    resource = req.resource
    # (a try costs nothing when nothing is raised, where contextlib.suppress is two calls)
    try:  # noqa: SIM105
        resource.users.remove(req)
    except ValueError:  # not a user: ignored, as SimPy's ``_do_get`` ignores it
        pass
    _Released(resource)
