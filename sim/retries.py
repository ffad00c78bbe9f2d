"""(v2) What happens when a response fails: follow-ups (``on_failure``) and retries (``retry``).

A response's failure is noticed by a watcher on its status (it turns 'failed'), at the end of
the engine step that failed it, so ``sim.responses`` is not changed. Follow-ups start at once,
with the cause ``response:ID.failed``. A retry is planned at the failure and told to the room
(``response_retry``, step 'planned'); when it is due the response starts again (cause
``response:ID.retry``) if it is still 'failed' and the retry's ``while`` holds, otherwise the
retries end (step 'dropped'). Delays come from the response's own retry stream
(``response:ID:retry``), so they shift none of its other dice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim import events as ev
from sim.cause import CAUSE_RESPONSE, Cause
from sim.chance import sample
from sim.responses import audience as response_audience
from sim.schema import Countermeasure, Legislation, Notification, Scenario
from sim.vocab import RESPONSE_FAILED

if TYPE_CHECKING:
    from sim.dynamics import Dynamics

AnyResponse = Notification | Countermeasure | Legislation


def uses_failure_keys(scenario: Scenario) -> bool:
    """Whether any response has 'on_failure' or 'retry'."""
    return any(r.on_failure or r.retry is not None for r in scenario.responses)


def arm(dyn: Dynamics) -> None:
    """Watch each response with 'on_failure' or 'retry' for its failures."""
    tries: dict[str, int] = {}
    for r in dyn.ex.scenario.responses:
        if r.on_failure or r.retry is not None:
            dyn._watch_also(f"{r.id} == 'failed'", _on_status(dyn, r, tries), r.id)


def _on_status(dyn: Dynamics, r: AnyResponse, tries: dict[str, int]) -> Callable[[bool], None]:
    before = [False]

    def check(failed: bool) -> None:
        was, before[0] = before[0], failed
        if failed and not was and not dyn.ex.finished:
            _failed(dyn, r, tries)

    return check


def _failed(dyn: Dynamics, r: AnyResponse, tries: dict[str, int]) -> None:
    ex = dyn.ex
    failed = Cause(CAUSE_RESPONSE, r.id, "failed")
    for follow in r.on_failure:
        if follow.only_if is None or ex.truth(follow.only_if, "response:%s.on_failure", r.id):
            ex.launch(follow.response, failed)
    retry = r.retry
    n = tries.get(r.id, 0)
    if retry is None or n >= retry.attempts:
        return
    tries[r.id] = n + 1
    delay = sample(retry.delay, ex.rng(f"response:{r.id}:retry")) * retry.backoff**n
    due = ex.now + delay
    audience = response_audience(ex, r)
    ex.record(
        ev.ResponseRetry, response=r.id, attempt=n + 2, due=due, step="planned", audience=audience
    )

    def attempt() -> None:
        if ex.finished or ex.value(r.id) != RESPONSE_FAILED:
            return  # started again meanwhile (by the facilitator or a follow-up)
        if retry.while_ is not None and not ex.truth(retry.while_, "response:%s.retry", r.id):
            tries[r.id] = retry.attempts  # the reason for trying has gone: no more retries
            ex.record(
                ev.ResponseRetry,
                response=r.id,
                attempt=n + 2,
                due=due,
                step="dropped",
                audience=audience,
            )
            return
        ex.launch(r.id, Cause(CAUSE_RESPONSE, r.id, "retry"))

    ex._due_after(delay, attempt)
