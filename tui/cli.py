"""The `tabletop` entry point: the headless commands of sim.cli plus `play` and `serve`.

It lives in tui/ so that sim/ never imports the console. Textual is imported only when a
console command runs, so `tabletop --help` and `tabletop run` stay fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from sim.cli import SEED, _fail_problems, _load, _scenario_path, main, run_main
from sim.exits import INVALID
from sim.safetext import printable
from sim.session.cli import clear_errors, load_with_text, open_store, store_option
from tui.serve_guard import DEFAULT_MAX_SESSIONS, DEFAULT_MAX_VIEWERS, MAX_SESSIONS_LIMIT

if TYPE_CHECKING:
    from tui.recording import Recording


@main.command()
@click.argument("scenarios", nargs=-1)
@click.option("--seed", type=SEED, help="Random seed (default: the scenario's).")
@click.option("--resume", "resume", metavar="ID", help="Continue a saved session.")
@click.option("--force", is_flag=True, help="With --resume: replay on a changed scenario file.")
@click.option("--no-save", is_flag=True, help="Do not save the session.")
@click.option(
    "--watch",
    is_flag=True,
    help="Reload the scenario FILE when it is saved, replaying what was done (not saved).",
)
@click.option("--no-folder", is_flag=True, hidden=True, help="Picker: never list the folder.")
@click.option(
    "--pause-before-default/--no-pause-before-default",
    default=True,
    show_default=True,
    help="Stop the clock before a decision's deadline default applies.",
)
@store_option
@clear_errors
def play(
    scenarios: tuple[str, ...],
    seed: int | None,
    resume: str | None,
    force: bool,
    no_save: bool,
    watch: bool,
    no_folder: bool,
    pause_before_default: bool,
    store: str | None,
) -> None:
    """Open the facilitator console on SCENARIO (a file or bundled id), or pick one.

    With several SCENARIOS the picker offers them and the bundled ones; with none, the bundled
    ones and the scenario files in the current folder. The session is saved as it goes (see
    `tabletop sessions`); resume it with --resume ID. With --watch (authors: one scenario file)
    every save reloads the file and replays what was done; that session is not saved.
    """
    if force and resume is None:
        raise click.UsageError("--force goes with --resume ID (it replays on a changed scenario)")
    if watch and (resume is not None or len(scenarios) != 1 or not Path(scenarios[0]).is_file()):
        raise click.UsageError("--watch needs one scenario FILE (not a bundled id or --resume)")
    scenario = scenarios[0] if len(scenarios) == 1 else None
    files = _check_all(scenarios) if scenario is None and (scenarios or no_folder) else None
    from sim.schema import Scenario
    from tui.recording import Recording

    if not _has_terminal():
        raise click.UsageError(
            "the console needs a terminal (stdin and stdout); for a headless run use "
            "'tabletop run', for a browser 'tabletop serve'"
        )
    _bounded_terminal_size()

    model: Scenario | None
    recording: Recording | None
    if resume is not None:
        if scenarios or seed is not None or no_save:
            raise click.UsageError("--resume takes no SCENARIO, --seed or --no-save")
        from sim.session.resume import resume_session

        st = open_store(store)
        resumed = resume_session(st, resume, force=force)
        for line in resumed.report():
            click.echo(printable(line, one_line=True), err=True)
        recording = Recording(st, resumed=resumed, store_option=store or "")
        model = resumed.exercise.scenario
    elif no_save or watch:
        recording = None
        model = _load(scenario) if scenario else None
    else:
        text_path = load_with_text(scenario) if scenario else None
        model = text_path[0] if text_path else None
        st = open_store(store)
        st.check()  # a damaged store is refused before the console opens, as run --record does
        recording = Recording(
            st,
            path=text_path[2] if text_path else None,
            text=text_path[1] if text_path else None,
            store_option=store or "",
        )
    from tui.app import TabletopApp

    app = TabletopApp(
        scenario=model,
        seed=seed,
        recording=recording,
        files=files,
        hold_defaults=pause_before_default,
        watch=Path(scenarios[0]) if watch else None,
    )
    app.run()
    # The app's recording: a scenario chosen in the picker is recorded by a copy of the one
    # given to it, which alone knows the session's id.
    recording = app.recording
    if app.stopped_by is not None:
        _stopped(app.stopped_by, recording)
    if recording is not None and recording.session_id is not None:
        click.echo(f"Session {recording.session_id} is saved: {recording.resume_command()}")
    if app.return_code:  # a crash: one line was printed, the details are in a log file
        sys.exit(app.return_code)


def _stopped(signum: int, recording: Recording | None, what: str = "") -> NoReturn:
    """After SIGTERM or SIGHUP: one line on stderr (if it is still there: not after a
    hang-up), saying why and ``what`` was done, then exit 128 + signum; the store is closed
    as the command ends."""
    import contextlib

    from tui.stopsignals import STOP_SIGNALS

    said = STOP_SIGNALS.get(signum, "stopped")
    if recording is not None and recording.session_id is not None:
        said += f": session {recording.session_id} is saved: {recording.resume_command()}"
    elif what:
        said += f": {what}"
    with contextlib.suppress(OSError, ValueError):
        click.echo(printable(said, one_line=True), err=True)
    sys.exit(128 + signum)


MAX_COLUMNS, MAX_LINES = 1000, 500
"""The largest console size COLUMNS and LINES may give (a very large screen, a small font)."""


def _bounded_terminal_size() -> None:
    """Drop COLUMNS and LINES unless each is a size a screen can have.

    Textual sizes the console with shutil.get_terminal_size(), which reads them before it asks
    the terminal: LINES=100000 made the console lay out 100,000 lines (gigabytes, nothing
    drawn). Without them the terminal's own size is used.
    """
    import os

    for name, most in (("COLUMNS", MAX_COLUMNS), ("LINES", MAX_LINES)):
        value = os.environ.get(name)
        if value is not None and not (
            value.isascii() and value.isdigit() and len(value) <= 4 and 0 < int(value) <= most
        ):
            del os.environ[name]


def _has_terminal() -> bool:
    """True in a terminal, or under `tabletop serve` (Textual's web driver talks over pipes)."""
    import os

    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def _check_all(names: tuple[str, ...]) -> list[Path]:
    """The files for names (paths or bundled ids), once every one has been checked."""
    from sim.loader import check_scenario_file

    paths = [_scenario_path(name) for name in names]
    problems = [p for path in paths for p in check_scenario_file(path)[1]]
    if any(p.severity == "error" for p in problems):
        _fail_problems(problems)
    return paths


@main.command()
@click.argument("session")
@store_option
@click.option(
    "--plain", is_flag=True, help="Print the players' records as lines (no full-screen view)."
)
@clear_errors
def watch(session: str, store: str | None, plain: bool) -> None:
    """Show the players' view of a live session (read-only, e.g. on the projector)."""
    from sim.session.watch import open_follower

    if not plain and not _has_terminal():  # the full-screen view would draw into a file
        raise click.UsageError(
            "the full-screen view needs a terminal (stdin and stdout); use --plain to print "
            "the players' records as lines"
        )
    follower = open_follower(open_store(store, readonly=True), session)
    if plain:
        from tui.watch import watch_plain

        watch_plain(follower)
        return
    from tui.watch import WatchApp

    _bounded_terminal_size()
    app = WatchApp(follower)
    app.run()
    if app.stopped_by is not None:
        _stopped(app.stopped_by, None, f"stopped watching session {follower.info.id}")


@main.command()
@click.argument("scenarios", nargs=-1)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--host",
    default="localhost",
    show_default=True,
    help="Interface to listen on: this machine only, unless --allow-remote.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host that other machines can reach (anyone with the link gets the console).",
)
@click.option(
    "--max-sessions",
    default=DEFAULT_MAX_SESSIONS,
    show_default=True,
    type=click.IntRange(1, MAX_SESSIONS_LIMIT),
    help="Console sessions open at once.",
)
@click.option(
    "--max-viewers",
    default=DEFAULT_MAX_VIEWERS,
    show_default=True,
    type=click.IntRange(1, MAX_SESSIONS_LIMIT),
    help="Projector pages (read-only players' view) open at once.",
)
@store_option
def serve(
    scenarios: tuple[str, ...],
    port: int,
    host: str,
    allow_remote: bool,
    max_sessions: int,
    max_viewers: int,
    store: str | None,
) -> None:
    """Serve the console to your browser, behind a secret link printed at start (offline).

    The picker offers the bundled scenarios and the SCENARIOS named (one named opens directly).
    """
    files = _check_all(scenarios)  # report problems now, not inside the browser
    from sim.safetext import printable
    from sim.session.location import store_path

    store_path(store)  # a blank $TABLETOP_STORE is refused before the port is opened
    from tui.serve import ServeStartError, serve_console
    from tui.serve_guard import BindError

    try:
        serve_console(
            files,
            host=host,
            port=port,
            allow_remote=allow_remote,
            max_sessions=max_sessions,
            max_viewers=max_viewers,
            store=Path(store) if store is not None else None,
            echo=click.echo,
            warn=lambda line: click.echo(printable(line, one_line=True), err=True),
        )
    except BindError as exc:
        raise click.UsageError(printable(str(exc), one_line=True)) from None
    except ServeStartError as exc:
        click.echo(f"error: {printable(str(exc), one_line=True)}", err=True)
        sys.exit(INVALID)


__all__ = ["main", "run_main"]


if __name__ == "__main__":
    run_main()
