"""The sweep's duty for exemptions (Pasal 20 UU KIP): an approved decision under Pasal 17 a–f
(or any with an end date) is reviewed when its period ends. ``EXEMPTION_REMINDER_DAYS`` days
before the end (default 30), or at once if it already passed, PPID Utama and the unit's PPID
Pembantu officers are e-mailed through the outbox, once per decision and end date: the date
reminded is stored in ``reminded_for`` and the reminder is an event of the decision."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role, User, UserRole
from ..audit.services import event_log
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile
from ..web.urls import public_url
from .models import ExemptionDecision, ExemptionStatus
from .selectors import decisions_to_remind, reminder_days
from .services import SUBJECT


def _recipients(unit_id: int) -> list[str]:
    rows = db.session.execute(
        select(User.email, UserRole.role, User.unit_id).join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role.in_((Role.PPID_UTAMA, Role.PEMBANTU)))
        .order_by(User.email)).all()
    return list(dict.fromkeys(email for email, role, unit in rows
                              if role == Role.PPID_UTAMA or unit == unit_id))


def exemption_expiry_remind(*, now: datetime, today: date) -> tuple[int, list[str]]:
    """Remind of every decision ending soon (or ended) not yet reminded; each in its own
    transaction. Returns (decisions reminded, errors)."""
    within = reminder_days()
    reminded, errors = 0, []
    for decision_id in decisions_to_remind(today, within):
        try:
            decision = db.session.scalar(
                select(ExemptionDecision).where(ExemptionDecision.id == decision_id)
                .with_for_update().execution_options(populate_existing=True))
            if (decision is None or decision.status != ExemptionStatus.APPROVED or decision.ends_on is None
                    or decision.reminded_for == decision.ends_on):
                continue
            left = (decision.ends_on - today).days
            recipients = _recipients(decision.unit_id)
            if left < 0:
                subject = _l("Jangka waktu pengecualian %(number)s sudah berakhir", number=decision.number)
            else:
                subject = _l("Jangka waktu pengecualian %(number)s berakhir dalam %(n)d hari",
                             number=decision.number, n=left)
            outbox_ids = [outbox_enqueue(recipient=recipient, subject=subject,
                                         template="exemptions/email_expiry.txt", decision=decision, left=left,
                                         body_name=body_profile().name,
                                         link=public_url("exemptions.decision_page", decision_id=decision.id)).id
                          for recipient in recipients]
            decision.reminded_for = decision.ends_on
            db.session.flush()
            event_log(actor=None, actor_label="Sistem", subject_type=SUBJECT, subject_id=decision.id,
                      kind="exemption_expiry_reminded", at=now,
                      data={"ends_on": decision.ends_on.isoformat(), "days_left": left,
                            "recipients": recipients, "outbox_ids": outbox_ids})
            db.session.commit()
            reminded += 1
        except StaleDataError:  # changed meanwhile (approved, revoked): looked at again next run
            db.session.rollback()
        except Exception as error:  # noqa: BLE001 - one bad row must not stop the sweep
            db.session.rollback()
            errors.append(f"exemption_decision {decision_id}: {type(error).__name__}: {error}")
    return reminded, errors
