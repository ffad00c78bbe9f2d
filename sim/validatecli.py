"""`tabletop validate`'s work, shared by the click command and the click-free fast path.

Importing click and the command table costs about a third of validate's start-up, more than
checking a scenario, so `tabletop validate PATHS` (with at most -q/--quiet) is answered here
without click (tui/entry.py); any other command line, including an unknown path, goes through
click, which gives the usage message. The output and exit codes are the same both ways
(tests/sim/test_validate_fast_path.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from sim.exits import INVALID, output_failed

QUIET = ("-q", "--quiet")

Echo = Callable[[str, bool], None]
"""Print one line (already made printable) to stdout, or to stderr when the flag is true."""


TITLE_SHOWN = 120
"""Characters of a title shown on an ok line (a file may hold a title of 100,000)."""


def before_validating() -> None:
    """Call before importing sim.validation (its import builds pydantic validators)."""
    from sim.noplugins import skip_plugin_search

    skip_plugin_search()


def validate(paths: Sequence[str], quiet: bool, echo: Echo) -> int:
    """Check every path's files and print their problems; the exit code. Raises
    sim.validation.TargetError for a path that is neither a file, a folder nor a bundled id.
    Call before_validating() first."""
    from sim.safetext import printable
    from sim.validation import check_all, expand

    files = expand(paths)
    results = check_all(files)
    failed = 0
    for checked in results:
        for p in checked.problems:
            if p.severity == "error" or not quiet:
                echo(str(p), p.severity == "error")
        if not checked.ok:
            failed += 1
        elif not quiet:
            title = (
                checked.title
                if len(checked.title) <= TITLE_SHOWN
                else (checked.title[: TITLE_SHOWN - 1] + "…")
            )
            echo(printable(f"{checked.path}: ok ({checked.kind}: {title})", one_line=True), False)
    if not quiet and len(results) > 1:
        echo(f"{len(results)} files checked, {failed} invalid", False)
    return INVALID if failed else 0


def fast_validate(args: Sequence[str]) -> None:
    """Answer `validate PATHS [-q]` without click and exit; return (doing nothing) for any
    other command line or a path that is not found, which click then answers."""
    if not args or args[0] != "validate":
        return
    rest = args[1:]
    paths = [a for a in rest if a not in QUIET]
    if not paths or any(a.startswith("-") for a in paths):
        return  # --help, other options, '--', a path that looks like an option: click's
    from sim.safestream import guard_stdout

    before_validating()
    from sim.validation import TargetError

    guard_stdout()
    try:
        code = validate(paths, any(a in QUIET for a in rest), _echo)
        sys.stdout.flush()
    except TargetError:
        return  # click says it, as a usage error (expand finds it before any output)
    except OSError as exc:  # `| head` (the reader left), stdout on a full disk, ...
        output_failed(exc)
    sys.exit(code)


def _echo(line: str, err: bool) -> None:
    (sys.stderr if err else sys.stdout).write(line + "\n")
