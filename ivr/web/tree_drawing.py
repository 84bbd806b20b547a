"""The tree as a flowchart: Graphviz lays out questions and offerings, ja/nee on the edges.

Each box carries the node's id (``node_<id>``) so the tree map (``ivr.web.tools.tree_map``) can
show its details when it is clicked. ``ivr tree --svg FILE`` writes the same drawing, and the
staff console's figures draw it as a funnel (how many callers reached each box).
"""

from __future__ import annotations

import re
import textwrap
from collections import deque

import graphviz

from ivr.core.call_figures import Funnel
from ivr.core.tree_model import NO, YES, Offering, Question, Tree

WIDTH = 24  # characters per line inside a box
QUESTION_STYLE = {"shape": "box", "style": "rounded,filled", "fillcolor": "#eef4fb",
                  "color": "#2f5d8a"}  # fmt: skip
OFFERING_STYLE = {"shape": "box", "style": "filled", "fillcolor": "#e9f6ec", "color": "#2e7d4f",
                  "penwidth": "2"}  # fmt: skip
MARKED_STYLE = {"fillcolor": "#fff1d6", "color": "#b35900", "penwidth": "4"}
EDGE_STYLE = {YES: {"label": " ja ", "color": "#2e7d4f", "fontcolor": "#1f5c38"},
              NO: {"label": " nee ", "color": "#a33a3a", "fontcolor": "#7d2626"}}  # fmt: skip


def first_paths(tree: Tree) -> dict[str, str]:
    """The shortest answer path (j/n) to every node: where "play from here" starts a call."""
    found = {tree.start: ""}
    queue = deque([tree.start])
    while queue:
        node = tree.nodes[queue.popleft()]
        if isinstance(node, Question):
            for answer, target in ((YES, node.yes), (NO, node.no)):
                if target not in found:
                    found[target] = found[node.id] + answer
                    queue.append(target)
    return found


def _label(node: Question | Offering, funnel: Funnel | None = None) -> str:
    text = node.text if isinstance(node, Question) else node.title
    lines = textwrap.wrap(text, WIDTH)
    if funnel is not None:
        reached, left = funnel.reached.get(node.id, 0), funnel.left.get(node.id, 0)
        lines.append(f"{reached} bellers" + (f", {left} gestopt" if left else ""))
    return "\n".join(lines)


def tree_graph(
    tree: Tree, funnel: Funnel | None = None, marked: frozenset[str] = frozenset()
) -> graphviz.Digraph:
    """The flowchart; with a ``funnel`` every box says how many callers reached it and how
    many stopped there, and every arrow is as wide as the callers who took it. ``marked``
    boxes (an editor's draft: what it changes) are orange, with "GEWIJZIGD" above their text."""
    graph = graphviz.Digraph("beslisboom")
    graph.attr(rankdir="TB", nodesep="0.2", ranksep="0.4", bgcolor="transparent")
    graph.attr("node", fontname="Helvetica", fontsize="14", margin="0.14,0.08")
    graph.attr("edge", fontname="Helvetica", fontsize="12", penwidth="1.4")
    for node_id in first_paths(tree):
        node = tree.nodes[node_id]
        style = QUESTION_STYLE if isinstance(node, Question) else OFFERING_STYLE
        label = _label(node, funnel)
        if node_id in marked:
            style, label = {**style, **MARKED_STYLE}, f"GEWIJZIGD\n{label}"
        graph.node(node_id, label, id=f"node_{node_id}", tooltip=node_id, **style)
    most = (max(funnel.took.values(), default=0) if funnel is not None else 0) or 1
    for node in tree.nodes.values():
        if isinstance(node, Question):
            for answer, target in ((YES, node.yes), (NO, node.no)):
                style = dict(EDGE_STYLE[answer])
                if funnel is not None:
                    took = funnel.took.get((node.id, target), 0)
                    style["penwidth"] = f"{1 + 9 * took / most:.1f}"
                    style["label"] = f"{style['label']}({took}) "
                graph.edge(node.id, target, **style)
    return graph


NO_DOT = "Graphviz is not installed (its 'dot' program draws the tree): apt-get install graphviz"


class NoGraphviz(RuntimeError):
    """Graphviz's ``dot`` is not on this machine."""


def tree_svg(tree: Tree, funnel: Funnel | None = None, marked: frozenset[str] = frozenset()) -> str:
    """The drawing as an SVG element (no XML prolog or doctype: ready to put in a page)."""
    try:
        svg = tree_graph(tree, funnel, marked).pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as exc:
        raise NoGraphviz(NO_DOT) from exc
    return re.sub(r"^.*?(?=<svg)", "", svg, flags=re.S)
