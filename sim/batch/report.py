"""The HTML report of a batch: histograms of final variables (matplotlib) and the comparison.

One self-contained file: the charts are inline SVG with their text drawn as paths, there is
no script and no URL, so it opens offline and cannot fetch anything. Every text from the
scenario is HTML-escaped. matplotlib is a dependency of
tabletop (the after-action reports need it too).
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

from sim.batch.results import p_text
from sim.batch.runner import BatchResult
from sim.problems import TabletopError

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
        label = str(var["label"]) + (f" ({var['unit']})" if var["unit"] else "")
        ax.set_title(label, parse_math=False, fontsize=10)
        ax.set_ylabel("runs", fontsize=8)
        ax.tick_params(labelsize=8)
        if len(tally.policies) > 1:
            ax.legend(fontsize=7)
        fig.tight_layout()
        out.append((label, _svg(fig)))
        plt.close(fig)
    return out


def _pct(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{100 * x:.1f}%"


def _num(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.4g}"


def render(result: BatchResult, data: dict[str, Any]) -> str:
    """The report as one HTML page."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(data['title'])}: batch of {data['runs_done']} runs</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;"
        "padding:.2rem .5rem;text-align:left}td.n{text-align:right}.sig{font-weight:bold}"
        ".partial{color:#b00;font-weight:bold}</style></head><body>",
        f"<h1>{e(data['title'])}</h1>",
        f"<p>{data['runs_done']} of {data['runs_requested']} runs per policy, "
        f"root seed {data['root_seed']}.</p>",
    ]
    if data["partial"]:
        parts.append('<p class="partial">Partial results: the batch was interrupted.</p>')
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
                f"[{_pct(d['low'])}, {_pct(d['high'])}]</td><td class=n>{p_text(o['p_value'])}"
                "</td></tr>"
            )
        parts.append(
            "</table><table><tr><th>final variable</th><th>A − B [95% CI]</th><th>p</th></tr>"
        )
        for v in c["variables"]:
            cls = ' class="sig"' if v["significant"] else ""
            d = v["difference"]
            parts.append(
                f"<tr{cls}><td>{e(v['id'])}</td><td class=n>{_num(d['estimate'])} "
                f"[{_num(d['low'])}, {_num(d['high'])}]</td><td class=n>{p_text(v['p_value'])}"
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
        parts.append(f'<figure role="img" aria-label="{e(label)}">{svg}</figure>')
    if data["failures"]["count"]:
        parts.append(f"<h2>Failed replications: {data['failures']['count']}</h2><ul>")
        for f in data["failures"]["first"]:
            parts.append(
                f"<li>run {f['index']}, seed {f['seed']}, {e(f['policy'])}: {e(f['error'])}</li>"
            )
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_report(result: BatchResult, data: dict[str, Any], path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(render(result, data))
