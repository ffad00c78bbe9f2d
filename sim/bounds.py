"""(v2) Variable bounds that refer to other variables: ``at_most: stolen``.

A variable with ``at_most`` or ``at_least`` is kept within them at each of its changes (the
engine asks :meth:`Bounds.bound` before it stores a value) and whenever a name its bounds read
changes (a watcher moves it back, with the cause ``bound:VARIABLE``). ``validate`` refuses a
bound that reads its own variable, a loop of bounds (two variables bounding each other,
directly or not), and an initial value outside a bound that can be computed at the start.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sim.numbers import stored
from sim.schema import Variable
from sim.yamlread import Path_

if TYPE_CHECKING:
    from sim.dynamics import Dynamics


class Bounds:
    """The bounds of one exercise's variables that read other names."""

    def __init__(self, dyn: Dynamics) -> None:
        self.dyn = dyn
        self.specs: dict[str, Variable] = {
            name: var
            for name, var in dyn.ex.scenario.variables.items()
            if var.at_most is not None or var.at_least is not None
        }
        for name, var in self.specs.items():
            for key, op in (("at_most", ">"), ("at_least", "<")):
                source = getattr(var, key)
                if source is not None:
                    condition = f"{name} {op} ({source})"
                    dyn._watch_also(condition, self._keep(name), name)

    def bound(self, name: str, value: float) -> float:
        """The value kept within the variable's bounds now (then within its min and max)."""
        var = self.specs[name]
        where = f"variable:{name}"
        if var.at_most is not None:
            high = self.dyn._number(var.at_most, f"{where}.at_most")
            if high is not None and value > high:
                value = stored(high)
        if var.at_least is not None:
            low = self.dyn._number(var.at_least, f"{where}.at_least")
            if low is not None and value < low:
                value = stored(low)
        return var.clamp(value)

    def _keep(self, name: str) -> Callable[[bool], None]:
        from sim.cause import Cause, CauseKind  # the engine's: not imported by `validate`

        def check(outside: bool) -> None:
            ex = self.dyn.ex
            if outside:
                ex._set(name, float(ex._state[name]), Cause(CauseKind.BOUND, name))

        return check


# --- checks ---------------------------------------------------------------------------------


def check_bounds(
    variables: Mapping[str, Variable],
    *,
    expr: Callable[[Path_, str | float | None], None],
    names: Callable[[str | float], frozenset[str] | None],
    value: Callable[[str | float, Mapping[str, Any]], float | None],
    bad: Callable[[Path_, str], None],
) -> None:
    """Each bound compiles, reads no bound of its own variable, and the initial value obeys it."""
    from sim.checks_branches import cycles, shown_loop

    order = list(variables)
    known = set(order)  # once: a set of every variable per bound was n² for n bounds
    position = {name: n for n, name in enumerate(order)}
    reads: dict[int, set[int]] = {n: set() for n in range(len(order))}
    initial = {k: v.initial for k, v in variables.items()}
    for n, (name, var) in enumerate(variables.items()):
        for key in ("at_most", "at_least"):
            source = getattr(var, key)
            if source is None:
                continue
            path: Path_ = ("variables", name, key)
            expr(path, source)
            read = names(source)
            if read is None:
                continue
            if name in read:
                bad(path, f"the bound of '{name}' reads '{name}' itself: bound it by others")
            reads[n] |= {position[r] for r in read if r in variables and r != name}
            if read <= known:
                limit = value(source, initial)
                if limit is None:
                    continue
                if (key == "at_most" and var.initial > limit) or (
                    key == "at_least" and var.initial < limit
                ):
                    side = "above" if key == "at_most" else "below"
                    shown = source if isinstance(source, str) else f"{source:g}"
                    bad(
                        ("variables", name, "initial"),
                        f"the initial value {var.initial:g} is {side} its bound '{shown}' "
                        f"({limit:g} at the start)",
                    )
    for part in cycles(reads):
        if len(part) == 1:
            continue  # reading itself: reported above
        members = shown_loop([order[n] for n in part])
        first = variables[order[part[0]]]
        key = "at_most" if first.at_most is not None else "at_least"
        bad(
            ("variables", order[part[0]], key),
            f"the bounds of {members} refer to each other in a loop: bound one by the others only",
        )
