"""A first visit to the request form stays light: at most 100 KB for everything it loads.

Citizens file from cheap phones on slow, metered connections. Everything the form needs is
served by the app itself (no CDN, no third-party host), so this budget is the real transfer.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

BUDGET = 100 * 1024
CSS_BUDGET = 20 * 1024
FORM = "/permohonan/baru"
ROOT = Path(__file__).resolve().parent.parent
HTMX = ROOT / "static" / "vendor" / "htmx.min.js"


class Resources(HTMLParser):
    """Every sub-resource a browser fetches for the page: stylesheets, icons, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "link":
            rels = set(attrs.get("rel", "").lower().split())
            for kind in ("stylesheet", "icon", "preload", "modulepreload", "manifest"):
                if kind in rels and attrs.get("href"):
                    self.found.append((kind, attrs["href"]))
                    break
        elif tag == "script" and attrs.get("src"):
            self.found.append(("script", attrs["src"]))
        elif tag in ("img", "source", "input") and attrs.get("src"):
            self.found.append(("image", attrs["src"]))

    handle_startendtag = handle_starttag


def test_request_form_first_visit_fits_100_kb(client):
    assert HTMX.is_file(), (
        f"{HTMX.relative_to(ROOT)} is missing: set-up (make setup / scripts/fetch_htmx.py) fetches it")

    page = client.get(FORM)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    parser = Resources()
    parser.feed(html)

    base = f"http://localhost{FORM}"
    offsite = [url for _, url in parser.found
               if urlsplit(urljoin(base, url)).netloc != "localhost" or url.startswith("//")]
    assert not offsite, f"resources from another host (no CDNs): {offsite}"

    rows = [("html", FORM, len(page.data))]
    seen = set()
    for kind, url in parser.found:
        path = urlsplit(urljoin(base, url)).path
        if path in seen:
            continue
        seen.add(path)
        assert path.startswith("/static/"), f"{url} is not served from /static/"
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        rows.append((kind, path, len(response.data)))
        response.close()

    # What the browser asks for on its own when the page names no icon.
    if not any(kind == "icon" for kind, _ in parser.found):
        favicon = client.get("/favicon.ico")
        if favicon.status_code == 200:
            rows.append(("favicon", "/favicon.ico", len(favicon.data)))

    total = sum(size for _, _, size in rows)
    print(f"\nFirst visit to {FORM}:")
    for kind, path, size in rows:
        print(f"  {kind:<10} {path:<36} {size:>8,} B")
    print(f"  {'total':<10} {'':<36} {total:>8,} B  (budget {BUDGET:,} B)")

    paths = {path for _, path, _ in rows}
    assert "/static/vendor/htmx.min.js" in paths, "the form must load the pinned, self-hosted htmx"
    stylesheets = [(path, size) for kind, path, size in rows if kind == "stylesheet"]
    assert [path for path, _ in stylesheets] == ["/static/css/app.css"], (
        f"one stylesheet, the project's own: {stylesheets}")
    assert stylesheets[0][1] <= CSS_BUDGET, f"app.css is {stylesheets[0][1]:,} B (> {CSS_BUDGET:,} B)"
    assert total <= BUDGET, f"first visit transfers {total:,} B (> {BUDGET:,} B)"


def test_no_page_links_to_another_host_for_assets(client):
    """The pages a citizen meets first load nothing from a CDN or another host."""
    for url in ("/", FORM, "/lacak"):
        response = client.get(url)
        assert response.status_code == 200, url
        parser = Resources()
        parser.feed(response.get_data(as_text=True))
        assert parser.found, url
        for _, src in parser.found:
            assert not urlsplit(src).netloc and not src.startswith("//"), f"{url} loads {src}"
