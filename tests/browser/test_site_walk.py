"""One walk over every page of the app, as the people who see it (tests/browser/site_tour.py),
checking two things at each stop (issue 6, items 3 and 12; one walk since issue 12):

* the Content-Security-Policy: no ``securitypolicyviolation`` event, no console error or
  warning, no page error; the policy of every response has no 'unsafe-inline' (nor unsafe-eval)
  and names no origin but 'self'; and htmx still works under it (the queue filter swaps its
  rows without a reload);
* accessibility: axe-core (WCAG 2.1 A and AA rules) finds no serious or critical violation.

The CSP listener and axe-core are added with ``add_init_script``: scripts injected through the
DevTools protocol are not subject to the page's CSP, so the walk observes and audits every page
under the real policy without loosening it. axe-core is fetched and checked by
scripts/fetch_axe.py into test-artifacts/vendor/ (never served by the app).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import DESKTOP, TIMEOUT_MS
from tests.browser.site_tour import seed_site, sign_in, task_stop, tour, walk
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""
ALLOWED_SOURCES = {"'self'", "'none'", "data:"}
AXE_JS = ROOT / "test-artifacts" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n").slice(1, 2).join(""))}));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.exists():  # `make test` fetches it; a bare pytest run fetches it here
        subprocess.run([sys.executable, str(ROOT / "scripts" / "fetch_axe.py")], check=True)
    return str(AXE_JS)


def axe_problems(stop, page: Page) -> list[str]:
    """The serious and critical axe violations of the page (the others are printed: run with -s)."""
    found = []
    for violation in page.evaluate(RUN_AXE, WCAG_TAGS):
        if violation["impact"] not in BLOCKING:
            print(f"note: {stop.path}: [{violation['impact']}] {violation['id']}: {violation['help']}")
        else:
            found.append(f"{stop.name} ({stop.who} {stop.path}): axe [{violation['impact']}] "
                         f"{violation['id']}: {violation['help']}\n      " + "\n      ".join(violation["nodes"]))
    return found


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


def test_every_page_keeps_the_policy_passes_axe_and_htmx_works_under_it(app, browser, live_server, axe_source):
    ids = seed_site(app)
    stops = [*tour(ids), task_stop(app, ids)]
    observer = Observer(live_server)
    contexts = []

    def open_context():
        context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="id-ID",
                                      timezone_id="Asia/Jakarta")  # the real CSP: no bypass
        context.set_default_timeout(TIMEOUT_MS)
        observer.attach(context)
        context.add_init_script(path=axe_source)
        contexts.append(context)
        return context

    try:
        visited = 0
        for stop, page, problems in walk(stops, open_context, ids["demo_domain"], before=observer.visit):
            observer.problems.extend(problems)
            # goto has waited for "load": the page's scripts, styles and images have answered.
            # (No page fires an htmx request on load; "networkidle" would add 0.5 s of waiting
            # at each of the ~57 stops, half the walk.)
            observer.check_page(page)
            if not problems:
                observer.problems.extend(axe_problems(stop, page))
            visited += 1
        assert visited == len(stops)
        assert observer.responses > len(stops)  # pages and their scripts, styles, images
        # axe really audits (under the policy): an image without a text alternative is caught.
        page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', "
                      "'<img src=\"/static/img/icon.svg\">')")
        assert "image-alt" in {v["id"] for v in page.evaluate(RUN_AXE, WCAG_TAGS)}
        page.wait_for_load_state("networkidle")

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
