"""`tabletop msel import`: injects from a spreadsheet export (CSV) appended to a scenario's YAML.

It reads the `msel.csv` that `tabletop pack` writes (so the MSEL round-trips through a
spreadsheet) as well as a planner's own sheet. What the sheet cannot say exactly (an inject
that follows another event or waits for a condition, its effects) is a row problem, never
guessed: such injects stay in the scenario's YAML.

The spreadsheet comes from elsewhere, so it is read like any untrusted file: bounded in size,
UTF-8 only, no control characters, no cells that a spreadsheet would run as a formula (a cell
that starts with an apostrophe before a formula character is text: the apostrophe is dropped,
as `tabletop pack` writes such text; see sim.spreadsheet). Every bad row is reported as
`file.csv:ROW: message` (ROW as the spreadsheet numbers it: the header is row 1; a condition's
problem as `file.csv:ROW:CHAR`, CHAR the character in its cell), all at once, and nothing is
written unless every row is good.

The scenario file is edited as text: the new injects are inserted right after the last inject of
its `injects:` section (found from the YAML events, so that a block text whose lines look like
comments stays whole), and every other line, comment and blank line stays as it was. The result
is loaded and checked before it replaces the file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import yaml

from sim.clock import NOW
from sim.compiled import expression_names
from sim.expr import ExprError, NameSpec, compile_expr
from sim.loader import MAX_REPORTED  # problems shown at most, as for a scenario
from sim.problems import did_you_mean, hint_budget
from sim.safetext import is_unsafe_char, printable
from sim.schema import ID_PATTERN, KEYWORDS, RESERVED_NAMES, UNIT_HOURS, Scenario, is_blank
from sim.spreadsheet import cell_list, is_neutralised, spreadsheet_text

MAX_BYTES = 2_000_000
MAX_ROWS = 2_000
MAX_FIELD = 20_000
"""Characters in one cell (an inject's text is a paragraph, not a book)."""

COLUMNS: dict[str, tuple[str, ...]] = {
    # our name: the headers a planner's spreadsheet may use for it (compared in lower case)
    "time": ("time", "at", "hour", "when", "scenario time"),
    "from": ("from", "sender", "source actor"),
    "to": ("to", "recipients", "recipient", "audience"),
    "title": ("title", "headline", "subject"),
    "text": ("text", "message", "inject", "description", "content"),
    "notes": ("notes", "facilitator notes", "controller notes"),
    "expected_actions": ("expected actions", "expected_actions", "expected action", "actions"),
    "id": ("id", "inject id"),
    # the other columns of `tabletop pack`'s msel.csv
    "planned": ("planned", "planned time"),
    "trigger": ("trigger",),
    "condition": ("condition", "if", "only if"),
    "decision": ("decision",),
    "contingency": ("contingency",),
    "module": ("module", "phase"),
}
REQUIRED = ("from", "to", "text")
"""Besides one of 'time' and 'planned' (the time when there is no 'time' column)."""
IGNORED = ("module",)
"""Read for information only (an inject's module stays as the scenario's YAML says)."""
MULTI_LINE = ("text", "notes", "expected_actions", "condition", "decision")
_AT_TRIGGER = re.compile(r"at (\d{4}-\d\d-\d\d \d\d:\d\d) \(t=(\S+) (\w+)\)")
_CHANCE = re.compile(r",\s*with chance\s+(?P<chance>.*)\Z", re.S)
"""(v2) The chance that an inject happens when it falls due, as `tabletop pack` writes it after
its trigger ('at ... (t=20 hours), with chance 0.5'): the inject's 'probability'."""
"""The trigger `tabletop pack` writes for an inject at a fixed time."""
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?")
_YAML_FORBIDS = "\ufffe\uffff"
"""The characters that neither YAML nor the control-character check lets through (a cell
decoded from UTF-8 holds no surrogate)."""
_FORMULA = re.compile(r"^[=@]|^[+\-][^\d\s.]|^\t|^\r")


@dataclass(frozen=True, order=True)
class RowProblem:
    path: str
    row: int
    message: str
    col: int = 0
    """For a condition: the character of the cell where the problem is (1-based), else 0."""

    def __str__(self) -> str:
        where = f"{self.row}:{self.col}" if self.col else f"{self.row}"
        return f"{printable(self.path, one_line=True)}:{where}: {printable(self.message)}"


class MselImportError(Exception):
    """The import was refused; carries every problem found."""

    def __init__(self, problems: Iterable[RowProblem]) -> None:
        found = sorted(set(problems))
        self.total = len(found)
        """How many problems were found (``problems`` holds at most MAX_REPORTED of them)."""
        self.rows = len({p.row for p in found})
        self.problems = found[:MAX_REPORTED]
        if self.total > MAX_REPORTED:  # a hostile sheet can have one in every cell
            last, rest = found[MAX_REPORTED - 1], self.total - MAX_REPORTED
            more = f"… and {rest:,} more problem{'s' if rest != 1 else ''} (fix these first)"
            self.problems.append(RowProblem(last.path, last.row, more, last.col))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ImportedInject:
    row: int
    id: str
    at: float | None
    """None for a contingency inject (the facilitator fires it)."""
    sender: str
    to: list[str]
    text: str
    title: str = ""
    notes: str = ""
    expected_actions: list[str] = field(default_factory=list)
    contingency: bool = False
    decision: str = ""
    only_if: str | float | None = None
    probability: str | float | None = None
    """(v2) The chance that it happens when it falls due."""


_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
"""How a workbook file starts: a ZIP archive (.xlsx, .ods) or an OLE2 file (.xls)."""


def read_msel_csv(path: str | os.PathLike[str], scenario: Scenario) -> list[ImportedInject]:
    """Read and check every row; raise MselImportError listing every bad row."""
    with hint_budget():  # did-you-mean searches are bounded, however many cells are wrong
        return _read(path, scenario)


def _read(path: str | os.PathLike[str], scenario: Scenario) -> list[ImportedInject]:
    shown = str(path)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        problem = RowProblem(shown, 1, f"cannot read the file: {exc.strerror}")
        raise MselImportError([problem]) from None
    if len(raw) > MAX_BYTES:
        raise MselImportError(
            [RowProblem(shown, 1, f"the file is larger than {MAX_BYTES:,} bytes")]
        )
    if raw.startswith(_WORKBOOKS):
        message = (
            "this is a spreadsheet workbook (.xlsx, .xls or .ods), not a CSV file: open it and "
            "save the sheet as 'CSV UTF-8'"
        )
        raise MselImportError([RowProblem(shown, 1, message)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MselImportError(
            [
                RowProblem(
                    shown,
                    line,
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the sheet as 'CSV UTF-8'",
                )
            ]
        ) from None
    if "\x00" in text:
        raise MselImportError([RowProblem(shown, 1, "the file holds NUL bytes: not a CSV file")])
    return _rows(shown, text, scenario)


def _dialect(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def _rows(shown: str, text: str, scenario: Scenario) -> list[ImportedInject]:
    problems: list[RowProblem] = []
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(first), strict=True)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD * 4 + 1)
    try:
        try:
            header = next(reader, None)
        except csv.Error as exc:
            problem = RowProblem(shown, 1, f"the header row is not CSV: {exc}")
            raise MselImportError([problem]) from None
        if header is None or not any(h.strip() for h in header):
            raise MselImportError([RowProblem(shown, 1, "the file is empty: no header row")])
        columns = _columns(shown, header)
        width = len(header)
        rows: list[tuple[int, list[str]]] = []
        row_number = 1
        while True:
            row_number += 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(RowProblem(shown, row_number, f"not valid CSV: {exc}"))
                break
            if len(rows) >= MAX_ROWS:
                problems.append(RowProblem(shown, row_number, f"more than {MAX_ROWS} rows"))
                break
            if any(c.strip() for c in cells):
                rows.append((row_number, cells))
    finally:
        csv.field_size_limit(old_limit)
    actors = {a.id: a.id for a in scenario.actors}
    by_name = {a.name.strip().lower(): a.id for a in scenario.actors}
    taken = dict.fromkeys(_ids_in(scenario), 0)  # id: the row that took it (0: the scenario)
    names = _names(scenario, rows, columns.get("id"))
    out: list[ImportedInject] = []
    for row, cells in rows:
        if any(c.strip() for c in cells[width:]):
            problems.append(RowProblem(shown, row, "more cells than the header has columns"))
            continue
        inj = _row(shown, row, cells, columns, scenario, actors, by_name, taken, names, problems)
        if inj is not None:
            taken[inj.id] = row
            out.append(inj)
    if not rows and not problems:
        problems.append(RowProblem(shown, 2, "no rows below the header"))
    if problems:
        raise MselImportError(problems)
    return out


def _columns(shown: str, header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    problems: list[RowProblem] = []
    aliases = {alias: name for name, names in COLUMNS.items() for alias in names}
    for i, raw in enumerate(header):
        name = " ".join(raw.strip().lower().split())
        if not name:
            continue
        ours = aliases.get(name)
        if ours is None:
            hint = did_you_mean(name, aliases)
            problems.append(
                RowProblem(
                    shown,
                    1,
                    f"unknown column '{_short(raw)}'{hint}; columns: "
                    "time (or planned), from, to, title, text, notes, expected actions, id, "
                    "trigger, condition, decision, contingency, module",
                )
            )
        elif ours in found:
            problems.append(RowProblem(shown, 1, f"two columns for '{ours}'"))
        else:
            found[ours] = i
    if "time" not in found and "planned" not in found:
        problems.append(RowProblem(shown, 1, "missing column 'time' (or 'planned')"))
    for name in REQUIRED:
        if name not in found:
            problems.append(RowProblem(shown, 1, f"missing column '{name}'"))
    if problems:
        raise MselImportError(problems)
    return found


def _names(
    scenario: Scenario, rows: list[tuple[int, list[str]]], id_column: int | None
) -> dict[str, NameSpec]:
    """The names a condition may use: the scenario's, and the injects the sheet names."""
    sheet_ids = (
        {c for _, cells in rows if id_column < len(cells) and (c := cells[id_column].strip())}
        if id_column is not None
        else set()
    )
    return expression_names(
        scenario.variables,
        scenario.decisions,
        (t.id for t in scenario.threats),
        (r.id for r in scenario.responses),
        {*(i.id for i in scenario.injects), *sheet_ids},
        (s.id for s in scenario.calendar),
    )


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def _ids_in(scenario: Scenario) -> set[str]:
    ids = set(scenario.variables)
    for section in (
        scenario.actors,
        scenario.threats,
        scenario.injects,
        scenario.decisions,
        scenario.responses,
        scenario.objectives,
        scenario.calendar,
    ):
        ids |= {item.id for item in section}
    return ids


def _row(
    shown: str,
    row: int,
    cells: list[str],
    columns: dict[str, int],
    scenario: Scenario,
    actors: dict[str, str],
    by_name: dict[str, str],
    taken: dict[str, int],
    names: dict[str, NameSpec],
    problems: list[RowProblem],
) -> ImportedInject | None:
    before = len(problems)

    def bad(message: str) -> None:
        problems.append(RowProblem(shown, row, message))

    values: dict[str, str] = {}
    for name, i in columns.items():
        if name in IGNORED:
            continue
        value = cells[i] if i < len(cells) else ""
        if len(value) > MAX_FIELD:
            bad(f"'{name}' is longer than {MAX_FIELD:,} characters")
            continue
        forbidden = next((c for c in value if c in _YAML_FORBIDS), None)
        if forbidden is not None:  # not even a double-quoted YAML string may hold it
            bad(f"'{name}' holds U+{ord(forbidden):04X}, a character a scenario cannot hold")
            continue
        unsafe = next((c for c in value if is_unsafe_char(c) and c not in "\r\n\t"), None)
        one_line = name not in MULTI_LINE
        if unsafe is not None or (one_line and any(c in value for c in "\r\n\t")):
            char = unsafe or next(c for c in value if c in "\r\n\t")
            bad(f"'{name}' holds a control character (U+{ord(char):04X})")
            continue
        if is_neutralised(value):
            value = spreadsheet_text(value)  # text that `tabletop pack` made safe
        elif _FORMULA.match(value):
            bad(
                f"'{name}' starts with '{value[0]}' like a spreadsheet formula; "
                "export values, or start the text with a letter or an apostrophe"
            )
            continue
        values[name] = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    for name in REQUIRED:
        if name in values and is_blank(values[name]):
            bad(f"'{name}' is empty")
    probability = _probability(values, names, scenario, shown, row, problems)
    contingency, at = _when(values, "time" if "time" in columns else "planned", scenario, bad)
    sender = _actor(values.get("from", ""), "from", actors, by_name, bad)
    to = _recipients(values.get("to", ""), actors, by_name, bad)
    decision = _decision(values.get("decision", ""), scenario, bad)
    only_if: str | float | None = None
    condition = values.get("condition", "")
    if condition:
        only_if = float(condition) if _NUMBER.fullmatch(condition) else condition
        try:
            expression = compile_expr(only_if, names)
        except ExprError as exc:
            col = (exc.offset or 0) + 1
            problems.append(RowProblem(shown, row, f"'condition': {exc.message}", col))
        else:
            for part, offset in expression.format2 if _says_format_1(scenario) else ():
                message = f"'condition': '{part}' is format 2, but the scenario says 'format: 1'"
                problems.append(RowProblem(shown, row, message, offset + 1))
    inject_id = values.get("id", "")
    if inject_id:
        if not re.fullmatch(ID_PATTERN, inject_id):
            bad(f"'{_short(inject_id)}' is not a valid id (lower-case letters, digits, '_')")
        elif inject_id == NOW and inject_id in _reserved(scenario):
            bad(f"'{NOW}' is the current time in format 2 expressions; choose another id")
        elif inject_id in KEYWORDS:
            bad(
                f"'{inject_id}' is a word of the expression language and cannot be an id;"
                " choose another"
            )
        elif inject_id in RESERVED_NAMES:
            bad(f"'{inject_id}' is a reserved word in expressions; choose another id")
        elif taken.get(inject_id, 0):
            bad(
                f"id '{inject_id}' is already used by row {taken[inject_id]}: give the row "
                "another id, or empty its id cell (an id is then made up)"
            )
        elif inject_id in taken:
            bad(
                f"id '{inject_id}' is already used in the scenario (an import only adds "
                "injects): to replace that inject, delete it from the scenario first; to add "
                "a new one, give the row another id or empty its id cell (an id is then made up)"
            )
        else:  # taken even if this row has problems: a later row with the same id is told
            taken[inject_id] = row
    else:
        text = values.get("title") or values.get("text", "")
        inject_id = _new_id(text, row, taken, _reserved(scenario))
    if len(problems) > before or (at is None and not contingency) or sender is None or not to:
        return None
    actions = cell_list(values.get("expected_actions", ""))
    title = values.get("title", "")
    if title == values.get("id"):
        title = ""  # `tabletop pack` writes the id as the title of an untitled inject
    return ImportedInject(
        row=row,
        id=inject_id,
        at=at,
        sender=sender,
        to=list(dict.fromkeys(to)),
        text=values["text"],
        title=title,
        notes=values.get("notes", ""),
        expected_actions=actions,
        contingency=contingency,
        decision=decision,
        only_if=only_if,
        probability=probability if not contingency else None,
    )


def _probability(
    values: dict[str, str],
    names: Mapping[str, NameSpec],
    scenario: Scenario,
    shown: str,
    row: int,
    problems: list[RowProblem],
) -> str | float | None:
    """The chance after the trigger ('..., with chance 0.5'), taken off the trigger: a number
    from 0 to 1 or an expression, checked as the scenario's 'probability' is."""
    found = _CHANCE.search(values.get("trigger", ""))
    if found is None:
        return None
    values["trigger"] = values["trigger"][: found.start()].rstrip()
    text = found.group("chance").strip()
    if _says_format_1(scenario):
        message = "'trigger': a chance is format 2, but the scenario says 'format: 1'"
        problems.append(RowProblem(shown, row, message, 0))
        return None
    if _NUMBER.fullmatch(text):
        chance = float(text)
        if not 0 <= chance <= 1:
            message = f"'trigger': a chance is a number from 0 to 1, not {_short(text)}"
            problems.append(RowProblem(shown, row, message, 0))
            return None
        return chance
    try:
        compile_expr(text, names)
    except ExprError as exc:
        problems.append(RowProblem(shown, row, f"'trigger': chance: {exc.message}", 0))
        return None
    return text


Bad = Callable[[str], None]


def _when(
    values: dict[str, str], column: str, scenario: Scenario, bad: Bad
) -> tuple[bool, float | None]:
    """Whether the row is a contingency inject, and its time (from the 'time' column, else
    'planned'; a `tabletop pack` trigger 'at CLOCK (t=N unit)' whose clock is the planned
    date-time gives the exact N). Anything but a fixed time or a held inject is refused."""
    unit = scenario.scenario.time_unit
    if column not in values:
        return False, None  # its cell was refused (reported)
    when = values[column]
    trigger = values.get("trigger", "")
    flag = values.get("contingency", "").lower()
    held_planned = column == "planned" and when.lower() == "held"
    held_trigger = trigger.lower().startswith("held")
    plain = _AT_TRIGGER.fullmatch(trigger)
    if trigger and not held_trigger and plain is None:
        name = f"'{values['id']}'" if values.get("id") else "this inject"
        bad(
            f"trigger '{_short(trigger)}' is not a fixed time: a sheet can only give an "
            f"inject a fixed time or hold it as a contingency; keep {name} in the "
            f"scenario's YAML, or write a time in '{column}' and empty 'trigger'"
        )
        return False, None
    if flag in ("true", "yes"):
        contingency = True
    elif flag in ("false", "no"):
        contingency = False
        if held_planned or held_trigger:
            bad(
                "'contingency' is no, but the inject is 'held': set 'contingency' to yes, "
                f"or give a time in '{column}' and empty 'trigger'"
            )
            return False, None
    elif not flag:
        contingency = held_planned or held_trigger
    else:
        bad(f"contingency '{_short(flag)}' must be true, false, yes, no or empty")
        return False, None
    if contingency:
        if (when and not held_planned) or plain is not None:
            bad(
                "a contingency inject has no time (the facilitator fires it): "
                f"empty '{column}' and 'trigger', or set 'contingency' to no"
            )
        return True, None
    if not when:
        bad(
            f"'{column}' is empty: give a date-time such as "
            f"{scenario.scenario.start:%Y-%m-%d %H:%M}, or a number of {unit}"
        )
        return False, None
    if when.lower().startswith("about ") or when.lower().startswith("when "):
        bad(
            f"{column} '{_short(when)}' is an estimate, not a time: this inject follows "
            "another event; keep it in the scenario's YAML, or write a fixed time"
        )
        return False, None
    at = _time(when, scenario, bad)
    if at is not None and plain is not None and column == "planned":
        clock, number, its_unit = plain.groups()
        exact = _float(number)
        if (
            clock == when
            and its_unit == unit
            and exact is not None
            and 0 <= exact < scenario.scenario.horizon
            and abs(exact - at) * UNIT_HOURS[unit] < 1 / 60
        ):
            at = exact  # the planned clock is to the minute; pack's t= is the time itself
    return False, at


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def _decision(value: str, scenario: Scenario, bad: Bad) -> str:
    """The decision a 'decision' cell names: its id, or its prompt (as `tabletop pack`
    writes it)."""
    if not value:
        return ""
    if any(d.id == value for d in scenario.decisions):
        return value
    wanted = " ".join(value.split())
    found = [d.id for d in scenario.decisions if " ".join(d.prompt.split()) == wanted]
    if len(found) == 1:
        return found[0]
    if found:
        bad(
            f"decision '{_short(value)}' is the prompt of {len(found)} decisions "
            f"({', '.join(found)}): write the id of the one the inject poses"
        )
        return ""
    hint = did_you_mean(value, [d.id for d in scenario.decisions])
    bad(
        f"unknown decision '{_short(value)}'{hint}: write a decision's id or its prompt "
        "as the scenario has it (an import cannot add a decision)"
    )
    return ""


def _time(value: str, scenario: Scenario, bad: Bad) -> float | None:
    """A number in the scenario's time unit, or a date-time converted from scenario.start."""
    info = scenario.scenario
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if number != number or number in (float("inf"), float("-inf")) or number < 0:
            bad(f"time '{_short(value)}' must be a number of {info.time_unit} from 0")
            return None
        at = number
    else:
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            bad(
                f"time '{_short(value)}' is neither a number of {info.time_unit} nor a date-time "
                "such as 2020-07-01T09:00"
            )
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=info.start.tzinfo)
        hours = (when - info.start).total_seconds() / 3600
        if hours < 0:
            bad(f"time '{_short(value)}' is before the scenario starts ({info.start.isoformat()})")
            return None
        at = round(hours / UNIT_HOURS[info.time_unit], 6)
    if at >= info.horizon:
        bad(f"time {at:g} is at or after the horizon ({info.horizon:g} {info.time_unit})")
        return None
    return at


def _actor(
    value: str, column: str, actors: dict[str, str], by_name: dict[str, str], bad: Bad
) -> str | None:
    if not value:
        return None
    found = _known(value, actors, by_name)
    if found is None:
        hint = did_you_mean(value, [*actors, *by_name])
        bad(f"unknown actor '{_short(value)}' in '{column}'{hint}")
    return found


def _known(value: str, actors: dict[str, str], by_name: dict[str, str]) -> str | None:
    return actors.get(value) or actors.get(value.lower()) or by_name.get(value.lower())


def _recipients(value: str, actors: dict[str, str], by_name: dict[str, str], bad: Bad) -> list[str]:
    """The actors of a 'to' cell, separated by ';', ',' or '|'. A name that itself holds a
    separator ('Foreign Affairs, Ministry of') is found whole: from each part on, the longest
    run of parts that names an actor is taken (`tabletop pack` joins names with ', ')."""
    cuts = [m.start() for m in re.finditer(r"[;,|]", value)]
    starts, ends = [0, *(c + 1 for c in cuts)], [*cuts, len(value)]
    longest = max((len(n) for n in [*actors, *by_name]), default=0)
    out: list[str] = []
    i = 0
    while i < len(starts):
        found, last = None, i
        for j in range(i + 1, len(starts)):
            text = value[starts[i] : ends[j]].strip()
            if len(text) > longest:  # it only grows with j
                break
            actor = _known(text, actors, by_name)
            if actor is not None:
                found, last = actor, j
        if found is None:
            part = value[starts[i] : ends[i]].strip()
            found = _actor(part, "to", actors, by_name, bad) if part else None
        if found is not None and found not in out:
            out.append(found)
        i = last + 1
    return out


def _says_format_1(scenario: Scenario) -> bool:
    """Whether the file says 'format: 1' (then format 2 expressions are refused in it)."""
    stated = scenario.format if "format" in scenario.model_fields_set else None
    return 1 in (stated, scenario.scenario.format)


def _reserved(scenario: Scenario) -> frozenset[str]:
    """The names no id may take: the words of expressions ('now' too in format 2)."""
    if 2 in (scenario.format, scenario.scenario.format):
        return RESERVED_NAMES | KEYWORDS | {NOW}
    return RESERVED_NAMES | KEYWORDS


def _new_id(text: str, row: int, taken: dict[str, int], reserved: frozenset[str]) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:6]
    base = "_".join(words)[:50].strip("_") or f"inject_row_{row}"
    if not base[0].isalpha():
        base = f"inject_{base}"[:50]
    candidate, n = base, 2
    while candidate in taken or candidate in reserved:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


# --- writing YAML text --------------------------------------------------------------------------


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML), line separators escaped too."""
    out = json.dumps(text, ensure_ascii=False)
    for ch in ("\u2028", "\u2029", "\x85", "\ufeff"):
        out = out.replace(ch, f"\\u{ord(ch):04x}")
    return out


def inject_yaml(inj: ImportedInject, indent: str, source: str) -> str:
    """One inject as YAML text, in the same indentation as the file's other injects."""
    pad = indent + "  "
    lines = [f"{indent}- id: {_id(inj.id)}"]
    if inj.contingency:
        lines.append(f"{pad}contingency: true")
    if inj.at is not None:
        lines.append(f"{pad}at: {_number(inj.at)}")
    if inj.probability is not None:
        chance = inj.probability
        lines.append(
            f"{pad}probability: {_number(chance) if isinstance(chance, float) else _quote(chance)}"
        )
    if inj.only_if is not None:
        only_if = inj.only_if
        lines.append(
            f"{pad}if: {_number(only_if) if isinstance(only_if, float) else _quote(only_if)}"
        )
    lines += [f"{pad}from: {_id(inj.sender)}", f"{pad}to: [{', '.join(map(_id, inj.to))}]"]
    if inj.title:
        lines.append(f"{pad}title: {_quote(inj.title)}")
    lines.append(f"{pad}text: {_quote(inj.text)}")
    if inj.decision:
        lines.append(f"{pad}decision: {_id(inj.decision)}")
    if inj.expected_actions:
        lines.append(f"{pad}expected_actions:")
        lines += [f"{pad}  - {_quote(a)}" for a in inj.expected_actions]
    if inj.notes:
        lines.append(f"{pad}notes: {_quote(inj.notes)}")
    return "\n".join([f"{indent}# imported from {_comment(source)}, row {inj.row}", *lines])


def _id(text: str) -> str:
    """An id as YAML reads it back: plain, or quoted if plain it would not be text (an id such
    as 'null', valid when the scenario quotes it)."""
    return _quote(text) if text in ("null", "true", "false") else text


def _number(value: float) -> str:
    """A number YAML reads back as the same float (no exponent, which YAML 1.1 reads as text
    without a dot)."""
    short = f"{value:g}"
    if "e" not in short and float(short) == value:
        return short
    text = repr(value)
    if "e" in text:
        text = f"{value:.20f}".rstrip("0").rstrip(".")
    return text


def _comment(text: str) -> str:
    return printable(text, one_line=True).replace("\n", " ")


class AppendError(Exception):
    pass


def append_injects(text: str, injects: list[ImportedInject], source: str) -> str:
    """The scenario text with the injects appended to its block-style `injects:` section,
    right after the last character of its last inject: a block text's lines that look like
    comments or blank lines are the text's own, and stay with it."""
    at, item = _injects_end(text)
    first = re.search("\r\n|[\r\n]", text)
    newline = first.group() if first else "\n"  # the file's own: "\r\n" stays "\r\n"
    if at < 0:  # the last inject's line is the file's last and has no line break
        head, tail = text + newline, ""
    else:
        head, tail = text[:at], text[at:]
    lines = "\n".join(inject_yaml(inj, item, source) for inj in injects).split("\n")
    return head + "".join(line + newline for line in lines) + tail


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML (PyYAML) counts as a line break."""


def _injects_end(text: str) -> tuple[int, str]:
    """Where the new injects go (a character index; -1: at the end, after a line break) and
    the indentation of the section's items, from the YAML events of the root mapping."""
    try:  # the pure-Python parser: its marks count characters of this very text
        events = iter(yaml.parse(text, Loader=yaml.SafeLoader))
        for _ in range(2):  # the stream's and the document's start
            next(events, None)
        root = next(events, None)
        if not isinstance(root, yaml.MappingStartEvent) or root.flow_style:
            raise AppendError("the scenario is not a block mapping ('key: value' lines)")
        key: str | None = None
        for event in events:
            if isinstance(event, yaml.MappingEndEvent):
                break
            if key is None:
                key = event.value if isinstance(event, yaml.ScalarEvent) else ""
                _skip(event, events)
                continue
            if key == "injects":
                return _section_end(text, event, events)
            _skip(event, events)
            key = None
    except yaml.YAMLError:  # the file loaded before the import: not expected
        raise AppendError("the scenario is not YAML that the import can edit") from None
    raise AppendError("the scenario has no 'injects:' section")


def _skip(event: yaml.Event, events: Iterator[yaml.Event]) -> tuple[int, int]:
    """Consume the rest of the node that ``event`` starts; the end of its last character
    (index in the text, column)."""
    end = _end(event)
    if not isinstance(event, yaml.CollectionStartEvent):
        return end
    flow = bool(event.flow_style)
    for inner in events:
        if isinstance(inner, yaml.CollectionEndEvent):
            return _end(inner) if flow else end
        end = _skip(inner, events)
    return end


def _end(event: yaml.Event) -> tuple[int, int]:
    mark = event.end_mark
    if mark is None:  # the pure-Python parser always marks its events
        raise AppendError("the scenario is not YAML that the import can edit")
    return mark.index, mark.column


def _section_end(text: str, event: yaml.Event, events: Iterator[yaml.Event]) -> tuple[int, str]:
    if isinstance(event, yaml.ScalarEvent) and event.value == "" and event.implicit[0]:
        (end, column), item = _end(event), "  "  # `injects:` with nothing under it yet
    elif isinstance(event, yaml.SequenceStartEvent) and not event.flow_style:
        start = event.start_mark.column if event.start_mark is not None else 2
        (end, column), item = _skip(event, events), " " * start
    elif isinstance(event, yaml.SequenceStartEvent):
        raise AppendError(
            "'injects:' is written in flow style ([...]); write it as a block list to import"
        )
    else:
        raise AppendError("'injects:' is not a block list of injects ('- id: ...' lines)")
    if column == 0:  # a block text ends after its own line breaks
        return end, item
    found = _LINE_BREAK.search(text, end)
    return (found.end() if found else -1), item
