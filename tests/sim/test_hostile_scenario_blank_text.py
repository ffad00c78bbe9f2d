"""Hostile blank text: a decision whose prompt is empty and whose options are labelled with
nothing or spaces shows the room choices it cannot tell apart. Text the room reads must say
something, as an inject's text already had to."""

from __future__ import annotations

from pathlib import Path

from hostile_cli import refused_everywhere, scenario

BLANK = """\
injects:
  - {id: i0, at: 1, from: gov, to: [gov], text: '   ', invented: true, decision: d}
decisions:
  - {id: d, owner: gov, prompt: '', deadline: 1, default: a, options: [{id: a, label: ''}, {id: b, label: '  '}]}
"""


def test_blank_text_the_room_reads_is_refused(tmp_path: Path) -> None:
    text = scenario(BLANK).replace("name: Gov,", "name: ' ',").replace("title: H", "title: ''")
    assert refused_everywhere(tmp_path, text) == [
        "s.yaml:4:10: must not be empty",
        "s.yaml:9:21: must not be empty",
        "s.yaml:15:49: must not be empty",
        "s.yaml:17:33: must not be empty",
        "s.yaml:17:87: must not be empty",
        "s.yaml:17:107: must not be empty",
    ]
