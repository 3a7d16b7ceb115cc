"""Operations commands (backup/restore, retention purge, audit verification, data key) on the
`flask ppid` group.

Each module keeps its commands on its own ``commands`` group and imports nothing from
``ppid_desk.cli``; ``register`` attaches them to the `flask ppid` group (``ppid_desk.cli`` calls it).
"""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Attach every operations command to ``group`` (the `flask ppid` group)."""
    from . import audit_verify, backup, data_key, retention

    for module in (audit_verify, backup, data_key, retention):
        for command in module.commands.commands.values():
            group.add_command(command)
