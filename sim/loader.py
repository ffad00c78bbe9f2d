"""Load a scenario file: untrusted YAML in, a validated Scenario out, or every problem at once.

Sections are validated item by item, so one broken inject does not hide the problems of the
others, and cross-references are checked among the items that did validate.
"""

from __future__ import annotations

import os
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.checks import check_references
from sim.clock import check_now_id
from sim.compiled import Compiled
from sim.coreschemas import prebuilt as prebuilt_validator
from sim.formatversion import check_format
from sim.problems import InputProblems, Problem, did_you_mean, hint_budget
from sim.schema import ID_PATTERN, RESPONSE_KINDS, SECTIONS, Id, Response, Scenario
from sim.v2keys import check_version_keys, states_format_1
from sim.yamlread import Document, Path_, read_yaml_file, read_yaml_text

REQUIRED = ("scenario", "actors", "injects")
MAX_REPORTED = 100
"""Most problems reported for one file; the rest are counted ("… and 11,900 more")."""


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario file; raise InputProblems listing every error."""
    scenario, problems = check_scenario_file(path)
    if scenario is None:
        raise InputProblems(problems)
    return scenario


def load_scenario_text(text: str, path: str = "<string>") -> Scenario:
    """Like load_scenario, for text already in memory (tests, editors)."""
    scenario, problems = check_scenario(read_yaml_text(text, path), text)
    if scenario is None:
        raise InputProblems(problems)
    return scenario


def check_scenario_file(
    path: str | os.PathLike[str],
) -> tuple[Scenario | None, list[Problem]]:
    """Validate a file: the scenario (None if any error) and every problem, warnings included."""
    try:
        doc = read_yaml_file(path, display_path=str(path))
    except InputProblems as exc:
        return None, exc.problems
    except OSError as exc:
        return None, [Problem(str(path), 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    return check_scenario(doc, None)


def check_scenario(doc: Document, text: str | None) -> tuple[Scenario | None, list[Problem]]:
    """Validate a parsed document (text, if known, sharpens columns inside expressions)."""
    with hint_budget():
        return _check_scenario(doc, text)


def _check_scenario(doc: Document, text: str | None) -> tuple[Scenario | None, list[Problem]]:
    report = _Report(doc, text)
    data = doc.data
    if not isinstance(data, dict):
        report.add(
            (), f"a scenario is a mapping with keys {', '.join(SECTIONS)}; found {_kind_of(data)}"
        )
        return None, report.problems
    if "playbook" in data and "scenario" not in data:
        report.add(
            ("playbook",),
            "this is a playbook, not a scenario: check it against its scenario with "
            "'tabletop run SCENARIO --playbook FILE'",
            key=True,
        )
        return None, report.problems
    if not check_format(report, data):
        return None, report.problems
    for key in data:
        if key not in SECTIONS and key != "format":
            hint = did_you_mean(key, SECTIONS)
            report.add((key,), f"unknown section '{_short(key)}'{hint}", key=True)
    for key in REQUIRED:
        if key not in data:
            report.add((), f"missing section '{key}'")

    valid: dict[str, Any] = {}
    failed_ids: set[str] = set()
    broken: set[str] = set()
    for section, model in SECTIONS.items():
        if section not in data:
            continue
        raw = data[section]
        if section == "scenario":
            valid[section] = report.validate(model, raw, (section,))
        elif section == "variables":
            if raw is None:
                raw = {}
            if not isinstance(raw, dict):
                report.add(
                    (section,),
                    f"'variables' is a mapping of names to variables; found {_kind_of(raw)}",
                )
                broken.add(section)
                continue
            items = {}
            for name, value in raw.items():
                if report.validate(Id, name, (section, name), key=True) is None:
                    failed_ids.update((name, suggested_id(name)))
                    continue
                ok = report.validate(model, value, (section, name))
                if ok is None:
                    failed_ids.add(name)
                else:
                    items[name] = ok
            valid[section] = items
        else:
            if raw is None:
                raw = []
            if not isinstance(raw, list):
                report.add(
                    (section,),
                    f"'{section}' is a list (items start with '- '); found {_kind_of(raw)}",
                )
                broken.add(section)
                continue
            items_l = []
            for i, item in enumerate(raw):
                ok = report.validate(model, item, (section, i))
                if ok is None:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        # and the id it was probably meant to be, which the file may use
                        failed_ids.update((item["id"], suggested_id(item["id"])))
                else:
                    items_l.append((i, ok))
            valid[section] = items_l

    compiled = check_references(report, valid, failed_ids, broken, format_1=states_format_1(data))
    check_version_keys(report, data, valid)
    check_now_id(report.add, data, valid)
    problems = _capped(sorted(report.problems))
    if any(p.severity == "error" for p in problems):
        return None, problems
    scenario = _assembled(data, valid)
    if scenario is None:
        try:
            scenario = Scenario.model_validate(
                {k: _EMPTY.get(k, v) if v is None else v for k, v in data.items()}
            )
        except ValidationError as exc:  # a rule the item-by-item checks missed: still a problem
            for err in exc.errors():
                report._pydantic_error(Scenario, data, (), err)
            return None, _capped(sorted(report.problems))
    if isinstance(compiled, Compiled):
        scenario._compiled = compiled
    return scenario, problems


_EMPTY: dict[str, Any] = {
    "variables": {},
    "threats": [],
    "decisions": [],
    "responses": [],
    "objectives": [],
}
"""Sections that may be written empty (``threats:``): read as none."""
_AT_LEAST_ONE = ("actors", "injects")
"""Sections that need at least one item (``Field(min_length=1)`` in sim.schema.Scenario)."""


def _assembled(data: dict[str, Any], valid: dict[str, Any]) -> Scenario | None:
    """The Scenario built from the sections already validated item by item, or None when the
    whole document must be validated again (a section written empty that may not be, or a
    list that needs an item): that validation then reports the problem as it always has.

    Every item was validated on its own, the Scenario model has no rule across its sections
    (tests/sim/test_loader_assembly.py keeps it so), and 'format' was checked (check_format):
    validating the whole again would only build the same objects a second time, with a
    validator for the whole scenario built for that alone.
    """
    fields: dict[str, Any] = {}
    for key, raw in data.items():
        if key == "format":
            fields[key] = raw
        elif (raw is None and key not in _EMPTY) or key not in valid:
            return None
        elif key in ("scenario", "variables"):
            fields[key] = valid[key]
        else:
            fields[key] = [item for _, item in valid[key]]
    if any(not fields.get(key) for key in _AT_LEAST_ONE):
        return None
    return Scenario.model_construct(**fields)


def _capped(problems: list[Problem]) -> list[Problem]:
    """Each problem once; at most MAX_REPORTED, errors first, then one line counting the rest."""
    problems = list(dict.fromkeys(problems))
    if len(problems) <= MAX_REPORTED:
        return problems
    errors = [p for p in problems if p.severity == "error"]
    shown = sorted((errors or problems)[:MAX_REPORTED])
    rest = len(problems) - len(shown)
    last = shown[-1]
    more = f"… and {rest:,} more problem{'s' if rest != 1 else ''} (fix these first)"
    return [*shown, Problem(last.path, last.line, last.col, more, last.severity)]


class _Report:
    """Collects problems and turns data paths into file positions."""

    def __init__(self, doc: Document, text: str | None) -> None:
        self.doc = doc
        self.text = text
        self.problems: list[Problem] = []
        self._lines: list[str] | None = None

    def add(
        self,
        path: Path_,
        message: str,
        *,
        key: bool = False,
        offset: int | None = None,
        severity: str = "error",
    ) -> None:
        mark = self.doc.key_marks.get(path) if key else None
        if mark is None:
            mark = self.doc.mark(path)
        col = mark.col
        if offset is not None and path in self.doc.marks:
            line_text = self._line(mark.line)
            quoted = 0 < col <= len(line_text) and line_text[col - 1] in "'\""
            col += offset + (1 if quoted else 0)
        self.problems.append(
            Problem(
                self.doc.path,
                mark.line,
                col,
                message,
                "warning" if severity == "warning" else "error",
            )
        )

    def _line(self, n: int) -> str:
        if self._lines is None:
            text = self.text
            if text is None:
                try:
                    text = Path(self.doc.path).read_text(encoding="utf-8-sig", errors="replace")
                except OSError:
                    text = ""
            self._lines = text.splitlines()
        return self._lines[n - 1] if 0 < n <= len(self._lines) else ""

    def validate(self, model: Any, raw: Any, where: Path_, *, key: bool = False) -> Any:
        """Validate one item (``model``: a model class, Response or Id); on failure report each
        error at its position and return None."""
        try:
            return _validator(model)(raw)
        except ValidationError as exc:
            for err in exc.errors():
                if key:
                    self.add(where, _message(err, err.get("input")), key=True)
                else:
                    self._pydantic_error(model, raw, where, err)
            return None

    def _pydantic_error(self, model: Any, raw: Any, where: Path_, err: Any) -> None:
        loc = tuple(err["loc"])
        if model is Response and loc and loc[0] in RESPONSE_KINDS:
            model = _response_class(str(loc[0]))
            loc = loc[1:]
        path = where + loc
        kind = err["type"]
        value = err.get("input")
        if kind == "extra_forbidden":
            name = str(loc[-1])
            fields = _fields_at(model, loc[:-1])
            self.add(path, f"unknown key '{_short(name)}'{did_you_mean(name, fields)}", key=True)
            return
        if kind == "missing":
            self.add(path[:-1], f"missing key '{loc[-1]}'")
            return
        if path and path[-1] == "[key]":  # a mapping key that is not valid: point at the key
            self.add(path[:-1], _message(err, value), key=True)
            return
        if kind == "string_pattern_mismatch" and loc and loc[-1] == "after":
            self.add(self._written(path), _after_message(value))
            return
        self.add(self._written(path), _message(err, value))

    def _written(self, path: Path_) -> Path_:
        """The path as the file writes it: a lone rule or item written without its list
        (``x: {choose: a}`` for ``x: [{choose: a}]``) has no index 0 in the file."""
        if path in self.doc.marks:
            return path
        for i, part in enumerate(path):
            if part == 0:
                shorter = path[:i] + path[i + 1 :]
                if shorter in self.doc.marks:
                    return shorter
        return path


_VALIDATORS: dict[Any, Callable[[Any], Any]] = {}


def _validator(model: Any) -> Callable[[Any], Any]:
    """What validates an item: a validator built from the core schemas generated ahead of
    time (sim/coreschemas.py) where they may be used, else pydantic's own."""
    found = _VALIDATORS.get(model)
    if found is None:
        name = "Response" if model is Response else "Id" if model is Id else model.__name__
        prebuilt = prebuilt_validator(name)
        if prebuilt is not None:
            found = prebuilt.validate_python
        elif isinstance(model, type) and issubclass(model, BaseModel):
            found = model.model_validate
        else:
            found = TypeAdapter(model).validate_python
        _VALIDATORS[model] = found
    return found


def suggested_id(value: str) -> str:
    """The id an invalid one was probably meant to be ('iot botnet', 'IoT-Botnet': 'iot_botnet')."""
    fixed = unicodedata.normalize("NFKC", value).strip().lower()
    return fixed.replace("-", "_").replace(" ", "_")


def _message(err: Any, value: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        fixed = suggested_id(value)
        hint = ""
        if fixed != value and fixed.isascii() and fixed[:1].isalpha():
            hint = f" (try '{fixed}')"
        if not value.isascii() and fixed.isascii():
            hint = f" (it looks like '{fixed}' but has look-alike characters)"
        return (
            f"'{_short(value)}' is not a valid id: use lower-case letters, digits and '_', "
            f"starting with a letter{hint}"
        )
    if kind == "int_parsing_size":
        return "the number is too large"
    big = isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1e300
    if big and kind in ("float_type", "string_type"):
        return f"the number {_kind_of(value).removeprefix('the number ')} is too large"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        whole = "a whole number" if kind.startswith("int") else "a number"
        with_unit = _WITH_UNIT.fullmatch(value) if isinstance(value, str) else None
        fix = (
            f"; write the number alone ({with_unit.group(1)}; times are in the scenario's "
            "time_unit)"
            if with_unit is not None
            else ""
        )
        return f"expected {whole}, got {_kind_of(value)}{fix}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_kind_of(value)}{_bool_hint(value)}"
    if kind == "string_type":
        return f"expected text, got {_kind_of(value)}"
    if kind == "list_type":
        scalar = isinstance(value, str | int | float) and not isinstance(value, bool)
        fix = f"; write it in brackets: [{value}]" if scalar and len(str(value)) <= 40 else ""
        return f"expected a list, got {_kind_of(value)}{fix}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value), got {_kind_of(value)}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), options)
        return f"'{_short(str(value))}' is not allowed here{hint}; use {expected}"
    if kind in ("union_tag_invalid",):
        tag = str(ctx.get("tag", value))
        return (
            f"unknown response kind '{_short(tag)}'{did_you_mean(tag, RESPONSE_KINDS)}; "
            f"use notification, countermeasure or legislation"
        )
    if kind == "union_tag_not_found":
        return "missing key 'kind' (notification, countermeasure or legislation)"
    if kind in ("too_short", "string_too_short"):
        if isinstance(value, str):
            return "must not be empty"
        n = ctx.get("min_length", 1)
        return f"needs at least {n} item{'s' if n != 1 else ''}"
    if kind.startswith(("datetime", "date_")):
        return "expected a date-time such as 2020-07-01T09:00:00+09:00"
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if msg.startswith("Input should"):
        msg = "should" + msg[len("Input should") :]
        if value is not None and not isinstance(value, dict | list):
            msg += f" (got {_short(repr(value))})"
    return msg[:1].lower() + msg[1:] if msg[:2] != msg[:2].upper() else msg


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _after_message(value: Any) -> str:
    """'after' takes an id; a condition written there belongs in 'when' or 'if'."""
    if isinstance(value, str) and re.search(r"[^A-Za-z0-9_\- ]", value.strip()):
        return (
            f"'after' takes the id of an inject or decision, not a condition "
            f"('{_short(value)}'); "
            "for a condition use 'when:' (happens once it holds) or 'if:' (checked then)"
        )
    fixed = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    hint = f" (try '{fixed}')" if re.fullmatch(ID_PATTERN, fixed) else ""
    return (
        f"'{_short(str(value))}' is not a valid id{hint}: 'after' takes the id of an inject "
        "or decision "
        "(lower-case letters, digits and '_', starting with a letter)"
    )


def _bool_hint(value: Any) -> str:
    """Why a YAML 1.1 boolean word is refused: the format takes only true and false."""
    if not isinstance(value, str):
        return ""
    word = value.strip().lower()
    if word in ("true", "false"):
        return f"; write {word} without quotes"
    if word in ("yes", "on", "y"):
        return "; write true (yes, no, on and off are text here)"
    if word in ("no", "off", "n"):
        return "; write false (yes, no, on and off are text here)"
    return ""


_WITH_UNIT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*[A-Za-z]+\s*")
"""A number written with its unit ('6h', '2 days')."""


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, int | float):
        return f"the number {_short(repr(value))}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _response_class(kind: str) -> type[BaseModel]:
    for cls in typing.get_args(typing.get_args(Response)[0]):
        if cls.model_fields["kind"].annotation == typing.Literal[kind]:
            return typing.cast(type[BaseModel], cls)
    raise KeyError(kind)


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at loc inside model (for 'did you mean')."""
    current: Any = model
    for part in loc:
        current = _inner(current, part)
        if current is None:
            return []
    cls = next(_models(current), None)
    if cls is None:
        return []
    return [f.alias or name for name, f in cls.model_fields.items()]


def _inner(tp: Any, part: Any) -> Any:
    for cls in _models(tp):
        if isinstance(part, str):
            for name, f in cls.model_fields.items():
                if part in (name, f.alias):
                    return f.annotation
    origin = typing.get_origin(tp)
    if origin in (list, tuple):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    return None


def _models(tp: Any) -> Iterator[type[BaseModel]]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        yield tp
        return
    origin = typing.get_origin(tp)
    if origin is typing.Annotated or origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            yield from _models(arg)
