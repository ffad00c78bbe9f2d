"""The plain classes that replaced dataclasses on `validate`'s path (sim/plain.py) behave as
those dataclasses did: construction, equality, hashing, ordering, repr, frozenness, pickling."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import pickle
from typing import Any

import pytest

from sim.expr import Effect, Expression, NameSpec, compile_effect, compile_expr
from sim.flow import Edge, Flow, Node
from sim.problems import Problem
from sim.validation import Checked
from sim.yamlread import Document, Limits, Mark, read_yaml_text

F = dataclasses.field


def twin(cls: type, fields: list[Any], **options: Any) -> Any:
    """The dataclass the class was before (same name, fields and options)."""
    return dataclasses.make_dataclass(cls.__name__, fields, **options)


FROZEN_VALUES: list[tuple[type, Any, list[tuple[Any, ...]]]] = [
    (
        Problem,
        twin(
            Problem,
            ["path", "line", "col", "message", ("severity", str, F(default="error"))],
            frozen=True,
            slots=True,
            order=True,
        ),
        [
            ("a.yaml", 1, 2, "m"),
            ("a.yaml", 1, 2, "m", "warning"),
            ("a.yaml", 1, 10, "m"),
            ("a.yaml", 2, 1, "m"),
            ("b.yaml", 1, 1, "a"),
            ("a.yaml", 1, 2, "l"),
        ],
    ),
    (
        Mark,
        twin(Mark, ["line", "col"], frozen=True, slots=True),
        [(1, 1), (1, 2), (2, 1)],
    ),
    (
        Node,
        twin(Node, ["key", "kind", "id", "label", "path"], frozen=True, slots=True),
        [
            ("inject:a", "inject", "a", "A", ("injects", 0)),
            ("inject:a", "inject", "a", "A", ("injects", 1)),
            ("decision:b", "decision", "b", "B", ("decisions", 0)),
        ],
    ),
    (
        Edge,
        twin(Edge, ["source", "target", "kind", "path"], frozen=True, slots=True),
        [
            ("inject:a", "decision:b", "poses", ("injects", 0)),
            ("inject:a", "decision:b", "after", ("injects", 0)),
        ],
    ),
    (
        NameSpec,
        twin(NameSpec, ["kind", ("values", frozenset, F(default=frozenset()))], frozen=True),
        [("number",), ("status", frozenset({"x", "y"})), ("status", frozenset({"x"}))],
    ),
    (
        Limits,
        twin(
            Limits,
            [
                ("max_bytes", int, F(default=2_000_000)),
                ("max_depth", int, F(default=64)),
                ("max_nodes", int, F(default=200_000)),
                ("max_scalar_chars", int, F(default=100_000)),
                ("max_aliases", int, F(default=1_000)),
                ("max_text_chars", int, F(default=2_000_000)),
            ],
            frozen=True,
        ),
        [(), (10,), (2_000_000, 64, 200_000, 100_000, 1_000, 2_000_000), (1, 2, 3, 4, 5, 6)],
    ),
]


@pytest.mark.parametrize(("cls", "old", "samples"), FROZEN_VALUES, ids=lambda v: "")
def test_frozen_values_behave_as_their_dataclasses(
    cls: type, old: Any, samples: list[tuple[Any, ...]]
) -> None:
    new_objs = [cls(*args) for args in samples]
    old_objs = [old(*args) for args in samples]
    for n, o in zip(new_objs, old_objs, strict=True):
        assert repr(n) == repr(o)
        assert hash(n) == hash(o)
        assert n == cls(*dataclasses.astuple(o))
        assert n != o  # another class: never equal, as between two dataclasses
        assert pickle.loads(pickle.dumps(n)) == n
        assert copy.copy(n) == n and copy.deepcopy(n) == n
        name = dataclasses.fields(o)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(n, name, 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(n, name)
        with pytest.raises(AttributeError):
            n.not_a_field = 1
    for (n1, o1), (n2, o2) in itertools.product(zip(new_objs, old_objs, strict=True), repeat=2):
        assert (n1 == n2) == (o1 == o2)
        assert (n1 != n2) == (o1 != o2)
        if old.__dataclass_params__.order:
            assert (n1 < n2, n1 <= n2, n1 > n2, n1 >= n2) == (o1 < o2, o1 <= o2, o1 > o2, o1 >= o2)
        else:
            with pytest.raises(TypeError):
                _ = n1 < n2
    assert hash(cls(*samples[0])) == hash(cls(*samples[0]))


def test_keywords_and_defaults_are_as_before() -> None:
    assert Problem(path="p", line=1, col=2, message="m") == Problem("p", 1, 2, "m", "error")
    assert Limits(max_depth=2) == Limits(2_000_000, 2, 200_000, 100_000, 1_000, 2_000_000)
    assert NameSpec(kind="number").values == frozenset()
    assert sorted([Problem("b", 1, 1, "x"), Problem("a", 9, 9, "x")])[0].path == "a"


def test_a_document_compares_by_its_fields_and_is_unhashable() -> None:
    a = read_yaml_text("a: [1, 2]\n", "f.yaml")
    b = read_yaml_text("a: [1, 2]\n", "f.yaml")
    assert a == b and a != read_yaml_text("a: [1, 3]\n", "f.yaml")
    assert a == Document(a.path, a.data, a.marks, a.key_marks)
    old = twin(Document, ["path", "data", "marks", "key_marks"], frozen=True)
    assert repr(a) == repr(old(a.path, a.data, a.marks, a.key_marks))
    with pytest.raises(TypeError):
        hash(a)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.data = None  # type: ignore[misc]


def test_mutable_values_compare_by_fields_and_are_unhashable() -> None:
    old_flow = twin(
        Flow,
        [("nodes", dict, F(default_factory=dict)), ("edges", list, F(default_factory=list)),
         ("ids", dict, F(default_factory=dict))],
    )  # fmt: skip
    assert repr(Flow()) == repr(old_flow())
    assert Flow() == Flow() and Flow().nodes is not Flow().nodes
    flow = Flow()
    flow.add_node("inject", "a", "A", ("injects", 0))
    assert flow != Flow()
    assert repr(flow) == repr(old_flow(flow.nodes, flow.edges, flow.ids))
    old_checked = twin(
        Checked, ["path", "kind", "title", ("problems", list, F(default_factory=list))]
    )
    c = Checked("p", "scenario", "T")
    assert repr(c) == repr(old_checked("p", "scenario", "T"))
    assert (
        c == Checked("p", "scenario", "T", []) and c.problems is not Checked("p", "", "").problems
    )
    c.problems.append(Problem("p", 1, 1, "m"))
    assert not c.ok and c != Checked("p", "scenario", "T")
    for obj in (flow, c):
        with pytest.raises(TypeError):
            hash(obj)


def test_expressions_and_effects_compare_by_identity_and_are_frozen() -> None:
    names = {"x": NameSpec("number")}
    e1, e2 = compile_expr("x + 1", names), compile_expr("x + 1", names)
    assert e1 == e1 and e1 != e2 and hash(e1) != hash(e2)
    assert (
        repr(e1) == "Expression(source='x + 1', names=frozenset({'x'}), kind='number', draws=False)"
    )
    effect = compile_effect("+ 2", names)
    assert isinstance(effect, Effect) and effect != compile_effect("+ 2", names)
    assert repr(effect).startswith("Effect(op='+', expression=Expression(source=")
    assert repr(effect).endswith(", source='+ 2')")
    assert effect.apply(1.0, {"x": 0.0}) == 3.0
    for obj, name in ((e1, "source"), (effect, "op")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, "y")
    assert isinstance(e1, Expression) and e1.evaluate({"x": 2.0}) == 3.0


def test_a_value_of_one_field_compares_and_hashes_as_a_dataclass_would() -> None:
    from sim.plain import FrozenValue, set_field

    class One(FrozenValue):
        __slots__ = ("x",)
        _fields = ("x",)
        x: int

        def __init__(self, x: int) -> None:
            set_field(self, "x", x)

    old = twin(One, ["x"], frozen=True, slots=True)
    assert One(1) == One(1) and One(1) != One(2)
    assert hash(One(1)) == hash(old(1))
    assert repr(One(1)).rpartition(".")[2] == repr(old(1))  # One is local here
    assert copy.copy(One(3)) == One(3)
