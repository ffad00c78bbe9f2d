"""The paired comparison names variables as the per-policy section does: by label, with units."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from batch_helpers import QUICKSTART
from click.testing import CliRunner

from tui.cli import main

BOOK = "quickstart--cooperate"
OTHER = "quickstart--go-it-alone"


def _batch(scenario: str, *extra: str) -> str:
    result = CliRunner().invoke(
        main,
        [
            "batch",
            scenario,
            "--runs",
            "20",
            "--seed",
            "3",
            "--playbook",
            BOOK,
            "--playbook",
            OTHER,
            *extra,
        ],
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _section(out: str, heading: str) -> list[str]:
    """The variable lines under a heading that starts with `heading` (up to a blank line or the
    next heading of the same section)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith(("    ", "  * ")):
            break
        rows.append(line)
    return rows


def test_paired_variables_are_named_by_label_with_the_same_units() -> None:
    out = _batch("quickstart")
    per_policy = _section(out, "Final variables: mean [95% CI]")
    paired = _section(out, "Final variables: mean difference")
    assert len(per_policy) == len(paired) == 5
    for label in ("ally trust", "cables exposed", "public trust", "ACD powers", "monitoring"):
        assert any(row.strip().startswith(label) for row in per_policy), label
        assert any(row.strip(" *").startswith(label) for row in paired), label
    assert not any("ally_trust" in row or "data_exposed" in row for row in paired)
    # the unit of 'cables exposed' (k) follows its figures in both sections
    assert next(r for r in per_policy if "cables exposed" in r).endswith(" k")
    assert re.search(r"cables exposed +\S+ \[\S+, \S+\] k  p=", out)


def test_two_variables_with_one_label_are_told_apart_by_id(tmp_path: Path) -> None:
    text = QUICKSTART.read_text(encoding="utf-8").replace(
        'label: "public trust"', 'label: "ally trust"'
    )
    path = tmp_path / "quickstart.yaml"
    path.write_text(text, encoding="utf-8")
    out = _batch(str(path))
    for heading in ("Final variables: mean [95% CI]", "Final variables: mean difference"):
        rows = _section(out, heading)
        assert sum("ally trust (ally_trust)" in r for r in rows) == 1, heading
        assert sum("ally trust (public_trust)" in r for r in rows) == 1, heading


def test_the_json_and_csv_keep_naming_variables_by_id(tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    _batch("quickstart", "--format", "json", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [v["id"] for v in data["comparisons"][0]["variables"]][:1] == ["ally_trust"]
    assert set(data["comparisons"][0]["variables"][0]) == {
        "id",
        "difference",
        "p_value",
        "significant",
    }


def test_the_report_names_paired_variables_as_its_histograms_do(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    report = tmp_path / "r.html"
    _batch("quickstart", "--report", str(report))
    page = report.read_text(encoding="utf-8")
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert "cables exposed (k)" in captions and "ally trust" in captions
    paired = page[page.index("<th>final variable</th>") : page.index("<h2>Final variables")]
    rows = re.findall(r"<tr[^>]*><td>(.*?)</td>", paired)
    assert rows == captions
