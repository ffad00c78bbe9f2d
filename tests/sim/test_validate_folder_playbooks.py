"""`tabletop validate FOLDER` checks each playbook against its own scenario when the folder holds
several versions of one scenario (drafts, the tutorial's steps): the file beside the playbook
that it is named after (`tutorial--alone.yaml` is for `tutorial.yaml`), then one in its folder,
never whichever draft sorts first."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_the_tutorials_playbooks_are_checked_against_the_finished_scenario() -> None:
    out = validate(str(EXAMPLES))[1]
    assert "tutorial--alone.yaml: ok (playbook" in out
    assert "tutorial--together.yaml: ok (playbook" in out


def test_a_playbook_is_checked_against_the_scenario_it_is_named_after(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "steps" / "step4.yaml", tmp_path / "a-draft.yaml")  # no decision yet
    shutil.copy(EXAMPLES / "tutorial.yaml", tmp_path / "tutorial.yaml")
    shutil.copy(EXAMPLES / "tutorial--alone.yaml", tmp_path / "tutorial--alone.yaml")
    code, out = validate(str(tmp_path))
    assert code == 0, out
    assert "tutorial--alone.yaml: ok (playbook" in out


def test_a_playbook_in_a_sub_folder_prefers_the_scenario_beside_it(tmp_path: Path) -> None:
    (tmp_path / "a_old").mkdir()
    (tmp_path / "b_new").mkdir()
    shutil.copy(EXAMPLES / "steps" / "step4.yaml", tmp_path / "a_old" / "botnet.yaml")
    shutil.copy(EXAMPLES / "tutorial.yaml", tmp_path / "b_new" / "botnet.yaml")
    shutil.copy(EXAMPLES / "tutorial--alone.yaml", tmp_path / "b_new" / "policy.yaml")
    code, out = validate(str(tmp_path))
    assert code == 0, out


def test_a_playbook_wrong_for_every_version_is_still_reported(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "tutorial.yaml", tmp_path / "tutorial.yaml")
    shutil.copy(EXAMPLES / "steps" / "together-typo.yaml", tmp_path / "tutorial--together.yaml")
    code, out = validate(str(tmp_path))
    assert code == 1
    assert "'together' is not an option of 'first_move'" in out
