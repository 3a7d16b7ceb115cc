"""Fetch the pinned axe-core release with `npm pack`, check its sha256, keep it for the tests.

axe-core runs only in the browser accessibility tests (tests/browser/test_accessibility.py);
it is extracted under test-artifacts/vendor/ (git-ignored), never under static/, so the app
never serves it. Third-party code is never committed: `make setup` runs this on every fresh machine.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.11.1"
# sha256 of the npm tarball axe-core-4.11.1.tgz, recorded when the version was pinned.
AXE_TARBALL_SHA256 = "5b86f813d96904f2d925fed5715877c75fc1cc140f89565fb42145e7801b2305"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "test-artifacts" / "vendor" / "axe.min.js"
STAMP = TARGET.with_suffix(".version")


def main() -> int:
    if TARGET.exists() and STAMP.exists() and STAMP.read_text().strip() == AXE_TARBALL_SHA256:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", tmp, "--silent"],
            check=True, stdout=subprocess.DEVNULL,
        )
        tarball = Path(tmp) / f"axe-core-{AXE_VERSION}.tgz"
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != AXE_TARBALL_SHA256:
            print(f"axe-core tarball sha256 mismatch: got {digest}, expected {AXE_TARBALL_SHA256}",
                  file=sys.stderr)
            return 1
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/axe.min.js")
            licence = archive.extractfile("package/LICENSE")
            TARGET.parent.mkdir(parents=True, exist_ok=True)
            TARGET.write_bytes(member.read())
            (TARGET.parent / "axe.LICENSE").write_bytes(licence.read())
    STAMP.write_text(AXE_TARBALL_SHA256 + "\n")
    print(f"axe-core {AXE_VERSION} fetched and verified -> {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if shutil.which("npm") is None:
        print("npm is needed to fetch axe-core (apt-get install npm)", file=sys.stderr)
        sys.exit(1)
    sys.exit(main())
