"""(v2) Amounts drawn from a distribution in effects: ``'+ uniform(1, 3)'``.

Three bounded draws, each written as a call in an effect's expression, with number bounds:
``uniform(low, high)``, ``triangular(low, mode, high)`` and ``normal(mean, sd, min, max)``
(a normal clipped to [min, max]: the bounds are required, so no draw has an unbounded tail).
Draws are allowed in effects only: a condition or a chance must give the same answer however
often it is read. Each effect that draws takes its numbers from the stream of the element
that caused it (``threat:ID:amount``, ``decision:ID:amount``...), a stream nothing else uses,
so draws never shift other dice and two playbooks face the same amounts where they do the
same things (common random numbers).
"""

from __future__ import annotations

import ast
import random
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from sim.cause import Cause
    from sim.expr import Env, Kind, _Compiler

DRAWS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd", "min", "max"),
}
"""Each draw and the numbers it takes, in order."""
STREAM = "?amount"
"""The key under which an effect's evaluation finds its random stream (not a name: no id can
collide with it)."""
NORMAL_TRIES = 64
"""Tries to draw a clipped normal inside its bounds before taking the nearest bound's side."""


def stream_name(cause: Cause) -> str:
    """The stream an effect caused by ``cause`` draws from."""
    return f"{cause.kind}:{cause.id}:amount"


def with_stream(env: Mapping[str, Any], rng: random.Random) -> Env:
    """The values an effect reads, with the stream its draws come from."""
    return cast("Env", {**env, STREAM: rng})


def compile_draw(c: _Compiler, node: ast.Call) -> tuple[Callable[[Env], Any], Kind]:
    """Check a draw's call (in an effect, number bounds in order) and compile it."""
    assert isinstance(node.func, ast.Name)
    kind = node.func.id
    params = DRAWS[kind]
    form = f"{kind}({', '.join(params)})"
    if not c.may_draw:
        c.fail(
            f"{kind}() draws a random amount: it is allowed only in effects (a condition or "
            "a chance must give the same answer each time it is read)",
            node,
        )
    if node.keywords:
        c.fail(f"{kind}() takes numbers only, in order: {form}", node.keywords[0].value)
    if len(node.args) != len(params):
        c.fail(f"{kind}() takes {len(params)} numbers: {form}", node)
    values: list[float] = []
    for arg in node.args:
        fn, arg_kind = c.node(arg)
        c.need_number(arg, arg_kind, f"{kind}()")
        if any(isinstance(n, ast.Name) for n in ast.walk(arg)):
            c.fail(
                f"the numbers of {kind}() are fixed numbers, not names; scale the draw "
                f"instead, e.g. '{kind}(1, 3) * size'",
                arg,
            )
        values.append(float(fn({})))
    problem = _check(kind, values)
    if problem:
        c.fail(f"{kind}() {problem}", node)
    c.drew = True
    a = tuple(values)

    def draw(env: Env) -> float:
        rng = cast("random.Random", env[STREAM])
        return sample(kind, a, rng)

    return draw, "number"


def _check(kind: str, p: list[float]) -> str:
    if kind == "uniform" and p[0] > p[1]:
        return f"needs low <= high (got {p[0]:g}, {p[1]:g}): the bounds are inverted"
    if kind == "triangular" and not (p[0] <= p[1] <= p[2] and p[0] < p[2]):
        return f"needs low <= mode <= high and low < high (got {p[0]:g}, {p[1]:g}, {p[2]:g})"
    if kind == "normal":
        if p[1] < 0:
            return f"needs sd >= 0 (got {p[1]:g})"
        if p[2] >= p[3]:
            return f"needs min < max (got {p[2]:g}, {p[3]:g}): the bounds are inverted"
    return ""


def sample(kind: str, p: tuple[float, ...], rng: random.Random) -> float:
    """One draw, always within its bounds."""
    if kind == "uniform":
        return rng.uniform(p[0], p[1])
    if kind == "triangular":
        return rng.triangular(p[0], p[2], p[1])
    mean, sd, low, high = p
    for _ in range(NORMAL_TRIES):
        x = rng.normalvariate(mean, sd)
        if low <= x <= high:
            return x
    return min(max(mean, low), high)
