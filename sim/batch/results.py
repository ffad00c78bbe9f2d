"""A batch's tally turned into statistics: JSON data (format tabletop-batch/1), text and CSV.

The JSON data is the single source: the text, the CSV and the HTML report are all drawn from
it. It holds no timings, so two batches with the same recipe give byte-identical JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from enum import StrEnum
from typing import Any

from sim.batch.aggregate import PolicyTally, Tally
from sim.batch.recipe import RANDOM
from sim.batch.replicate import RATINGS, Prepared, prepared
from sim.batch.runner import BatchResult
from sim.batch.stats import Interval, mcnemar, mean_interval, paired_difference, percentile, wilson
from sim.safetext import printable
from sim.vocab import ResponseStatus, ThreatStatus

JSON_FORMAT = "tabletop-batch/1"
MIN_CELL = 10
"""Fewest runs an option needs before sensitivity compares it."""
TOP_DECISIONS = 5
"""Decisions listed per objective in the sensitivity table."""


def _iv(iv: Interval) -> dict[str, float]:
    return {"estimate": iv.estimate, "low": iv.low, "high": iv.high}


def batch_data(result: BatchResult) -> dict[str, Any]:
    """Every statistic of the batch as plain JSON data."""
    prep = prepared(result.recipe)
    tally = result.tally
    info = prep.scenario.scenario
    return {
        "format": JSON_FORMAT,
        "scenario": info.id,
        "title": info.title,
        "root_seed": result.recipe.root_seed,
        "runs_requested": result.recipe.runs,
        "runs_done": tally.runs_done,
        "partial": result.partial,
        "stopped": result.stopped,
        "policies": [_policy(prep, tally, p) for p in range(len(tally.policies))],
        "comparisons": _comparisons(prep, tally),
        "sensitivity": [
            _sensitivity(prep, tally.per_policy[p], name)
            for p, name in enumerate(tally.policies)
            if name == RANDOM
        ],
        "failures": {
            "count": tally.failure_count,
            "first": [
                {"index": f.index, "seed": f.seed, "policy": f.policy, "error": f.error}
                for f in tally.failures
            ],
        },
    }


def _policy(prep: Prepared, tally: Tally, p: int) -> dict[str, Any]:
    pt = tally.per_policy[p]
    lay = prep.layout
    sc = prep.scenario
    n = pt.runs
    objectives = []
    rated = [o for o in sc.objectives if o.id in lay.objectives]  # not the evaluator's
    for i, obj in enumerate(rated):
        counts = pt.ratings[i]
        objectives.append(
            {
                "id": obj.id,
                "description": obj.description,
                **{
                    name: {"count": counts[k], **_iv(wilson(counts[k], n))}
                    for k, name in enumerate(RATINGS)
                },
            }
        )
    variables = []
    for i, name in enumerate(lay.variables):
        spec = sc.variables[name]
        values = sorted(row[i] for row in pt.sample)
        variables.append(
            {
                "id": name,
                "label": spec.label or name,
                "unit": spec.unit,
                "mean": _iv(mean_interval(n, pt.sums[i], pt.sums_sq[i])),
                "p5": percentile(values, 5),
                "p50": percentile(values, 50),
                "p95": percentile(values, 95),
            }
        )
    legislation = {r.id for r in sc.responses if r.kind == "legislation"}
    branches: dict[str, list[dict[str, Any]]] = {}
    for i, (threat, stage, to) in enumerate(lay.branches):
        k = pt.branches[i]
        branches.setdefault(threat, []).append(
            {
                "stage": stage,
                "to": to or None,
                "name": branch_name(stage, to),
                "count": k,
                **_iv(wilson(k, n)),
            }
        )
    return {
        "name": tally.policies[p],
        "runs": n,
        "failed": pt.failed,
        "objectives": objectives,
        "variables": variables,
        "injects": [
            {"id": inj, "fired": pt.injects[i], **_iv(wilson(pt.injects[i], n))}
            for i, inj in enumerate(lay.injects)
        ],
        "decisions": [
            {
                "id": d,
                "posed": n - pt.decisions[i][-1],
                "options": {
                    pt.option_name(i, code): pt.decisions[i][code]
                    for code in sorted(pt.decisions[i])
                    if code >= 0 or code == -2
                },
            }
            for i, d in enumerate(lay.decisions)
        ],
        "threats": [
            {
                "id": t,
                "outcomes": _every(pt.threats[i], ThreatStatus),
                **({"branches": branches[t]} if t in branches else {}),
            }
            for i, t in enumerate(lay.threats)
        ],
        "bills": [
            {
                "id": r,
                "outcomes": _every(pt.responses[i], ResponseStatus),
                "enacted": pt.succeeded[i],
            }
            for i, r in enumerate(lay.responses)
            if r in legislation
        ],
        "retries": [
            {
                "id": r,
                "retried": {"count": pt.retried[i], **_iv(wilson(pt.retried[i], n))},
                "mean": _count_mean(n, pt.retry_sums[i], pt.retry_sums_sq[i]),
            }
            for i, r in enumerate(lay.retrying)
        ],
        "responses_succeeded": {r: pt.succeeded[i] for i, r in enumerate(lay.responses)},
        "kinds_succeeded": dict(sorted(pt.kinds_succeeded.items())),
        "expression_failures": pt.expression_failures,
    }


def _count_mean(n: int, total: int, total_sq: int) -> dict[str, float]:
    """The mean of a count per run, its interval cut at 0 (a count is never negative)."""
    iv = mean_interval(n, total, total_sq)
    low = iv.low if math.isnan(iv.low) else max(0.0, iv.low)
    return {"estimate": iv.estimate, "low": low, "high": iv.high}


def branch_name(stage: str, to: str) -> str:
    """A branch as people read it: 'access -> steal', or 'access -> (end)' when it ends the
    campaign (a stage may be called 'end': the parentheses keep the two apart)."""
    return f"{stage} -> {to or '(end)'}"


def _every(seen: Counter[str], statuses: type[StrEnum]) -> dict[str, int]:
    """Every possible final status with its count (0 included), in the vocabulary's order; a
    status outside it (none today) after them, so no run goes uncounted."""
    out = {str(s): seen.get(str(s), 0) for s in statuses}
    out.update(sorted((k, v) for k, v in seen.items() if k not in out))
    return out


def _comparisons(prep: Prepared, tally: Tally) -> list[dict[str, Any]]:
    out = []
    lay = prep.layout
    for pair in tally.pairs:
        a, b = tally.per_policy[pair.a], tally.per_policy[pair.b]
        objectives = []
        for i, obj in enumerate(lay.objectives):
            test = mcnemar(pair.only_a[i], pair.only_b[i], pair.n)
            objectives.append(
                {
                    "id": obj,
                    "met_a": _share(a.ratings[i][0], a.runs),
                    "met_b": _share(b.ratings[i][0], b.runs),
                    "difference": _iv(test.difference),
                    "only_a": test.only_a,
                    "only_b": test.only_b,
                    "p_value": test.p_value,
                    "significant": test.significant,
                }
            )
        variables = []
        for i, var in enumerate(lay.variables):
            diff = paired_difference(pair.n, pair.diff_sums[i], pair.diff_sums_sq[i])
            variables.append(
                {
                    "id": var,
                    "difference": _iv(diff.difference),
                    "p_value": diff.p_value,
                    "significant": diff.significant,
                }
            )
        out.append(
            {
                "a": tally.policies[pair.a],
                "b": tally.policies[pair.b],
                "paired_runs": pair.n,
                "objectives": objectives,
                "variables": variables,
            }
        )
    return out


def _share(k: int, n: int) -> float:
    return k / n if n else float("nan")


def _sensitivity(prep: Prepared, pt: PolicyTally, name: str) -> dict[str, Any]:
    """Per objective, the decisions whose options move its met share the most.

    For each decision, the met share is taken among the runs that took each option (runs where
    it was never posed are left out: that is an outcome, not a choice); the spread is the best
    share minus the worst, over options seen in at least MIN_CELL runs. With the random decider
    the options are assigned at random, so a spread is an effect of the option, blurred only by
    the other decisions' chance.
    """
    lay = prep.layout
    objectives = []
    for k, obj in enumerate(lay.objectives):
        rows: list[dict[str, Any]] = []
        for i, d in enumerate(lay.decisions):
            cells = [
                (pt.option_name(i, code), c[k][1], c[k][0])
                for code, c in sorted(pt.by_option[i].items())
                if code >= 0 and c[k][0] >= MIN_CELL
            ]
            if len(cells) < 2:
                continue
            shares = [c[1] / c[2] for c in cells]
            if max(shares) == min(shares):
                continue  # every option gives the same share: the decision does not move it
            best = max(cells, key=lambda c: c[1] / c[2])
            worst = min(cells, key=lambda c: c[1] / c[2])
            rows.append(
                {
                    "decision": d,
                    "spread": best[1] / best[2] - worst[1] / worst[2],
                    "best": {"option": best[0], "runs": best[2], **_iv(wilson(best[1], best[2]))},
                    "worst": {
                        "option": worst[0],
                        "runs": worst[2],
                        **_iv(wilson(worst[1], worst[2])),
                    },
                }
            )
        rows.sort(key=lambda r: (-r["spread"], r["decision"]))
        objectives.append({"id": obj, "decisions": rows[:TOP_DECISIONS]})
    return {"policy": name, "objectives": objectives}


# --- output formats -------------------------------------------------------------------------


def to_json(data: dict[str, Any]) -> str:
    """Strict JSON: a figure that cannot be computed (no runs) is null, never NaN."""
    return json.dumps(_clean(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if value != value or value in (float("inf"), float("-inf")) else value
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _pct(x: float | None) -> str:
    return "  n/a" if x is None or x != x else f"{100 * x:5.1f}%"


def _ci(d: dict[str, float]) -> str:
    return f"{_pct(d['estimate'])} [{_pct(d['low']).strip()}, {_pct(d['high']).strip()}]"


def _num(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.4g}"


def _num_ci(d: dict[str, float]) -> str:
    """A number and its 95% interval: '1.5 [1.2, 1.8]'."""
    return f"{_num(d['estimate'])} [{_num(d['low'])}, {_num(d['high'])}]"


def to_text(data: dict[str, Any]) -> str:
    """A readable summary; every text from the scenario passes through printable()."""
    p = _safe
    named = _variable_names(data)
    lines = [
        p(data["title"]),
        f"{data['runs_done']} of {data['runs_requested']} runs, root seed {data['root_seed']}"
        + (f"  (PARTIAL: {p(data.get('stopped') or 'interrupted')})" if data["partial"] else ""),
    ]
    for pol in data["policies"]:
        lines += ["", f"Policy {p(pol['name'])}: {pol['runs']} runs, {pol['failed']} failed"]
        lines.append("  Objectives (share of runs, 95% Wilson interval)")
        for o in pol["objectives"]:
            lines.append(
                f"    {p(o['id']):<28} met {_ci(o['met'])}  "
                f"partially {_pct(o['partially']['estimate'])}  "
                f"not met {_pct(o['not_met']['estimate'])}"
            )
        lines.append("  Final variables: mean [95% CI]  p5  p50  p95")
        for v in pol["variables"]:
            m = v["mean"]
            lines.append(
                f"    {named[v['id']][0]:<28} {_num_ci(m)}  "
                f"{_num(v['p5'])}  {_num(v['p50'])}  {_num(v['p95'])} "
                f"{named[v['id']][1]}".rstrip()
            )
        lines.append("  Injects fired")
        for inj in pol["injects"]:
            lines.append(f"    {p(inj['id']):<28} {_pct(inj['estimate'])}")
        lines.append("  Decisions: posed, options taken")
        for d in pol["decisions"]:
            taken = ", ".join(f"{p(k)} {v}" for k, v in d["options"].items()) or "none taken"
            lines.append(f"    {p(d['id']):<28} {d['posed']} posed; {taken}")
        if pol["threats"]:
            branched = any("branches" in t for t in pol["threats"])
            lines.append(
                "  Threats: final status (runs)"
                + ("; branches taken (share of runs, 95% Wilson interval)" if branched else "")
            )
            for t in pol["threats"]:
                lines.append(f"    {p(t['id']):<28} {_seen(t['outcomes'])}")
                for b in t.get("branches", ()):
                    lines.append(f"      branch {p(b['name']):<21} taken in {_ci(b)}")
        if pol["bills"]:
            lines.append("  Bills: final status (runs)")
            for b in pol["bills"]:
                lines.append(
                    f"    {p(b['id']):<28} {_seen(b['outcomes'])}; enacted in {b['enacted']} runs"
                )
        if pol["retries"]:
            lines.append("  Retries: runs with a retry [95% CI]; retries per run, mean [95% CI]")
            for r in pol["retries"]:
                m = r["mean"]
                lines.append(
                    f"    {p(r['id']):<28} retried in {_ci(r['retried'])}; "
                    f"{_num(m['estimate'])} per run [{_num(m['low'])}, {_num(m['high'])}]"
                )
    for c in data["comparisons"]:
        lines += [
            "",
            f"Paired comparison {p(c['a'])} - {p(c['b'])} ({c['paired_runs']} runs, same luck)",
            "  Objectives met: difference A - B [95% CI], McNemar's exact p",
            "    (* = p < 0.05: the mark follows McNemar's p, not the interval, which is an",
            "    approximation: with few runs where A and B differ it can exclude 0 unmarked)",
        ]
        for o in c["objectives"]:
            mark = "*" if o["significant"] else " "
            lines.append(
                f"  {mark} {p(o['id']):<28} {_pct(o['met_a'])} vs {_pct(o['met_b'])}: "
                f"{_ci(o['difference'])}  p={p_text(o['p_value'])}"
            )
        lines.append(
            "  Final variables: mean difference A - B [95% CI], paired normal p (* = p < 0.05)"
        )
        for v in c["variables"]:
            mark = "*" if v["significant"] else " "
            name, unit = named.get(v["id"], (p(v["id"]), ""))
            shown = f"{_num_ci(v['difference'])} {unit}".rstrip()
            lines.append(f"  {mark} {name:<28} {shown}  p={p_text(v['p_value'])}")
    for s in data["sensitivity"]:
        lines += ["", f"Sensitivity ({p(s['policy'])} decider): decisions that move each objective"]
        for o in s["objectives"]:
            lines.append(f"  {p(o['id'])}")
            if not o["decisions"]:
                lines.append("    (no decision's options change it)")
            for d in o["decisions"]:
                lines.append(
                    f"    {p(d['decision']):<26} spread {_pct(d['spread'])}: "
                    f"{p(d['best']['option'])} {_pct(d['best']['estimate'])} vs "
                    f"{p(d['worst']['option'])} {_pct(d['worst']['estimate'])}"
                )
    failures = data["failures"]
    if failures["count"]:
        lines += ["", f"Failed replications: {failures['count']} (replay with tabletop run --seed)"]
        for f in failures["first"]:
            lines.append(
                f"  run {f['index']} seed {f['seed']} policy {p(f['policy'])}: {p(f['error'])}"
            )
    return "\n".join(lines) + "\n"


def variable_names(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each variable's id -> (name, unit), as every section and the HTML report name it: its
    label, with its id in parentheses where the label alone would not tell it apart (two
    variables with one label), and its unit (or nothing). Not yet made safe to show."""
    variables = data["policies"][0]["variables"] if data["policies"] else []
    labels = Counter(str(v["label"]) for v in variables)
    out = {}
    for v in variables:
        label = str(v["label"])
        name = label if labels[label] == 1 or label == v["id"] else f"{label} ({v['id']})"
        out[v["id"]] = (name, str(v["unit"] or ""))
    return out


def _variable_names(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """``variable_names``, made safe for a terminal."""
    return {k: (_safe(name), _safe(unit)) for k, (name, unit) in variable_names(data).items()}


def _seen(outcomes: dict[str, int]) -> str:
    """The statuses some run ended in, with their counts (the JSON and CSV list every one)."""
    return ", ".join(f"{_safe(k)} {v}" for k, v in outcomes.items() if v) or "no runs"


def p_text(p: float | None) -> str:
    """A p-value for people: three figures, and '<1e-16' below what doubles resolve."""
    if p is None or p != p:
        return "n/a"
    return "<1e-16" if p < 1e-16 else f"{p:.3g}"


def _safe(text: str) -> str:
    return printable(str(text), one_line=True)


def to_csv(data: dict[str, Any]) -> str:
    """Long format: one row per figure (policy, section, item, measure, value, low, high)."""
    data = _clean(data)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["policy", "section", "item", "measure", "value", "low", "high"])
    for pol in data["policies"]:
        name = pol["name"]
        for o in pol["objectives"]:
            for r in RATINGS:
                w.writerow([name, "objective", o["id"], r, *_row(o[r])])
        for v in pol["variables"]:
            w.writerow([name, "variable", v["id"], "mean", *_row(v["mean"])])
            for q in ("p5", "p50", "p95"):
                w.writerow([name, "variable", v["id"], q, v[q], "", ""])
        for inj in pol["injects"]:
            w.writerow([name, "inject", inj["id"], "fired", *_row(inj)])
        for d in pol["decisions"]:
            w.writerow([name, "decision", d["id"], "posed", d["posed"], "", ""])
            for opt, count in d["options"].items():
                w.writerow([name, "decision", d["id"], f"option {opt}", count, "", ""])
        for t in pol["threats"]:
            for status, count in t["outcomes"].items():
                w.writerow([name, "threat", t["id"], status, count, "", ""])
            for b in t.get("branches", ()):
                w.writerow([name, "threat branch", t["id"], b["name"], *_row(b)])
        for b in pol["bills"]:
            for status, count in b["outcomes"].items():
                w.writerow([name, "bill", b["id"], status, count, "", ""])
            w.writerow([name, "bill", b["id"], "enacted", b["enacted"], "", ""])
        for r in pol["retries"]:
            w.writerow([name, "retry", r["id"], "retried", *_row(r["retried"])])
            w.writerow([name, "retry", r["id"], "mean per run", *_row(r["mean"])])
    for c in data["comparisons"]:
        pair = f"{c['a']} - {c['b']}"
        for o in c["objectives"]:
            w.writerow(
                [pair, "paired objective met", o["id"], "difference", *_row(o["difference"])]
            )
            w.writerow([pair, "paired objective met", o["id"], "mcnemar p", o["p_value"], "", ""])
        for v in c["variables"]:
            w.writerow([pair, "paired variable", v["id"], "difference", *_row(v["difference"])])
    for s in data["sensitivity"]:
        for o in s["objectives"]:
            for d in o["decisions"]:
                w.writerow(
                    [s["policy"], "sensitivity", o["id"], d["decision"], d["spread"], "", ""]
                )
    return out.getvalue()


def _row(d: dict[str, Any]) -> list[Any]:
    return [d["estimate"], d["low"], d["high"]]
