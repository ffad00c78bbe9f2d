"""HTML renderers: one self-contained, offline, print-ready page per document.

Jinja2 with autoescaping on: every text from a scenario or a session is escaped, so none of
it can become markup or template syntax, and control or bidirectional-override characters
are shown as visible escapes. The only unescaped parts are ours: the stylesheet
and the charts (matplotlib's SVG, whose text matplotlib escapes). A Content-Security-Policy
forbids loading anything, and the page holds no script.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from sim.analysis.model import Aar
from sim.analysis.pack import Handbook, SituationManual
from sim.safetext import printable


@cache
def environment() -> Environment:
    """The one Jinja environment of tabletop's documents (autoescape on, strict names)."""
    return Environment(
        loader=PackageLoader("sim.analysis", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        finalize=_visible,
    )


def _visible(value: Any) -> Any:
    """Text with control and bidirectional-override characters shown as escapes (ours kept)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


@cache
def stylesheet() -> str:
    return (files("sim.analysis") / "templates" / "style.css").read_text(encoding="utf-8")


def render(template: str, **context: Any) -> str:
    """A template rendered with the shared stylesheet."""
    return environment().get_template(template).render(css=stylesheet(), **context)


def edition_name(aar: Aar) -> str:
    return "players' edition" if aar.audience == "players" else "controller's edition"


def aar_html(aar: Aar, caveat: str = "") -> str:
    """The after-action report as one HTML page."""
    from sim.analysis.charts import charts

    return render(
        "aar.html.j2",
        aar=aar,
        o=aar.overview,
        charts=charts(aar),
        edition=edition_name(aar),
        edition_players=aar.audience == "players",
        caveat=caveat,
    )


def manual_html(manual: SituationManual) -> str:
    """The Situation Manual as one HTML page."""
    return render("sitman.html.j2", m=manual, caveat=manual.caveat)


def handbook_html(book: Handbook) -> str:
    """The Controller and Evaluator Handbook as one HTML page."""
    return render("handbook.html.j2", h=book, caveat=book.caveat)
