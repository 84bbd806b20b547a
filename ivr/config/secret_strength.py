"""Whether a secret could be guessed: the secret settings, checked once when the line starts,
and staff passwords, checked when they are set (``ivr.storage.accounts``).

``SECRET_KEY`` signs the staff console's login cookies and, with ``CALL_KEY_SECRET``, keys the
callers' pseudonyms: whoever guesses it can forge a helpdesk worker's session. Its strength is
zxcvbn's estimate of the guesses needed (patterns, repeats, sequences, dictionary words), not a
rule about which characters it holds: a rule such as "no repeated character" would refuse some
keys made by the README's own recipe, ``secrets.token_hex(32)``.

The Twilio auth token is not chosen by the operator: Twilio's are 32 hexadecimal characters, so
any other value is a copy error (or a placeholder) and every signature check would fail.
"""

from __future__ import annotations

import re
from functools import cache

from zxcvbn import zxcvbn

from ivr.core.errors import ConfigError

# zxcvbn's estimate, as log10 of the guesses needed. It underestimates random keys: 32 random
# hex characters (secrets.token_hex(16), 128 bits, 10^38.5) score 26.8 to about 40, 64 of them
# (token_hex(32), the README's recipe) about 58 to 62. 25 (about 83 bits) accepts every such key
# and uuid4().hex, and refuses "a" * 32 (2.6), a keyboard or alphabet run (4) and phrases of
# common or obvious words (22).
MIN_GUESSES_LOG10 = 25.0
# zxcvbn looks at most this many characters (its own limit); the rest only adds strength.
ESTIMATED_LENGTH = 72
# Words anyone would try first for this line's keys.
# zxcvbn's lists are English: the Dutch words of the commonest Dutch passwords are added.
OBVIOUS_WORDS = [
    *("markant", "mantelzorg", "mantelzorglijn", "amsterdam", "ivr", "twilio", "secret"),
    *("wachtwoord", "welkom", "geheim", "helpdesk", "hallo", "voorjaar", "zomer", "herfst"),
    *("winter", "maandag", "januari", "ajax", "nederland", "liefde", "schatje", "zorg"),
]
TWILIO_TOKEN = re.compile(r"[0-9a-f]{32}")
MIN_SECRET = 32  # characters
SECRET_HINT = "make one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"


def guesses_log10(secret: str, hints: tuple[str, ...] = ()) -> float:
    """zxcvbn's estimate of how many guesses find ``secret``, as a power of ten. zxcvbn knows
    the 30,000 commonest passwords, English words and names, keyboard runs, dates, repeats and
    sequences; ``hints``: words an attacker would also try first (a user name). Not cached: a
    staff password must not stay in the process's memory."""
    words = [*OBVIOUS_WORDS, *hints]
    return float(zxcvbn(secret[:ESTIMATED_LENGTH], user_inputs=words)["guesses_log10"])


@cache  # about 20 ms a key: the line and its tests build apps with the same keys again
def _setting_guesses_log10(secret: str) -> float:
    """``guesses_log10`` of a secret setting (already in the process's environment)."""
    return guesses_log10(secret)


def refuse_weak_secret(key: str, secret: str, dev_mode: bool) -> None:
    """ConfigError naming ``key`` when ``secret`` is too short, or (outside development mode)
    could be guessed."""
    if len(secret.strip()) < MIN_SECRET:
        raise ConfigError(
            key, f"is too short: use at least {MIN_SECRET} random characters; {SECRET_HINT}"
        )
    if dev_mode:
        return
    estimate = _setting_guesses_log10(secret)
    if estimate < MIN_GUESSES_LOG10:
        raise ConfigError(
            key,
            f"is too easy to guess (about 10^{estimate:.0f} guesses; at least "
            f"10^{MIN_GUESSES_LOG10:.0f} are needed): it has a pattern, a repeat or common "
            f"words. Use a random value; {SECRET_HINT}",
        )


def refuse_foreign_token(token: str) -> None:
    """ConfigError when ``token`` cannot be a Twilio auth token (32 hexadecimal characters)."""
    if not TWILIO_TOKEN.fullmatch(token):
        length = f"{len(token)} character{'' if len(token) == 1 else 's'}"
        raise ConfigError(
            "TWILIO_AUTH_TOKEN",
            f"is not a Twilio auth token: those are 32 characters 0-9 and a-f, this one has "
            f"{length}{'' if token.isalnum() else ' and others'}. Copy it again "
            "from the Twilio console (Account info, Auth Token)",
        )
