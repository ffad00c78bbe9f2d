"""One entry point for the text formats of the after-action report."""

from __future__ import annotations

from sim.analysis.model import Aar


def render_aar(aar: Aar, fmt: str, caveat: str = "") -> str:
    """The report as 'html', 'md' or 'json' text (PDF is printed from the HTML)."""
    if fmt == "html":
        from sim.analysis.html import aar_html

        return aar_html(aar, caveat)
    if fmt == "md":
        from sim.analysis.markdown import aar_markdown

        return aar_markdown(aar, caveat)
    if fmt == "json":
        from sim.analysis.jsonout import aar_json

        return aar_json(aar)
    raise ValueError(f"unknown report format {fmt!r}")
