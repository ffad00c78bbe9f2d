"""`tabletop report` and `tabletop pack`: documents from a scenario, a run or a session.

Registered in sim/cli.py. Heavy imports (jinja2, matplotlib) happen only when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sim.cli import SEED, output_name, store_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from sim.schema import Scenario

FORMATS = ("html", "md", "json", "pdf")


def _write(text: str, out: str | None) -> None:
    from sim.safetext import printable

    if out:
        from sim.cli import write_out

        write_out(out, text)
    else:
        click.echo(printable(text), nl=False)


@click.command()
@click.argument("source")
@click.option("--playbook", help="For a scenario: the playbook that decides (default: deadlines).")
@click.option("--seed", type=SEED, help="For a scenario: the random seed.")
@click.option(
    "--what-if",
    "what_if",
    metavar="PLAYBOOK|SESSION",
    help="Compare in a 'what if' section: for a scenario another playbook (same seed), "
    "for a session another session (e.g. its branch).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option(
    "--audience",
    type=click.Choice(["players", "controller"]),
    default="players",
    show_default=True,
    help="players: only what the players' view shows; controller: everything.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, readable=False),
    callback=output_name,
    help="Write here, not to stdout.",
)
@click.option(
    "--store", metavar="PATH", callback=store_name, help="Session store file, for a session id."
)
def report(
    source: str,
    playbook: str | None,
    seed: int | None,
    what_if: str | None,
    fmt: str,
    audience: str,
    out: str | None,
    store: str | None,
) -> None:
    """The after-action report and improvement plan (AAR/IP) of SOURCE.

    SOURCE is a session id (see `tabletop sessions`), or a scenario (a file or a bundled id)
    played headless with --playbook and --seed.
    """
    from sim.analysis.sources import (
        headless_input,
        is_session_id,
        session_input,
        session_number,
        with_branch,
    )
    from sim.cli import _fail_problems, _load
    from sim.problems import InputProblems
    from sim.safetext import printable

    if fmt == "pdf" and not out:
        raise click.UsageError("--format pdf writes a file: give --out FILE.pdf")
    if is_session_id(source):
        if playbook or seed is not None:
            raise click.UsageError("--playbook and --seed go with a scenario, not a session")
        from sim.cli import check_outputs
        from sim.session.location import store_path

        check_outputs({"the session store": store_path(store)}, out=out)
        found = session_input(source, store)
        if what_if is not None:
            if not is_session_id(what_if):
                raise click.UsageError("for a session, --what-if names another session id")
            if session_number(what_if) == session_number(source):
                raise click.UsageError(
                    "--what-if names the session reported: give another session id"
                )
            found = with_branch(found, session_input(what_if, store))
    else:
        from sim.cli import _scenario_path, check_outputs, playbook_path

        scenario_path = _scenario_path(source)
        book = None if playbook is None else playbook_path(playbook)
        other = None if what_if is None else playbook_path(what_if, "--what-if")
        model = _load(source)
        inputs = {"the scenario": scenario_path, f"the playbook {playbook}": book}
        check_outputs({**inputs, f"the playbook {what_if}": other}, out=out)
        if book is not None and other is not None:
            _check_other_playbook(book, other)
        _check_playbooks(model, [path for path in (book, other) if path is not None])
        try:
            found = headless_input(model, seed, playbook)
            if what_if is not None:
                found = with_branch(found, headless_input(model, found.seed, what_if))
        except InputProblems as exc:
            _fail_problems(exc.problems)
    from sim.analysis.model import build_aar
    from sim.analysis.render import render_aar

    caveat = found.scenario.scenario.handling
    try:
        aar = build_aar(found, "players" if audience == "players" else "controller")
    except ValueError as exc:  # a 'what if' of another scenario
        raise click.UsageError(str(exc)) from None
    if fmt == "pdf":
        from sim.analysis.html import aar_html
        from sim.analysis.pdf import html_to_pdf

        assert out is not None
        try:
            html_to_pdf(aar_html(aar, caveat), Path(out))
        except OSError as exc:
            from sim.cli import _cannot_write

            _cannot_write(out, exc.strerror or type(exc).__name__)
        click.echo(f"wrote {printable(out, one_line=True)}", err=True)
        return
    _write(render_aar(aar, fmt, caveat), out)


def _check_other_playbook(reported: Path, other: Path) -> None:
    """A usage error if --what-if names the playbook reported (under any name or spelling)."""
    import os

    if os.path.samefile(reported, other):
        raise click.UsageError(
            "--what-if names the playbook reported: give another playbook to compare with"
        )


def _check_playbooks(model: Scenario, paths: list[Path]) -> None:
    """Every problem of the playbook and the 'what if' playbook at once, before either plays."""
    from sim.cli import _fail_problems
    from sim.playbook import load_playbook
    from sim.problems import InputProblems, Problem

    problems: list[Problem] = []
    for path in paths:
        try:
            load_playbook(path, model)
        except InputProblems as exc:
            problems += exc.problems
    if problems:
        _fail_problems(problems)


PACK_FILES = (
    "situation-manual.html",
    "situation-manual.md",
    "controller-handbook.html",
    "controller-handbook.md",
    "msel.csv",
)


@click.command()
@click.argument("scenario")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, readable=False),
    callback=output_name,
    help="Directory to write the package into (made if missing). All five files are "
    "written, or none: on any failure DIR is left as it was.",
)
def pack(scenario: str, out: str) -> None:
    """Write the exercise package of SCENARIO: Situation Manual, controllers' handbook, MSEL.

    The Situation Manual is for the players; the Controller and Evaluator Handbook and the
    MSEL (CSV) are for the exercise staff. HTML is print-ready (A4); Markdown for editing.
    """
    from sim.analysis.html import handbook_html, manual_html
    from sim.analysis.markdown import handbook_markdown, manual_markdown
    from sim.analysis.pack import msel_csv, package
    from sim.cli import _load, write_failed
    from sim.outfolder import whole_folder, write_staged
    from sim.safetext import printable

    model = _load(scenario)
    made = package(model)
    renderers: tuple[Callable[[], str], ...] = (
        lambda: manual_html(made.manual),
        lambda: manual_markdown(made.manual),
        lambda: handbook_html(made.handbook),
        lambda: handbook_markdown(made.handbook),
        lambda: msel_csv(made.handbook),
    )
    try:
        with whole_folder(out) as stage:
            for name, render in zip(PACK_FILES, renderers, strict=True):
                write_staged(stage / name, render(), newline="")
    except OSError as exc:
        write_failed(exc, out)
    for name in PACK_FILES:
        click.echo(printable(f"wrote {Path(out) / name}", one_line=True), err=True)
