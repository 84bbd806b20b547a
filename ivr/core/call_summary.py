"""What the line tells staff about a call: where the caller got to and what they answered.

Two forms of the same facts (from ``Tree.trail``): a short spoken whisper for the person who
answers a transfer (question ids as keywords, to stay under ~15 seconds), and the full
questions and answers stored with a callback request. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr.core.prompts import Prompts
from ivr.core.tree_model import Offering, Question, Tree

WORDS_PER_SECOND = 2.5  # an estimate: text-to-speech at normal speed, ~150 words a minute


@dataclass(frozen=True)
class Summary:
    reached: str  # the offering's title, or the question's text
    answers: str  # every question with its answer, in words
    service: str  # the service the caller would be put through to


def keyword(question: Question) -> str:
    """A question in a word or two: its id (``een_dag`` → ``een dag``)."""
    return question.id.replace("_", " ")


def _yes_no(answer: bool) -> str:
    return "ja" if answer else "nee"


def summarise(tree: Tree, path: str, helpdesk: str) -> Summary:
    node = tree.node_at(path)
    trail = tree.trail(path)
    answers = " ".join(f"{q.text} {_yes_no(a).capitalize()}." for q, a in trail)
    if isinstance(node, Offering):
        return Summary(node.title, answers or "-", node.transfer)
    if isinstance(node, Question):
        return Summary(node.text, answers or "-", helpdesk)
    return Summary("-", answers or "-", helpdesk)


def whisper(tree: Tree, prompts: Prompts, path: str) -> tuple[str, ...]:
    """What the person who answers a transfer hears before the caller is put through."""
    node = tree.node_at(path)
    trail = tree.trail(path)
    answers = ", ".join(f"{keyword(q)} {_yes_no(a)}" for q, a in trail)
    if isinstance(node, Offering):
        reached = prompts("whisper_offering", offering=node.title)
    elif isinstance(node, Question):
        reached = prompts("whisper_question", question=keyword(node))
    else:
        reached = ""
    said = prompts("whisper_answers", answers=answers) if answers else prompts("whisper_start")
    return tuple(
        text
        for text in (prompts("whisper_intro"), reached, said, prompts("whisper_accept"))
        if text
    )


def seconds(texts: tuple[str, ...]) -> float:
    """Estimated speaking time of texts (words at ``WORDS_PER_SECOND``)."""
    return sum(len(text.split()) for text in texts) / WORDS_PER_SECOND
