"""The Content-Security-Policy in a real browser, on every page (issue 6, item 3).

Walks the same pages as the accessibility test (tests/browser/site_tour.py) under the real
policy: no ``securitypolicyviolation`` event, no console error or warning, no page error; the
policy of every response has no 'unsafe-inline' (nor unsafe-eval) and names no origin but
'self'; and htmx still works under it (the queue filter swaps its rows without a reload).

The listener is added with ``add_init_script``: scripts injected through the DevTools protocol
are not subject to the page's CSP, so this observes the page without loosening the policy.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import DESKTOP, TIMEOUT_MS
from tests.browser.site_tour import seed_site, sign_in, task_stop, tour, walk

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""
ALLOWED_SOURCES = {"'self'", "'none'", "data:"}


def policy_problems(policy: str | None) -> list[str]:
    """What is wrong with a CSP header value: missing, inline/eval allowed, a foreign origin."""
    if not policy:
        return ["no Content-Security-Policy header"]
    problems = []
    directives = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        directives[name] = sources
        for source in sources:
            if source not in ALLOWED_SOURCES:
                problems.append(f"{name} allows {source}")
    for needed in ("default-src", "script-src", "style-src", "object-src", "base-uri", "frame-ancestors"):
        if needed not in directives:
            problems.append(f"no {needed}")
    return problems


def test_policy_problems_catches_what_it_should():
    good = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
           "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    assert policy_problems(good) == []
    assert policy_problems(None) == ["no Content-Security-Policy header"]
    assert policy_problems(good.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")) == [
        "style-src allows 'unsafe-inline'"]
    assert policy_problems(good + "; script-src https://cdn.example.com") == [
        "script-src allows https://cdn.example.com"]
    assert "no script-src" in policy_problems("default-src *")


class Observer:
    """Collects, per visited page, what the browser reported and every response's policy."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.where = "?"
        self.document = "/"
        self.problems: list[str] = []
        self.responses = 0

    def visit(self, stop) -> None:
        self.where = f"{stop.name} ({stop.who} {stop.path})"
        self.document = stop.path

    def attach(self, context) -> None:
        context.add_init_script(LISTEN)
        context.on("page", self._page)
        context.on("response", self._response)

    def _page(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.where}: page error: {error}"))

    def _console(self, message) -> None:
        if message.type not in ("error", "warning"):
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and url.startswith(self.origin + self.document):
            return  # the page itself answered its intended status (422 form errors, 404 page)
        self.problems.append(f"{self.where}: console {message.type}: {message.text} ({url})")

    def _response(self, response) -> None:
        if not response.url.startswith(self.origin):
            self.problems.append(f"{self.where}: request left the origin: {response.url}")
            return
        self.responses += 1
        policy = response.headers.get("content-security-policy")
        for problem in policy_problems(policy):
            self.problems.append(f"{self.where}: {response.status} {response.url}: {problem}")

    def check_page(self, page) -> None:
        for violation in page.evaluate("() => window.__csp || ['(listener missing)']"):
            self.problems.append(f"{self.where}: CSP violation: {violation}")


def test_every_page_keeps_the_policy_and_htmx_works_under_it(app, browser, live_server):
    ids = seed_site(app)
    stops = [*tour(ids), task_stop(app, ids)]
    observer = Observer(live_server)
    contexts = []

    def open_context():
        context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="id-ID",
                                      timezone_id="Asia/Jakarta")  # the real CSP: no bypass
        context.set_default_timeout(TIMEOUT_MS)
        observer.attach(context)
        contexts.append(context)
        return context

    try:
        visited = 0
        for _stop, page, problems in walk(stops, open_context, ids["demo_domain"], before=observer.visit):
            observer.problems.extend(problems)
            page.wait_for_load_state("networkidle")
            observer.check_page(page)
            visited += 1
        assert visited == len(stops)
        assert observer.responses > len(stops)  # pages and their scripts, styles, images

        # htmx under the policy: the queue's search swaps only the rows, with no reload.
        observer.where, observer.document = "htmx: antrean, pencarian", "/meja/"
        page = open_context().new_page()
        sign_in(page, f"petugas@{ids['demo_domain']}")
        page.goto("/meja/")
        rows = page.locator("#queue-rows tbody tr")
        expect(rows.first).to_be_visible()
        before = rows.count()
        assert before > 1
        number = rows.first.get_by_role("link").first.inner_text().strip()
        page.evaluate("() => { window.__sameDocument = true; }")
        with page.expect_response(lambda r: "/meja/" in r.url and r.request.headers.get("hx-request") == "true") as swap:
            page.get_by_label("Cari nomor, nama pemohon atau rincian informasi").press_sequentially(number)  # keyup
        assert swap.value.status == 200
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(number)
        expect(page).to_have_url(re.compile(r"/meja/\?.*q="))  # hx-push-url
        assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
        observer.check_page(page)

        # The policy bites, and both listeners see it: an injected inline script is refused.
        seen_before = len(observer.problems)
        with pytest.raises(Exception):  # noqa: B017 - Playwright reports the blocked tag as an error
            page.add_script_tag(content="window.__inline = true;")
        assert page.evaluate("() => window.__inline") is None
        caught = page.evaluate("() => window.__csp")
        assert any(v.startswith("script-src") for v in caught), caught
        page.wait_for_timeout(100)  # console events arrive asynchronously
        deliberate = observer.problems[seen_before:]
        del observer.problems[seen_before:]
        assert any("inline script" in line for line in deliberate), deliberate
    finally:
        for context in contexts:
            context.close()
    assert not observer.problems, f"{len(observer.problems)} problems:\n" + "\n".join(observer.problems)
