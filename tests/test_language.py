"""The language bundle: Dutch is complete, and every module that speaks takes its words from it.

The modules are checked with a language made up here from English words (``OTHER``): whatever
they say in it comes from the bundle they were given, not from Dutch built into them.
"""

from __future__ import annotations

import ast
import pkgutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ivr.core import languages
from ivr.core.actions import Ask, Say
from ivr.core.call_state import Route, Step
from ivr.core.callback_request import CallbackRequest
from ivr.core.errors import LanguageError
from ivr.core.flow import CallFlow
from ivr.core.hours import AMSTERDAM, HolidayRule, OpeningHours, parse_hours, spoken_moment
from ivr.core.language import CalendarWords, ClockWords, Language, ReplyWords, WrittenWords
from ivr.core.languages import DUTCH, find
from ivr.core.normalise import Normaliser
from ivr.core.phone import parse_dutch_number
from ivr.core.prompts import REQUIRED, Prompts, check_prompts
from ivr.core.replies import Reply, classify
from ivr.core.sms_text import advice_text
from ivr.core.translated import dutch_texts, read_entries, translate_tree
from ivr.core.translation import check_all, numbers_in
from ivr.core.tree_model import Offering, Tree
from ivr.web.twiml import TwimlWriter
from tests.support.checkout import CHECKOUT

OTHER = Language(
    code="xx",
    name="Testish",
    dutch_name="Testisch",
    twilio_language="en-GB",
    voices=("Polly.Amy", "Polly.Brian"),
    numbers=tuple("zero one two three four five six seven eight nine ten eleven twelve".split()),
    clock=ClockWords(
        o_clock="{hour} o'clock",
        half="half past {hour}",
        quarter_past="quarter past {hour}",
        quarter_to="quarter to {next}",
        minutes="{hour} {minutes}",
    ),
    calendar=CalendarWords(
        weekdays=tuple("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()),
        weekday_abbreviations=tuple("mon tue wed thu fri sat sun".split()),
        months=tuple(
            "January February March April May June July August September October November "
            "December".split()
        ),
        workdays="on weekdays",
        one_day="on {day}",
        days="from {first} to {last}",
        opening="{days} from {start} to {end}",
        openings_joined_by="; and ",
        today="today at {time}",
        tomorrow="tomorrow at {time}",
        this_week="on {weekday} at {time}",
        later="on {month} {day} at {time}",
    ),
    replies=ReplyWords(
        letters="a-z",
        yes=frozenset({"yes", "sure"}),
        no=frozenset({"no", "not"}),
        certain_yes=frozenset({"yes"}),
        certain_no=frozenset({"no"}),
        help=("no idea",),
        operator=("a person",),
        repeat=("again",),
        back=("go back",),
        help_together=(frozenset({"dont", "know"}),),
        hints="yes, no, again",
    ),
    written=WrittenWords(
        abbreviations=(("e.g.", "for example"),),
        spelled=("NHS",),
        day_range_marks=("thru",),
        time_range_marks=("to",),
        o_clock_mark="h",
        days="{first} to {last}",
        times="from {start} to {end}",
        times_after="{start} to {end}",
        times_after_word="from",
        free_number="free number {number}",
        free_word="free",
    ),
    sms_plain_letters=("é", "e"),
    choice_key="7",
    choice="For Testish, press 7.",
    choice_words=frozenset({"testish"}),
)
MARKANT = parse_dutch_number("020 886 88 00")
MONDAY_NOON = datetime(2026, 1, 5, 12, tzinfo=AMSTERDAM)


def test_dutch_is_the_source_and_is_found_by_its_code() -> None:
    assert find("nl") is DUTCH
    assert (DUTCH.code, DUTCH.twilio_language, DUTCH.voice) == ("nl", "nl-NL", "Polly.Lotte")
    assert DUTCH.prompts_file == "nl.yaml"


@pytest.mark.parametrize("code", [info.name for info in pkgutil.iter_modules(languages.__path__)])
def test_every_language_has_its_module_and_complete_texts(code: str, shipped_tree: Tree) -> None:
    """Adding a language is its module, ``ivr/core/languages/<code>.py``, and its prompts; a
    translation also has the tree's texts, each prompt but the whisper's and each tree text."""
    language = find(code)
    text = (CHECKOUT / "prompts" / language.prompts_file).read_text(encoding="utf-8")
    if code == DUTCH.code:
        prompts, problems = check_prompts(text, language.prompts_file)
        assert (language.code, problems, prompts is not None) == (code, [], True)
        return
    translated = (CHECKOUT / "tree" / "translations" / language.prompts_file).read_text("utf-8")
    prompts_read, tree_read = read_entries(text, "p"), read_entries(translated, "t")
    assert (language.code, prompts_read[1], tree_read[1]) == (code, [], [])
    assert sorted(prompts_read[0]) == sorted(k for k in REQUIRED if not k.startswith("whisper_"))
    assert sorted(tree_read[0]) == sorted(dutch_texts(shipped_tree))


def test_a_translated_tree_names_a_service_contact_as_its_service(shipped_tree: Tree) -> None:
    english = find("en")
    text = (CHECKOUT / "tree" / "translations" / "en.yaml").read_text(encoding="utf-8")
    entries, _ = read_entries(text, "en.yaml")
    checked = check_all(dutch_texts(shipped_tree), entries, english, DUTCH)
    offering = translate_tree(shipped_tree, checked).nodes["activiteit"]
    assert isinstance(offering, Offering)
    assert [contact.name for contact in offering.contacts] == ["the Sociaal loket"]


@pytest.mark.parametrize(
    ("code", "text", "numbers"),
    [
        pytest.param("en", "Up to thirty-six times a year.", [], id="a-hyphenated-word-is-one"),
        pytest.param("en", "Call one one two, or 0800-0643.", ["0643", "0800", "112"],
                     id="digits-and-words"),
        pytest.param("tr", "Yakınınız on sekiz yaşından küçük mü? On dakika.", ["10"],
                     id="tr-above-twelve-in-words-is-left-out"),
        pytest.param("tr", "İki kez 1'e basın, bir kez.", ["1", "2"],
                     id="tr-capital-i-and-the-article-bir"),
        pytest.param("tr", "On bir gün, on iki ay, on gün.", ["10", "11", "12"],
                     id="tr-eleven-and-twelve-are-two-words"),
    ],
)  # fmt: skip
def test_a_translation_says_numbers_in_digits_or_its_words(
    code: str, text: str, numbers: list[str]
) -> None:
    assert sorted(numbers_in(text, find(code)).elements()) == numbers


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("fr", "language 'fr': the line has no such language "
                     "(ivr.core.languages.fr)", id="not-there"),
        pytest.param("NL", "language 'NL': a language code is two or three small letters, "
                     "like 'nl'", id="capitals"),
        pytest.param("nl.nl", "language 'nl.nl': a language code is two or three small "
                     "letters, like 'nl'", id="a-module-path"),
    ],
)  # fmt: skip
def test_a_language_the_line_does_not_have_is_refused(code: str, message: str) -> None:
    with pytest.raises(LanguageError) as raised:
        find(code)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param({"numbers": DUTCH.numbers[:10]}, "numbers has 10 words, not 13",
                     id="numbers-to-nine"),
        pytest.param({"voices": ()}, "voices: a recorded language has none, any other at least one",
                     id="no-voice"),
        pytest.param({"calendar": replace(DUTCH.calendar, weekdays=DUTCH.calendar.weekdays[:5])},
                     "weekdays has 5 words, not 7", id="five-weekdays"),
        pytest.param({"clock": replace(DUTCH.clock, half="half {uur}")},
                     "half 'half {uur}' uses unknown placeholder(s) uur", id="clock-placeholder"),
        pytest.param({"calendar": replace(DUTCH.calendar, later="op {dag} {month} om {time}")},
                     "later 'op {dag} {month} om {time}' uses unknown placeholder(s) dag",
                     id="unknown-placeholder"),
        pytest.param({"written": replace(DUTCH.written, free_number="gratis {number")},
                     "free_number 'gratis {number': expected '}' before end of string",
                     id="broken-brace"),
        pytest.param({"replies": replace(DUTCH.replies, hints="")}, "hints is empty",
                     id="no-hints"),
        pytest.param({"sms_plain_letters": ("ëï", "e")},
                     "sms_plain_letters: each letter needs one plain letter", id="sms-letters"),
    ],
)  # fmt: skip
def test_an_incomplete_language_cannot_be_made(change: dict[str, object], problem: str) -> None:
    with pytest.raises(LanguageError) as raised:
        replace(DUTCH, **change)  # type: ignore[arg-type]
    assert str(raised.value) == f"language 'nl': {problem}"


def test_a_language_without_abbreviations_or_acronyms_is_complete() -> None:
    bare = replace(OTHER, written=replace(OTHER.written, abbreviations=(), spelled=()))
    assert Normaliser(bare)("Call e.g. the NHS.") == "Call e.g. the NHS."


# -- every module takes its words from the bundle it is given ---------------------------------


def test_phone_numbers_are_read_in_the_language() -> None:
    assert MARKANT.spoken_in(OTHER) == "zero two zero, eight eight six, eight eight, zero zero"
    assert MARKANT.spoken == MARKANT.spoken_in(DUTCH)


@pytest.mark.parametrize(
    ("when", "said"),
    [
        pytest.param(datetime(2026, 1, 5, 16, 30, tzinfo=AMSTERDAM), "today at half past four",
                     id="today-half"),
        pytest.param(datetime(2026, 1, 6, 9, 0, tzinfo=AMSTERDAM), "tomorrow at nine o'clock",
                     id="tomorrow"),
        pytest.param(datetime(2026, 1, 8, 9, 15, tzinfo=AMSTERDAM),
                     "on Thursday at quarter past nine", id="this-week"),
        pytest.param(datetime(2026, 1, 20, 12, 45, tzinfo=AMSTERDAM),
                     "on January 20 at quarter to one", id="later"),
        pytest.param(datetime(2026, 1, 5, 13, 10, tzinfo=AMSTERDAM), "today at one 10",
                     id="minutes"),
    ],
)  # fmt: skip
def test_moments_are_said_in_the_language(when: datetime, said: str) -> None:
    assert spoken_moment(when, MONDAY_NOON, OTHER) == said


def test_opening_hours_are_said_in_their_language() -> None:
    blocks = parse_hours("ma-vr 09:00-16:00; za 10:00-12:30; zo 10:00-11:00")
    hours = OpeningHours(blocks, HolidayRule(), language=OTHER)
    assert hours.spoken() == (
        "on weekdays from nine to four o'clock; and on Saturday from ten to half past twelve; "
        "and on Sunday from ten to eleven o'clock"
    )
    assert hours.reopens(datetime(2026, 1, 5, 17, tzinfo=AMSTERDAM)) == "tomorrow at nine o'clock"


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        pytest.param("Yes, sure", Reply.YES, id="yes"),
        pytest.param("not now", Reply.NO, id="no"),
        pytest.param("yes no", Reply.UNKNOWN, id="yes-and-no"),
        pytest.param("I dont really know", Reply.HELP, id="help-words-together"),
        pytest.param("no idea", Reply.HELP, id="help-phrase"),
        pytest.param("a person please", Reply.OPERATOR, id="operator"),
        pytest.param("say it again", Reply.REPEAT, id="repeat"),
        pytest.param("go back", Reply.BACK, id="back"),
        pytest.param("ja", Reply.UNKNOWN, id="dutch-is-not-this-language"),
    ],
)
def test_spoken_replies_are_heard_in_the_language(said: str, reply: Reply) -> None:
    assert classify(None, said, OTHER.replies) is reply


@pytest.mark.parametrize(
    ("written", "said"),
    [
        pytest.param("Open mon-fri 09:00-17:00.",
                     "Open Monday to Friday from nine to five o'clock.", id="days-and-times"),
        pytest.param("Open mon thru fri.", "Open Monday to Friday.", id="day-range-mark"),
        pytest.param("Open from 9.00 to 17.00 h.", "Open from nine to five o'clock.",
                     id="times-after-from"),
        pytest.param("Call 0800 0643.", "Call free number zero eight zero zero, zero six four "
                     "three.", id="free-number"),
        pytest.param("It is free: 0800 0643.", "It is free: zero eight zero zero, zero six "
                     "four three.", id="free-said-already"),
        pytest.param("Help, e.g. shopping, from the NHS.",
                     "Help, for example shopping, from the N H S.", id="abbreviation-acronym"),
        pytest.param("Bel ma-vr, bijv. de ELV.", "Bel ma-vr, bijv. de ELV.",
                     id="dutch-is-left-alone"),
    ],
)  # fmt: skip
def test_written_text_is_normalised_by_the_language(written: str, said: str) -> None:
    assert Normaliser(OTHER)(written) == said


def test_the_twiml_writer_speaks_and_listens_in_the_language() -> None:
    writer = TwimlWriter(lambda step: "/voice", {}, language=OTHER)
    xml = writer.render((Say("Call 020 886 88 00."), Ask(("Yes?",), Step(Route.ANSWER))))
    root = ElementTree.fromstring(xml)
    say = root.find("Say")
    gather = root.find("Gather")
    assert say is not None and gather is not None
    assert (say.text, say.attrib) == (
        "Call zero two zero, eight eight six, eight eight, zero zero.",
        {"language": "en-GB", "voice": "Polly.Amy"},
    )
    assert (gather.attrib["language"], gather.attrib["hints"]) == ("en-GB", "yes, no, again")


def _dutch_prompts() -> Prompts:
    text = (CHECKOUT / "prompts" / "nl.yaml").read_text(encoding="utf-8")
    prompts, _ = check_prompts(text, "nl.yaml")
    assert prompts is not None
    return prompts


class _NoStorage:
    """Callback requests, kept nowhere (only the promise is looked at)."""

    def hold(self, request: CallbackRequest) -> None: ...
    def held(self, call_key: str) -> CallbackRequest | None: ...
    def add(self, request: CallbackRequest) -> int:
        return 1


@pytest.fixture(scope="module")
def other_flow(shipped_tree: Tree) -> CallFlow:
    """The shipped tree with the Dutch prompts, but the numbers and hours of ``OTHER``."""
    opening_hours = {
        sid: OpeningHours(parse_hours("ma-vr 09:00-17:00"), language=OTHER)
        for sid in shipped_tree.services
    }
    return CallFlow(shipped_tree, _dutch_prompts(), opening_hours, _NoStorage(), 3, language=OTHER)


def test_the_call_flow_says_numbers_and_hours_in_its_language(other_flow: CallFlow) -> None:
    said = other_flow.say.call_later("markant")
    assert [s.text for s in said] == [
        "Bel de helpdesk van Markant later zelf. Het nummer is zero two zero, eight eight six, eight eight, "
        "zero zero. Ik herhaal: zero two zero, eight eight six, eight eight, zero zero.",
        "De helpdesk van Markant is open on weekdays from nine to five o'clock.",
    ]


def test_the_callback_promise_counts_days_in_the_language(other_flow: CallFlow) -> None:
    assert other_flow.callbacks is not None
    assert other_flow.callbacks.promise == ("Dat gebeurt binnen three werkdagen.",)


def test_the_sms_writes_the_language_s_letters_plainly(other_flow: CallFlow) -> None:
    offering = next(n for n in other_flow.tree.nodes.values() if isinstance(n, Offering))
    accented = replace(offering, title="Café Cliëntenbelang")
    text = advice_text(other_flow.say, accented)
    assert text.startswith("Cafe Cliëntenbelang.\n")  # OTHER writes é plainly, not ë


# -- one home: the modules that speak hold no Dutch words of their own ------------------------

SPEAKING_MODULES = (
    "ivr/core/hours.py",
    "ivr/core/phone.py",
    "ivr/core/normalise.py",
    "ivr/core/replies.py",
    "ivr/core/speech.py",
    "ivr/core/sms_flow.py",
    "ivr/core/callback_flow.py",
    "ivr/core/flow.py",
    "ivr/core/tree_walk.py",
    "ivr/web/twiml.py",
    "ivr/config/voices.py",
)
DUTCH_WORDS = {
    DUTCH.twilio_language,
    DUTCH.replies.hints,
    *DUTCH.numbers,
    *DUTCH.calendar.weekdays,
    *DUTCH.calendar.months,
    *DUTCH.voices,
    *(full for _, full in DUTCH.written.abbreviations),
    *DUTCH.written.spelled,
    *DUTCH.replies.certain_yes,  # not all of "yes": "ok" and "no" are English too
    *DUTCH.replies.certain_no,
    *DUTCH.replies.help,
    *DUTCH.replies.operator,
    *DUTCH.replies.repeat,
    *DUTCH.replies.back,
}


def _string_constants(path: Path) -> set[str]:
    """The strings a module's code holds: not its docstrings, nor the values of the names a
    class body gives (``Reply.YES = "ja"`` names a reply; it is not said or heard)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    } | {
        id(statement.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for statement in node.body
        if isinstance(statement, ast.Assign)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    }  # fmt: skip


@pytest.mark.parametrize("module", SPEAKING_MODULES)
def test_a_module_that_speaks_has_no_dutch_words_built_in(module: str) -> None:
    found = {
        word
        for text in _string_constants(CHECKOUT / module)
        for word in DUTCH_WORDS
        if word == text or word in (text if len(word) > 4 else text.split())
    }
    assert found == set()
