"""The living map of the tree (``/tree``): the schema as a flowchart, every fact with its source.

Questions and offerings are boxes, ja/nee are on the edges (``ivr.web.tree_drawing``). Clicking
a box shows what the line says there, the help text, the contacts and the ``source:`` file, and
"play from here" opens the web phone at that point. The tree file is checked again on every
visit, so a problem in an edit shows here before the line is restarted with it. Same access
rules as the web phone (``ivr.web.tools.access``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from ivr.config.content import Content, check_content, sources_checked
from ivr.config.settings import Settings
from ivr.core.call_state import Route, Step
from ivr.core.flow import CallFlow
from ivr.core.normalise import normalise
from ivr.core.tree_model import Offering, Question
from ivr.web.tools import access
from ivr.web.tree_drawing import NoGraphviz, first_paths, tree_svg

bp = Blueprint(
    "tree_map",
    __name__,
    url_prefix="/tree",
    template_folder="templates",
    static_folder="static",
)
access.guard(bp)
NO_DRAWING = (
    '<p class="problems" data-role="no-drawing">De kaart kan niet getekend worden: Graphviz '
    "ontbreekt op deze server. Installeer het met <code>apt-get install graphviz</code>.</p>"
)


@dataclass(frozen=True)
class NodeCard:
    """What a click on a box shows."""

    id: str
    kind: str  # "vraag" or "aanbod"
    title: str
    spoken: tuple[str, ...]
    help: str
    contacts: tuple[str, ...]
    source: str
    path: str  # the shortest j/n path to it: "play from here"


def _contact_line(flow: CallFlow, offering: Offering) -> tuple[str, ...]:
    lines = []
    for contact in offering.contacts:
        service = flow.tree.services.get(contact.service or "")
        name = service.name if service else contact.name
        phone = service.phone if service else contact.phone
        hours = flow.say.contact_hours(contact)
        parts = [name, phone.written if phone else "", hours or ""]
        lines.append(" — ".join(p for p in parts if p))
    return tuple(lines)


def cards(flow: CallFlow) -> list[NodeCard]:
    tree = flow.tree
    found = []
    for node_id, path in first_paths(tree).items():
        node = tree.nodes[node_id]
        if isinstance(node, Question):
            said = flow.say.prompt_for(Step(Route.ANSWER, path))
            found.append(NodeCard(node_id, "vraag", node.text, tuple(map(normalise, said)),
                                  node.help, (), node.source, path))  # fmt: skip
        else:
            said = tuple(normalise(s.text) for s in flow.say.offering(node))
            found.append(NodeCard(node_id, "aanbod", node.title, said, "",
                                  _contact_line(flow, node), node.source, path))  # fmt: skip
    return found


@bp.get("")
def page() -> ResponseReturnValue:
    found: TreeDrawing = current_app.extensions["ivr_tree_map"]
    settings = found.settings
    _, problems = check_content(settings.tree_path, settings.prompts_path, settings.shared_dir)
    flow: CallFlow = current_app.extensions["ivr_line"].flow
    return render_template(
        "tree_map/tree.html",
        svg=found.svg,
        cards=cards(flow),
        problems=problems,
        tree_file=settings.tree_path.name,
        sources_checked=sources_checked(settings.shared_dir),
        dev_mode=access.dev_mode(),
    )


def init_app(app: Flask, settings: Settings, content: Content) -> None:
    """The drawing is made once (a few hundred milliseconds), when the map is first wanted."""
    app.extensions["ivr_tree_map"] = TreeDrawing(settings, content)
    app.register_blueprint(bp)


class TreeDrawing:
    """The running line's tree, drawn on first use."""

    def __init__(self, settings: Settings, content: Content) -> None:
        self.settings = settings
        self.content = content
        self._svg: Markup | None = None

    @property
    def svg(self) -> Markup:
        if self._svg is None:
            try:
                self._svg = Markup(tree_svg(self.content.tree))  # Graphviz's SVG, labels escaped
            except NoGraphviz:
                return Markup(NO_DRAWING)  # tried again at the next visit
        return self._svg
