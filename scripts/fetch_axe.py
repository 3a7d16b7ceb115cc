"""Fetch the pinned axe-core release with `npm pack`, check its sha256, keep it for the tests.

axe-core runs only in the browser accessibility tests (tests/browser/test_accessibility.py);
it is extracted under test-artifacts/vendor/ (git-ignored), never under static/, so the app
never serves it. Third-party code is never committed: `make setup` runs this on every fresh machine.
"""

from __future__ import annotations

import sys

from npm_vendor import ROOT, fetch_verified

AXE_VERSION = "4.11.1"
# sha256 of the npm tarball axe-core-4.11.1.tgz, recorded when the version was pinned.
AXE_TARBALL_SHA256 = "5b86f813d96904f2d925fed5715877c75fc1cc140f89565fb42145e7801b2305"
TARGET = ROOT / "test-artifacts" / "vendor" / "axe.min.js"

if __name__ == "__main__":
    sys.exit(fetch_verified(package="axe-core", version=AXE_VERSION, sha256=AXE_TARBALL_SHA256,
                            member="axe.min.js", target=TARGET))
