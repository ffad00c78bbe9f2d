"""The console never reaches into SimPy: time policy lives in sim.pacing."""

from __future__ import annotations

import ast
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "tui"


def test_no_console_module_imports_simpy_or_touches_the_engine_environment() -> None:
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names]
                module = getattr(node, "module", None) or ""
                assert "simpy" not in (module, *names), path
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("peek", "_advance", "_advance_to", "_queue"), (
                    path,
                    node.attr,
                )
                if node.attr == "env":  # the exercise's SimPy environment (not os.environ)
                    owner = node.value
                    name = getattr(owner, "id", None) or getattr(owner, "attr", None)
                    assert name not in ("exercise", "ex"), (path, node.lineno)
