"""A click group whose commands are imported only when named, so `tabletop --help` stays fast.

Each lazy command is registered with its module and its one-line help: `--help` lists it from
that line without importing the module (a test checks the lines against the real commands).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import click


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives and the one line `--help` shows for it."""

    module: str
    attribute: str
    short_help: str


class LazyGroup(click.Group):
    """A group that imports a lazy command's module the first time the command is asked for."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy_commands: dict[str, LazyCommand] = {}

    def add_lazy(self, name: str, module: str, short_help: str, attribute: str = "") -> None:
        """Register command NAME, defined as `attribute` (default: NAME) in module."""
        self.lazy_commands[name] = LazyCommand(module, attribute or name, short_help)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _literal_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command named: its usage errors shown literally, Ctrl-C (and SIGTERM where
        a command turns it into an exception) as one line."""
        from sim.exits import Terminated
        from sim.problems import TabletopError

        with _literal_errors():
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt:
                from sim.exits import interrupted

                interrupted()
            except Terminated:
                from sim.exits import terminated

                terminated()
            except TabletopError as exc:  # as the entry point says it, for any caller of click
                _say_error(exc)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not isinstance(command, click.Group):
            _refuse_repeats(ctx, name, command, rest)
        return name, command, rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.lazy_commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            self.load(cmd_name)
        return self.commands.get(cmd_name)

    def load(self, name: str) -> click.Command:
        """Import the module of lazy command NAME and register the command (once)."""
        entry = self.lazy_commands[name]
        module = importlib.import_module(entry.module)
        if name not in self.commands:  # the module may have registered it itself
            command = getattr(module, entry.attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{entry.module}.{entry.attribute} is not a click command")
            self.add_command(command, name)
        return self.commands[name]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands as click does, from the lazy table for those not imported yet."""
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name)
            if command is None:
                command = click.Command(name, help=self.lazy_commands[name].short_help)
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


@contextmanager
def _literal_errors() -> Iterator[None]:
    """Show the text of a usage error literally: click echoes arguments as typed (`Got
    unexpected extra argument (...)`), and our own messages may hold a value too."""
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise  # its message is the command's own help, in lines
    except click.ClickException as exc:
        from sim.safetext import printable

        exc.message = printable(exc.message, one_line=True)  # type: ignore[misc]
        raise


def _refuse_repeats(
    parent: click.Context, name: str | None, command: click.Command, args: list[str]
) -> None:
    """A usage error for an option given twice that takes one value (`--seed 1 --seed 2`:
    which was meant?), where click would silently take the last. Options that repeat by
    design (`--playbook` of batch) and plain flags (`-q -q`) may repeat."""
    probe = click.Context(command, info_name=name, parent=parent, resilient_parsing=True)
    try:
        _, _, order = command.make_parser(probe).parse_args(args=list(args))
    except click.UsageError:
        return  # the command's own parsing says what is wrong
    seen: set[str] = set()
    for param in order:
        if not isinstance(param, click.Option) or param.multiple or param.count:
            continue
        if param.is_flag and not param.secondary_opts:
            continue
        key = param.name or ""
        if key in seen:
            spelled = max(param.opts, key=len)
            raise click.UsageError(f"{spelled} is given twice: give it once", ctx=probe)
        seen.add(key)


def _say_error(exc: Exception) -> NoReturn:
    """One of our errors as the entry point says it: problem lines, or one line; exit 1."""
    import sys

    from sim.cli import _fail_problems
    from sim.exits import INVALID
    from sim.problems import InputProblems, TabletopError, error_text

    if isinstance(exc, InputProblems):
        _fail_problems(exc.problems)
    click.echo(error_text(exc), err=True)
    sys.exit(exc.exit_code if isinstance(exc, TabletopError) else INVALID)
