"""The batch report with a variable label of many lines: shown whole, drawn without warnings.

The label is drawn by matplotlib into the chart; a title of many lines could not fit above
the histogram, and matplotlib printed a UserWarning (with a source line of tabletop's) to
the user's terminal while the label ran off the chart.
"""

from __future__ import annotations

import html
import json
import re
import warnings
from pathlib import Path

import pytest
from batch_helpers import QUICKSTART
from click.testing import CliRunner

from tui.cli import main

LABEL = "\n".join(f"line {k}: <b>ally</b> & trust, said at length " * 3 for k in range(20))


def test_a_long_label_of_many_lines_is_shown_whole_without_warnings(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    text = QUICKSTART.read_text(encoding="utf-8")
    assert 'label: "ally trust"' in text
    scenario = tmp_path / "long-label.yaml"
    scenario.write_text(
        text.replace('label: "ally trust"', f"label: {json.dumps(LABEL)}"), encoding="utf-8"
    )
    report = tmp_path / "r.html"
    args = ["batch", str(scenario), "--runs", "3", "--playbook", "quickstart--cooperate"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(main, [*args, "--report", str(report)])
    assert result.exit_code == 0, result.stderr
    assert [str(w.message) for w in caught] == []
    page = report.read_text(encoding="utf-8")
    captions = [html.unescape(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)]
    assert LABEL in captions
