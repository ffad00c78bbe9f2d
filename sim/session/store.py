"""The session store: one SQLite file holding every session's scenario, seed and commands.

A session's state is the replay of its commands, so the commands are what must survive:
each one is committed (WAL, ``synchronous=FULL``) before it takes effect. Everything else
in a session row is a description or a cache that can be derived again from the commands.

Errors from SQLite become :class:`StoreError` with a message a facilitator can act on
(busy, read-only, damaged, full, newer than this tabletop); nothing already committed is
ever touched by a failed write.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sim.commands import COMMAND_FORMAT, Command, CommandError, command_from_json, command_to_json
from sim.leftovers import remove_stale_files
from sim.limits import MAX_SEED
from sim.outfile import temporary_prefix
from sim.problems import TabletopError
from sim.safetext import printable

APPLICATION_ID = 0x54544F50
"""``PRAGMA application_id`` of a tabletop store ("TTOP"): tells our files from other databases."""

SCHEMA_VERSION = 2
"""``PRAGMA user_version`` this tabletop writes. Add a migration below when it changes."""

SCENARIO_FORMAT = 1
"""The scenario format version sessions are recorded with."""

DEFAULT_TIMEOUT = 5.0
"""Seconds to wait for another writer before giving up with a clear message."""

_ENDINGS = (".new", ".new-journal", ".new-wal", ".new-shm")
_TEMPORARY_ID = r"[0-9]+\.[0-9a-f]{8}"
"""A new store's temporary file (PREFIX + process id + random + .new, see _create) and SQLite's
files beside it: what a kill may leave."""

STATUSES = ("live", "finished", "abandoned")

MAX_ID_LENGTH = 40

PLAN_EDITED = "plan_edited"
"""Metadata key set to '1' once the improvement plan is edited in the debrief."""


class StoreError(TabletopError):
    """The session store cannot be used as asked; the message says why and what to do."""


class StoreUsageError(StoreError):
    """A value typed by the user names nothing in the store (a session id, a decision or an
    option of its scenario): a usage error from a command (exit 2), as a bad flag value is."""

    exit_code = 2


# --- schema -------------------------------------------------------------------------------------

_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    scenario_path TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL,
    seed INTEGER NOT NULL,
    created TEXT NOT NULL,
    last_activity TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE TABLE commands (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
"""

_V2 = """
ALTER TABLE sessions ADD COLUMN engine_version TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN scenario_format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN command_format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN players TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sessions ADD COLUMN origin TEXT NOT NULL DEFAULT 'console';
ALTER TABLE sessions ADD COLUMN parent_id INTEGER REFERENCES sessions(id);
ALTER TABLE sessions ADD COLUMN branch_seq INTEGER;
ALTER TABLE commands ADD COLUMN undone INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commands ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commands ADD COLUMN wall TEXT NOT NULL DEFAULT '';
CREATE TABLE metadata (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (session_id, key)
);
CREATE TABLE plan_rows (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    row INTEGER NOT NULL,
    objective TEXT NOT NULL DEFAULT '',
    issue TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    due TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, row)
);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
"""``MIGRATIONS[n]`` takes a store from schema version n to n + 1."""

_V1_AS_V2 = """
CREATE TEMP VIEW sessions AS SELECT id, scenario_id, scenario_path, scenario_text,
    scenario_sha256, seed, created, last_activity, status, '' AS engine_version,
    1 AS scenario_format, 1 AS command_format, '[]' AS players, 'console' AS origin,
    NULL AS parent_id, NULL AS branch_seq
    FROM main.sessions;
CREATE TEMP VIEW commands AS SELECT session_id, seq, at, kind, body, 0 AS undone,
    0 AS refused, '' AS wall
    FROM main.commands;
CREATE TEMP TABLE metadata (session_id INTEGER, key TEXT, value TEXT);
CREATE TEMP TABLE plan_rows (session_id INTEGER, row INTEGER, objective TEXT, issue TEXT,
    action TEXT, owner TEXT, due TEXT);
"""

READ_AS_CURRENT: dict[int, str] = {1: _V1_AS_V2}
"""For a store of schema version n this user may not write (so cannot upgrade): temporary
views (in this connection only) that read it as :data:`MIGRATIONS` would leave it, with the
defaults of their columns. Add one (or change this one) when SCHEMA_VERSION changes."""


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One session as listed: what was played, when, and how far it got."""

    id: int
    scenario_id: str
    scenario_path: str
    scenario_sha256: str
    seed: int
    players: tuple[str, ...]
    created: str
    last_activity: str
    status: str
    origin: str
    engine_version: str
    scenario_format: int
    command_format: int
    parent_id: int | None
    branch_seq: int | None
    commands: int
    decisions: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scenario": self.scenario_id,
            "scenario_path": self.scenario_path,
            "scenario_sha256": self.scenario_sha256,
            "seed": self.seed,
            "players": list(self.players),
            "created": self.created,
            "last_activity": self.last_activity,
            "status": self.status,
            "origin": self.origin,
            "engine_version": self.engine_version,
            "scenario_format": self.scenario_format,
            "command_format": self.command_format,
            "parent": self.parent_id,
            "branch_seq": self.branch_seq,
            "commands": self.commands,
            "decisions": self.decisions,
        }


@dataclass(frozen=True, slots=True)
class StoredCommand:
    """One command as stored: its place in the session, the scenario time, and its state."""

    seq: int
    at: float
    command: Command
    undone: bool = False
    refused: bool = False
    wall: str = ""

    @property
    def effective(self) -> bool:
        """Whether replay applies it (not undone, not refused by the engine)."""
        return not (self.undone or self.refused)


@dataclass(slots=True)
class CommandLog:
    """A session's commands as read, and the refused ones that could not be read (skipped)."""

    commands: list[StoredCommand] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)
    """Seqs of commands the engine refused when played that this tabletop cannot read."""

    @property
    def last_seq(self) -> int:
        """The seq of the last command read or skipped, or 0."""
        return max([c.seq for c in self.commands[-1:]] + self.unreadable, default=0)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One row of an improvement plan (for the after-action report)."""

    objective: str = ""
    issue: str = ""
    action: str = ""
    owner: str = ""
    due: str = ""


def now_iso() -> str:
    """Wall-clock time, UTC, to the second (what the store records as start/last activity)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def engine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tabletop")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def parse_session_id(text: str | int) -> int:
    """A session id as typed by a user: a positive whole number, else a clear StoreError."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text > 0:
            return text
        raise StoreUsageError(f"no session {text}: session ids are positive whole numbers")
    raw = str(text).strip()
    if raw.startswith("#"):
        raw = raw[1:]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18 or int(raw) <= 0:
        shown = printable(str(text)[:MAX_ID_LENGTH], one_line=True)
        more = "…" if len(str(text)) > MAX_ID_LENGTH else ""
        raise StoreUsageError(
            f"'{shown}{more}' is not a session id: ids are whole numbers (see `tabletop sessions`)"
        )
    return int(raw)


# --- the store ----------------------------------------------------------------------------------


class SessionStore:
    """A session store file, opened for reading and writing (or only reading).

    One connection, shared by threads under a lock (the console writes from a worker thread).
    Every write is one transaction, committed before the method returns.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self._conn = conn
        self._lock = threading.RLock()
        self._tidy = False
        """Read-only, and the store had no '-wal'/'-shm' files when opened: on closing, let
        SQLite remove the ones this connection made (see :func:`_remove_companions`)."""
        self.snapshot = False
        """Read as it stands (SQLite's ``immutable``): this user may not write the store or
        its folder, and no console had it open when it was opened, so SQLite could make no
        '-shm' file to follow one with. :meth:`data_version` opens it again when its files
        change (another user's console opens it, or saves), so a follower still follows."""
        self._seen: _Files | None = None
        """A store this user may not write: its files as last opened (:func:`_signature`)."""
        self._timeout = DEFAULT_TIMEOUT
        self._opened = 0
        """How many times the store was opened again (:meth:`data_version`)."""

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, *, readonly: bool = False, timeout: float = DEFAULT_TIMEOUT
    ) -> SessionStore:
        """Open (creating if needed, unless readonly) the store at path and bring it up to date."""
        p = Path(path)
        shown = printable(str(p), one_line=True)
        check_name_lengths(p, shown)  # before any look at the file: its name may not fit
        if p.is_dir():
            raise StoreError(f"the session store {shown} is a folder, not a file: use --store FILE")
        if p.exists() and not p.is_file():  # /dev/null, a FIFO: SQLite's errors say nothing
            raise StoreError(f"the session store {shown} is not a regular file: use --store FILE")
        if readonly and not p.exists():
            raise StoreError(f"there is no session store at {shown}")
        shared = p.exists() and not writable_here(p)
        if shared and not readonly:
            raise StoreError(
                f"the session store {shown} is read-only for you (you may not write the file "
                "or its folder): `tabletop report`, `watch`, `sessions` and `compare` read it; "
                f"to play, resume or branch, use --store PATH or {_env_hint()} to choose a "
                "file you can write"
            )
        if not readonly:  # what a kill left while a store was being made here (sim.leftovers)
            remove_stale_files(p.parent, temporary_prefix(p.name), _ENDINGS, _TEMPORARY_ID)
        if not readonly and not p.exists():
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder for the session store {shown}: "
                    f"{exc.strerror or exc}; use --store PATH or {_env_hint()}"
                ) from None
            cls._create(p, timeout)
        tidy = readonly and not shared and not any(_companions(p))
        snapshot = False
        try:
            if shared:
                conn, snapshot = _connect_shared(p, timeout)
            elif readonly:
                conn = _connect_read_only(p, timeout)
            else:
                conn = sqlite3.connect(
                    p, timeout=timeout, isolation_level=None, check_same_thread=False
                )
        except sqlite3.Error as exc:
            raise _translate(exc, p, "open") from None
        store = cls(p, conn, readonly=readonly)
        store._tidy = tidy
        store._timeout = timeout
        if shared:
            store.snapshot = snapshot
            store._seen = _signature(p)
        try:
            store._prepare(timeout)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def _create(cls, path: Path, timeout: float) -> None:
        """Make a new, empty store at path, whole: it is built beside it and linked into place,
        so no tabletop ever finds path an empty file (which is no store, and refused)."""
        prefix = temporary_prefix(path.name)  # hidden, and short whatever the store's name
        temporary = path.with_name(f"{prefix}{os.getpid()}.{secrets.token_hex(4)}.new")
        try:
            try:
                conn = sqlite3.connect(temporary, timeout=timeout, isolation_level=None)
            except sqlite3.Error as exc:
                raise _translate(exc, path, "open") from None
            try:
                store = cls(path, conn, readonly=False)  # named as path in any message
                with store._errors("open"):
                    store._migrate()
            finally:
                conn.close()
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another tabletop made it meanwhile: that one is used
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(temporary, path)
        finally:
            with suppress(OSError):
                temporary.unlink()

    def _prepare(self, timeout: float) -> None:
        with self._errors("open"):
            conn = self._conn
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            shown = printable(str(self.path), one_line=True)
            if app_id != APPLICATION_ID:  # a store is made whole (_create): this is no store
                raise self._not_a_store(shown, empty=not (tables or version))
            if version < 0 or (version == 0 and tables):  # 0: not made yet, so no tables
                raise StoreError(
                    f"{shown} is a damaged tabletop session store (store schema {version}); "
                    "it was left untouched: use --store PATH to choose another file"
                )
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the session store {shown} was written by a newer tabletop (store schema "
                    f"{version}; this tabletop knows up to {SCHEMA_VERSION}): upgrade tabletop"
                )
            if self.readonly:
                if version < SCHEMA_VERSION and self._seen is not None:
                    self._read_as_current(version, shown)
                elif version < SCHEMA_VERSION:
                    raise StoreError(
                        f"the session store {shown} is from an older tabletop (schema {version}):"
                        " open it once for writing (e.g. `tabletop sessions`) to upgrade it"
                    )
                return
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                self._migrate()

    def _read_as_current(self, version: int, shown: str) -> None:
        """Read an older store this user may not write (so cannot upgrade) as if it were
        upgraded: this connection's own temporary views show its tables as the migrations
        would leave them (nothing is written to the store)."""
        if version not in READ_AS_CURRENT:
            raise StoreError(
                f"the session store {shown} is from an older tabletop (schema {version}) and "
                "read-only for you: it must be upgraded by someone who may write it (any "
                "session command of theirs, e.g. `tabletop sessions`, upgrades it)"
            )
        self._conn.execute("PRAGMA temp_store = MEMORY")
        for statement in _statements(READ_AS_CURRENT[version]):
            self._conn.execute(statement)

    def _not_a_store(self, shown: str, *, empty: bool) -> StoreError:
        if empty:
            with suppress(OSError):
                if self.path.stat().st_size == 0:
                    return StoreError(
                        f"{shown} is not a tabletop session store (it is an empty file); it "
                        "was left untouched: use --store PATH to choose another file"
                    )
        return StoreError(
            f"{shown} is a SQLite database but not a tabletop session store; it was left "
            "untouched: use --store PATH to choose another file"
        )

    def _migrate(self) -> None:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for n in range(version, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[n]):
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already (disk full, I/O)
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if self._tidy:
                self._tidy = False
                _remove_companions(self.path)

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock, self._errors("read"):
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # --- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _translate(exc, self.path, doing) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any failure."""
        if self.readonly:
            raise StoreError(
                f"the session store {printable(str(self.path), one_line=True)} is open "
                "read-only here"
            )
        with self._lock, self._errors("write"):
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock, self._errors("read"):
            return list(self._conn.execute(sql, args).fetchall())

    # --- sessions ---------------------------------------------------------------------------

    def create(
        self,
        *,
        scenario_text: str,
        scenario_path: str,
        scenario_id: str,
        seed: int,
        players: tuple[str, ...] = (),
        origin: str = "console",
        parent_id: int | None = None,
        branch_seq: int | None = None,
    ) -> int:
        """Record a new live session and return its id."""
        stamp = now_iso()
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (scenario_id, scenario_path, scenario_text,"
                " scenario_sha256, seed, created, last_activity, status, engine_version,"
                " scenario_format, command_format, players, origin, parent_id, branch_seq)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'live', ?, ?, ?, ?, ?, ?, ?)",
                (
                    scenario_id,
                    scenario_path,
                    scenario_text,
                    sha256_text(scenario_text),
                    seed,
                    stamp,
                    stamp,
                    engine_version(),
                    SCENARIO_FORMAT,
                    COMMAND_FORMAT,
                    json.dumps(list(players)),
                    origin,
                    parent_id,
                    branch_seq,
                ),
            )
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

    def session(self, ident: str | int) -> SessionInfo:
        """One session by id (as typed by a user); StoreError if there is none."""
        sid = parse_session_id(ident)
        rows = self._read(_SESSION_SELECT + " WHERE s.id = ?", (sid,))
        if not rows:
            raise StoreUsageError(
                f"no session {sid} in {printable(str(self.path), one_line=True)} "
                "(see `tabletop sessions`)"
            )
        return _info(rows[0])

    def sessions(self) -> list[SessionInfo]:
        """Every session, the most recently active first."""
        rows = self._read(_SESSION_SELECT + " ORDER BY s.last_activity DESC, s.id DESC")
        return [_info(r) for r in rows]

    def check(self) -> None:
        """Read the store as `tabletop sessions` does (every session and its command counts):
        a damaged page there is a StoreError now, before a new session is written into it."""
        self.sessions()

    def scenario_text(self, session_id: int) -> str:
        rows = self._read("SELECT scenario_text FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise StoreError(f"no session {session_id}")
        text = rows[0][0]
        if not isinstance(text, str):
            raise StoreError(f"session {session_id}: the stored scenario text is damaged")
        return text

    def set_status(self, session_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(status)
        with self._write() as conn:
            conn.execute(
                "UPDATE sessions SET status = ?, last_activity = ? WHERE id = ?",
                (status, now_iso(), session_id),
            )

    # --- commands ---------------------------------------------------------------------------

    def append(
        self,
        session_id: int,
        at: float,
        command: Command,
        *,
        after: int | None = None,
        undone: int | None = None,
    ) -> int:
        """Commit one command to the session (before it takes effect); return its seq.

        With ``after``, the command must follow that seq, and with ``undone``, the session must
        have that many commands undone (see :meth:`log_mark`): if another process has added or
        undone commands since (two consoles on one session), nothing is written and a
        StoreError says so.
        """
        body = command_to_json(command)
        try:  # resuming reads every saved command: one it could not read would lose them all
            command_from_json(body)
        except CommandError as exc:
            raise StoreError(f"cannot save this command: {exc}") from None
        stamp = now_iso()
        with self._write() as conn:
            last = _check_unchanged(conn, session_id, after, undone, "saved")
            seq = last + 1
            conn.execute(
                "INSERT INTO commands (session_id, seq, at, kind, body, wall)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, seq, at, command.kind, body, stamp),
            )
            conn.execute("UPDATE sessions SET last_activity = ? WHERE id = ?", (stamp, session_id))
            return seq

    def log_mark(self, session_id: int) -> tuple[int, int]:
        """(seq of the last command, number of commands undone): what a console knows of the
        session's log. It changes whenever any process adds or undoes a command."""
        rows = self._read(_MARK, (session_id,))
        return int(rows[0][0]), int(rows[0][1])

    def last_seq(self, session_id: int) -> int:
        """The seq of the session's last command (undone and refused ones included), or 0."""
        rows = self._read(
            "SELECT coalesce(max(seq), 0) FROM commands WHERE session_id = ?", (session_id,)
        )
        return int(rows[0][0])

    def mark_refused(self, session_id: int, seq: int) -> None:
        """The engine refused this command: keep it for the record, never replay it."""
        with self._write() as conn:
            conn.execute(
                "UPDATE commands SET refused = 1 WHERE session_id = ? AND seq = ?",
                (session_id, seq),
            )

    def undo_last(
        self,
        session_id: int,
        *,
        skip: tuple[str, ...] = ("advance",),
        after: int | None = None,
        undone: int | None = None,
    ) -> int | None:
        """Mark the last effective command (of a kind not in skip) undone; return its seq.

        ``after`` and ``undone`` as for :meth:`append`: a console never takes back a command
        it has not seen (another console's), nor undoes on top of another console's undo.
        """
        marks = ",".join("?" for _ in skip) or "''"
        with self._write() as conn:
            _check_unchanged(conn, session_id, after, undone, "undone")
            row = conn.execute(
                "SELECT max(seq) FROM commands WHERE session_id = ? AND undone = 0"
                f" AND refused = 0 AND kind NOT IN ({marks})",
                (session_id, *skip),
            ).fetchone()
            if row is None or row[0] is None:
                return None
            seq = int(row[0])
            conn.execute(
                "UPDATE commands SET undone = 1 WHERE session_id = ? AND seq = ?",
                (session_id, seq),
            )
            conn.execute(
                "UPDATE sessions SET last_activity = ?, status = 'live' WHERE id = ?",
                (now_iso(), session_id),
            )
            return seq

    def commands(self, session_id: int, *, everything: bool = False) -> list[StoredCommand]:
        """The session's commands in order: the effective ones, or with everything=True all
        (but those of :attr:`CommandLog.unreadable`).

        A command that cannot be read (bad JSON, an unknown kind) is a StoreError naming
        the session and the command's seq, unless the engine refused it (never replayed).
        """
        return self.command_log(session_id, everything=everything).commands

    def command_log(self, session_id: int, *, everything: bool = False) -> CommandLog:
        """:meth:`commands`, and the seqs of the refused commands that could not be read."""
        sql = "SELECT seq, at, body, undone, refused, wall FROM commands WHERE session_id = ?"
        if not everything:
            sql += " AND undone = 0 AND refused = 0"
        out = CommandLog()
        for seq, at, body, undone, refused, wall in self._read(
            sql + " ORDER BY seq", (session_id,)
        ):
            number = _whole(seq, session_id, "command number")
            when = _number(at, session_id, seq)
            try:
                command = _decode(body, session_id, seq)
            except StoreError:
                if not refused:  # it took effect: replay without it is another exercise
                    raise
                # e.g. an adjustment to 1e999, saved by a tabletop before commands were read
                # back before saving: the engine refused it, so replay never needs it.
                out.unreadable.append(number)
                continue
            out.commands.append(
                StoredCommand(
                    seq=number,
                    at=when,
                    command=command,
                    undone=bool(undone),
                    refused=bool(refused),
                    wall=str(wall),
                )
            )
        return out

    def command_count(self, session_id: int) -> tuple[int, int]:
        """(number of commands, number undone or refused): changes whenever the log changes."""
        rows = self._read(
            "SELECT count(*), coalesce(sum(undone + refused), 0) FROM commands"
            " WHERE session_id = ?",
            (session_id,),
        )
        return int(rows[0][0]), int(rows[0][1])

    def data_version(self) -> int:
        """Changes when another connection commits to the file (SQLite's data_version), and
        when a store this user may only read is opened again because its files changed."""
        if self._seen is not None:
            self._open_again_if_changed()
        version = int(self._read("PRAGMA data_version")[0][0])
        return (self._opened << 32) + (version & 0xFFFFFFFF)

    def _open_again_if_changed(self) -> None:
        """A store this user may only read, whose files changed since it was opened (another
        user's console opened it, saved in it, or closed it): open it again, so a snapshot
        becomes a connection that follows that console through its '-wal' and '-shm' files
        (or a fresh snapshot of what it saved)."""
        try:
            seen = _signature(self.path)
        except OSError:
            return  # the next look says what is wrong
        if seen == self._seen:
            return
        if not self.snapshot and seen.companions == 2:
            self._seen = seen  # SQLite follows the console through its files itself
            return
        with self._lock:
            try:
                conn, snapshot = _connect_shared(self.path, self._timeout)
            except sqlite3.Error as exc:
                raise _translate(exc, self.path, "read") from None
            old, self._conn = self._conn, conn
            old.close()
            self.snapshot = snapshot
            self._seen = seen
            self._opened += 1
            self._prepare(self._timeout)

    # --- other session data -----------------------------------------------------------------

    def set_meta(self, session_id: int, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO metadata (session_id, key, value) VALUES (?, ?, ?)"
                " ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value",
                (session_id, key, value),
            )

    def meta(self, session_id: int) -> dict[str, str]:
        rows = self._read("SELECT key, value FROM metadata WHERE session_id = ?", (session_id,))
        return {str(k): str(v) for k, v in rows}

    def add_plan_row(self, session_id: int, row: PlanRow) -> int:
        """Append one improvement-plan row; return its number."""
        with self._write() as conn:
            n = conn.execute(
                "SELECT coalesce(max(row), 0) + 1 FROM plan_rows WHERE session_id = ?",
                (session_id,),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO plan_rows (session_id, row, objective, issue, action, owner, due)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, n, row.objective, row.issue, row.action, row.owner, row.due),
            )
            return int(n)

    def replace_plan(self, session_id: int, rows: list[PlanRow]) -> None:
        """Save the improvement plan as edited in the debrief: these rows, in this order.

        One transaction: the old rows are kept if it fails. The plan is then marked edited,
        so an emptied plan stays empty (a plan never edited is drafted by the report).
        """
        with self._write() as conn:
            conn.execute("DELETE FROM plan_rows WHERE session_id = ?", (session_id,))
            conn.executemany(
                "INSERT INTO plan_rows (session_id, row, objective, issue, action, owner, due)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (session_id, n, r.objective, r.issue, r.action, r.owner, r.due)
                    for n, r in enumerate(rows, start=1)
                ],
            )
            conn.execute(
                "INSERT INTO metadata (session_id, key, value) VALUES (?, ?, '1')"
                " ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value",
                (session_id, PLAN_EDITED),
            )

    def plan_edited(self, session_id: int) -> bool:
        """Whether the plan was edited in the debrief (else the report drafts one)."""
        return self.meta(session_id).get(PLAN_EDITED) == "1"

    def plan_rows(self, session_id: int) -> list[PlanRow]:
        rows = self._read(
            "SELECT objective, issue, action, owner, due FROM plan_rows"
            " WHERE session_id = ? ORDER BY row",
            (session_id,),
        )
        return [PlanRow(*(str(v) for v in r)) for r in rows]


_LAST = "SELECT coalesce(max(seq), 0) FROM commands WHERE session_id = ?"
_MARK = "SELECT coalesce(max(seq), 0), coalesce(sum(undone), 0) FROM commands WHERE session_id = ?"


def _check_unchanged(
    conn: sqlite3.Connection, session_id: int, after: int | None, undone: int | None, what: str
) -> int:
    """The session's last seq, inside a write transaction; StoreError if another process
    changed its log since this one's mark (after, undone)."""
    if undone is None:  # the last seq alone is read from the key's index, not the rows
        last = conn.execute(_LAST, (session_id,)).fetchone()[0]
        now_undone = None
    else:
        last, now_undone = conn.execute(_MARK, (session_id,)).fetchone()
    if (after is not None and int(last) != after) or (
        now_undone is not None and int(now_undone) != undone
    ):
        raise StoreError(
            f"session {session_id} was changed by another tabletop (another console is "
            f"playing it): nothing was {what}; resume it again with "
            f"`tabletop play --resume {session_id}` to see where it stands"
        )
    return int(last)


_SESSION_SELECT = """
SELECT s.id, s.scenario_id, s.scenario_path, s.scenario_sha256, s.seed, s.players, s.created,
       s.last_activity, s.status, s.origin, s.engine_version, s.scenario_format,
       s.command_format, s.parent_id, s.branch_seq,
       (SELECT count(*) FROM commands c WHERE c.session_id = s.id
            AND c.undone = 0 AND c.refused = 0),
       (SELECT count(*) FROM commands c WHERE c.session_id = s.id
            AND c.undone = 0 AND c.refused = 0 AND c.kind = 'decide')
FROM sessions s
"""


def _info(row: tuple[Any, ...]) -> SessionInfo:
    try:
        players = json.loads(row[5])
        if not isinstance(players, list):
            players = []
    except (TypeError, ValueError):
        players = []
    sid = int(row[0])  # the rowid: always an integer
    return SessionInfo(
        id=sid,
        scenario_id=str(row[1]),
        scenario_path=str(row[2]),
        scenario_sha256=str(row[3]),
        seed=_seed(row[4], sid),
        players=tuple(str(p) for p in players),
        created=str(row[6]),
        last_activity=str(row[7]),
        status=str(row[8]),
        origin=str(row[9]),
        engine_version=str(row[10]),
        scenario_format=_whole(row[11], sid, "scenario format"),
        command_format=_whole(row[12], sid, "command format"),
        parent_id=None if row[13] is None else _whole(row[13], sid, "parent session"),
        branch_seq=None if row[14] is None else _whole(row[14], sid, "branch point"),
        commands=int(row[15]),
        decisions=int(row[16]),
    )


def _whole(value: object, session_id: int, what: str) -> int:
    """A stored whole number; a StoreError naming the session if the store holds something else
    (SQLite keeps any value in any column: a store edited by hand or by another program)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if (
        isinstance(value, str)
        and len(value) <= 40
        and value.isascii()
        and value.lstrip("-").isdigit()
    ):
        return int(value)
    raise StoreError(f"session {session_id}: the stored {what} is damaged (not a whole number)")


def _seed(value: object, session_id: int) -> int:
    """A stored seed: a whole number from 0 to MAX_SEED, as every command takes one (a seed past
    64 bits, which SQLite keeps as a float, could not be stored again by a branch)."""
    seed = _whole(value, session_id, "seed")
    if not 0 <= seed <= MAX_SEED:
        raise StoreError(
            f"session {session_id}: the stored seed is damaged"
            f" ({seed} is not a seed from 0 to {MAX_SEED})"
        )
    return seed


def _decode(body: object, session_id: int, seq: int) -> Command:
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            body = None
    if not isinstance(body, str):
        raise StoreError(f"session {session_id}, command {seq}: the stored command is not text")
    try:
        return command_from_json(body)
    except CommandError as exc:
        raise StoreError(f"session {session_id}, command {seq}: {exc}") from None


MAX_TIME = 1_000_000.0
"""sim.schema.MAX_TIME, the latest time of any exercise (not imported: it loads pydantic)."""


def _number(value: object, session_id: int, seq: int) -> float:
    """A command's stored scenario time. One that no exercise reaches (infinite, negative,
    past any horizon) is damage: replay would run the clock to the end and drop the command."""
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
        raise StoreError(f"session {session_id}, command {seq}: the stored time is not a number")
    if not 0 <= value <= MAX_TIME:
        raise StoreError(
            f"session {session_id}, command {seq}: the stored time is damaged "
            f"({value:g} is not a time from 0 to {MAX_TIME:,.0f})"
        )
    return float(value)


def writable_here(path: Path) -> bool:
    """Whether this user may write the store at path and its folder (where SQLite makes its
    '-wal' and '-shm' files). The one place tabletop asks, so tests can stand in for a user
    without permission (root may write anything)."""
    effective = os.access in os.supports_effective_ids
    target = _target(path)  # SQLite makes its files beside the file a link points to
    return os.access(target, os.W_OK, effective_ids=effective) and os.access(
        target.parent, os.W_OK | os.X_OK, effective_ids=effective
    )


def _target(path: Path) -> Path:
    """The file path names, a link followed (where SQLite makes its '-wal' and '-shm')."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: SQLite's own error says so
        return path


def _connect_read_only(path: Path, timeout: float, query: str = "mode=ro") -> sqlite3.Connection:
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?{query}",
        uri=True,
        timeout=timeout,
        isolation_level=None,
        check_same_thread=False,
    )


def _connect_snapshot(path: Path, timeout: float) -> sqlite3.Connection:
    """The store as it stands, read without SQLite's '-shm' file or locks (``immutable``):
    for a store this user may not write, which no console has open (SQLite cannot make the
    '-shm' file a reader of a WAL store needs, in a folder this user may not write)."""
    return _connect_read_only(path, timeout, "mode=ro&immutable=1")


def _connect_shared(path: Path, timeout: float) -> tuple[sqlite3.Connection, bool]:
    """A reading connection to a store this user may not write, and whether it is a snapshot.

    If the store's '-wal' and '-shm' files are there (a console, another user's, has it open,
    or a killed one left them), SQLite reads them without writing and follows that console.
    Else (or if SQLite cannot use them) the store as it stands (:func:`_connect_snapshot`):
    SQLite could not make the '-shm' file here.
    """
    if len(_companions(path)) == 2:
        conn = _connect_read_only(path, timeout)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn, False
        except sqlite3.Error:
            conn.close()
    return _connect_snapshot(path, timeout), True


class _Files(NamedTuple):
    """What tells whether a store's files changed."""

    store: tuple[int, int, int]
    """The store file's inode, size and time of last change."""
    companions: int
    """How many of its '-wal' and '-shm' files are there."""


def _signature(path: Path) -> _Files:
    st = path.stat()
    return _Files((st.st_ino, st.st_size, st.st_mtime_ns), len(_companions(path)))


def _companions(path: Path) -> list[Path]:
    """SQLite's '-wal' and '-shm' files of the store at path, those that exist (beside the
    file a link points to, where SQLite makes them)."""
    target = _target(path)
    return [
        companion
        for companion in (
            target.with_name(target.name + "-wal"),
            target.with_name(target.name + "-shm"),
        )
        if companion.exists()
    ]


def _remove_companions(path: Path) -> None:
    """Let SQLite remove the '-wal' and '-shm' files a read-only connection made and cannot
    remove itself: a connection that may write removes them when it closes last (after copying
    the '-wal' into the store, as the console's own closing does). If another connection is
    open (a console writing the store), SQLite leaves them to it. Never removed by hand:
    a '-wal' may hold commands not yet copied into the store."""
    if not _companions(path):
        return
    with suppress(sqlite3.Error, OSError):
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:  # a read opens the '-wal': only then does closing consider it
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()


COMPANION_SUFFIX = "-journal"
"""The longest suffix SQLite adds to the store's name for its companion files ('-journal'
while a rollback journal is looked for, '-wal' and '-shm' in WAL mode)."""

DEFAULT_NAME_MAX = 255
"""Bytes in one file name on most file systems (ext4, APFS, NTFS, tmpfs)."""


def check_name_lengths(path: Path, shown: str) -> None:
    """A StoreError if a folder's name in path, or the store's name with SQLite's companion
    suffixes, is longer than a file name may be: SQLite would fail to open its '-journal' or
    '-wal' file and say only 'unable to open database file'."""
    name_max = _name_max(path)
    for part in path.parts[:-1]:
        if len(os.fsencode(part)) > name_max:
            raise StoreError(
                f"the session store {shown}: the folder name "
                f"'{printable(part[:40], one_line=True)}…' is too long (more than {name_max} "
                "bytes): use --store PATH with shorter names"
            )
    size = len(os.fsencode(path.name))
    limit = name_max - len(COMPANION_SUFFIX)
    if size > limit:
        raise StoreError(
            f"the session store {shown}: its file name is too long ({size} bytes, at most "
            f"{limit}): SQLite keeps files beside it named with '-journal', '-wal' and '-shm' "
            f"added, and each name must fit in {name_max} bytes; use --store PATH or "
            f"{_env_hint()} with a shorter name"
        )


def _name_max(path: Path) -> int:
    """The longest file name (in bytes) the file system holding path takes."""
    folder = path.parent
    try:
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows); a name too long
        return DEFAULT_NAME_MAX


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _env_hint() -> str:
    from sim.session.location import ENV_VAR

    return ENV_VAR


def _translate(exc: sqlite3.Error, path: Path, doing: str) -> StoreError:
    """A SQLite error as a message that says what happened to the store and what to do."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    shown = printable(str(path), one_line=True)
    unsaved = (
        " Nothing was saved by this step; what was saved before is intact."
        if (doing == "write")
        else ""
    )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(
            f"the session store {shown} is busy: another tabletop is writing to it. "
            f"Try again in a moment.{unsaved}"
        )
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return StoreError(
            f"the session store {shown} is read-only here (file or folder permissions): "
            f"use --store PATH or {_env_hint()} to choose a writable file.{unsaved}"
        )
    if primary == sqlite3.SQLITE_FULL:
        return StoreError(
            f"the disk holding the session store {shown} is full: free some space "
            f"and try again.{unsaved}"
        )
    if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return StoreError(
            f"{shown} is not a tabletop session store, or it is damaged "
            "(not a readable SQLite database); it was left untouched: use --store PATH "
            "to choose another file"
        )
    if primary == sqlite3.SQLITE_CANTOPEN:
        return StoreError(
            f"cannot open the session store {shown} (missing folder or no permission): "
            f"use --store PATH or {_env_hint()} to choose another file"
        )
    detail = printable(str(exc), one_line=True)
    return StoreError(f"the session store {shown} failed to {doing}: {detail}.{unsaved}")
