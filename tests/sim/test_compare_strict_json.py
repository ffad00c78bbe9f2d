"""`tabletop compare --format json` is strict JSON whatever the sessions hold: a variable with
no bounds may be set to the largest numbers there are, of both signs, and the difference of
two such values does not fit in a number. It was written as `Infinity`, which is not JSON
(JavaScript's JSON.parse, jq and most tools refuse the whole file); a figure that cannot be
computed is null, as in the batch's JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

from click.testing import CliRunner

from sim.commands import Adjust
from sim.loader import load_scenario_text
from sim.session.journal import start_session
from sim.session.store import SessionStore
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _two_extreme_sessions(tmp_path: Path) -> Path:
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'monitoring: {initial: 0.1, min: 0, max: 1, label: "monitoring"',
        'monitoring: {initial: 0.1, label: "monitoring"',
    )
    assert 'monitoring: {initial: 0.1, label: "monitoring"' in text
    path = tmp_path / "unbounded.yaml"
    path.write_text(text, encoding="utf-8")
    store_path = tmp_path / "s.sqlite3"
    store = SessionStore.open(store_path)
    for value in (-1.7e308, 1.7e308):
        ex = start_session(store, load_scenario_text(text, str(path)), text, path, 1)
        ex.submit(Adjust(variable="monitoring", value=value, reason="typed"))
        ex.run_until(ex.now + 1)
        ex.end()
    return store_path


def _strict(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_a_difference_too_large_for_a_number_is_null(tmp_path: Path) -> None:
    store = _two_extreme_sessions(tmp_path)
    result = CliRunner().invoke(
        main, ["compare", "1", "2", "--format", "json", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    data = _strict(result.stdout)
    assert isinstance(data, dict)
    (row,) = [v for v in data["variables"] if v["variable"] == "monitoring"]
    assert row == {"variable": "monitoring", "a": -1.7e308, "b": 1.7e308, "difference": None}


def test_the_text_still_shows_the_overflow(tmp_path: Path) -> None:
    store = _two_extreme_sessions(tmp_path)
    result = CliRunner().invoke(main, ["compare", "1", "2", "--store", str(store)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("* monitoring"))
    assert line.split()[-1] == "+inf"  # B's 1.7e308 minus A's -1.7e308
    assert math.isinf(float(line.split()[-1]))
