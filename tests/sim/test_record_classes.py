"""Record classes: built through their slots (sim.events._slot_init), yet dataclasses as before."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sim import events as ev


def sample_values(cls: type[ev.Event]) -> dict[str, Any]:
    """A value for every field, different from its default."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        kind = str(f.type)
        if "tuple" in kind:
            values[f.name] = ("a", "b")
        elif "dict" in kind:
            values[f.name] = {"x": 1.0}
        elif "bool" in kind:
            values[f.name] = True
        elif kind.startswith("int"):
            values[f.name] = 7
        elif "float" in kind or "int" in kind:
            values[f.name] = 2.5
        else:
            values[f.name] = f"{f.name} text"
    return values


def generated_class(cls: type[ev.Event]) -> type[ev.Event]:
    """The same record class with the __init__ dataclasses generates."""
    fields = [
        (f.name, f.type, f)
        for f in dataclasses.fields(cls)
        if f.name not in ("seq", "time", "audience")
    ]
    return dataclasses.make_dataclass(
        f"Generated{cls.__name__}", fields, bases=(ev.Event,), frozen=True, slots=True, kw_only=True
    )


@pytest.mark.parametrize("cls", list(ev.EVENT_TYPES.values()), ids=lambda c: c.__name__)
def test_every_record_class_takes_and_keeps_the_same_fields_as_a_dataclass(
    cls: type[ev.Event],
) -> None:
    values = sample_values(cls)
    record = cls(**values)
    assert {f.name: getattr(record, f.name) for f in dataclasses.fields(cls)} == values
    required = {
        f.name: values[f.name]
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    plain, reference = cls(**required), generated_class(cls)(**required)
    assert plain.to_dict() == {**reference.to_dict(), "kind": cls.kind}
    assert plain == cls(**required)
    assert dataclasses.replace(record, seq=3).seq == 3


@pytest.mark.parametrize("cls", list(ev.EVENT_TYPES.values()), ids=lambda c: c.__name__)
def test_a_record_refuses_what_a_dataclass_refuses(cls: type[ev.Event]) -> None:
    values = sample_values(cls)
    record = cls(**values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.seq = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        cls(**values, not_a_field=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        cls(1, **values)  # type: ignore[call-arg]
    required = [
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    for name in required:
        with pytest.raises(TypeError, match=name):
            cls(**{k: v for k, v in values.items() if k != name})


def test_default_factories_give_each_record_its_own_value() -> None:
    a = ev.ObjectiveEvaluated(objective="o", rating="met", evidence="e")
    b = ev.ObjectiveEvaluated(objective="o", rating="met", evidence="e")
    assert a.values == {} and a.values is not b.values
