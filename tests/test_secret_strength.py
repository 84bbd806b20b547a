"""Weak secrets stop the web app at start, naming the setting: a SECRET_KEY or CALL_KEY_SECRET
that zxcvbn estimates as guessable, never by a rule about characters (every key made by the
README's recipe passes); development mode takes any key."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from flask import Flask

from ivr.config.secret_strength import MIN_GUESSES_LOG10, guesses_log10
from ivr.core.errors import ConfigError

WEAK = [
    pytest.param("a" * 32, "about 10^3 guesses", id="one-letter-repeated"),
    pytest.param("abcdefghijklmnopqrstuvwxyz012345", "about 10^4 guesses", id="alphabet-run"),
    pytest.param("0123456789abcdef0123456789abcdef", "about 10^4 guesses", id="hex-run-twice"),
    pytest.param(
        "markant-mantelzorglijn-secret-key-2026", "about 10^22 guesses", id="obvious-words"
    ),
]


@pytest.mark.parametrize(("secret", "estimate"), WEAK)
@pytest.mark.parametrize("key", ["SECRET_KEY", "CALL_KEY_SECRET"])
def test_a_guessable_secret_stops_the_line_naming_the_setting(
    make_app: Callable[..., Flask], key: str, secret: str, estimate: str
) -> None:
    with pytest.raises(ConfigError) as info:
        make_app(**{key: secret})
    assert str(info.value) == (
        f"{key}: is too easy to guess ({estimate}; at least 10^25 are needed): it has a "
        "pattern, a repeat or common words. Use a random value; make one with: python3 -c "
        "'import secrets; print(secrets.token_hex(32))'"
    )


@pytest.mark.parametrize(("secret", "estimate"), WEAK)
def test_development_mode_takes_any_key(
    make_app: Callable[..., Flask], secret: str, estimate: str
) -> None:
    app = make_app(IVR_DEV_MODE="1", SECRET_KEY=secret, CALL_KEY_SECRET=secret)
    assert app.test_client().get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("random_bytes", "keys", "margin"),
    [
        pytest.param(32, 10, 30, id="token_hex(32)"),  # the README's recipe
        pytest.param(16, 200, 1, id="token_hex(16)"),  # 32 random characters, the least allowed
    ],
)
def test_every_random_key_of_32_characters_or_more_is_strong_enough(
    random_bytes: int, keys: int, margin: float
) -> None:
    """Random hex keys (from a fixed seed) pass with room to spare: zxcvbn scores the weakest
    of 5,000 token_hex(16) keys 26.8."""
    draw = random.Random(random_bytes)
    estimates = [guesses_log10(draw.randbytes(random_bytes).hex()) for _ in range(keys)]
    assert min(estimates) > MIN_GUESSES_LOG10 + margin


def test_a_strong_key_starts_the_line(make_app: Callable[..., Flask]) -> None:
    strong = random.Random(7).randbytes(32).hex()
    app = make_app(SECRET_KEY=strong, CALL_KEY_SECRET=strong[::-1])
    assert app.test_client().get("/healthz").status_code == 200
