"""The static lint rules (TT1xx), read from the flow graph (sim.flow) and sim.authoring.reach."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from rich.cells import cell_len

from sim.authoring.reach import Reach, _may_be_positive, analyse, min_duration
from sim.authoring.rules import CONSOLE_WIDTHS, RULES
from sim.flow import Flow, scenario_flow
from sim.schema import Countermeasure, Legislation, Notification, Scenario
from sim.yamlread import Path_

if TYPE_CHECKING:
    from sim.authoring.lint import Finding, Located


class Context:
    def __init__(self, scenario: Scenario, path: str, where: Located) -> None:
        self.s = scenario
        self.path = path
        self.where = where
        self.flow: Flow = scenario_flow(scenario)
        self.reach: Reach = analyse(scenario)
        self.found: list[Finding] = []
        self._earliest: dict[str, float] | None = None

    @property
    def earliest(self) -> dict[str, float]:
        """The earliest time each inject may be delivered and each decision posed."""
        if self._earliest is None:
            self._earliest = _earliest(self)
        return self._earliest

    def add(self, code: str, at: Path_, message: str, *, key: bool = False) -> None:
        from sim.authoring.lint import Finding

        line, col = self.where.at(at, key=key)
        self.found.append(Finding(self.path, line, col, code, message, RULES[code].level))

    def index(self, section: str, id_: str) -> int:
        items = getattr(self.s, section)
        return next(i for i, item in enumerate(items) if item.id == id_)


def run_rules(scenario: Scenario, path: str, where: Located) -> list[Finding]:
    """Run every static rule on a valid scenario."""
    ctx = Context(scenario, path, where)
    for rule in (
        _never_fires,
        _options_change_nothing,
        _options_never_taken,
        _variables,
        _actors,
        _deadlines,
        _objectives,
        _spoilers,
        _laws,
        _labels,
        _threats,
        _invented,
        _effects_read_as_one,
    ):
        rule(ctx)
    return ctx.found


def _never_fires(ctx: Context) -> None:
    reach, horizon = ctx.reach, ctx.s.scenario.horizon
    decisions = {d.id for d in ctx.s.decisions}  # once: once per inject was n² on a long chain
    for i, inj in enumerate(ctx.s.injects):
        if inj.at is not None and inj.at >= horizon:
            continue  # (the loader already warns of 'at' after the horizon)
        p: Path_ = ("injects", i)
        if inj.id in reach.fired:
            if inj.after is not None and ctx.earliest.get(inj.id, 0.0) >= horizon:
                first = ctx.earliest.get(inj.after, 0.0)
                how = "posed" if inj.after in decisions else "delivered"
                ctx.add(
                    "TT101",
                    (*p, "delay") if inj.delay is not None else (*p, "after"),
                    f"inject '{inj.id}' never fires: '{inj.after}' is {how} at {first:g} at the "
                    f"earliest, so this inject falls due at {ctx.earliest[inj.id]:g} or later, "
                    f"at or after the horizon ({horizon:g}); shorten its 'delay' or lengthen "
                    "the horizon",
                )
        elif inj.after is not None and inj.after not in reach.fired:
            what = "decision is never posed" if inj.after in decisions else "inject never fires"
            ctx.add("TT101", (*p, "after"), f"inject '{inj.id}' never fires: its 'after' {what}")
        elif inj.when is not None and True not in reach.outcomes(inj.when):
            ctx.add(
                "TT101",
                (*p, "when"),
                f"inject '{inj.id}' never fires: its 'when' condition can never be true",
            )
        elif inj.only_if is not None and True not in reach.outcomes(inj.only_if):
            ctx.add(
                "TT101",
                (*p, "if"),
                f"inject '{inj.id}' is always skipped: its 'if' condition can never be true",
            )


def _options_change_nothing(ctx: Context) -> None:
    for i, d in enumerate(ctx.s.decisions):
        read = any(
            e.kind in ("conditions", "reads") for e in ctx.flow.out(f"decision:{d.id}")
        ) or any(ctx.flow.out(f"decision:{d.id}", "after"))  # decision -> what follows it
        if read:
            continue  # something follows the decision or reads which option was taken
        # by position: 'o in idle' compared options field by field, n² for n options
        idle = {j for j, o in enumerate(d.options) if not o.effects and not o.responses}
        for j, o in enumerate(d.options):
            if j in idle and (o.id != d.default or len(idle) == len(d.options)):
                ctx.add(
                    "TT102",
                    ("decisions", i, "options", j, "id"),
                    f"option '{o.id}' changes nothing: no effects, no responses, and no "
                    f"condition reads '{d.id}'",
                )


def _options_never_taken(ctx: Context) -> None:
    """(v2) An option whose 'if' can never hold is never offered; one whose consent chance is
    never above 0 is always refused, and the default applies instead."""
    reach = ctx.reach
    for i, d in enumerate(ctx.s.decisions):
        for j, o in enumerate(d.options):
            p: Path_ = ("decisions", i, "options", j)
            if o.only_if is not None and True not in reach.outcomes(o.only_if):
                ctx.add(
                    "TT116",
                    (*p, "if"),
                    f"option '{o.id}' is never offered: its 'if' condition can never be true; "
                    "correct the condition, or remove the option",
                )
            elif o.consent is not None and not _may_be_positive(reach, o.consent.chance):
                ctx.add(
                    "TT116",
                    (*p, "consent", "chance"),
                    f"option '{o.id}' never takes effect: '{o.consent.actor}' never consents "
                    f"(its chance is never above 0), so the default '{d.default}' applies "
                    "instead; correct the chance, or remove the option",
                )


def _variables(ctx: Context) -> None:
    for name in ctx.s.variables:
        key = f"variable:{name}"
        at: Path_ = ("variables", name)
        if not [e for e in ctx.flow.out(key) if e.target != key]:  # drift reads itself
            ctx.add(
                "TT103",
                at,
                f"variable '{name}' is never read by a condition, effect or objective "
                "(it only shows on the dashboard)",
                key=True,
            )
        if not ctx.flow.into(key, "effects"):
            ctx.add(
                "TT104",
                at,
                f"variable '{name}' is never changed: no effect writes it",
                key=True,
            )


def _actors_used(s: Scenario) -> set[str]:
    used: set[str] = set()
    for inj in s.injects:
        used |= {inj.sender, *inj.to}
    used |= {t.actor for t in s.threats}
    used |= {d.owner for d in s.decisions}
    for r in s.responses:
        if isinstance(r, Notification):
            used |= {r.sender, *r.to}
        elif isinstance(r, Countermeasure):
            used.add(r.actor)
        else:
            used.add(r.sponsor)
            used |= {st.actor for st in r.stages if st.actor is not None}
    return used


def _actors(ctx: Context) -> None:
    used = _actors_used(ctx.s)
    for i, a in enumerate(ctx.s.actors):
        if a.id not in used:
            ctx.add(
                "TT105",
                ("actors", i, "id"),
                f"actor '{a.id}' is never used: nothing is sent by, to or done by it",
            )


def _earliest(ctx: Context) -> dict[str, float]:
    """The earliest time each inject may be delivered and each decision posed (lower bound).

    Each inject's time is worked out once, after the time of what it follows ('after'), so a
    chain of thousands written in any order costs one step per link (passes over the file until
    nothing changed cost one pass per link of a chain written last link first)."""
    s = ctx.s
    injects = {inj.id: inj for inj in s.injects}
    posers: dict[str, list[str]] = {}
    for inj in s.injects:
        if inj.decision is not None:
            posers.setdefault(inj.decision, []).append(inj.id)
    out: dict[str, float] = {}

    def follows(id_: str) -> list[str]:
        """What an inject's or a decision's time is worked out from."""
        inj = injects.get(id_)
        if inj is None:
            return posers.get(id_, [])
        if inj.contingency or inj.when is not None or inj.at is not None or inj.after is None:
            return []
        return [inj.after]

    def time(id_: str) -> float:
        inj = injects.get(id_)
        if inj is None:
            return min((out.get(p, 0.0) for p in posers.get(id_, [])), default=0.0)
        if inj.contingency or inj.when is not None:
            return 0.0
        if inj.at is not None:
            return inj.at
        if inj.after is not None:
            return out.get(inj.after, 0.0) + min_duration(inj.delay)
        return 0.0

    busy: set[str] = set()  # on the stack: a loop (refused by validate) counts as time 0
    for first in [*injects, *posers]:
        stack = [first]
        while stack:
            id_ = stack[-1]
            if id_ in out:
                stack.pop()
                continue
            busy.add(id_)
            todo = [f for f in follows(id_) if f not in out and f not in busy]
            if todo:
                stack.extend(todo)
                continue
            out[id_] = time(id_)
            busy.discard(id_)
            stack.pop()
    return out


def _deadlines(ctx: Context) -> None:
    horizon = ctx.s.scenario.horizon
    earliest = ctx.earliest
    for i, d in enumerate(ctx.s.decisions):
        posed = earliest.get(d.id, 0.0)
        if posed + d.deadline > horizon:
            ctx.add(
                "TT106",
                ("decisions", i, "deadline"),
                f"decision '{d.id}' is posed at {posed:g} at the earliest, so its deadline "
                f"({posed:g} + {d.deadline:g}) falls after the horizon ({horizon:g}): "
                f"the default '{d.default}' never takes effect",
            )


def _objectives(ctx: Context) -> None:
    reach = ctx.reach
    for i, obj in enumerate(ctx.s.objectives):
        p: Path_ = ("objectives", i)
        if obj.rated_by == "evaluator":
            continue  # no condition: an evaluator rates it by hand
        outcomes = reach.outcomes(obj.met)
        if True not in outcomes:
            ctx.add(
                "TT107",
                (*p, "met"),
                f"objective '{obj.id}' can never be met: its condition is never true",
            )
        elif False not in outcomes:
            ctx.add(
                "TT108",
                (*p, "met"),
                f"objective '{obj.id}' can never fail: its condition is always true",
            )
        elif obj.by is not None and True in reach.outcomes_at_start(obj.met):
            ctx.add(
                "TT109",
                (*p, "met"),
                f"objective '{obj.id}' is already met at time 0, before anything happens, so "
                f"'by: {obj.by:g}' rates it met at once; name the event it waits for (e.g. "
                "a threat == 'stopped') or use 'throughout: true'",
            )


def _spoilers(ctx: Context) -> None:
    """Players see an undelivered inject only through its ``players_title``. On a conditional
    inject, a players' title that shares words with what the condition waits for (the names it
    reads, their titles and options, the statuses it compares with) tells the players the
    outcome in advance."""
    for i, inj in enumerate(ctx.s.injects):
        if inj.contingency or not inj.players_title or (inj.when is None and inj.only_if is None):
            continue
        shown = inj.players_title
        for cause, source in (("when", inj.when), ("if", inj.only_if)):
            if source is None:
                continue
            common = sorted(_words(shown) & _condition_words(ctx, source))
            if common:
                ctx.add(
                    "TT110",
                    ("injects", i, "players_title"),
                    f"players see '{shown}' in their MSEL before this inject fires, and it "
                    f"names what its '{cause}' condition waits for ({', '.join(common)}); "
                    "give it a neutral players_title, or drop it",
                )
                break


_STATUS_WORDS = {
    "succeeded": "pass passes passed enacted force succeed succeeds",
    "failed": "fail fails failed dies dead defeated",
    "stopped": "stop stops stopped evicted",
    "detected": "detect detected found confirmed",
    "completed": "complete completed",
}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 4}


def _condition_words(ctx: Context, source: str | float) -> set[str]:
    from sim.compiled import compiled

    expr = compiled(ctx.s).expr(source)
    text = [str(source).replace("_", " ")]
    for literal in re.findall(r"'([^']*)'|\"([^\"]*)\"", str(source)):
        text.extend(_STATUS_WORDS.get(w, "") for w in literal)
    for name in expr.names:
        node = ctx.flow.nodes.get(ctx.flow.ids.get(name, ""))
        if node is not None:
            text.append(node.label)
        var = ctx.s.variables.get(name)
        if var is not None:
            text.append(var.label or "")
    return _words(" ".join(text))


def _laws(ctx: Context) -> None:
    reach = ctx.reach
    laws = {r.id: r for r in ctx.s.responses if isinstance(r, Legislation)}
    for i, r in enumerate(ctx.s.responses):
        for j, name in enumerate(r.laws()):
            law = laws.get(name)
            if name in reach.enacted or law is None:
                continue
            why = (
                "nothing can start the bill"
                if law.id not in reach.started
                else "one of its stages can never pass"
            )
            at: Path_ = ("responses", i, "requires")
            ctx.add(
                "TT111",
                at if isinstance(r.requires, str) else (*at, j),
                f"response '{r.id}' requires '{law.id}', which can never be enacted: {why}",
            )


def _labels(ctx: Context) -> None:
    def check(what: str, text: str, at: Path_) -> None:
        limit = CONSOLE_WIDTHS[what]
        width = cell_len(text)
        if width > limit:
            ctx.add(
                "TT112",
                at,
                f"{what} is {width} cells wide; the console shows {limit} ('{_cut(text, limit)}…')",
            )

    for i, inj in enumerate(ctx.s.injects):
        if inj.title is not None:
            check("inject title", inj.title, ("injects", i, "title"))
    for name, var in ctx.s.variables.items():
        check("variable label", var.label or name, ("variables", name, "label"))
        check("variable unit", var.unit, ("variables", name, "unit"))
    for i, a in enumerate(ctx.s.actors):
        check("actor name", a.name, ("actors", i, "name"))
    for i, d in enumerate(ctx.s.decisions):
        for j, o in enumerate(d.options):
            check("option label", o.label, ("decisions", i, "options", j, "label"))


def _cut(text: str, cells: int) -> str:
    out = ""
    for ch in text:
        if cell_len(out + ch) > cells - 1:
            break
        out += ch
    return out


def _threats(ctx: Context) -> None:
    for i, t in enumerate(ctx.s.threats):
        counters = [
            e.source
            for e in ctx.flow.into(f"threat:{t.id}", "stops", "slows", "mitigates")
            if e.source.split(":", 1)[1] in ctx.reach.started
        ]
        if not counters and t.abort_if is None:
            ctx.add(
                "TT113",
                ("threats", i, "id"),
                f"nothing can stop or slow threat '{t.id}': no countermeasure that can start "
                "names it in 'stops' or 'slows'",
            )


def _invented(ctx: Context) -> None:
    if ctx.s.scenario.assumptions:
        return
    for i, inj in enumerate(ctx.s.injects):
        if inj.invented and inj.effects and not inj.notes.strip():
            ctx.add(
                "TT114",
                ("injects", i, "invented"),
                f"inject '{inj.id}' is invented and changes numbers, but neither its notes nor "
                "scenario.assumptions say why those numbers are plausible",
            )


# --- TT115: '- a - b' is read as one expression ----------------------------------------------

_CHAINS: dict[str, tuple[type[ast.operator], type[ast.operator]]] = {
    "-": (ast.Add, ast.Sub),
    "/": (ast.Mult, ast.Div),
}
"""After '-' a sum, after '/' a product, is one amount: its later terms change sign."""


def _effects_of(obj: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every effect in a scenario, wherever the format allows one (any '...effects' field)."""
    if isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            key = info.alias or name
            if name.endswith("effects") and isinstance(value, dict):
                for var, source in value.items():
                    if isinstance(source, str):
                        yield (*path, key, var), source
            elif value is not None and not isinstance(value, str | int | float):
                yield from _effects_of(value, (*path, key))
    elif isinstance(obj, list | tuple):
        for i, item in enumerate(obj):
            yield from _effects_of(item, (*path, i))
    elif isinstance(obj, dict):
        for k, item in obj.items():
            yield from _effects_of(item, (*path, k))


def _terms(
    node: ast.expr, ops: tuple[type[ast.operator], type[ast.operator]], text: str
) -> list[tuple[type[ast.operator] | None, ast.expr]]:
    """A left-to-right chain of the two operators, each operand with the operator before it
    (a - b + c: (None, a), (Sub, b), (Add, c)); a bracketed left part stays one operand."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ops):
        left = node.left
        if text[: left.col_offset].rstrip().endswith("("):  # '(a - b) - c': (a - b) is one
            return [(None, left), (type(node.op), node.right)]
        return [*_terms(left, ops, text), (type(node.op), node.right)]
    return [(None, node)]


def _needs_brackets(term: ast.expr, op: str) -> bool:
    """Whether a term written alone in the chain after op needs its brackets back."""
    if isinstance(term, ast.IfExp | ast.BoolOp | ast.Compare):
        return True
    if not isinstance(term, ast.BinOp):
        return False
    return isinstance(term.op, ast.Add | ast.Sub) or op == "/"


def _bracketed(text: str) -> bool:
    """True if the whole text is inside one pair of brackets: '(a - b)', not '(a) - (b)'."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _effects_read_as_one(ctx: Context) -> None:
    for at, source in _effects_of(ctx.s, ()):
        body = source.strip()
        if not body or body[0] not in _CHAINS:
            continue
        op, rest = body[0], body[1:].strip()
        if _bracketed(rest):
            continue
        try:
            tree = ast.parse(rest, mode="eval").body
        except SyntaxError:
            continue
        ops = _CHAINS[op]
        if not (isinstance(tree, ast.BinOp) and isinstance(tree.op, ops)):
            continue
        swap = {ops[0]: ops[1], ops[1]: ops[0]}
        symbol = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
        in_turn = ""
        for before, term in _terms(tree, ops, rest):
            text = ast.get_source_segment(rest, term) or ""
            if _needs_brackets(term, op):
                text = f"({text})"  # its brackets, which the parser leaves out
            in_turn += text if before is None else f" {symbol[swap[before]]} {text}"
        ctx.add(
            "TT115",
            at,
            f"effect '{body}' is '{op} ({rest})': the whole of '{rest}' is one amount. To "
            f"apply each term in turn, write '{op} ({in_turn})'; if one amount is meant, "
            f"write '{op} ({rest})' to say so",
        )
