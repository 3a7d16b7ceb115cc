"""Fetch the pinned htmx release with `npm pack`, check its sha256, and serve it from static/.

Third-party code is never committed: `make setup` runs this on every fresh machine.
"""

from __future__ import annotations

import sys

from npm_vendor import ROOT, fetch_verified

HTMX_VERSION = "2.0.11"
# sha256 of the npm tarball htmx.org-2.0.11.tgz, recorded when the version was pinned.
HTMX_TARBALL_SHA256 = "165a2655073e9e6e55e307a7c74e8ebcdb76afb7701f9c16cfd106a13add408e"
TARGET = ROOT / "static" / "vendor" / "htmx.min.js"

if __name__ == "__main__":
    sys.exit(fetch_verified(package="htmx.org", version=HTMX_VERSION, sha256=HTMX_TARBALL_SHA256,
                            member="dist/htmx.min.js", target=TARGET))
