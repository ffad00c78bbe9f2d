"""Finding the scenarios and playbooks shipped with tabletop, and resolving names to files."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def scenario_dir() -> Path:
    return Path(str(files("scenarios")))


def bundled_scenarios() -> list[Path]:
    """The bundled scenario files, quickstart first."""
    found = sorted(scenario_dir().glob("*.yaml"))
    return sorted(found, key=lambda p: (p.stem != "quickstart", p.stem))


def bundled_playbooks(scenario_id: str | None = None) -> list[Path]:
    """Bundled playbooks (files named '<scenario id>--<policy>.yaml')."""
    found = sorted((scenario_dir() / "playbooks").glob("*.yaml"))
    if scenario_id is None:
        return found
    return [p for p in found if p.stem.split("--")[0] == scenario_id]


def resolve(name: str, kind: str = "scenario") -> Path | None:
    """A path as given if it exists, else the bundled scenario or playbook of that name."""
    path = Path(name)
    try:
        if path.is_file():
            return path
    except OSError:  # a name too long for the system, say: there is no such file
        pass
    pool = bundled_scenarios() if kind == "scenario" else bundled_playbooks()
    for candidate in pool:
        if candidate.stem == name or candidate.name == name:
            return candidate
    return None


def bundled_names(kind: str = "scenario") -> list[str]:
    pool = bundled_scenarios() if kind == "scenario" else bundled_playbooks()
    return [p.stem for p in pool]
