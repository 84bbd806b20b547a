"""The pure core of the line: the tree, the prompts, hours, numbers, call state and the call flow.

No I/O, and nothing of Flask, Werkzeug, Twilio, SQLAlchemy, click, gTTS or requests: the
import-linter contracts in pyproject.toml enforce it (``lint-imports``, part of the test command).
"""
