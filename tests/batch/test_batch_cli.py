"""`tabletop batch` as a user runs it: formats, exit codes, hostile input, the HTML report,
and Ctrl-C."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import QUICKSTART
from click.testing import CliRunner

from tui.cli import main

BOOK = "quickstart--cooperate"
OTHER = "quickstart--go-it-alone"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_text_summary_compares_playbooks() -> None:
    code, out, _ = invoke(
        "batch",
        "quickstart",
        "--runs",
        "40",
        "--playbook",
        BOOK,
        "--playbook",
        OTHER,
        "--seed",
        "1",
    )
    assert code == 0
    assert "40 of 40 runs, root seed 1" in out
    assert f"Policy {BOOK}: 40 runs, 0 failed" in out
    assert f"Paired comparison {BOOK} - {OTHER} (40 runs, same luck)" in out
    assert "keep_the_alliance" in out and "PARTIAL" not in out


def test_json_and_csv_hold_the_same_figures(tmp_path: Path) -> None:
    out_json = tmp_path / "b.json"
    code, _, err = invoke(
        "batch",
        "quickstart",
        "--runs",
        "30",
        "--playbook",
        BOOK,
        "--format",
        "json",
        "--out",
        str(out_json),
    )
    assert code == 0 and "wrote" in err
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["format"] == "tabletop-batch/1" and data["partial"] is False
    met = data["policies"][0]["objectives"][0]["met"]
    code, out, _ = invoke(
        "batch", "quickstart", "--runs", "30", "--playbook", BOOK, "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    row = next(r for r in rows if r["section"] == "objective" and r["measure"] == "met")
    assert float(row["value"]) == met["estimate"] and float(row["low"]) == met["low"]


def test_no_playbook_means_the_random_decider_with_sensitivity() -> None:
    code, out, _ = invoke("batch", "quickstart", "--runs", "30", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [p["name"] for p in data["policies"]] == ["random"]
    assert data["sensitivity"][0]["policy"] == "random"


def test_jobs_do_not_change_the_output() -> None:
    args = ("batch", "quickstart", "--runs", "24", "--playbook", BOOK, "--format", "json")
    assert invoke(*args, "--jobs", "2")[1] == invoke(*args)[1]


@pytest.mark.parametrize(
    "args",
    [
        ["--runs", "0"],
        ["--runs", "lots"],
        ["--runs", "-5"],
        ["--jobs", "0"],
        ["--seed", "-1"],
        ["--format", "xml"],
        ["--executor", "threads"],
        ["--executor", "dask://"],
        ["--executor", "dask://host:port; rm -rf /"],
        ["--playbook", "no-such-playbook"],
        [],  # --runs is required
    ],
)
def test_bad_flags_are_usage_errors(args: list[str]) -> None:
    if args != [] and "--runs" not in args:
        args = [*args, "--runs", "5"]
    code, _, err = invoke("batch", "quickstart", *args)
    assert code == 2, err
    assert "Traceback" not in err


def test_unknown_scenario_is_a_usage_error() -> None:
    code, _, err = invoke("batch", "no-such-scenario", "--runs", "5")
    assert code == 2 and "no file or bundled scenario" in err


def test_an_output_in_a_missing_folder_is_one_line_naming_it_and_exit_1(tmp_path: Path) -> None:
    tabletop = Path(sys.executable).with_name("tabletop")
    target = tmp_path / "no-such-folder" / "out.json"
    done = subprocess.run(
        [tabletop, "batch", "quickstart", "--runs", "2", "--format", "json", "--out", target],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot write {target}: ")


def test_a_bad_scenario_lists_its_problems_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario:\n  id: x\n  titel: X\n")
    code, _, err = invoke("batch", str(bad), "--runs", "5")
    assert code == 1
    assert f"{bad}:3:3: unknown key 'titel'" in err
    assert "Traceback" not in err


def test_a_playbook_for_another_scenario_is_refused_with_exit_1() -> None:
    code, _, err = invoke(
        "batch", "quickstart", "--runs", "5", "--playbook", "olympics-2020--hard-line"
    )
    assert code == 1 and "not 'quickstart'" in err


def test_the_same_playbook_twice_is_a_usage_error() -> None:
    code, _, err = invoke(
        "batch", "quickstart", "--runs", "5", "--playbook", BOOK, "--playbook", BOOK
    )
    assert code == 2 and "twice" in err


def _hostile_scenario(tmp_path: Path) -> Path:
    text = QUICKSTART.read_text(encoding="utf-8")
    text = text.replace(
        'title: "Quickstart: a warning from an ally"',
        'title: "<script>alert(1)</script> & <b>bold</b>"',
    )
    text = text.replace('label: "ally trust"', 'label: "<img src=x onerror=alert(1)> $x^2$"')
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_html_report_is_offline_escaped_and_has_histograms(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    report = tmp_path / "r.html"
    code, _, err = invoke(
        "batch",
        str(_hostile_scenario(tmp_path)),
        "--runs",
        "30",
        "--playbook",
        BOOK,
        "--playbook",
        OTHER,
        "--report",
        str(report),
    )
    assert code == 0, err
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert not re.search(r"https?:|ftp:|file:|data:", page, re.I), "no URL of any kind"
    assert not re.search(r"""\ssrc\s*=\s*["']""", page, re.I)
    assert all(ref.startswith("#") for ref in re.findall(r'href="([^"]*)"', page))
    assert page.count("<svg") == 5, "one histogram per variable"
    assert "Paired comparison" in page


def test_partial_results_after_ctrl_c(tmp_path: Path) -> None:
    """A real SIGINT to a running batch: it stops, writes what it has, marked partial."""
    out = tmp_path / "partial.json"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from tui.cli import run_main; run_main()",
            "batch",
            "quickstart",
            "--runs",
            "1000000",
            "--jobs",
            "2",
            "--playbook",
            BOOK,
            "--format",
            "json",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, so nothing outlives the test
    )
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not children.read_text().split():
            time.sleep(0.2)  # wait for the pool's workers: the batch is under way
        time.sleep(2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:  # it did not stop: end it and its workers, then fail
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    text = err.decode()
    assert proc.returncode == 130, text
    assert "interrupted" in text and "Traceback" not in text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["partial"] is True
    assert 0 <= data["runs_done"] < 1_000_000
    assert data["policies"][0]["runs"] == data["runs_done"]


def test_a_batch_in_which_every_run_failed_exits_1_and_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No run gave a result: the figures are empty, so the batch is not a success (exit 1),
    the failed runs are still written (with their seeds, to replay one), and stderr says why."""
    from sim.batch import replicate

    def broken(ex: object, decider: object) -> None:
        raise RuntimeError("the run stopped: over budget")

    monkeypatch.setattr(replicate, "play", broken)
    out = tmp_path / "out.json"
    code, _, err = invoke(
        "batch", "quickstart", "--runs", "3", "--playbook", BOOK, "--format", "json",
        "--out", str(out), "--jobs", "1",
    )  # fmt: skip
    assert code == 1
    assert "every run failed" in err and "over budget" in err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["failures"]["count"] == 3 and not data["partial"]


def test_a_batch_in_which_some_runs_failed_still_succeeds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sim.batch import replicate
    from sim.batch.replicate import replication_seed

    real = replicate.play
    bad = replication_seed(5, 1)

    def flaky(ex: Any, decider: Any) -> None:
        if ex.seed == bad:
            raise RuntimeError("boom")
        real(ex, decider)

    monkeypatch.setattr(replicate, "play", flaky)
    code, out, err = invoke(
        "batch", "quickstart", "--runs", "3", "--playbook", BOOK, "--format", "json",
        "--jobs", "1", "--seed", "5",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["failures"]["count"] == 1
