"""Log lines a client cannot forge: control characters escaped in every message logged.

Values a client chooses reach log lines: a CallSid or ErrorCode on the unsigned fallback, a
request's path, a login name, an exception that quotes what it could not parse. A line break
in one would start a line of the client's making (``\\r\\nINFO ivr.web.staff.auth: staff
login: anna``), and a Unicode line separator or a right-to-left override can do the same in a
log viewer. Every such character in a message is written as its escape (``\\r``, ``\\n``,
``\\x00``, ``\\u2028``, ``\\u202e``); tabs too. Letters beyond ASCII (é, ï) stay as they are.

One mechanism for every log line, whoever writes it and however it is printed: each record
the process makes is an ``EscapedRecord`` (``logging.setLogRecordFactory``), whose
``getMessage`` (what every formatter prints) is escaped. It therefore holds for the line's
loggers, the staff console's, the libraries' (werkzeug, waitress) and for whatever handlers
and formats the server or the platform configures, before or after ``create_app`` installs
it. A traceback stays readable, one frame a line: only the exception's own message, which may
quote input, is escaped.
"""

from __future__ import annotations

import logging
import traceback
import unicodedata
from collections.abc import Iterator
from types import TracebackType
from typing import Any

# Characters written escaped (besides the other control and format characters): the line and
# paragraph separators a log viewer may break a line on.
_SEPARATORS = frozenset({"Zl", "Zp"})
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def escaped(text: str) -> str:
    """``text`` with each control, format or line-separator character written as its escape."""
    if text.isprintable():  # the common case, at C speed (a space is printable)
        return text
    return "".join(_escape(ch) if _hidden(ch) else ch for ch in text)


def _hidden(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] == "C" or category in _SEPARATORS


def _escape(ch: str) -> str:
    if ch.isascii():
        return ch.encode("unicode_escape").decode("ascii")  # \n, \r, \t, \x00
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


class EscapedRecord(logging.LogRecord):
    """A log record whose message and exception text have their control characters escaped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.exc_info and self.exc_info[0] is not None:
            # Formatters use exc_text when it is set: the traceback, its messages escaped.
            self.exc_text = readable_traceback(self.exc_info)

    def getMessage(self) -> str:  # logging's name
        return escaped(super().getMessage())


def readable_traceback(exc_info: ExcInfo) -> str:
    """The traceback as ``logging.Formatter.formatException`` writes it, with the message of
    each exception in it (the chained ones too) escaped: frames stay one a line."""
    top = traceback.TracebackException(*exc_info)
    messages = {chunk for found in _chain(top) for chunk in found.format_exception_only()}
    text = "".join(
        escaped(chunk.removesuffix("\n")) + "\n" if chunk in messages else chunk
        for chunk in top.format()
    )
    return text.removesuffix("\n")


def _chain(exc: traceback.TracebackException) -> Iterator[traceback.TracebackException]:
    """An exception and every exception chained to it or grouped in it."""
    seen: set[int] = set()
    waiting = [exc]
    while waiting:
        found = waiting.pop()
        if id(found) in seen:
            continue
        seen.add(id(found))
        yield found
        waiting.extend(e for e in (found.__cause__, found.__context__) if e is not None)
        waiting.extend(getattr(found, "exceptions", None) or ())


def escape_log_lines() -> None:
    """Make every log record of this process an ``EscapedRecord`` (once; idempotent)."""
    if logging.getLogRecordFactory() is not EscapedRecord:
        logging.setLogRecordFactory(EscapedRecord)
