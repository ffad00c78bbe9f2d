"""Charts of variables over time, decisions marked, as inline SVG that is the same every time.

matplotlib draws on a bare ``Figure`` with an Agg canvas (no pyplot, no global backend or
state), saved as SVG. The output is made stable and offline: a fixed hash salt for ids, no
date or creator metadata, text kept as text (never mathtext), and no XML declaration,
DOCTYPE or namespace URL left in the element, whose ids are prefixed so that several charts
share one page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any, cast

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.analysis.model import Aar, Chart, DecisionResult, Series

RC: dict[str, Any] = {
    "svg.hashsalt": "tabletop",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
}
TITLE_CHARS = 80
"""A chart's title (its variable's label) is cut to one line this long, which fits its width;
the whole label is in the report's table of final values."""
UNIT_CHARS = 30
DRAWN_AS_IS = 1e300
"""Larger values are drawn divided by SCALE_DOWN (the axis says so): matplotlib's scale
overflows for values near the largest float (1.8e308)."""
SCALE_DOWN = 1e10
AS_PLAYED = "#1f4e79"
BRANCH = "#b35900"
DECISION = "#777777"


def one_line(text: str, most: int) -> str:
    """``text`` on one line of at most ``most`` characters (cut with an ellipsis): a title of
    several lines would be drawn above the chart's top edge and cut off."""
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1] + "…"


def charts(aar: Aar) -> tuple[Chart, ...]:
    """One chart per variable the edition shows, in scenario order."""
    branch = {s.variable: s for s in aar.branch_series}
    labels = (aar.comparison.label_a, aar.comparison.label_b) if aar.comparison else ("", "")
    return tuple(
        Chart(
            s.variable,
            s.label,
            _svg(s, branch.get(s.variable), aar.decisions, aar.time_axis, labels, i),
        )
        for i, s in enumerate(aar.series, start=1)
    )


def _svg(
    series: Series,
    branch: Series | None,
    decisions: Sequence[DecisionResult],
    axis: str,
    labels: tuple[str, str],
    number: int,
) -> str:
    per = 24.0 if axis == "days" else 1.0
    values = [*series.values, *(branch.values if branch else ())]
    scale = SCALE_DOWN if max((abs(v) for v in values), default=0.0) > DRAWN_AS_IS else 1.0
    with rc_context(cast(Any, RC)):
        fig = Figure(figsize=(7.0, 2.2))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.step(
            [h / per for h in series.hours],
            [v / scale for v in series.values],
            where="post",
            color=AS_PLAYED,
            linewidth=1.6,
            label=labels[0] or None,
        )
        if branch is not None:
            ax.step(
                [h / per for h in branch.hours],
                [v / scale for v in branch.values],
                where="post",
                color=BRANCH,
                linewidth=1.4,
                linestyle="--",
                label=labels[1] or None,
            )
            ax.legend(loc="best", frameon=False, fontsize=8)
        for d in decisions:
            x = d.hours / per
            ax.axvline(x, color=DECISION, linestyle=":", linewidth=0.9)
            ax.annotate(
                str(d.number),
                (x, 1.0),
                xycoords=("data", "axes fraction"),
                ha="center",
                va="bottom",
                fontsize=8,
                color=DECISION,
            )
        ax.set_xlabel(f"scenario {axis} from the start")
        unit = one_line(series.unit, UNIT_CHARS) or "value"
        ax.set_ylabel(unit if scale == 1.0 else f"{unit} (÷ {scale:g})")
        ax.set_title(one_line(series.label, TITLE_CHARS), loc="left", fontsize=10, pad=12)
        ax.margins(x=0.01)
        if values and min(values) == max(values) and scale == 1.0:
            v = values[0]
            pad = max(abs(v) * 0.5, 0.5)
            low = v - pad if series.low is None else max(series.low, v - pad)
            high = v + pad if series.high is None else min(series.high, v + pad)
            ax.set_ylim(low - 0.02 * (high - low), high + 0.02 * (high - low))
        fig.subplots_adjust(left=0.085, right=0.985, bottom=0.2, top=0.8)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(buf.getvalue(), f"c{number}-")


_DROP = [
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*"),
    re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL),
    re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL),
    re.compile(r'\s+xmlns(:\w+)?="[^"]*"'),
]


def _inline(svg: str, prefix: str) -> str:
    for pattern in _DROP:
        svg = pattern.sub("", svg)
    ids = re.findall(r'\bid="([^"]+)"', svg)
    for ident in sorted(set(ids), key=len, reverse=True):
        svg = svg.replace(f'id="{ident}"', f'id="{prefix}{ident}"')
        svg = svg.replace(f'"#{ident}"', f'"#{prefix}{ident}"')
        svg = svg.replace(f"url(#{ident})", f"url(#{prefix}{ident})")
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 role="img"', svg, count=1)
    return svg.strip() + "\n"
