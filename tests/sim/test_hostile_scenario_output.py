"""Hostile amplification: a small file must not make a run print far more than itself.

Two ways a file said its text again and again: one long text given to many injects through a
YAML alias (a 150 KB file printed 100 MB), and a decision posed again (`reopen`, up to 100
times) or a notification sent on each choice, showing a long prompt or message each time.
The first is refused when the file is read (`file:line:col`, exit 1); the second is warned of
by validate, and a run stops at its text budget (sim.limits.MAX_TEXT) with a message naming
what showed the most, never printing on."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import invoke, problems, refused_everywhere, scenario

from sim import engine
from sim.limits import MAX_TEXT

LONG = "word " * 20_000  # 100,000 characters, the longest value a file may hold


def aliased(uses: int) -> str:
    """One inject with the long text, anchored, and ``uses`` more injects that alias it."""
    lines = ["injects:", f'  - {{id: i0, at: 1, from: gov, to: [gov], text: &t "{LONG}"}}']
    lines += [f"  - {{id: i{n}, at: 1, from: gov, to: [gov], text: *t}}" for n in range(1, uses)]
    return scenario("\n".join(lines) + "\n")


def reopened(prompt: str, times: int = 100, message: str = "") -> str:
    """A decision with this prompt, posed again ``times`` times; each time its default starts
    a notification with this message (if any)."""
    responses = ""
    if message:
        responses = (
            "responses:\n"
            "  - {id: n, kind: notification, from: gov, to: [ally], "
            f'message: "{message}"}}\n'
        )
    return scenario(
        "injects:\n"
        "  - {id: i0, at: 1, from: gov, to: [gov], text: Hi, invented: true, decision: d}\n"
        "decisions:\n"
        f'  - {{id: d, owner: gov, prompt: "{prompt}", deadline: 1, default: x,\n'
        f"     reopen: {{every: 1, times: {times}}},\n"
        f"     options: [{{id: x, label: X{', responses: [n]' if message else ''}}}, "
        "{id: y, label: Y}]}\n" + responses,
        horizon="1000",
    )


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_long_text_given_to_many_injects_by_an_alias_is_refused_where_it_passes(
    tmp_path: Path,
) -> None:
    """A 2.1 MB run from a 100 KB file: 21 injects sharing one 100,000-character text, refused
    at the alias that passes the limit. (With 1,000 of them, the limit for aliases, a 150 KB
    file printed 100 MB and took 630 MB.)"""
    text = aliased(21)
    assert len(text.encode()) < 110_000
    assert refused_everywhere(tmp_path, text) == [
        "s.yaml:34:50: the file's text is longer than 2,000,000 characters (counting alias uses)"
    ]


def test_a_long_text_used_by_an_alias_within_the_limit_is_read(tmp_path: Path) -> None:
    code, out = invoke("validate", write(tmp_path, aliased(19)))
    assert code == 0, out


def test_validate_warns_of_a_long_prompt_posed_again_and_again(tmp_path: Path) -> None:
    """101 posings of a 99,999-character prompt: 10.1 million characters. validate said 'ok'."""
    code, out = invoke("validate", write(tmp_path, reopened(LONG[:-1])))
    assert code == 0  # a warning: the run is still bounded by its text budget
    assert problems(out) == [
        "s.yaml:18:14: warning: decision 'd' may be posed 101 times with its 99,999-character "
        "prompt: the scenario's text may then come to about 10,099,901 characters in one run, "
        f"more than the {MAX_TEXT:,} one run may show: a run would stop early (shorten the "
        "prompt, or pose it fewer times)"
    ]


def test_a_short_prompt_posed_again_and_again_draws_no_warning(tmp_path: Path) -> None:
    code, out = invoke("validate", write(tmp_path, reopened("Evict now?")))
    assert (code, problems(out)) == (0, [])


def test_a_run_stops_at_its_text_budget_and_prints_no_more(tmp_path: Path) -> None:
    """The real budget: a 100 KB file printed 10 MB (101 prompts of 100,000 characters)."""
    code, out = invoke("run", write(tmp_path, reopened(LONG[:-1])))
    assert code == 1
    assert len(out) < 2_000, len(out)
    assert f"characters of the scenario's text, more than the {MAX_TEXT:,} one run may show" in (
        out
    )
    assert "decision 'd' posed 101 times, 10,099,899 characters" in out


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (reopened("x" * 1_000), "decision 'd' posed 50 times, 50,000 characters"),
        (
            reopened("Go?", message="y" * 2_000),
            "notification 'n' sent 25 times, 50,000 characters (shorten its message",
        ),
    ],
    ids=["prompt", "message"],
)
def test_a_run_stopped_by_its_text_budget_names_what_showed_the_most(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, names: str
) -> None:
    monkeypatch.setattr(engine, "MAX_TEXT", 50_000)
    for fmt in ("text", "json"):
        code, out = invoke("run", write(tmp_path, text), "--format", fmt)
        assert code == 1
        assert "more than the 50,000 one run may show: most of it: " + names in out, out
        assert len(out) < 2_000, len(out)


def test_a_batch_is_not_limited_by_text_it_does_not_keep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's runs keep no records, so they show no text and run to the end."""
    monkeypatch.setattr(engine, "MAX_TEXT", 50_000)
    code, out = invoke(
        "batch", write(tmp_path, reopened("x" * 1_000)), "--runs", "2", "--jobs", "1"
    )
    assert code == 0, out
