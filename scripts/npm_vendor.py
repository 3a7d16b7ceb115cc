"""Fetch one file of a pinned npm release with `npm pack`, check the tarball's sha256, install it.

Third-party code is never committed: set-up runs the small scripts that call this (fetch_htmx.py
for the served htmx, fetch_axe.py for the browser tests' axe-core) on every fresh machine.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fetch_verified(*, package: str, version: str, sha256: str, member: str, target: Path) -> int:
    """Install ``member`` of ``package@version`` at ``target`` (its LICENSE beside it); 0 on success.

    Idempotent: a stamp file beside the target records the verified tarball digest.
    """
    stamp = target.with_suffix(".version")
    if target.exists() and stamp.exists() and stamp.read_text().strip() == sha256:
        return 0
    if shutil.which("npm") is None:
        print(f"npm is needed to fetch {package} (apt-get install npm)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"{package}@{version}", "--pack-destination", tmp, "--silent"],
                       check=True, stdout=subprocess.DEVNULL)
        tarball = Path(tmp) / f"{package}-{version}.tgz"
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != sha256:
            print(f"{package} tarball sha256 mismatch: got {digest}, expected {sha256}", file=sys.stderr)
            return 1
        with tarfile.open(tarball) as archive:
            content = archive.extractfile(f"package/{member}").read()
            licence = archive.extractfile("package/LICENSE").read()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    (target.parent / f"{target.name.split('.')[0]}.LICENSE").write_bytes(licence)
    stamp.write_text(sha256 + "\n")
    print(f"{package} {version} fetched and verified -> {target.relative_to(ROOT)}")
    return 0
