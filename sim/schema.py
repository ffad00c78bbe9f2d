"""The scenario format (v1, v2) as pydantic models: the single source of truth for what a file says.

Every model forbids unknown keys and is frozen. Expressions and effects are kept as
text here; the loader checks and compiles them once the scenario's names are known.

Annotations are plain objects, not strings (no ``from __future__ import annotations``): pydantic
would otherwise compile and evaluate each one when the models are declared, at every start-up.
A class used before it is defined is named in quotes.
"""

import keyword
import math
import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sim.limits import MAX_SEED

ID_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
"""Ids are names in expressions, so they are identifiers: lower case, digits, underscores."""

KEYWORDS = frozenset(keyword.kwlist)
"""Words of the expression language's grammar (Python's keywords): never ids."""

MAX_TIME = 1_000_000.0
"""Largest time, duration or horizon, in the scenario's time unit (see 'Limits' in the docs)."""
LATEST_START_YEAR = 4000
"""scenario.start must be before this year, so every date the engine computes exists."""
MAX_FACTOR = 1_000.0
"""Largest slowing factor."""


def _not_keyword(value: str) -> str:
    if value in KEYWORDS:
        raise PydanticCustomError(
            "keyword_id",
            "'{id}' is a word of the expression language and cannot be an id; choose another",
            {"id": value},
        )
    return value


Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        description="An identifier: lower-case letters, digits and '_', starting with a letter.",
    ),
    AfterValidator(_not_keyword),
]


def _not_bool(value: Any) -> Any:
    """true and false are not numbers in a scenario (pydantic would read `deadline: true` as 1)."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "bool_number", "expected a number, got '{word}'", {"word": str(value).lower()}
        )
    return value


def _not_bool_whole(value: Any) -> Any:
    """true and false are not whole numbers (pydantic would read `capacity: true` as 1)."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "bool_number", "expected a whole number, got '{word}'", {"word": str(value).lower()}
        )
    return value


def is_blank(text: str) -> bool:
    """Nothing the room could read: empty, or only spaces and characters that print as nothing
    (zero-width spaces, a soft hyphen, a byte-order mark: Unicode's format class)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def _not_blank(value: str) -> str:
    """Text the room reads says something (see is_blank)."""
    if is_blank(value):
        raise PydanticCustomError("blank_text", "must not be empty")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
"""Text the room reads (a name, a title, a prompt, an option's label): never blank. (An
AfterValidator: the JSON Schema stays as it was.)"""
NOT_BOOL = BeforeValidator(_not_bool)
"""After a number's constraints in its Annotated (the constraints then stay in the core schema)."""
NOT_BOOL_WHOLE = BeforeValidator(_not_bool_whole)
Number = Annotated[float, NOT_BOOL]
"""A number written in the file: any int or float (or a numeric text), never true or false."""
Time = Annotated[float, Field(ge=0, le=MAX_TIME), NOT_BOOL]
"""A scenario time or a duration, in time units."""
ExprText = Annotated[
    str | float,
    Field(description="A condition or number written in the expression language (see docs)."),
]
Probability = Annotated[
    str | float,
    Field(description="A chance between 0 and 1: a number or an expression (clamped into 0..1)."),
]
EffectText = Annotated[
    str | float,
    Field(
        description="A change to a variable: a number sets it; '+ x', '- x', '* x', '/ x', '= x'."
    ),
]
Effects = Annotated[
    dict[str, EffectText],
    Field(description="Changes to variables, keyed by variable id."),
]

Affiliation = Literal["government", "ally", "adversary", "operator", "public", "media"]
TimeUnit = Literal["minutes", "hours", "days"]
UNIT_HOURS: dict[str, float] = {"minutes": 1 / 60, "hours": 1.0, "days": 24.0}

THREAT_STATUSES = ("pending", "undetected", "detected", "stopped", "completed")
RESPONSE_STATUSES = ("locked", "ready", "running", "succeeded", "failed")
INJECT_STATUSES = ("pending", "delivered", "skipped")
SITTING_STATUSES = ("scheduled", "open", "closed", "dissolved")
"""(v2) A sitting's status, its name in expressions."""
IN_SESSION = "in_session"
"""(v2) In expressions of a scenario with a calendar: 1 while parliament sits, else 0."""
BILLS_IN_SESSION = "bills_in_session"
"""(v2) In expressions of a scenario with a calendar: how many bills are before parliament."""
UNDECIDED = "undecided"
FORMAT_VERSIONS = (1, 2)
"""The format versions this tabletop reads; a file without 'format' is version 1."""
FormatVersion = Literal[1, 2]
PROVENANCES = ("documented", "dramatized", "invented")
RESERVED_NAMES = frozenset({"true", "false", "age", UNDECIDED})


def _empty_list() -> list[Any]:
    """A list field's default. Not the builtin `list`: pydantic reads a default factory's
    signature, and the builtin's costs about ten times a function's (at every start-up)."""
    return []


class Model(BaseModel):
    """Base of every scenario model: frozen, unknown keys are errors."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        allow_inf_nan=False,
        defer_build=True,
    )


# --- distributions ----------------------------------------------------------------------------

DISTRIBUTION_KINDS = ("fixed", "uniform", "triangular", "normal", "lognormal", "exponential")


NUMBER_TEXT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
"""A number as YAML 1.2 writes it. The YAML reader leaves some as text (``1e3``: PyYAML wants a
dot), and a quoted number is text: every other number field reads them as numbers, and so does
a distribution."""


def _is_number_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 40 and NUMBER_TEXT.fullmatch(value) is not None


def _number(value: Any, what: str) -> float:
    if _is_number_text(value):
        value = float(value)  # 1e400 is inf: refused below
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("distribution", "{what} must be a number", {"what": what})
    if not -MAX_TIME <= value <= MAX_TIME:  # also refuses NaN
        raise PydanticCustomError(
            "distribution",
            "{what} must be a number between -{limit} and {limit}",
            {"what": what, "limit": f"{MAX_TIME:,.0f}"},
        )
    return float(value)


def _pair(value: Any, kind: str, n: int, names: str) -> list[float]:
    if not isinstance(value, list) or len(value) != n:
        raise PydanticCustomError(
            "distribution",
            "{kind} takes a list of {n} numbers: [{names}]",
            {"kind": kind, "n": n, "names": names},
        )
    return [_number(v, kind) for v in value]


_PARAM_NAMES = {"normal": ("mean", "sd", "min", "max"), "lognormal": ("median", "sigma")}
_PARAM_COUNTS = {
    "fixed": 1,
    "uniform": 2,
    "triangular": 3,
    "exponential": 1,
    **{k: len(v) for k, v in _PARAM_NAMES.items()},
}


def _author_form(kind: Any, params: Any) -> Any:
    """The ``{kind, params}`` form (as dumped) in the form an author writes, to check it."""
    n = _PARAM_COUNTS.get(kind) if isinstance(kind, str) else None
    if n is None or not isinstance(params, list | tuple) or len(params) != n:
        raise PydanticCustomError("distribution", "a distribution's kind and params do not fit")
    if kind in _PARAM_NAMES:
        return {kind: dict(zip(_PARAM_NAMES[kind], params, strict=True))}
    return {kind: params[0] if n == 1 else list(params)}


_RANGE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:-|–|to)\s*([0-9]+(?:\.[0-9]+)?)\s*")
_WITH_UNIT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*[A-Za-z]+\s*")


def _spoken_time(text: str) -> None:
    """A time written as people say it ('6h', '12-36'): say how the format writes it."""
    shown = text.strip()
    ranged = _RANGE.fullmatch(text)
    if ranged is not None:
        low, high = ranged.groups()
        raise PydanticCustomError(
            "distribution",
            "'{text}' is not one number: for a time anywhere from {low} to {high}, write {example}",
            {"text": shown, "low": low, "high": high, "example": f"{{uniform: [{low}, {high}]}}"},
        )
    unit = _WITH_UNIT.fullmatch(text)
    if unit is not None:
        raise PydanticCustomError(
            "distribution",
            "'{text}' is not a number: times are plain numbers in the scenario's time_unit "
            "(write {number})",
            {"text": shown, "number": unit.group(1)},
        )


class Distribution(Model):
    """A random duration or amount: a bare number, or one of uniform, triangular, normal,
    lognormal, exponential written as a one-key mapping."""

    kind: Literal["fixed", "uniform", "triangular", "normal", "lognormal", "exponential"]
    params: tuple[float, ...]
    """The numbers of the distribution, in the order the format lists them."""

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"kind", "params"}:
            value = _author_form(value["kind"], value["params"])  # checked like any other
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number or _is_number_text(value):
            v = _number(value, "a fixed value")
            if v < 0:
                raise PydanticCustomError("distribution", "durations cannot be negative")
            return {"kind": "fixed", "params": (v,)}
        if not isinstance(value, dict) or len(value) != 1:
            if isinstance(value, str):
                _spoken_time(value)
            got = f"; got the text '{value[:40]}'" if isinstance(value, str) else ""
            raise PydanticCustomError(
                "distribution",
                "expected a number or one of {kinds}, e.g. {example}{got}",
                {
                    "kinds": ", ".join(DISTRIBUTION_KINDS[1:]),
                    "example": "{uniform: [2, 12]}",
                    "got": got,
                },
            )
        ((kind, arg),) = value.items()
        params: list[float]
        if kind == "fixed":
            params = [_number(arg, "fixed")]
        elif kind == "uniform":
            params = _pair(arg, kind, 2, "low, high")
            if params[0] > params[1]:
                raise PydanticCustomError("distribution", "uniform needs low <= high")
        elif kind == "triangular":
            params = _pair(arg, kind, 3, "low, mode, high")
            if not params[0] <= params[1] <= params[2] or params[0] == params[2]:
                raise PydanticCustomError(
                    "distribution", "triangular needs low <= mode <= high and low < high"
                )
        elif kind == "exponential":
            params = [_number(arg, "exponential mean")]
            if params[0] <= 0:
                raise PydanticCustomError("distribution", "exponential mean must be above 0")
        elif kind in ("normal", "lognormal"):
            keys = ("mean", "sd") if kind == "normal" else ("median", "sigma")
            optional = ("min", "max") if kind == "normal" else ()
            if (
                not isinstance(arg, dict)
                or not set(keys) <= set(arg)
                or not set(arg)
                <= {
                    *keys,
                    *optional,
                }
            ):
                allowed = ", ".join(keys + optional)
                raise PydanticCustomError(
                    "distribution",
                    "{kind} takes a mapping with {allowed}",
                    {"kind": kind, "allowed": allowed},
                )
            params = [_number(arg[k], f"{kind} {k}") for k in keys]
            if kind == "lognormal" and params[1] > 10:
                raise PydanticCustomError("distribution", "lognormal sigma must be at most 10")
            if params[1] < 0 or (kind == "lognormal" and params[0] <= 0):
                raise PydanticCustomError(
                    "distribution",
                    "{kind} needs a positive {a} and sd/sigma >= 0",
                    {"kind": kind, "a": keys[0]},
                )
            if kind == "normal":
                low = _number(arg.get("min", 0.0), "normal min")
                high = _number(arg.get("max", MAX_TIME), "normal max")
                if low >= high:
                    raise PydanticCustomError("distribution", "normal needs min < max")
                params += [low, high]
        else:
            from sim.problems import did_you_mean

            raise PydanticCustomError(
                "distribution",
                "unknown distribution '{kind}'{hint}; use one of {kinds}",
                {
                    "kind": str(kind),
                    "hint": did_you_mean(str(kind), DISTRIBUTION_KINDS),
                    "kinds": ", ".join(DISTRIBUTION_KINDS),
                },
            )
        if kind != "normal" and any(p < 0 for p in params):
            raise PydanticCustomError("distribution", "durations cannot be negative")
        return {"kind": kind, "params": tuple(params)}

    def describe(self) -> str:
        """A short human-readable form, as an author would write it."""
        p = self.params
        match self.kind:
            case "fixed":
                return f"{p[0]:g}"
            case "uniform":
                return f"uniform {p[0]:g}–{p[1]:g}"
            case "triangular":
                return f"triangular {p[0]:g}/{p[1]:g}/{p[2]:g}"
            case "normal":
                return f"normal mean {p[0]:g} sd {p[1]:g}"
            case "lognormal":
                return f"lognormal median {p[0]:g} sigma {p[1]:g}"
            case _:
                return f"exponential mean {p[0]:g}"

    def mean(self) -> float:
        """The expected value, used for planning displays (not for sampling)."""
        p = self.params
        match self.kind:
            case "fixed" | "exponential":
                return p[0]
            case "uniform":
                return (p[0] + p[1]) / 2
            case "triangular":
                return sum(p) / 3
            case "normal":
                return min(max(p[0], p[2]), p[3])
            case _:
                return p[0] * math.exp(p[1] ** 2 / 2)


# --- the scenario block -----------------------------------------------------------------------


class Source(Model):
    """A source document the scenario's facts come from."""

    id: Id
    """How injects refer to this source."""
    file: str | None = None
    """File name of the source document (e.g. in ../shared/seeds/)."""
    title: str | None = None
    """Headline or title of the document."""
    publisher: str | None = None
    """Who published it."""
    date: str | None = None
    """Publication date as written (free text, e.g. '2024-02')."""
    url: str | None = None
    """Where it can be read (shown as text, never opened)."""


class Module(Model):
    """A phase of the exercise, with its own discussion questions (HSEEP module)."""

    id: Id
    title: Text
    """Shown in the briefing and the console."""
    start: Time = 0.0
    """Scenario time at which this module begins."""
    summary: str = ""
    """What happens in this module, read aloud at its start."""
    discussion_questions: list[str] = Field(default_factory=_empty_list)
    """Questions the facilitator puts to the players in this module."""
    facilitator_notes: str = ""
    """Notes for the facilitator only (never shown to players)."""
    minutes: Annotated[int, Field(ge=1, le=24 * 60), NOT_BOOL_WHOLE] | None = None
    """Planned real minutes for this module on the agenda (default: a share of the session)."""


class ScenarioInfo(Model):
    """Who, when and how long: the scenario's identity and clock."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    """The scenario's id, e.g. 'diplomatic-cable-breach'."""
    format: FormatVersion | None = None
    """The format version the file is written in (1 or 2; the same as a top-level 'format')."""
    title: Text
    """Title shown in the picker and the console."""
    summary: str
    """A paragraph for the picker and the briefing."""
    start: datetime
    """Scenario date-time at time 0, e.g. 2020-07-01T09:00:00+09:00."""
    time_unit: TimeUnit = "hours"
    """The unit of every time and duration in the file."""
    horizon: Annotated[float, Field(gt=0, le=MAX_TIME), NOT_BOOL]
    """How long the exercise runs, in time units."""
    seed: Annotated[int, Field(ge=0, le=MAX_SEED), NOT_BOOL_WHOLE] = 0
    """Default random seed."""
    session_minutes: Annotated[int, Field(ge=5, le=24 * 60), NOT_BOOL_WHOLE] = 120
    """Planned length of a facilitated session, in real minutes."""
    audience: str = ""
    """Who the exercise is for."""
    sources: list[Source] = Field(default_factory=_empty_list)
    """Documents the scenario is based on."""
    modules: list[Module] = Field(default_factory=_empty_list)
    """Phases of the exercise, in order."""
    assumptions: list[str] = Field(default_factory=_empty_list)
    """What the author invented (paths, delays, probabilities) and why the numbers are plausible."""
    facilitator_notes: str = ""
    """Notes for the facilitator only."""
    # exercise documents (tabletop pack, tabletop report)
    handling: str = ""
    """Handling caveat printed at the top and foot of every document, e.g. 'FOR EXERCISE USE
    ONLY'."""
    purpose: str = ""
    """Why the exercise is held, for the Situation Manual (default: the summary)."""
    scope: str = ""
    """What the exercise covers and leaves out, for the Situation Manual."""
    ground_rules: list[str] = Field(default_factory=_empty_list)
    """Rules of play for the Situation Manual (default: the usual no-fault rules)."""

    @field_validator("start", mode="before")
    @classmethod
    def _not_a_number(cls, start: Any) -> Any:
        # pydantic reads a number, or a number in quotes, as a Unix time: `start: 1` was
        # 1970-01-01T00:00:01 without a word
        if isinstance(start, int | float) or (
            isinstance(start, str) and NUMBER_TEXT.fullmatch(start.strip())
        ):
            raise PydanticCustomError("datetime_number", "a number is not a date-time")
        return start

    @field_validator("start")
    @classmethod
    def _dates_exist(cls, start: datetime) -> datetime:
        # 4000 + 2 * MAX_TIME days (a horizon, then one more duration) is before the year 9999
        if start.year >= LATEST_START_YEAR:
            raise PydanticCustomError(
                "start", "the start must be before the year {year}", {"year": LATEST_START_YEAR}
            )
        return start


# --- actors and variables ---------------------------------------------------------------------


class Actor(Model):
    """An agency, ally, adversary, operator, the public or the media."""

    id: Id
    name: Text
    """Full name shown to players."""
    affiliation: Affiliation
    """government, ally, adversary, operator, public or media."""
    capacity: Annotated[int, Field(ge=1, le=100), NOT_BOOL_WHOLE] = 1
    """How many responses this actor can work on at once."""
    player: StrictBool | None = None
    """Whether players act for this actor (default: true for government, false otherwise)."""
    description: str = ""
    brief: str = ""
    """The cell's role brief: what it plays and knows at the start (Situation Manual for
    played actors, the controllers' handbook for the others)."""

    @property
    def is_player(self) -> bool:
        return self.player if self.player is not None else self.affiliation == "government"


class Drift(Model):
    """(v2) A variable's own movement: every `every` time units it changes by rate × every."""

    rate: ExprText
    """Change per time unit: a number or an expression (e.g. '(50 - trust) * 0.1' recovers
    toward 50). Negative values decay."""
    every: Annotated[float, Field(gt=0, le=MAX_TIME), NOT_BOOL] = 1.0
    """How often the change is applied, in time units (smaller: smoother, more work)."""
    while_: ExprText | None = Field(default=None, alias="while")
    """A condition: the variable drifts only while it holds (e.g. during a heatwave)."""


class Variable(Model):
    """A named number of the world's state, kept within its bounds."""

    initial: Number
    """Value at time 0."""
    min: Number | None = None
    """Lowest value (changes are clamped)."""
    max: Number | None = None
    """Highest value (changes are clamped)."""
    description: str = ""
    """What the number means, shown on the dashboard."""
    label: str | None = None
    """Short name for displays (default: the id)."""
    unit: str = ""
    """Unit shown after the value, e.g. '%' or 'k cables'."""
    hidden: StrictBool = False
    """True if players cannot see this value (e.g. data the adversary has quietly taken)."""
    drift: Drift | None = None
    """(v2) The value moves by itself at a rate: trust decays, harm accumulates."""
    at_most: ExprText | None = None
    """(v2) An upper bound that may read other variables, e.g. 'stolen' (data published never
    exceeds data stolen): kept at every change of this variable and of what the bound reads."""
    at_least: ExprText | None = None
    """(v2) A lower bound that may read other variables (as 'at_most'; if they cross, it wins)."""

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError(
                "bounds",
                "min ({low}) must not be above max ({high}): swap them",
                {"low": f"{self.min:g}", "high": f"{self.max:g}"},
            )
        if (self.min is not None and self.initial < self.min) or (
            self.max is not None and self.initial > self.max
        ):
            low = "" if self.min is None else f"{self.min:g}"
            high = "" if self.max is None else f"{self.max:g}"
            raise PydanticCustomError(
                "bounds",
                "initial value {initial} is outside min..max ({low}..{high}): change "
                "'initial', or widen 'min' or 'max'",
                {"initial": f"{self.initial:g}", "low": low, "high": high},
            )
        return self

    def clamp(self, value: float) -> float:
        if self.min is not None and value < self.min:
            return self.min
        if self.max is not None and value > self.max:
            return self.max
        return value


# --- triggers shared by injects and threats ---------------------------------------------------


class Triggered(Model):
    """Something that happens at a time, after something else plus a delay, or when a condition
    first becomes true."""

    at: Time | None = None
    """Scenario time at which it happens."""
    after: Id | None = None
    """An inject or decision id: happens once that inject is delivered or that decision is made."""
    delay: Distribution | None = None
    """With 'after': how long after."""
    when: ExprText | None = None
    """A condition: happens as soon as it becomes true."""
    only_if: ExprText | None = Field(default=None, alias="if")
    """Checked at the moment it would happen: if false, it is skipped."""

    def trigger_kind(self) -> str | None:
        set_ = [k for k in ("at", "after", "when") if getattr(self, k) is not None]
        return set_[0] if len(set_) == 1 else None


def _check_trigger(model: Triggered, *, optional: bool) -> None:
    chosen = [k for k in ("at", "after", "when") if getattr(model, k) is not None]
    if len(chosen) > 1:
        raise PydanticCustomError(
            "trigger",
            "use only one of 'at', 'after' and 'when' (found {found})",
            {"found": ", ".join(chosen)},
        )
    if not chosen and not optional:
        raise PydanticCustomError("trigger", "say when it happens: 'at', 'after' or 'when'")
    if model.delay is not None and model.after is None:
        raise PydanticCustomError("trigger", "'delay' only goes with 'after'")


class SourceRef(Model):
    """Where an inject's fact comes from."""

    ref: Id
    """The id of a source in scenario.sources."""
    quote: str = ""
    """A short quote from the source that supports the inject."""


class Inject(Triggered):
    """A message or event delivered to players: one line of the MSEL."""

    id: Id
    sender: Id = Field(alias="from")
    """The actor it comes from."""
    to: list[Id] = Field(min_length=1)
    """The actors it is delivered to."""
    text: Text = Field(min_length=1)
    """What the players read or hear."""
    title: str | None = None
    """A short headline for the MSEL (default: the id)."""
    players_title: str | None = None
    """What the players' MSEL shows before it is delivered, for a publicly scheduled event
    (a cabinet meeting, a summit). Without it players see nothing of an inject until it
    arrives."""
    effects: Effects = Field(default_factory=dict)
    """Changes to variables when it is delivered."""
    decision: Id | None = None
    """A decision the players face once it is delivered."""
    reveals: list[Id] = Field(default_factory=_empty_list)
    """Threats the players learn of when it is delivered (e.g. an ally's warning)."""
    contingency: StrictBool = False
    """Held in reserve: delivered only when the facilitator fires it."""
    module: Id | None = None
    """The module (phase) it belongs to."""
    source: SourceRef | None = None
    """The source document and quote it is based on."""
    invented: StrictBool = False
    """True where the inject is the author's invention rather than a documented fact."""
    provenance: Literal["documented", "dramatized", "invented"] | None = None
    """(v2) documented (a verbatim quote from a cited source, given in 'source'), dramatized
    (a real fact carried by an invented event) or invented."""
    controllers_title: str | None = None
    """(v2) The MSEL headline controllers see, where it differs from the players' 'title'."""
    probability: Probability | None = None
    """(v2) Chance the inject happens at all when it is due (else it is skipped); the
    facilitator's firing always delivers it."""
    expected_actions: list[str] = Field(default_factory=_empty_list)
    """What the designers hope the players do in reply."""
    notes: str = ""
    """Facilitator notes (never shown to players)."""

    @model_validator(mode="after")
    def _trigger(self) -> Self:
        _check_trigger(self, optional=self.contingency)
        if self.provenance == "documented" and (self.source is None or not self.source.quote):
            raise PydanticCustomError(
                "provenance", "a documented inject quotes its source: add 'source' with 'quote'"
            )
        if self.invented and self.provenance not in (None, "invented"):
            raise PydanticCustomError(
                "provenance",
                "'invented: true' contradicts 'provenance: {p}'",
                {"p": self.provenance},
            )
        if self.contingency and self.trigger_kind() is not None:
            raise PydanticCustomError(
                "trigger",
                "a contingency inject is fired by the facilitator: remove '{k}'",
                {"k": self.trigger_kind()},
            )
        return self


# --- threats ----------------------------------------------------------------------------------


class Branch(Model):
    """(v2) One way a campaign can go when a stage ends: to a stage, or to its end."""

    stage: Id | None = None
    """The stage the campaign goes to (an earlier one: the adversary retools and tries again)."""
    end: StrictBool = False
    """True: the campaign ends here, 'completed' (the adversary goes quiet)."""
    only_if: ExprText | None = Field(default=None, alias="if")
    """A condition read when the stage ends: the branch is possible only while it holds."""
    weight: Annotated[float, Field(gt=0, le=MAX_TIME), NOT_BOOL] = 1.0
    """The branch's share among the possible ones: taken with chance weight / (sum of the
    possible branches' weights)."""

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if (self.stage is None) == (not self.end):
            raise PydanticCustomError(
                "branch", "a branch goes to a 'stage' or ends the campaign ('end: true'): one"
            )
        return self


class Stage(Model):
    """One stage of an adversary campaign (recon, access, lateral movement, ...)."""

    id: Id
    title: str | None = None
    duration: Distribution
    """How long the stage takes."""
    detect: Probability = 0.0
    """Chance that the defenders notice the campaign during this stage."""
    detect_rate: ExprText | None = None
    """(v2) Detection as a rate: the expected detections per time unit while the campaign
    hides in this stage (a number or an expression, read as each round begins); found after
    an exponential time with mean 1 / rate."""
    effects: Effects = Field(default_factory=dict)
    """Changes to variables when the stage succeeds."""
    repeat: StrictBool = False
    """Repeat this stage until the campaign is stopped or the exercise ends."""
    next: list[Branch] | None = Field(default=None, min_length=1)
    """(v2) Where the campaign goes when this stage ends: the branches whose 'if' holds are
    possible, and one is drawn by weight. If none is possible the campaign goes on as without
    'next' (the stage repeats, or the next stage in the list follows)."""


class Reentry(Model):
    """(v2) A stopped campaign comes back: after a delay, with a chance, from its first stage."""

    delay: Distribution
    """How long after the eviction the adversary is back."""
    chance: Probability = 1.0
    """Chance it comes back at all (checked once per eviction)."""
    times: Annotated[int, Field(ge=1, le=100), NOT_BOOL_WHOLE] = 1
    """How many times at most it comes back."""


class Threat(Triggered):
    """An adversary campaign: stages run one after another until it is stopped."""

    id: Id
    actor: Id
    """The adversary actor behind it."""
    title: str | None = None
    description: str = ""
    stages: list[Stage] = Field(min_length=1)
    detection_effects: Effects = Field(default_factory=dict)
    """Changes to variables when the campaign is detected."""
    not_before: Time | None = None
    """(v2) The campaign waits until this time even when its trigger comes earlier (a strike
    timed for the opening ceremony)."""
    abort_if: ExprText | None = None
    """(v2) A condition: the adversary gives up (the campaign is stopped, 'by abort') as soon
    as it holds while the campaign runs (deterrence, exposure, sanctions)."""
    reentry: Reentry | None = None
    """(v2) After the defenders stop (evict) it, the adversary may come back."""

    @model_validator(mode="after")
    def _trigger(self) -> Self:
        _check_trigger(self, optional=True)
        return self


# --- decisions --------------------------------------------------------------------------------


class Option(Model):
    """One choice the players can make."""

    id: Id
    label: Text
    """The option as players read it."""
    description: str = ""
    effects: Effects = Field(default_factory=dict)
    """Changes to variables when chosen."""
    responses: list[Id] = Field(default_factory=_empty_list)
    """Responses started when chosen."""
    only_if: ExprText | None = Field(default=None, alias="if")
    """(v2) A condition checked when the decision is posed: if false the option is not offered
    (hidden from the players and refused if chosen)."""
    consent: "Consent | None" = None
    """(v2) Another actor must agree: if it refuses, the option's effects and responses do
    not happen and the room is told."""


class Consent(Model):
    """(v2) Another actor's agreement to an option, decided by a chance that may read state."""

    actor: Id
    """The actor whose agreement is needed (e.g. an ally)."""
    chance: Probability
    """Chance the actor agrees, e.g. '0.3 + trust / 200'."""
    refusal: str = ""
    """What the room is told when the actor refuses (default: '<actor> refuses')."""


class Reopen(Model):
    """(v2) When a decided decision is posed again."""

    when: ExprText | None = None
    """A condition: posed again each time it becomes true again (e.g. after a failed
    eviction)."""
    every: Annotated[float, Field(gt=0, le=MAX_TIME), NOT_BOOL] | None = None
    """Posed again this long after it was last decided, ..."""
    while_: ExprText | None = Field(default=None, alias="while")
    """... while this condition holds (with 'every'; default: always)."""
    times: Annotated[int, Field(ge=1, le=100), NOT_BOOL_WHOLE] = 10
    """How many times at most it is posed again."""

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.when is None) == (self.every is None):
            raise PydanticCustomError("reopen", "give either 'when' or 'every'")
        if self.while_ is not None and self.every is None:
            raise PydanticCustomError("reopen", "'while' goes with 'every'")
        return self


class Decision(Model):
    """A decision point: the players choose one option before the deadline."""

    id: Id
    owner: Id
    """The actor who decides."""
    prompt: Text
    """The question put to the players."""
    description: str = ""
    options: list[Option] = Field(min_length=2)
    default: Id
    """The option that takes effect if nobody decides by the deadline."""
    deadline: Annotated[float, Field(gt=0, le=MAX_TIME), NOT_BOOL]
    """Time the players have, from the moment the decision is posed."""
    reopen: Reopen | None = None
    """(v2) The decision comes back after it was made: when a condition becomes true again,
    or every N time units while one holds."""

    @model_validator(mode="after")
    def _default(self) -> Self:
        ids = [o.id for o in self.options]
        default = next((o for o in self.options if o.id == self.default), None)
        if default is not None and (default.only_if is not None or default.consent is not None):
            raise PydanticCustomError(
                "reference",
                "the default option '{d}' must always be possible: no 'if' or 'consent'",
                {"d": self.default},
            )
        if self.default not in ids:
            from sim.problems import did_you_mean

            raise PydanticCustomError(
                "reference",
                "default '{d}' is not one of the options{hint}",
                {"d": self.default, "hint": did_you_mean(self.default, ids)},
            )
        return self


# --- responses --------------------------------------------------------------------------------


class Start(Model):
    """A follow-on response started when a response succeeds, optionally under a condition."""

    response: Id
    only_if: ExprText | None = Field(default=None, alias="if")

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        return {"response": value} if isinstance(value, str) else value


class Retry(Model):
    """(v2) A failed response is tried again after a delay, a limited number of times."""

    attempts: Annotated[int, Field(ge=1, le=20), NOT_BOOL_WHOLE] = 1
    """How many times at most it is tried again after failing (in the whole exercise)."""
    delay: Distribution
    """How long after a failure the next attempt starts (never 0)."""
    backoff: Annotated[float, Field(ge=1, le=10), NOT_BOOL] = 1.0
    """Each further delay is this many times the one before (2: each wait doubles)."""
    while_: ExprText | None = Field(default=None, alias="while")
    """A condition read when an attempt is due: it is made only if it holds (e.g. while the
    threat still runs); otherwise the retries end."""

    @model_validator(mode="after")
    def _waits(self) -> Self:
        d = self.delay
        lowest = d.params[2] if d.kind == "normal" else d.params[0]
        if d.kind not in ("exponential", "lognormal") and lowest <= 0:
            raise PydanticCustomError(
                "retry",
                "a retry's delay must be above 0: a failed response is not tried again in the "
                "same instant (give a delay whose lowest value is above 0)",
            )
        return self


class ResponseBase(Model):
    """What every response has."""

    id: Id
    title: str | None = None
    description: str = ""
    requires: Id | Annotated[list[Id], Field(min_length=1, max_length=20)] | None = None
    """A legislation response that must be enacted first (until then this one is locked);
    (v2) or a list of them, all of which must be enacted."""
    effects: Effects = Field(default_factory=dict)
    """Changes to variables when it succeeds (for a notification: the recipients' reaction)."""
    starts: list[Start] = Field(default_factory=_empty_list)
    """Responses started when it succeeds (e.g. an ally's assistance)."""
    on_failure: list[Start] = Field(default_factory=_empty_list)
    """(v2) Responses started when it fails (a countermeasure or a bill; a notification never
    fails), each optionally under a condition."""
    retry: Retry | None = None
    """(v2) When it fails, it is tried again: how many times, after how long."""

    def laws(self) -> tuple[str, ...]:
        """The bills this response requires, in file order (all must be enacted)."""
        if self.requires is None:
            return ()
        return (self.requires,) if isinstance(self.requires, str) else tuple(self.requires)


def _no_delay() -> Distribution:
    """A notification's default delay (a named function: sim/coreschemas.py refers to it)."""
    return Distribution.model_validate(0)


class Notification(ResponseBase):
    """Telling other actors: delivered after a delay; the recipients react."""

    kind: Literal["notification"]
    sender: Id = Field(alias="from")
    """The actor who tells."""
    to: list[Id] = Field(min_length=1)
    """The actors told."""
    delay: Distribution = Field(default_factory=_no_delay)
    """Time until the message lands."""
    about: Id | None = None
    """An inject or threat this is about: 'age' in effects is the time since it happened."""
    message: str = ""
    """What is said, shown in the inject feed."""


class Countermeasure(ResponseBase):
    """Work by an actor that may stop, slow or reveal a threat."""

    kind: Literal["countermeasure"]
    actor: Id
    """Who does the work; it holds one unit of the actor's capacity."""
    duration: Distribution
    success: Probability = 1.0
    """Chance it works."""
    stops: list[Id] = Field(default_factory=_empty_list)
    """Threats stopped on success."""
    slows: dict[str, Annotated[float, Field(le=MAX_FACTOR), NOT_BOOL]] = Field(default_factory=dict)
    """Threats slowed on success: remaining stage times multiplied by this factor."""
    reveals: list[Id] = Field(default_factory=_empty_list)
    """Threats detected on success (if still hidden)."""
    failure_effects: Effects = Field(default_factory=dict)
    """Changes to variables when it fails."""
    mitigates: dict[str, Annotated[float, Field(ge=0, le=1), NOT_BOOL]] = Field(
        default_factory=dict
    )
    """(v2) Threats whose later effects it scales on success: 0.25 keeps a quarter of each
    change a stage makes (several mitigations multiply)."""


class BillStage(Model):
    """One step of a bill's path: drafting, cabinet approval, a chamber's deliberation."""

    id: Id
    title: str | None = None
    duration: Distribution
    passes: Probability = 1.0
    """Chance the bill gets through this stage."""
    stall: Distribution | None = None
    """If it does not pass: how long it stalls before another attempt (none: it fails)."""
    attempts: Annotated[int, Field(ge=1, le=10), NOT_BOOL_WHOLE] = 1
    """How many tries this stage gets before the bill dies."""
    actor: Id | None = None
    """An actor whose capacity this stage holds (e.g. the Diet, one bill at a time)."""
    sitting: StrictBool = False
    """(v2) The stage progresses only while parliament sits (a sitting of the 'calendar'):
    time between sittings does not count, and a bill that reaches it between sittings waits
    for the next one."""
    duration_factor: ExprText | None = None
    """(v2) The duration is multiplied by this, read when each attempt begins (crowding:
    '1 + 0.1 * bills_in_session')."""
    start_effects: Effects = Field(default_factory=dict)
    """(v2) Changes to variables when each attempt at the stage begins."""
    during: "During | None" = None
    """(v2) Changes to variables repeated while the stage is in progress."""


class During(Model):
    """(v2) Changes repeated every so often while a stage is in progress."""

    every: Annotated[float, Field(gt=0, le=MAX_TIME), NOT_BOOL]
    """How often, in time units of progress (for a sitting stage: of sitting time)."""
    effects: Effects
    """The changes applied each time."""


class Legislation(ResponseBase):
    """A bill: slow, uncertain stages; when enacted it unlocks the responses that require it."""

    kind: Literal["legislation"]
    sponsor: Id
    """The actor who introduces the bill."""
    stages: list[BillStage] = Field(min_length=1)
    failure_effects: Effects = Field(default_factory=dict)
    """Changes to variables when the bill fails."""
    carry_over: Probability = 0.0
    """(v2) Chance that the bill, if it is before parliament when a sitting ends (not by
    dissolution), is carried over to the next sitting, keeping its stage and the time spent;
    otherwise it dies (default 0: it dies, the rule of session discontinuity)."""


# --- the parliament's calendar (v2) -----------------------------------------------------------


class Dissolution(Model):
    """(v2) How a sitting can end early: the house is dissolved, and the bills before it die."""

    only_if: ExprText | None = Field(default=None, alias="if")
    """A condition: the house is dissolved as soon as it holds while the sitting is open."""
    chance: Probability | None = None
    """Chance, read when the sitting opens, that the house is dissolved during it ..."""
    after: Distribution | None = None
    """... this long after the sitting opens (with 'chance'; default: any time while it
    sits, evenly)."""
    text: str = ""
    """What the room is told (default: 'The house is dissolved')."""

    @model_validator(mode="after")
    def _how(self) -> Self:
        if self.only_if is None and self.chance is None:
            raise PydanticCustomError("dissolution", "give 'if', 'chance' or both")
        if self.after is not None and self.chance is None:
            raise PydanticCustomError("dissolution", "'after' goes with 'chance'")
        return self


class Sitting(Model):
    """(v2) A period when parliament sits (a Diet session): sitting stages of bills progress
    only then."""

    id: Id
    title: str | None = None
    """Shown to the room when it opens and closes, e.g. '201st ordinary session'."""
    opens: Time
    """Scenario time at which it opens."""
    closes: Time
    """Scenario time at which it ends, unless the house is dissolved first."""
    submit_by: Time | None = None
    """Bills that reach parliament after this time wait for the next sitting (the
    submission deadline); carried-over bills are already before it."""
    dissolution: Dissolution | None = None
    """The house may be dissolved during this sitting."""

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.closes <= self.opens:
            raise PydanticCustomError("sitting", "a sitting must close after it opens")
        if self.submit_by is not None and not self.opens <= self.submit_by <= self.closes:
            raise PydanticCustomError("sitting", "'submit_by' must be between 'opens' and 'closes'")
        return self


Response = Annotated[Notification | Countermeasure | Legislation, Field(discriminator="kind")]
RESPONSE_KINDS = ("notification", "countermeasure", "legislation")


# --- objectives -------------------------------------------------------------------------------


class Within(Model):
    """(v2) A window relative to an event: 'within 6 hours of detection'."""

    time: Time
    """The length of the window, in time units."""
    of: Id
    """The event: an inject (delivered), a decision (made) or a threat (detected)."""


class Objective(Model):
    """What the exercise tests, rated met / partially met / not met with evidence."""

    id: Id
    description: str
    met: ExprText = "false"
    """Condition for 'met' (required, unless the objective is rated by an evaluator)."""
    partially: ExprText | None = None
    """Condition for 'partially met' when 'met' does not hold."""
    by: Time | None = None
    """If set: the condition must first hold at or before this time (else: at the end)."""
    throughout: StrictBool = False
    """If true: the condition must hold at every moment of the exercise."""
    at: Time | None = None
    """(v2) The condition must hold at this time (rated on the values at that moment)."""
    within: Within | None = None
    """(v2) The condition must first hold within a time of an event (e.g. of detection)."""
    module: Id | None = None
    """The module this objective belongs to."""
    evaluation: list[str] = Field(default_factory=_empty_list)
    """What evaluators watch for: the evaluation guide in the controllers' handbook."""
    rated_by: Literal["engine", "evaluator"] = "engine"
    """(v2) Who rates it: 'engine' (from 'met' and 'partially'), or 'evaluator': by hand, in
    the console or with the Rate command, as met, partially met or not met with a note; it then
    has no condition, and shows 'awaiting evaluator' until rated."""

    @model_validator(mode="after")
    def _judged(self) -> Self:
        if self.rated_by == "evaluator":
            conditions = ("met", "partially", "by", "throughout", "at", "within")
            given = [k for k in conditions if k in self.model_fields_set]
            if given:
                raise PydanticCustomError(
                    "objective",
                    "an objective rated by an evaluator has no condition: remove {found} "
                    "(or 'rated_by: evaluator', to let the engine rate it)",
                    {"found": ", ".join(f"'{k}'" for k in given)},
                )
            return self
        if "met" not in self.model_fields_set:
            raise PydanticCustomError(
                "objective",
                "missing key 'met' (the condition for met), or write 'rated_by: evaluator' "
                "for an objective an evaluator rates by hand",
                {},
            )
        chosen = [k for k in ("by", "throughout", "at", "within") if getattr(self, k)]
        if self.by is not None and "by" not in chosen:
            chosen.append("by")
        if self.at is not None and "at" not in chosen:
            chosen.append("at")
        if len(chosen) > 1:
            raise PydanticCustomError(
                "objective",
                "use only one of 'by', 'throughout', 'at' and 'within' (found {found})",
                {"found": ", ".join(chosen)},
            )
        return self


# --- the whole scenario -----------------------------------------------------------------------


class Scenario(Model):
    """A complete, validated scenario."""

    format: FormatVersion = 1
    scenario: ScenarioInfo
    actors: list[Actor] = Field(min_length=1)
    variables: dict[Id, Variable] = Field(default_factory=dict)
    threats: list[Threat] = Field(default_factory=_empty_list)
    injects: list[Inject] = Field(min_length=1)
    decisions: list[Decision] = Field(default_factory=_empty_list)
    responses: list[Response] = Field(default_factory=_empty_list)
    objectives: list[Objective] = Field(default_factory=_empty_list)
    calendar: list[Sitting] = Field(default_factory=_empty_list)
    """(v2) When parliament sits: the sittings that bills' 'sitting' stages need."""
    _compiled: Any = PrivateAttr(default=None)
    """Compiled expressions (see sim.compiled), cached so a batch compiles once."""

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)

    def hours(self, t: float) -> float:
        """Scenario time units to hours."""
        return t * UNIT_HOURS[self.scenario.time_unit]


SECTIONS: dict[str, Any] = {
    "scenario": ScenarioInfo,
    "actors": Actor,
    "variables": Variable,
    "threats": Threat,
    "injects": Inject,
    "decisions": Decision,
    "responses": Response,
    "objectives": Objective,
    "calendar": Sitting,
}
"""Each top-level key and the model of its items (the loader validates item by item)."""
