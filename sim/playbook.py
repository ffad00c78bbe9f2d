"""Playbooks: scripted decisions for headless runs, checked against their scenario."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, model_validator

from sim.compiled import compiled
from sim.expr import ExprError
from sim.problems import InputProblems, did_you_mean, hint_budget
from sim.schema import MAX_TIME, NOT_BOOL, ExprText, Id, Model, Scenario
from sim.yamlread import Document, read_yaml_file, read_yaml_text

if TYPE_CHECKING:
    from sim.loader import _Report


class Rule(Model):
    """Choose an option, optionally only if a condition holds when the decision is posed."""

    choose: Id
    """The option to choose."""
    only_if: ExprText | None = Field(default=None, alias="if")
    """Condition checked when the decision is posed; if false, the next rule is tried."""
    after: Annotated[float, Field(ge=0, le=MAX_TIME), NOT_BOOL] = 0.0
    """How long the players take to decide, in scenario time units (0: at once)."""

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        return {"choose": value} if isinstance(value, str) else value


class PlaybookInfo(Model):
    """What the playbook is and which scenario it is for."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    title: str = ""
    """One line: the policy this playbook follows."""
    description: str = ""
    scenario: str | None = None
    """The id of the scenario it is written for (checked when given)."""


def _as_rules(value: Any) -> Any:
    if isinstance(value, str | dict):
        return [value]
    return value


class Playbook(Model):
    """Decision id → the rules that choose its option. Decisions left out take their default
    option at their deadline, as if nobody decided."""

    playbook: PlaybookInfo
    decisions: dict[Id, list[Rule]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, value: Any) -> Any:
        if isinstance(value, dict) and "decisions" in value and value["decisions"] is None:
            value = {**value, "decisions": {}}  # written empty: none, as a scenario's sections
        if isinstance(value, dict) and isinstance(value.get("decisions"), dict):
            value = {**value, "decisions": {k: _as_rules(v) for k, v in value["decisions"].items()}}
        return value


LISTED = 20
"""Most options a problem names (a decision may have thousands)."""


def _listed(options: list[str]) -> str:
    if len(options) <= LISTED:
        return ", ".join(options)
    return f"{', '.join(options[:LISTED])} and {len(options) - LISTED:,} more"


def load_playbook(path: str | os.PathLike[str], scenario: Scenario) -> Playbook:
    """Read a playbook file and check it against the scenario; raise InputProblems."""
    return check_playbook(read_yaml_file(path, display_path=str(path)), scenario)


def load_playbook_text(text: str, scenario: Scenario, path: str = "<string>") -> Playbook:
    return check_playbook(read_yaml_text(text, path), scenario)


def check_playbook_shape(doc: Document) -> Playbook:
    """Check a playbook on its own (no scenario to check its decisions against)."""
    from sim.loader import _capped, _Report

    report = _Report(doc, None)
    _refuse_a_scenario(report, doc)
    book: Playbook | None = report.validate(Playbook, doc.data, ())
    if book is None:
        raise InputProblems(_capped(sorted(report.problems)))
    return book


def _refuse_a_scenario(report: _Report, doc: Document) -> None:
    """A scenario given where a playbook goes is one problem, not one per section (the mirror
    of the loader's 'this is a playbook, not a scenario')."""
    data = doc.data
    if isinstance(data, dict) and "scenario" in data and "playbook" not in data:
        report.add(
            ("scenario",),
            "this is a scenario, not a playbook: a playbook starts with 'playbook:' (give a "
            "scenario as SCENARIO)",
            key=True,
        )
        raise InputProblems(report.problems)


def check_playbook(doc: Document, scenario: Scenario) -> Playbook:
    """Check a playbook against its scenario; raise InputProblems listing every error."""
    with hint_budget():
        return _check_playbook(doc, scenario)


def _check_playbook(doc: Document, scenario: Scenario) -> Playbook:
    from sim.loader import _capped, _Report

    report = _Report(doc, None)
    _refuse_a_scenario(report, doc)
    book: Playbook | None = report.validate(Playbook, doc.data, ())
    if book is None:
        raise InputProblems(_capped(sorted(report.problems)))
    sid = book.playbook.scenario
    if sid is not None and sid != scenario.scenario.id:
        report.add(
            ("playbook", "scenario"),
            f"this playbook is for scenario '{sid}', not '{scenario.scenario.id}'",
        )
    decisions = {d.id: d for d in scenario.decisions}
    comp = compiled(scenario)
    for did, rules in book.decisions.items():
        d = decisions.get(did)
        if d is None:
            report.add(
                ("decisions", did),
                f"unknown decision '{did}'{did_you_mean(did, decisions)}",
                key=True,
            )
            continue
        options = [o.id for o in d.options]
        for i, rule in enumerate(rules):
            where = ("decisions", did, i)
            if rule.choose not in options:
                report.add(
                    (*where, "choose"),
                    f"'{rule.choose}' is not an option of '{did}'"
                    f"{did_you_mean(rule.choose, options)}; options: {_listed(options)}",
                )
            if rule.after >= d.deadline:
                report.add(
                    (*where, "after"),
                    f"'after' ({rule.after:g}) must be before the decision's deadline "
                    f"({d.deadline:g})",
                )
            if rule.only_if is not None:
                try:
                    comp.expr(rule.only_if)
                except ExprError as exc:
                    report.add((*where, "if"), str(exc), offset=exc.offset)
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        raise InputProblems(_capped(sorted(errors)))
    return book


__all__ = [
    "Playbook",
    "Rule",
    "check_playbook",
    "check_playbook_shape",
    "load_playbook",
    "load_playbook_text",
]
