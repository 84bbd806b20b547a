"""Helpers for the browser tests: Debian's Chromium driven by Playwright, the app on a real
HTTP server."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("IVR_CHROMIUM", "/usr/bin/chromium")
# Chromium on a machine without a network: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def skip_without_chromium() -> None:
    """Skip the calling test module when Playwright or Chromium is missing (CI has both)."""
    pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).is_file():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: apt-get install chromium (CI installs it), "
            "or set IVR_CHROMIUM",
            allow_module_level=True,
        )


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """``app`` on a real HTTP server on 127.0.0.1, reached as http://localhost."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def screenshot_folder(tmp_path: Path) -> Path:
    """IVR_SCREENSHOTS=docs writes the screenshots for the README; otherwise a temporary one."""
    wanted = os.environ.get("IVR_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path
