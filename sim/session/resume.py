"""Rebuild a session from the store: its scenario (checked against the file) and its commands.

A session's state is the replay of its effective commands (neither undone nor refused) on the
scenario text saved with it, with its seed. Resuming checks the scenario file it was played
from: if the file has changed, resuming is refused with what changed, unless forced; a forced
resume plays the changed file as far as the commands still apply, as a new session linked to
the old one, so the old one is never altered.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sim.commands import Observe, Rate
from sim.engine import ExerciseError
from sim.problems import InputProblems, TabletopError
from sim.safetext import printable
from sim.schema import Scenario
from sim.session.changes import scenario_changes
from sim.session.journal import Journal, RecordedExercise
from sim.session.store import SessionInfo, SessionStore, StoredCommand, StoreError, sha256_text


class ScenarioChanged(TabletopError):
    """The scenario file differs from the text the session was played with."""

    several_lines = True
    """It lists what changed, or the new file's problems, one per line."""


@dataclass(frozen=True, slots=True)
class SessionScenario:
    """The scenario a session replays on, and how it relates to the file it came from."""

    scenario: Scenario
    text: str
    path: str
    changed: bool = False
    """The file's text differs from the session's (only when forced)."""
    missing_file: bool = False
    """The file is gone or unreadable: the copy saved with the session is used."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A stored command the engine refused on replay, and why."""

    stored: StoredCommand
    reason: str

    def line(self) -> str:
        """What a facilitator is told about it, once, on resume."""
        s = self.stored
        return (
            f"command {s.seq} ({s.command.kind}, t={s.at:g}) was saved but refused when played "
            f"({printable(self.reason, one_line=True)}): skipped"
        )


@dataclass(slots=True)
class Replayed:
    """An exercise rebuilt from stored commands, and how far the commands applied."""

    exercise: RecordedExercise
    applied: list[StoredCommand] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    """Commands saved but never marked refused (a crash between the two writes) that the engine
    refuses again: refused when first played, so skipped (and marked refused if it can be)."""
    stopped_at: StoredCommand | None = None
    """With stop_on_refusal: the first command that no longer applies."""
    reason: str = ""
    remaining: int = 0
    """Commands after the one replay stopped at (not replayed)."""
    starts: list[int] = field(default_factory=list)
    """For each stored command replay reached (in order): how many records the exercise had
    before it (the records from there to the next start came from that command)."""

    @property
    def total(self) -> int:
        stopped = 0 if self.stopped_at is None else 1 + self.remaining
        return len(self.applied) + len(self.skipped) + stopped


def read_scenario_text(path: str | Path, shown: str | None = None) -> str:
    """A scenario file's text as a session saves it (line breaks read as Python's text files
    read them), read only if it is a regular file within the size limit: a FIFO would block,
    /dev/zero never end, a huge file fill the memory. InputProblems otherwise, or if the file is
    not UTF-8."""
    from sim.yamlread import read_file_bytes, read_yaml_text

    display = str(path) if shown is None else shown
    raw = read_file_bytes(path, display_path=display)
    try:
        return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8").read()
    except UnicodeDecodeError:
        read_yaml_text(raw, display)  # raises InputProblems naming the first bad byte
        raise


def load_text(text: str, path: str) -> Scenario:
    from sim.loader import load_scenario_text

    return load_scenario_text(text, path)


def saved_scenario(store: SessionStore, info: SessionInfo, text: str | None = None) -> Scenario:
    """The scenario saved with session ``info`` (``text``, if read already). If it no longer
    loads, a StoreError naming the session: its problems are not the scenario file's on disk."""
    saved_text = store.scenario_text(info.id) if text is None else text
    try:
        return load_text(saved_text, info.scenario_path)
    except InputProblems as exc:
        first = printable(str(exc.problems[0]), one_line=True) if exc.problems else ""
        raise StoreError(
            f"session {info.id}: the scenario saved with it no longer loads in this tabletop "
            f"({first})"
        ) from None


def session_scenario(
    store: SessionStore, info: SessionInfo, *, force: bool = False
) -> SessionScenario:
    """The scenario to replay ``info`` on, refusing (ScenarioChanged) if its file changed."""
    saved_text = store.scenario_text(info.id)
    shown = printable(info.scenario_path, one_line=True)
    saved = saved_scenario(store, info, saved_text)
    path = Path(info.scenario_path)
    try:
        current_text = read_scenario_text(path, info.scenario_path)
    except (InputProblems, UnicodeDecodeError):  # gone, unreadable, too large, not a file
        return SessionScenario(saved, saved_text, info.scenario_path, missing_file=True)
    if sha256_text(current_text) == info.scenario_sha256:
        return SessionScenario(saved, saved_text, info.scenario_path)
    try:
        current = load_text(current_text, info.scenario_path)
    except InputProblems as exc:
        lines = [printable(str(p), one_line=True) for p in exc.errors[:5]]
        raise ScenarioChanged(
            f"session {info.id} was played with an earlier version of {shown}, which has "
            "changed and no longer loads:\n  " + "\n  ".join(lines)
        ) from None
    if not force:
        changes = scenario_changes(saved, current) or ["the text changed (same content)"]
        raise ScenarioChanged(
            f"session {info.id} was played with an earlier version of {shown}:\n"
            f"  saved   sha256 {info.scenario_sha256}\n"
            f"  file    sha256 {sha256_text(current_text)}\n"
            "  what changed:\n    " + "\n    ".join(changes) + "\n"
            "Restore the file, or resume with --force to replay the commands on the changed "
            "scenario as far as they still apply (as a new session)."
        )
    return SessionScenario(current, current_text, info.scenario_path, changed=True)


def replay_stored(
    scenario: Scenario,
    seed: int,
    commands: Sequence[StoredCommand],
    *,
    stop_on_refusal: bool = False,
    store: SessionStore | None = None,
    session_id: int | None = None,
) -> Replayed:
    """Submit the stored commands again, in order, to a fresh exercise.

    On the scenario text a session was played with, the engine refuses exactly the commands
    it refused when they were first played (the same scenario, seed and commands give the same
    exercise); such a command, if not yet marked refused (a crash between the two writes), is
    skipped, with every command after it replayed (after the end too: ratings and observations
    follow it), and marked refused in ``store`` if it is writable. With ``stop_on_refusal`` (a
    changed scenario), replay stops at the first command that no longer applies.
    """
    out = Replayed(RecordedExercise(scenario, seed))
    ex = out.exercise
    for index, stored in enumerate(commands):
        if stop_on_refusal and ex.finished and not isinstance(stored.command, Rate | Observe):
            out.stopped_at = stored
            out.reason = "the exercise had already ended"
            out.remaining = len(commands) - index - 1
            break
        out.starts.append(len(ex.records))
        if stored.at > ex.now:
            ex.catch_up(stored.at)
        try:
            ex.submit(stored.command)  # after the end, only ratings and observations apply
        except ExerciseError as exc:
            if stop_on_refusal:
                out.stopped_at = stored
                out.reason = str(exc)
                out.remaining = len(commands) - index - 1
                break
            out.skipped.append(Skipped(stored, str(exc)))
            if store is not None and session_id is not None and not store.readonly:
                store.mark_refused(session_id, stored.seq)
            continue
        out.applied.append(stored)
    return out


@dataclass(slots=True)
class Resumed:
    """A session ready to go on: its exercise (journalled) and what resuming did."""

    session_id: int
    exercise: RecordedExercise
    replayed: Replayed
    source: SessionScenario
    forked_from: int | None = None
    """With --force on a changed scenario: the session this new one continues."""
    unreadable: list[int] = field(default_factory=list)
    """Commands refused when played that this tabletop cannot read: skipped (see the store)."""

    def report(self) -> list[str]:
        """What a facilitator should be told about the resume (empty: nothing unusual)."""
        lines: list[str] = []
        path = printable(self.source.path, one_line=True)
        if self.source.missing_file:
            lines.append(f"{path} is gone or unreadable: playing the copy saved with the session")
        if self.forked_from is not None:
            lines.append(
                f"the scenario changed: session {self.session_id} continues session "
                f"{self.forked_from} on the changed file"
            )
        r = self.replayed
        if r.stopped_at is not None:
            s = r.stopped_at
            lines.append(
                f"replayed {len(r.applied)} of {r.total} commands; stopped at command "
                f"{s.seq} ({s.command.kind}, t={s.at:g}): {printable(r.reason, one_line=True)}"
            )
        lines.extend(s.line() for s in r.skipped)
        if self.unreadable:
            n = len(self.unreadable)
            seqs = ", ".join(str(seq) for seq in self.unreadable[:10])
            more = ", …" if n > 10 else ""
            lines.append(
                f"skipped {n} saved command{'s' if n != 1 else ''} this tabletop cannot read "
                f"(command{'s' if n != 1 else ''} {seqs}{more}): refused when played, so never "
                "replayed"
            )
        return lines


def resume_session(store: SessionStore, ident: str | int, *, force: bool = False) -> Resumed:
    """Rebuild a session from the store and journal its further commands.

    Refuses (ScenarioChanged) if the scenario file changed, unless forced: then the commands
    are replayed on the changed file as far as they apply, in a new session linked to this one.
    """
    info = store.session(ident)
    source = session_scenario(store, info, force=force)
    log = store.command_log(info.id, everything=True)
    everything = log.commands
    commands = [c for c in everything if c.effective]
    if not source.changed:
        replayed = replay_stored(
            source.scenario, info.seed, commands, store=store, session_id=info.id
        )
        undone = sum(1 for c in everything if c.undone)  # the same read as last: one mark
        replayed.exercise.journal = Journal(store, info.id, last=log.last_seq, undone=undone)
        if info.status != "live" and not replayed.exercise.finished:
            store.set_status(info.id, "live")
        return Resumed(info.id, replayed.exercise, replayed, source, unreadable=log.unreadable)
    # Which commands took effect is what they did on the saved text: one refused there but
    # never marked so (a crash between the two writes) is skipped, not taken for where the
    # commands stop applying to the changed file. The old session is left as it is.
    played = replay_stored(saved_scenario(store, info), info.seed, commands)
    replayed = replay_stored(source.scenario, info.seed, played.applied, stop_on_refusal=True)
    replayed.skipped = played.skipped
    last = replayed.applied[-1].seq if replayed.applied else 0
    new_id = store.create(
        scenario_text=source.text,
        scenario_path=info.scenario_path,
        scenario_id=source.scenario.scenario.id,
        seed=info.seed,
        players=replayed.exercise.players,
        origin="resume",
        parent_id=info.id,
        branch_seq=last,
    )
    journal = Journal(store, new_id)
    for stored in replayed.applied:
        journal.append(stored.at, stored.command)
    if replayed.exercise.finished:
        journal.finished()
    replayed.exercise.journal = journal
    return Resumed(
        new_id, replayed.exercise, replayed, source, forked_from=info.id, unreadable=log.unreadable
    )
