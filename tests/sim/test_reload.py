"""Live reload's headless half: replay what still applies on an edited scenario, say where it
stopped, keep problems of a broken file as problems, and notice saves."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sim.authoring.reload import FileWatcher, Reloaded, reload_file
from sim.commands import Decide, Note
from sim.engine import Exercise
from sim.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def played(path: Path) -> Exercise:
    ex = Exercise(load_scenario(path), 3)
    ex.run_until_decision()
    ex.submit(Note(text="the room is quiet"))
    ex.submit(Decide(decision="answer_ally", option="cooperate"))
    ex.run_until(100)
    return ex


def test_an_unchanged_file_replays_every_command_to_the_same_log(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    shutil.copy(ROOT / "scenarios" / "quickstart.yaml", path)
    ex = played(path)
    result = reload_file(path, 3, ex.command_log)
    assert isinstance(result, Reloaded)
    assert result.stopped is None and result.applied == result.total == len(ex.command_log)
    assert [str(r) for r in result.exercise.records] == [str(r) for r in ex.records]
    assert result.summary().startswith("reloaded: all")


def test_replay_stops_at_the_first_command_that_no_longer_applies(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    shutil.copy(ROOT / "scenarios" / "quickstart.yaml", path)
    ex = played(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("id: cooperate", "id: collaborate").replace(
            "answer_ally: cooperate", "answer_ally: collaborate"
        ),
        encoding="utf-8",
    )
    result = reload_file(path, 3, ex.command_log)
    assert isinstance(result, Reloaded)
    decide = next(e for e in ex.command_log if isinstance(e.command, Decide))
    assert result.applied == decide.seq
    assert result.stopped is not None
    assert f"command {decide.seq} (decide" in result.stopped and "cooperate" in result.stopped
    assert "no longer applies" in result.summary()


def test_a_broken_file_gives_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    shutil.copy(ROOT / "scenarios" / "quickstart.yaml", path)
    ex = played(path)
    path.write_text(path.read_text(encoding="utf-8").replace("from: ally", "from: allly", 1))
    result = reload_file(path, 3, ex.command_log)
    assert isinstance(result, list)
    assert any("unknown actor 'allly'" in p.message and p.line > 1 for p in result)


def test_the_watcher_notices_saves_in_place_and_by_rename(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    watch = FileWatcher(path)
    assert not watch.changed()
    path.write_text("a: 22\n", encoding="utf-8")  # in place, size changes
    assert watch.changed() and not watch.changed()
    new = tmp_path / "s.yaml.tmp"
    new.write_text("a: 33\n", encoding="utf-8")
    os.replace(new, path)  # how many editors save
    assert watch.changed()
    path.unlink()
    assert not watch.changed()  # gone for a moment: wait
    path.write_text("a: 4444\n", encoding="utf-8")
    assert watch.changed()
