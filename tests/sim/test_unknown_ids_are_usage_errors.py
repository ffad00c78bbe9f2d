"""A session id, decision or option typed on the command line that names nothing is a usage
error (exit 2, one line), as a bad flag value is: not invalid input (exit 1)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tui.cli import main


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("store") / "s.sqlite3"
    result = CliRunner().invoke(main, ["run", "quickstart", "--record", "--store", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


CASES = [
    (["branch", "1", "--at", "nope", "--option", "x"], "has no decision 'nope'"),
    (["branch", "1", "--at", "answer_ally", "--option", "nope"], "'nope' is not an option"),
    (["branch", "99", "--at", "answer_ally", "--option", "deny"], "no session 99"),
    (["branch", "abc", "--at", "answer_ally", "--option", "deny"], "'abc' is not a session id"),
    (["compare", "1", "99"], "no session 99"),
    (["compare", "1", "0"], "'0' is not a session id"),
    (["report", "99"], "no session 99"),
    (["report", "1", "--what-if", "99"], "no session 99"),
    (["report", "1", "--what-if", "0"], "'0' is not a session id"),
    (["watch", "99", "--plain"], "no session 99"),
    (["watch", "x1", "--plain"], "'x1' is not a session id"),
]


@pytest.mark.parametrize(
    ("args", "says"), CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_an_unknown_id_typed_is_a_usage_error(store: str, args: list[str], says: str) -> None:
    result = CliRunner().invoke(main, [*args, "--store", store])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and says in line, line


@pytest.mark.parametrize(
    "args",
    [
        ["report", "quickstart", "--what-if", "1"],
        ["report", "quickstart", "--playbook", "nope"],
        ["run", "quickstart", "--playbook", "nope"],
    ],
)
def test_a_bad_playbook_typed_for_a_scenario_is_a_usage_error(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_the_program_itself_exits_2(store: str) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tui", "compare", "1", "99", "--store", store],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: no session 99")
