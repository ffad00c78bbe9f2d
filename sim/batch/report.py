"""The HTML report of a batch: histograms of final variables (matplotlib) and the comparison.

One self-contained file: the charts are inline SVG with their text drawn as paths, there is
no script and no URL, so it opens offline, and its Content-Security-Policy forbids fetching
anything even so (no image either: the charts are inline). Every text from the
scenario is shown as the after-action report shows it: control and bidirectional-override
characters as visible escapes (:func:`sim.safetext.printable`), then HTML-escaped. matplotlib
is a dependency of tabletop (the after-action reports need it too).
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

from sim.batch.results import p_text, variable_names
from sim.batch.runner import BatchResult
from sim.problems import TabletopError
from sim.safetext import printable

CSP = "default-src 'none'; style-src 'unsafe-inline'"
"""The page may load nothing: no script, font, stylesheet or image from anywhere (the same
policy as the after-action report's)."""
_XMLNS = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def check_report_support() -> None:
    """Fail before the batch runs if matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise TabletopError("--report needs matplotlib: pip install 'tabletop[report]'") from None


def _svg(figure: Any) -> str:
    buf = io.StringIO()
    figure.savefig(
        buf, format="svg", metadata={"Creator": None, "Date": None, "Format": None, "Type": None}
    )
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    return _XMLNS.sub("", text)


def histograms(result: BatchResult, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(variable label, inline SVG) for each variable: one histogram per policy, overlaid."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["svg.hashsalt"] = "tabletop"
    out = []
    tally = result.tally
    named = _variable_names(data)
    for i, var in enumerate(data["policies"][0]["variables"] if data["policies"] else []):
        fig, ax = plt.subplots(figsize=(6, 2.6))
        values = [[row[i] for row in pt.sample] for pt in tally.per_policy]
        flat = [v for vs in values for v in vs]
        if flat:
            low, high = min(flat), max(flat)
            bins = 30 if high > low else 1
            for p, vs in enumerate(values):
                if vs:
                    ax.hist(
                        vs,
                        bins=bins,
                        range=(low, high + (1e-9 if high == low else 0)),
                        alpha=0.5,
                        color=_COLOURS[p % len(_COLOURS)],
                        label=tally.policies[p],
                    )
        label = named[var["id"]]
        # the label is the figure's caption (HTML text, of any length), not drawn in the chart
        ax.set_ylabel("runs", fontsize=8)
        ax.tick_params(labelsize=8)
        if len(tally.policies) > 1 and flat:  # no runs, no bars: nothing to label
            ax.legend(fontsize=7)
        fig.tight_layout()
        out.append((label, _svg(fig)))
        plt.close(fig)
    return out


def _pct(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{100 * x:.1f}%"


def _num(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.4g}"


def _shown(value: object) -> str:
    """Text of the scenario's as the page's text: control characters as visible escapes,
    escaped, with a place to break the line in every long unbroken word, as in every other
    document (:func:`sim.analysis.html.breakable`: a 20,000-character word took a browser
    seconds to lay out, and overflowed the page)."""
    from markupsafe import Markup

    from sim.analysis.html import breakable

    text = printable(str(value))
    shown = breakable(text)
    return str(shown) if isinstance(shown, Markup) else html.escape(text)


def _plain(value: object) -> str:
    """Text of the scenario's where no markup may go (an attribute, the ``<title>``): control
    characters as visible escapes, then escaped, quotes included."""
    return html.escape(printable(str(value)))


def render(result: BatchResult, data: dict[str, Any]) -> str:
    """The report as one HTML page."""
    e = _shown  # never in an attribute or the <title> (no markup there): _plain there
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{_plain(data['title'])}: batch of {data['runs_done']} runs</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
        "overflow-wrap:anywhere}"
        "table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;"
        "padding:.2rem .5rem;text-align:left}td.n{text-align:right}.sig{font-weight:bold}"
        ".partial{color:#b00;font-weight:bold}figure{margin:1rem 0}"
        "figcaption{font-weight:bold;white-space:pre-line}</style></head><body>",
        f"<h1>{e(data['title'])}</h1>",
        f"<p>{data['runs_done']} of {data['runs_requested']} runs per policy, "
        f"root seed {data['root_seed']}.</p>",
    ]
    if data["partial"]:
        why = data.get("stopped") or "interrupted"
        parts.append(f'<p class="partial">Partial results: the batch stopped early: {e(why)}.</p>')
    parts.append("<h2>Objectives met (share of runs, 95% Wilson interval)</h2>")
    parts.append("<table><tr><th>objective</th>")
    parts += [f"<th>{e(p['name'])}</th>" for p in data["policies"]]
    parts.append("</tr>")
    for k, obj in enumerate(data["policies"][0]["objectives"] if data["policies"] else []):
        parts.append(f"<tr><td>{e(obj['id'])}<br><small>{e(obj['description'])}</small></td>")
        for p in data["policies"]:
            m = p["objectives"][k]["met"]
            parts.append(
                f'<td class="n">{_pct(m["estimate"])} [{_pct(m["low"])}, {_pct(m["high"])}]</td>'
            )
        parts.append("</tr>")
    parts.append("</table>")
    parts += _outcomes(data)
    named = _variable_names(data)
    for c in data["comparisons"]:
        parts.append(
            f"<h2>Paired comparison: {e(c['a'])} minus {e(c['b'])}</h2>"
            f"<p>{c['paired_runs']} pairs of runs with the same luck. Bold: significant at 5% "
            "(McNemar's exact test for objectives, paired normal test for variables).</p>"
            "<table><tr><th>objective met</th><th>A</th><th>B</th><th>A − B [95% CI]</th>"
            "<th>p</th></tr>"
        )
        for o in c["objectives"]:
            cls = ' class="sig"' if o["significant"] else ""
            d = o["difference"]
            parts.append(
                f"<tr{cls}><td>{e(o['id'])}</td><td class=n>{_pct(o['met_a'])}</td>"
                f"<td class=n>{_pct(o['met_b'])}</td><td class=n>{_pct(d['estimate'])} "
                f"[{_pct(d['low'])}, {_pct(d['high'])}]</td><td class=n>{e(p_text(o['p_value']))}"
                "</td></tr>"
            )
        parts.append(
            "</table><table><tr><th>final variable</th><th>A − B [95% CI]</th><th>p</th></tr>"
        )
        for v in c["variables"]:
            cls = ' class="sig"' if v["significant"] else ""
            d = v["difference"]
            parts.append(
                f"<tr{cls}><td>{e(named.get(v['id'], v['id']))}</td>"
                f"<td class=n>{_num(d['estimate'])} "
                f"[{_num(d['low'])}, {_num(d['high'])}]</td><td class=n>{e(p_text(v['p_value']))}"
                "</td></tr>"
            )
        parts.append("</table>")
    for s in data["sensitivity"]:
        parts.append(
            f"<h2>Sensitivity ({e(s['policy'])} decider)</h2><table>"
            "<tr><th>objective</th><th>decision</th><th>spread</th>"
            "<th>best option</th><th>worst option</th></tr>"
        )
        for o in s["objectives"]:
            for d in o["decisions"]:
                parts.append(
                    f"<tr><td>{e(o['id'])}</td><td>{e(d['decision'])}</td>"
                    f"<td class=n>{_pct(d['spread'])}</td>"
                    f"<td>{e(d['best']['option'])} {_pct(d['best']['estimate'])}</td>"
                    f"<td>{e(d['worst']['option'])} {_pct(d['worst']['estimate'])}</td></tr>"
                )
        parts.append("</table>")
    parts.append("<h2>Final variables</h2>")
    for label, svg in histograms(result, data):
        parts.append(
            f'<figure role="img" aria-label="{_plain(label)}">'
            f"<figcaption>{e(label)}</figcaption>"
            f"{svg}</figure>"
        )
    if data["failures"]["count"]:
        parts.append(f"<h2>Failed replications: {data['failures']['count']}</h2><ul>")
        for f in data["failures"]["first"]:
            parts.append(
                f"<li>run {f['index']}, seed {f['seed']}, {e(f['policy'])}: {e(f['error'])}</li>"
            )
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _variable_names(data: dict[str, Any]) -> dict[str, str]:
    """Each variable's id -> its name as the histograms' captions give it: the text output's
    name (``variable_names``), and the unit in parentheses."""
    return {
        k: name + (f" ({unit})" if unit else "") for k, (name, unit) in variable_names(data).items()
    }


def _ci(d: dict[str, Any]) -> str:
    return f"{_pct(d['estimate'])} [{_pct(d['low'])}, {_pct(d['high'])}]"


def _outcomes(data: dict[str, Any]) -> list[str]:
    """Threats (final status, branches taken), bills (final status, enacted) and retries: one
    column per policy. The policies share one scenario, so their lists line up."""
    e = _shown
    pols = data["policies"]
    if not pols:
        return []
    first = pols[0]
    head = "".join(f"<th>{e(p['name'])}</th>" for p in pols)
    parts: list[str] = []

    def table(title: str, rows: list[tuple[str, list[str]]]) -> None:
        parts.append(f"<h2>{title}</h2><table><tr><th></th>{head}</tr>")
        for label, cells in rows:
            parts.append(
                f"<tr><td>{label}</td>" + "".join(f"<td class=n>{c}</td>" for c in cells) + "</tr>"
            )
        parts.append("</table>")

    def counted(section: str, i: int, status: str) -> list[str]:
        return [
            f"{p[section][i]['outcomes'].get(status, 0)} ({_pct(_share(p, section, i, status))})"
            for p in pols
        ]

    if first["threats"]:
        rows = []
        for i, t in enumerate(first["threats"]):
            for status in t["outcomes"]:
                rows.append((f"{e(t['id'])}: {e(status)}", counted("threats", i, status)))
        table("Threats: final status (runs)", rows)
    branched = [(i, t) for i, t in enumerate(first["threats"]) if "branches" in t]
    if branched:
        rows = []
        for i, t in branched:
            for k, b in enumerate(t["branches"]):
                cells = [_ci(p["threats"][i]["branches"][k]) for p in pols]
                rows.append((f"{e(t['id'])}: {e(b['name'])}", cells))
        table("Threat branches taken (share of runs, 95% Wilson interval)", rows)
    if first["bills"]:
        rows = []
        for i, b in enumerate(first["bills"]):
            for status in b["outcomes"]:
                rows.append((f"{e(b['id'])}: {e(status)}", counted("bills", i, status)))
            rows.append((f"{e(b['id'])}: enacted", [str(p["bills"][i]["enacted"]) for p in pols]))
        table("Bills: final status (runs)", rows)
    if first["retries"]:
        rows = []
        for i, r in enumerate(first["retries"]):
            rows.append((f"{e(r['id'])}: retried", [_ci(p["retries"][i]["retried"]) for p in pols]))
            rows.append(
                (
                    f"{e(r['id'])}: retries per run",
                    [
                        f"{_num(m['estimate'])} [{_num(m['low'])}, {_num(m['high'])}]"
                        for m in (p["retries"][i]["mean"] for p in pols)
                    ],
                )
            )
        table("Retries (share of runs with a retry; mean retries per run, 95% CI)", rows)
    return parts


def _share(pol: dict[str, Any], section: str, i: int, status: str) -> float | None:
    runs = pol["runs"]
    return pol[section][i]["outcomes"].get(status, 0) / runs if runs else None
