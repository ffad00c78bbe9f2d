"""Deterministic across processes: hash seeds, time zones, locales, folders, paths, terminals.

The same scenario, seed and decider give the same bytes from `tabletop run`, whatever the
process around it: PYTHONHASHSEED, TZ, LC_ALL and the terminal width, the working folder,
and the scenario named by an absolute or a relative path or through a symbolic link.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOWCASE = ROOT / "scenarios" / "showcase.yaml"  # format v2: calendar, drift, branches...


def tabletop(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    whole = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON"))}
    whole.update(env)
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=cwd,
        env=whole,
        capture_output=True,
        timeout=120,
    )


RUN = ("--seed", "3", "--decider", "random")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The run's JSON and text, written to files by a plain process."""
    tmp = tmp_path_factory.mktemp("reference")
    out = {}
    for fmt in ("json", "text"):
        target = tmp / f"run.{fmt}"
        done = tabletop("run", str(SHOWCASE), *RUN, "--format", fmt, "--out", str(target), cwd=ROOT)
        assert done.returncode == 0, done.stderr
        out[fmt] = target.read_bytes()
    return out


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_the_process_around_a_run_never_changes_its_bytes(
    reference: dict[str, bytes], tmp_path: Path, fmt: str
) -> None:
    link = tmp_path / "linked.yaml"
    link.symlink_to(SHOWCASE)
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(SHOWCASE.read_bytes())
    ways = {
        "hash seed 0, Chatham time": (
            str(SHOWCASE),
            ROOT,
            {"PYTHONHASHSEED": "0", "TZ": "Pacific/Chatham", "COLUMNS": "20"},
        ),
        "hash seed 4242, Kathmandu time": (
            "linked.yaml",
            tmp_path,
            {"PYTHONHASHSEED": "4242", "TZ": "Asia/Kathmandu", "COLUMNS": "300"},
        ),
        "C locale, another folder": ("./copy.yaml", tmp_path, {"LC_ALL": "C.UTF-8", "TZ": "UTC"}),
    }
    for way, (scenario, cwd, env) in ways.items():
        done = tabletop("run", scenario, *RUN, "--format", fmt, cwd=cwd, **env)
        assert done.returncode == 0, (way, done.stderr)
        assert done.stdout == reference[fmt], way


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},  # as a pipe on Windows (cp1252) would be
        {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    ],
    ids=["ascii", "latin-1", "C-locale-without-utf8-mode"],
)
def test_a_run_piped_under_a_locale_that_is_not_utf8_gives_the_same_bytes(
    reference: dict[str, bytes], env: dict[str, str]
) -> None:
    """Text with arrows and dashes piped under an ASCII or Latin-1 locale: the same bytes as
    --out writes, never a traceback."""
    done = tabletop("run", str(SHOWCASE), *RUN, "--format", "text", cwd=ROOT, **env)
    assert b"Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr[-300:]
    assert done.stdout == reference["text"]
