"""Temporaries a killed write left behind (SIGKILL cannot be caught) are removed by a later
write to the same place once clearly abandoned, and nothing else ever is (sim/leftovers.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from sim import leftovers
from sim.outfile import temporary_prefix, write_text_file, write_text_files
from sim.outfolder import whole_folder, write_staged

ROOT = Path(__file__).resolve().parents[2]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def killed_while(code: str, folder: Path) -> None:
    """Run code (with KILL() killing its own process by SIGKILL) in a fresh Python."""
    prologue = "import os, signal\ndef KILL():\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    done = subprocess.run(
        [sys.executable, "-c", prologue + textwrap.dedent(code)],
        cwd=ROOT,
        env={**os.environ, "FOLDER": str(folder)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -9, done.stderr


def a_day_later(monkeypatch: pytest.MonkeyPatch) -> None:
    later = time.time() + leftovers.STALE_AFTER + 60
    monkeypatch.setattr(leftovers, "_now", lambda: later)


KILLED_FILE_WRITE = """
import sim.outfile as outfile
def replace(*_):
    KILL()
outfile.os.replace = replace
outfile.write_text_file(os.path.join(os.environ["FOLDER"], "results.txt"), "never\\n")
"""


def test_a_killed_file_write_leaves_a_part_file_that_a_later_write_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "results.txt").write_text("old\n", encoding="utf-8")
    killed_while(KILLED_FILE_WRITE, tmp_path)
    left = [n for n in listing(tmp_path) if n != "results.txt"]
    assert len(left) == 1 and left[0].startswith(".results.txt.") and left[0].endswith(".part")

    write_text_file(str(tmp_path / "results.txt"), "soon after\n")
    assert left[0] in listing(tmp_path)  # not yet clearly abandoned: may be a writer's

    a_day_later(monkeypatch)
    write_text_file(str(tmp_path / "results.txt"), "new\n")
    assert listing(tmp_path) == ["results.txt"]
    assert (tmp_path / "results.txt").read_text(encoding="utf-8") == "new\n"


def test_old_second_names_are_removed_too_and_by_a_write_of_several_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "r.json").write_text("old\n", encoding="utf-8")
    for suffix in (".part", ".old"):
        fd, _ = tempfile.mkstemp(prefix=temporary_prefix("r.json"), suffix=suffix, dir=tmp_path)
        os.close(fd)
    a_day_later(monkeypatch)
    write_text_files([(str(tmp_path / "r.json"), "new\n"), (str(tmp_path / "r.html"), "<p>")])
    assert listing(tmp_path) == ["r.html", "r.json"]


KILLED_PACK = """
import sim.outfolder as outfolder
with outfolder.whole_folder(os.environ["FOLDER"] + "/pack") as stage:
    outfolder.write_staged(stage / "msel.csv", "id\\n")
    KILL()
"""


@pytest.mark.parametrize("exists", [True, False], ids=["into-a-folder", "a-new-folder"])
def test_a_killed_pack_leaves_a_hidden_folder_that_a_later_pack_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exists: bool
) -> None:
    pack = tmp_path / "pack"
    if exists:
        pack.mkdir()
        (pack / "notes.md").write_text("mine\n", encoding="utf-8")
    killed_while(KILLED_PACK, tmp_path)
    where = pack if exists else tmp_path
    before = listing(where)
    left = [n for n in before if n.endswith(".part")]
    assert len(left) == 1, before

    with whole_folder(pack) as stage:  # soon after: kept (it may be another pack's)
        write_staged(stage / "msel.csv", "id\n")
    assert left[0] in listing(where)

    a_day_later(monkeypatch)
    with whole_folder(pack) as stage:
        write_staged(stage / "msel.csv", "id\n")
    assert not [n for n in listing(tmp_path) + listing(pack) if n.endswith(".part")]
    assert listing(pack) == (["msel.csv", "notes.md"] if exists else ["msel.csv"])


def test_a_folder_holding_the_only_copy_of_a_file_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pack killed after moving a file aside (no hard links) but before its replacement
    came: the user's file lives only in the leftover, which stays."""
    pack = tmp_path / "pack"
    pack.mkdir()
    stage = Path(tempfile.mkdtemp(prefix=".tabletop-", suffix=".part", dir=pack))
    backups = Path(tempfile.mkdtemp(prefix=".old-", dir=stage))
    (backups / "situation-manual.md").write_text("the only copy\n", encoding="utf-8")
    a_day_later(monkeypatch)
    with whole_folder(pack) as new:
        write_staged(new / "msel.csv", "id\n")
    assert (backups / "situation-manual.md").read_text(encoding="utf-8") == "the only copy\n"


def _look_alikes(folder: Path) -> list[str]:
    """Names near a leftover's that are not one: never removed, however old."""
    (folder / "elsewhere").write_text("x", encoding="utf-8")
    made = {
        ".r.json.abcdefgh.tmp": "file",  # another ending (msel import's own temporaries)
        ".r.json.abcdefghi.part": "file",  # nine random characters
        ".r.json.abcdefg.part": "file",
        ".r.json.ABCDEFGH.part": "file",
        "r.json.abcdefgh.part": "file",  # not hidden
        ".r.jsonXabcdefgh.part": "file",
        ".other.json.abcdefgh.part": "file",  # another destination's
        ".r.json.1234.abcdef12.new": "file",  # a session store's
        ".r.json.abcdefgh.old.bak": "file",
        ".r.json.abcdefgh.part": "link",  # a symbolic link, to someone's file
        ".r.json.abcdefg1.part": "folder",  # a folder where a file would be
    }
    for name, kind in made.items():
        if kind == "file":
            (folder / name).write_text("someone's\n", encoding="utf-8")
        elif kind == "link":
            (folder / name).symlink_to("elsewhere")
        else:
            (folder / name).mkdir()
    return sorted(made)


def test_names_that_only_look_like_leftovers_are_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _look_alikes(tmp_path)
    a_day_later(monkeypatch)
    write_text_file(str(tmp_path / "r.json"), "new\n")
    assert listing(tmp_path) == sorted([*kept, "elsewhere", "r.json"])
    assert (tmp_path / "elsewhere").read_text(encoding="utf-8") == "x"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_another_users_leftover_is_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fd, theirs = tempfile.mkstemp(prefix=temporary_prefix("r.json"), suffix=".part", dir=tmp_path)
    os.close(fd)
    os.chown(theirs, 65534, 65534)
    a_day_later(monkeypatch)
    write_text_file(str(tmp_path / "r.json"), "new\n")
    assert os.path.exists(theirs)


def test_a_leftover_with_a_future_time_is_kept(tmp_path: Path) -> None:
    fd, left = tempfile.mkstemp(prefix=temporary_prefix("r.json"), suffix=".part", dir=tmp_path)
    os.close(fd)
    future = time.time() + 10 * leftovers.STALE_AFTER
    os.utime(left, (future, future))
    write_text_file(str(tmp_path / "r.json"), "new\n")
    assert os.path.exists(left)


KILLED_STORE = """
import sim.session.store as store
def link(*_):
    KILL()
store.os.link = link
store.SessionStore.open(os.path.join(os.environ["FOLDER"], "sessions.sqlite3"))
"""


def test_a_store_killed_while_being_made_leaves_a_file_that_a_later_one_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.session.store import SessionStore

    killed_while(KILLED_STORE, tmp_path)
    left = listing(tmp_path)
    assert left and all(n.startswith(".sessions.sqlite3.") for n in left), left

    SessionStore.open(tmp_path / "another.sqlite3").close()  # another store's: kept
    SessionStore.open(tmp_path / "sessions.sqlite3").close()  # soon after: may be a writer's
    assert set(left) <= set(listing(tmp_path))

    a_day_later(monkeypatch)
    SessionStore.open(tmp_path / "sessions.sqlite3", readonly=True).close()  # removes nothing
    assert set(left) <= set(listing(tmp_path))
    SessionStore.open(tmp_path / "sessions.sqlite3").close()
    assert listing(tmp_path) == ["another.sqlite3", "sessions.sqlite3"]
