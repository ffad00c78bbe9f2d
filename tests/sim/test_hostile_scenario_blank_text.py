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


INVISIBLE = """\
injects:
  - {id: i0, at: 1, from: gov, to: [gov], text: "\\u200b\\u2060", invented: true, decision: d}
decisions:
  - {id: d, owner: gov, prompt: "\\u00ad", deadline: 1, default: a, options: [{id: a, label: "\\ufeff \\u200b"}, {id: b, label: "B\\u200b"}]}
"""


def test_text_of_characters_that_print_as_nothing_is_blank_too(tmp_path: Path) -> None:
    """Zero-width spaces, a soft hyphen, a word joiner, a byte-order mark: the room reads
    nothing, as with spaces, yet the check took them for text."""
    text = scenario(INVISIBLE)
    assert refused_everywhere(tmp_path, text) == [
        "s.yaml:15:49: must not be empty",
        "s.yaml:17:33: must not be empty",
        "s.yaml:17:93: must not be empty",
    ]
