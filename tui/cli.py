"""The `tabletop` entry point: the headless commands of sim.cli plus `play` and `serve`.

It lives in tui/ so that sim/ never imports the console. Textual is imported only when a
console command runs, so `tabletop --help` and `tabletop run` stay fast.
"""

from __future__ import annotations

import click

from sim.cli import _load, main, run_main


@main.command()
@click.argument("scenario", required=False)
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the scenario's).")
@click.option(
    "--pause-before-default/--no-pause-before-default",
    default=True,
    show_default=True,
    help="Stop the clock before a decision's deadline default applies.",
)
def play(scenario: str | None, seed: int | None, pause_before_default: bool) -> None:
    """Open the facilitator console on SCENARIO (a file or bundled id), or pick one."""
    model = _load(scenario) if scenario else None
    from tui.app import TabletopApp

    TabletopApp(scenario=model, seed=seed, hold_defaults=pause_before_default).run()


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
