"""Write a development instance's secrets once (`make setup`, `make run`, scripts/run_demo.sh).

* ``instance/secret.key``: a random SECRET_KEY, which signs the session cookies;
* ``instance/data.key``: a Fernet DATA_KEY, which encrypts NIK and identity documents.

Each file is written only when missing, mode 0600, in an instance folder of mode 0700, and kept
from then on (a new SECRET_KEY would sign everybody out; a new DATA_KEY would make the stored
personal data unreadable). A key given in the environment (PPID_SECRET_KEY, PPID_DATA_KEY) is
left to the environment. The application reads both files when nothing else configures the key.
A production server sets its own keys (docs/operations.md) and refuses to start without them.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ppid_desk.config import SECRET_FILE  # noqa: E402
from ppid_desk.privacy import KEY_FILE, new_data_key, secret_file_read_or_create  # noqa: E402


def new_secret_key() -> str:
    return secrets.token_urlsafe(48)


def main() -> None:
    instance = Path(os.environ.get("PPID_INSTANCE_PATH") or ROOT / "instance")
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    instance.chmod(0o700)  # it holds the keys, the SQLite database and the uploads
    written = []
    for variable, name, generate in (("PPID_SECRET_KEY", SECRET_FILE, new_secret_key),
                                     ("PPID_DATA_KEY", KEY_FILE, new_data_key)):
        path = instance / name
        if os.environ.get(variable) or path.exists():
            continue
        secret_file_read_or_create(path, generate)
        written.append(str(path))
    if written:
        print("Wrote development secrets (mode 0600, keep them out of the repository): " + ", ".join(written))


if __name__ == "__main__":
    main()
