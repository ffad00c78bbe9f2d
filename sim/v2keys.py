"""A file that says ``format: 1`` may not use a format 2 key: one error at each such key.

A file without ``format`` is version 1 and may still use the v2 keys (the version is a
statement for readers and older tabletops); a file that *states* version 1 and uses a v2 key
contradicts itself, and an older tabletop would refuse it with a less helpful message. The
v2 keys are found by their docstrings, which start with '(v2)' (sim/schema.py), so a key added
later is covered without a list to keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel

from sim.formatversion import stated_versions
from sim.schema import Scenario
from sim.yamlread import Path_

V2_MARK = "(v2)"


class _Reporter(Protocol):
    def add(self, path: Path_, message: str, *, key: bool = False) -> None: ...


def states_format_1(data: Mapping[str, Any]) -> bool:
    """Whether the file says 'format: 1' (at the top or under 'scenario')."""
    return any(v == 1 and not isinstance(v, bool) for _, v in stated_versions(dict(data)))


def check_version_keys(
    report: _Reporter, data: Mapping[str, Any], valid: Mapping[str, Any]
) -> None:
    """Report each format 2 key of a file that states 'format: 1'."""
    if not states_format_1(data):
        return
    from sim.jsonschema import field_docstrings  # only for files that state version 1

    def flag(path: Path_, key: str) -> None:
        report.add(
            path,
            f"'{key}' is a format 2 key, but this file says 'format: 1': write 'format: 2'",
            key=True,
        )

    def walk(obj: Any, path: Path_) -> None:
        if isinstance(obj, BaseModel):
            fields = type(obj).model_fields
            docs = field_docstrings(type(obj))
            for name in sorted(obj.model_fields_set):
                info = fields[name]
                key = info.alias or name
                value = getattr(obj, name)
                if docs.get(name, "").startswith(V2_MARK):
                    flag((*path, key), key)
                elif name == "requires" and isinstance(value, list):
                    report.add(
                        (*path, key),
                        "a list of laws in 'requires' is format 2, but this file says "
                        "'format: 1': write 'format: 2'",
                    )
                else:
                    walk(value, (*path, key))
        elif isinstance(obj, list | tuple):
            for i, item in enumerate(obj):
                walk(item, (*path, i))
        elif isinstance(obj, dict):
            for k, item in obj.items():
                walk(item, (*path, k))

    for section, content in valid.items():
        if field_docstrings(Scenario).get(section, "").startswith(V2_MARK):
            flag((section,), section)
        elif isinstance(content, list):  # items validated one by one: (index, item)
            for i, item in content:
                walk(item, (section, i))
        else:
            walk(content, (section,))
