"""The flow of a scenario as one graph: what starts, poses, requires, changes and reads what.

Nodes are injects, decisions, options, responses (laws are legislation responses), threats,
threat stages, variables and objectives. The loop checks (sim.checks), the linter and
`tabletop graph` all read this one graph, so a diagram never disagrees with a check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from sim.plain import FrozenValue, Value, set_field
from sim.schema import (
    Countermeasure,
    Decision,
    Drift,
    Inject,
    Legislation,
    Notification,
    Objective,
    Scenario,
    Sitting,
    Threat,
)

NodeKind = Literal[
    "inject",
    "decision",
    "option",
    "response",
    "law",
    "threat",
    "stage",
    "variable",
    "objective",
    "sitting",  # a sitting of parliament (v2 calendar)
]
EdgeKind = Literal[
    "after",  # X happens after Y is delivered / made: Y -> X
    "poses",  # an inject poses a decision: inject -> decision
    "option",  # a decision offers an option: decision -> option
    "starts",  # an option or response starts a response: -> response
    "requires",  # a response needs a law: law -> response
    "stage",  # a threat's first stage, then each next stage
    "effects",  # something changes a variable: item -> variable
    "conditions",  # a condition reads a name: variable/status -> item
    "reads",  # an effect's value reads a name: variable/status -> the changing item
    "stops",  # a countermeasure stops a threat
    "slows",  # a countermeasure slows a threat
    "mitigates",  # a countermeasure scales a threat's effects (v2)
    "on_failure",  # a response that fails starts another (v2)
    "reveals",  # an inject or countermeasure reveals a threat
    "about",  # a notification is about an inject or threat
]
Path_ = tuple[str | int, ...]
Reads = Callable[[str | float, bool], Iterable[str]]
"""The names a condition (False) or an effect (True) reads; may raise on a broken one."""


# Frozen values and a plain class rather than dataclasses: `tabletop validate` declares them
# at every start (sim/plain.py).


class Node(FrozenValue):
    """One element of the flow; ``key`` is unique ('inject:ally_warning', 'option:d.o')."""

    __slots__ = ("id", "key", "kind", "label", "path")
    _fields = ("key", "kind", "id", "label", "path")
    key: str
    """Kind and id ('inject:x'); laws are keyed as responses ('response:bill')."""
    kind: NodeKind
    id: str
    label: str
    path: Path_
    """Where the element is written in the file (section, index, ...)."""

    def __init__(self, key: str, kind: NodeKind, id: str, label: str, path: Path_) -> None:
        set_field(self, "key", key)
        set_field(self, "kind", kind)
        set_field(self, "id", id)
        set_field(self, "label", label)
        set_field(self, "path", path)


class Edge(FrozenValue):
    __slots__ = ("kind", "path", "source", "target")
    _fields = ("source", "target", "kind", "path")
    source: str
    target: str
    kind: EdgeKind
    path: Path_
    """Where the link is written in the file."""

    def __init__(self, source: str, target: str, kind: EdgeKind, path: Path_) -> None:
        set_field(self, "source", source)
        set_field(self, "target", target)
        set_field(self, "kind", kind)
        set_field(self, "path", path)


class Flow(Value):
    """Nodes in file order and edges in the order they are written."""

    _fields = ("nodes", "edges", "ids")

    def __init__(
        self,
        nodes: dict[str, Node] | None = None,
        edges: list[Edge] | None = None,
        ids: dict[str, str] | None = None,
    ) -> None:
        self.nodes: dict[str, Node] = {} if nodes is None else nodes
        self.edges: list[Edge] = [] if edges is None else edges
        self.ids: dict[str, str] = {} if ids is None else ids
        """Scenario id -> node key (ids share one namespace; options and stages are not
        here)."""

    def add_node(self, kind: NodeKind, id_: str, label: str, path: Path_) -> str:
        key = f"{'response' if kind == 'law' else kind}:{id_}"
        self.nodes.setdefault(key, Node(key, kind, id_, label, path))
        if kind not in ("option", "stage"):
            self.ids.setdefault(id_, key)
        return key

    def add_edge(self, source: str, target: str, kind: EdgeKind, path: Path_) -> None:
        self.edges.append(Edge(source, target, kind, path))

    def out(self, key: str, *kinds: EdgeKind) -> list[Edge]:
        found = self._ends()[0].get(key, ())
        return [e for e in found if not kinds or e.kind in kinds]

    def into(self, key: str, *kinds: EdgeKind) -> list[Edge]:
        found = self._ends()[1].get(key, ())
        return [e for e in found if not kinds or e.kind in kinds]

    def _ends(self) -> tuple[dict[str, list[Edge]], dict[str, list[Edge]]]:
        """The edges by source and by target, in written order: built once, again only if the
        edges changed (a hostile file's long 'after' chain asked for one pass per inject)."""
        stamp = (id(self.edges), len(self.edges))
        cached = self.__dict__.get("_by_end")
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        by_source: dict[str, list[Edge]] = {}
        by_target: dict[str, list[Edge]] = {}
        for e in self.edges:
            by_source.setdefault(e.source, []).append(e)
            by_target.setdefault(e.target, []).append(e)
        self.__dict__["_by_end"] = (stamp, by_source, by_target)
        return by_source, by_target

    def successors(self, key: str, *kinds: EdgeKind) -> list[str]:
        return [e.target for e in self.out(key, *kinds)]

    def of_kind(self, kind: NodeKind) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == kind]

    def waits_on(self, key: str) -> list[str]:
        """The injects an item waits on through 'after': an inject 'after' a decision waits on
        the injects that pose it (or on the decision itself if nothing poses it)."""
        out: list[str] = []
        for e in self.into(key, "after"):
            if e.source.startswith("decision:"):
                posers = [p.source for p in self.into(e.source, "poses")]
                out.extend(posers or [e.source])
            else:
                out.append(e.source)
        return out


def build_flow(
    *,
    injects: Iterable[tuple[int, Inject]] = (),
    decisions: Iterable[tuple[int, Decision]] = (),
    threats: Iterable[tuple[int, Threat]] = (),
    responses: Iterable[tuple[int, Any]] = (),
    variables: Iterable[str] = (),
    objectives: Iterable[tuple[int, Objective]] = (),
    reads: Reads | None = None,
    calendar: Iterable[tuple[int, Sitting]] = (),
) -> Flow:
    """Build the flow from items with their index in the file (items that failed to validate
    are simply absent). ``reads`` gives the names a condition reads; without it, conditions
    add no edges. Links to unknown ids are left out: the reference checks report those."""
    injects, decisions, threats = list(injects), list(decisions), list(threats)
    responses, objectives = list(responses), list(objectives)
    flow = Flow()
    ids = flow.ids

    for name in variables:
        flow.add_node("variable", name, name, ("variables", name))
    for i, inj in injects:
        flow.add_node("inject", inj.id, inj.title or inj.id, ("injects", i))
    for i, d in decisions:
        flow.add_node("decision", d.id, d.prompt, ("decisions", i))
        for j, o in enumerate(d.options):
            flow.add_node("option", f"{d.id}.{o.id}", o.label, ("decisions", i, "options", j))
    for i, r in responses:
        kind: NodeKind = "law" if isinstance(r, Legislation) else "response"
        flow.add_node(kind, r.id, r.title or r.id, ("responses", i))
    for i, t in threats:
        flow.add_node("threat", t.id, t.title or t.id, ("threats", i))
        for j, s in enumerate(t.stages):
            flow.add_node("stage", f"{t.id}.{s.id}", s.title or s.id, ("threats", i, "stages", j))
    for i, obj in objectives:
        flow.add_node("objective", obj.id, obj.description, ("objectives", i))

    def link(name: str | None, target: str, kind: EdgeKind, path: Path_, *, out: bool) -> None:
        if name is None or (other := ids.get(name)) is None:
            return
        if out:
            flow.add_edge(target, other, kind, path)
        else:
            flow.add_edge(other, target, kind, path)

    def effects(source: str, fx: Mapping[str, Any], path: Path_) -> None:
        for var, text in fx.items():
            if var in ids and ids[var].startswith("variable:"):
                flow.add_edge(source, ids[var], "effects", (*path, var))
                condition(source, text, (*path, var), effect=True)

    def condition(
        target: str, text: str | float | None, path: Path_, *, effect: bool = False
    ) -> None:
        if text is None or reads is None:
            return
        try:
            names = sorted(set(reads(text, effect)))
        except Exception:  # a broken condition is reported by the checks, not here
            return
        for name in names:
            if name in ids and ids[name] != target:
                flow.add_edge(ids[name], target, "reads" if effect else "conditions", path)

    def triggered(key: str, item: Inject | Threat, path: Path_) -> None:
        link(item.after, key, "after", (*path, "after"), out=False)
        condition(key, item.when, (*path, "when"))
        condition(key, item.only_if, (*path, "if"))

    for i, inj in injects:
        key, p = f"inject:{inj.id}", ("injects", i)
        triggered(key, inj, p)
        link(inj.decision, key, "poses", (*p, "decision"), out=True)
        for j, tid in enumerate(inj.reveals):
            link(tid, key, "reveals", (*p, "reveals", j), out=True)
        effects(key, inj.effects, (*p, "effects"))

    for i, d in decisions:
        for j, o in enumerate(d.options):
            op, okey = ("decisions", i, "options", j), f"option:{d.id}.{o.id}"
            flow.add_edge(f"decision:{d.id}", okey, "option", op)
            for k, r in enumerate(o.responses):
                link(r, okey, "starts", (*op, "responses", k), out=True)
            effects(okey, o.effects, (*op, "effects"))

    for i, t in threats:
        key, p = f"threat:{t.id}", ("threats", i)
        triggered(key, t, p)
        previous = key
        for j, s in enumerate(t.stages):
            skey, sp = f"stage:{t.id}.{s.id}", (*p, "stages", j)
            flow.add_edge(previous, skey, "stage", sp)
            previous = skey
            condition(skey, s.detect, (*sp, "detect"))
            effects(skey, s.effects, (*sp, "effects"))
        effects(key, t.detection_effects, (*p, "detection_effects"))

    for i, r in responses:
        key, p = f"response:{r.id}", ("responses", i)
        for j, law in enumerate(r.laws()):
            at = (*p, "requires") if isinstance(r.requires, str) else (*p, "requires", j)
            link(law, key, "requires", at, out=False)
        for j, st in enumerate(r.starts):
            link(st.response, key, "starts", (*p, "starts", j), out=True)
            condition(key, st.only_if, (*p, "starts", j, "if"))
        effects(key, r.effects, (*p, "effects"))
        if isinstance(r, Notification):
            link(r.about, key, "about", (*p, "about"), out=True)
        elif isinstance(r, Countermeasure):
            for j, tid in enumerate(r.stops):
                link(tid, key, "stops", (*p, "stops", j), out=True)
            for tid in r.slows:
                link(tid, key, "slows", (*p, "slows", tid), out=True)
            for j, tid in enumerate(r.reveals):
                link(tid, key, "reveals", (*p, "reveals", j), out=True)
            condition(key, r.success, (*p, "success"))
            effects(key, r.failure_effects, (*p, "failure_effects"))
        elif isinstance(r, Legislation):
            for j, bs in enumerate(r.stages):
                condition(key, bs.passes, (*p, "stages", j, "passes"))
            effects(key, r.failure_effects, (*p, "failure_effects"))

    for i, obj in objectives:
        key, p = f"objective:{obj.id}", ("objectives", i)
        condition(key, obj.met, (*p, "met"))
        condition(key, obj.partially, (*p, "partially"))
    drifts = {
        n: v.drift
        for n, v in (variables.items() if isinstance(variables, Mapping) else ())
        if getattr(v, "drift", None) is not None
    }
    bounds = {
        n: v
        for n, v in (variables.items() if isinstance(variables, Mapping) else ())
        if getattr(v, "at_most", None) is not None or getattr(v, "at_least", None) is not None
    }
    _v2_edges(flow, condition, link, drifts, bounds, injects, decisions, threats, responses)
    _calendar_edges(flow, condition, effects, list(calendar), responses)
    return flow


def _calendar_edges(
    flow: Flow,
    condition: Callable[..., None],
    effects: Callable[..., None],
    calendar: list[tuple[int, Sitting]],
    responses: list[tuple[int, Any]],
) -> None:
    """The links the legislative calendar makes (v2): what a dissolution reads, and what a
    bill's stage effects, duration factor and carry-over read and write."""
    for i, s in calendar:
        key = flow.add_node("sitting", s.id, s.title or s.id, ("calendar", i))
        if s.dissolution is not None:
            path = ("calendar", i, "dissolution")
            condition(key, s.dissolution.only_if, (*path, "if"))
            condition(key, s.dissolution.chance, (*path, "chance"))
    for i, r in responses:
        if not isinstance(r, Legislation):
            continue
        key, p = f"response:{r.id}", ("responses", i)
        condition(key, r.carry_over, (*p, "carry_over"))
        for j, bs in enumerate(r.stages):
            sp = (*p, "stages", j)
            condition(key, bs.duration_factor, (*sp, "duration_factor"))
            effects(key, bs.start_effects, (*sp, "start_effects"))
            if bs.during is not None:
                effects(key, bs.during.effects, (*sp, "during", "effects"))


def _v2_edges(
    flow: Flow,
    condition: Callable[..., None],
    link: Callable[..., None],
    drifts: Mapping[str, Drift],
    bounds: Mapping[str, Any],
    injects: list[tuple[int, Inject]],
    decisions: list[tuple[int, Decision]],
    threats: list[tuple[int, Threat]],
    responses: list[tuple[int, Any]],
) -> None:
    """The links the format v2 keys make (a v1 scenario has none of them)."""
    for name, var in bounds.items():
        node, vp = f"variable:{name}", ("variables", name)
        for key in ("at_most", "at_least"):
            condition(node, getattr(var, key), (*vp, key))
    for name, drift in drifts.items():
        node, path = f"variable:{name}", ("variables", name, "drift")
        flow.add_edge(node, node, "effects", path)  # it changes itself
        condition(node, drift.rate, (*path, "rate"))
        condition(node, drift.while_, (*path, "while"))
    for i, inj in injects:
        condition(f"inject:{inj.id}", inj.probability, ("injects", i, "probability"))
    for i, t in threats:
        condition(f"threat:{t.id}", t.abort_if, ("threats", i, "abort_if"))
        if t.reentry is not None:
            condition(f"threat:{t.id}", t.reentry.chance, ("threats", i, "reentry", "chance"))
        for j, s in enumerate(t.stages):
            for k, b in enumerate(s.next or ()):
                bp: Path_ = ("threats", i, "stages", j, "next", k)
                condition(f"stage:{t.id}.{s.id}", b.only_if, (*bp, "if"))
                if b.stage is not None and b.stage in {x.id for x in t.stages}:
                    flow.add_edge(f"stage:{t.id}.{s.id}", f"stage:{t.id}.{b.stage}", "stage", bp)
    for i, d in decisions:
        if d.reopen is not None:
            condition(f"decision:{d.id}", d.reopen.when, ("decisions", i, "reopen", "when"))
            condition(f"decision:{d.id}", d.reopen.while_, ("decisions", i, "reopen", "while"))
        for j, o in enumerate(d.options):
            op = ("decisions", i, "options", j)
            condition(f"option:{d.id}.{o.id}", o.only_if, (*op, "if"))
            if o.consent is not None:
                condition(f"option:{d.id}.{o.id}", o.consent.chance, (*op, "consent", "chance"))
    for i, r in responses:
        for j, st in enumerate(r.on_failure):
            fp: Path_ = ("responses", i, "on_failure", j)
            link(st.response, f"response:{r.id}", "on_failure", fp, out=True)
            condition(f"response:{r.id}", st.only_if, (*fp, "if"))
        if r.retry is not None:
            condition(f"response:{r.id}", r.retry.while_, ("responses", i, "retry", "while"))
        if isinstance(r, Countermeasure):
            for tid in r.mitigates:
                where = ("responses", i, "mitigates", tid)
                link(tid, f"response:{r.id}", "mitigates", where, out=True)


def scenario_flow(scenario: Scenario) -> Flow:
    """The flow of a validated scenario."""
    from sim.compiled import compiled

    exprs = compiled(scenario)
    return build_flow(
        injects=enumerate(scenario.injects),
        decisions=enumerate(scenario.decisions),
        threats=enumerate(scenario.threats),
        responses=enumerate(scenario.responses),
        variables=scenario.variables,
        objectives=enumerate(scenario.objectives),
        calendar=enumerate(scenario.calendar),
        reads=lambda text, effect: (
            exprs.effect(text, notification=True).expression.names
            if effect
            else exprs.expr(text).names
        ),
    )
