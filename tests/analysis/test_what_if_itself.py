"""`tabletop report --what-if` compares with *another* run: the one reported (the same
playbook under another name, or the same session) is a usage error, as `batch` refuses the
same playbook twice, not a "what if" section in which nothing can differ."""

from __future__ import annotations

from pathlib import Path

import pytest
from aar_helpers import saved_session
from click.testing import CliRunner

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "scenarios" / "playbooks" / "quickstart--cooperate.yaml"


def report(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", *args, "--format", "md"])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("playbook", "what_if"),
    [
        ("quickstart--cooperate", "quickstart--cooperate"),
        ("quickstart--cooperate", str(BOOK)),  # a bundled name and its file
        (str(BOOK), str(BOOK.parent / ".." / "playbooks" / BOOK.name)),  # two spellings
    ],
)
def test_what_if_with_the_playbook_reported_is_a_usage_error(playbook: str, what_if: str) -> None:
    code, out, err = report("quickstart", "--playbook", playbook, "--what-if", what_if)
    assert code == 2, err
    assert "--what-if" in err and "the playbook reported" in err
    assert out == ""


@pytest.mark.parametrize("spelling", ["{sid}", "#{sid}", " {sid}", "0{sid}"])
def test_what_if_with_the_session_reported_is_a_usage_error(tmp_path: Path, spelling: str) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    code, out, err = report(str(sid), "--what-if", spelling.format(sid=sid), "--store", str(store))
    assert code == 2, err
    assert "--what-if" in err and "the session reported" in err
    assert out == ""


def test_what_if_with_another_playbook_or_session_still_works(tmp_path: Path) -> None:
    code, out, _ = report(
        "quickstart", "--playbook", "quickstart--cooperate", "--what-if", "quickstart--go-it-alone"
    )
    assert code == 0 and "What if: quickstart--cooperate compared with" in out
    store = tmp_path / "s.sqlite3"
    a, b = saved_session(store), saved_session(store, seed=2020)
    code, out, _ = report(str(a), "--what-if", str(b), "--store", str(store))
    assert code == 0 and f"What if: session {a} compared with session {b}" in out
