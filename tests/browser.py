"""Shared helpers for tests that drive a real headless Chromium through playwright.

Debian's `chromium` (/usr/bin/chromium, or $CHROMIUM) is used; playwright never downloads a
browser here. Browser tests are skipped when Chromium or playwright is missing on a developer
machine, but fail in CI (`CI` set), where `.ci/run` installs both.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return candidate if Path(candidate).exists() else shutil.which("chromium")


def require_or_skip(what: str, available: bool) -> None:
    """Skip on a developer machine without the tool; fail in CI, which must have it."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI (.ci/run installs it)")
    pytest.skip(f"{what} not installed")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve `root` over http on 127.0.0.1 (a free port); yields the base URL with a slash."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """A playwright Browser on Debian's Chromium, closed afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("python playwright", False)
        raise
    executable = chromium_path()
    require_or_skip("Debian chromium", executable is not None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
