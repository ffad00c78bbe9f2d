"""Markdown renderers: the same documents as plain text that any Markdown viewer shows safely.

Every text from a scenario or a session goes through :func:`md`, which backslash-escapes
Markdown's punctuation and writes ``<``, ``>`` and ``&`` as entities, so no text can become a
link, an image, raw HTML or a table break. Where a text goes decides its helper, so that a
multi-line text cannot leave its place either: :func:`cell` (a table cell) and :func:`line`
(a heading) put it on one line, :func:`inline` (a list item, a labelled line) keeps its line
breaks inside one block, and :func:`paragraph` keeps its paragraphs; none lets a line start
indented, which after a blank line would be a code block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sim.analysis.model import Aar
from sim.analysis.pack import Handbook, SituationManual
from sim.safetext import printable

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_MARK = re.compile(r"^(\s*)([#+\-=>])", re.MULTILINE)
_LINE_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md(text: str) -> str:
    """Text shown literally by a Markdown renderer (newlines kept)."""
    text = printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    text = _LINE_MARK.sub(r"\1\\\2", text)
    return _LINE_NUMBER.sub(r"\1\\\2", text)


def cell(text: str) -> str:
    """Text for a table cell: escaped, on one line."""
    return md(" ".join(text.split()))


def line(text: str) -> str:
    """Text for a heading: escaped, on one line (a line break would end the heading), its
    trailing '#' escaped (Markdown would drop it as the heading's optional closing marks)."""
    return re.sub(r"#(?=#*$)", r"\\#", cell(text), count=1)


def _lines(text: str) -> list[str]:
    """The text's non-blank lines, without the indentation that could make them code."""
    return [s for s in (raw.strip() for raw in text.splitlines()) if s]


def inline(text: str) -> str:
    """Text inside one block (a list item, a labelled line): its lines joined by hard line
    breaks, blank lines dropped, so that no line of it starts a block of its own."""
    return "  \n  ".join(md(s) for s in _lines(text))


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A pipe table; the cells are escaped here."""
    out = ["| " + " | ".join(cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def paragraph(text: str) -> list[str]:
    """Paragraphs whose line breaks survive (a blank line in the text starts the next one)."""
    out: list[str] = []
    for part in re.split(r"\n[ \t]*\n", text.strip()):
        lines = [md(s) for s in _lines(part)]
        if lines:
            out += ["  \n".join(lines), ""]
    return out


def aar_markdown(aar: Aar, caveat: str = "") -> str:
    """The after-action report in Markdown (charts are in the HTML and PDF editions)."""
    o = aar.overview
    edition = "players' edition" if aar.audience == "players" else "controller's edition"
    out: list[str] = []
    _caveat(out, caveat)
    out += [
        "# After-Action Report and Improvement Plan",
        "",
        f"{inline(o.title)} ({edition})",
        "",
        "## 1. Exercise overview",
        "",
        *paragraph(o.summary),
    ]
    scenario = f"{o.scenario} (seed {o.seed}" + (f", {o.label}" if o.label else "") + ")"
    wall = "not recorded (a headless run)"
    if o.wall_start:
        wall = f"{o.wall_start} to {o.wall_end or 'not recorded'}"
        wall += f": {o.wall_duration}" if o.wall_duration else ""
    ended = f" ({o.ended_note})" if o.ended_note else ""
    facts = [("Scenario", scenario)]
    if o.session_id:
        facts.append(("Session", o.session_id))
    facts += [
        ("Scenario time", f"{o.scenario_start} to {o.scenario_end}: {o.scenario_duration}{ended}"),
        ("Wall-clock time", wall),
        ("Participants", ", ".join(o.participants)),
    ]
    out += [f"- **{k}:** {inline(v)}" for k, v in facts] + ["", "## 2. Objectives", ""]
    for i, ob in enumerate(aar.objectives, start=1):
        out += [f"### {i}. {line(ob.description)}: {ob.rating_label}", ""]
        if ob.evidence:
            out += [f"Evidence: {inline(ob.evidence)}", ""]
        elif aar.audience == "players":
            out += ["Evidence: discussed in the debrief.", ""]
        out += [f"- {inline(e)}" for e in ob.events] or ["No events in this edition bear on it."]
        out.append("")
    out += ["## 3. Timeline of injects and decisions", ""]
    out += table(
        ("When", "Kind", "What", "Detail"),
        ((t.when, t.kind, t.title, t.text) for t in aar.timeline),
    )
    if aar.decisions:
        out += ["### Decisions", ""]
        out += table(
            ("#", "Decision", "Owner", "Posed", "Took", "Chosen", "By", "Rationale"),
            (
                (
                    str(d.number),
                    d.prompt,
                    d.owner,
                    d.posed,
                    f"{d.took} ({d.wall_took} in the room)" if d.wall_took else d.took,
                    d.option_label,
                    d.by,
                    d.rationale,
                )
                for d in aar.decisions
            ),
        )
    out += ["## 4. Strengths and areas for improvement", ""]
    for title, found in (("Strengths", aar.strengths), ("Areas for improvement", aar.improvements)):
        out += [f"### {title}", ""]
        for f in found:
            tag = f" ({f.objective}{', observed' if f.source == 'observation' else ''})"
            out.append(f"- {inline(f.text)}{md(tag) if f.objective else ''}")
        out += ([] if found else ["None recorded."]) + [""]
    out += ["## 5. The situation over time", "", "Charts are in the HTML and PDF editions.", ""]
    out += table(
        ("Variable", "At the start", "At the end"),
        (
            (f.label, f"{f.initial:.4g} {f.unit}".strip(), f"{f.final:.4g} {f.unit}".strip())
            for f in aar.finals
        ),
    )
    number = 6
    if aar.comparison is not None:
        c = aar.comparison
        out += [f"## 6. What if: {line(c.label_a)} compared with {line(c.label_b)}", ""]
        for title, rows, first in (
            ("Objectives", c.objectives, "Objective"),
            ("Decisions", c.decisions, "Decision"),
            ("At the end", c.finals, "Variable"),
        ):
            out += [f"### {title}", "", *table((first, c.label_a, c.label_b), rows)]
        number = 7
    out += [f"## {number}. Improvement plan", ""]
    if aar.plan_drafted:
        out += [
            "Drafted from the objectives not fully met: agree the corrective actions, owners "
            "and due dates in the debrief.",
            "",
        ]
    if aar.plan:
        out += table(
            ("Objective", "Issue", "Corrective action", "Owner", "Due"),
            ((p.objective, p.issue, p.corrective_action, p.owner, p.due) for p in aar.plan),
        )
    else:
        out += ["Every objective was met: no corrective action is drafted.", ""]
    _caveat(out, caveat)
    return "\n".join(out).rstrip("\n") + "\n"


def _caveat(out: list[str], caveat: str) -> None:
    """The handling caveat in bold, on one line (a line break or trailing space breaks `**`)."""
    text = " ".join(caveat.split())
    if text:
        out += [f"**{md(text)}**", ""]


def _items(items: Iterable[str], numbered: bool = False) -> list[str]:
    lines = [f"{i}. {inline(x)}" if numbered else f"- {inline(x)}" for i, x in enumerate(items, 1)]
    return [*lines, ""] if lines else []


def manual_markdown(m: SituationManual) -> str:
    """The Situation Manual in Markdown."""
    out: list[str] = []
    _caveat(out, m.caveat)
    out += ["# Situation Manual", "", f"{inline(m.title)} (for the players)", ""]
    out += ["## 1. Purpose", "", *paragraph(m.purpose), "## 2. Scope", "", *paragraph(m.scope)]
    if m.audience:
        out.append(f"- **For:** {inline(m.audience)}")
    count = len(m.agenda)
    out += [
        f"- **Session:** {m.session_minutes} minutes, in {count} module{'s' if count != 1 else ''}",
        f"- **Scenario starts:** {md(m.starts)}",
        "",
        "## 3. Objectives",
        "",
        *(_items(m.objectives, numbered=True) or ["None stated.", ""]),
        "## 4. Agenda",
        "",
        *table(
            ("Module", "Scenario time", "Minutes"),
            ((a.title, a.starts, str(a.minutes)) for a in m.agenda),
        ),
        "## 5. Background",
        "",
        *paragraph(m.background),
        "## 6. Participants and roles",
        "",
    ]
    for r in m.roles:
        out += [f"### {line(r.name)}", "", *paragraph(r.description)]
        if r.brief:
            out += [f"**Your brief:** {inline(r.brief)}", ""]
    if m.others:
        others = inline(", ".join(m.others))
        out += [f"Also in the scenario, played by the exercise staff: {others}.", ""]
    out += ["## 7. Ground rules", "", *_items(m.ground_rules)]
    for mod in m.modules:
        out += [f"## {line(mod.title)}", "", f"Scenario time: from {md(mod.starts)}", ""]
        out += ["### The situation", "", *paragraph(mod.summary), "### Discussion questions", ""]
        none = ["The facilitator will pose the questions.", ""]
        out += _items(mod.questions, numbered=True) or none
    _caveat(out, m.caveat)
    return "\n".join(out).rstrip("\n") + "\n"


def handbook_markdown(h: Handbook) -> str:
    """The Controller and Evaluator Handbook in Markdown."""
    out: list[str] = []
    _caveat(out, h.caveat)
    out += [
        "# Controller and Evaluator Handbook",
        "",
        f"{inline(h.title)} (exercise staff only)",
        "",
    ]
    out += ["## 1. Facilitator notes", "", *(paragraph(h.facilitator_notes) or ["None.", ""])]
    for mod in h.modules:
        out += [f"### {line(mod.title)} (from {line(mod.starts)})", ""]
        out += paragraph(mod.facilitator_notes) or ["No notes.", ""]
    out += ["## 2. Master Scenario Events List", ""]
    out += table(
        ("When", "Trigger", "Inject", "From", "To", "Text", "Decision", "Expected", "Notes"),
        (
            (
                r.planned,
                r.trigger + (f"; only if {r.condition}" if r.condition else ""),
                r.title,
                r.sender,
                r.to,
                r.text,
                r.decision,
                "; ".join(r.expected_actions),
                r.notes,
            )
            for r in h.msel
        ),
    )
    out += ["### Contingency injects", ""]
    if h.contingencies:
        out += table(
            ("Inject", "From", "To", "Text", "When to fire"),
            (
                (
                    r.title,
                    r.sender,
                    r.to,
                    r.text + (f" Decision: {r.decision}" if r.decision else ""),
                    (r.notes or "At the facilitator's judgement.")
                    + (f" Only if {r.condition}." if r.condition else ""),
                )
                for r in h.contingencies
            ),
        )
    else:
        out += ["None.", ""]
    out += ["## 3. Decisions the players face", ""]
    out += table(
        ("Decision", "Owner", "Options", "Default", "Time to decide"),
        ((d.prompt, d.owner, "; ".join(d.options), d.default, d.deadline) for d in h.decisions),
    )
    out += ["## 4. Evaluation guide", ""]
    for i, o in enumerate(h.objectives, start=1):
        out += [f"### {i}. {line(o.description)}", ""]
        out.append(f"- **Met when:** {inline(o.met)} ({inline(o.judged)})")
        if o.partially:
            out.append(f"- **Partially met when:** {inline(o.partially)}")
        if o.module:
            out.append(f"- **Module:** {inline(o.module)}")
        out.append("")
        if o.look_for:
            out += ["Watch for:", "", *_items(o.look_for)]
        if o.related:
            out += [f"Related: {inline('; '.join(o.related))}", ""]
    out += ["## 5. The control cell", ""]
    for r in h.control_cell:
        out += [f"### {line(r.name)} ({line(r.affiliation)})", "", *paragraph(r.description)]
        if r.brief:
            out += [f"**Brief:** {inline(r.brief)}", ""]
    if h.threats:
        out += ["### Adversary campaigns (hidden from the players until detected)", ""]
        out += table(
            ("Campaign", "Actor", "Starts", "Stages"),
            ((t.title, t.actor, t.trigger, " → ".join(t.stages)) for t in h.threats),
        )
    if h.hidden:
        out += ["### Values the players never see", "", *_items(h.hidden)]
    if h.assumptions:
        out += ["### Assumptions of the scenario", "", *_items(h.assumptions)]
    _caveat(out, h.caveat)
    return "\n".join(out).rstrip("\n") + "\n"
