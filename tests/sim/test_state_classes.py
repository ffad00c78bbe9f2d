"""The engine's small views (sim.state), built through their slots (sim.state.slot_init), yet
the same dataclasses as before: the same parameters, defaults, values, equality, hash, and
still frozen."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from sim.state import ActiveResponse, Campaigns, OpenDecision, Outcomes

CLASSES = [ActiveResponse, OpenDecision]


def generated(cls: type) -> type:
    """The same class with the ``__init__`` dataclasses generates."""
    fields = [(f.name, f.type, f) for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(f"Generated{cls.__name__}", fields, frozen=True, slots=True)


def values(cls: type) -> list[Any]:
    """A value for every field, none equal to its default."""
    return [f"{f.name} value" for f in dataclasses.fields(cls)]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_same_parameters_and_defaults_as_the_generated_init(cls: type) -> None:
    ours = inspect.signature(cls.__init__).parameters
    theirs = inspect.signature(generated(cls).__init__).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == [
        (p.name, p.kind, p.default) for p in theirs.values()
    ]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_way_of_building_one_keeps_what_the_generated_init_keeps(cls: type) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    given = values(cls)
    required = [f for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING]
    reference = generated(cls)
    cases: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        (tuple(given), {}),  # every field, by position
        ((), dict(zip(names, given, strict=True))),  # every field, by name
        (tuple(given[: len(required)]), {}),  # the defaults
    ]
    for args, kwargs in cases:
        ours, theirs = cls(*args, **kwargs), reference(*args, **kwargs)
        assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
        assert ours == cls(*args, **kwargs)
        assert hash(ours) == hash(cls(*args, **kwargs))
        assert repr(ours).removeprefix(cls.__name__) == repr(theirs).removeprefix(
            reference.__name__
        )


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_still_frozen_and_still_refuses_what_the_generated_init_refuses(cls: type) -> None:
    given = values(cls)
    one = cls(*given)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(one, dataclasses.fields(cls)[0].name, "changed")
    with pytest.raises(TypeError):
        cls()  # a required field missing
    with pytest.raises(TypeError):
        cls(*given, "one too many")
    with pytest.raises(TypeError):
        cls(*given, **{dataclasses.fields(cls)[0].name: "twice"})
    assert dataclasses.replace(one, **{dataclasses.fields(cls)[0].name: "x"}) != one


@pytest.mark.parametrize("cls", [Outcomes, Campaigns], ids=lambda c: c.__name__)
def test_a_runs_bookkeeping_starts_as_the_generated_init_starts_it(cls: type) -> None:
    """``Outcomes`` and ``Campaigns`` are made empty by an ``__init__`` written out: every
    field as its default or default factory gives it, and no two runs share a container."""
    fields = [(f.name, f.type, f) for f in dataclasses.fields(cls)]
    reference = dataclasses.make_dataclass(f"Generated{cls.__name__}", fields, slots=True)
    ours, theirs = cls(), reference()
    assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
    assert [type(getattr(ours, f.name)) for f in dataclasses.fields(cls)] == [
        type(getattr(theirs, f.name)) for f in dataclasses.fields(cls)
    ]
    other = cls()
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING:
            assert getattr(ours, f.name) is not getattr(other, f.name)
    assert ours == other
