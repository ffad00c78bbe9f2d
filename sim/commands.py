"""Commands: every way to change an exercise, as frozen, typed data.

A session is its scenario, its seed and its command log; its state is the replay of that log.
Each command names who asked (``by``). Commands serialise to versioned JSON (one object per
command) so that a session store, a replay or a branch can keep them.

Time stepping is a command too (:class:`Advance`): replaying a log reproduces not only what
was asked but how far the clock had been moved when it was asked.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

from sim.problems import TabletopError

COMMAND_FORMAT = 1
"""Version of the JSON form of commands. Bump it, with a migration, when a field changes."""


class CommandError(TabletopError):
    """A command's JSON form cannot be read (unknown kind, missing or wrong field, newer format)."""


@dataclass(frozen=True, slots=True)
class Command:
    """Base of every command. ``by`` says who asked: players, facilitator, playbook, random…"""

    kind: ClassVar[str] = ""
    by: str = "facilitator"


@dataclass(frozen=True, slots=True)
class Decide(Command):
    """Choose ``option`` for the open decision ``decision``."""

    kind: ClassVar[str] = "decide"
    decision: str = ""
    option: str = ""
    rationale: str = ""
    """Why the room chose it, in one line (for the after-action report)."""
    at: float | None = None
    """Scenario time at which the choice takes effect (before the deadline); None: now."""


@dataclass(frozen=True, slots=True)
class FireInject(Command):
    """Deliver a held (contingency) inject now."""

    kind: ClassVar[str] = "fire_inject"
    inject: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SendInject(Command):
    """Deliver a free-text inject written by the facilitator."""

    kind: ClassVar[str] = "send_inject"
    text: str = ""
    sender: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Adjust(Command):
    """Set a variable by hand, with the reason recorded (controller-only)."""

    kind: ClassVar[str] = "adjust"
    variable: str = ""
    value: float = 0.0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Note(Command):
    """A facilitator note in the log (controller-only)."""

    kind: ClassVar[str] = "note"
    text: str = ""


@dataclass(frozen=True, slots=True)
class Observe(Command):
    """An evaluator's observation, optionally tagged to an objective, for the AAR."""

    kind: ClassVar[str] = "observe"
    text: str = ""
    objective: str = ""
    assessment: str = ""
    """``strength``, ``improvement`` or empty."""


@dataclass(frozen=True, slots=True)
class Rate(Command):
    """An evaluator rates an objective by hand (one with ``rated_by: evaluator``).

    Taken while the exercise runs and after it has ended (the debrief); a later rating of
    the same objective replaces an earlier one.
    """

    kind: ClassVar[str] = "rate"
    objective: str = ""
    rating: str = ""
    """``met``, ``partially`` or ``not_met``."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class StartResponse(Command):
    """Start a response outside any decision (a facilitator power)."""

    kind: ClassVar[str] = "start_response"
    response: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Advance(Command):
    """Move the clock to scenario time ``to`` (everything due at ``to`` is processed)."""

    kind: ClassVar[str] = "advance"
    to: float = 0.0
    stop: str = ""
    """Where to stop early: ``""`` never, ``"record"`` as soon as a new record appears,
    ``"decision"`` as soon as a decision opens."""
    before: bool = False
    """Stop before anything due at ``to`` (the clock stays at the last event before it: the
    console stops there before a deadline default applies). Else the clock reaches ``to`` with
    everything due at ``to`` processed."""


@dataclass(frozen=True, slots=True)
class End(Command):
    """End the exercise now and rate the objectives."""

    kind: ClassVar[str] = "end"
    reason: str = "facilitator"


ADVANCE_STOPS: tuple[str, ...] = ("", "record", "decision")
"""The values of :attr:`Advance.stop`."""

COMMAND_TYPES: dict[str, type[Command]] = {
    c.kind: c
    for c in (
        Decide,
        FireInject,
        SendInject,
        Adjust,
        Note,
        Observe,
        StartResponse,
        Advance,
        End,
        Rate,
    )
}


@dataclass(frozen=True, slots=True)
class LoggedCommand:
    """One entry of an exercise's command log: what was asked, and at what scenario time."""

    seq: int
    at: float
    command: Command
    action: int | None = None
    """Its number among the commands that change the exercise (every kind but Advance), from
    0; records it caused carry it as ``action``. None for Advance: how the clock was stepped
    never shows in the records."""


def command_to_dict(command: Command) -> dict[str, Any]:
    """The JSON-ready form of one command, with its kind and the format version.

    A number is written as a float whatever it was given as: ``Advance(to=5)`` equals
    ``Advance(to=5.0)``, so both are written ``5.0`` (equal commands, equal text)."""
    body = asdict(command)
    numbers = _number_fields(type(command))
    for k, v in body.items():
        if isinstance(v, tuple):
            body[k] = list(v)
        elif k in numbers and isinstance(v, int) and not isinstance(v, bool):
            body[k] = float(v)
    return {"format": COMMAND_FORMAT, "kind": command.kind, **body}


def _number_fields(cls: type[Command]) -> frozenset[str]:
    """The fields of a command class that hold a number (``float`` or ``float | None``)."""
    found = _NUMBER_FIELDS.get(cls)
    if found is None:
        found = _NUMBER_FIELDS[cls] = frozenset(
            f.name for f in fields(cls) if f.type in ("float", "float | None")
        )
    return found


_NUMBER_FIELDS: dict[type[Command], frozenset[str]] = {}


def command_from_dict(data: object) -> Command:
    """Read a command back from :func:`command_to_dict`'s form; raise CommandError if wrong."""
    if not isinstance(data, dict):
        raise CommandError("a command must be a JSON object")
    version = data.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CommandError("a command has no format version")
    if version > COMMAND_FORMAT:
        raise CommandError(
            f"command format {version} is newer than this tabletop reads ({COMMAND_FORMAT}); "
            "upgrade tabletop"
        )
    kind = data.get("kind")
    cls = COMMAND_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise CommandError(f"unknown command kind {kind!r}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        expected = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        kwargs[f.name] = _coerce(kind or "", f.name, expected, value)
    unknown = set(data) - {"format", "kind"} - {f.name for f in fields(cls)}
    if unknown:
        raise CommandError(f"{kind} command has unknown field(s): {', '.join(sorted(unknown))}")
    return cls(**kwargs)


def _coerce(kind: str, name: str, expected: str, value: object) -> object:
    if expected == "bool":
        if not isinstance(value, bool):
            raise CommandError(f"{kind}.{name} must be true or false")
        return value
    if expected == "float | None" and value is None:
        return None
    if expected in ("float", "float | None"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CommandError(f"{kind}.{name} must be a number")
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise CommandError(f"{kind}.{name} must be a finite number")
        return number
    if expected.startswith("tuple"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CommandError(f"{kind}.{name} must be a list of strings")
        return tuple(value)
    if not isinstance(value, str):
        raise CommandError(f"{kind}.{name} must be a string")
    return value


def command_to_json(command: Command) -> str:
    """One line of canonical JSON (sorted keys, no spaces): equal commands give equal text."""
    return json.dumps(command_to_dict(command), sort_keys=True, separators=(",", ":"))


def command_from_json(text: str) -> Command:
    """Read a command from :func:`command_to_json`'s text."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CommandError(f"a command is not valid JSON: {exc}") from None
    return command_from_dict(data)
