"""The batch report shows control characters as visible escapes, as the other documents do.

HTML-escaping leaves an escape character or a right-to-left override as it is: in the page it
is invisible, or turns the text around. Every text of the scenario's, the playbooks' or an
error's goes through printable() first, as in the after-action report.
"""

from __future__ import annotations

import pytest
from batch_helpers import ALONE, COOPERATE, QUICKSTART

from sim.batch import recipe_from_files, run_batch
from sim.batch.report import render
from sim.batch.results import batch_data

HOSTILE = "esc\x1b[31mred\u202eevil\x07"
SHOWN = "esc\\x1b[31mred\\u202eevil\\x07"


def test_control_characters_in_every_text_are_shown_as_escapes() -> None:
    pytest.importorskip("matplotlib")
    result = run_batch(recipe_from_files(QUICKSTART, [COOPERATE, ALONE], runs=3, seed=1))
    data = batch_data(result)
    data["title"] = f"title {HOSTILE}"
    data["partial"], data["stopped"] = True, f"stopped {HOSTILE}"
    for pol in data["policies"]:
        pol["name"] = f"policy {HOSTILE} {pol['name']}"
        pol["objectives"][0]["description"] = f"description {HOSTILE}"
        pol["variables"][0]["label"] = f"label {HOSTILE}"
        pol["threats"][0]["id"] = f"threat {HOSTILE}"
    comparison = data["comparisons"][0]
    comparison["a"] = f"pair {HOSTILE}"
    comparison["objectives"][0]["id"] = f"objective {HOSTILE}"
    data["failures"] = {
        "count": 1,
        "first": [{"index": 0, "seed": 1, "policy": "p", "error": f"error {HOSTILE}"}],
    }
    page = render(result, data)
    for ch in ("\x1b", "\u202e", "\x07"):
        assert ch not in page
    for where in ("title", "stopped", "policy", "description", "label", "threat", "pair"):
        assert f"{where} {SHOWN}" in page, where
    assert f"objective {SHOWN}" in page and f"error {SHOWN}" in page
    assert f"<title>title {SHOWN}: batch" in page
    assert f'aria-label="label {SHOWN}"' in page


def test_newlines_in_a_label_are_kept_for_the_caption() -> None:
    pytest.importorskip("matplotlib")
    result = run_batch(recipe_from_files(QUICKSTART, [COOPERATE], runs=2, seed=1))
    data = batch_data(result)
    data["policies"][0]["variables"][0]["label"] = "two\nlines"
    page = render(result, data)
    assert "<figcaption>two\nlines</figcaption>" in page
