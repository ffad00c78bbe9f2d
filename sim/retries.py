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
from sim.cause import Cause, CauseKind
from sim.chance import sample
from sim.responses import _audience
from sim.schema import Countermeasure, Legislation, Notification, Scenario
from sim.vocab import ResponseStatus
from sim.yamlread import Path_

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
    failed = Cause(CauseKind.RESPONSE, r.id, "failed")
    for follow in r.on_failure:
        if follow.only_if is None or ex.truth(follow.only_if, f"response:{r.id}.on_failure"):
            ex.launch(follow.response, failed)
    retry = r.retry
    n = tries.get(r.id, 0)
    if retry is None or n >= retry.attempts:
        return
    tries[r.id] = n + 1
    delay = sample(retry.delay, ex.rng(f"response:{r.id}:retry")) * retry.backoff**n
    due = ex.now + delay
    audience = _audience(ex, r)
    ex.record(
        ev.ResponseRetry, response=r.id, attempt=n + 2, due=due, step="planned", audience=audience
    )

    def attempt() -> None:
        if ex.finished or ex.value(r.id) != ResponseStatus.FAILED:
            return  # started again meanwhile (by the facilitator or a follow-up)
        if retry.while_ is not None and not ex.truth(retry.while_, f"response:{r.id}.retry"):
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
        ex.launch(r.id, Cause(CauseKind.RESPONSE, r.id, "retry"))

    ex.env.process(ex._later(delay, attempt))


# --- checks ---------------------------------------------------------------------------------


def check_failure_keys(
    responses: list[tuple[int, AnyResponse]],
    *,
    expr: Callable[[Path_, str | float | None], None],
    ref: Callable[[Path_, str | None, set[str], str], None],
    bad: Callable[[Path_, str], None],
    response_ids: set[str],
) -> None:
    """References and conditions of 'on_failure' and 'retry', and loops through failures."""
    for i, r in responses:
        p: Path_ = ("responses", i)
        if isinstance(r, Notification):
            for key in ("on_failure", "retry"):
                if key in r.model_fields_set:
                    bad(
                        (*p, key),
                        f"a notification never fails: '{key}' goes on a countermeasure or a "
                        "legislation response",
                    )
        for j, follow in enumerate(r.on_failure):
            ref((*p, "on_failure", j, "response"), follow.response, response_ids, "response")
            expr((*p, "on_failure", j, "if"), follow.only_if)
        if r.retry is not None:
            expr((*p, "retry", "while"), r.retry.while_)
    _failure_loops(responses, bad)


def _failure_loops(
    responses: list[tuple[int, AnyResponse]], bad: Callable[[Path_, str], None]
) -> None:
    from sim.branches import _cycles

    index = {r.id: n for n, (_, r) in enumerate(responses)}
    graph: dict[int, set[int]] = {n: set() for n in range(len(responses))}
    failing: set[tuple[int, int]] = set()
    for n, (_, r) in enumerate(responses):
        for s in r.starts:
            if s.response in index:
                graph[n].add(index[s.response])
        for s in r.on_failure:
            if s.response in index:
                graph[n].add(index[s.response])
                failing.add((n, index[s.response]))
    for part in _cycles(graph):
        members = set(part)
        if not any(a in members and b in members for a, b in failing):
            continue  # a loop of 'starts' only: reported by the v1 check
        first = next(n for n in part if any(a == n and b in members for a, b in failing))
        names = " → ".join(responses[n][1].id for n in part)
        i = responses[first][0]
        bad(
            ("responses", i, "on_failure"),
            f"responses start each other in a loop through 'on_failure' ({names}): to try a "
            "response again, give it 'retry' (its attempts are limited)",
        )
