"""The authoring commands of `tabletop`: graph, lint, new, msel import (registered on sim.cli)."""

from __future__ import annotations

import sys
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option(
    "--explore",
    type=click.IntRange(min=0, max=100_000),
    default=0,
    metavar="N",
    help="Also play N seeded runs with random decisions and report what never happened.",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, help="First seed of --explore.")
def lint(paths: tuple[str, ...], fmt: str, strict: bool, explore: int, seed: int) -> None:
    """Find what the schema cannot see: file:line:col: CODE level: message.

    Rules and suppression comments: docs/lint-rules.md. Exit 0 if no errors (warnings and
    info allowed; with --strict, no warnings either), 1 if any, 2 on a usage error.
    """
    from sim.authoring.lint import lint_paths, to_json

    files = _lint_targets(paths)
    findings = lint_paths(files, explore=explore, first_seed=seed)
    if fmt == "json":
        click.echo(to_json(findings), nl=False)
    else:
        for f in findings:
            click.echo(str(f))
        levels = ("error", "warning", "info")
        counts = {lvl: sum(f.level == lvl for f in findings) for lvl in levels}
        click.echo(
            f"{len(files)} file{'s' if len(files) != 1 else ''}: {counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['info']} info",
            err=True,
        )
    failing = {"error", "warning"} if strict else {"error"}
    sys.exit(1 if any(f.level in failing for f in findings) else 0)


def _lint_targets(paths: tuple[str, ...]) -> list[Path]:
    """Files named, bundled scenarios named by id, and the *.yaml scenarios in directories."""
    from sim.bundled import resolve

    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            out += [p for p in sorted(path.rglob("*.y*ml")) if not _is_playbook(p)]
            continue
        found = resolve(name)
        if found is None:
            raise click.BadParameter(f"'{name}' does not exist", param_hint="PATHS")
        out.append(found)
    return out


def _is_playbook(path: Path) -> bool:
    """Playbooks sit beside scenarios; they are checked against a scenario, not linted."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return any(line.startswith("playbook:") for line in head.splitlines())
