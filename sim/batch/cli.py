"""`tabletop batch`: Monte Carlo runs of a scenario under playbooks, with statistics.

Only click is imported here at start-up; everything else is imported when the command runs,
so `tabletop --help` stays fast.
"""

from __future__ import annotations

import contextlib
import io
import re
import signal
import sys
from typing import TYPE_CHECKING, Any, TextIO, cast

import click

from sim.cli import SEED, output_name

if TYPE_CHECKING:
    from sim.batch.runner import Progress

_STOPPED: dict[int, str] = {
    signal.SIGINT: "interrupted",
    signal.SIGTERM: "terminated",
    signal.SIGHUP: "hung up",
}
"""What a signal that stopped the batch is called; the exit code is 128 + its number, the
shell's convention (130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP). The results
so far are written."""
MAX_RUNS = 100_000_000
_DASK_ADDRESS = re.compile(r"^dask://[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5}$")
_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
"""One dot-separated part of a host name (RFC 1123), or of an IPv4 address."""


def _host_ok(host: str) -> bool:
    """Whether host is a host name, an IPv4 address or an IPv6 address in brackets."""
    if host.startswith("[") and host.endswith("]"):
        import ipaddress

        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    return len(host) <= 253 and all(_HOST_LABEL.fullmatch(p) for p in host.split("."))


def _executor(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from sim.safetext import echoed

    if value in ("local", "dask-local"):
        return value
    if _DASK_ADDRESS.match(value):
        host, port_text = value[len("dask://") :].rsplit(":", 1)
        port = int(port_text)
        if not 1 <= port <= 65535:
            raise click.BadParameter(
                f"port {port} of '{echoed(value)}': a port is 1 to 65535", ctx=ctx, param=param
            )
        if not _host_ok(host):
            raise click.BadParameter(
                f"host '{echoed(host)}' of '{echoed(value)}' is no host name, IPv4 address "
                "or [IPv6] address",
                ctx=ctx,
                param=param,
            )
        return value
    raise click.BadParameter(
        f"'{echoed(value)}' is not local, dask-local or dask://HOST:PORT", ctx=ctx, param=param
    )


@click.command()
@click.argument("scenario")
@click.option(
    "--runs", type=click.IntRange(1, MAX_RUNS), required=True, help="Replications per policy."
)
@click.option(
    "--playbook",
    "playbooks",
    multiple=True,
    help="Playbook file or bundled name; repeat to compare. None: the random decider.",
)
@click.option(
    "--random",
    "add_random",
    is_flag=True,
    help="Also run the random decider (for sensitivity: which decisions matter).",
)
@click.option("--seed", type=SEED, help="Root seed (default: the scenario's seed).")
@click.option(
    "--jobs", type=click.IntRange(1, 512), default=1, show_default=True, help="Worker processes."
)
@click.option(
    "--executor",
    default="local",
    show_default=True,
    callback=_executor,
    help="local, dask-local (a Dask LocalCluster) or dask://HOST:PORT (a Dask scheduler).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, readable=False),
    callback=output_name,
    help="Write here, not to stdout.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, readable=False),
    callback=output_name,
    help="Also write an offline HTML report with histograms.",
)
def batch(
    scenario: str,
    runs: int,
    playbooks: tuple[str, ...],
    add_random: bool,
    seed: int | None,
    jobs: int,
    executor: str,
    fmt: str,
    out: str | None,
    report: str | None,
) -> None:
    """Run SCENARIO many times under each playbook and report outcome statistics.

    Runs with the same index share the same luck under every playbook, so playbooks are
    compared pairwise. Results are identical for any --jobs and --executor. Ctrl-C, SIGTERM
    or SIGHUP stops and writes the runs completed so far, marked partial.
    """
    from sim.batch.recipe import recipe_from_files
    from sim.batch.results import batch_data, to_csv, to_json, to_text
    from sim.batch.runner import StopSignals, run_batch
    from sim.cli import _fail_problems, _scenario_path, check_outputs, playbook_path, write_outs
    from sim.problems import InputProblems
    from sim.safetext import printable

    scenario_path = _scenario_path(scenario)
    book_paths = []
    for name in playbooks:
        book_paths.append(playbook_path(name))
    try:
        recipe = recipe_from_files(
            scenario_path, book_paths, runs=runs, seed=seed, random_decider=add_random
        )
    except InputProblems as exc:
        _fail_problems(exc.problems)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--playbook") from None

    if executor in ("local", "dask-local"):
        jobs = _jobs_here(jobs)
    inputs = {"the scenario": scenario_path}
    inputs |= {f"the playbook {p}": p for p in book_paths}
    check_outputs(inputs, printed=not out, out=out, report=report)  # before the runs
    if report is not None:
        from sim.batch.report import check_report_support

        check_report_support()
    with StopSignals() as late:  # a signal after the runs must not throw them away
        result = _run_with_progress(run_batch, recipe, jobs=jobs, executor=executor)
        data = batch_data(result)
        text = {"json": to_json, "csv": to_csv}.get(fmt, to_text)(data)
        outputs: list[tuple[str, str]] = []  # written together: both or neither
        if out:
            outputs.append((out, text))
        else:
            click.echo(text, nl=False)
        if report is not None:
            from sim.batch.report import render

            outputs.append((report, render(result, data)))
        if outputs:
            try:
                write_outs(outputs)
            except OSError:  # saying 'wrote' failed: the files are written
                if not (result.stopped_by or late.received):
                    raise  # said as any failed output is (exit 1)
    if result.failure is not None:
        click.echo(f"error: {printable(result.failure, one_line=True)}", err=True)
        click.echo(
            f"{result.runs_done} of {runs} runs done; the results written are partial", err=True
        )
        sys.exit(1)
    if result.partial:
        signum = result.stopped_by or signal.SIGINT
        _last_words(
            f"{_STOPPED.get(signum, 'stopped')}: {result.runs_done} of {runs} runs done; "
            "the results are partial"
        )
        sys.exit(128 + signum)
    signum = result.stopped_by or late.received
    if signum is not None:  # after the last run: the results were written whole
        _last_words(
            f"{_STOPPED.get(signum, 'stopped')} after all {runs} runs were done; "
            "the results written are whole"
        )
        sys.exit(128 + signum)
    tally = result.tally
    if tally.failure_count and not any(pt.runs for pt in tally.per_policy):
        first = tally.failures[0]
        click.echo(
            printable(
                f"error: every run failed, so there are no results: run {first.index} "
                f"(seed {first.seed}, {first.policy}): {first.error}",
                one_line=True,
            ),
            err=True,
        )
        sys.exit(1)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system says it)."""
    import os

    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return max(1, counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _jobs_here(jobs: int) -> int:
    """--jobs for worker processes on this machine: no more than its CPUs, with a notice
    (the results are the same for any --jobs; more processes only cost memory, and a script
    written for a large machine still runs on a small one)."""
    cpus = usable_cpus()
    if jobs <= cpus:
        return jobs
    plural = ("s", "es") if cpus != 1 else ("", "")
    _last_words(
        f"note: --jobs {jobs} is more than the {cpus} CPU{plural[0]} this process may use: "
        f"the batch runs on at most {cpus} worker process{plural[1]}"
    )
    return cpus


def _last_words(text: str) -> None:
    """Say why the batch stopped, if stderr is still there (after a hang-up it is not)."""
    with contextlib.suppress(OSError):
        click.echo(text, err=True)


class _Cosmetic(io.TextIOBase):
    """stderr for the progress bar: once a write fails (the terminal is gone: an ssh
    connection dropped), the bar draws nothing more. A bar must never stop a batch."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                self._stream.write(text)
            except OSError:
                self._gone = True
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except OSError:
                self._gone = True

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


def _run_with_progress(run: Any, recipe: Any, **kw: Any) -> Any:
    """Run the batch with a rich progress bar (rate and ETA) when stderr is a terminal."""
    if not sys.stderr.isatty():
        return run(recipe, **kw)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("runs"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(file=cast("TextIO", _Cosmetic(sys.stderr))),
        transient=True,
    ) as bar:
        task = bar.add_task("runs", total=recipe.runs, rate="")

        def update(done: int, total: int) -> None:
            speed = bar.tasks[0].speed
            rate = f"{speed:,.0f} runs/s" if speed else ""
            bar.update(task, completed=done, rate=rate)

        progress: Progress = update
        return run(recipe, progress=progress, **kw)
