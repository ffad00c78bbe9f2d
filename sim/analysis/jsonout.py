"""The after-action report as JSON (format tabletop-aar/1), for other tools."""

from __future__ import annotations

import json
import re

from sim.analysis.model import Aar

_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # json escapes C0 itself


def aar_json(aar: Aar) -> str:
    """Stable, strict JSON: the same report gives the same text, with no character that could
    control a terminal or reorder text (they are written as \\u escapes)."""
    text = json.dumps(aar.to_json_data(), indent=2, ensure_ascii=False, allow_nan=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
