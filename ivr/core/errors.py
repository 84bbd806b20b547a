"""One exception root for the line; every message says what to do next."""

from __future__ import annotations


class IvrError(Exception):
    """Root of every error the line raises on purpose.

    ``exit_code`` is what the ``ivr`` command exits with when this error ends it.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(IvrError):
    """An environment variable is missing or malformed; the message names the key."""

    exit_code = 78  # EX_CONFIG

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key


class TreeError(IvrError):
    """The decision tree (or the prompts it refers to) cannot be used.

    ``problems`` holds every finding as ``file:line: message``.
    """

    exit_code = 65  # EX_DATAERR

    def __init__(self, problems: list[str]) -> None:
        listing = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"the tree is invalid ({len(problems)} problem(s)); fix these and run "
            f"'ivr validate' again:\n{listing}"
        )
        self.problems = problems


class LanguageError(IvrError):
    """A language the line does not have, or whose words are incomplete (``ivr.core.language``)."""

    exit_code = 78  # EX_CONFIG: a language is chosen by configuration

    def __init__(self, code: str, problems: list[str]) -> None:
        super().__init__(f"language {code!r}: " + "; ".join(problems))
        self.problems = problems


class PhoneNumberError(IvrError):
    """A phone number that is not a valid Dutch number."""

    exit_code = 65


class CallStateError(IvrError):
    """A webhook arrived with call state that does not fit the tree (bad URL parameters)."""

    exit_code = 65


class AudioError(IvrError):
    """Audio could not be rendered or the audio folder cannot be used."""

    exit_code = 69  # EX_UNAVAILABLE


class StorageError(IvrError):
    """The database could not be read or written (callback requests, sent SMS).

    The message never contains a phone number.
    """

    exit_code = 74  # EX_IOERR


class SmsError(IvrError):
    """Twilio did not accept a text message; the caller is told, nothing is retried."""

    exit_code = 69  # EX_UNAVAILABLE


class MailError(IvrError):
    """The e-mail to the helpdesk could not be sent; the request waits for the next try.

    The message names the kind of failure only: never an address or a phone number.
    """

    exit_code = 69  # EX_UNAVAILABLE

    def __init__(self, cause: str) -> None:
        super().__init__(f"the e-mail to the helpdesk could not be sent ({cause}); try again later")


class UsageError(IvrError):
    """A value given to a command cannot be used (a user name, a password)."""

    exit_code = 64  # EX_USAGE
