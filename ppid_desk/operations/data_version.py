"""The data version: a token that every committed write replaces, so that a worker may keep
what it derived from the data and still see a change made by another worker or server.

How a write is noticed: every SQL statement passes ``before_cursor_execute``; an INSERT, UPDATE
or DELETE marks its connection as having written. When a Session commits (``before_commit``,
after its last flush) on a marked connection, it replaces the token of the one ``data_version`` row in the
same transaction, so the new token and the data it stands for become visible together: a reader
that sees the new token sees the data, and a reader that read the old token may have cached only
what is now out of date under a token nobody will read again. The row is locked only from that
last statement to the commit. A commit or rollback of the connection clears the mark.

Writes made outside a Session (Alembic, a bare ``engine.begin()``) do not replace the token;
whatever is kept under it also expires after a short time (``render_cache``), which bounds the
effect of one that slipped through. Readers call ``data_token()`` once per transaction; it is
None while the session has written and not yet committed (what it reads may still roll back),
and callers then read the database itself.
"""

from __future__ import annotations

import secrets

from sqlalchemy import event, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from ..extensions import db
from .models import DataVersion

TOKEN_KEY = "data_token"  # Session.info: the token this transaction read
_TABLE = DataVersion.__table__
_OWN = ("UPDATE data_version", "INSERT INTO data_version")
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")
_READ = select(_TABLE.c.token).where(_TABLE.c.id == 1)  # built once: it runs on most requests
_REPLACE = update(_TABLE).where(_TABLE.c.id == 1)  # built once: every write runs it
MARK = "ppid_wrote"  # in the DBAPI connection's info: written since its last commit or rollback


def is_write(statement: str) -> bool:
    """Whether an SQL statement writes rows (INSERT, UPDATE, DELETE, REPLACE)."""
    return statement[:6].upper() in _WRITES or statement.lstrip()[:6].upper() in _WRITES


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn, _cursor, statement: str, _parameters, _context, _executemany) -> None:
    if is_write(statement) and not statement.startswith(_OWN):
        conn.info[MARK] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _clear_mark(conn) -> None:
    conn.info.pop(MARK, None)


@event.listens_for(Pool, "checkin")
def _clear_mark_on_return(_dbapi_connection, record) -> None:
    if record is not None:
        record.info.pop(MARK, None)


@event.listens_for(Session, "before_commit")
def _replace_token(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: write it now, then look
    connection = session.connection()
    if not connection.info.get(MARK):
        return
    token = secrets.token_hex(16)
    if connection.execute(_REPLACE, {"token": token}).rowcount == 0:
        connection.execute(insert(_TABLE).values(id=1, token=token))
    session.info.pop(TOKEN_KEY, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_token(session: Session, *_args) -> None:
    session.info.pop(TOKEN_KEY, None)


def data_token() -> str | None:
    """The data's version token, read once per transaction; None while the session holds
    uncommitted writes."""
    session = db.session()
    connection = session.connection()
    if connection.info.get(MARK):
        return None
    info = session.info
    if TOKEN_KEY not in info:
        info[TOKEN_KEY] = connection.execute(_READ).scalar()
    return info[TOKEN_KEY]
