"""Writes of the desk queue: an officer's saved filters (private to them). Flush, never commit.

Routing several requests at once is the routing service applied to each request in turn
(``queue_bulk_views``); assigning is ``assignment_services``.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import User
from ..errors import DomainError, FieldError
from ..extensions import db
from .queue_models import SAVED_PER_USER_MAX, SavedQueueFilter


class SavedFilterMissing(DomainError):
    """No saved filter of this officer by that id (deleted meanwhile, or another's)."""


def saved_filter_create(*, user: User, name: str, query: str) -> SavedQueueFilter:
    """Save ``query`` (the queue's applied filters as a query string) under ``name`` for ``user``."""
    name = " ".join((name or "").split())
    if not name:
        raise FieldError("name", _("Tulis nama untuk saringan ini."))
    if not query:
        raise FieldError("name", _("Pilih saringan dulu: antrean tanpa saringan tidak perlu disimpan."))
    mine = select(SavedQueueFilter).where(SavedQueueFilter.user_id == user.id)
    if db.session.scalar(mine.where(func.lower(SavedQueueFilter.name) == name.lower())) is not None:
        raise FieldError("name", _("Anda sudah punya saringan bernama \"%(name)s\". Pilih nama lain, atau hapus yang "
                                   "lama dulu.", name=name))
    count = db.session.scalar(select(func.count()).select_from(SavedQueueFilter)
                              .where(SavedQueueFilter.user_id == user.id)) or 0
    if count >= SAVED_PER_USER_MAX:
        raise FieldError("name", _("Paling banyak %(n)d saringan tersimpan. Hapus satu dulu.", n=SAVED_PER_USER_MAX))
    saved = SavedQueueFilter(user_id=user.id, name=name, query=query)
    db.session.add(saved)
    db.session.flush()
    return saved


def saved_filter_delete(*, user: User, saved_id: int) -> str:
    """Delete one of ``user``'s saved filters; returns its name."""
    saved = db.session.get(SavedQueueFilter, saved_id)
    if saved is None or saved.user_id != user.id:
        raise SavedFilterMissing(_("Saringan tersimpan itu tidak ada lagi."))
    name = saved.name
    db.session.delete(saved)
    db.session.flush()
    return name
