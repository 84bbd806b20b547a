"""The web server's settings that belong to the line: gunicorn's access log, and the garbage
collector frozen once a worker has loaded the app.

The Procfile loads this module as gunicorn's configuration (``gunicorn --config
python:ivr.config.web_server``); gunicorn reads the lower-case names below and ignores the rest.

The access log is a setting, ``ACCESS_LOG``, off by default: gunicorn's access logging costs
CPU on every request whatever the app (it gathers every header and environ value for its
format; bench/README.md has the figures), and the platform's router logs every request
already. ``ACCESS_LOG=1`` writes one line per request to stdout with the path only
(``%(U)s``): never the query string (the call state) or a caller's number.

Each worker builds the line at start (tree, prompts, Flask's tables): tens of thousands of
objects that live as long as the worker. ``gc.freeze()`` after loading keeps the garbage
collector from walking them again and again during requests (bench/README.md has the figures).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping
from typing import Any

from ivr.config.settings import _flag

# Address, time, method and path (no query string), status, bytes, milliseconds.
PATH_ONLY = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def access_log_target(env: Mapping[str, str]) -> str | None:
    """Where gunicorn writes its access log: stdout (``-``) with ACCESS_LOG=1, else nowhere.

    A value that is not yes/no stops gunicorn at start with the key's name (ConfigError).
    """
    return "-" if _flag(env, "ACCESS_LOG") else None


accesslog = access_log_target(os.environ)
access_log_format = PATH_ONLY


def post_worker_init(worker: Any) -> None:
    """gunicorn's hook, once the worker has loaded the app: what start built is kept out of the
    collector's work (requests' own objects are collected as before)."""
    gc.freeze()
