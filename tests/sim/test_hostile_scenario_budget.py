"""Hostile repetition: what repeats by itself (a drift, a bill's 'during' effects) is warned
about by validate when it alone would use up a run's budget, and a run that stops at the
budget names it. Work is bounded by a small budget here, never measured in time."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import invoke, problems, scenario

from sim import engine

DRIFT = scenario(horizon="1000000").replace(
    "v: {initial: 0}", "v: {initial: 0, drift: {rate: 1, every: 0.000001}}"
)

BILL = """\
responses:
  - id: bill
    kind: legislation
    sponsor: gov
    stages:
      - {id: floor, sitting: true, duration: 10, during: {every: 0.0000001, effects: {v: "+ 1"}}}
decisions:
  - id: d
    owner: gov
    prompt: Go?
    deadline: 1
    default: a
    options:
      - {id: a, label: A, responses: [bill]}
      - {id: b, label: B}
injects:
  - {id: i0, at: 0, from: gov, to: [gov], text: Hi, invented: true, decision: d}
calendar:
  - {id: s1, opens: 0, closes: 50}
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_validate_warns_of_a_drift_that_would_use_up_the_budget(tmp_path: Path) -> None:
    """A drift every 0.000001 over 1,000,000 time units: 10^12 steps. validate said 'ok'."""
    code, out = invoke("validate", write(tmp_path, DRIFT))
    assert code == 0  # a warning: the run is still bounded by its budget
    assert problems(out) == [
        "s.yaml:13:43: warning: variable 'v' drifts every 1e-06: it may need about "
        "1,000,000,000,000 engine events, more than the 1,000,000 one run may use: a run "
        "would stop early (drift less often: a larger 'every')"
    ]


def test_validate_warns_of_during_effects_that_would_use_up_the_budget(tmp_path: Path) -> None:
    code, out = invoke("validate", write(tmp_path, scenario(BILL)))
    assert code == 0
    found = problems(out)
    assert len(found) == 1
    assert found[0].startswith(
        "s.yaml:19:66: warning: bill 'bill' applies the 'during' effects of stage 'floor' "
        "every 1e-07: it may need about 100,000,000 engine events"
    )


def test_a_drift_of_sensible_pace_draws_no_warning(tmp_path: Path) -> None:
    code, out = invoke("validate", write(tmp_path, DRIFT.replace("0.000001", "1")))
    assert (code, problems(out)) == (0, [])


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            DRIFT,
            "variable 'v' drifts every 1e-06, about 1,000,000,000,000 steps over the "
            "horizon (drift less often: a larger 'every')",
        ),
        (scenario(BILL), "bill 'bill' applies the 'during' effects of stage 'floor' every 1e-07"),
    ],
    ids=["drift", "during"],
)
def test_a_run_stopped_by_its_budget_names_what_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, names: str
) -> None:
    """The message pointed at 'repeating stages and threats or responses that start each
    other', which this scenario has none of."""
    monkeypatch.setattr(engine, "MAX_EVENTS", 2_000)
    code, out = invoke("run", write(tmp_path, text))
    assert code == 1
    assert (
        "after 2,000 engine events, the limit for one run: the scenario repeats too much: " in out
    )
    assert names in out


def test_a_batch_run_stopped_by_its_budget_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "MAX_EVENTS", 2_000)
    code, out = invoke("batch", write(tmp_path, DRIFT), "--runs", "2", "--jobs", "1")
    assert "Policy random: 0 runs, 2 failed" in out  # the batch goes on; each run says why
    # each failed run listed, then the error line: every run failed, so exit 1
    assert out.count("variable 'v' drifts every 1e-06") == 3, out
    assert code == 1 and "every run failed" in out


MANY = scenario(horizon="1000").replace(
    "  v: {initial: 0}\n",
    "".join(f"  d{i}: {{initial: 0, drift: {{rate: 1, every: 1}}}}\n" for i in range(5_000)),
)


def test_validate_warns_of_many_drifts_that_together_use_up_the_budget(tmp_path: Path) -> None:
    """5,000 variables drifting every 1 over 1,000: 5,000,000 steps. The warning named one of
    them and said it 'may need about 1,000 engine events, more than the 1,000,000'."""
    code, out = invoke("validate", write(tmp_path, MANY))
    assert code == 0
    assert problems(out) == [
        "s.yaml:13:44: warning: 5,000 drifting variables may need about 5,000,000 engine "
        "events, more than the 1,000,000 one run may use: a run would stop early (drift less "
        "often: a larger 'every')"
    ]


def test_a_run_stopped_by_many_drifts_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "MAX_EVENTS", 2_000)
    code, out = invoke("run", write(tmp_path, MANY))
    assert code == 1
    assert (
        "the scenario repeats too much: 5,000 variables drift, about 5,000,000 steps over the "
        "horizon (drift less often: a larger 'every')"
    ) in out
