"""What showed most of a run's text, for the message of a run stopped by its text budget
(``sim.limits.MAX_TEXT``): read from the records only when the run stops."""

from __future__ import annotations

from collections.abc import Sequence

from sim import events as ev

_ITEM: dict[type[ev.Event], tuple[str, str, str, str]] = {
    ev.DecisionOpened: (
        "decision",
        "decision",
        "posed",
        "shorten its prompt or pose it fewer times",
    ),
    ev.DecisionMade: ("decision", "decision", "made", "shorten the rationale"),
    ev.NotificationDelivered: (
        "response",
        "notification",
        "sent",
        "shorten its message or send it less often",
    ),
    ev.ConsentRefused: ("decision", "refusal of decision", "given", "shorten the refusal"),
    ev.ParliamentOpened: ("sitting", "sitting", "opened", "shorten its title"),
    ev.ParliamentClosed: ("sitting", "sitting", "closed", "shorten its title and text"),
    ev.ExpressionFailed: ("where", "expression in", "failed", "fix the expression"),
}
"""Per record class that names an item: the field naming it, what to call it, the verb, and
what to do. Injects (each delivered once) are counted together, as are notes."""


_MANY: dict[type[ev.Event], str] = {
    ev.InjectDelivered: "injects delivered",
    ev.FacilitatorNote: "notes",
    ev.ObservationRecorded: "observations",
}


def text_hint(records: Sequence[ev.Event]) -> str:
    """The item (or kind of record) whose text took the most of the run's text budget."""
    shown: dict[tuple[str, str], list[int]] = {}
    advice: dict[tuple[str, str], str] = {}
    for r in records:
        fields = ev.SHOWN.get(type(r))
        if fields is None:
            continue
        size = sum(len(getattr(r, name)) for name in fields)
        item = _ITEM.get(type(r))
        if item is None:  # injects, notes, observations: many items, each shown once
            key = (_MANY.get(type(r), r.kind.replace("_", " ")), "")
            advice[key] = "shorten their texts"
        else:
            field, noun, verb, todo = item
            key = (f"{noun} '{getattr(r, field)}' {verb}", "times")
            advice[key] = todo
        tally = shown.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += size
    if not shown:
        return "the records carry too much text"
    (what, times), (count, size) = max(shown.items(), key=lambda item: item[1][1])
    how_often = f" {count:,} times" if times else f" ({count:,})"
    return f"most of it: {what}{how_often}, {size:,} characters ({advice[(what, times)]})"
