"""`tabletop new` writes its files (scenario, playbook, schemas) all or none: a disk that fills
up or Ctrl-C part-way leaves the folder as it was. Before, a half-written scenario or schema
stayed behind, and the next `tabletop new` refused to overwrite it ('already exists')."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

TABLETOP = Path(sys.executable).with_name("tabletop")


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def _sizes() -> dict[str, int]:
    from sim.authoring.scaffold import starter_playbook, starter_scenario
    from sim.jsonschema import scenario_json_schema_text

    return {
        "scenario": len(starter_scenario("demo").encode()),
        "playbook": len(starter_playbook("demo").encode()),
        "schema": len(scenario_json_schema_text().encode()),
    }


@pytest.mark.parametrize("existing", [True, False], ids=["existing folder", "new folder"])
def test_a_disk_that_fills_up_part_way_leaves_the_folder_as_it_was(
    tmp_path: Path, existing: bool
) -> None:
    """The scenario and the playbook fit, the scenario's JSON Schema does not."""
    sizes = _sizes()
    limit = max(sizes["scenario"], sizes["playbook"]) + 1
    assert sizes["schema"] > limit
    out = tmp_path / "work"
    if existing:
        out.mkdir()
        (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [TABLETOP, "new", "demo", "--dir", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == (
        f"error: cannot write {out / 'scenario.schema.json'}: File too large"
    )
    assert snapshot(tmp_path) == before
    again = CliRunner().invoke(main, ["new", "demo", "--dir", str(out)])  # nothing in the way
    assert again.exit_code == 0, again.output


def test_ctrl_c_part_way_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted() -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("sim.authoring.playbookschema.playbook_json_schema_text", interrupted)
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(main, ["new", "demo", "--dir", str(tmp_path)])
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


def test_a_file_in_the_way_of_the_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(main, ["new", "demo", "--dir", str(tmp_path / "afile" / "sub")])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write "), result.output
    assert snapshot(tmp_path) == before


def test_new_into_a_folder_keeps_its_other_files_and_modes(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    mask = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["new", "demo", "--dir", str(tmp_path)])
    finally:
        os.umask(mask)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "demo--example.yaml",
        "demo.yaml",
        "notes.txt",
        "playbook.schema.json",
        "scenario.schema.json",
    ]
    assert (tmp_path / "demo.yaml").stat().st_mode & 0o777 == 0o644
