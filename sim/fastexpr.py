"""Expressions and effects turned into plain Python functions, for the engine's speed.

An expression is checked and compiled by :mod:`sim.expr` into a tree of closures, one per
node: its reference form, which every error message comes from. Evaluating it walks that tree,
a Python call per node. The engine evaluates the same few conditions, chances and effects
thousands of times per batch, so on first use each is also turned into one plain function that
reads the state directly, as a hand-written model would have it inline.

The function is built from the *checked* tree as Python syntax nodes (never from text): names
become look-ups of their string in the state mapping, literals stay literals, and only the
operations the language allows appear; it runs with no builtins but the few it is given. It
gives the reference form's value whenever it gives one: each look-up is guarded by the value's
type, each arithmetic result by the same bounds, and anything out of the ordinary (a missing
name, a value of another type, a division by zero, a number too large) makes it fall back to
the reference form, which then raises the same ``ExprError`` (an expression reads only the
state, so evaluating it twice changes nothing). Parts that are rare or intricate (``**``,
``now``) are called as their reference closures. Effects that draw random amounts keep the
reference form: a draw must not be taken twice.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from sim.expr import ExprError, _is_constant

if TYPE_CHECKING:
    from sim.expr import Effect, Env, Expression, _Fn, _Plan

_LIMIT = sys.float_info.max
_NUMBER_TYPES = frozenset({float, int, bool})
"""Types a number name's value is used as is (others are converted or refused)."""
_TEXT_TYPES: set[type] = {str}
"""Types a status name's value is used as is: str, and the str subclasses met (the statuses'
StrEnums), learned as the reference form accepts them."""
_LITERALS = (int, float, bool, str)

_TEMPLATES = {
    "truth": """
def truth(env):
    try:
        return True if _X_ else False
    except Exception:
        pass
    return _slow(env)
""",
    "number": """
def number(env):
    try:
        return float(_X_)
    except Exception:
        pass
    return _slow(env)
""",
    # min(1.0, max(0.0, x)) as the reference form computes it (the first of equals is kept)
    "probability": """
def probability(env):
    try:
        p = float(_X_)
        p = p if p > 0.0 else 0.0
        return p if p < 1.0 else 1.0
    except Exception:
        pass
    return _slow(env)
""",
    "apply": """
def apply(old, env):
    try:
        r = _X_
        if _abs(r) <= _LIMIT:
            return r
    except Exception:
        pass
    return _slow(old, env)
""",
}


class _Unusual(Exception):
    """Raised inside a plain function to fall back to the reference form."""


def _unusual() -> Any:
    raise _Unusual


def _learn_text(get: _Fn) -> _Fn:
    """A status name's reference getter that also remembers the str subclass it accepted."""

    def read(env: Env) -> Any:
        value = get(env)
        _TEXT_TYPES.add(type(value))
        return value

    return read


def expression_form(expr: Expression, form: str) -> Callable[[Env], Any]:
    """``expr``'s ``truth``, ``number`` or ``probability`` as a plain function."""
    slow: Callable[[Env], Any] = getattr(expr, f"slow_{form}")
    plan = expr._plan
    if plan is None and not expr.names and not expr.draws:  # a number or true/false as written
        try:
            value = slow({})
        except ExprError:
            return slow  # raises the same error every time
        return lambda _env: value
    if plan is None or expr.draws or (form != "truth" and expr.kind == "text"):
        return slow
    builder = _Builder(plan)
    return builder.function(form, builder.expr(plan.tree), slow)


def effect_form(effect: Effect) -> Callable[[float, Env], float]:
    """``effect.apply`` as a plain function (the reference form where it draws)."""
    expr = effect.expression
    plan = expr._plan
    if plan is None or expr.draws:
        return effect.slow_apply
    builder = _Builder(plan)
    value = builder.expr(plan.tree)
    if isinstance(value, ast.Constant):
        value = ast.Constant(float(cast(float, value.value)))  # an effect's number
    else:
        value = ast.Call(builder.ref(float), [value], [])
    if effect.op == "=":
        body: ast.expr = value
    else:
        old = ast.Call(builder.ref(float), [ast.Name("old", ast.Load())], [])
        op = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div}[effect.op]()
        body = ast.BinOp(old, op, value)
    return builder.function("apply", body, effect.slow_apply)


class _Builder:
    """Builds one plain function's body from an expression's checked tree."""

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan
        self.namespace: dict[str, Any] = {
            "__builtins__": {},
            "Exception": Exception,
            "float": float,
            "_LIMIT": _LIMIT,
            "_abs": abs,
        }
        self.count = 0

    def ref(self, value: object) -> ast.Name:
        """A name in the function's namespace for ``value``."""
        name = f"_k{len(self.namespace)}"
        self.namespace[name] = value
        return ast.Name(name, ast.Load())

    def temp(self) -> str:
        self.count += 1
        return f"_t{self.count}"

    def function(self, form: str, body: ast.expr, slow: Callable[..., Any]) -> Callable[..., Any]:
        module = ast.parse(_TEMPLATES[form])
        placed = _Place(body).visit(module)
        ast.fix_missing_locations(placed)
        self.namespace["_slow"] = slow
        exec(compile(placed, "<expression>", "exec"), self.namespace)  # built from syntax nodes
        fn: Callable[..., Any] = self.namespace[form]
        return fn

    def call(self, node: ast.AST) -> ast.expr:
        """The node's reference closure, called on the state."""
        return ast.Call(self.ref(self.plan.nodes[node][0]), [ast.Name("env", ast.Load())], [])

    def expr(self, node: ast.expr) -> ast.expr:
        fn = self.plan.nodes[node][0]
        if _is_constant(node):
            try:
                value = fn({})
            except Exception:
                return self.call(node)
            return ast.Constant(value) if type(value) in _LITERALS else self.ref(value)
        if isinstance(node, ast.Name):
            spec = self.plan.names.get(node.id)
            if spec is None or spec.kind == "clock":
                return self.call(node)
            if spec.kind == "status":
                return self.guarded(node.id, _TEXT_TYPES, _learn_text(fn))
            return self.guarded(node.id, _NUMBER_TYPES, fn)
        if isinstance(node, ast.UnaryOp):
            return ast.UnaryOp(node.op, self.expr(node.operand))
        if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.Pow):
            # (t if abs(t := left op right) <= LIMIT else _unusual()): the reference form's
            # -LIMIT <= t <= LIMIT, in three instructions fewer (the same for every int and
            # float, NaN included; anything else raises in both, and falls back)
            t = self.temp()
            result = ast.NamedExpr(
                ast.Name(t, ast.Store()),
                ast.BinOp(self.expr(node.left), node.op, self.expr(node.right)),
            )
            bounded = ast.Compare(
                ast.Call(self.ref(abs), [result], []), [ast.LtE()], [ast.Constant(_LIMIT)]
            )
            return ast.IfExp(bounded, ast.Name(t, ast.Load()), ast.Call(self.ref(_unusual), [], []))
        if isinstance(node, ast.BoolOp):
            values = [self.expr(v) for v in node.values]
            return ast.IfExp(ast.BoolOp(node.op, values), ast.Constant(True), ast.Constant(False))
        if isinstance(node, ast.Compare):
            right = [
                self.ref(self.plan.groups[c]) if c in self.plan.groups else self.expr(c)
                for c in node.comparators
            ]
            return ast.Compare(self.expr(node.left), node.ops, right)
        if isinstance(node, ast.IfExp):
            return ast.IfExp(self.expr(node.test), self.expr(node.body), self.expr(node.orelse))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [self.expr(a) for a in node.args]
            if node.func.id == "min":
                return ast.Call(self.ref(min), args, [])
            if node.func.id == "max":
                return ast.Call(self.ref(max), args, [])
            if node.func.id == "clamp":
                x, low, high = args
                return ast.Call(self.ref(min), [ast.Call(self.ref(max), [x, low], []), high], [])
        return self.call(node)

    def guarded(self, key: str, types: object, get: _Fn) -> ast.expr:
        """(v if (v := env[key]).__class__ in types else get(env)): the value as is when its
        type is an ordinary one, else what the reference getter makes of it (or its error)."""
        v = self.temp()
        read = ast.NamedExpr(
            ast.Name(v, ast.Store()),
            ast.Subscript(ast.Name("env", ast.Load()), ast.Constant(key), ast.Load()),
        )
        test = ast.Compare(
            ast.Attribute(read, "__class__", ast.Load()), [ast.In()], [self.ref(types)]
        )
        fallback = ast.Call(self.ref(get), [ast.Name("env", ast.Load())], [])
        return ast.IfExp(test, ast.Name(v, ast.Load()), fallback)


class _Place(ast.NodeTransformer):
    """Puts the built expression where a template says ``_X_``."""

    def __init__(self, body: ast.expr) -> None:
        self.body = body

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self.body if node.id == "_X_" else node
