"""The `tabletop` command. Exit codes: 0 ok, 1 invalid input, 2 usage error."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from sim.commandlist import MAIN_HELP, SIM_COMMANDS, VERSION
from sim.lazycli import LazyGroup

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sim.problems import Problem
    from sim.schema import Scenario

from sim.exits import INVALID
from sim.limits import MAX_SEED

SEED = click.IntRange(0, MAX_SEED)
"""The type of every --seed: the seeds a scenario's `seed:` may hold, and no other."""


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print text that may come from a file, with control characters shown as escapes."""
    from sim.safetext import printable

    click.echo(printable(text), err=err, nl=nl)


def _fail_problems(problems: list[Problem]) -> NoReturn:
    for p in problems:
        click.echo(str(p), err=True)
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"{errors} error{'s' if errors != 1 else ''}", err=True)
    sys.exit(INVALID)


def write_out(out: str, text: str, *, newline: str | None = None) -> None:
    """Write a result file whole (the old file stays if the write fails half-way), or exit 1
    with one line saying why it could not be written."""
    from sim.outfile import write_text_file

    try:
        write_text_file(out, text, newline=newline)
    except OSError as exc:
        _cannot_write(out, exc.strerror or type(exc).__name__)
    from sim.safetext import printable

    click.echo(printable(f"wrote {out}", one_line=True), err=True)


def write_outs(files: list[tuple[str, str]]) -> None:
    """Write result files (path, text) all or none, each whole (the old files stay if any one
    fails), or exit 1 with one line naming the one that could not be written."""
    from sim.outfile import write_text_files
    from sim.safetext import printable

    try:
        write_text_files(files)
    except OSError as exc:
        write_failed(exc, files[0][0])
    for out, _ in files:
        click.echo(printable(f"wrote {out}", one_line=True), err=True)


def _cannot_write(out: str, reason: str) -> NoReturn:
    from sim.safetext import printable

    click.echo(printable(f"error: cannot write {out}: {reason}", one_line=True), err=True)
    sys.exit(INVALID)


def write_failed(exc: OSError, where: str) -> NoReturn:
    """Exit 1 with one line for a failed write: the file the error names, else ``where``."""
    named = exc.filename if isinstance(exc.filename, str) else where
    _cannot_write(named, exc.strerror or type(exc).__name__)


def output_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of every option naming an output: `--out ""` (say, `--out "$UNSET"`) is a usage
    error, not the terminal or the current folder instead; so is a folder option naming
    something that exists and is no folder (click lets a device such as /dev/null through)."""
    import os

    from sim.safetext import echoed

    folder = isinstance(param.type, click.Path) and not param.type.file_okay
    if value is not None and not value.strip():
        raise click.BadParameter(
            f"an empty name: give a {'folder' if folder else 'file'} name", ctx=ctx, param=param
        )
    if value is not None and folder and os.path.exists(value) and not os.path.isdir(value):
        raise click.BadParameter(f"'{echoed(value)}' is not a folder", ctx=ctx, param=param)
    return value


def store_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of every --store option: `--store ""` (say, `--store "$UNSET"`) is a usage
    error, not the store of $TABLETOP_STORE or of the data folder instead; so is a name of a
    folder, a device or a pipe, as for every file named on the command line. (A store that does
    not exist yet is made by the commands that record.)"""
    import os

    from sim.safetext import echoed

    if value is not None and not value.strip():
        raise click.BadParameter("an empty name: give a file name", ctx=ctx, param=param)
    if value is not None and os.path.exists(value) and not os.path.isfile(value):
        why = _not_a_file(value, "session store")
        raise click.BadParameter(f"'{echoed(value)}' {why}", ctx=ctx, param=param)
    return value


def check_outputs(
    inputs: Mapping[str, Path | None], *, printed: bool = False, **outputs: str | None
) -> None:
    """Before any work: refuse an output that is one of the inputs (usage error: it would be
    overwritten), two outputs that are one file, and exit 1 if an output's folder is missing
    or the output is a file this user may not write (not after a long batch).

    ``inputs`` maps what a file is ("the scenario") to its path; ``outputs`` maps the name of
    an option of the current command to its value; ``printed``: the command also prints its
    result on standard output, which is then one of the outputs too."""
    import errno
    import os

    from sim.outfile import same_file
    from sim.safetext import echoed, printable

    ctx = click.get_current_context()
    _refuse_one_file_twice(ctx, outputs, printed)
    for name, value in outputs.items():
        if value is None:
            continue
        for what, path in inputs.items():
            if path is not None and same_file(value, path):
                param = next(p for p in ctx.command.params if p.name == name)
                raise click.BadParameter(
                    f"'{echoed(value)}' is {printable(what, one_line=True)}; it would be "
                    "overwritten",
                    ctx=ctx,
                    param=param,
                )
        folder = os.path.dirname(os.path.realpath(value))
        if not os.path.isdir(folder):
            missing = not os.path.lexists(folder)
            _cannot_write(value, os.strerror(errno.ENOENT if missing else errno.ENOTDIR))
        if os.path.isfile(value) and not os.access(value, os.W_OK):  # not replaced behind it
            _cannot_write(value, os.strerror(errno.EACCES))


def _refuse_one_file_twice(
    ctx: click.Context, outputs: Mapping[str, str | None], printed: bool
) -> None:
    """Two outputs that are one file (another spelling, a symbolic or hard link to it, one
    stream such as /dev/stdout and /dev/fd/1, or the file standard output was sent to when the
    command prints there too) are a usage error: the second would silently replace the first,
    or be mixed into it. The null device (/dev/null) may take them all."""
    from sim.outfile import file_identity
    from sim.safetext import echoed

    seen: dict[object, str | None] = {}  # the file each writes -> the option (None: stdout)
    if printed:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            printed_to = file_identity(sys.stdout.fileno())
            if printed_to is not None:
                seen[printed_to] = None
    for name, value in outputs.items():
        if value is None:
            continue
        target = file_identity(value)
        if target is None:
            continue
        param = next(p for p in ctx.command.params if p.name == name)
        if target in seen:
            first = seen[target]
            if first is None:
                why = "standard output, where the results are printed without --out"
            else:
                why = "the file " + next(p for p in ctx.command.params if p.name == first).opts[0]
                why += " writes"
            raise click.BadParameter(
                f"'{echoed(value)}' is {why}; give each its own file",
                ctx=ctx,
                param=param,
            )
        seen[target] = name


def _scenario_path(name: str) -> Path:
    from sim.bundled import bundled_names, resolve
    from sim.problems import did_you_mean
    from sim.safetext import echoed

    path = resolve(name)
    if path is None:
        what = _not_a_file(name)
        hint = "" if what else did_you_mean(name, bundled_names())
        raise click.BadParameter(
            f"'{echoed(name)}' {what}"
            if what
            else f"no file or bundled scenario '{echoed(name)}'{hint}; "
            f"bundled: {', '.join(bundled_names())}",
            param_hint="SCENARIO",
        )
    return path


def _not_a_file(name: str, what: str = "scenario") -> str:
    """Why a path that exists in some form is no ``what`` file ('' if it does not exist)."""
    import errno
    import os

    try:
        os.lstat(name)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        too_long = isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG
        return "has a name too long for this system (no file can have it)" if too_long else ""
    if not os.path.exists(name):
        return "is a broken symbolic link (its target is missing, or links loop)"
    if os.path.isdir(name):
        return f"is a folder, not a {what} file"
    return f"is not a regular file (a device or a pipe cannot be read as a {what})"


def playbook_path(name: str, option: str = "--playbook") -> Path:
    """The playbook file ``name`` names (a file, or a bundled playbook's name). None is a usage
    error (exit 2) of ``option``, as a missing scenario is: every command says it alike."""
    from sim.bundled import bundled_names, resolve
    from sim.problems import did_you_mean
    from sim.safetext import echoed

    path = resolve(name, "playbook")
    if path is not None:
        return path
    what = _not_a_file(name, "playbook")
    hint = "" if what else did_you_mean(name, bundled_names("playbook"))
    raise click.BadParameter(
        f"'{echoed(name)}' {what}"
        if what
        else f"no playbook file or bundled playbook '{echoed(name)}'{hint}",
        param_hint=option,
    )


def _load(name: str) -> Scenario:
    from sim.loader import check_scenario_file

    scenario, problems = check_scenario_file(_scenario_path(name))
    if scenario is None:
        _fail_problems(problems)
    return scenario


UNGUARDED_COMMANDS = frozenset({"serve"})
"""Commands whose stdout may carry terminal codes of their own (the server's coloured log);
every other command's stdout is guarded (the console itself draws on the original streams)."""


@click.group(
    cls=LazyGroup, help=MAIN_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(VERSION, prog_name="tabletop")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Guard stdout for every command but those with terminal codes of their own."""
    if ctx.invoked_subcommand not in UNGUARDED_COMMANDS:
        from sim.safestream import guard_stdout

        guard_stdout()


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, no warnings or summary.")
def validate(paths: tuple[str, ...], quiet: bool) -> None:
    """Check scenarios and playbooks and report every problem as file:line:col.

    PATHS are files, folders (every .yaml file in them) or bundled ids, as `run` takes.
    A playbook is checked against the scenario it names.
    """
    from sim.safetext import printable
    from sim.validatecli import before_validating
    from sim.validatecli import validate as check

    before_validating()
    from sim.validation import TargetError

    try:
        code = check(paths, quiet, lambda line, err: click.echo(line, err=err))
    except TargetError as exc:
        raise click.BadParameter(printable(str(exc), one_line=True), param_hint="PATHS") from None
    sys.exit(code)


@main.command()
@click.argument("scenario")
@click.option("--seed", type=SEED, help="Random seed (default: the scenario's).")
@click.option("--playbook", "playbook_name", help="Playbook file (or bundled playbook name).")
@click.option(
    "--decider",
    type=click.Choice(["deadline", "random"]),
    help="Without a playbook: let decisions default at their deadlines (the default), or "
    "choose at random. Not with --playbook.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--view",
    type=click.Choice(["controller", "players"]),
    default="controller",
    show_default=True,
    help="Everything, or only what players know (text and JSON).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, readable=False),
    callback=output_name,
    help="Write here, not to stdout.",
)
@click.option("--record", is_flag=True, help="Save the run as a session (see `tabletop sessions`).")
@click.option(
    "--store", metavar="PATH", callback=store_name, help="Session store file for --record."
)
def run(
    scenario: str,
    seed: int | None,
    playbook_name: str | None,
    decider: str | None,
    fmt: str,
    view: str,
    out: str | None,
    record: bool,
    store: str | None,
) -> None:
    """Play SCENARIO headless with scripted decisions and print the outcome."""
    from sim.deciders import Decider, DefaultDecider, PlaybookDecider, RandomDecider, play
    from sim.engine import Exercise, ExerciseError
    from sim.playbook import load_playbook
    from sim.problems import InputProblems
    from sim.report import RunResult
    from sim.safetext import printable

    if playbook_name is not None and decider is not None:
        raise click.UsageError("--decider and --playbook both choose the decisions; give one")
    scenario_path = _scenario_path(scenario)  # every usage error before the files are read
    book_path = None if playbook_name is None else playbook_path(playbook_name)
    model = _load(scenario)
    run_seed = model.scenario.seed if seed is None else seed
    chooser: Decider
    label = None
    inputs = {"the scenario": scenario_path, "the playbook": book_path}
    if record:
        from sim.session.location import store_path

        inputs["the session store"] = store_path(store)
    check_outputs(inputs, out=out)
    if book_path is not None:
        try:
            book = load_playbook(book_path, model)
        except InputProblems as exc:
            _fail_problems(exc.problems)
        chooser = PlaybookDecider(book)
        label = book.playbook.id
    elif decider == "random":
        chooser = RandomDecider(run_seed)
        label = "random"
    else:
        chooser = DefaultDecider()
    if record:
        from sim.session.cli import recorded_run

        exercise = recorded_run(scenario, model, run_seed, store)
    else:
        exercise = Exercise(model, run_seed)
    try:
        play(exercise, chooser)
    except ExerciseError as exc:
        click.echo(printable(f"error: {exc}", one_line=True), err=True)
        sys.exit(INVALID)
    result = RunResult(exercise, label)
    controller = view == "controller"
    text = result.to_json(controller) if fmt == "json" else result.to_text(controller)
    if out:
        write_out(out, text)
    else:
        say(text, nl=False)


@main.command(name="list")
def list_() -> None:
    """List the bundled scenarios and playbooks."""
    from sim.bundled import bundled_playbooks, bundled_scenarios
    from sim.loader import check_scenario_file

    for path in bundled_scenarios():
        scenario, _ = check_scenario_file(path)
        title = scenario.scenario.title if scenario else "(invalid)"
        say(f"{path.stem:<28} {title}")
        for book in bundled_playbooks(path.stem):
            click.echo(f"    playbook {book.stem}")


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, readable=False),
    callback=output_name,
    help="Write here, not to stdout.",
)
@click.option("--playbook", is_flag=True, help="The playbook schema, not the scenario's.")
def schema(out: str | None, playbook: bool) -> None:
    """Print the JSON Schema of the scenario (or playbook) format (draft-07, for editors)."""
    from sim.jsonschema import scenario_json_schema_text

    check_outputs({}, printed=not out, out=out)

    if playbook:
        from sim.authoring.playbookschema import playbook_json_schema_text

        text = playbook_json_schema_text()
    else:
        text = scenario_json_schema_text()
    if out:
        write_out(out, text)
    else:
        click.echo(text, nl=False)


def run_main() -> None:
    """Entry point that never shows a traceback for our own errors."""
    from sim.exits import Terminated, interrupted, mind_closed_streams, output_failed, terminated
    from sim.problems import TabletopError

    mind_closed_streams()
    try:
        main()
    except KeyboardInterrupt:  # before or after click's own handling
        interrupted()
    except Terminated:
        terminated()
    except TabletopError as exc:
        from sim.problems import InputProblems, error_text

        if isinstance(exc, InputProblems):
            _fail_problems(exc.problems)
        click.echo(error_text(exc), err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # `tabletop run x | head` (the reader left), a full disk, ...
        output_failed(exc)


# Commands in their own modules are imported only when named (sim/commandlist.py).
for _name, _module, _short_help in SIM_COMMANDS:
    main.add_lazy(_name, _module, _short_help)
