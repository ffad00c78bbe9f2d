"""Resume, kill -9, undo, branches and comparison: a session's state is the replay of its commands."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sim.bundled import resolve
from sim.commands import Adjust, Advance, Command, Decide, End, Note, Observe
from sim.engine import Exercise
from sim.replay import replay
from sim.session.branch import branch_session
from sim.session.compare import compare_sessions, timeline
from sim.session.journal import RecordedExercise, start_session
from sim.session.resume import ScenarioChanged, load_text, resume_session
from sim.session.store import SessionStore, StoreError
from sim.session.undo import undo_last
from tui.cli import main
from tui.driver import EngineDriver

HERE = Path(__file__).resolve().parent
CHILD = HERE / "session_child.py"
QUICKSTART = resolve("quickstart")
assert QUICKSTART is not None


def log(ex: Exercise) -> list[dict[str, Any]]:
    return [r.to_dict() for r in ex.records]


def new_session(store: SessionStore, path: Path = QUICKSTART, seed: int = 5) -> RecordedExercise:
    text = path.read_text(encoding="utf-8")
    return start_session(store, load_text(text, str(path)), text, path, seed)


def play_some(ex: Exercise) -> None:
    ex.run_until_decision()
    ex.decide("answer_ally", "acknowledge", by="players")
    ex.note("the room hesitated")
    ex.run_until(30)
    ex.adjust("public_trust", 0.4, "press leak")


def test_resume_continues_exactly_where_the_session_stood(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    play_some(ex)
    assert ex.journal is not None
    sid = ex.journal.session_id

    again = SessionStore.open(tmp_path / "s.sqlite3")
    resumed = resume_session(again, str(sid))
    assert resumed.report() == []
    assert log(resumed.exercise) == log(ex)
    assert [e.command for e in resumed.exercise.command_log] == [e.command for e in ex.command_log]
    # Both go on alike (the original no longer recording), and the resumed one records.
    ex.journal = None
    for e in (ex, resumed.exercise):
        e.run()
    assert log(resumed.exercise) == log(ex)
    assert again.session(sid).status == "finished"


def test_refused_command_is_kept_and_never_replayed(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    with pytest.raises(Exception, match=r"not open|no decision|too late|is not"):
        ex.submit(Decide(decision="legislate", option="introduce"))
    assert ex.journal is not None
    [stored] = store.commands(ex.journal.session_id, everything=True)
    assert stored.refused
    assert resume_session(store, ex.journal.session_id).exercise.command_log == []


def test_changed_scenario_is_refused_with_what_changed(tmp_path: Path) -> None:
    path = tmp_path / "quick.yaml"
    text = QUICKSTART.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store, path)
    play_some(ex)
    assert ex.journal is not None
    sid = ex.journal.session_id
    changed = text.replace("deadline: 24", "deadline: 12", 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(ScenarioChanged) as err:
        resume_session(store, sid)
    message = str(err.value)
    assert str(path) in message
    assert "decisions: changed answer_ally" in message
    assert "--force" in message

    forced = resume_session(store, sid, force=True)
    assert forced.forked_from == sid
    assert forced.session_id != sid
    assert store.session(forced.session_id).parent_id == sid
    assert any("changed" in line for line in forced.report())
    # The old session is untouched.
    assert len(store.commands(sid)) == len(ex.command_log)


def test_force_stops_where_the_commands_no_longer_apply(tmp_path: Path) -> None:
    path = tmp_path / "quick.yaml"
    text = QUICKSTART.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store, path)
    play_some(ex)
    assert ex.journal is not None
    # Rename the option the room chose: from that choice on, the commands no longer apply.
    renamed = text.replace("- id: acknowledge", "- id: acknowledge_quietly").replace(
        "default: acknowledge", "default: acknowledge_quietly"
    )
    path.write_text(renamed, encoding="utf-8")
    forced = resume_session(store, ex.journal.session_id, force=True)
    report = "\n".join(forced.report())
    assert f"replayed 1 of {len(ex.command_log)} commands; stopped at command 2 (decide" in report
    assert "acknowledge" in report
    assert forced.replayed.stopped_at is not None
    assert [c.command for c in store.commands(forced.session_id)] == [ex.command_log[0].command]


def test_missing_file_resumes_from_the_saved_copy(tmp_path: Path) -> None:
    path = tmp_path / "quick.yaml"
    path.write_text(QUICKSTART.read_text(encoding="utf-8"), encoding="utf-8")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store, path)
    play_some(ex)
    path.unlink()
    assert ex.journal is not None
    resumed = resume_session(store, ex.journal.session_id)
    assert log(resumed.exercise) == log(ex)
    assert "saved with the session" in resumed.report()[0]


def test_bad_command_in_store_names_session_and_seq(tmp_path: Path) -> None:
    import sqlite3

    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    play_some(ex)
    assert ex.journal is not None
    conn = sqlite3.connect(store.path)
    conn.execute('UPDATE commands SET body = \'{"format":1,"kind":"nuke"}\' WHERE seq = 3')
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=rf"session {ex.journal.session_id}, command 3"):
        resume_session(store, ex.journal.session_id)


# --- undo ---------------------------------------------------------------------------------------


def test_undo_replays_all_but_the_last_command(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    ex.run_until_decision()
    ex.decide("answer_ally", "deny", by="players")  # keyed by mistake
    ex.run_until(ex.now + 0.5)
    assert ex.journal is not None
    sid = ex.journal.session_id
    rebuilt, undone = undo_last(ex)
    assert undone == Decide(decision="answer_ally", option="deny", by="players")
    assert "answer_ally" in rebuilt.open_decisions
    # Equal to a run that never had the mistaken command.
    kept = [e.command for e in ex.command_log if e.command != undone]
    assert log(rebuilt) == log(replay(ex.scenario, ex.seed, kept))
    # The undone command stays in the store, marked undone; the session goes on.
    marked = [c for c in store.commands(sid, everything=True) if c.undone]
    assert [c.command for c in marked] == [undone]
    rebuilt.decide("answer_ally", "cooperate", by="players")
    rebuilt.settle()
    assert log(resume_session(store, sid).exercise) == log(rebuilt)


def test_undo_through_the_console_driver(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    driver = EngineDriver(ex.scenario, exercise=ex)
    driver.advance(30)
    driver.act(lambda e: e.adjust("public_trust", 0.01, "typo: meant 0.1"))
    assert driver.exercise.value("public_trust") == 0.01
    assert "public_trust" in driver.undo()
    assert driver.exercise.value("public_trust") != 0.01


def test_nothing_to_undo(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    ex.run_until(5)
    with pytest.raises(Exception, match="nothing to undo"):
        undo_last(ex)


# --- kill -9 ------------------------------------------------------------------------------------


def _uninterrupted(seed: int, commands: int) -> Exercise:
    """The child's own moves, in this process, with no store, until `commands` are logged."""
    import session_child

    text = QUICKSTART.read_text(encoding="utf-8")
    scenario = load_text(text, str(QUICKSTART))
    driver = EngineDriver(scenario, exercise=RecordedExercise(scenario, None))
    rng = random.Random(seed)
    while len(driver.exercise.command_log) < commands and not driver.exercise.finished:
        try:
            session_child.act(driver, rng)
        except Exception as exc:
            if type(exc).__name__ != "ExerciseError":
                raise
    return driver.exercise


@pytest.mark.parametrize("trial", range(5))
def test_sigkill_at_a_random_point_loses_nothing(tmp_path: Path, trial: int) -> None:
    rng = random.Random(1000 + trial)
    store_path = tmp_path / "s.sqlite3"
    target = rng.randint(3, 60)
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(store_path), "quickstart", "100000", str(trial)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    seen = 0
    try:
        for line in proc.stdout:
            if line.startswith("applied"):
                seen = int(line.split()[1])
                if seen >= target:
                    # Somewhere in the next action: its commit, its effect, or between.
                    time.sleep(rng.random() * 0.004)
                    break
            if line.startswith("done"):
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
    store = SessionStore.open(store_path)
    committed = store.commands(1)
    assert len(committed) >= seen  # every command that took effect was committed first

    resumed = resume_session(store, 1)
    # The same moves played without interruption: the store holds exactly their first
    # commands (one console action may be several commands), and the resumed exercise is
    # their replay, record for record.
    n = len(committed)
    uninterrupted = _uninterrupted(trial, n)
    issued = [e.command for e in uninterrupted.command_log][:n]
    assert [e.command for e in resumed.exercise.command_log] == issued
    reference = replay(uninterrupted.scenario, uninterrupted.seed, issued)
    assert log(resumed.exercise) == log(reference)

    # And the resumed session goes on, recorded, through the console's code again.
    more = subprocess.run(
        [sys.executable, str(CHILD), str(store_path), "quickstart", "15", "77", "--resume", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert more.returncode == 0, more.stderr
    final = resume_session(store, 1).exercise
    direct = replay(final.scenario, final.seed, [c.command for c in store.commands(1)])
    assert log(final) == log(direct)


# --- branches and comparison --------------------------------------------------------------------


def _recorded_run(tmp_path: Path, *args: str) -> str:
    store = str(tmp_path / "s.sqlite3")
    result = CliRunner().invoke(
        main,
        ["run", "quickstart", "--seed", "4", "--record", "--store", store, *args],
    )
    assert result.exit_code == 0, result.output
    return store


def test_branch_takes_the_other_option_with_the_same_luck(tmp_path: Path) -> None:
    store_path = _recorded_run(tmp_path, "--playbook", "quickstart--cooperate")
    store = SessionStore.open(store_path)
    made = branch_session(store, 1, "answer_ally", "deny")
    assert made.parent_option == "cooperate"
    info = store.session(made.session_id)
    assert info.parent_id == 1
    assert info.origin == "branch"
    # Up to the branch point, the branch's records are the parent's, record for record.
    parent = resume_session(store, 1).exercise
    branch = made.exercise
    decided = next(
        r.seq
        for r in branch.records
        if getattr(r, "decision", "") == "answer_ally" and r.kind == "decision_made"
    )
    assert log(branch)[:decided] == log(parent)[:decided]
    assert log(branch)[decided]["option"] == "deny"
    # The branch is a session of its own: it resumes to the same state.
    assert log(resume_session(store, made.session_id).exercise) == log(branch)


def test_branch_of_a_defaulted_decision(tmp_path: Path) -> None:
    store_path = _recorded_run(tmp_path)  # every decision defaults at its deadline
    store = SessionStore.open(store_path)
    made = branch_session(store, 1, "answer_ally", "cooperate")
    assert made.parent_option == ""
    assert any(
        r.kind == "decision_made" and getattr(r, "option", "") == "cooperate"
        for r in made.exercise.records
    )


@pytest.mark.parametrize(
    ("decision", "option", "expect"),
    [
        ("no_such", "x", "has no decision"),
        ("answer_ally", "nope", "is not an option"),
        ("answer_ally", "cooperate", "already chose"),
        ("answer_ally\x1b[2J", "x", "has no decision"),
    ],
)
def test_bad_branch_requests(tmp_path: Path, decision: str, option: str, expect: str) -> None:
    store = SessionStore.open(_recorded_run(tmp_path, "--playbook", "quickstart--cooperate"))
    with pytest.raises(StoreError, match=expect) as err:
        branch_session(store, 1, decision, option)
    assert "\x1b" not in str(err.value)
    assert len(store.sessions()) == 1


def test_branch_and_compare_from_the_command_line(tmp_path: Path) -> None:
    store = _recorded_run(tmp_path, "--playbook", "quickstart--cooperate")
    runner = CliRunner()
    result = runner.invoke(
        main, ["branch", "1", "--at", "answer_ally", "--option", "deny", "--store", store]
    )
    assert result.exit_code == 0, result.output
    assert "session 2 branches from session 1 at answer_ally: deny instead of cooperate" in (
        result.output
    )
    result = runner.invoke(main, ["compare", "1", "2", "--store", store])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "diverge" in text
    assert "answer_ally" in text and "cooperate" in text and "deny" in text
    result = runner.invoke(main, ["compare", "1", "2", "--store", store, "--format", "json"])
    data = json.loads(result.output)
    assert data["diverge"] is not None
    rows = {d["decision"]: d for d in data["decisions"]}
    assert rows["answer_ally"]["a"] == "cooperate" and rows["answer_ally"]["b"] == "deny"
    assert {v["variable"] for v in data["variables"]} >= {"public_trust"}
    assert data["objectives"]


def test_compare_a_session_with_itself_is_identical(tmp_path: Path) -> None:
    store = SessionStore.open(_recorded_run(tmp_path))
    result = compare_sessions(store, 1, 1)
    assert result.first_difference() is None
    assert "identical" in result.to_text()


@pytest.mark.parametrize(
    ("a", "b", "said"),
    [
        (["a", "b"], ["a", "c"], "They share their first command."),
        (["a", "b", "c"], ["a", "b", "d"], "They share their first 2 commands."),
        (["a"], ["b"], "They share no commands at the start."),
        ([], ["b"], "They share no commands at the start."),
    ],
)
def test_compare_counts_shared_commands_in_plain_english(
    tmp_path: Path, a: list[str], b: list[str], said: str
) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    for notes in (a, b):
        ex = new_session(store)
        for text in notes:
            ex.submit(Note(text=text))
    lines = compare_sessions(store, 1, 2).to_text().splitlines()
    assert said in lines
    assert not any(" 1 commands" in line or "first 0 " in line for line in lines)


@pytest.mark.parametrize(
    ("command", "named"),
    [
        (Note(text="the room hesitated"), "the room hesitated"),
        (Observe(text="quick call to the ally", assessment="strength"), "quick call to the ally"),
        (Adjust(variable="public_trust", value=0.2, reason="press leak"), "public_trust"),
    ],
    ids=["note", "observation", "adjustment"],
)
def test_compare_sees_a_command_taken_before_time_moved(
    tmp_path: Path, command: Command, named: str
) -> None:
    """A command saved at the instant a session stands at becomes a record when the instant
    ends (the console ends it after each action; a session recorded otherwise, or a console
    killed between the two, stands before that). Two sessions differing only in it differ."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    for extra in ((), (command,)):
        ex = new_session(store)
        ex.run_until(3)
        for c in extra:
            ex.submit(c)
    reader = SessionStore.open(tmp_path / "s.sqlite3", readonly=True)
    result = compare_sessions(reader, 1, 2)
    text = result.to_text()
    assert "identical" not in text
    assert named in text
    assert "live at t=3" in text
    data = json.loads(result.to_json())
    assert data["diverge"] is not None
    assert data["b"]["now"] == 3
    # What differs is named where the timelines diverge (B's side), A has nothing there.
    assert data["diverge"]["a"] is None
    assert named in data["diverge"]["b"]["text"]
    # A session with itself is still identical, and the store was only read.
    assert compare_sessions(reader, 2, 2).first_difference() is None
    assert len(store.commands(2)) == 2


def test_branch_live_stops_at_the_branch_point(tmp_path: Path) -> None:
    store = _recorded_run(tmp_path, "--playbook", "quickstart--cooperate")
    result = CliRunner().invoke(
        main,
        [
            "branch",
            "1",
            "--at",
            "answer_ally",
            "--option",
            "acknowledge",
            "--live",
            "--store",
            store,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "tabletop play --resume 2" in result.output
    st = SessionStore.open(store)
    assert st.session(2).status == "live"
    assert not resume_session(st, 2).exercise.finished


def test_advance_note_adjust_round_trip_through_the_store(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    ex.submit(Advance(to=2.0))
    ex.submit(Note(text="\x1b]52;c;cHduZWQ=\x07 hostile note " + "y" * 100_000))
    ex.submit(Adjust(variable="public_trust", value=0.25, reason="r"))
    assert ex.journal is not None
    resumed = resume_session(store, ex.journal.session_id).exercise
    assert log(resumed) == log(ex)


def test_two_consoles_on_one_session_do_not_interleave(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    ex.run_until(2)
    assert ex.journal is not None
    sid = ex.journal.session_id
    other = resume_session(SessionStore.open(tmp_path / "s.sqlite3"), sid).exercise
    other.note("from the second console")
    other.settle()
    before = len(store.commands(sid, everything=True))
    with pytest.raises(StoreError, match="another tabletop"):
        ex.note("from the first console")
    assert len(store.commands(sid, everything=True)) == before
    assert all(
        not (isinstance(c.command, Note) and c.command.text == "from the first console")
        for c in store.commands(sid, everything=True)
    )
    # The first console, resumed again, sees the second one's note and goes on.
    again = resume_session(store, sid).exercise
    again.note("after resuming")
    again.settle()
    assert log(resume_session(store, sid).exercise) == log(again)


def _save_unmarked(store: SessionStore, ex: RecordedExercise, command: Command) -> int:
    """A crash between saving a command and marking it refused: the command is in the store,
    not marked refused, and the console never applied it. Returns its seq."""
    assert ex.journal is not None
    seq = store.append(ex.journal.session_id, ex.now, command)
    ex.journal.last = seq  # the console saved it (then died before marking it)
    return seq


def test_a_refused_command_never_marked_refused_is_skipped_on_resume(tmp_path: Path) -> None:
    """A command saved, refused, and never marked refused (killed between the two writes):
    resuming skips it, says so once naming it, keeps every other command (the ones after it
    included) and marks it refused, so the next resume does not see it again."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    ex.run_until_decision()
    ex.decide("answer_ally", "acknowledge", by="players")
    before = _save_unmarked(store, ex, Decide(decision="legislate", option="introduce"))
    ex.note("the room hesitated")
    ex.submit(End())
    after_end = _save_unmarked(store, ex, Note(text="typed after the end"))
    ex.submit(Observe(text="the ally call was quick", assessment="strength"))
    assert ex.journal is not None
    sid = ex.journal.session_id

    again = SessionStore.open(tmp_path / "s.sqlite3")
    resumed = resume_session(again, sid)
    assert log(resumed.exercise) == log(ex)
    assert [e.command for e in resumed.exercise.command_log] == [e.command for e in ex.command_log]
    lines = resumed.report()
    assert len(lines) == 2, lines
    assert f"command {before} (decide" in lines[0] and "skipped" in lines[0]
    assert f"command {after_end} (note" in lines[1] and "skipped" in lines[1]
    refused = {c.seq for c in again.commands(sid, everything=True) if c.refused}
    assert refused == {before, after_end}
    assert again.session(sid).status == "finished"
    # Marked now: the next resume is quiet and the same.
    third = resume_session(SessionStore.open(tmp_path / "s.sqlite3"), sid)
    assert third.report() == []
    assert log(third.exercise) == log(ex)


def test_a_forced_resume_skips_an_unmarked_refused_command_and_replays_the_rest(
    tmp_path: Path,
) -> None:
    """On a changed scenario file (--force), a command refused when played but never marked
    so is skipped as on the saved text, not taken for where the commands stop applying."""
    path = tmp_path / "quick.yaml"
    text = QUICKSTART.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store, path)
    ex.run_until_decision()
    seq = _save_unmarked(store, ex, Decide(decision="legislate", option="introduce"))
    ex.decide("answer_ally", "acknowledge", by="players")
    ex.note("the room hesitated")
    ex.run_until(30)
    assert ex.journal is not None
    sid = ex.journal.session_id
    path.write_text(text + "\n# a comment added\n", encoding="utf-8")
    forced = resume_session(store, sid, force=True)
    assert log(forced.exercise) == log(ex)
    lines = forced.report()
    assert not any("stopped at" in line for line in lines), lines
    assert sum(f"command {seq} (decide" in line for line in lines) == 1, lines
    # The old session is never altered; the new one holds every command that took effect.
    assert not any(c.refused for c in store.commands(sid, everything=True))
    assert [c.command for c in store.commands(forced.session_id)] == [
        e.command for e in ex.command_log
    ]


def test_a_read_only_resume_skips_an_unmarked_refused_command_without_writing(
    tmp_path: Path,
) -> None:
    """Compare (read-only) replays such a session as the console left it, changing nothing."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    ex.run_until_decision()
    ex.submit(End())
    seq = _save_unmarked(store, ex, Decide(decision="answer_ally", option="acknowledge"))
    ex.submit(Observe(text="late but fine"))
    assert ex.journal is not None
    sid = ex.journal.session_id
    replayed = timeline(SessionStore.open(tmp_path / "s.sqlite3", readonly=True), sid)
    assert log(replayed.exercise) == log(ex)
    assert not any(c.refused for c in store.commands(sid, everything=True) if c.seq == seq)


def test_branch_takes_the_parent_s_choice_from_the_first_decide_that_took_effect(
    tmp_path: Path,
) -> None:
    """A decide saved for the decision but refused when played, and never marked so (killed
    between the two writes), is not the parent's choice: the first decide that took effect is.
    The branch may take the refused one's option, and branches where the room chose."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    _save_unmarked(store, ex, Decide(decision="answer_ally", option="deny"))  # not posed yet
    ex.run_until_decision()
    ex.note("the room talks it over")
    ex.decide("answer_ally", "acknowledge", by="players")
    ex.run_until(30)
    assert ex.journal is not None
    sid = ex.journal.session_id

    made = branch_session(store, sid, "answer_ally", "deny")
    assert made.parent_option == "acknowledge"
    decided = next(
        r.seq
        for r in made.exercise.records
        if getattr(r, "decision", "") == "answer_ally" and r.kind == "decision_made"
    )
    assert log(made.exercise)[:decided] == log(ex)[:decided]
    assert log(made.exercise)[decided]["option"] == "deny"
    assert any(
        isinstance(c.command, Note) and c.command.text == "the room talks it over"
        for c in store.commands(made.session_id)
    )
    with pytest.raises(StoreError, match="already chose 'acknowledge'"):
        branch_session(store, sid, "answer_ally", "acknowledge")
