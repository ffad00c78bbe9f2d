"""The `tabletop` command as a user runs it: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = str(ROOT / "scenarios" / "quickstart.yaml")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and "tabletop" in out
    code, out, _ = invoke("--help")
    assert code == 0
    for command in ("validate", "run", "play", "serve", "list"):
        assert command in out


def test_validate_a_good_file_exits_0() -> None:
    code, out, _ = invoke("validate", QUICKSTART)
    assert code == 0
    assert "ok" in out


def test_validate_a_bad_file_exits_1_with_positions(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario:\n  id: x\n  titel: X\n")
    code, _, err = invoke("validate", str(bad))
    assert code == 1
    assert f"{bad}:3:3: unknown key 'titel' (did you mean 'title'?)" in err
    assert "Traceback" not in err


def test_validate_missing_file_is_a_usage_error() -> None:
    code, _, err = invoke("validate", "no/such/file.yaml")
    assert code == 2
    assert "does not exist" in err


def test_run_prints_a_timeline_final_state_and_objectives() -> None:
    code, out, _ = invoke("run", "quickstart", "--seed", "4", "--playbook", "quickstart--cooperate")
    assert code == 0
    assert "Timeline" in out and "Final state" in out and "Objectives" in out
    assert "keep_the_alliance" in out
    assert "decision answer_ally: chose cooperate (by playbook)" in out


def test_players_view_hides_what_players_do_not_know() -> None:
    _, controller, _ = invoke("run", "quickstart", "--seed", "4")
    _, players, _ = invoke("run", "quickstart", "--seed", "4", "--view", "players")
    assert "(undetected)" in controller
    assert "(undetected)" not in players
    assert "cables exposed" in controller and "cables exposed" not in players


def test_run_json_is_stable_and_documented_shape(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    code, _, _ = invoke("run", QUICKSTART, "--format", "json", "--out", str(out), "--seed", "9")
    assert code == 0
    data = json.loads(out.read_text())
    assert data["format"] == "tabletop-run/1"
    assert data["scenario"] == "quickstart" and data["seed"] == 9
    assert set(data) >= {"events", "final", "objectives", "decisions"}
    assert data["events"][0]["kind"] == "exercise_started"
    assert {o["rating"] for o in data["objectives"]} <= {"met", "partially", "not_met"}
    again = tmp_path / "again.json"
    invoke("run", QUICKSTART, "--format", "json", "--out", str(again), "--seed", "9")
    assert again.read_bytes() == out.read_bytes()


def test_unknown_scenario_name_is_a_usage_error_with_a_suggestion() -> None:
    code, _, err = invoke("run", "quikstart")
    assert code == 2
    assert "did you mean 'quickstart'" in err


def test_a_bad_playbook_is_invalid_input(tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text("playbook: {id: b}\ndecisions:\n  answer_ally: cooperat\n  remediaton: patch\n")
    code, _, err = invoke("run", "quickstart", "--playbook", str(book))
    assert code == 1
    assert (
        "book.yaml:3:16: 'cooperat' is not an option of 'answer_ally' (did you mean 'cooperate'?)"
        in err
    )
    assert "book.yaml:4:3: unknown decision 'remediaton' (did you mean 'remediation'?)" in err


@pytest.mark.parametrize(
    "args", [["run"], ["run", "quickstart", "--format", "xml"], ["frobnicate"]]
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _, _ = invoke(*args)
    assert code == 2


def test_the_installed_command_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "validate", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "binary" in proc.stderr


def test_validate_ok_line_stays_short_whatever_the_title(tmp_path: Path) -> None:
    """A title of 90,000 characters (within the limits) is cut on the ok line."""
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text(encoding="utf-8")
    old = '  title: "Quickstart: a warning from an ally"'
    path = tmp_path / "s.yaml"
    path.write_text(text.replace(old, "  title: " + "W" * 90_000), encoding="utf-8")
    code, out, _ = invoke("validate", str(path))
    assert code == 0, out
    (line,) = out.splitlines()
    assert line.startswith(f"{path}: ok (scenario: WWW") and line.endswith("W…)")
    assert len(line) < len(str(path)) + 160
