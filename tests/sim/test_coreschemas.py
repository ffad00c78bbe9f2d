"""`validate` builds the sections' validators from core schemas generated ahead of time
(sim/coreschemas.py): they are what pydantic generates now, they are used only when certain to
be, and every file in the repository validates the same way with them as without them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim import coreschemas, coreschemas_data, loader
from sim.validation import check_all, expand

ROOT = Path(__file__).resolve().parents[2]
CORPUS = [
    ROOT / "scenarios",
    ROOT / "docs" / "examples",
    ROOT / "tests" / "data",
]


FOR_THIS_INSTALL = coreschemas.built_for_this_install()
only_for_their_versions = pytest.mark.skipif(
    not FOR_THIS_INSTALL,
    reason=f"the generated schemas were written with {coreschemas.generated_for()}; this "
    "install has other versions, so validate asks pydantic (run python -m sim.coreschemas)",
)
"""A fresh install may resolve newer pydantic releases than the schemas were written with:
then they are not used, which the tests below check, and the comparisons with them skip."""


@only_for_their_versions
def test_the_generated_schemas_are_what_pydantic_generates_now() -> None:
    assert coreschemas.DATA.read_text(encoding="utf-8") == coreschemas.generated_source(), (
        "sim/schema.py or pydantic changed: run `python -m sim.coreschemas` and commit "
        "sim/coreschemas_data.py"
    )


@pytest.fixture
def prebuilt(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Switch the generated validators on or off in this process (fresh caches each time)."""

    def use(on: bool) -> None:
        monkeypatch.setattr(coreschemas, "_may_use", lambda: on)
        monkeypatch.setattr(coreschemas, "_built", {})
        monkeypatch.setattr(loader, "_VALIDATORS", {})

    yield use


def _outcomes() -> list[tuple[Any, ...]]:
    files = expand(str(p) for p in CORPUS)
    assert len(files) > 100
    out = []
    for checked in check_all(files):
        out.append((checked.path, checked.kind, checked.title, [str(p) for p in checked.problems]))
    return out


def _scenarios() -> list[Any]:
    found = []
    for path in expand(str(p) for p in CORPUS):
        scenario, _ = loader.check_scenario_file(path)
        if scenario is not None:
            found.append(scenario.model_dump(mode="json", by_alias=True))
    return found


@only_for_their_versions
def test_every_file_validates_the_same_with_and_without_them(prebuilt: Any) -> None:
    prebuilt(True)
    assert coreschemas.prebuilt("Threat") is not None
    with_them, scenarios_with = _outcomes(), _scenarios()
    prebuilt(False)
    assert coreschemas.prebuilt("Threat") is None
    without, scenarios_without = _outcomes(), _scenarios()
    assert with_them == without
    assert any(problems for *_, problems in with_them)  # the bad files' problems were compared
    assert len(scenarios_with) > 20
    assert scenarios_with == scenarios_without


@pytest.mark.parametrize("key", ["PYTHON", "PYDANTIC", "PYDANTIC_CORE", "SOURCE"])
def test_they_are_not_used_when_anything_they_depend_on_differs(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    import pydantic_core
    from pydantic.version import VERSION

    this_install = {
        "PYTHON": sys.version_info[:2],
        "PYDANTIC": VERSION,
        "PYDANTIC_CORE": pydantic_core.__version__,
        "SOURCE": coreschemas.source_hash(),
    }
    for name, value in this_install.items():
        monkeypatch.setattr(coreschemas_data, name, value)
    assert coreschemas._matches()
    monkeypatch.setattr(coreschemas_data, key, "something else")
    assert not coreschemas._matches()


def test_validate_uses_them_and_other_commands_ask_pydantic() -> None:
    code = (
        "import sys\n"
        "from sim.validatecli import before_validating\n"
        "{setup}"
        "from sim.loader import check_scenario_file\n"
        "from sim.schema import Threat\n"
        "scenario, problems = check_scenario_file('scenarios/quickstart.yaml')\n"
        "assert scenario is not None and not problems\n"
        "print('sim.coreschemas_data' in sys.modules, Threat.__pydantic_complete__)\n"
    )
    # validate builds the sections' validators from the generated schemas when they are for
    # this install (the models are then never completed by pydantic), else asks pydantic
    used = "True False" if coreschemas._matches() else "True True"
    for setup, expected in (("before_validating()\n", used), ("", "False True")):
        done = subprocess.run(
            [sys.executable, "-c", code.format(setup=setup)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=True,
        )
        assert done.stdout.split() == expected.split()
