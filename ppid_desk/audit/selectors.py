from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import Event


def events_for(subject_type: str, subject_id: int) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.subject_type == subject_type, Event.subject_id == subject_id)
        .order_by(Event.id)
    ))
