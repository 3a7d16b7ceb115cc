"""Test-only fault injection: kill the process at a named point of a code path.

Crash tests (tests/test_crash_submission.py) start the real app under gunicorn with
``PPID_FAULT_INJECT=<point>`` and check that a worker killed at that point leaves no
half-written request and no orphaned file. Points in use:

* ``upload_written``: the identity upload's file is on disk, its row not yet flushed;
* ``before_commit``: the request is registered (flushed) but the transaction is not committed;
* ``after_commit``: the transaction is committed, the response not yet sent.

Without the variable (production) ``fault_point`` is a comparison against ``None``: the
variable is read once, at import.
"""

from __future__ import annotations

import os
import signal

ARMED: str | None = os.environ.get("PPID_FAULT_INJECT") or None


def fault_point(name: str) -> None:
    """Kill this process at once (SIGKILL: no cleanup, no rollback) when ``name`` is armed."""
    if ARMED is not None and name == ARMED:
        os.kill(os.getpid(), signal.SIGKILL)
