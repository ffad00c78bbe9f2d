"""The after-action report as JSON (format tabletop-aar/1), for other tools."""

from __future__ import annotations

import json

from sim.analysis.model import Aar


def aar_json(aar: Aar) -> str:
    """Stable JSON: the same report gives the same text."""
    return json.dumps(aar.to_json_data(), indent=2, ensure_ascii=False) + "\n"
