"""(v2) Checks of 'on_failure' and 'retry': references, conditions, loops through failures.

Kept apart from :mod:`sim.retries` (which runs them) so that `tabletop validate` imports none
of the engine's run-time modules.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.checks_branches import cycles, shown_loop
from sim.schema import Countermeasure, Legislation, Notification
from sim.yamlread import Path_

AnyResponse = Notification | Countermeasure | Legislation


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
    for part in cycles(graph):
        members = set(part)
        if not any(a in members and b in members for a, b in failing):
            continue  # a loop of 'starts' only: reported by the v1 check
        first = next(n for n in part if any(a == n and b in members for a, b in failing))
        names = shown_loop([responses[n][1].id for n in part], close=False)
        i = responses[first][0]
        bad(
            ("responses", i, "on_failure"),
            f"responses start each other in a loop through 'on_failure' ({names}): to try a "
            "response again, give it 'retry' (its attempts are limited)",
        )
