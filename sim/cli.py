"""The `tabletop` command. Exit codes: 0 ok, 1 invalid input, 2 usage error."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from sim.problems import Problem
    from sim.schema import Scenario

VERSION = "0.1.0"
INVALID = 1


def _fail_problems(problems: list[Problem]) -> NoReturn:
    for p in problems:
        click.echo(str(p), err=True)
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"{errors} error{'s' if errors != 1 else ''}", err=True)
    sys.exit(INVALID)


def _scenario_path(name: str) -> Path:
    from sim.bundled import bundled_names, resolve
    from sim.problems import did_you_mean

    path = resolve(name)
    if path is None:
        hint = did_you_mean(name, bundled_names())
        raise click.BadParameter(
            f"no file or bundled scenario '{name}'{hint}; bundled: {', '.join(bundled_names())}",
            param_hint="SCENARIO",
        )
    return path


def _load(name: str) -> Scenario:
    from sim.loader import check_scenario_file

    scenario, problems = check_scenario_file(_scenario_path(name))
    if scenario is None:
        _fail_problems(problems)
    return scenario


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="tabletop")
def main() -> None:
    """tabletop: simulate cyber-policy tabletop exercises.

    Scenarios are YAML files; the bundled ones can be named by id (e.g. quickstart).
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, no warnings or summary.")
def validate(paths: tuple[str, ...], quiet: bool) -> None:
    """Check scenario files and report every problem as file:line:col."""
    from sim.loader import check_scenario_file

    failed = 0
    for name in paths:
        if not Path(name).exists():
            raise click.BadParameter(f"'{name}' does not exist", param_hint="PATHS")
        scenario, problems = check_scenario_file(name)
        for p in problems:
            if p.severity == "error" or not quiet:
                click.echo(str(p), err=p.severity == "error")
        if scenario is None:
            failed += 1
        elif not quiet:
            click.echo(f"{name}: ok ({scenario.scenario.title})")
    if not quiet and len(paths) > 1:
        click.echo(f"{len(paths)} files checked, {failed} invalid")
    sys.exit(INVALID if failed else 0)


@main.command()
@click.argument("scenario")
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the scenario's).")
@click.option("--playbook", "playbook_name", help="Playbook file (or bundled playbook name).")
@click.option(
    "--decider",
    type=click.Choice(["deadline", "random"]),
    default="deadline",
    show_default=True,
    help="Without a playbook: let decisions default at their deadlines, or choose at random.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--view",
    type=click.Choice(["controller", "players"]),
    default="controller",
    show_default=True,
    help="Text timeline: everything, or only what players know.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="Write here, not to stdout."
)
def run(
    scenario: str,
    seed: int | None,
    playbook_name: str | None,
    decider: str,
    fmt: str,
    view: str,
    out: str | None,
) -> None:
    """Play SCENARIO headless with scripted decisions and print the outcome."""
    from sim.bundled import resolve
    from sim.deciders import Decider, DefaultDecider, PlaybookDecider, RandomDecider, play
    from sim.engine import Exercise
    from sim.playbook import load_playbook
    from sim.problems import InputProblems
    from sim.report import RunResult

    model = _load(scenario)
    run_seed = model.scenario.seed if seed is None else seed
    chooser: Decider
    label = None
    if playbook_name is not None:
        path = resolve(playbook_name, "playbook")
        if path is None:
            raise click.BadParameter(f"no playbook file '{playbook_name}'", param_hint="--playbook")
        try:
            book = load_playbook(path, model)
        except InputProblems as exc:
            _fail_problems(exc.problems)
        chooser = PlaybookDecider(book)
        label = book.playbook.id
    elif decider == "random":
        chooser = RandomDecider(run_seed)
        label = "random"
    else:
        chooser = DefaultDecider()
    exercise = Exercise(model, run_seed)
    play(exercise, chooser)
    result = RunResult(exercise, label)
    text = result.to_json() if fmt == "json" else result.to_text(controller=view == "controller")
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


@main.command(name="list")
def list_() -> None:
    """List the bundled scenarios and playbooks."""
    from sim.bundled import bundled_playbooks, bundled_scenarios
    from sim.loader import check_scenario_file

    for path in bundled_scenarios():
        scenario, _ = check_scenario_file(path)
        title = scenario.scenario.title if scenario else "(invalid)"
        click.echo(f"{path.stem:<28} {title}")
        for book in bundled_playbooks(path.stem):
            click.echo(f"    playbook {book.stem}")


@main.command()
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="Write here, not to stdout."
)
@click.option("--playbook", is_flag=True, help="The playbook schema, not the scenario's.")
def schema(out: str | None, playbook: bool) -> None:
    """Print the JSON Schema of the scenario (or playbook) format (draft-07, for editors)."""
    from sim.jsonschema import scenario_json_schema_text

    if playbook:
        from sim.authoring.playbookschema import playbook_json_schema_text

        text = playbook_json_schema_text()
    else:
        text = scenario_json_schema_text()
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


def run_main() -> None:
    """Entry point that never shows a traceback for our own errors."""
    from sim.problems import TabletopError

    try:
        main()
    except TabletopError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(INVALID)


from sim.authoring import cli as _authoring_cli  # noqa: E402  (registers graph, lint, new, msel)

del _authoring_cli
