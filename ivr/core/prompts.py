"""The spoken system texts: loading, checking, filling placeholders.

One file per language, ``prompts/<code>.yaml`` (``Language.prompts_file``): Dutch is
``prompts/nl.yaml``.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

import yaml

from ivr.core.content_files import YAML_LOADER
from ivr.core.language import SOURCE, InLanguage

_SENTENCE_START = re.compile(r"(?:^|(?<=[.?!] ))[a-zà-ÿ]")

# Every prompt the call flow speaks, with the placeholders it fills in.
REQUIRED: dict[str, frozenset[str]] = {
    "welcome": frozenset(),
    "keys": frozenset(),
    "keys_short": frozenset(),
    "keys_full": frozenset(),
    "noinput_1": frozenset(),
    "noinput_2": frozenset(),
    "nomatch_1": frozenset(),
    "nomatch_2": frozenset(),
    "help_intro": frozenset(),
    "already_first": frozenset(),
    "back": frozenset(),
    "restart": frozenset(),
    "contact_call": frozenset({"service", "number"}),
    "contact_call_free": frozenset({"service", "number"}),
    "contact_call_hours": frozenset({"service", "number", "hours"}),
    "contact_call_free_hours": frozenset({"service", "number", "hours"}),
    "contact_hours": frozenset({"service", "hours"}),
    "offer_transfer": frozenset({"service"}),
    "offer_repeat": frozenset(),
    "offer_numbers": frozenset(),
    "numbers_intro": frozenset(),
    "closed_now": frozenset({"service", "hours"}),
    "closed_until": frozenset({"service", "when"}),
    "restart_question": frozenset(),
    "menu_help": frozenset(),
    "menu_help_offer": frozenset({"service"}),
    "recover_help": frozenset(),
    "connecting": frozenset({"service"}),
    "call_later": frozenset({"service", "number"}),
    "no_answer": frozenset(),
    "transfer_busy": frozenset(),
    "transfer_failed": frozenset(),
    "give_up": frozenset(),
    "give_up_crisis": frozenset(),
    "continue_question": frozenset(),
    "goodbye": frozenset(),
    "apology": frozenset({"service", "number"}),
    "recover_menu": frozenset(),
    "fallback": frozenset({"service", "number"}),
    # callback requests (ivr/core/callback_flow.py)
    "callback_offer": frozenset({"service"}),
    "callback_own_number": frozenset({"number"}),
    "callback_withheld": frozenset(),
    "callback_type_number": frozenset(),
    "callback_typed_number": frozenset({"number"}),
    "callback_bad_number": frozenset(),
    "callback_saved": frozenset({"service"}),
    "callback_next_workday": frozenset(),
    "callback_within_workdays": frozenset({"days"}),
    "callback_failed": frozenset({"service", "number"}),
    "callback_help": frozenset({"service"}),
    "callback_number_help": frozenset(),
    "callback_go_on": frozenset(),
    "callback_go_on_help": frozenset(),
    # the whisper to the person who answers a transfer (ivr/core/call_summary.py)
    "whisper_intro": frozenset(),
    "whisper_language": frozenset({"language"}),
    "whisper_offering": frozenset({"offering"}),
    "whisper_question": frozenset({"question"}),
    "whisper_yes": frozenset({"answers"}),
    "whisper_no": frozenset({"answers"}),
    "whisper_start": frozenset(),
    "whisper_accept": frozenset(),
    # the advice by SMS (ivr/core/sms_flow.py); sms_contact* and sms_web are the message itself
    "sms_offer": frozenset(),
    "sms_sent": frozenset(),
    "sms_failed": frozenset(),
    "sms_already": frozenset(),
    "sms_help": frozenset(),
    "sms_contact": frozenset({"service", "number"}),
    "sms_contact_hours": frozenset({"service", "number", "hours"}),
    "sms_web": frozenset({"web"}),
    "sms_signature": frozenset(),
    # the confirmation of a callback request by SMS (to a mobile), and what is said when sent
    "sms_callback": frozenset({"service", "number"}),
    "sms_callback_sent": frozenset(),
    # the SMS to a mobile number a caller without one types (read back as callback_typed_number)
    "sms_type_mobile": frozenset(),
    "sms_bad_mobile": frozenset(),
    "sms_mobile_help": frozenset(),
}


# The prompts only the helpdesk hears (the whisper before a transfer): always Dutch, never
# translated nor recorded.
DUTCH_ONLY_PREFIX = "whisper_"


@dataclass(frozen=True)
class Prompts:
    texts: dict[str, str]
    # In a translated language: the prompts still in Dutch, the source, as no translation of
    # them may be spoken (``ivr.core.translated``); said by the Dutch voice.
    in_source: frozenset[str] = frozenset()
    # Prompts without placeholders, capitalised once (most of what a call says).
    _plain: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plain = {
            k: self._marked(k, _capitalised(t.format()))
            for k, t in self.texts.items()
            if _is_plain(t)
        }
        object.__setattr__(self, "_plain", plain)

    def __call__(self, key: str, **values: str) -> str:
        """The prompt with its placeholders filled; every sentence starts with a capital."""
        if not values and key in self._plain:
            return self._plain[key]
        return self._marked(key, _capitalised(self.texts[key].format(**values)))

    def _marked(self, key: str, text: str) -> str:
        return InLanguage(text, SOURCE) if key in self.in_source else text


def _capitalised(text: str) -> str:
    return _SENTENCE_START.sub(lambda m: m[0].upper(), text)


def _is_plain(text: str) -> bool:
    """True for a text without any replacement field (named or not)."""
    return all(name is None for _, name, _, _ in string.Formatter().parse(text))


def placeholders(text: str) -> set[str]:
    """The names of ``text``'s placeholders; a ValueError for one with a format or conversion
    (``{service:d}``): it would fail when a call fills it in."""
    found = set()
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None and (spec or conversion):
            raise ValueError(f"placeholder {{{name}}} has a ':' or '!': write it as {{{name}}}")
        if name:
            found.add(name)
    return found


def check_prompts(text: str, filename: str) -> tuple[Prompts | None, list[str]]:
    """Check a prompts document against what the flow needs. Pure."""
    try:
        raw = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        return None, [f"{filename}:1: not valid YAML: {exc}"]
    if not isinstance(raw, dict):
        return None, [f"{filename}:1: prompts must map keys to texts"]
    root = yaml.compose(text, Loader=YAML_LOADER)
    lines = {k.value: k.start_mark.line + 1 for k, _ in root.value} if root else {}
    problems = []
    for key, needed in REQUIRED.items():
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{filename}:1: prompt {key!r} is referenced but missing")
            continue
        try:
            found = placeholders(value)
        except ValueError as exc:
            problems.append(f"{filename}:{lines[key]}: prompt {key!r}: {exc}")
            continue
        if found - needed:
            unknown = ", ".join(sorted(found - needed))
            problems.append(
                f"{filename}:{lines[key]}: prompt {key!r} uses unknown placeholder(s) {unknown}"
            )
    if problems:
        return None, problems
    texts = {k: " ".join(str(v).split()) for k, v in raw.items() if k in REQUIRED}
    return Prompts(texts), []
