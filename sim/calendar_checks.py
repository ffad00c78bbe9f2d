"""(Format v2) Checks of the legislative calendar: sittings, sitting stages, several laws."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any, Protocol

from sim.problems import Reporter
from sim.schema import BILLS_IN_SESSION, IN_SESSION, Legislation, Sitting
from sim.yamlread import Path_

ExprCheck = Callable[[Path_, "str | float | None"], None]


class EffectsCheck(Protocol):
    def __call__(self, path: Path_, fx: Mapping[str, str | float], /) -> None: ...


def check_calendar(
    report: Reporter,
    valid: Mapping[str, Any],
    *,
    expr: ExprCheck,
    chance: ExprCheck,
    effects: EffectsCheck,
    broken: set[str],
    horizon: float,
    taken: set[str],
    failed: bool,
) -> None:
    """Check the sittings (no overlap, within the horizon), what bills' calendar keys say,
    and the laws a response requires."""
    sittings: list[tuple[int, Sitting]] = valid.get("calendar", [])
    # a calendar whose sittings all failed to validate is not reported missing again
    has_calendar = bool(sittings) or "calendar" in broken or ("calendar" in valid and failed)
    if sittings:
        for name in (IN_SESSION, BILLS_IN_SESSION):
            if name in taken:
                report.add(
                    ("calendar",),
                    f"with a calendar, '{name}' is a name in expressions; rename the id '{name}'",
                    key=True,
                )
    ordered = sorted(sittings, key=lambda item: (item[1].opens, item[0]))
    for (_, a), (j, b) in pairwise(ordered):
        if b.opens < a.closes:
            report.add(
                ("calendar", j, "opens"),
                f"sitting '{b.id}' opens at {b.opens:g}, before sitting '{a.id}' closes "
                f"({a.closes:g}): sittings may not overlap",
            )
    for i, s in sittings:
        p: Path_ = ("calendar", i)
        if s.opens >= horizon:
            report.add(
                (*p, "opens"),
                f"sitting '{s.id}' opens at {s.opens:g}, at or after the horizon "
                f"({horizon:g}): it never sits",
                severity="warning",
            )
        if s.dissolution is not None:
            expr((*p, "dissolution", "if"), s.dissolution.only_if)
            chance((*p, "dissolution", "chance"), s.dissolution.chance)

    for i, r in valid.get("responses", []):
        p = ("responses", i)
        if isinstance(r.requires, list):
            seen: set[str] = set()
            for j, law in enumerate(r.requires):
                if law in seen:
                    report.add((*p, "requires", j), f"'{law}' is named twice in 'requires'")
                seen.add(law)
        if not isinstance(r, Legislation):
            continue
        chance((*p, "carry_over"), r.carry_over)
        sits = False
        for j, stage in enumerate(r.stages):
            sp: Path_ = (*p, "stages", j)
            expr((*sp, "duration_factor"), stage.duration_factor)
            effects((*sp, "start_effects"), stage.start_effects)
            if stage.during is not None:
                effects((*sp, "during", "effects"), stage.during.effects)
            if stage.sitting:
                sits = True
                if not has_calendar:
                    report.add(
                        (*sp, "sitting"),
                        f"stage '{stage.id}' sits only while parliament does, but the "
                        "scenario has no 'calendar': add the sittings (see 'calendar' in "
                        "the format reference)",
                        key=True,
                    )
        if r.carry_over != 0.0 and not sits:
            report.add(
                (*p, "carry_over"),
                f"bill '{r.id}' has no 'sitting' stage, so it is never before parliament "
                "when a sitting ends: 'carry_over' has no effect",
                severity="warning",
            )
