"""The format version a scenario file states: top-level ``format:`` or ``scenario.format``.

A file without one is version 1. A version this tabletop does not know (a file written for a
newer tabletop) is one clear error at the version's line and column, and nothing else is
checked: the rest of such a file would only produce confusing errors.
"""

from __future__ import annotations

from typing import Any, Protocol

from sim.schema import FORMAT_VERSIONS
from sim.yamlread import Path_


class _Reporter(Protocol):
    def add(self, path: Path_, message: str, *, key: bool = False) -> None: ...


def stated_versions(data: dict[str, Any]) -> list[tuple[Path_, Any]]:
    """Where the file states a version, and what it says."""
    found: list[tuple[Path_, Any]] = []
    if "format" in data:
        found.append((("format",), data["format"]))
    info = data.get("scenario")
    if isinstance(info, dict) and "format" in info:
        found.append((("scenario", "format"), info["format"]))
    return found


def check_format(report: _Reporter, data: dict[str, Any]) -> bool:
    """Report a version this tabletop cannot read; False if the file should not be read on."""
    ok = True
    stated = stated_versions(data)
    known = " or ".join(str(v) for v in FORMAT_VERSIONS)
    for path, value in stated:
        if isinstance(value, bool) or not isinstance(value, int):
            report.add(path, f"'format' is a whole number, the format version ({known})")
            ok = False
        elif value not in FORMAT_VERSIONS:
            newer = value > max(FORMAT_VERSIONS)
            report.add(
                path,
                f"format {value} is "
                + ("newer than this tabletop reads" if newer else "not a format version")
                + f" (it reads {known})"
                + ("; upgrade tabletop to read this file" if newer else ""),
            )
            ok = False
    values = {v for _, v in stated if isinstance(v, int) and not isinstance(v, bool)}
    if ok and len(values) > 1:
        report.add(stated[-1][0], "the file states two different format versions")
        ok = False
    return ok
