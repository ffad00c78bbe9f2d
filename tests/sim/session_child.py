"""A headless facilitator for the kill/resume and watch tests, run as a child process.

It drives a recorded session through the same code as the console (tui.recording.Recording
and tui.driver.EngineDriver): choices, notes, adjustments and clock steps picked by a seeded
random generator. After each action it prints ``applied N`` (N = commands in the engine's
log) so the parent knows how far it got before it is killed.

Usage: session_child.py STORE SCENARIO ACTIONS SEED [PAUSE] [--resume ID]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from sim.bundled import resolve
from sim.session.resume import load_text, resume_session
from sim.session.store import SessionStore
from tui.driver import EngineDriver
from tui.recording import Recording


def act(driver: EngineDriver, rng: random.Random) -> None:
    ex = driver.exercise
    roll = rng.random()
    if ex.open_decisions and roll < 0.6:
        od = sorted(ex.open_decisions.values(), key=lambda d: d.decision.id)[0]
        option = rng.choice(od.decision.options).id
        driver.act(lambda e: e.decide(od.decision.id, option, by="players"))
    elif roll < 0.7:
        driver.act(lambda e: e.note(f"note {rng.randrange(10**6)} " + "x" * rng.randrange(2000)))
    elif roll < 0.8:
        names = [n for n, v in ex.scenario.variables.items()]
        if names:
            name = rng.choice(names)
            value = round(rng.uniform(0, 5), 3)
            driver.act(lambda e: e.adjust(name, value, "test adjustment"))
    else:
        driver.advance(rng.uniform(0.05, 3.0))


def main() -> None:
    store_path, scenario_name, actions, seed = sys.argv[1:5]
    pause = float(sys.argv[5]) if len(sys.argv) > 5 and not sys.argv[5].startswith("-") else 0.0
    store = SessionStore.open(store_path)
    if "--resume" in sys.argv:
        resumed = resume_session(store, sys.argv[sys.argv.index("--resume") + 1])
        recording = Recording(store, resumed=resumed)
        scenario = resumed.exercise.scenario
    else:
        path = resolve(scenario_name)
        assert path is not None
        text = Path(path).read_text(encoding="utf-8")
        scenario = load_text(text, str(path))
        recording = Recording(store, path=Path(path), text=text)
    exercise = recording.exercise(scenario, None)
    driver = EngineDriver(scenario, exercise=exercise)
    print(f"session {recording.session_id}", flush=True)
    rng = random.Random(int(seed))
    for _ in range(int(actions)):
        if driver.exercise.finished:
            break
        try:
            act(driver, rng)
        except Exception as exc:  # a refused action is part of the game
            if type(exc).__name__ != "ExerciseError":
                raise
        print(f"applied {len(driver.exercise.command_log)}", flush=True)
        if pause:
            time.sleep(pause)
    print("done", flush=True)


if __name__ == "__main__":
    main()
