"""`tabletop --help` and `--version` answered without importing click.

Importing click alone takes longer than starting Python, so the top-level help is rendered
here from sim.commandlist, laid out exactly as click lays it out (tests/sim/test_lazy_cli.py
compares the two at many widths). Anything else, or anything unusual (a narrow terminal, a
long program name), returns None and click answers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from sim.commandlist import MAIN_HELP, VERSION

HELP_NAMES = ("-h", "--help")
OPTIONS = (
    ("--version", "Show the version and exit."),
    ("-h, --help", "Show this message and exit."),
)
USAGE_ARGS = "[OPTIONS] COMMAND [ARGS]..."


def quick_answer(args: Sequence[str], commands: Sequence[tuple[str, str]]) -> str | None:
    """The text for `tabletop ARGS` if it is the top-level help or the version, else None."""
    if list(args) == ["--version"]:
        return f"tabletop, version {VERSION}\n"
    if len(args) != 1 or args[0] not in HELP_NAMES:
        return None
    text = render_help(program_name(), commands, help_width())
    return None if text is None else text + "\n"


def program_name() -> str:
    """The program's name as click shows it in the usage line."""
    main = sys.modules["__main__"]
    path = sys.argv[0]
    package = getattr(main, "__package__", None)
    if not package:
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def help_width() -> int:
    """The width click wraps help to: the terminal's, at most 78 and at least 50."""
    import shutil

    return max(min(shutil.get_terminal_size().columns, 80) - 2, 50)


def render_help(prog: str, commands: Sequence[tuple[str, str]], width: int) -> str | None:
    """The top-level help page, or None where the layout needs click's rarer cases."""
    import textwrap

    usage = f"Usage: {prog} "
    terms = [name for name, _ in commands] + [term for term, _ in OPTIONS]
    if width < len(usage) + 20 or width < 50 or max(map(len, terms)) > 30:
        return None
    lines = [
        textwrap.fill(USAGE_ARGS, width, initial_indent=usage, subsequent_indent=" " * len(usage)),
        "",
    ]
    for paragraph in MAIN_HELP.strip().split("\n\n"):
        lines.append(
            textwrap.fill(
                " ".join(paragraph.split()), width, initial_indent="  ", subsequent_indent="  "
            )
        )
        lines.append("")
    lines.append("Options:")
    lines.extend(_definitions(OPTIONS, width))
    if commands:
        limit = width - 6 - max(len(name) for name, _ in commands)
        rows = [(name, short_help(text, limit)) for name, text in commands]
        lines.extend(["", "Commands:", *_definitions(rows, width)])
    return "\n".join(lines)


def _definitions(rows: Sequence[tuple[str, str]], width: int) -> list[str]:
    """click's two-column list, indented by two (terms of at most 30 characters)."""
    import textwrap

    column = max(len(term) for term, _ in rows) + 2
    text_width = max(width - column - 2, 10)
    out = []
    for term, text in rows:
        wrapped = textwrap.wrap(text, text_width) or [""]
        out.append(f"  {term:<{column}}{wrapped[0]}".rstrip())
        out.extend(" " * (column + 2) + line for line in wrapped[1:])
    return out


def short_help(text: str, limit: int) -> str:
    """A command's help shortened to its first sentence and to limit characters, as click does."""
    import textwrap

    words = text.partition("\n\n")[0].split()
    for i, word in enumerate(words):
        if word.endswith(".") and (i == len(words) - 1 or not words[i + 1][0].islower()):
            words = words[: i + 1]
            break
    joined = " ".join(words)
    if len(joined) <= limit:
        return joined
    if limit < 3:
        return "..."
    return textwrap.shorten(joined, limit, placeholder="...", break_on_hyphens=False)
