"""English, for carers in Amsterdam whose Dutch is not enough: British English (en-GB).

The prompts are ``prompts/en.yaml`` and the tree's texts ``tree/translations/en.yaml``, both
translations of the Dutch (``ivr.core.translation``); these are the words the core builds spoken
English from. The Dutch names a caller must say or recognise (Sociaal loket, Wmo, Wlz) stay Dutch
in the texts, so the acronyms are spelled as Dutch callers know them, in English letters.
"""

from __future__ import annotations

from ivr.core.language import (
    CalendarWords,
    ClockWords,
    Language,
    ReplyWords,
    WrittenWords,
    words,
)
from ivr.core.languages.nl import LANGUAGE as DUTCH

# Twilio's en-GB voices that read SSML, so a slower <prosody rate> works with each: Amazon
# Polly's standard and neural voices, and Google's Standard, WaveNet and Neural2 voices (not
# Polly's generative nor Google's Chirp3-HD voices, which read little or no SSML).
# As listed in twilio-node's src/twiml/VoiceResponse.ts (SayVoice).
_POLLY = ("Amy", "Brian", "Emma", "Amy-Neural", "Brian-Neural", "Emma-Neural", "Arthur-Neural")
_GOOGLE = tuple(
    f"Google.en-GB-{kind}-{letter}"
    for kind in ("Standard", "Wavenet", "Neural2")
    for letter in "ABCDFNO"
)

LANGUAGE = Language(
    code="en",
    name="English",
    dutch_name="Engels",
    twilio_language="en-GB",
    voices=(*(f"Polly.{name}" for name in _POLLY), *_GOOGLE),
    numbers=words("zero one two three four five six seven eight nine ten eleven twelve"),
    clock=ClockWords(
        o_clock="{hour} o'clock",
        half="half past {hour}",
        quarter_past="quarter past {hour}",
        quarter_to="quarter to {next}",
        minutes="{minutes} minutes past {hour}",
    ),
    calendar=CalendarWords(
        weekdays=words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
        weekday_abbreviations=words("Mon Tue Wed Thu Fri Sat Sun"),
        months=words(
            "January February March April May June July August September October November December"
        ),
        workdays="on weekdays",
        one_day="on {day}",
        days="{first} to {last}",
        opening="{days} from {start} to {end}",
        openings_joined_by=", and ",
        today="today at {time}",
        tomorrow="tomorrow at {time}",
        this_week="on {weekday} at {time}",
        later="on {day} {month} at {time}",
    ),
    replies=ReplyWords(
        letters="a-z'",  # "don't" is one word
        yes=frozenset(words("yes yeah yep yup ya sure okay ok correct right please certainly")),
        no=frozenset(words("no nope nah not never don't dont")),
        certain_yes=frozenset({"yes", "yeah", "yep"}),
        certain_no=frozenset({"no", "nope"}),
        help=(
            "don't know",
            "dont know",
            "not sure",
            "no idea",
            "don't understand",
            "explain",
            "what does",
            "what do you mean",
        ),
        operator=(
            "operator",
            "a person",
            "real person",
            "human",
            "speak to someone",
            "talk to someone",
            "staff",
        ),
        repeat=("repeat", "say again", "say that again", "once more", "one more time", "pardon"),
        back=("go back", "back", "previous"),
        help_together=(frozenset({"not", "know"}), frozenset({"no", "idea"})),
        hints="yes, no, yes please, no thanks, I don't know, repeat, go back, operator",
    ),
    written=WrittenWords(
        abbreviations=(
            ("e.g.", "for example"),
            ("i.e.", "that is"),
            ("etc.", "and so on"),
            ("approx.", "about"),
            ("incl.", "including"),
            ("max.", "at most"),
            ("tel.", "phone"),
        ),
        # The Dutch acronyms a caller must say to Dutch services, in English letters ("W L Z").
        spelled=DUTCH.written.spelled,
        day_range_marks=("to",),
        time_range_marks=("to",),
        o_clock_mark="hrs",
        days="{first} to {last}",
        times="from {start} to {end}",
        times_after="{start} to {end}",
        times_after_word="from",
        free_number="freephone {number}",
        free_word="free",  # "free" and "freephone"
    ),
    # The Dutch names the texts keep (Cliëntenbelang), written plainly as in Dutch; and a curly
    # apostrophe, outside GSM 03.38, as a straight one.
    sms_plain_letters=(
        DUTCH.sms_plain_letters[0] + "\u2019",
        DUTCH.sms_plain_letters[1] + "'",
    ),
    choice_key="7",
    choice="For English, press 7.",
    # What Dutch speech recognition (nl-NL) writes when a caller says the language's name.
    choice_words=frozenset({"english", "engels", "engelse", "engelstalig"}),
)
