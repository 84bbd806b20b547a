"""Transitional: tests/support/browser.py. Delete once test_bench.py imports it from there."""

from tests.support.browser import serving  # noqa: F401
