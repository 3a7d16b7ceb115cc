"""The sweep's reminder of the annual report's submission (Perki 1/2021 Pasal 56: to the Komisi
Informasi by 31 March). From ``ANNUAL_REPORT_REMINDER_DAYS`` days before 31 March up to that day,
while last year's report is not recorded as submitted, PPID Utama is e-mailed through the outbox
once per report year (after 31 March the annual report page and the evidence pack show it as late;
no e-mail chases it): the reminder is an event of the annual report
("annual_report_submission_reminded"), which is also its memory. Connected to the sweep through
``signals.reminders_due`` (the sweep never imports monev); flush, the sweep commits."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from ..accounts.models import Role, User, UserRole
from ..audit.models import Event
from ..audit.services import event_log
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile
from ..web.formatting import long_date
from ..web.urls import public_url
from .annual_selectors import annual_report_get, report_deadline

REMINDED = "annual_report_submission_reminded"


def reminder_due(today: date) -> int | None:
    """The report year to remind of today, or None: last year's report, within the reminder window
    before 31 March, while it is neither recorded as submitted nor reminded already."""
    year = today.year - 1
    deadline = report_deadline(year, today)
    if not 0 <= deadline.days_left <= current_app.config["ANNUAL_REPORT_REMINDER_DAYS"]:
        return None
    report = annual_report_get(year)
    if report is not None and report.submitted_on is not None:
        return None
    reminded = db.session.scalar(select(exists().where(
        Event.subject_type == "annual_report", Event.subject_id == year, Event.kind == REMINDED)))
    return None if reminded else year


def annual_report_submission_remind(*, now: datetime, today: date) -> int:
    """Queue the reminder to every active PPID Utama when one is due; returns 1 if sent, else 0."""
    year = reminder_due(today)
    if year is None:
        return 0
    deadline = report_deadline(year, today)
    recipients = list(db.session.scalars(
        select(User.email).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.PPID_UTAMA, User.active.is_(True)).order_by(User.email).distinct()))
    report = annual_report_get(year)
    subject = _l("Laporan layanan informasi publik %(year)d disampaikan paling lambat %(date)s",
                 year=year, date=long_date(deadline.due))
    outbox_ids = [outbox_enqueue(recipient=email, subject=subject, template="monev/email_annual_submission.txt",
                                 year=year, deadline=deadline, published=bool(report and report.published),
                                 body_name=body_profile().name,
                                 link=public_url("monev.annual_report", year=year)).id
                  for email in recipients]
    event_log(actor=None, actor_label="Sistem", subject_type="annual_report", subject_id=year, kind=REMINDED,
              at=now, data={"year": year, "due": deadline.due.isoformat(), "days_left": deadline.days_left,
                            "recipients": recipients, "outbox_ids": outbox_ids})
    return 1
