"""HTML renderers: one self-contained, offline, print-ready page per document.

Jinja2 with autoescaping on: every text from a scenario or a session is escaped, so none of
it can become markup or template syntax, and control or bidirectional-override characters
are shown as visible escapes. The only unescaped parts are ours: the stylesheet
and the charts (matplotlib's SVG, whose text matplotlib escapes). A Content-Security-Policy
forbids loading anything, and the page holds no script.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from sim.analysis.model import Aar
from sim.analysis.pack import Handbook, SituationManual
from sim.safetext import printable


@cache
def environment() -> Environment:
    """The one Jinja environment of tabletop's documents (autoescape on, strict names)."""
    env = Environment(
        loader=PackageLoader("sim.analysis", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        finalize=_visible,
    )
    env.filters["unbroken"] = _unbroken
    return env


def _visible(value: Any) -> Any:
    """Text with control and bidirectional-override characters shown as escapes (ours kept),
    and a place to break a line in every long unbroken word (:func:`breakable`)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        text = printable(value)
        return breakable(text) if len(text) > WORD else text
    return value


def _unbroken(value: Any) -> Markup:
    """Text as ``_visible`` shows it, without the places to break a line: for the page's
    ``<title>``, whose text a browser shows as it is (a ``<wbr>`` there would be seen)."""
    return Markup(escape(printable(str(value))))


WORD = 80
"""The longest run of non-space characters a page holds without a place to break the line."""
_LONG_WORD = re.compile(rf"\S{{{WORD + 1},}}")
_BREAK = Markup("<wbr>")


def breakable(text: str) -> str | Markup:
    """Text with a line-break opportunity (``<wbr>``, which adds no character to what is
    copied) after every ``WORD`` characters of a longer unbroken word, the rest escaped.

    A browser wraps a word longer than its line only by trying place after place in it:
    Chromium took about 8 s to print one 20,000-character word, so a hostile scenario could
    make a PDF take minutes. With a break every few characters, wrapping is cheap."""
    if _LONG_WORD.search(text) is None:
        return text
    out: list[str] = []
    done = 0
    for m in _LONG_WORD.finditer(text):
        out.append(escape(text[done : m.start()]))
        word = m.group()
        out.append(_BREAK.join(escape(word[i : i + WORD]) for i in range(0, len(word), WORD)))
        done = m.end()
    out.append(escape(text[done:]))
    return Markup("").join(out)


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
