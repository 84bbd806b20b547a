"""What a staff account's user name and password must be: the name's form (``check_username``)
and today's password rule (``password_problem``: long enough, and hard to guess by zxcvbn's
estimate). ``ivr.storage.accounts`` stores the accounts and checks this at every new password,
and again at a login with a password set before today's rule (``Accounts.log_in``).
"""

from __future__ import annotations

import re

from ivr.config.secret_strength import guesses_log10
from ivr.core.errors import UsageError

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD = 12  # characters
# zxcvbn's estimate of the guesses that find a password, as a power of ten: its top score ("very
# unguessable"). Refuses every one of the commonest passwords, words with digits ("Welkom2026!!!",
# 10^8.3) and keyboard runs; accepts a phrase of a few words ("regen-tafel-boom-73").
MIN_PASSWORD_GUESSES_LOG10 = 10.0
# The example of a good password the message gives: published, so refused itself.
EXAMPLE_PASSWORD = "zomer-fiets-lamp-42"


def check_username(raw: str) -> str:
    name = raw.strip().lower()
    if not USERNAME.fullmatch(name):
        raise UsageError(
            f"{raw!r} is not a user name: use 1 to 64 letters, digits, '.', '_' or '-'"
        )
    return name


def password_problem(password: str, username: str) -> str | None:
    """Why ``password`` is too weak for ``username``'s account; None when it is strong enough."""
    if len(password) < MIN_PASSWORD:
        return f"the password is too short: use at least {MIN_PASSWORD} characters"
    if guesses_log10(password, (username, EXAMPLE_PASSWORD)) < MIN_PASSWORD_GUESSES_LOG10:
        return (
            "the password is too easy to guess: it is a common password, or it is made of a "
            "common word, a name, digits or a keyboard run. Use a few unrelated words of your "
            f"own, like '{EXAMPLE_PASSWORD}' (not that one: it is published)"
        )
    return None


def check_password(password: str, username: str) -> str:
    problem = password_problem(password, username)
    if problem:
        raise UsageError(problem)
    return password
