"""Operations commands (backup/restore, retention purge, audit verification) on the `flask ppid` group.

Each module adds its commands to ``ppid_desk.cli.bp``; ``ppid_desk.cli`` imports them at the end.
"""
