"""docs/after-action-reports.md shows what the commands make today."""

from __future__ import annotations

from pathlib import Path

from aar_samples import blocks, refresh, samples

DOC = Path(__file__).resolve().parents[2] / "docs" / "after-action-reports.md"


def test_every_sample_in_the_document_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    made = samples()
    assert set(blocks(text)) == set(made), "the document names a sample that is not made"
    stale = [name for name, body in blocks(text).items() if body != made[name]]
    assert not stale, f"stale samples {stale}: run .venv/bin/python tests/analysis/aar_samples.py"
    assert refresh(text, made) == text


def test_the_document_names_every_option_and_file() -> None:
    from sim.analysis.cli import PACK_FILES, pack, report

    text = DOC.read_text(encoding="utf-8")
    for command in (report, pack):
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert f"`{opt}" in text or f"{opt} " in text, opt
    for name in PACK_FILES:
        assert name.split(".")[0] in text, name


def test_every_top_level_key_of_the_json_is_documented() -> None:
    import json

    from aar_helpers import all_formats, run

    text = DOC.read_text(encoding="utf-8")
    data = json.loads(all_formats(run("quickstart", 1), "players", ("json",))["json"])
    for key in data:
        assert f"`{key}`" in text, key
    for key in (*data["decisions"][0], *data["objectives"][0], *data["plan"][0]):
        assert f"`{key}`" in text, key
