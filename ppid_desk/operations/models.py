"""Tables of the running system itself, not of the public body's data."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class DataVersion(db.Model):
    """One row (id 1): a random token that every committed write of the app replaces, in the
    writing transaction just before it commits (``operations.data_version``).

    A worker may keep what it derived from the data (a rendered page, the body profile) under
    the token it read: a different token means something changed, here or on another server.
    Random rather than a counter, so that a token never names two different states."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))
