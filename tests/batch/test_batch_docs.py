"""docs/batches.md names every field of the JSON a batch writes (`tabletop-batch/1`) and every
section of its CSV, so a field added without documenting it fails here."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from batch_helpers import ROOT, quick_recipe

from sim.batch import run_batch
from sim.batch.results import batch_data, to_csv

PAGE = (ROOT / "docs" / "batches.md").read_text(encoding="utf-8")
JSON_SECTION = PAGE.split("### The JSON form (`tabletop-batch/1`)", 1)[1].split("\n## ", 1)[0]


def keys(data: Any, where: str = "") -> set[tuple[str, str]]:
    """Every (place, key) of the JSON; the keys of a mapping of ids (options, responses, kinds,
    statuses) are data, not fields."""
    found: set[tuple[str, str]] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if where.endswith(("options", "responses_succeeded", "kinds_succeeded", "outcomes")):
                continue
            found.add((where, key))
            found |= keys(value, f"{where}.{key}" if where else key)
    elif isinstance(data, list):
        for item in data:
            found |= keys(item, where)
    return found


def test_every_field_of_the_json_is_documented() -> None:
    data = batch_data(run_batch(quick_recipe()))
    assert data["sensitivity"][0]["objectives"][0]["decisions"], "a sensitivity row to check"
    found = keys(data)
    assert ("policies", "expression_failures") in found
    missing = sorted({f"{where}.{key}" for where, key in found if f"`{key}`" not in JSON_SECTION})
    assert missing == []


def test_every_section_of_the_csv_is_documented() -> None:
    data = batch_data(run_batch(quick_recipe()))
    rows = list(csv.DictReader(io.StringIO(to_csv(data))))
    sections = {r["section"] for r in rows}
    assert {"paired objective met", "sensitivity", "threat"} <= sections
    named = set(re.findall(r"`([a-z ]+)`", JSON_SECTION.split("The CSV's `section` column", 1)[1]))
    assert sections <= named, sections - named
