"""What a batch tells about threats, bills and retries: every final status, the branches each
campaign took (format v2) and how often a failed response was tried again, in every format.

The figures are checked against the runs' own logs, replayed one by one with the same seeds
(an independent count: records and their words, not the batch's tallies).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import BOOKS, ROOT

from sim import events as ev
from sim.batch.aggregate import Tally
from sim.batch.recipe import PolicyText, Recipe, recipe_from_files
from sim.batch.replicate import prepared, replication_seed
from sim.batch.results import batch_data, to_csv, to_json, to_text
from sim.batch.runner import BatchResult, run_batch
from sim.deciders import PlaybookDecider, RandomDecider, play
from sim.engine import Exercise
from sim.loader import load_scenario
from sim.playbook import load_playbook_text

SCENARIO = Path(__file__).parent / "data" / "branches-and-retries.yaml"
SHOWCASE = ROOT / "scenarios" / "showcase.yaml"
RUNS = 150
PATCH_NOW = """
playbook: {id: patch-now, title: "Patch at once", scenario: branches-and-retries}
decisions: {act: patch}
"""
THREAT_STATUSES = ["pending", "undetected", "detected", "stopped", "completed"]
BILL_STATUSES = ["locked", "ready", "running", "succeeded", "failed"]


def _recipe(name: str = "patch-now") -> Recipe:
    text = SCENARIO.read_text(encoding="utf-8")
    policies = (PolicyText(name, PATCH_NOW, "patch-now.yaml"), PolicyText("random"))
    return Recipe(text, str(SCENARIO), policies, root_seed=4, runs=RUNS)


def _from_logs(recipe: Recipe, policy: int) -> tuple[Counter[tuple[str, str, str]], list[int]]:
    """Per branch, the runs whose log has it; per run, the patch's starts caused by a retry
    (read from the records' words)."""
    scenario = load_scenario(SCENARIO)
    book = load_playbook_text(PATCH_NOW, scenario)
    branches: Counter[tuple[str, str, str]] = Counter()
    retries = []
    for i in range(recipe.runs):
        seed = replication_seed(recipe.root_seed, i)
        ex = Exercise(scenario, seed)
        play(ex, PlaybookDecider(book) if policy == 0 else RandomDecider(seed))
        branches.update(
            {(r.threat, r.stage, r.to) for r in ex.records if isinstance(r, ev.ThreatBranched)}
        )
        retries.append(
            sum(
                1
                for r in ex.records
                if isinstance(r, ev.ResponseStarted) and r.cause == "response:patch.retry"
            )
        )
    return branches, retries


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return batch_data(run_batch(_recipe()))


@pytest.mark.parametrize("policy", [0, 1])
def test_branches_and_retries_are_what_the_logs_show(data: dict[str, Any], policy: int) -> None:
    pol = data["policies"][policy]
    assert pol["runs"] == RUNS
    branches, retries = _from_logs(_recipe(), policy)
    raiders, sleeper = pol["threats"]
    assert [b["name"] for b in raiders["branches"]] == [
        "scout -> strike",
        "scout -> end",  # to the stage called 'end'
        "scout -> (end)",  # the campaign ends
        "strike -> scout",
    ]
    for b in raiders["branches"]:
        runs = branches[("raiders", b["stage"], b["to"] or "")]
        assert b["count"] == runs and b["estimate"] == runs / RUNS
        assert 0 < runs < RUNS, "each branch is taken in some runs, not all"
        assert 0 <= b["low"] < b["estimate"] < b["high"] <= 1
    assert raiders["branches"][2]["to"] is None and raiders["branches"][1]["to"] == "end"
    # the campaign with branches that never starts: every run pending, no branch taken
    assert sleeper["outcomes"] == dict.fromkeys(THREAT_STATUSES, 0) | {"pending": RUNS}
    assert [(b["name"], b["count"]) for b in sleeper["branches"]] == [
        ("wake -> bite", 0),
        ("wake -> (end)", 0),
    ]
    [patch] = pol["retries"]  # 'watch' cannot retry: not listed
    assert patch["id"] == "patch"
    retried = sum(1 for n in retries if n)
    assert patch["retried"]["count"] == retried and patch["retried"]["estimate"] == retried / RUNS
    assert patch["mean"]["estimate"] == pytest.approx(sum(retries) / RUNS)
    assert 0 < retried < RUNS
    if policy == 0:  # patched in every run: some runs retry more than once
        assert max(retries) > 1 and patch["mean"]["estimate"] > patch["retried"]["estimate"]


def test_every_final_status_of_threats_and_bills_is_listed() -> None:
    recipe = recipe_from_files(SHOWCASE, sorted(BOOKS.glob("showcase--*.yaml")), runs=40, seed=3)
    data = batch_data(run_batch(recipe))
    for pol in data["policies"]:
        for t in pol["threats"]:
            assert list(t["outcomes"]) == THREAT_STATUSES
            assert sum(t["outcomes"].values()) == pol["runs"]
        assert pol["bills"]
        for b in pol["bills"]:
            assert list(b["outcomes"]) == BILL_STATUSES
            assert sum(b["outcomes"].values()) == pol["runs"]
            assert b["enacted"] <= pol["runs"]
        spies, wiper = pol["threats"]
        assert "branches" not in spies, "a threat without branches lists none"
        assert [b["name"] for b in wiper["branches"]] == ["deploy -> wipe", "deploy -> (end)"]
        assert [r["id"] for r in pol["retries"]] == ["evict_alone"]
    # the bills' outcomes differ between the playbooks: the tally is not a constant
    assert data["policies"][0]["bills"] != data["policies"][1]["bills"]


def test_the_text_summary_names_each_branch_with_its_share(data: dict[str, Any]) -> None:
    text = to_text(data)
    pol = data["policies"][0]
    for b in pol["threats"][0]["branches"]:
        share = f"{100 * b['count'] / RUNS:5.1f}%"
        assert f"      branch {b['name']:<21} taken in {share} [" in text
    assert "branch wake -> (end)         taken in   0.0% [0.0%, " in text
    assert "\n    sleeper                      pending 150\n" in text
    patch = pol["retries"][0]
    share = f"{100 * patch['retried']['count'] / RUNS:5.1f}%"
    assert f"    patch                        retried in {share} [" in text
    assert f"{patch['mean']['estimate']:.4g} per run [" in text
    assert "Retries: runs with a retry" in text and "watch " not in text.split("Retries:")[1]


def test_the_json_holds_branches_and_retries(data: dict[str, Any]) -> None:
    loaded = json.loads(to_json(data))
    raiders = loaded["policies"][0]["threats"][0]
    assert set(raiders) == {"id", "outcomes", "branches"}
    end = raiders["branches"][2]
    assert set(end) == {"stage", "to", "name", "count", "estimate", "low", "high"}
    assert end["stage"] == "scout" and end["to"] is None and end["name"] == "scout -> (end)"
    patch = loaded["policies"][0]["retries"][0]
    assert set(patch) == {"id", "retried", "mean"}
    assert set(patch["retried"]) == {"count", "estimate", "low", "high"}
    assert set(patch["mean"]) == {"estimate", "low", "high"} and patch["mean"]["low"] >= 0


def test_the_csv_has_a_row_per_branch_and_retry_figure_and_quotes_odd_names() -> None:
    odd = 'patch, then "see"'
    data = batch_data(run_batch(_recipe(odd)))
    rows = list(csv.DictReader(io.StringIO(to_csv(data))))
    assert {r["policy"] for r in rows} == {odd, "random", f"{odd} - random"}
    mine = [r for r in rows if r["policy"] == odd]
    pol = data["policies"][0]
    branch = {(r["item"], r["measure"]): r for r in mine if r["section"] == "threat branch"}
    assert len(branch) == 6
    for b in pol["threats"][0]["branches"]:
        row = branch[("raiders", b["name"])]
        assert float(row["value"]) == b["estimate"] and float(row["low"]) == b["low"]
    assert float(branch[("sleeper", "wake -> bite")]["value"]) == 0
    retry = {r["measure"]: r for r in mine if r["section"] == "retry"}
    assert set(retry) == {"retried", "mean per run"} and {r["item"] for r in retry.values()} == {
        "patch"
    }
    assert float(retry["retried"]["value"]) == pol["retries"][0]["retried"]["estimate"]
    assert float(retry["mean per run"]["high"]) == pol["retries"][0]["mean"]["high"]
    threat = [r for r in mine if r["section"] == "threat" and r["item"] == "sleeper"]
    assert [(r["measure"], r["value"]) for r in threat] == [
        (s, str(RUNS if s == "pending" else 0)) for s in THREAT_STATUSES
    ]


def test_the_html_report_shows_branches_and_retries_escaped() -> None:
    pytest.importorskip("matplotlib")
    from sim.batch.report import render

    odd = "<b>patch</b> & co"
    result = run_batch(_recipe(odd))
    data = batch_data(result)
    page = render(result, data)
    assert "<b>patch" not in page and "&lt;b&gt;patch&lt;/b&gt; &amp; co" in page
    assert "Branches &amp; retries &lt;test&gt;" in page
    assert "Threat branches taken" in page and "Retries" in page
    b = data["policies"][0]["threats"][0]["branches"][2]
    pct = f"{100 * b['estimate']:.1f}%"
    assert f"<td>raiders: scout -&gt; (end)</td><td class=n>{pct} [" in page
    assert "scout -> (end)" not in page
    assert "<td>sleeper: pending</td><td class=n>150 (100.0%)</td>" in page
    assert "<td>patch: retried</td>" in page and "<td>watch: retried</td>" not in page


def test_a_batch_interrupted_before_any_run_finished_shows_no_figures() -> None:
    pytest.importorskip("matplotlib")
    from sim.batch.report import render

    recipe = _recipe()
    tally = Tally(prepared(recipe).layout, recipe.policy_names, recipe.root_seed)
    result = BatchResult(recipe, tally, partial=True, executor="local", jobs=1, seconds=0.0)
    data = batch_data(result)
    loaded = json.loads(to_json(data))  # strict JSON: no NaN
    pol = loaded["policies"][0]
    assert loaded["runs_done"] == 0 and loaded["partial"] is True
    assert pol["threats"][0]["branches"][0]["count"] == 0
    assert pol["threats"][0]["branches"][0]["estimate"] is None
    assert pol["retries"][0]["retried"]["estimate"] is None
    assert pol["retries"][0]["mean"] == {"estimate": None, "low": None, "high": None}
    assert pol["threats"][0]["outcomes"] == dict.fromkeys(THREAT_STATUSES, 0)
    text = to_text(data)
    assert "\n    sleeper                      no runs\n" in text
    assert "branch scout -> (end)        taken in   n/a [n/a, n/a]" in text
    assert "retried in   n/a [n/a, n/a]; n/a per run [n/a, n/a]" in text
    rows = list(csv.DictReader(io.StringIO(to_csv(data))))
    row = next(r for r in rows if r["section"] == "threat branch")
    assert row["value"] == row["low"] == row["high"] == ""
    page = render(result, data)
    assert "<td>raiders: scout -&gt; (end)</td><td class=n>n/a [n/a, n/a]</td>" in page
    assert "<td>sleeper: pending</td><td class=n>0 (n/a)</td>" in page


def test_the_example_in_the_docs_is_what_the_batch_prints() -> None:
    """docs/batches.md shows the threats, bills and retries of a showcase batch: the same lines
    as the batch prints today, and the JSON keys it names are the ones written."""
    page = (ROOT / "docs" / "batches.md").read_text(encoding="utf-8")
    section = page.split("### Threats, branches, bills and retries", 1)[1]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    assert "taken in" in "\n".join(shown) and "retried in" in "\n".join(shown)
    recipe = recipe_from_files(SHOWCASE, [BOOKS / "showcase--alone.yaml"], runs=500)
    data = batch_data(run_batch(recipe))
    printed = to_text(data).splitlines()
    start = printed.index(shown[0])
    assert printed[start : start + len(shown)] == shown
    for key in ('"branches"', '"retries"', '"retried"', '"mean"', '"to": null', '"name"'):
        assert key in section
    assert set(data["policies"][0]["retries"][0]) == {"id", "retried", "mean"}
