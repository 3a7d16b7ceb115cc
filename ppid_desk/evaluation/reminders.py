"""The sweep's duty for the internal monev: ``EVALUATION_REMINDER_DAYS`` days before a round's
closing date (default 3), the officers of each unit that has not submitted yet are e-mailed once
per closing date (``Participant.reminded_for``; an event of the participant records it)."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role, User, UserRole
from ..audit.services import event_log
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile
from ..web.urls import public_url
from .models import Participant
from .selectors import instrument, participants_to_remind, progress


def _unit_officers(unit_id: int) -> list[str]:
    return list(db.session.scalars(
        select(User.email).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.PEMBANTU, User.unit_id == unit_id, User.active.is_(True))
        .order_by(User.email)))


def evaluation_reminders_send(*, now: datetime, today: date) -> tuple[int, list[str]]:
    """Remind every unit of an open round closing soon that has not submitted; each unit in its
    own transaction. Returns (units reminded, errors)."""
    days = current_app.config["EVALUATION_REMINDER_DAYS"]
    reminded, errors = 0, []
    for participant_id in participants_to_remind(today, days):
        try:
            participant = db.session.scalar(select(Participant).where(Participant.id == participant_id)
                                            .with_for_update().execution_options(populate_existing=True))
            closes_on = participant.round.closes_on if participant else None
            if participant is None or participant.submitted or participant.reminded_for == closes_on:
                continue
            recipients = _unit_officers(participant.unit_id)
            subject = _l("Kuesioner monev %(title)s belum dikirim: ditutup %(day)s",
                         title=participant.round.title, day=closes_on.strftime("%d-%m-%Y"))
            state = progress(instrument(participant.round.version), participant)
            outbox_ids = [outbox_enqueue(recipient=recipient, subject=subject, template="evaluation/email_reminder.txt",
                                         participant=participant, progress=state, body_name=body_profile().name,
                                         link=public_url("evaluation.fill_page", participant_id=participant.id)).id
                          for recipient in recipients]
            participant.reminded_for = closes_on
            db.session.flush()
            event_log(actor=None, actor_label="Sistem", subject_type="evaluation_participant",
                      subject_id=participant.id, kind="closing_reminded", at=now,
                      data={"closes_on": closes_on.isoformat(), "recipients": recipients, "outbox_ids": outbox_ids})
            db.session.commit()
            reminded += 1
        except StaleDataError:  # submitted meanwhile: looked at again next run
            db.session.rollback()
        except Exception as error:  # noqa: BLE001 - one bad row must not stop the sweep
            db.session.rollback()
            errors.append(f"evaluation_participant {participant_id}: {type(error).__name__}: {error}")
    return reminded, errors
