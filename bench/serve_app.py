"""Serve one app under waitress with the Procfile's settings, for a measurement (``web_server.py``).

    PORT=8123 python bench/serve_app.py ivr.web.app:create_app()    # or bare_app:app

The line is built as ``python -m ivr.web.server`` builds it (``line_app``: the collector frozen,
the access log when ``ACCESS_LOG=1``); any other app is imported and the collector frozen after
it. Every app gets ``ivr.web.server.server_options``, on 127.0.0.1, and its server (``serve``:
the request deadline, the stop on SIGTERM). A checkout without ``ivr.web.server.serve`` (older
than the request deadline) cannot be served here.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

from web_server import LINE_APP

from ivr.web.server import line_app, serve, server_options


def load(spec: str) -> Any:
    """``module:attribute``, or ``module:factory()`` called without arguments."""
    module, _, name = spec.partition(":")
    found = getattr(importlib.import_module(module), name.removesuffix("()"))
    return found() if name.endswith("()") else found


def main(spec: str) -> None:
    options = {**server_options(os.environ), "host": "127.0.0.1"}
    if spec == LINE_APP:
        app = line_app(os.environ)
    else:
        app = load(spec)
        gc.freeze()
    serve(app, options)


if __name__ == "__main__":
    main(sys.argv[1])
