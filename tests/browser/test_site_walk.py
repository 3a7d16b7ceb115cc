"""One walk over every page of the app, as the people who see it (tests/browser/site_tour.py),
checking two things at each stop (issue 6, items 3 and 12; one walk since issue 12):

* the Content-Security-Policy: no ``securitypolicyviolation`` event, no console error or
  warning, no page error; the policy of every response has no 'unsafe-inline' (nor unsafe-eval)
  and names no origin but 'self'; and htmx still works under it (the queue filter swaps its
  rows without a reload);
* accessibility: axe-core (WCAG 2.1 A and AA rules) finds no serious or critical violation;
* layout, at 1280 px and again at 360 px (tests/browser/layout.py): the page no wider than the
  window, no element sticking out of its container unless that scrolls sideways, no word broken
  inside a table cell or badge, no cell narrower than its longest word (issue 14 item 2); and
  a full-page screenshot at each width is left in test-artifacts/pages/ (issue 14 item 8), to
  look at every page as its users see it.

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
from tests.browser.layout import PHONE, layout_problems_at
from tests.browser.site_tour import seed_site, sign_in, task_stop, tour, walk
from tests.helpers import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""
ALLOWED_SOURCES = {"'self'", "'none'", "data:"}
AXE_JS = ROOT / "test-artifacts" / "vendor" / "axe.min.js"
PAGES = ARTIFACTS / "pages"
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


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def read_and_shoot(page: Page, index: int, name: str) -> list[str]:
    """The layout problems at 1280 and 360 px, with a full-page screenshot at each width; the
    page is left at 1280 px for the next stop."""
    PAGES.mkdir(parents=True, exist_ok=True)
    problems = []
    for size in (DESKTOP, PHONE):
        problems.extend(layout_problems_at(page, (size,)))
        page.screenshot(path=PAGES / f"{index:02d}-{slug(name)}-{size['width']}.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    return problems


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
                observer.problems.extend(f"{observer.where}: {problem}"
                                         for problem in read_and_shoot(page, visited, stop.name))
            visited += 1
        assert visited == len(stops)
        assert observer.responses > len(stops)  # pages and their scripts, styles, images
        # axe really audits (under the policy): an image without a text alternative is caught.
        page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', "
                      "'<img src=\"/static/img/icon.svg\">')")
        assert "image-alt" in {v["id"] for v in page.evaluate(RUN_AXE, WCAG_TAGS)}
        # The layout check really measures: a cell squeezed so that its word breaks, a number
        # left-aligned and a box wider than the page are each caught.
        # (Styles are set through the CSSOM: the policy refuses inline style attributes.)
        page.evaluate("""() => {
            const main = document.querySelector('main');
            const table = document.createElement('table');
            table.className = 'table';
            Object.assign(table.style, {width: '120px', tableLayout: 'fixed'});
            const row = table.insertRow();
            const squeezed = row.insertCell(), number = row.insertCell();
            squeezed.textContent = 'Keterlambatan';
            squeezed.style.overflowWrap = 'anywhere';
            number.textContent = '1.234';
            number.style.textAlign = 'left';
            const wide = document.createElement('div');
            wide.textContent = 'lebar';
            wide.style.width = '2000px';
            main.append(table, wide);
        }""")
        found = "\n".join(layout_problems_at(page, (PHONE, DESKTOP)))
        assert '"Keterlambatan" is broken inside td' in found, found
        assert 'the number td "1.234" is not right-aligned' in found, found
        assert 'div "lebar" sticks out of' in found and "the page is" in found, found
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
