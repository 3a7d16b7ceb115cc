"""Browser fixtures: a live server per test, one Chromium per worker, contexts on demand.

The live server serves the same ``app`` object the ``app`` fixture has just cleaned, in a
background thread, so a test can look at the database directly after a journey.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.journey import CHROMIUM, CHROMIUM_ARGS, DESKTOP, TIMEOUT_MS
from tests.helpers import free_port


def pytest_collection_modifyitems(config, items):
    """Every test in this folder carries the ``browser`` marker (``make test`` selects by it), whether
    or not its module remembered ``pytestmark``."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app on a free loopback port, CSRF on (real browsers post real tokens)."""
    previous = {key: app.config.get(key) for key in ("WTF_CSRF_ENABLED", "PUBLIC_BASE_URL")}
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    app.config.update(WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=base_url)
    server = make_server("127.0.0.1", port, app, threaded=True)
    server.daemon_threads = True  # a kept-alive browser connection must not block shutdown
    # shutdown() waits for serve_forever's next poll: every 0.05 s rather than the default 0.5 s.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name=f"live-server-{port}", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        app.config.update(previous)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Make a page in a fresh context (its own cookies): ``new_page(js=False, viewport=...)``.

    Contexts know the live server as base URL, so ``page.goto("/lacak")`` works. All are closed
    before the live server stops.
    """
    contexts = []

    def _new_page(*, js: bool = True, viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server, java_script_enabled=js, viewport=viewport or DESKTOP,
            locale="id-ID", timezone_id="Asia/Jakarta")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """One desktop page with JavaScript on."""
    return new_page()
