"""Every subcommand's error paths: one clear message, the right exit code, never a traceback.

Exit codes: 0 ok, 1 invalid input (or a file that cannot be written), 2 usage error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim import engine
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = str(ROOT / "scenarios" / "quickstart.yaml")
PLAYBOOK = str(ROOT / "scenarios" / "playbooks" / "quickstart--cooperate.yaml")
HOSTILE = ROOT / "tests" / "data"
ESCAPES = str(HOSTILE / "bad" / "control_escapes.yaml")


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


CASES = [
    # validate
    (("validate",), 2, "Missing argument"),
    (("validate", "no/such/file.yaml"), 2, "'no/such/file.yaml' does not exist"),
    (("validate", "quickstartt"), 2, "did you mean 'quickstart'?"),
    (("validate", str(HOSTILE / "hostile" / "binary_png.bin")), 1, "binary file"),
    (("validate", str(HOSTILE / "bad")), 1, "files checked"),
    (("validate", ESCAPES), 1, "control character (U+001B)"),
    (("validate", "--nope", QUICKSTART), 2, "No such option"),
    # run
    (("run",), 2, "Missing argument"),
    (("run", "nothere"), 2, "no file or bundled scenario 'nothere'"),
    (("run", ESCAPES), 1, "control character"),
    (("run", QUICKSTART, "--playbook", "nothere"), 2, "no playbook file or bundled playbook"),
    (("run", QUICKSTART, "--playbook", PLAYBOOK, "--decider", "random"), 2, "give one"),
    (("run", QUICKSTART, "--seed", "-1"), 2, "Invalid value for '--seed'"),
    (("run", QUICKSTART, "--format", "xml"), 2, "Invalid value for '--format'"),
    (("run", QUICKSTART, "--out", "/no/such/folder/out.txt"), 1, "cannot write"),
    (("run", QUICKSTART, "--out", "/dev/full"), 1, "No space left on device"),
    (("run", QUICKSTART, "--playbook", QUICKSTART), 1, "this is a scenario, not a playbook"),
    # schema, list
    (("schema", "--out", "/no/such/folder/s.json"), 1, "cannot write"),
    (("schema", "--out", "/dev/full"), 1, "No space left on device"),
    (("list", "extra"), 2, "unexpected extra argument"),
    # play (no terminal here: CliRunner's stdin and stdout are not ttys), serve
    (("play", QUICKSTART), 2, "the console needs a terminal"),
    (("play", "nothere"), 2, "the console needs a terminal"),
    # watch's full-screen view drew into a file or pipe and never ended (--plain is for that)
    (("watch", "1", "--store", "no/such/store.sqlite3"), 2, "needs a terminal"),
    (("watch", "1", "--store", "no/such/store.sqlite3"), 2, "--plain"),
    (("serve", "nothere"), 2, "no file or bundled scenario 'nothere'"),
    (("serve", "--port", "70000"), 2, "Invalid value for '--port'"),
    (("nosuchcommand",), 2, "No such command"),
]


@pytest.mark.parametrize(("args", "code", "says"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_error_paths(args: tuple[str, ...], code: int, says: str) -> None:
    if "/dev/full" in args and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    got, out = invoke(*args)
    assert got == code, out
    assert says in out
    assert "Traceback" not in out
    assert "\x1b" not in out  # nothing from a file reaches the terminal as a control code


def test_a_runaway_run_exits_1_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "MAX_EVENTS", 50)
    code, out = invoke("run", QUICKSTART)
    assert code == 1
    assert "after 50 engine events, the limit for one run" in out
    assert "Traceback" not in out


def test_validate_checks_bundled_playbooks_as_playbooks() -> None:
    code, out = invoke("validate", str(ROOT / "scenarios"))
    assert code == 0, out
    assert out.count(": ok (playbook: ") == len(list((ROOT / "scenarios/playbooks").glob("*.yaml")))
    code, out = invoke("validate", "quickstart--cooperate")
    assert code == 0 and "ok (playbook: " in out


def test_a_playbook_is_checked_against_its_scenario(tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text(
        "playbook: {id: b, scenario: quickstart}\ndecisions:\n  answer_ally: nope\n",
        encoding="utf-8",
    )
    code, out = invoke("validate", str(book))
    assert code == 1
    assert f"{book}:3:16: 'nope' is not an option of 'answer_ally'" in out
    lonely = tmp_path / "lonely.yaml"
    lonely.write_text("playbook: {id: l, scenario: elsewhere}\n", encoding="utf-8")
    code, out = invoke("validate", str(lonely))
    assert code == 0
    assert "warning: scenario 'elsewhere' is not among the files checked" in out


def test_json_players_view_is_honoured() -> None:
    code, out = invoke("run", QUICKSTART, "--format", "json", "--view", "players")
    assert code == 0
    assert '"view": "players"' in out


def test_stdout_on_a_full_disk_and_a_closed_pipe() -> None:
    tabletop = [sys.executable, "-m", "tui", "run", QUICKSTART]
    if Path("/dev/full").exists():
        with open("/dev/full", "w") as full:
            done = subprocess.run(tabletop, stdout=full, stderr=subprocess.PIPE, text=True)
        assert done.returncode == 1
        assert done.stderr.strip() == "error: cannot write the output: No space left on device"
    piped = subprocess.run(
        f"{' '.join(tabletop)} | head -c 10 > /dev/null",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in piped.stderr


def test_file_names_and_messages_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    evil = tmp_path / "evil\x1b]0;pwned\x07\u202e.yaml"
    evil.write_text("scenario:\n  titel: X\n", encoding="utf-8")
    code, out = invoke("validate", str(evil))
    assert code == 1
    assert "evil\\x1b]0;pwned\\x07\\u202e.yaml:2:3: unknown key 'titel'" in out
    assert "\x1b" not in out and "\u202e" not in out
    code, out = invoke("run", str(tmp_path / "gone\x1b[2J.yaml"))
    assert code == 2
    assert "gone\\x1b[2J.yaml" in out and "\x1b" not in out


def test_problem_lines_are_one_line_with_visible_escapes() -> None:
    from sim.problems import Problem

    shown = str(Problem("a\x9b.yaml", 3, 4, "bad '\x1b[2J'\nfake: line"))
    assert shown == "a\\x9b.yaml:3:4: bad '\\x1b[2J'\\x0afake: line"


def test_stdout_of_headless_commands_is_guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A path that forgets `printable` still cannot reach the terminal with control codes."""
    import io

    import click

    from sim.safestream import SafeTextWriter, guard_stdout

    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buffer)
    guard_stdout()
    guard_stdout()  # once only
    assert isinstance(sys.stdout, SafeTextWriter)
    click.echo("title \x1b]0;pwned\x07 \x9b2J \u202etxt.exe\nnext\tline")
    print("\x1b[2J", flush=True)
    assert buffer.getvalue() == (
        "title \\x1b]0;pwned\\x07 \\x9b2J \\u202etxt.exe\nnext\tline\n\\x1b[2J\n"
    )


def test_commands_guard_stdout() -> None:
    from sim.cli import UNGUARDED_COMMANDS

    assert {"serve"} == UNGUARDED_COMMANDS
    probe = [
        sys.executable,
        "-c",
        "import sys, tui.cli as c; sys.argv = ['tabletop', 'list'];"
        "import click; c.main.add_command(click.Command('probe', callback=lambda: "
        "print('\\x1b[2J')));"
        "sys.argv = ['tabletop', 'probe']; c.run_main()",
    ]
    done = subprocess.run(probe, capture_output=True, text=True, cwd=ROOT)
    assert done.stdout == "\\x1b[2J\n", done.stderr


def test_hostile_playbooks_are_refused_at_their_positions(tmp_path: Path) -> None:
    book = tmp_path / "hostile.yaml"
    book.write_text(
        'playbook: {id: h, scenario: quickstart, title: "\\e]0;pwned\\a"}\n'
        "decisions:\n"
        "  lambda: cooperate\n"
        "  answer_ally: {choose: cooperate, after: 1.0e+300, if: '9 ** 9 ** 9 > 1'}\n",
        encoding="utf-8",
    )
    code, out = invoke("validate", str(book))
    assert code == 1
    assert f"{book}:1:48: the text contains a control character (U+001B)" in out
    book.write_text(book.read_text().replace('"\\e]0;pwned\\a"', "T"), encoding="utf-8")
    code, out = invoke("run", QUICKSTART, "--playbook", str(book))
    assert code == 1
    assert f"{book}:3:3: 'lambda' is a word of the expression language" in out
    assert f"{book}:4:43: should be less than or equal to 1000000" in out
    assert "Traceback" not in out
