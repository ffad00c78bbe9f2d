"""`tabletop --help` is fast and true: every command listed with its real one-line help.

Command modules are imported only when their command is named, and the top-level help is
rendered without click from sim.commandlist; these tests keep that list equal to the commands.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sim.commandlist import SIM_COMMANDS
from sim.quickhelp import quick_answer, render_help, short_help
from tui.cli import main
from tui.entry import TUI_COMMANDS, command_help

ROOT = Path(__file__).resolve().parents[2]
TABLE = {name: text for name, _, text in (*SIM_COMMANDS, *TUI_COMMANDS)}
HEAVY = ("simpy", "numpy", "pydantic", "yaml", "textual", "rich", "jinja2", "matplotlib")


def _context(width: int | None = None, prog: str = "tabletop") -> click.Context:
    settings = main.context_settings
    return click.Context(main, info_name=prog, terminal_width=width, **settings)


def _real(name: str) -> click.Command:
    command = main.get_command(_context(), name)
    assert command is not None, name
    return command


def test_the_list_names_every_command_and_nothing_else() -> None:
    ctx = _context()
    for name in TABLE:  # load every command
        _real(name)
    assert sorted(main.list_commands(ctx)) == sorted(TABLE)
    assert sorted(main.commands) == sorted(TABLE)
    assert len(TABLE) == len(SIM_COMMANDS) + len(TUI_COMMANDS)  # no name twice


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_line_is_the_commands_own_one_line_help(name: str) -> None:
    command = _real(name)
    assert command.get_short_help_str(10**6) == TABLE[name]
    for limit in range(0, 130):
        assert short_help(TABLE[name], limit) == command.get_short_help_str(limit), limit


def test_each_lazy_command_lives_where_the_list_says() -> None:
    for name, module, _ in (*SIM_COMMANDS, *TUI_COMMANDS):
        assert _real(name).callback is not None
        assert _real(name).callback.__module__ == module, name


@pytest.mark.parametrize("prog", ["tabletop", "python -m tui"])
def test_quick_help_is_clicks_help_at_every_width(prog: str) -> None:
    for width in range(50, 161):
        expected = main.get_help(_context(width, prog))
        assert render_help(prog, command_help(), width) == expected, width


def test_quick_help_leaves_the_unusual_to_click() -> None:
    assert render_help("x" * 40, command_help(), 55) is None  # usage would not fit
    assert render_help("tabletop", [("n" * 31, "Too long a name.")], 78) is None
    for args in ([], ["--help", "x"], ["run", "--help"], ["-h", "-h"], ["--versio"], ["help"]):
        assert quick_answer(args, command_help()) is None, args


def test_version_is_clicks() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert quick_answer(["--version"], command_help()) == result.output


def _tabletop(*args: str, env_columns: str = "80", stdout: int | None = None) -> str:
    """Run the console script's entry point; print which heavy packages it imported."""
    code = (
        "import sys\n"
        f"sys.argv = ['tabletop', *{list(args)!r}]\n"
        "from tui.entry import run_main\n"
        "try:\n    run_main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules})\n"
        "print('EXIT', code, 'LOADED', *loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": env_columns},
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout + done.stderr


def test_top_level_help_and_version_import_neither_click_nor_a_command() -> None:
    for args, expected in [(("--help",), "Usage: tabletop"), (("--version",), "0.1.0")]:
        out = _tabletop(*args)
        assert expected in out
        loaded = out.split("LOADED", 1)[1].split()
        assert "EXIT 0 " in out
        assert "click" not in loaded and not set(HEAVY) & set(loaded), loaded


def test_console_script_help_is_clicks_help_for_the_terminal_width() -> None:
    for columns, width in [("80", 78), ("200", 78), ("64", 62), ("20", 50)]:
        out = _tabletop("--help", env_columns=columns)
        assert out.split("EXIT")[0] == main.get_help(_context(width)) + "\n", columns


@pytest.mark.parametrize(
    "args",
    [
        ("play", "--help"),
        ("serve", "--help"),
        ("watch", "--help"),
        ("validate", "--help"),
        ("run", "--help"),
        ("batch", "--help"),
        ("report", "--help"),
        ("lint", "--help"),
        ("msel", "import", "--help"),
        ("sessions", "--help"),
    ],
)
def test_a_commands_help_imports_nothing_heavy(args: tuple[str, ...]) -> None:
    out = _tabletop(*args)
    assert f"Usage: tabletop {' '.join(args[:-1])} [OPTIONS]" in out
    assert "EXIT 0 " in out
    loaded = out.split("LOADED", 1)[1].split()
    assert not set(HEAVY) & set(loaded), loaded


@pytest.mark.parametrize(
    "args",
    [
        ("run", "quickstart", "--playbook", "quickstart--cooperate"),
        ("run", "quickstart"),
        ("validate", "quickstart"),
    ],
)
def test_a_run_without_the_random_decider_never_imports_numpy(args: tuple[str, ...]) -> None:
    """numpy (tens of ms to import) serves only the random decider and batches."""
    out = _tabletop(*args)
    assert "EXIT 0 " in out, out
    assert "numpy" not in out.split("LOADED", 1)[1].split()


def test_the_random_decider_still_plays_when_numpy_comes_late() -> None:
    out = _tabletop("run", "quickstart", "--decider", "random", "--format", "json")
    assert "EXIT 0 " in out, out
    assert "numpy" in out.split("LOADED", 1)[1].split()
    assert '"random choice"' in out  # the decisions were the random decider's


def test_help_on_a_full_disk_or_a_closed_pipe_is_one_line_and_exit_1() -> None:
    script = [sys.executable, "-m", "tui", "--help"]
    if Path("/dev/full").exists():
        with open("/dev/full", "w") as full:
            done = subprocess.run(script, stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        assert done.returncode == 1
        assert done.stderr.strip() == "error: cannot write the output: No space left on device"
    piped = subprocess.run(
        f"{' '.join(script)} | head -c 10 > /dev/null",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert piped.stderr == ""


def test_registering_the_commands_imports_none_of_their_modules() -> None:
    lazy = sorted({module for _, module, _ in SIM_COMMANDS} - {"sim.cli"})
    code = f"import sys, sim.cli\nprint(*sorted(m for m in {lazy!r} if m in sys.modules))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
