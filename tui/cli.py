"""The `tabletop` entry point: the headless commands of sim.cli plus `play` and `serve`.

It lives in tui/ so that sim/ never imports the console. Textual is imported only when a
console command runs, so `tabletop --help` and `tabletop run` stay fast.
"""

from __future__ import annotations

import sys

import click

from sim.cli import _load, main, run_main


@main.command()
@click.argument("scenario", required=False)
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the scenario's).")
def play(scenario: str | None, seed: int | None) -> None:
    """Open the facilitator console on SCENARIO (a file or bundled id), or pick one."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError(
            "the console needs a terminal (stdin and stdout); for a headless run use "
            "'tabletop run', for a browser 'tabletop serve'"
        )
    model = _load(scenario) if scenario else None
    from tui.app import TabletopApp

    app = TabletopApp(scenario=model, seed=seed)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


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
