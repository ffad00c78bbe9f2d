"""The authoring commands of `tabletop`: graph, lint, new, msel import (registered on sim.cli)."""

from __future__ import annotations

from pathlib import Path

import click

from sim.cli import _load, main


@main.command()
@click.argument("scenario")
@click.option(
    "--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True
)
@click.option(
    "--no-variables", is_flag=True, help="Leave out variables and the links through them."
)
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="Write here, not to stdout."
)
def graph(scenario: str, fmt: str, no_variables: bool, out: str | None) -> None:
    """Draw the flow of SCENARIO: injects, decisions, options, responses, laws, threat stages.

    Mermaid renders on GitHub and in many editors; DOT is for Graphviz (dot -Tsvg).
    """
    from sim.authoring.graph import to_dot, to_mermaid
    from sim.flow import scenario_flow

    model = _load(scenario)
    flow = scenario_flow(model)
    if fmt == "dot":
        text = to_dot(flow, variables=not no_variables, title=model.scenario.title)
    else:
        text = to_mermaid(flow, variables=not no_variables)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)
