"""Fetch the pinned htmx release with `npm pack`, check its sha256, and serve it from static/.

Third-party code is never committed: `make setup` runs this on every fresh machine.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HTMX_VERSION = "2.0.11"
# sha256 of the npm tarball htmx.org-2.0.11.tgz, recorded when the version was pinned.
HTMX_TARBALL_SHA256 = "165a2655073e9e6e55e307a7c74e8ebcdb76afb7701f9c16cfd106a13add408e"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "static" / "vendor" / "htmx.min.js"
STAMP = TARGET.with_suffix(".version")


def main() -> int:
    if TARGET.exists() and STAMP.exists() and STAMP.read_text().strip() == HTMX_TARBALL_SHA256:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"htmx.org@{HTMX_VERSION}", "--pack-destination", tmp, "--silent"],
            check=True, stdout=subprocess.DEVNULL,
        )
        tarball = Path(tmp) / f"htmx.org-{HTMX_VERSION}.tgz"
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != HTMX_TARBALL_SHA256:
            print(f"htmx tarball sha256 mismatch: got {digest}, expected {HTMX_TARBALL_SHA256}",
                  file=sys.stderr)
            return 1
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/dist/htmx.min.js")
            licence = archive.extractfile("package/LICENSE")
            TARGET.parent.mkdir(parents=True, exist_ok=True)
            TARGET.write_bytes(member.read())
            (TARGET.parent / "htmx.LICENSE").write_bytes(licence.read())
    STAMP.write_text(HTMX_TARBALL_SHA256 + "\n")
    print(f"htmx {HTMX_VERSION} fetched and verified -> {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if shutil.which("npm") is None:
        print("npm is needed to fetch htmx (apt-get install npm)", file=sys.stderr)
        sys.exit(1)
    sys.exit(main())
