"""`tabletop sessions`: list the saved sessions (and the shared --store option)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from sim.cli import main, store_name
from sim.safetext import echoed, printable
from sim.session.location import ENV_VAR

if TYPE_CHECKING:
    from sim.deciders import Decider
    from sim.engine import Exercise
    from sim.schema import Scenario
    from sim.session.store import SessionInfo, SessionStore

F = TypeVar("F", bound=Callable[..., object])


def clear_errors(func: F) -> F:
    """Our own errors (a store that cannot be used, a changed scenario) as a message, exit 1
    (2 for a session id, decision or option typed that names nothing: a usage error)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        from sim.problems import TabletopError, error_text

        try:
            return func(*args, **kwargs)
        except TabletopError as exc:
            click.echo(error_text(exc), err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def store_option(func: F) -> F:
    """The --store PATH option every session command takes."""
    return click.option(
        "--store",
        "store",
        metavar="PATH",
        callback=store_name,
        help=f"Session store file (default: ${ENV_VAR}, else your data folder).",
    )(func)


def open_store(
    option: str | None, *, readonly: bool = False, upgrade: bool = False
) -> SessionStore:
    """Open the store a command was given; it is closed when the command ends.

    With upgrade, for a command that only reads: open it for writing where this user may
    (an older store is upgraded), else read it as it is (a store shared read-only).
    """
    from sim.session import store as stores
    from sim.session.location import store_path

    path = store_path(option)
    # A name too long for SQLite's companion files is said first, whatever the command.
    stores.check_name_lengths(path, printable(str(path), one_line=True))
    if (readonly or upgrade) and _missing(path):
        # A command that only reads never makes a store: a typo would leave an empty file.
        if option is not None:  # named on the command line: a usage error, exit 2
            raise click.BadParameter(
                f"there is no session store at {echoed(str(path))}",
                param_hint="'--store'",  # as the option's own check says it
            )
        readonly, upgrade = True, False  # $TABLETOP_STORE or the data folder: none there
    if upgrade:
        with suppress(OSError):  # a name too long, say: opening says what is wrong
            readonly = path.is_file() and not stores.writable_here(path)
    store = stores.SessionStore.open(path, readonly=readonly)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(store.close)
    return store


def _missing(path: Path) -> bool:
    """True if nothing is at path (a name the system refuses is left to the store to explain)."""
    try:
        return not path.exists() and not path.is_symlink()
    except OSError:
        return False


def _short(stamp: str) -> str:
    """'2026-12-02T03:25:00+00:00' as '2026-12-02 03:25' (UTC)."""
    return stamp[:16].replace("T", " ")


def sessions_text(rows: list[SessionInfo]) -> str:
    if not rows:
        return "No sessions yet: `tabletop play quickstart` starts one.\n"
    lines = [
        f"{'id':>4}  {'scenario':<26} {'started (UTC)':<16}  {'last activity':<16}  "
        f"{'status':<9} {'decisions':>9}"
    ]
    for s in rows:
        name = printable(s.scenario_id, one_line=True)
        if len(name) > 26:
            name = name[:25] + "…"
        extra = f"  (branch of {s.parent_id})" if s.parent_id is not None else ""
        # A store may come from anywhere: its times and status are shown terminal-safe too.
        created = printable(_short(s.created), one_line=True)
        active = printable(_short(s.last_activity), one_line=True)
        status = printable(s.status, one_line=True)
        lines.append(
            f"{s.id:>4}  {name:<26} {created:<16}  {active:<16}  "
            f"{status:<9} {s.decisions:>9}{extra}"
        )
    return "\n".join(lines) + "\n"


@main.command()
@store_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@clear_errors
def sessions(store: str | None, fmt: str) -> None:
    """List saved sessions: id, scenario, start, last activity, status, decisions made."""
    from sim.session.location import default_store_path

    if store is None and _missing(default_store_path()) and not os.environ.get(ENV_VAR):
        rows: list[SessionInfo] = []  # nothing played here yet; nothing is made by looking
    else:
        with open_store(store, upgrade=True) as st:
            rows = st.sessions()
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in rows], indent=2))
    else:
        click.echo(sessions_text(rows), nl=False)


def load_with_text(name: str) -> tuple[Scenario, str, Path]:
    """A scenario by file or bundled name, with the exact text it was loaded from."""
    from sim.cli import _fail_problems, _scenario_path
    from sim.problems import InputProblems
    from sim.session.resume import load_text, read_scenario_text

    path = _scenario_path(name)
    try:
        text = read_scenario_text(path)
        return load_text(text, str(path)), text, path
    except InputProblems as exc:
        _fail_problems(exc.problems)


def decider_for(model: Scenario, playbook_name: str | None, decider: str, seed: int) -> Decider:
    """The headless decider asked for: a playbook, random choices, or deadline defaults."""
    from sim.cli import _fail_problems, playbook_path
    from sim.deciders import DefaultDecider, PlaybookDecider, RandomDecider
    from sim.playbook import load_playbook
    from sim.problems import InputProblems

    if playbook_name is not None:
        path = playbook_path(playbook_name)
        try:
            return PlaybookDecider(load_playbook(path, model))
        except InputProblems as exc:
            _fail_problems(exc.problems)
    if decider == "random":
        return RandomDecider(seed)
    return DefaultDecider()


@main.command()
@click.argument("session")
@click.option("--at", "decision", required=True, help="The decision to take differently.")
@click.option("--option", "option", required=True, help="The option to take instead.")
@click.option("--playbook", "playbook_name", help="Play on with this playbook.")
@click.option(
    "--decider",
    type=click.Choice(["deadline", "random"]),
    help="Without a playbook: later decisions default at their deadlines (the default), or "
    "are random. Not with --playbook or --live.",
)
@click.option(
    "--live",
    is_flag=True,
    help="Stop at the branch point, to play on in the console (tabletop play --resume).",
)
@store_option
@clear_errors
def branch(
    session: str,
    decision: str,
    option: str,
    playbook_name: str | None,
    decider: str | None,
    live: bool,
    store: str | None,
) -> None:
    """What if: replay SESSION up to a decision, take another option, play on (same seed)."""
    from sim.deciders import play
    from sim.session.branch import branch_session
    from sim.session.resume import saved_scenario

    if playbook_name is not None and decider is not None:
        raise click.UsageError("--decider and --playbook both choose the decisions; give one")
    if live and (playbook_name is not None or decider is not None):
        given = "--playbook" if playbook_name is not None else "--decider"
        raise click.UsageError(
            f"--live stops at the branch point for the console to play on: {given} would "
            "decide nothing; give one or the other"
        )
    with open_store(store) as st:
        if playbook_name is not None:  # checked before the branch is saved: a refusal saves none
            info = st.session(session)
            decider_for(saved_scenario(st, info), playbook_name, "deadline", info.seed)
        made = branch_session(st, session, decision, option)
        ex = made.exercise
        took = made.parent_option or "its default"
        click.echo(
            f"session {made.session_id} branches from session {made.parent_id} at "
            f"{made.decision}: {made.option} instead of {printable(took, one_line=True)}"
        )
        if live:
            click.echo(f"play it on in the console: tabletop play --resume {made.session_id}")
            return
        play(ex, decider_for(ex.scenario, playbook_name, decider or "deadline", ex.seed))
        click.echo(
            f"played to the end; compare: tabletop compare {made.parent_id} {made.session_id}"
        )


@main.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@store_option
@clear_errors
def compare(a: str, b: str, fmt: str, store: str | None) -> None:
    """Where the timelines of sessions A and B diverge, and how they differ at the end."""
    from sim.session.compare import compare_sessions

    with open_store(store, upgrade=True) as st:
        result = compare_sessions(st, a, b)
    click.echo(result.to_json() if fmt == "json" else result.to_text(), nl=False)


def recorded_run(name: str, model: Scenario, seed: int, store: str | None) -> Exercise:
    """A headless run's exercise, saved as a session as it plays (`tabletop run --record`)."""
    from sim.problems import TabletopError, error_text
    from sim.session.journal import start_session

    loaded, text, path = load_with_text(name)
    try:
        st = open_store(store)
        st.check()  # a damaged store is refused as every other command refuses it
        exercise = start_session(st, loaded, text, path, seed, origin="run")
    except TabletopError as exc:
        click.echo(error_text(exc), err=True)
        sys.exit(1)
    assert exercise.journal is not None
    click.echo(f"recording as session {exercise.journal.session_id}", err=True)
    return exercise
