"""What the tests share besides fixtures: signed callers, the clock, staff, fakes, browsers.

Fixtures live in tests/conftest.py; everything a test module imports lives here, in a module
named for what it owns.
"""
