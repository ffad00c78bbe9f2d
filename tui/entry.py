"""The `tabletop` program: `--help`, `--version` and `validate` at once, the rest through click.

`tabletop --help` is answered from the command list without importing click (sim.quickhelp),
and `tabletop validate PATHS [-q]` without click (sim.validatecli); every other command line
goes to tui.cli, which imports each command's module when named.
"""

from __future__ import annotations

import sys

TUI_COMMANDS: tuple[tuple[str, str, str], ...] = (
    # (name, module, one-line help), as sim.commandlist.SIM_COMMANDS
    (
        "play",
        "tui.cli",
        "Open the facilitator console on SCENARIO (a file or bundled id), or pick one.",
    ),
    (
        "watch",
        "tui.cli",
        "Show the players' view of a live session (read-only, e.g. on the projector).",
    ),
    (
        "serve",
        "tui.cli",
        "Serve the console to your browser, behind a secret link printed at start (offline).",
    ),
)


def command_help() -> list[tuple[str, str]]:
    """Every command's name and one-line help, sorted by name as click lists them."""
    from sim.commandlist import SIM_COMMANDS

    return sorted((name, text) for name, _, text in (*SIM_COMMANDS, *TUI_COMMANDS))


def run_main() -> None:
    """Entry point of the `tabletop` console script: Ctrl-C anywhere is one line, exit 130."""
    from sim.exits import Terminated, interrupted, mind_closed_streams, terminated

    mind_closed_streams()
    try:
        _run()
    except KeyboardInterrupt:
        interrupted()
    except Terminated:
        terminated()


def _run() -> None:
    from sim.quickhelp import quick_answer

    text = quick_answer(sys.argv[1:], command_help())
    if text is not None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError:
            pass  # click says what went wrong, as it does for every other command
        else:
            sys.exit(0)
    from sim.validatecli import fast_validate

    fast_validate(sys.argv[1:])  # `validate PATHS`: answered without click, exits
    from tui.cli import run_main as run_click

    run_click()


if __name__ == "__main__":
    run_main()
