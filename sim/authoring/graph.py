"""Draw a scenario's flow (sim.flow) as Mermaid (renders on GitHub) or Graphviz DOT.

Labels come from untrusted files, so each format's escaping is total: Mermaid labels keep
only letters, digits and plain punctuation literally (the rest become entity codes), DOT
labels escape backslashes and quotes. Node ids are generated, never taken from the file.
"""

from __future__ import annotations

from sim.flow import EdgeKind, Flow, NodeKind
from sim.safetext import printable

MAX_LABEL = 60
"""Longer labels are cut with an ellipsis so that a diagram stays readable."""

_VARIABLE_EDGES: frozenset[EdgeKind] = frozenset({"effects", "conditions", "reads"})
_DASHED: frozenset[EdgeKind] = frozenset({"conditions", "reads", "about", "requires"})
_MERMAID_SHAPE: dict[NodeKind, tuple[str, str]] = {
    "inject": ("[", "]"),
    "decision": ("{", "}"),
    "option": ("(", ")"),
    "response": ("[[", "]]"),
    "law": ("[/", "/]"),
    "threat": ("[(", ")]"),
    "stage": ("([", "])"),
    "variable": ("((", "))"),
    "objective": ("{{", "}}"),
    "sitting": ("[\\", "/]"),
}
_DOT_SHAPE: dict[NodeKind, str] = {
    "inject": "box",
    "decision": "diamond",
    "option": "ellipse",
    "response": "box3d",
    "law": "parallelogram",
    "threat": "cylinder",
    "stage": "oval",
    "variable": "circle",
    "objective": "hexagon",
    "sitting": "trapezium",
}


def short(text: str) -> str:
    """One line of at most MAX_LABEL characters, control characters made visible."""
    line = " ".join(printable(text).split())
    line = printable(line, one_line=True)
    return line if len(line) <= MAX_LABEL else line[: MAX_LABEL - 1] + "…"


def _kept(flow: Flow, variables: bool) -> tuple[list[str], list[tuple[str, str, EdgeKind]]]:
    keys = [k for k, n in flow.nodes.items() if variables or n.kind != "variable"]
    kept = set(keys)
    edges = [
        (e.source, e.target, e.kind)
        for e in flow.edges
        if e.source in kept and e.target in kept and (variables or e.kind not in _VARIABLE_EDGES)
    ]
    return keys, list(dict.fromkeys(edges))


_MERMAID_PLAIN = frozenset(" .,:;_?!()/+%'")


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: letters, digits and harmless punctuation are
    kept; anything else (quotes, '#', '<', '-', '|', brackets...) becomes an entity '#n;'."""
    return "".join(c if c.isalnum() or c in _MERMAID_PLAIN else f"#{ord(c)};" for c in text)


def to_mermaid(flow: Flow, *, variables: bool = True) -> str:
    keys, edges = _kept(flow, variables)
    name = {k: f"n{i}" for i, k in enumerate(keys)}
    lines = ["flowchart TD"]
    for k in keys:
        node = flow.nodes[k]
        left, right = _MERMAID_SHAPE[node.kind]
        label = mermaid_text(f"{node.kind}: {short(node.label)}")
        lines.append(f'    {name[k]}{left}"{label}"{right}')
    for source, target, kind in edges:
        arrow = "-.->" if kind in _DASHED else "-->"
        lines.append(f"    {name[source]} {arrow}|{kind}| {name[target]}")
    return "\n".join(lines) + "\n"


def dot_text(text: str) -> str:
    """Text safe inside a double-quoted DOT string (backslash and quote escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(flow: Flow, *, variables: bool = True, title: str = "scenario") -> str:
    keys, edges = _kept(flow, variables)
    name = {k: f"n{i}" for i, k in enumerate(keys)}
    lines = [
        "digraph flow {",
        f'    label="{dot_text(short(title))}";',
        "    rankdir=TB;",
        '    node [fontname="Helvetica"];',
    ]
    for k in keys:
        node = flow.nodes[k]
        label = dot_text(f"{node.kind}: {short(node.label)}")
        lines.append(f'    {name[k]} [shape={_DOT_SHAPE[node.kind]}, label="{label}"];')
    for source, target, kind in edges:
        style = ", style=dashed" if kind in _DASHED else ""
        lines.append(f'    {name[source]} -> {name[target]} [label="{kind}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"
