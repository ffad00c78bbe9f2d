"""Partial results say why they are partial: interrupted (Ctrl-C), terminated (SIGTERM), hung
up (SIGHUP), or the executor failed. Every partial batch was labelled "interrupted", even one
cut short by a lost worker or cluster that nobody interrupted."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from batch_helpers import quick_recipe

from sim.batch import replicate
from sim.batch.recipe import Recipe
from sim.batch.report import render
from sim.batch.results import batch_data, to_json, to_text
from sim.batch.runner import BatchResult, run_batch


def _broken(monkeypatch: pytest.MonkeyPatch) -> BatchResult:
    from sim.batch import runner

    def dying(
        recipe: Recipe, ranges: list[tuple[int, int]], jobs: int, kind: str, stop: Any
    ) -> Any:
        first, last = ranges[0]
        yield first, replicate.run_chunk(recipe, first, last)
        raise OSError("worker lost")

    monkeypatch.setattr(runner, "_executor_chunks", dying)
    return run_batch(quick_recipe(), chunk_size=10)


def test_a_failed_executor_is_not_called_an_interruption(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _broken(monkeypatch)
    data = batch_data(result)
    assert data["partial"] is True
    assert data["stopped"] == "the executor failed: OSError: worker lost"
    text = to_text(data)
    assert "interrupted" not in text.lower()
    assert "(PARTIAL: the executor failed: OSError: worker lost)" in text
    page = render(result, data)
    assert "interrupted" not in page.lower() and "the executor failed" in page


@pytest.mark.parametrize(
    ("signum", "says"),
    [
        (signal.SIGINT, "interrupted (Ctrl-C)"),
        (signal.SIGTERM, "terminated (SIGTERM)"),
        (signal.SIGHUP, "hung up (SIGHUP)"),
    ],
)
def test_a_signal_is_named(signum: int, says: str) -> None:
    def stop_at_once(done: int, total: int) -> None:
        raise KeyboardInterrupt

    result = run_batch(quick_recipe(), chunk_size=6, progress=stop_at_once)
    result.stopped_by = signum  # as the signal handler records it
    data = batch_data(result)
    assert data["stopped"] == says
    assert f"(PARTIAL: {says})" in to_text(data)
    assert says in render(result, data)


def test_a_whole_batch_says_nothing_stopped_it() -> None:
    result = run_batch(quick_recipe(), chunk_size=30)
    data = batch_data(result)
    assert data["partial"] is False and data["stopped"] is None
    assert '"stopped": null' in to_json(data)
