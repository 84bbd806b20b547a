"""Transitional: tests/support/audio_fakes.py. Delete once test_bench.py imports it from there."""

from tests.support.audio_fakes import FakeEngine  # noqa: F401
