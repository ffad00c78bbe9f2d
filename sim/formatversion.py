"""The format version a scenario file states: top-level ``format:`` or ``scenario.format``.

A file without one is version 1. A version this tabletop does not know (a file written for a
newer tabletop) is one clear error at the version's line and column, and nothing else is
checked: the rest of such a file would only produce confusing errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel

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


def v2_keys(valid: Mapping[str, Any]) -> list[Path_]:
    """Where the validated sections use a format 2 key (a field documented '(v2) ...')."""
    found: list[Path_] = []
    for section, items in valid.items():
        if isinstance(items, dict):
            pairs: list[tuple[Any, Any]] = list(items.items())
        elif isinstance(items, list):
            pairs = list(items)
        else:
            pairs = [(None, items)]
        for key, item in pairs:
            _walk(item, (section,) if key is None else (section, key), found)
    return found


def _walk(value: Any, path: Path_, found: list[Path_]) -> None:
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        for name in sorted(value.model_fields_set, key=list(fields).index):
            field = fields[name]
            key = field.alias or name
            if (field.description or "").startswith("(v2)"):
                found.append((*path, key))
            else:
                _walk(getattr(value, name), (*path, key), found)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _walk(item, (*path, i), found)
    elif isinstance(value, dict):
        for k, item in value.items():
            _walk(item, (*path, k), found)


def check_v2_keys_allowed(
    report: _Reporter, data: dict[str, Any], valid: Mapping[str, Any]
) -> None:
    """A file that says 'format: 1' uses no format 2 key: each one is a problem at its key."""
    if not any(v == 1 and not isinstance(v, bool) for _, v in stated_versions(data)):
        return
    for path in v2_keys(valid):
        report.add(
            path,
            f"'{path[-1]}' is a format 2 key, but the file says 'format: 1': "
            "write 'format: 2' to use it",
            key=True,
        )
