"""`tabletop lint`: what the schema cannot see, reported as `file:line:col: CODE level: message`.

Suppression comments (docs/lint-rules.md) are YAML comments, so they never change the
scenario:

    # tabletop: disable-file=TT103 -- reason          (anywhere: the whole file)
    title: x   # tabletop: disable=TT110 -- reason    (this line)
    # tabletop: disable=TT110,TT112 -- reason         (alone on a line: the next line)

A finding is suppressed on the line it is reported at, or on the line where its item (the
'- id: ...' of its inject, decision...) starts.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sim.authoring.rules import RULES, Level
from sim.problems import InputProblems
from sim.safetext import printable
from sim.yamlread import Document, Path_, read_yaml_file

_COMMENT = re.compile(
    r"(?:^|\s)#\s*tabletop:\s*(?P<scope>disable-file|disable)\s*=\s*"
    r"(?P<codes>[A-Za-z0-9_, ]*?)\s*(?:--\s*(?P<reason>.*?))?\s*$"
)
_CODE = re.compile(r"^TT\d{3}$")


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One lint finding at a 1-based line and column."""

    path: str
    line: int
    col: int
    code: str
    message: str
    level: Level = "warning"

    def __str__(self) -> str:
        return (
            f"{printable(self.path, one_line=True)}:{self.line}:{self.col}: "
            f"{self.code} {self.level}: {printable(self.message, one_line=True)}"
        )

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Suppressions:
    """The suppression comments of one file."""

    file_codes: set[str] = field(default_factory=set)
    line_codes: dict[int, set[str]] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    def hides(self, code: str, lines: Iterable[int]) -> bool:
        if code in self.file_codes:
            return True
        return any(code in self.line_codes.get(n, ()) for n in lines)


def read_suppressions(path: str, text: str) -> Suppressions:
    """Find `# tabletop: disable...` comments; report unknown codes and missing reasons."""
    out = Suppressions()
    pending: list[tuple[int, set[str]]] = []  # own-line comments waiting for their line
    for n, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        match = _COMMENT.search(raw)
        if match is None:
            if stripped and not stripped.startswith("#"):
                for _, codes in pending:
                    out.line_codes.setdefault(n, set()).update(codes)
                pending.clear()
            continue
        col = match.start("scope") + 1
        codes = {c.strip().upper() for c in match.group("codes").split(",") if c.strip()}
        bad = sorted(c for c in codes if not _CODE.match(c) or c not in RULES)
        if not codes:
            out.problems.append(_bad(path, n, col, "names no rule code (e.g. disable=TT110)"))
        for c in bad:
            out.problems.append(_bad(path, n, col, f"unknown rule code '{c}'"))
        if not (match.group("reason") or "").strip():
            out.problems.append(
                _bad(path, n, col, "say why, after '--' (e.g. disable=TT110 -- the title is vague)")
            )
        codes -= set(bad)
        if match.group("scope") == "disable-file":
            out.file_codes |= codes
        elif stripped.startswith("#"):
            pending.append((n, codes))
        else:
            out.line_codes.setdefault(n, set()).update(codes)
    return out


def _bad(path: str, line: int, col: int, message: str) -> Finding:
    return Finding(path, line, col, "TT003", f"suppression comment: {message}", "warning")


class Located:
    """Turns data paths into file positions for the rules."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def at(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        mark = self.doc.key_marks.get(path) if key else None
        if mark is None:
            mark = self.doc.mark(path)
        return mark.line, mark.col

    def item_line(self, path: Path_) -> int:
        return self.doc.mark(path[:2]).line


def lint_file(
    path: str | os.PathLike[str], *, explore: int = 0, first_seed: int = 0
) -> list[Finding]:
    """Every finding in one scenario file, suppressions applied, sorted by position.

    With explore > 0, also the findings of that many seeded random playthroughs."""
    from sim.authoring.static import run_rules
    from sim.loader import check_scenario

    shown = str(path)
    try:
        doc = read_yaml_file(path, display_path=shown)  # first: refuses a FIFO, a huge file
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except InputProblems as exc:
        return sorted(_from_problems(exc.problems))
    except OSError as exc:
        return [Finding(shown, 1, 1, "TT001", f"cannot read the file: {exc.strerror}", "error")]
    suppressions = read_suppressions(shown, text)
    scenario, problems = check_scenario(doc, text)
    found = list(_from_problems(problems))
    if scenario is not None:
        found += run_rules(scenario, shown, Located(doc))
        if explore:
            from sim.authoring.explore import explore_scenario

            found += explore_scenario(scenario, shown, Located(doc), explore, first_seed)
    starts = sorted({m.line for p, m in doc.marks.items() if len(p) == 2})
    kept = [
        f
        for f in found
        if f.code == "TT001" or not suppressions.hides(f.code, (f.line, *_item(starts, f.line)))
    ]
    return sorted(kept + suppressions.problems)


def _item(starts: list[int], line: int) -> tuple[int, ...]:
    """The line where the item holding a line starts (for item-wide suppressions)."""
    i = bisect.bisect_right(starts, line)
    return (starts[i - 1],) if i else ()


def _from_problems(problems: Iterable[object]) -> Iterable[Finding]:
    from sim.problems import Problem

    for p in problems:
        assert isinstance(p, Problem)
        if p.severity == "error":
            yield Finding(p.path, p.line, p.col, "TT001", p.message, "error")
        else:
            yield Finding(p.path, p.line, p.col, "TT002", p.message, "warning")


def to_json(findings: list[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def lint_paths(
    paths: Iterable[str | os.PathLike[str]], *, explore: int = 0, first_seed: int = 0
) -> list[Finding]:
    """Lint each file; with explore > 0 also play that many seeded runs of each valid one."""
    out: list[Finding] = []
    for path in paths:
        out += lint_file(path, explore=explore, first_seed=first_seed)
    return out
