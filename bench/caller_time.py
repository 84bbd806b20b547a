"""A caller's time: every path of the tree, walked through the call flow the line builds.

    .venv/bin/python bench/caller_time.py [--json]

Per path (its answers, ``j``/``n``, and the offering it ends at): the words and seconds from the
answer to the first word of the first question, and to the first word of the advice (the
offering's title); the advice's own length; and the seconds from its first word to the first
word of its first phone number (a number read digit by digit: three or more digit words in a
row, "één één twee" included). A first-time caller is silent until the first question (every
``Gather`` on the way runs out its timeout, which counts), then answers each question right
after its last word: the key stops whatever its ``Gather`` would say after the question (at the
first question, the list of the other keys), as Twilio stops nested audio at a key.

The flow is the one ``ivr.web.line_assembly.call_flow`` builds for the line (this machine's settings
and content; ``GATHER_TIMEOUT`` as the line reads it), answered through ``ivr.core.webhook.answer``
as the webhooks are, with no I/O; every service open (a Monday 10:00), so no closed notice. The
caller is Dutch: the welcome offers the languages ``LANGUAGES`` lists and the line offers (issue
24), each named in its own words, and the seconds each offer costs are reported (``language
offers``; ``LANGUAGES=en,tr .venv/bin/python bench/caller_time.py``).
Words are counted as spoken (the normalised text: "020" is "nul twee nul"). Seconds come from
the rendered audio of the line's audio folder where it has a file for the text
(``IVR_AUDIO_DIR``), else from the words at 150 a minute (``spoken_length.WORDS_PER_MINUTE``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from spoken_length import SpokenLength

from ivr.config.content import load_content
from ivr.config.languages import offer_languages
from ivr.config.settings import Settings
from ivr.core.actions import Ask, Continue, Keys, Pace, Say, Turn
from ivr.core.callback_request import Caller
from ivr.core.flow import CallFlow
from ivr.core.hours import AMSTERDAM
from ivr.core.language import SOURCE, Language
from ivr.core.language_choice import choice_sentences
from ivr.core.languages import DUTCH, find
from ivr.core.normalise import Normaliser
from ivr.core.tree_model import YES, Offering, Question
from ivr.core.webhook import Webhook, answer
from ivr.web.line_assembly import call_flow
from ivr.web.twiml import PATIENT, SLOW_RATE

OPEN_TIME = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)  # a Monday: every service open
CALLER = Caller("CAcallertime", "anonymous")  # no SMS offer: it comes after the advice anyway
# Issue 23's aims: the first question within 10 s; median words before the advice <= 90; no
# advice longer than 35 s before its first number.
AIMS = {"to first question (s)": 10.0, "words to advice": 90.0, "to first number (s)": 35.0}
OFFER_AIM = 2.0  # issue 24: a Dutch caller spends at most 2 s on each language offered
_WORD = re.compile(r"\w+")
_DIGIT_WORDS = frozenset(DUTCH.numbers[:10])
_SLOW = 100 / float(SLOW_RATE.rstrip("%"))


@dataclass(frozen=True)
class Stretch:
    """A stretch of the call: the words spoken in it and its seconds (timeouts included)."""

    words: int
    seconds: float


@dataclass(frozen=True)
class PathTime:
    path: str  # the answers, j/n
    offering: str  # the offering's id
    to_question: Stretch  # from the answer to the first word of the first question
    to_advice: Stretch  # from the answer to the first word of the advice
    advice: Stretch  # the advice itself: title, text, contacts
    to_number: float | None  # from the advice's first word to its first phone number


@dataclass(frozen=True)
class CallerTimes:
    paths: tuple[PathTime, ...]
    source: str  # where the seconds come from
    # Seconds of each offered language's sentence in the welcome, by code (none: Dutch only).
    offers: dict[str, float] = field(default_factory=dict)
    # Seconds from the call's start to a language's first question for a caller who presses
    # its key at the end of its sentence (the question follows the key at once).
    chosen: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, dict[str, float]]:
        """Median and max of each figure over the paths."""
        columns = {
            "to first question (s)": [p.to_question.seconds for p in self.paths],
            "words to advice": [float(p.to_advice.words) for p in self.paths],
            "to advice (s)": [p.to_advice.seconds for p in self.paths],
            "advice (s)": [p.advice.seconds for p in self.paths],
            "to first number (s)": [p.to_number for p in self.paths if p.to_number is not None],
        }
        return {
            name: {"median": statistics.median(values), "max": max(values)}
            for name, values in columns.items()
        }


class Listener:
    """The caller's ear: counts the words spoken and the seconds gone, timeouts included."""

    def __init__(self, lengths: SpokenLength, gather_timeout: int) -> None:
        self.lengths = lengths
        self.gather_timeout = gather_timeout
        self.normalisers = {DUTCH.code: Normaliser(DUTCH)}
        self.pace = Pace(slow=False)
        self.words = 0
        self.seconds = 0.0

    def now(self) -> Stretch:
        return Stretch(self.words, self.seconds)

    def normalise(self, text: str) -> str:
        """As spoken: in the text's own language (a language's offer at the welcome)."""
        code = getattr(text, "language", DUTCH.code)
        if code not in self.normalisers:
            self.normalisers[code] = Normaliser(find(code))
        return self.normalisers[code](text)

    def spoken(self, text: str) -> list[str]:
        return _WORD.findall(self.normalise(text))

    def hear(self, text: str) -> None:
        spoken = self.normalise(text)
        self.words += len(_WORD.findall(spoken))
        self.seconds += self.lengths.of_text(spoken) * (_SLOW if self.pace.slow else 1.0)

    def wait(self, action: Ask | Keys) -> None:
        """A Gather nobody answers: its timeout, as the TwiML writer sets it."""
        base = (action.timeout if isinstance(action, Keys) else None) or self.gather_timeout
        self.seconds += min(30, round(base * PATIENT)) if self.pace.patient else base


def first_number(words: list[str]) -> int | None:
    """Where the first number read digit by digit starts (three digit words in a row)."""
    for i in range(len(words) - 2):
        if all(w in _DIGIT_WORDS for w in words[i : i + 3]):
            return i
    return None


def walk(flow: CallFlow, path: str, ear: Listener, offers: tuple[Language, ...] = ()) -> PathTime:
    """One path: silent until the first question, then each answer; up to the advice's end.
    ``offers``: the languages the welcome offers."""
    tree = flow.tree
    offering = tree.reached(path)
    assert isinstance(offering, Offering)
    first_question = tree.node_at("")
    assert isinstance(first_question, Question)
    to_question: Stretch | None = None
    answered = ""
    turn: Turn = flow.welcome(offers)
    while True:
        actions = iter(turn)
        for action in actions:
            if isinstance(action, Pace):
                ear.pace = action
            elif isinstance(action, Say) and action.text == f"{offering.title}.":
                if to_question is None:
                    raise RuntimeError(f"path {path!r}: the advice before the first question")
                return _advice(flow, path, offering, ear, to_question, action, actions)
            elif isinstance(action, Say | Ask | Keys):
                texts = (action.text,) if isinstance(action, Say) else action.texts
                node = tree.node_at(answered)
                asked = not isinstance(action, Say) and isinstance(node, Question)
                asked = asked and node.text in texts
                # the caller answers at the question's last word: the rest is never said
                for text in texts[: texts.index(node.text) + 1] if asked else texts:
                    if to_question is None and text == first_question.text:
                        to_question = ear.now()
                    ear.hear(text)
                if isinstance(action, Say):
                    continue
                if asked:
                    reply = path[len(answered)]
                    answered += reply
                    digits = "1" if reply == YES else "2"
                    turn = answer(flow, Webhook(action.then, CALLER, OPEN_TIME, digits=digits))
                    break
                ear.wait(action)  # the caller is silent: the Gather runs out
            elif isinstance(action, Continue):
                turn = answer(flow, Webhook(action.then, CALLER, OPEN_TIME))
                break
            else:
                raise RuntimeError(f"path {path!r}: {action!r} before the advice")
        else:
            raise RuntimeError(f"path {path!r}: the call waits for nothing before the advice")


def _advice(
    flow: CallFlow,
    path: str,
    offering: Offering,
    ear: Listener,
    to_question: Stretch,
    title: Say,
    rest: Iterator[Any],
) -> PathTime:
    """The advice as spoken: the offering's own texts, from its title on."""
    said = flow.say.offering(offering)
    heard = (title, *(next(rest) for _ in said[1:]))
    if heard != said:
        raise RuntimeError(f"path {path!r}: {offering.id} is not spoken as composed")
    start = ear.now()
    to_number: float | None = None
    for say in said:
        words = ear.spoken(say.text)
        at = first_number(words)
        before = ear.seconds
        ear.hear(say.text)
        if to_number is None and at is not None:
            to_number = before - start.seconds + (ear.seconds - before) * at / len(words)
    advice = Stretch(ear.words - start.words, ear.seconds - start.seconds)
    return PathTime(path, offering.id, to_question, start, advice, to_number)


def measure(env: dict[str, str] | None = None) -> CallerTimes:
    """Every path of the line's tree, with this machine's settings (``env``: instead)."""
    settings = Settings.for_commands(dict(os.environ if env is None else env))
    content = load_content(settings.tree_path, settings.prompts_path, settings.shared_dir)
    content, _ = offer_languages(content, settings, None)  # no recorded language
    offers = tuple(found.language for code, found in content.languages.items() if code != SOURCE)
    flow = call_flow(settings, content)
    lengths = SpokenLength.from_audio_dir(settings.audio_dir)
    paths = []
    for path in content.tree.paths():
        paths.append(walk(flow, path, Listener(lengths, settings.gather_timeout), offers))
    said = offer_seconds(offers, lengths)
    welcome = Listener(lengths, settings.gather_timeout)
    welcome.hear(flow.say.prompts("welcome"))
    chosen, at = {}, welcome.seconds
    for code, seconds in said.items():
        at += seconds
        chosen[code] = at
    return CallerTimes(tuple(paths), lengths.source(), said, chosen)


def offer_seconds(offers: tuple[Language, ...], lengths: SpokenLength) -> dict[str, float]:
    """What each language's offer at the welcome costs a Dutch caller, in seconds."""
    found = {}
    for language, sentence in zip(offers, choice_sentences(offers), strict=True):
        ear = Listener(lengths, gather_timeout=0)
        ear.hear(sentence)
        found[language.code] = ear.seconds
    return found


def table(times: CallerTimes) -> list[str]:
    head = (
        f"{'path':<9} {'offering':<28} {'to question':>12} {'to advice':>11} "
        f"{'advice':>10} {'to number':>9}"
    )
    lines = [head, f"{'':<38} {'words    s':>12} {'words    s':>11} {'words    s':>10} {'s':>9}"]
    for p in times.paths:
        number = f"{p.to_number:9.1f}" if p.to_number is not None else f"{'none':>9}"
        lines.append(
            f"{p.path:<9} {p.offering:<28} {p.to_question.words:>5} {p.to_question.seconds:6.1f} "
            f"{p.to_advice.words:>5} {p.to_advice.seconds:5.1f} "
            f"{p.advice.words:>5} {p.advice.seconds:4.1f} {number}"
        )
    lines.append(f"seconds: {times.source}")
    if times.offers:
        lines.append(offers_line(times))
    lines.append(summary_line(times))
    return lines


def offers_line(times: CallerTimes) -> str:
    """The seconds a Dutch caller spends on each language offered, against issue 24's aim."""
    each = ", ".join(
        f"{code} {seconds:.1f} s (chosen: its first question {times.chosen[code]:.1f} s in)"
        for code, seconds in times.offers.items()
    )
    met = max(times.offers.values()) <= OFFER_AIM
    verdict = "meets" if met else "MISSES"
    return f"language offers: {each}; aim <= {OFFER_AIM:g} s each: {verdict}"


def aims(times: CallerTimes) -> dict[str, float]:
    """Issue 23's aims, the first question's raised by issue 24's allowance: at most
    ``OFFER_AIM`` seconds for each language the welcome offers."""
    first = AIMS["to first question (s)"] + OFFER_AIM * len(times.offers)
    return {**AIMS, "to first question (s)": first}


def verdicts(times: CallerTimes) -> dict[str, tuple[str, float, bool]]:
    """Per aim: the figure it holds to (the median over the paths, else the max: every path),
    that figure, and whether it meets the aim."""
    found = times.summary()
    held = {}
    for name, aim in aims(times).items():
        which = "median" if name == "words to advice" else "max"
        held[name] = (which, found[name][which], found[name][which] <= aim)
    return held


def summary_line(times: CallerTimes) -> str:
    """One line: median and max of each figure, and the issue's aims."""
    found = times.summary()
    parts = [f"{name} {v['median']:.1f}/{v['max']:.1f}" for name, v in found.items()]
    held = aims(times)
    aims_said = [
        f"{which} {name} <= {held[name]:g}: {'meets' if met else 'MISSES'}"
        for name, (which, _, met) in verdicts(times).items()
    ]
    if times.offers:
        aims_said[0] += f" (10 s, and {OFFER_AIM:g} s for each of {len(times.offers)} offers)"
    return f"{len(times.paths)} paths, median/max: {', '.join(parts)}; aims: {', '.join(aims_said)}"


def as_json(times: CallerTimes) -> str:
    """The paths, the summary and where the seconds come from; seconds to 0.01 s."""
    found = {
        "paths": [asdict(p) for p in times.paths],
        "summary": times.summary(),
        "offers": times.offers,
        "chosen": times.chosen,
        "seconds": times.source,
    }
    return json.dumps(_rounded(found), indent=1)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="the figures as JSON, for machines")
    args = parser.parse_args(argv)
    times = measure()
    print(as_json(times) if args.json else "\n".join(table(times)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
