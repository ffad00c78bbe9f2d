"""Hostile characters that print as nothing (zero-width spaces, soft hyphens, a byte-order
mark inside a line) or that split a line (U+2028): a problem about them shows them as escapes,
and each problem stays one line whoever splits the output into lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import invoke, scenario

INVISIBLE = ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2028", "\u2029", "\u3000"]


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_an_id_with_an_invisible_character_shows_it(tmp_path: Path, ch: str) -> None:
    """'i0\u200b' printed as 'i0' ("'i0' is not a valid id"), and U+2028 broke the line."""
    text = scenario().replace("id: i0", f"id: 'i0{ch}'").replace("from: gov", f"from: 'gov{ch}'")
    breaks = ch in "\u2028\u2029"  # a line break to YAML: a key cannot hold one
    if not breaks:
        text = text.replace("v: {initial: 0}", f"v: {{'initial{ch}': 0, initial: 0}}")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    code, out = invoke("validate", str(path))
    assert code == 1
    shown = f"\\u{ord(ch):04x}"
    lines = out.splitlines()  # Python splits at U+2028 and U+2029 too
    assert len(lines) == 2 if breaks else 3
    assert all(line.startswith(f"{path}:") for line in lines)  # each line one whole problem
    if not breaks:
        assert f"unknown key 'initial{shown}' (did you mean 'initial'?)" in out
    assert f"'i0{shown}' is not a valid id" in out
    assert f"'gov{shown}' is not a valid id" in out
    assert all(c.isprintable() for c in out.replace("\n", ""))


def test_text_shown_to_the_room_keeps_its_characters(tmp_path: Path) -> None:
    """Only problem messages escape them: an inject's text is the author's."""
    text = scenario().replace("text: Hi", "text: 'Hi\u200bthere\u3000and\u00adon'")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    code, out = invoke("run", str(path))
    assert code == 0
    assert "Hi\u200bthere\u3000and\u00adon" in out
