"""A first visit to the request form stays light: at most 35 KB on the wire for everything it
loads, and a second page loads none of its assets again.

Citizens file from cheap phones on slow, metered connections. Everything the form needs is
served by the app itself (no CDN, no third-party host), so this budget is the real transfer: the
app compresses its assets itself (``web/assets.py``), what a browser on HTTPS accepts is asked for,
and every asset URL carries its fingerprint, cached for a year.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

BUDGET = 35 * 1024  # on the wire
CSS_BUDGET = 20 * 1024  # uncompressed
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends over HTTPS
YEAR = 365 * 24 * 3600
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


def test_request_form_first_visit_fits_35_kb_on_the_wire_and_a_second_page_asks_for_no_asset(client):
    assert HTMX.is_file(), (
        f"{HTMX.relative_to(ROOT)} is missing: set-up (make setup / scripts/fetch_htmx.py) fetches it")

    page = client.get(FORM, headers=BROWSER)
    assert page.status_code == 200
    # Pages are not compressed: they carry the CSRF token beside what the visitor typed (BREACH).
    assert "Content-Encoding" not in page.headers
    html = page.get_data(as_text=True)
    parser = Resources()
    parser.feed(html)

    base = f"http://localhost{FORM}"
    offsite = [url for _, url in parser.found
               if urlsplit(urljoin(base, url)).netloc != "localhost" or url.startswith("//")]
    assert not offsite, f"resources from another host (no CDNs): {offsite}"

    rows = [("html", FORM, len(page.data), len(page.data))]
    seen = set()
    for kind, url in parser.found:
        path = urlsplit(urljoin(base, url)).path
        if path in seen:
            continue
        seen.add(path)
        assert path.startswith("/static/"), f"{url} is not served from /static/"
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        # Fingerprinted and kept a year: the next page names the same URL and the browser asks nothing.
        assert "v=" in urlsplit(url).query, f"{url} carries no fingerprint"
        cache = response.headers.get("Cache-Control", "")
        assert f"max-age={YEAR}" in cache and "immutable" in cache, f"{url}: {cache}"
        if len(response.data) > 1024 and kind != "image":
            assert response.headers.get("Content-Encoding") in ("br", "gzip"), f"{url} is sent uncompressed"
        unpacked = client.get(url)  # without Accept-Encoding: the file itself
        assert "Content-Encoding" not in unpacked.headers and len(unpacked.data) >= len(response.data)
        rows.append((kind, path, len(response.data), len(unpacked.data)))
        unpacked.close()
        response.close()

    # What the browser asks for on its own when the page names no icon.
    if not any(kind == "icon" for kind, _ in parser.found):
        favicon = client.get("/favicon.ico")
        if favicon.status_code == 200:
            rows.append(("favicon", "/favicon.ico", len(favicon.data), len(favicon.data)))

    total = sum(row[2] for row in rows)
    print(f"\nFirst visit to {FORM} (on the wire, and unpacked):")
    for kind, path, size, unpacked_size in rows:
        print(f"  {kind:<10} {path:<36} {size:>8,} B {unpacked_size:>8,} B")
    print(f"  {'total':<10} {'':<36} {total:>8,} B  (budget {BUDGET:,} B)")

    # The second page (the tracking page) names the very same asset URLs: nothing to fetch again.
    again = Resources()
    again.feed(client.get("/lacak").get_data(as_text=True))
    assert {url for _, url in again.found} <= {url for _, url in parser.found}

    paths = {row[1] for row in rows}
    assert "/static/vendor/htmx.min.js" in paths, "the form must load the pinned, self-hosted htmx"
    stylesheets = [(row[1], row[3]) for row in rows if row[0] == "stylesheet"]
    assert [path for path, _ in stylesheets] == ["/static/css/app.css"], (
        f"one stylesheet, the project's own: {stylesheets}")
    assert stylesheets[0][1] <= CSS_BUDGET, f"app.css is {stylesheets[0][1]:,} B (> {CSS_BUDGET:,} B)"
    assert total <= BUDGET, f"first visit transfers {total:,} B (> {BUDGET:,} B)"


def test_an_asset_without_its_current_fingerprint_is_revalidated_and_a_changed_file_gets_a_new_url(
        client, tmp_path):
    from ppid_desk.web.assets import fingerprints_now

    html = client.get(FORM).get_data(as_text=True)
    parser = Resources()
    parser.feed(html)
    css = next(url for kind, url in parser.found if kind == "stylesheet")
    for stale in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(stale)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache", stale
    assert client.get(css).headers["Cache-Control"].endswith("immutable")
    (tmp_path / "app.css").write_text("body { color: black }")
    before = fingerprints_now(str(tmp_path))["app.css"]
    (tmp_path / "app.css").write_text("body { color: navy }")
    assert fingerprints_now(str(tmp_path))["app.css"] != before


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
