"""The authoring commands of `tabletop`: graph, lint, new, msel import (registered on sim.cli)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from sim.cli import (
    SEED,
    _load,
    _not_a_file,
    _scenario_path,
    check_outputs,
    main,
    output_name,
    write_out,
)
from sim.lazycli import LazyGroup

if TYPE_CHECKING:
    from sim.problems import Problem


@main.command()
@click.argument("scenario")
@click.option(
    "--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True
)
@click.option(
    "--no-variables", is_flag=True, help="Leave out variables and the links through them."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, readable=False),
    callback=output_name,
    help="Write here, not to stdout.",
)
def graph(scenario: str, fmt: str, no_variables: bool, out: str | None) -> None:
    """Draw the flow of SCENARIO: injects, decisions, options, responses, laws, threat stages.

    Mermaid renders on GitHub and in many editors; DOT is for Graphviz (dot -Tsvg).
    """
    from sim.authoring.graph import to_dot, to_mermaid
    from sim.flow import scenario_flow

    model = _load(scenario)
    check_outputs({"the scenario": _scenario_path(scenario)}, out=out)
    flow = scenario_flow(model)
    if fmt == "dot":
        text = to_dot(flow, variables=not no_variables, title=model.scenario.title)
    else:
        text = to_mermaid(flow, variables=not no_variables)
    if out:
        write_out(out, text)
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
@click.option("--seed", type=SEED, default=0, help="First seed of --explore.")
def lint(paths: tuple[str, ...], fmt: str, strict: bool, explore: int, seed: int) -> None:
    """Find what the schema cannot see: file:line:col: CODE level: message.

    Rules and suppression comments: docs/lint-rules.md. Exit 0 if no errors (warnings and
    info allowed; with --strict, no warnings either), 1 if any, 2 on a usage error.
    """
    from sim.authoring.lint import lint_paths, to_json
    from sim.limits import MAX_SEED

    if explore and seed + explore - 1 > MAX_SEED:  # each seed explored is one run can replay
        raise click.BadParameter(
            f"--explore {explore} from seed {seed} goes past the largest seed, {MAX_SEED}: "
            f"start at {MAX_SEED - explore + 1} at most",
            param_hint="--seed",
        )
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
            f"{_count(len(files), 'file')}: {_count(counts['error'], 'error')}, "
            f"{_count(counts['warning'], 'warning')}, {counts['info']} info",
            err=True,
        )
    failing = {"error", "warning"} if strict else {"error"}
    sys.exit(1 if any(f.level in failing for f in findings) else 0)


def _lint_targets(paths: tuple[str, ...]) -> list[Path]:
    """Files named, bundled scenarios named by id, and the *.yaml scenarios in directories."""
    from sim.bundled import resolve

    out: list[Path] = []
    for name in paths:
        if not name.strip():  # Path('') is the current folder: never what an empty name meant
            raise click.BadParameter("an empty name: give a file, a folder or a bundled id")
        path = Path(name)
        if _is_folder(path):
            scenarios = [p for p in sorted(path.rglob("*.y*ml")) if not _is_playbook(p)]
            if not scenarios:  # as `validate` says it: a folder named is meant to hold scenarios
                from sim.safetext import echoed

                raise click.BadParameter(
                    f"the folder '{echoed(name)}' has no scenario files (.yaml)",
                    param_hint="PATHS",
                )
            out += scenarios
            continue
        found = resolve(name)
        if found is None:
            from sim.cli import _not_a_file
            from sim.safetext import echoed

            why = _not_a_file(name) or "does not exist"
            raise click.BadParameter(f"'{echoed(name)}' {why}", param_hint="PATHS")
        out.append(found)
    return out


def _is_folder(path: Path) -> bool:
    """Whether path is a folder (a name the system refuses, too long say, is none: the caller
    then says what is wrong with it)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_playbook(path: Path) -> bool:
    """Playbooks sit beside scenarios; they are checked against a scenario, not linted."""
    if not path.is_file():  # a FIFO would wait for a writer; the linter reports it
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return any(line.startswith("playbook:") for line in head.splitlines())


@main.command()
@click.argument("name")
@click.option(
    "--from",
    "template",
    metavar="SCENARIO",
    help="Start from a bundled scenario (e.g. quickstart) instead of the small starter.",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    callback=output_name,
    help="Where to write the files.",
)
def new(name: str, template: str | None, directory: str) -> None:
    """Write a commented starter scenario NAME.yaml and a playbook for it.

    The JSON Schemas are written beside them (if missing), so that editors complete and check
    both files. Existing files are never overwritten, and the files are written all or none.
    """
    import re

    from sim.authoring.scaffold import NAME_PATTERN, ScaffoldError, scaffold
    from sim.bundled import bundled_names
    from sim.problems import did_you_mean
    from sim.safetext import echoed, printable

    if not re.fullmatch(NAME_PATTERN, name):
        raise click.BadParameter(
            f"'{echoed(name)}' is not a scenario id: use lower-case letters, "
            "digits, '-' and '_', starting with a letter or digit, at most 55 characters",
            param_hint="NAME",
        )
    if template is not None and template not in bundled_names():
        raise click.BadParameter(
            f"no bundled scenario '{echoed(template)}'"
            f"{did_you_mean(template, bundled_names())}; bundled: {', '.join(bundled_names())}",
            param_hint="--from",
        )
    try:
        written = scaffold(name, Path(directory), template)
    except ScaffoldError as exc:
        click.echo(f"error: {printable(str(exc), one_line=True)}", err=True)
        sys.exit(1)
    except OSError as exc:  # nothing was written (see sim/outfolder.py)
        from sim.cli import write_failed

        write_failed(exc, directory)
    for w in written:
        click.echo(f"wrote {printable(str(w.path), one_line=True)} ({w.what})")
    scenario = written[0].path
    click.echo(f"next: tabletop lint {printable(str(scenario), one_line=True)}")


@main.group(cls=LazyGroup)
def msel() -> None:
    """The MSEL as a spreadsheet: import injects from a CSV export."""


@msel.command(name="import")
@click.argument("csv_file", type=click.Path(dir_okay=False, readable=False))
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(dir_okay=False, readable=False),
    help="The scenario file to append the injects to.",
)
@click.option("--dry-run", is_flag=True, help="Print the new scenario instead of writing it.")
def msel_import(csv_file: str, into: str, dry_run: bool) -> None:
    """Append the injects of CSV_FILE (time, from, to, title, text, notes, expected actions).

    It reads back the msel.csv of `tabletop pack` (planned, trigger, condition, decision,
    contingency; module is ignored): injects at a fixed time and contingency injects come
    back; one that follows an event or waits for a condition is a row problem. Every bad row
    is reported as file.csv:ROW: message, and nothing is written unless all rows
    are good. The scenario's other lines and comments are kept as they are.
    """
    from sim.authoring.msel import AppendError, MselImportError, append_injects, read_msel_csv
    from sim.loader import check_scenario, check_scenario_file
    from sim.safetext import echoed, printable
    from sim.yamlread import read_yaml_text

    target = Path(into)
    for name, hint, what in ((into, "--into", "scenario"), (csv_file, "CSV_FILE", "CSV")):
        if not Path(name).is_file():  # a device or a pipe (click has refused the rest)
            why = _not_a_file(name, what) or "does not exist"
            raise click.BadParameter(f"'{echoed(name)}' {why}", param_hint=hint)
    scenario, problems = check_scenario_file(target)
    if scenario is None:
        _fail(problems)
    if not dry_run:  # the scenario is the output too: one you may not write is said now
        check_outputs({"the MSEL": Path(csv_file)}, into=into)
    try:
        injects = read_msel_csv(csv_file, scenario)
    except MselImportError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        click.echo(f"{exc.total} problem(s) in {exc.rows} row(s); nothing imported", err=True)
        sys.exit(1)
    with open(target, encoding="utf-8", newline="") as f:  # its line breaks kept as they are
        text = f.read()
    try:
        new_text = append_injects(text, injects, Path(csv_file).name)
    except AppendError as exc:
        click.echo(f"{printable(into, one_line=True)}: {exc}", err=True)
        sys.exit(1)
    result, after = check_scenario(read_yaml_text(new_text, into), new_text)
    if result is None:
        click.echo("the scenario would not load after the import; nothing written:", err=True)
        _fail(after)
    if dry_run:
        click.echo(new_text, nl=False)
        return
    from sim.outfile import write_text_file

    try:  # whole or not at all, as every output (sim/outfile.py): a kill's leftover is removed
        write_text_file(into, new_text, newline="")  # by a later write; line breaks as they are
    except OSError as exc:
        from sim.cli import write_failed

        write_failed(exc, into)
    click.echo(
        f"imported {len(injects)} inject{'s' if len(injects) != 1 else ''} into "
        f"{printable(into, one_line=True)}",
        err=True,
    )
    new_warnings = len(after) - len(problems)
    if new_warnings > 0:
        click.echo(
            f"{new_warnings} new warning(s), e.g. injects that cite no source: "
            f"run tabletop validate {printable(into, one_line=True)}",
            err=True,
        )


def _fail(problems: list[Problem]) -> NoReturn:
    from sim.cli import _fail_problems

    _fail_problems(problems)


def _count(n: int, word: str) -> str:
    """'1 warning', '2 warnings', '0 warnings'."""
    return f"{n} {word}{'' if n == 1 else 's'}"
