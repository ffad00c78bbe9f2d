"""Value classes that behave as dataclasses but cost nothing to declare.

Declaring a dataclass generates its methods as source text and compiles them, at every start
of the program: about 5 M instructions a class, more than `tabletop validate` spends checking
a scenario (docs/performance.md). The classes `validate` declares on its way (problems, the
YAML reader's marks and documents, expressions, the flow graph) are written as plain classes
on these bases instead, with what their dataclasses gave them: equality and hashing by their
fields in order, ordering where asked, the same repr, and assignment refused after ``__init__``
(``dataclasses.FrozenInstanceError``, as before). tests/sim/test_plain_classes.py compares
each with the dataclass it replaces.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from operator import attrgetter
from typing import Any, ClassVar, NoReturn

set_field = object.__setattr__
"""How ``__init__`` stores a field of a frozen class (as a frozen dataclass's does)."""


class Frozen:
    """Fields are set once, in ``__init__`` (through :data:`set_field`)."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


class Value:
    """Equality and repr by the fields named in ``_fields`` (the ``__init__`` order);
    ``_hidden`` fields are left out of the repr. Not hashable (a mutable dataclass)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _hidden: ClassVar[tuple[str, ...]] = ()
    _key: ClassVar[Any] = None  # attrgetter of every field: a tuple
    _shown: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = cls._fields
        if len(fields) == 1:
            one = attrgetter(fields[0])
            cls._key = staticmethod(lambda obj: (one(obj),))
        elif fields:
            cls._key = attrgetter(*fields)
        cls._shown = tuple(f for f in fields if f not in cls._hidden)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._key(self) == self._key(other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._shown)
        return f"{self.__class__.__qualname__}({shown})"


class FrozenValue(Frozen, Value):
    """A frozen value: hashable by its fields (as a frozen dataclass is), and pickled by its
    positional ``__init__`` arguments (``_fields`` in order)."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._key(self))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (self.__class__, self._key(self))


class Ordered(FrozenValue):
    """A frozen value ordered by its fields in order (``order=True``)."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._key(self) < self._key(other))
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._key(self) <= self._key(other))
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._key(self) > self._key(other))
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._key(self) >= self._key(other))
        return NotImplemented
