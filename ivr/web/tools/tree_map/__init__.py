"""The living map of the tree (``/tree``): the schema as a flowchart, every fact with its source.

Questions and offerings are boxes, ja/nee are on the edges (``ivr.web.tree_drawing``). Clicking
a box shows what the line says there, the help text, the contacts and the ``source:`` file, and
"play from here" opens the web phone at that point. The tree file is checked again on every
visit, so a problem in an edit shows here before the line is restarted with it. Same access
rules as the web phone (``ivr.web.tools.access``).

In another language the line offers (``?taal=en``) the boxes and cards show the running line's
texts in it, each with its review state (``review``): who reviewed it and when, a draft, a
translation of an older Dutch text, or the Dutch where the line may not say the translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from ivr.config.content import Content, check_content, sources_checked
from ivr.config.settings import Settings
from ivr.core.call_state import Route, Step
from ivr.core.flow import CallFlow
from ivr.core.language import SOURCE
from ivr.core.languages import DUTCH
from ivr.core.normalise import Normaliser
from ivr.core.translated import LineLanguage
from ivr.core.tree_model import Offering, Question
from ivr.web.tools import access
from ivr.web.tools.tree_map.review import Review, counted, reviews
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
    spoken_in: tuple[str, ...] = ()  # each spoken text's language code ("nl": the Dutch kept)
    reviews: tuple[Review, ...] = ()  # in another language: each translated text's state


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


def cards(flow: CallFlow, spoken: LineLanguage | None = None) -> list[NodeCard]:
    """A card per box, from ``flow``: the line in one language; ``spoken``: that language's
    translations checked (None: Dutch)."""
    tree = flow.tree
    language = flow.say.language
    normalisers = {SOURCE: Normaliser(DUTCH), language.code: Normaliser(language)}
    found = []
    for node_id, path in first_paths(tree).items():
        node = tree.nodes[node_id]
        if isinstance(node, Question):
            texts = flow.say.prompt_for(Step(Route.ANSWER, path))
            kind, title, help_text, contacts = "vraag", node.text, node.help, ()
        else:
            texts = tuple(s.text for s in flow.say.offering(node))
            kind, title, help_text, contacts = "aanbod", node.title, "", _contact_line(flow, node)
        spoken_in = tuple(getattr(text, "language", language.code) for text in texts)
        said = tuple(normalisers[code](text) for code, text in zip(spoken_in, texts, strict=True))
        checked = reviews(node_id, spoken.checked, language) if spoken is not None else []
        found.append(
            NodeCard(node_id, kind, title, said, help_text, contacts, node.source, path,
                     spoken_in, tuple(checked))
        )  # fmt: skip
    return found


def _language() -> str:
    """The language the map is shown in (``?taal=en``): one the line offers, else Dutch."""
    asked = request.args.get("taal", SOURCE)
    return asked if asked in current_app.extensions["ivr_lines"].newest().languages else SOURCE


@bp.get("")
def page() -> ResponseReturnValue:
    found: TreeDrawing = current_app.extensions["ivr_tree_map"]
    settings = found.settings
    _, problems = check_content(settings.tree_path, settings.prompts_path, settings.shared_dir)
    line = current_app.extensions["ivr_lines"].newest()
    code = _language()
    flow: CallFlow = line.languages[code].flow
    spoken = found.content.languages.get(code) if code != SOURCE else None
    return render_template(
        "tree_map/tree.html",
        svg=found.svg_in(code),
        cards=cards(flow, spoken),
        language=code,
        languages={c: offered.language.dutch_name for c, offered in line.languages.items()},
        states=counted(spoken.checked) if spoken is not None else None,
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
        self._svgs: dict[str, Markup] = {}  # by language code

    @property
    def svg(self) -> Markup:
        return self.svg_in(SOURCE)

    def svg_in(self, code: str) -> Markup:
        """The drawing with the texts of a language the line offers (Dutch: the tree's)."""
        if code not in self._svgs:
            offered = self.content.languages.get(code)
            tree = offered.tree if offered is not None else self.content.tree
            try:
                self._svgs[code] = Markup(tree_svg(tree))  # Graphviz's SVG, labels escaped
            except NoGraphviz:
                return Markup(NO_DRAWING)  # tried again at the next visit
        return self._svgs[code]
