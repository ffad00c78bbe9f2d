"""A tiny allow-list expression language so untrusted scenarios can state conditions safely."""

from __future__ import annotations

import ast
import itertools
import math
import numbers
import operator
import re
import sys
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Literal, NoReturn

from sim.plain import Frozen, FrozenValue, set_field
from sim.problems import TabletopError, did_you_mean

MAX_SOURCE = 500
"""Longest expression source, in characters."""
MAX_NODES = 200
"""Most AST expression nodes in one expression."""
MAX_BRACKETS = 50
"""Deepest bracket nesting, checked before parsing."""
MAX_LITERAL = 10**15
"""Largest absolute value of a number literal."""
MAX_STRING = 100
"""Longest string literal, in characters."""
MAX_EXPONENT = 64
"""Largest absolute exponent of ``**``."""
MAX_BASE = 1e6
"""Largest absolute base of ``**``."""

_LIMIT = sys.float_info.max
_WHITESPACE = "\t\n\r"
_MAY_WARN = re.compile(r"\\|[0-9.][A-Za-z_]")

Value = float | int | bool | str
Env = Mapping[str, Value]
_Fn = Callable[[Env], Any]  # values are checked statically, so closures pass Any
Kind = Literal["number", "bool", "text"]


class ExprError(TabletopError):
    """A problem in an expression, with the 0-based offset in its source when known."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# NameSpec, Expression and Effect are frozen plain classes, not dataclasses: `tabletop
# validate` declares them at every start (sim/plain.py). Expressions and effects compare
# by identity (eq=False), as before.


class NameSpec(FrozenValue):
    """What a name in an expression stands for."""

    _fields = ("kind", "values")
    kind: Literal["number", "status", "clock"]
    values: frozenset[str]
    """Allowed strings for a status name."""

    def __init__(
        self, kind: Literal["number", "status", "clock"], values: frozenset[str] = frozenset()
    ) -> None:
        set_field(self, "kind", kind)
        set_field(self, "values", values)


class Expression(Frozen):
    """A compiled, validated expression; evaluate it against a mapping of name to value."""

    source: str
    names: frozenset[str]
    """Names the expression reads, for dependency tracking."""
    kind: Kind
    """Static type of the result: a number, true/false, or text (a status value)."""
    _fn: _Fn
    draws: bool
    """(v2) Whether it draws a random amount (an effect's uniform(), ...): evaluate it with a
    stream (sim.draws.with_stream)."""
    format2: tuple[tuple[str, int], ...]
    """(v2) The format 2 parts it uses (draws, min/max/clamp, 'now'), each with its offset,
    so a file that says 'format: 1' can be told where (sim/checks.py)."""
    _plan: _Plan | None
    """The checked tree and each node's closure, from which ``truth``, ``number`` and
    ``probability`` are turned into plain functions on first use (sim/fastexpr.py)."""

    # ``truth``, ``number`` and ``probability`` evaluate by the reference forms (``slow_*``)
    # the first time; the second call of each replaces it, on this expression, by a plain
    # function built from the checked tree (sim/fastexpr.py) that gives the same value, and
    # falls back to the reference form, which raises the same ExprError, whenever anything is
    # out of the ordinary. (An expression evaluated once, as the checks do, is not built.)

    def __init__(
        self,
        source: str,
        names: frozenset[str],
        *,
        kind: Kind = "number",
        _fn: _Fn,
        draws: bool = False,
        format2: tuple[tuple[str, int], ...] = (),
        _plan: _Plan | None = None,
    ) -> None:
        set_field(self, "source", source)
        set_field(self, "names", names)
        set_field(self, "kind", kind)
        set_field(self, "_fn", _fn)
        set_field(self, "draws", draws)
        set_field(self, "format2", format2)
        set_field(self, "_plan", _plan)

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__qualname__}(source={self.source!r}, names={self.names!r}, "
            f"kind={self.kind!r}, draws={self.draws!r})"
        )

    def evaluate(self, env: Env) -> Value:
        """The value of the expression; runtime problems raise ExprError."""
        try:
            result: Value = self._fn(env)
        except ZeroDivisionError:
            raise ExprError("division by zero") from None
        except (OverflowError, MemoryError):
            raise ExprError("a number became too large") from None
        except RecursionError:
            raise ExprError("expression is nested too deeply to evaluate") from None
        except (TypeError, ValueError) as exc:
            raise ExprError(f"a value has the wrong type ({exc})") from None
        return result

    def truth(self, env: Env) -> bool:
        """The value as true or false."""
        return self._fast("truth")(env)  # type: ignore[no-any-return]

    def number(self, env: Env) -> float:
        """The value as a number (true/false count as 1/0)."""
        return self._fast("number")(env)  # type: ignore[no-any-return]

    def probability(self, env: Env) -> float:
        """The value as a number clamped into [0, 1]."""
        return self._fast("probability")(env)  # type: ignore[no-any-return]

    def _fast(self, form: str) -> Callable[[Env], Any]:
        if _first_use(self, form):
            slow: Callable[[Env], Any] = getattr(self, f"slow_{form}")
            return slow
        from sim.fastexpr import expression_form

        fn = expression_form(self, form)
        object.__setattr__(self, form, fn)  # this expression's own, found before the method
        return fn

    def slow_truth(self, env: Env) -> bool:
        """``truth`` by walking the closures (the reference form)."""
        return bool(self.evaluate(env))

    def slow_number(self, env: Env) -> float:
        """``number`` by walking the closures (the reference form)."""
        value = self.evaluate(env)
        if isinstance(value, str):
            raise ExprError(f"expected a number, but the expression gives text ({value!r})")
        return float(value)

    def slow_probability(self, env: Env) -> float:
        """``probability`` by walking the closures (the reference form)."""
        return min(1.0, max(0.0, self.slow_number(env)))


def _first_use(owner: object, form: str) -> bool:
    """True the first time ``owner``'s ``form`` is used (then noted)."""
    key = f"_used_{form}"
    if key in owner.__dict__:
        return False
    object.__setattr__(owner, key, True)
    return True


class _Plan(Frozen):
    """What an expression's plain functions are built from: its checked tree, the closure
    and kind of each node, the values listed after each ``in``, and the names' kinds."""

    __slots__ = ("groups", "names", "nodes", "tree")
    tree: ast.expr
    nodes: Mapping[ast.AST, tuple[_Fn, Kind]]
    groups: Mapping[ast.AST, frozenset[Value]]
    names: Mapping[str, NameSpec]

    def __init__(
        self,
        tree: ast.expr,
        nodes: Mapping[ast.AST, tuple[_Fn, Kind]],
        groups: Mapping[ast.AST, frozenset[Value]],
        names: Mapping[str, NameSpec],
    ) -> None:
        set_field(self, "tree", tree)
        set_field(self, "nodes", nodes)
        set_field(self, "groups", groups)
        set_field(self, "names", names)


EffectOp = Literal["=", "+", "-", "*", "/"]


class Effect(Frozen):
    """A change to one variable: set, add, subtract, multiply or divide by an expression's value."""

    op: EffectOp
    expression: Expression
    """Its error offsets are relative to ``source``, the whole effect."""
    source: str
    _offset: int

    def __init__(
        self, op: EffectOp, expression: Expression, source: str, *, _offset: int = 0
    ) -> None:
        set_field(self, "op", op)
        set_field(self, "expression", expression)
        set_field(self, "source", source)
        set_field(self, "_offset", _offset)

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__qualname__}(op={self.op!r}, expression={self.expression!r}, "
            f"source={self.source!r})"
        )

    def apply(self, old: float, env: Env) -> float:
        """The variable's new value given its old one."""
        if _first_use(self, "apply"):
            return self.slow_apply(old, env)
        from sim.fastexpr import effect_form

        fn = effect_form(self)
        object.__setattr__(self, "apply", fn)  # as Expression.truth: built on first use
        return fn(old, env)

    def slow_apply(self, old: float, env: Env) -> float:
        """``apply`` by walking the closures (the reference form)."""
        value = self.expression.slow_number(env)
        op = self.op
        if op == "=":
            result = value
        elif op == "+":
            result = float(old) + value
        elif op == "-":
            result = float(old) - value
        elif op == "*":
            result = float(old) * value
        else:
            if value == 0:
                raise ExprError(f"division by zero in effect '{self.source.strip()}'", self._offset)
            result = float(old) / value
        if not math.isfinite(result):
            raise ExprError(
                f"effect '{self.source.strip()}' makes the value too large", self._offset
            )
        return result


# --- public entry points -------------------------------------------------------------------


def compile_expr(source: str | int | float | bool, names: Mapping[str, NameSpec]) -> Expression:
    """Validate and compile an expression over the declared names; raises ExprError."""
    return _compile(source, names, 0)


def compile_effect(source: str | int | float, names: Mapping[str, NameSpec]) -> Effect:
    """Compile an effect such as ``'+ 0.1'`` or ``'= x * 0.5'``; a number means "set to"."""
    if isinstance(source, bool) or not isinstance(source, str | int | float):
        raise ExprError(
            f"an effect is a number or text like '+ 0.1' or '= 0', not {_describe_type(source)}",
            0,
        )
    if not isinstance(source, str):
        return Effect("=", _compile(source, names, 0), repr(source))
    body = source.lstrip(" " + _WHITESPACE)
    start = len(source) - len(body)
    if not body or body[0] not in "+-*/=":
        raise ExprError("an effect starts with +, -, *, / or = (for example '+ 0.1' or '= 0')", 0)
    op: EffectOp
    if body[0] == "+":
        op = "+"
    elif body[0] == "-":
        op = "-"
    elif body[0] == "*":
        op = "*"
    elif body[0] == "/":
        op = "/"
    else:
        op = "="
    if not body[1:].strip(" " + _WHITESPACE):
        raise ExprError(
            f"an effect needs a value after '{op}', for example '{op} 0.1'", len(source)
        )
    expression = _compile(source[start + 1 :], names, start + 1, draws=True)
    if expression.kind == "text":
        raise ExprError("an effect needs a number, but this expression gives text", start + 1)
    return Effect(op, expression, source, _offset=start)


# --- compiling -------------------------------------------------------------------------------


def _describe_type(value: object) -> str:
    return "true/false" if isinstance(value, bool) else type(value).__name__


def _constant(value: object) -> _Fn:
    return lambda env: value


def _check_number_literal(value: int | float, offset: int | None) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ExprError("number is too large", offset)
    if abs(value) > MAX_LITERAL:
        raise ExprError(f"number {value!r} is too large (at most 10**15)", offset)


def _compile(
    source: str | int | float | bool,
    names: Mapping[str, NameSpec],
    base: int,
    *,
    draws: bool = False,
) -> Expression:
    if isinstance(source, bool):
        return Expression(repr(source), frozenset(), kind="bool", _fn=_constant(source))
    if isinstance(source, int | float):
        _check_number_literal(source, base)
        return Expression(repr(source), frozenset(), kind="number", _fn=_constant(source))
    if not isinstance(source, str):
        raise ExprError(
            f"expected an expression (text or a number), not {_describe_type(source)}", base
        )
    if len(source) > MAX_SOURCE:
        raise ExprError(
            f"expression is too long ({len(source)} characters, at most {MAX_SOURCE})", base
        )
    if not source.isprintable():
        for i, ch in enumerate(source):
            if ch == "\0":
                raise ExprError("null bytes are not allowed", base + i)
            if not ch.isprintable() and ch not in _WHITESPACE:
                raise ExprError(f"character U+{ord(ch):04X} is not allowed", base + i)
    if source.count("(") + source.count("[") + source.count("{") > MAX_BRACKETS:
        depth = 0
        for i, ch in enumerate(source):
            if ch in "([{":
                depth += 1
                if depth > MAX_BRACKETS:
                    raise ExprError(
                        f"brackets are nested too deeply (at most {MAX_BRACKETS})", base + i
                    )
            elif ch in ")]}":
                depth = max(0, depth - 1)
    # Tabs and line breaks become spaces: one line, same offsets, multi-line YAML still works.
    flat = source.translate({ord(c): " " for c in _WHITESPACE})
    text = flat.lstrip(" ")
    lead = base + len(flat) - len(text)
    if not text.strip():
        raise ExprError("empty expression", base)
    tree = _parse(text, lead)
    compiler = _Compiler(text, lead, names, base)
    compiler.may_draw = draws
    try:
        fn, kind = compiler.node(tree.body)
    except RecursionError:
        raise ExprError("expression is nested too deeply", base) from None
    compiler.need_truth(tree.body, kind)
    return Expression(
        source,
        frozenset(compiler.used),
        kind=kind,
        _fn=fn,
        draws=compiler.drew,
        format2=tuple(compiler.format2),
        _plan=_Plan(tree.body, compiler.nodes, compiler.groups, names),
    )


def _parse(text: str, lead: int) -> ast.Expression:
    try:
        if _MAY_WARN.search(text) is None:
            return ast.parse(text, mode="eval")
        # Odd escapes and literals like "1if" make the parser warn; the user sees ExprErrors only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text, mode="eval")
    except SyntaxError as exc:
        slip = _slip(text)
        if slip is not None:
            raise ExprError(slip[0], lead + slip[1]) from None
        message = (exc.msg or "invalid syntax").rstrip(".")
        if message == "invalid syntax" or message.startswith("invalid syntax. Maybe"):
            message = (
                "invalid syntax: a value, bracket, quote or operator is missing or out of place"
            )
        column = len(text) if not exc.offset or exc.offset < 1 else exc.offset - 1
        raise ExprError(message, lead + min(column, len(text))) from None
    except (RecursionError, MemoryError):
        raise ExprError("expression is nested too deeply", lead) from None
    except (ValueError, OverflowError) as exc:
        raise ExprError(f"cannot read expression ({exc})", lead) from None


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_SLIPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"=>"), "'=>' is not an operator: write '>='"),
    (re.compile(r"=<"), "'=<' is not an operator: write '<='"),
    (re.compile(r"<>"), "'<>' is not an operator: write '!='"),
    (re.compile(r"&&"), "'&&' is not an operator: write 'and'"),
    (re.compile(r"\|\|"), "'||' is not an operator: write 'or'"),
    (re.compile(r"(?<![=<>!])=(?!=)"), "'=' does not compare: write '=='"),
)
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*%(?!\s*[\w(.])")


def _slip(text: str) -> tuple[str, int] | None:
    """A slip a trainer makes in a condition, named with its fix, and where it is: the
    parser only says "invalid syntax" (quoted text is not looked at)."""
    bare = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    percent = _PERCENT.search(bare)
    if percent is not None:
        share = float(percent.group(1)) / 100
        return f"'{percent.group(0)}' is not a number here: write {share:g}", percent.start()
    for pattern, message in _SLIPS:
        found = pattern.search(bare)
        if found is not None:
            return message, found.start()
    return None


_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Call: "function calls are not allowed",
    ast.Attribute: "attribute access ('.') is not allowed",
    ast.Subscript: "indexing and slicing ('[...]') are not allowed",
    ast.Slice: "indexing and slicing ('[...]') are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.Starred: "starred expressions ('*x') are not allowed",
    ast.NamedExpr: "assignment (':=') is not allowed",
    ast.Dict: "dictionaries ('{...}') are not allowed",
    ast.Set: "sets ('{...}') are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
}

_OP_SYMBOLS: dict[type[ast.AST], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}

_ARITHMETIC: dict[type[ast.AST], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
}

_COMPARE: dict[type[ast.AST], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def _in(value: Any, group: Any) -> bool:
    return value in group


def _not_in(value: Any, group: Any) -> bool:
    return value not in group


class _Compiler:
    """Type-checks a parsed expression and turns it into nested closures."""

    def __init__(self, text: str, lead: int, names: Mapping[str, NameSpec], base: int) -> None:
        self.lead = lead
        self.base = base
        self.text = text
        self.count = 0
        self.names = names
        self.used: set[str] = set()
        self.may_draw = False
        """(v2) Whether draws such as uniform(1, 3) are allowed (in effects only)."""
        self.drew = False
        self.format2: list[tuple[str, int]] = []
        """(v2) Format 2 parts met so far: 'uniform()', 'min()', 'now', ... and their offsets."""
        self.nodes: dict[ast.AST, tuple[_Fn, Kind]] = {}
        """Each node's closure and kind (for sim/fastexpr.py)."""
        self.groups: dict[ast.AST, frozenset[Value]] = {}
        """The values listed after each 'in' (for sim/fastexpr.py)."""
        self.chars: list[int] | None = None
        if not text.isascii():
            # ast offsets count UTF-8 bytes; map them back to characters.
            self.chars = []
            for i, ch in enumerate(text):
                self.chars.extend([i] * len(ch.encode("utf-8")))
            self.chars.append(len(text))

    def offset(self, node: ast.AST) -> int:
        column: int = getattr(node, "col_offset", 0)
        if self.chars is not None:
            column = self.chars[min(column, len(self.chars) - 1)]
        return self.lead + column

    def written(self, node: ast.Name) -> str:
        """A name exactly as the source writes it (Python normalises it to NFKC)."""
        if self.chars is None:
            return node.id
        start = self.offset(node) - self.lead
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            return node.id
        end = self.chars[min(end_col, len(self.chars) - 1)]
        return self.text[start:end]

    def fail(self, message: str, node: ast.AST) -> NoReturn:
        raise ExprError(message, self.offset(node))

    # --- type rules ---

    def need_truth(self, node: ast.expr, kind: Kind) -> None:
        """Text may be used as true/false only when it is a status name ("" is false)."""
        if kind == "text" and not isinstance(node, ast.Name):
            self.fail(
                "text can only be compared with a status name using ==, !=, in or not in", node
            )

    def need_number(self, node: ast.expr, kind: Kind, what: str) -> None:
        if kind != "text":
            return
        if isinstance(node, ast.Name):
            self.fail(f"{what} on '{node.id}' is not allowed: it is a status, not a number", node)
        self.fail(f"{what} on text is not allowed", node)

    def check_status_value(self, name: ast.expr, literal: ast.expr, value: object) -> None:
        if not isinstance(name, ast.Name) or not isinstance(value, str):
            return
        spec = self.names.get(name.id)
        if spec is None or spec.kind != "status" or value in spec.values:
            return
        hint = did_you_mean(value, spec.values)
        if not hint and spec.values:
            listed = ", ".join(repr(v) for v in sorted(spec.values))
            hint = f"; possible values: {listed}"
        self.fail(f"{value!r} is not a possible value of {name.id}{hint}", literal)

    # --- nodes ---

    def node(self, node: ast.expr) -> tuple[_Fn, Kind]:
        self.count += 1
        if self.count > MAX_NODES:
            raise ExprError(
                f"expression is too complicated (more than {MAX_NODES} parts)", self.base
            )
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            compiled = self.nodes[node] = handler(self, node)
            return compiled
        if isinstance(node, ast.Tuple | ast.List):
            self.fail(
                "a list of values like ('a', 'b') is only allowed after 'in' or 'not in'", node
            )
        message = _FORBIDDEN.get(type(node), f"{type(node).__name__} is not allowed")
        self.fail(message, node)

    def constant(self, node: ast.Constant) -> tuple[_Fn, Kind]:
        value = node.value
        if isinstance(value, bool):
            return _constant(value), "bool"
        if isinstance(value, int | float):
            _check_number_literal(value, self.offset(node))
            return _constant(value), "number"
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                self.fail(f"text is too long ({len(value)} characters, at most {MAX_STRING})", node)
            return _constant(value), "text"
        if isinstance(value, bytes):
            self.fail("bytes literals are not allowed", node)
        if isinstance(value, complex):
            self.fail("complex numbers are not allowed", node)
        if value is None:
            self.fail("None is not allowed", node)
        if value is Ellipsis:
            self.fail("'...' is not allowed", node)
        self.fail(f"{value!r} is not allowed", node)

    def name(self, node: ast.Name) -> tuple[_Fn, Kind]:
        key = node.id
        written = self.written(node)
        if written != key:  # Python reads look-alikes (NFKC): 'ｘ' as 'x', 'ﬁ' as 'fi'
            self.fail(
                f"'{written}' is written with look-alike characters (it would read as "
                f"'{key}'); write '{key}'",
                node,
            )
        if key in ("true", "false"):
            return _constant(key == "true"), "bool"
        spec = self.names.get(key)
        if spec is None:
            choices = itertools.chain(self.names, ("true", "false"))  # read only if hinted
            hint = did_you_mean(key, choices)
            if not hint and any(key in spec.values for spec in self.names.values()):
                hint = f" (a status or an option is text: write '{key}' in quotes)"
            self.fail(f"unknown name '{key}'{hint}", node)
        self.used.add(key)
        if spec.kind == "clock":  # (v2) 'now', the current time
            from sim.clock import clock_getter

            self.format2.append((key, self.offset(node)))
            return clock_getter(self.offset(node)), "number"
        if spec.kind == "status":
            return _status_getter(key, self.offset(node)), "text"
        return _number_getter(key, self.offset(node)), "number"

    def unary(self, node: ast.UnaryOp) -> tuple[_Fn, Kind]:
        fn, kind = self.node(node.operand)
        if isinstance(node.op, ast.Not):
            self.need_truth(node.operand, kind)
            return (lambda env: not fn(env)), "bool"
        if isinstance(node.op, ast.Invert):
            self.fail("operator '~' is not allowed", node)
        self.need_number(node.operand, kind, f"'{'-' if isinstance(node.op, ast.USub) else '+'}'")
        if isinstance(node.operand, ast.Constant):
            folded = fn({})
            return _constant(-folded if isinstance(node.op, ast.USub) else +folded), "number"
        if isinstance(node.op, ast.USub):
            return (lambda env: -fn(env)), "number"
        return (lambda env: +fn(env)), "number"

    def binary(self, node: ast.BinOp) -> tuple[_Fn, Kind]:
        op_type = type(node.op)
        symbol = _OP_SYMBOLS.get(op_type, "?")
        if op_type in (ast.BitAnd, ast.BitOr):
            word = "and" if op_type is ast.BitAnd else "or"
            self.fail(f"operator '{symbol}' is not allowed (use '{word}')", node)
        if op_type not in (*_ARITHMETIC, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow):
            self.fail(f"operator '{symbol}' is not allowed", node)
        left, left_kind = self.node(node.left)
        right, right_kind = self.node(node.right)
        self.need_number(node.left, left_kind, "arithmetic")
        self.need_number(node.right, right_kind, "arithmetic")
        offset = self.offset(node)
        if op_type is ast.Pow:
            fn = _power(left, right, offset)
        elif op_type in _ARITHMETIC:
            fn = _arithmetic(_ARITHMETIC[op_type], left, right, offset)
        else:
            fn = _division(op_type, left, right, offset)
        if _is_constant(node.left) and _is_constant(node.right):
            # Constant arithmetic ('9 ** 9 ** 9', '1 / 0') is computed now, within the same
            # bounds as at run time, so it fails validation rather than a run.
            return _constant(fn({})), "number"
        return fn, "number"

    def boolean(self, node: ast.BoolOp) -> tuple[_Fn, Kind]:
        fns: list[_Fn] = []
        for value in node.values:
            fn, kind = self.node(value)
            self.need_truth(value, kind)
            fns.append(fn)
        if isinstance(node.op, ast.And):
            return _all(fns), "bool"
        return _any(fns), "bool"

    def if_else(self, node: ast.IfExp) -> tuple[_Fn, Kind]:
        test, test_kind = self.node(node.test)
        self.need_truth(node.test, test_kind)
        body, body_kind = self.node(node.body)
        orelse, orelse_kind = self.node(node.orelse)
        for branch, kind in ((node.body, body_kind), (node.orelse, orelse_kind)):
            if kind == "text":
                self.fail("both branches of 'if ... else' must be numbers or true/false", branch)
        kind_out: Kind = "bool" if body_kind == orelse_kind == "bool" else "number"
        return (lambda env: body(env) if test(env) else orelse(env)), kind_out

    def compare(self, node: ast.Compare) -> tuple[_Fn, Kind]:
        operands = [node.left, *node.comparators]
        compiled: list[tuple[_Fn, Kind] | None] = [
            None if isinstance(n, ast.Tuple | ast.List) else self.node(n) for n in operands
        ]
        steps: list[tuple[Callable[[Any, Any], bool], _Fn]] = []
        last = len(node.ops) - 1
        for i, op in enumerate(node.ops):
            left_node, right_node = operands[i], operands[i + 1]
            symbol = _OP_SYMBOLS.get(type(op), "?")
            left_c = compiled[i]
            if left_c is None:
                self.fail(
                    "a list of values like ('a', 'b') is only allowed after 'in' or 'not in'",
                    left_node,
                )
            left_kind = left_c[1]
            if isinstance(op, ast.Is | ast.IsNot):
                self.fail(f"'{symbol}' is not allowed (use '==' or '!=')", node)
            if isinstance(op, ast.In | ast.NotIn):
                if not isinstance(right_node, ast.Tuple | ast.List):
                    self.fail(
                        f"'{symbol}' needs a list of values on the right, "
                        "for example x in ('a', 'b')",
                        right_node,
                    )
                if i != last:
                    self.fail("nothing may be compared with a list of values", right_node)
                group = self.groups[right_node] = self.group(left_node, left_kind, right_node)
                steps.append((_in if isinstance(op, ast.In) else _not_in, _constant(group)))
                continue
            right_c = compiled[i + 1]
            if right_c is None:
                self.fail(
                    "a list of values like ('a', 'b') is only allowed after 'in' or 'not in'",
                    right_node,
                )
            right_fn, right_kind = right_c
            if isinstance(op, ast.Eq | ast.NotEq):
                if (left_kind == "text") != (right_kind == "text"):
                    text_node = left_node if left_kind == "text" else right_node
                    self.fail(f"cannot compare text with a number using '{symbol}'", text_node)
                if left_kind == "text":
                    for a, b in ((left_node, right_node), (right_node, left_node)):
                        if isinstance(b, ast.Constant):
                            self.check_status_value(a, b, b.value)
            else:
                for side, kind in ((left_node, left_kind), (right_node, right_kind)):
                    if kind == "text":
                        self.fail(
                            f"'{symbol}' only compares numbers (text can use ==, !=, in or not in)",
                            side,
                        )
            steps.append((_COMPARE[type(op)], right_fn))
        first = compiled[0]
        assert first is not None
        return _chain(first[0], steps), "bool"

    def group(
        self, left: ast.expr, left_kind: Kind, node: ast.Tuple | ast.List
    ) -> frozenset[Value]:
        """The constant values listed after ``in``, checked against the left side."""
        self.count += 1
        values: set[Value] = set()
        for item in node.elts:
            plain = (
                isinstance(item, ast.Constant)
                or (isinstance(item, ast.Name) and item.id in ("true", "false"))
                or (
                    isinstance(item, ast.UnaryOp)
                    and isinstance(item.op, ast.USub | ast.UAdd)
                    and isinstance(item.operand, ast.Constant)
                )
            )
            if not plain:
                if type(item) in _FORBIDDEN:
                    self.fail(_FORBIDDEN[type(item)], item)
                self.fail(
                    "only plain values (numbers, true/false or text) can be listed after 'in'",
                    item,
                )
            fn, kind = self.node(item)
            if (kind == "text") != (left_kind == "text"):
                if left_kind == "text":
                    self.fail("cannot look for text among numbers", item)
                self.fail("cannot look for a number among text", item)
            value = fn({})
            self.check_status_value(left, item, value)
            values.add(value)
        return frozenset(values)


def _is_constant(node: ast.expr) -> bool:
    """True if the expression reads no names (its value is known before any run)."""
    return not any(
        isinstance(n, ast.Name) and n.id not in ("true", "false") for n in ast.walk(node)
    )


FUNCTIONS = ("min", "max", "clamp")
"""(format v2) The only calls: min(a, b, ...), max(a, b, ...), clamp(x, low, high)."""
DRAWS = ("uniform", "triangular", "normal")
"""(format v2) Random amounts, in effects only (sim/draws.py)."""
MAX_ARGUMENTS = 16


def _call(self: _Compiler, node: ast.Call) -> tuple[_Fn, Kind]:
    func = node.func
    if isinstance(func, ast.Name) and func.id in (*DRAWS, *FUNCTIONS):
        self.format2.append((f"{func.id}()", self.offset(node)))
    if isinstance(func, ast.Name) and func.id in DRAWS:
        from sim.draws import compile_draw

        return compile_draw(self, node)
    if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
        self.fail(_FORBIDDEN[ast.Call], node)
    if node.keywords:
        self.fail(f"{func.id}() takes numbers only, not 'name=value'", node.keywords[0].value)
    n = len(node.args)
    if func.id == "clamp" and n != 3:
        self.fail("clamp() takes three numbers: clamp(value, low, high)", node)
    if func.id != "clamp" and not 2 <= n <= MAX_ARGUMENTS:
        self.fail(f"{func.id}() takes 2 to {MAX_ARGUMENTS} numbers", node)
    fns: list[_Fn] = []
    for arg in node.args:
        fn, kind = self.node(arg)
        self.need_number(arg, kind, f"{func.id}()")
        fns.append(fn)
    if func.id == "min":
        return (lambda env: min(f(env) for f in fns)), "number"
    if func.id == "max":
        return (lambda env: max(f(env) for f in fns)), "number"
    x, low, high = fns
    if _is_constant(node.args[1]) and _is_constant(node.args[2]):
        bounds = _constant_values(low, high)
        if bounds is not None and bounds[0] > bounds[1]:
            self.fail(
                f"clamp() needs low <= high (got {bounds[0]:g}, {bounds[1]:g}): "
                "the bounds are inverted",
                node,
            )
    return (lambda env: min(max(x(env), low(env)), high(env))), "number"


def _constant_values(*fns: _Fn) -> tuple[float, ...] | None:
    """The values of expressions that read no names, or None if one fails (reported elsewhere)."""
    try:
        return tuple(float(f({})) for f in fns)
    except (ExprError, ArithmeticError, TypeError, ValueError):
        return None


_HANDLERS: dict[type[ast.AST], Callable[[_Compiler, Any], tuple[_Fn, Kind]]] = {
    ast.Call: _call,
    ast.Constant: _Compiler.constant,
    ast.Name: _Compiler.name,
    ast.UnaryOp: _Compiler.unary,
    ast.BinOp: _Compiler.binary,
    ast.BoolOp: _Compiler.boolean,
    ast.Compare: _Compiler.compare,
    ast.IfExp: _Compiler.if_else,
}


# --- runtime closures ------------------------------------------------------------------------


def _coerce_number(key: str, value: object, offset: int) -> Value:
    if isinstance(value, numbers.Integral) and not isinstance(value, str):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise ExprError(f"'{key}' should be a number but is {type(value).__name__}", offset)


def _number_getter(key: str, offset: int) -> _Fn:
    def get(env: Env) -> Value:
        try:
            value = env[key]
        except KeyError:
            raise ExprError(f"no value for '{key}'", offset) from None
        kind = type(value)
        if kind is float or kind is int or kind is bool:
            return value
        return _coerce_number(key, value, offset)

    return get


def _status_getter(key: str, offset: int) -> _Fn:
    def get(env: Env) -> Value:
        try:
            value = env[key]
        except KeyError:
            raise ExprError(f"no value for '{key}'", offset) from None
        if isinstance(value, str):
            return value
        raise ExprError(f"'{key}' should be text but is {type(value).__name__}", offset)

    return get


def _too_large(value: object, offset: int) -> NoReturn:
    if isinstance(value, float) and math.isnan(value):
        raise ExprError("result is not a number", offset)
    raise ExprError("a number became too large", offset)


def _arithmetic(op: Callable[[Any, Any], Any], left: _Fn, right: _Fn, offset: int) -> _Fn:
    def run(env: Env) -> Any:
        result = op(left(env), right(env))
        if -_LIMIT <= result <= _LIMIT:
            return result
        _too_large(result, offset)

    return run


def _division(op_type: type[ast.AST], left: _Fn, right: _Fn, offset: int) -> _Fn:
    op: Callable[[Any, Any], Any]
    if op_type is ast.Div:
        op = operator.truediv
    elif op_type is ast.FloorDiv:
        op = operator.floordiv
    else:
        op = operator.mod

    def run(env: Env) -> Any:
        a = left(env)
        b = right(env)
        if b == 0:
            raise ExprError("division by zero", offset)
        result = op(a, b)
        if -_LIMIT <= result <= _LIMIT:
            return result
        _too_large(result, offset)

    return run


def _power(left: _Fn, right: _Fn, offset: int) -> _Fn:
    def run(env: Env) -> Any:
        base = left(env)
        exponent = right(env)
        if not -MAX_EXPONENT <= exponent <= MAX_EXPONENT:
            raise ExprError(
                f"the power after '**' must be between -64 and 64, not {exponent:.6g}", offset
            )
        if not -MAX_BASE <= base <= MAX_BASE:
            raise ExprError(
                f"the number before '**' must be between -1000000 and 1000000, not {base:.6g}",
                offset,
            )
        if base == 0 and exponent < 0:
            raise ExprError("division by zero (0 raised to a negative power)", offset)
        if base < 0 and exponent % 1 != 0:
            raise ExprError("a negative number cannot be raised to a fractional power", offset)
        try:
            result = base**exponent
        except OverflowError:
            raise ExprError("a number became too large", offset) from None
        if -_LIMIT <= result <= _LIMIT:
            return result
        _too_large(result, offset)

    return run


def _all(fns: list[_Fn]) -> _Fn:
    if len(fns) == 2:
        a, b = fns
        return lambda env: True if a(env) and b(env) else False  # noqa: SIM210

    def run(env: Env) -> Any:
        return all(fn(env) for fn in fns)

    return run


def _any(fns: list[_Fn]) -> _Fn:
    if len(fns) == 2:
        a, b = fns
        return lambda env: True if a(env) or b(env) else False  # noqa: SIM210

    def run(env: Env) -> Any:
        return any(fn(env) for fn in fns)

    return run


def _chain(first: _Fn, steps: list[tuple[Callable[[Any, Any], bool], _Fn]]) -> _Fn:
    if len(steps) == 1:
        ((op, right),) = steps
        return lambda env: op(first(env), right(env))

    def run(env: Env) -> Any:
        left = first(env)
        for op, fn in steps:
            right = fn(env)
            if not op(left, right):
                return False
            left = right
        return True

    return run
