"""The samples shown in docs/after-action-reports.md, made the way the commands make them.

test_aar_docs.py regenerates them and compares them with the document; run
``.venv/bin/python tests/analysis/aar_samples.py`` to rewrite the document after a deliberate
change.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SAMPLE_SCENARIO = "quickstart"
SAMPLE_SEED = 2020
SAMPLE_PLAYBOOK = "quickstart--go-it-alone"
SAMPLE_WHAT_IF = "quickstart--cooperate"
MARK = re.compile(
    r"(<!-- generated: (?P<name>[\w-]+) -->\n```\w*\n)(?P<body>.*?)(```\n<!-- end: (?P=name) -->)",
    re.DOTALL,
)


def samples() -> dict[str, str]:
    """Each generated block of the document, by name."""
    from sim.analysis.markdown import aar_markdown, handbook_markdown, manual_markdown
    from sim.analysis.model import build_aar
    from sim.analysis.pack import msel_csv, package
    from sim.analysis.sources import headless_input, with_branch
    from sim.bundled import resolve
    from sim.loader import load_scenario

    path = resolve(SAMPLE_SCENARIO)
    assert path is not None
    scenario = load_scenario(path)
    played = headless_input(scenario, SAMPLE_SEED, SAMPLE_PLAYBOOK)
    branch = headless_input(scenario, SAMPLE_SEED, SAMPLE_WHAT_IF)
    report = aar_markdown(build_aar(with_branch(played, branch), "players"))
    made = package(scenario)
    manual = manual_markdown(made.manual)
    book = handbook_markdown(made.handbook)
    evaluation = book[book.index("## 4. Evaluation guide") : book.index("## 5. The control cell")]
    csv_lines = msel_csv(made.handbook).replace("\r\n", "\n").splitlines(keepends=True)
    return {
        "aar-players-md": report,
        "situation-manual-md": manual,
        "handbook-evaluation-md": evaluation.rstrip("\n") + "\n",
        "msel-csv": "".join(csv_lines[:4]),
    }


def refresh(text: str, made: dict[str, str]) -> str:
    """The document with every generated block replaced by its fresh sample."""

    def put(m: re.Match[str]) -> str:
        return m.group(1) + made[m.group("name")] + m.group(4)

    return MARK.sub(put, text)


def blocks(text: str) -> dict[str, str]:
    """The generated blocks the document holds now."""
    return {m.group("name"): m.group("body") for m in MARK.finditer(text)}


def main() -> None:
    doc = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/after-action-reports.md")
    doc.write_text(refresh(doc.read_text(encoding="utf-8"), samples()), encoding="utf-8")
    print(f"wrote {doc}")


if __name__ == "__main__":
    main()
