"""What `tabletop validate` checks: files, folders and bundled ids, scenarios and playbooks.

A playbook is recognised by its top-level ``playbook:`` key and checked as a playbook: against
the scenario it names when that scenario is among the targets or bundled, else on its own.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sim.loader import check_scenario
from sim.plain import Value
from sim.problems import InputProblems, Problem, did_you_mean
from sim.safetext import echoed
from sim.yamlread import Document, read_yaml_file

if TYPE_CHECKING:
    from sim.schema import Scenario

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FOLDER_FILES = 1_000
"""Most files `validate` reads from one folder."""


class TargetError(Exception):
    """A name that is neither a file, a folder nor a bundled scenario or playbook."""


class Checked(Value):
    """The outcome for one file. (A plain class, not a dataclass: sim/plain.py.)"""

    _fields = ("path", "kind", "title", "problems")

    def __init__(
        self, path: str, kind: str, title: str, problems: list[Problem] | None = None
    ) -> None:
        self.path = path
        self.kind = kind  # "scenario" or "playbook"
        self.title = title
        self.problems: list[Problem] = [] if problems is None else problems

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def expand(names: Iterable[str]) -> list[Path]:
    """Files to check: each name as a file, every YAML file in a folder, or a bundled id."""
    out: list[Path] = []
    for name in names:
        if not name.strip():  # Path('') is the current folder: never what an empty name meant
            raise TargetError("an empty name: give a file, a folder or a bundled id")
        path = Path(name)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:  # a name too long for the system, say
            why = (
                "has a name too long for this system (no file can have it)"
                if exc.errno == errno.ENAMETOOLONG
                else f"cannot be read: {exc.strerror or exc}"
            )
            raise TargetError(f"'{echoed(name)}' {why}") from None
        if is_dir:
            found = sorted(_yaml_files(path))
            if not found:
                raise TargetError(f"the folder '{echoed(name)}' has no .yaml files")
            out.extend(found)
        elif exists:
            out.append(path)
        else:
            from sim.bundled import bundled_names, resolve  # importlib.resources: only for ids

            bundled = resolve(name) or resolve(name, "playbook")
            if bundled is None:
                pool = [*bundled_names(), *bundled_names("playbook")]
                raise TargetError(
                    f"'{echoed(name)}' does not exist (no file, folder or bundled scenario or "
                    f"playbook of that name){did_you_mean(name, pool)}"
                )
            out.append(bundled)
    return list(dict.fromkeys(out))


def _yaml_files(folder: Path) -> Iterator[Path]:
    """YAML files in a folder and its sub-folders (symlinked folders are not followed).

    A sub-folder named like a YAML file (``x.yaml/``) is yielded too, so that it is reported
    ("cannot read the file: it is a directory") as `lint` reports it, never skipped silently;
    what it holds is checked as well."""
    count = 0
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted([*files, *(d for d in dirs if d.endswith(YAML_SUFFIXES))]):
            if f.endswith(YAML_SUFFIXES):
                count += 1
                if count > MAX_FOLDER_FILES:
                    raise TargetError(
                        f"the folder '{folder}' has more than {MAX_FOLDER_FILES:,} YAML files"
                    )
                yield Path(root) / f


def check_all(paths: list[Path]) -> list[Checked]:
    """Check every file; playbooks after scenarios, so they can be checked against them."""
    docs: list[tuple[Path, Document | None, list[Problem]]] = []
    for path in paths:
        try:
            docs.append((path, read_yaml_file(path, display_path=str(path)), []))
        except InputProblems as exc:
            docs.append((path, None, exc.problems))
    scenarios: dict[str, list[tuple[Path, Scenario]]] = {}
    results: dict[Path, Checked] = {}
    for path, doc, problems in docs:
        if doc is not None and is_playbook(doc):
            continue
        checked = Checked(str(path), "scenario", "", problems)
        if doc is not None:
            scenario, checked.problems = check_scenario(doc, None)
            if scenario is not None:
                checked.title = scenario.scenario.title
                scenarios.setdefault(scenario.scenario.id, []).append((path, scenario))
        results[path] = checked
    for path, doc, _ in docs:
        if doc is None or not is_playbook(doc):
            continue
        results[path] = _check_playbook(path, doc, scenarios)
    return [results[p] for p in paths]


def is_playbook(doc: Document) -> bool:
    return isinstance(doc.data, dict) and "playbook" in doc.data and "scenario" not in doc.data


def _its_scenario(book: Path, found: list[tuple[Path, Scenario]]) -> Scenario:
    """Of the files checked with a playbook's scenario id (a draft, the tutorial's steps), the
    one it belongs with: the file beside it that it is named after (`x--y.yaml` is for
    `x.yaml`), else the first beside it, else the first of all."""
    stem = book.name.split("--", 1)[0]
    beside = [(p, s) for p, s in found if p.parent == book.parent]
    named = [s for p, s in beside if "--" in book.name and p.stem == stem]
    return (named or [s for _, s in beside] or [s for _, s in found])[0]


def _check_playbook(
    path: Path, doc: Document, scenarios: dict[str, list[tuple[Path, Scenario]]]
) -> Checked:
    from sim.bundled import bundled_scenarios
    from sim.loader import check_scenario_file
    from sim.playbook import check_playbook, check_playbook_shape  # only for playbooks

    checked = Checked(str(path), "playbook", "")
    info = doc.data.get("playbook")
    sid = info.get("scenario") if isinstance(info, dict) else None
    found = scenarios.get(sid) if isinstance(sid, str) else None
    scenario = _its_scenario(path, found) if found else None
    if sid is None and len(scenarios) == 1:  # `validate s.yaml p.yaml`: p is for s, as in run
        (files,) = scenarios.values()
        scenario = _its_scenario(path, files)
    if scenario is None and isinstance(sid, str):
        bundled = next((p for p in bundled_scenarios() if p.stem == sid), None)
        if bundled is not None:  # a bundled id only: a playbook never names a path to read
            scenario, _ = check_scenario_file(bundled)
    try:
        if scenario is not None:
            book = check_playbook(doc, scenario)
        else:
            book = check_playbook_shape(doc)
            if sid is None and isinstance(info, dict):
                checked.problems.append(
                    Problem(
                        str(path),
                        *_where(doc, ("playbook",)),
                        "this playbook names no scenario ('scenario:' under 'playbook'), "
                        "so its decisions were not checked",
                        "warning",
                    )
                )
            elif isinstance(sid, str):
                checked.problems.append(
                    Problem(
                        str(path),
                        *_where(doc, ("playbook", "scenario")),
                        f"scenario '{sid}' is not among the files checked nor bundled; "
                        "its decisions were not checked",
                        "warning",
                    )
                )
    except InputProblems as exc:
        checked.problems.extend(exc.problems)
        return checked
    checked.title = book.playbook.title or book.playbook.id
    return checked


def _where(doc: Document, path: tuple[str, ...]) -> tuple[int, int]:
    mark = doc.mark(path)
    return mark.line, mark.col
