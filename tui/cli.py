"""The `tabletop` entry point: the headless commands of sim.cli plus `play` and `serve`.

It lives in tui/ so that sim/ never imports the console. Textual is imported only when a
console command runs, so `tabletop --help` and `tabletop run` stay fast.
"""

from __future__ import annotations

import click

from sim.cli import _load, main, run_main
from sim.session.cli import clear_errors, load_with_text, open_store, store_option


@main.command()
@click.argument("scenario", required=False)
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the scenario's).")
@click.option("--resume", "resume", metavar="ID", help="Continue a saved session.")
@click.option("--force", is_flag=True, help="With --resume: replay on a changed scenario file.")
@click.option("--no-save", is_flag=True, help="Do not save the session.")
@store_option
@clear_errors
def play(
    scenario: str | None,
    seed: int | None,
    resume: str | None,
    force: bool,
    no_save: bool,
    store: str | None,
) -> None:
    """Open the facilitator console on SCENARIO (a file or bundled id), or pick one.

    The session is saved as it goes (see `tabletop sessions`); resume it with --resume ID.
    """
    from sim.schema import Scenario
    from tui.recording import Recording

    model: Scenario | None
    recording: Recording | None
    if resume is not None:
        if scenario or seed is not None or no_save:
            raise click.UsageError("--resume takes no SCENARIO, --seed or --no-save")
        from sim.session.resume import resume_session

        st = open_store(store)
        resumed = resume_session(st, resume, force=force)
        for line in resumed.report():
            click.echo(line, err=True)
        recording = Recording(st, resumed=resumed, store_option=store or "")
        model = resumed.exercise.scenario
    elif no_save:
        recording = None
        model = _load(scenario) if scenario else None
    else:
        text_path = load_with_text(scenario) if scenario else None
        model = text_path[0] if text_path else None
        recording = Recording(
            open_store(store),
            path=text_path[2] if text_path else None,
            text=text_path[1] if text_path else None,
            store_option=store or "",
        )
    from tui.app import TabletopApp

    TabletopApp(scenario=model, seed=seed, recording=recording).run()
    if recording is not None and recording.session_id is not None:
        click.echo(f"Session {recording.session_id} is saved: {recording.resume_command()}")


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

    follower = open_follower(open_store(store, readonly=True), session)
    if plain:
        from tui.watch import watch_plain

        watch_plain(follower)
        return
    from tui.watch import WatchApp

    WatchApp(follower).run()


@main.command()
@click.argument("scenario", required=False)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="localhost", show_default=True, help="Interface to listen on.")
def serve(scenario: str | None, port: int, host: str) -> None:
    """Serve the console to a browser on this machine (works offline)."""
    if scenario:
        _load(scenario)  # report problems now, not inside the browser
    from tui.serve import serve_console

    serve_console(scenario, host=host, port=port)


__all__ = ["main", "run_main"]


if __name__ == "__main__":
    run_main()
