"""`tabletop report SESSION`: a saved session's AAR, with its plan and wall-clock times."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aar_helpers import saved_session
from click.testing import CliRunner

from sim.cli import main
from sim.session.store import SessionStore


def report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", *args])
    return result.exit_code, result.output


def test_a_session_report_has_its_rationale_plan_and_times(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    code, out = report(str(sid), "--store", str(store), "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["overview"]["session_id"] == str(sid)
    assert data["overview"]["wall_start"] and data["overview"]["wall_end"]
    assert data["decisions"][0]["rationale"] == "We cannot admit a breach"
    assert data["decisions"][0]["by"] == "players"
    assert data["plan"] == [
        {
            "objective": "keep_the_alliance",
            "issue": "Denied the breach to the ally",
            "corrective_action": "Agree a disclosure policy",
            "owner": "MOFA",
            "due": "2027-01-31",
        }
    ]
    assert data["plan_drafted"] is False
    assert any(
        f["text"] == "The room never asked who else should know" for f in data["improvements"]
    )
    assert "CONTROLLER-NOTE-session" not in out
    code, out = report(
        f"#{sid}", "--store", str(store), "--format", "md", "--audience", "controller"
    )
    assert code == 0 and "CONTROLLER-NOTE-session" in out


def test_a_session_in_progress_is_rated_as_it_stands(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store, finish=False)
    code, out = report(str(sid), "--store", str(store), "--format", "json")
    assert code == 0, out
    assert json.loads(out)["overview"]["ended"] == "in progress"
    with SessionStore.open(store, readonly=True) as st:
        assert st.session(sid).status != "finished"  # the report only reads the store


def test_what_if_between_two_sessions(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    a = saved_session(store)
    b = saved_session(store, seed=2020)
    code, out = report(str(a), "--what-if", str(b), "--store", str(store), "--format", "md")
    assert code == 0, out
    assert f"What if: session {a} compared with session {b}" in out


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["99"], 2, "no session 99"),  # an unknown id typed: a usage error
        (["1", "--playbook", "quickstart--cooperate"], 2, "go with a scenario"),
        (["1", "--what-if", "quickstart--cooperate"], 2, "another session id"),
        (["no-such-thing"], 2, "no file or bundled scenario"),
    ],
)
def test_bad_sources_are_clear_errors(
    tmp_path: Path, args: list[str], code: int, words: str
) -> None:
    from tui.cli import run_main  # noqa: F401  (the entry point that turns our errors into exit 1)

    store = tmp_path / "s.sqlite3"
    saved_session(store)
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tui.cli import run_main; run_main()",
            "report",
            *args,
            "--store",
            str(store),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == code, done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr


def test_no_store_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tui.cli import run_main; run_main()",
            "report",
            "3",
            "--store",
            str(tmp_path / "none.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # a --store naming no file is a usage error, as any missing file named; nothing is made
    assert done.returncode == 2 and "no session store" in done.stderr
    assert not (tmp_path / "none.sqlite3").exists()
