"""Batches give the same results however the work is split, record failures and survive
interruption with partial results."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import ALONE, COOPERATE, QUICKSTART, quick_recipe

from sim.batch import replicate
from sim.batch.recipe import PolicyText, Recipe, recipe_from_files
from sim.batch.replicate import replication_seed
from sim.batch.results import batch_data, to_json
from sim.batch.runner import ExecutorError, run_batch
from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.loader import load_scenario
from sim.playbook import load_playbook


def _json(recipe: Recipe, **kw: Any) -> str:
    return to_json(batch_data(run_batch(recipe, **kw)))


def test_results_do_not_depend_on_jobs_or_chunking() -> None:
    recipe = quick_recipe()
    one = _json(recipe, jobs=1, chunk_size=60)
    assert _json(recipe, jobs=1, chunk_size=7) == one
    assert _json(recipe, jobs=2, chunk_size=3) == one
    assert json.loads(one)["runs_done"] == 60


def test_dask_local_cluster_gives_the_same_results(tmp_path: Path) -> None:
    """A Dask LocalCluster with 2 worker processes, through the CLI in its own process (so
    this test process never holds Dask's threads when later tests fork a pool)."""
    pytest.importorskip("distributed")
    out = tmp_path / "dask.json"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tui.cli import run_main; run_main()",
            "batch",
            str(QUICKSTART),
            "--runs",
            "60",
            "--seed",
            "5",
            "--playbook",
            str(COOPERATE),
            "--playbook",
            str(ALONE),
            "--random",
            "--jobs",
            "2",
            "--executor",
            "dask-local",
            "--format",
            "json",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == _json(quick_recipe(), jobs=1, chunk_size=60)


def test_a_replication_is_the_engine_run_with_its_seed() -> None:
    """Run i of a batch is `tabletop run --seed replication_seed(root, i)`, nothing more."""
    recipe = recipe_from_files(QUICKSTART, [COOPERATE], runs=3, seed=11)
    result = run_batch(recipe, chunk_size=1)
    scenario = load_scenario(QUICKSTART)
    book = load_playbook(COOPERATE, scenario)
    finals = []
    for i in range(3):
        ex = Exercise(scenario, replication_seed(11, i))
        play(ex, PlaybookDecider(book))
        finals.append(ex.variables())
    policy = batch_data(result)["policies"][0]
    for var in policy["variables"]:
        mean = sum(f[var["id"]] for f in finals) / 3
        assert var["mean"]["estimate"] == pytest.approx(mean), var["id"]


def test_seeds_differ_by_root_and_index() -> None:
    seeds = {replication_seed(root, i) for root in range(5) for i in range(200)}
    assert len(seeds) == 1000
    assert all(0 <= s < 2**63 for s in seeds)


def test_the_same_playbook_twice_gives_identical_paired_runs() -> None:
    """Common random numbers: run i has the same luck under every policy, so a policy
    compared with itself differs in nothing, run by run."""
    text = COOPERATE.read_text(encoding="utf-8")
    base = recipe_from_files(QUICKSTART, [COOPERATE], runs=80, seed=3)
    twin = dataclasses.replace(
        base, policies=(PolicyText("a", text), PolicyText("b", text)), key=""
    )
    data = batch_data(run_batch(twin))
    (comparison,) = data["comparisons"]
    assert comparison["paired_runs"] == 80
    for o in comparison["objectives"]:
        assert o["only_a"] == o["only_b"] == 0 and not o["significant"]
    for v in comparison["variables"]:
        assert v["difference"]["estimate"] == 0.0 and not v["significant"]


def test_a_clearly_better_playbook_is_marked_significant() -> None:
    """Cooperating with the ally keeps the alliance; denying the breach never does."""
    recipe = recipe_from_files(QUICKSTART, [COOPERATE, ALONE], runs=60, seed=1)
    data = batch_data(run_batch(recipe))
    objectives = {o["id"]: o for o in data["comparisons"][0]["objectives"]}
    alliance = objectives["keep_the_alliance"]
    assert alliance["significant"] and alliance["difference"]["low"] > 0.5


def test_random_decider_sensitivity_finds_the_decision_that_matters() -> None:
    """In quickstart the ally's trust hangs on how the warning is answered."""
    recipe = recipe_from_files(QUICKSTART, runs=300, seed=2)
    data = batch_data(run_batch(recipe))
    (sens,) = data["sensitivity"]
    alliance = next(o for o in sens["objectives"] if o["id"] == "keep_the_alliance")
    top = alliance["decisions"][0]
    assert top["decision"] == "answer_ally"
    assert top["best"]["option"] == "cooperate"
    assert top["spread"] > 0.5


def test_a_replication_that_raises_is_recorded_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recipe = quick_recipe()
    bad = {replication_seed(recipe.root_seed, i) for i in (4, 17)}
    real_play = replicate.play

    def flaky(ex: Exercise, decider: Any) -> None:
        if ex.seed in bad:
            raise RuntimeError("boom")
        real_play(ex, decider)

    monkeypatch.setattr(replicate, "play", flaky)
    for jobs in (1, 2):  # the pool's workers are forked after the patch
        data = batch_data(run_batch(recipe, jobs=jobs, chunk_size=5))
        assert data["runs_done"] == 60 and not data["partial"]
        assert data["failures"]["count"] == 2 * 3
        assert {(f["index"], f["seed"]) for f in data["failures"]["first"]} == {
            (i, replication_seed(recipe.root_seed, i)) for i in (4, 17)
        }
        assert all(f["error"] == "RuntimeError: boom" for f in data["failures"]["first"])
        assert [p["runs"] for p in data["policies"]] == [58, 58, 58]
        assert data["comparisons"][0]["paired_runs"] == 58


@pytest.mark.parametrize("jobs", [1, 2])
def test_interruption_keeps_the_runs_done_and_marks_them_partial(
    jobs: int,
) -> None:
    recipe = quick_recipe()
    calls = []

    def stop_after_two(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    result = run_batch(recipe, jobs=jobs, chunk_size=6, progress=stop_after_two)
    assert result.partial
    assert result.runs_done < 60
    if jobs == 1:  # in order; with 2 workers the first chunks to finish may be later ones
        assert result.runs_done > 0
    data = batch_data(result)
    assert data["partial"] is True
    assert all(p["runs"] == result.runs_done for p in data["policies"])
    # The runs kept are the first ones: the same as a batch of that many runs.
    shorter = dataclasses.replace(recipe, runs=result.runs_done)
    full = batch_data(run_batch(shorter))
    assert data["policies"] == full["policies"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_is_a_flag_read_between_chunks_and_keeps_the_runs_done(jobs: int) -> None:
    """A real SIGINT to this process mid-batch: no KeyboardInterrupt lands in the pool's or the
    tally's bookkeeping; the batch stops at the next chunk (or heartbeat), partial, and the
    runs kept are the first ones. Ctrl-C's usual handler is back afterwards."""
    recipe = quick_recipe()
    calls = []

    def press_ctrl_c_once(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)

    result = run_batch(recipe, jobs=jobs, chunk_size=6, progress=press_ctrl_c_once)
    assert result.partial and result.failure is None
    assert result.runs_done < 60
    shorter = dataclasses.replace(recipe, runs=result.runs_done)
    assert batch_data(result)["policies"] == batch_data(run_batch(shorter))["policies"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_unknown_executor_is_refused() -> None:
    with pytest.raises(ExecutorError):
        run_batch(quick_recipe(), executor="carrier-pigeon")


def test_percentiles_beyond_the_reservoir_come_from_a_fixed_size_sample(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past RESERVOIR runs, the kept sample stays that size, holds real runs' values, and is
    the same however the work is chunked."""
    from sim.batch import aggregate

    recipe = recipe_from_files(QUICKSTART, [COOPERATE], runs=120, seed=4)
    everything = run_batch(recipe, chunk_size=120).policy("quickstart--cooperate")
    all_values = everything.values("ally_trust")
    assert len(all_values) == 120  # under the reservoir size every run is kept

    monkeypatch.setattr(aggregate, "RESERVOIR", 20)
    small = run_batch(recipe, chunk_size=7).policy("quickstart--cooperate")
    kept = small.values("ally_trust")
    assert len(kept) == 20
    assert set(kept) <= set(all_values)
    assert kept != all_values[:20], "later runs replace earlier ones"
    again = run_batch(recipe, jobs=2, chunk_size=11).policy("quickstart--cooperate")
    assert again.values("ally_trust") == kept
    assert small.mean("ally_trust") == pytest.approx(everything.mean("ally_trust"))


def test_a_broken_executor_keeps_the_runs_done(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the pool or cluster fails mid-batch, the runs completed are kept, marked partial,
    with the reason."""
    from sim.batch import runner

    def dying(
        recipe: Recipe, ranges: list[tuple[int, int]], jobs: int, kind: str, stop: Any
    ) -> Any:
        first, last = ranges[0]
        yield first, replicate.run_chunk(recipe, first, last)
        raise OSError("worker lost")

    monkeypatch.setattr(runner, "_executor_chunks", dying)
    result = run_batch(quick_recipe(), chunk_size=10)
    assert result.partial and result.runs_done == 10
    assert result.failure == "the executor failed: OSError: worker lost"


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from sim.batch import cluster

    # Nothing listens on port 9: Dask retries the refused connection until its timeout, so
    # the test's patience (3 s), not the user's (10 s), is what the refusal costs.
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 3)
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
        run_batch(quick_recipe(), executor="dask://127.0.0.1:9", chunk_size=60)


def test_a_second_batch_of_the_same_files_in_one_process_uses_its_own_seed() -> None:
    """A process keeps the parsed scenario between batches (a Dask worker serves many): a
    batch with another root seed must still play its own seeds, not the previous batch's."""
    first = recipe_from_files(QUICKSTART, [COOPERATE], runs=20, seed=1)
    second = recipe_from_files(QUICKSTART, [COOPERATE], runs=20, seed=2)
    assert first.key == second.key  # the same texts: the parsed scenario is shared
    alone = batch_data(run_batch(second))
    batch_data(run_batch(first))
    after = batch_data(run_batch(second))
    assert after["root_seed"] == 2
    assert after["policies"] == alone["policies"]
    assert batch_data(run_batch(first))["policies"] != alone["policies"]
