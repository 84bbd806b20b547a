"""What the line tells staff about a call: where the caller got to and what they answered.

One summary (``summarise``, from ``Tree.trail``) in two forms: the full questions and answers
stored with a callback request (and shown to staff), and the short spoken whisper for the person
who answers a transfer: the same facts in plain words (each question's ``kort``), to stay under
~15 seconds. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr.core.errors import CallStateError
from ivr.core.language import SOURCE, Language
from ivr.core.languages import DUTCH
from ivr.core.prompts import Prompts
from ivr.core.tree_model import Offering, Question, Tree

WORDS_PER_SECOND = 2.5  # an estimate: text-to-speech at normal speed, ~150 words a minute


@dataclass(frozen=True)
class Summary:
    reached: str  # the offering's title, or the question's text
    answers: str  # every question with its answer, in words
    service: str  # the service the caller would be put through to
    yes: tuple[str, ...] = ()  # the questions answered "ja", in plain words (``kort``)
    no: tuple[str, ...] = ()  # the questions answered "nee", in plain words


def keyword(question: Question) -> str:
    """A question in a few plain words: its ``kort``, else the question itself (never its id)."""
    return question.short or question.text.rstrip("?")


def _yes_no(answer: bool) -> str:
    return "ja" if answer else "nee"


def summarise(tree: Tree, path: str, helpdesk: str) -> Summary:
    node = tree.node_at(path)
    trail = tree.trail(path)
    answers = " ".join(f"{q.text} {_yes_no(a).capitalize()}." for q, a in trail) or "-"
    yes = tuple(keyword(q) for q, a in trail if a)
    no = tuple(keyword(q) for q, a in trail if not a)
    if isinstance(node, Offering):
        return Summary(node.title, answers, node.transfer, yes, no)
    if isinstance(node, Question):
        return Summary(node.text, answers, helpdesk, yes, no)
    # A path past an offering, or with other letters: a tampered or outdated URL. Staff would
    # get a request that says nothing; the caller hears the apology with the helpdesk number.
    raise CallStateError(f"no question or offering at path {path!r}")


def whisper(tree: Tree, prompts: Prompts, path: str, language: Language = DUTCH) -> tuple[str, ...]:
    """What the person who answers a transfer hears before the caller is put through, in
    Dutch (``tree`` and ``prompts``); the caller's ``language`` named when it is not Dutch."""
    node = tree.node_at(path)
    summary = summarise(tree, path, tree.helpdesk)
    if isinstance(node, Offering):
        reached = prompts("whisper_offering", offering=node.title)
    elif isinstance(node, Question):
        reached = prompts("whisper_question", question=keyword(node))
    else:
        reached = ""
    said = [prompts("whisper_yes", answers=", ".join(summary.yes))] if summary.yes else []
    said += [prompts("whisper_no", answers=", ".join(summary.no))] if summary.no else []
    chose = ""
    if language.code != SOURCE:
        chose = prompts("whisper_language", language=language.dutch_name)
    texts = (prompts("whisper_intro"), chose, reached, *(said or [prompts("whisper_start")]))
    return tuple(text for text in (*texts, prompts("whisper_accept")) if text)


def seconds(texts: tuple[str, ...]) -> float:
    """Estimated speaking time of texts (words at ``WORDS_PER_SECOND``)."""
    return sum(len(text.split()) for text in texts) / WORDS_PER_SECOND
