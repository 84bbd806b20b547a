"""The key of the calls' pseudonyms: CALL_KEY_SECRET when set, else a key derived from
SECRET_KEY for this purpose alone, never SECRET_KEY itself (issue 22, item 7); and the key of
the login addresses, derived for that alone."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from flask import Flask

from ivr.config.settings import Settings
from ivr.config.staff import call_key_secret, default_call_key_secret, staff_settings
from tests.support.signing import SECRET


def key_for(env: dict[str, str], **overrides: str) -> bytes:
    settings = Settings.from_env({**env, **overrides})
    return call_key_secret(settings, staff_settings(settings))


def test_without_call_key_secret_the_key_is_derived_from_secret_key_never_equal_to_it(
    env: dict[str, str],
) -> None:
    key = key_for(env)
    # HKDF-Expand's first block under SECRET_KEY, over the fixed purpose label
    label = b"mantelzorglijn/call-pseudonyms/v1\x01"
    expected = hmac.new(SECRET.encode(), label, hashlib.sha256).hexdigest().encode()
    assert key == expected
    assert key != SECRET.encode() and SECRET.encode() not in key
    assert len(key) == 64


def test_the_derived_key_is_the_same_at_every_start(env: dict[str, str]) -> None:
    assert key_for(env) == key_for(env) == default_call_key_secret(SECRET)


def test_another_secret_key_derives_another_key(env: dict[str, str]) -> None:
    other = SECRET[::-1]
    assert key_for(env, SECRET_KEY=other) == default_call_key_secret(other)
    assert default_call_key_secret(other) != default_call_key_secret(SECRET)


@pytest.mark.parametrize(
    "own",
    [
        pytest.param("9f2c4e7a1b3d5f60718293a4b5c6d7e8f9012345", id="hex-40"),
        pytest.param("  9f2c4e7a1b3d5f60718293a4b5c6d7e8f9012345  ", id="surrounding-spaces"),
    ],
)
def test_an_explicit_call_key_secret_wins(env: dict[str, str], own: str) -> None:
    assert key_for(env, CALL_KEY_SECRET=own) == own.strip().encode()


def test_login_addresses_are_hashed_with_a_key_of_their_own(console: Flask) -> None:
    """The addresses failed logins are counted by are keyed by a key derived for that alone:
    neither SECRET_KEY (the cookies') nor the pseudonyms' key."""
    label = b"mantelzorglijn/login-addresses/v1\x01"
    expected = hmac.new(SECRET.encode(), label, hashlib.sha256).hexdigest().encode()
    assert console.extensions["ivr_staff"].accounts.tries._secret == expected
    assert expected not in (SECRET.encode(), default_call_key_secret(SECRET))
