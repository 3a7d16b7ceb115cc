"""The periodic sweep (``flask ppid sweep``): reminders, escalations, e-mail retries, upkeep.

Idempotent, so cron or a systemd timer may run it every few minutes:

- **Reminder** (≤ ``DUE_SOON_WD`` working days before the statutory due, not yet past): once
  per due date, remembered in the cached column ``reminded_for_due``. An extension moves the
  due date, so the new date gets its own reminder.
- **Unit task reminder** (an open task whose internal due is today or past): once per task and
  internal due. There is no cached column for it; the request's ``task_reminder_sent`` events
  (with ``task_id`` and ``internal_due``) are the memory, read in one query per run.
- **Escalation** (past the due date): once per request ever, remembered in ``escalated_at``.
  A later extension or a calendar change that makes the request no longer overdue does not
  re-arm it; the "overdue" event stays on the timeline as what happened.
- **Objections** (keberatan): the Atasan PPID is reminded once per response due
  (``Objection.reminded_for_due``) when it is ≤ ``DUE_SOON_WD`` working days away, and an open
  objection past its due is logged once (``escalated_at``, "objection_overdue" on the request's
  and the objection's timelines) and mailed to the Atasan PPID and PPID Utama.
- **Outbox**: pending e-mails whose (next) attempt has come are sent (backoff in
  ``notifications.services``), with the account mail requests the outbox sender has not handled
  yet: the fallback when no sender runs beside the web workers.
- **Completion period passed** (an incomplete request whose applicant did not complete it by
  ``completion_due``): the desk (petugas, PPID Utama) is told once per completion period that it
  may now close the request as not completed; the request's ``completion_lapsed_reminded``
  events (with ``completion_due``) are the memory. The sweep never closes a request itself:
  closing issues a signed letter, which is the desk's act.
- **Promised delivery day** (``provide_by``, stated by a notice that grants the information or
  says it is not yet documented): while nothing is delivered, the desk (PPID Utama, petugas) and
  the units that worked on the request are reminded once per promised day when it is
  ≤ ``DUE_SOON_WD`` working days away (``provide_reminded_for``), and its passing without delivery
  is logged once per promised day ("provide_by_passed", ``provide_lapsed_for``) and mailed to the
  Atasan PPID and PPID Utama: from the next day the applicant may object on grounds e and g.
- **Exempt information** (``exemptions.expiry_services``, Pasal 20): an approved exemption
  decision ending within ``EXEMPTION_REMINDER_DAYS`` days (or ended) is mailed once per end date
  to PPID Utama and its unit (``ExemptionDecision.reminded_for``).
- **Daftar Informasi Publik review** (``dip.freshness``): a published item past its review date
  (berkala: its interval, at most six months; other items: a year) is mailed once per review date
  (``review_reminded_for``) to its unit's officers, one digest per unit, and to PPID Utama, one
  digest of every unit's.
- **Answers published after a waiting period** (``dip.services.scheduled_publish``): an item
  approved while its ``publish_after`` day was still ahead becomes public on that day (indexed for
  search; event ``dip_item_published_as_scheduled``).
- **Internal monev** (``evaluation.reminders``): the officers of a unit that has not submitted
  its questionnaire are mailed once per closing date, ``EVALUATION_REMINDER_DAYS`` days before it.
- **Reminders of the domains above** (``signals.reminders_due``): e.g. monev's reminder of the
  annual report's submission to the Komisi Informasi before 31 March, once per report year.
- **Login lock-out rows** that no longer count (``accounts.throttle``) are deleted.

Each request is handled in its own transaction (its row locked on PostgreSQL), so one bad row
does not block the others and two overlapping runs cannot both remind or escalate: the
reminder and escalation bump the request's version, so a second writer fails and rolls back.
Still, schedule it without overlap (see docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role, User, UserRole
from ..audit.models import Event
from ..dbtypes import utcnow
from ..extensions import db
from ..organisation.profile_selectors import body_profile
from ..requests.lifecycle import request_event
from ..requests.models import OPEN_STATUSES, InformationRequest, RequestStatus
from ..routing.models import RoutingTask, TaskStatus
from ..signals import reminders_due, upkeep_due
from ..sla import ClockState, WorkingCalendar, read_clock
from ..web.urls import public_url
from ..workcalendar.selectors import local_date
from ..workcalendar.services import calendar_years_ensure, deadline_calendar
from .services import DeliveryResult, outbox_enqueue, outbox_retry_due

OPEN = tuple(str(status) for status in OPEN_STATUSES)


@dataclass
class SweepReport:
    reminders: int = 0
    promise_reminders: int = 0  # promised delivery days coming up
    promise_lapses: int = 0  # promised delivery days passed without delivery
    task_reminders: int = 0
    escalations: int = 0
    objection_reminders: int = 0
    objection_escalations: int = 0
    completion_reminders: int = 0  # incomplete requests whose completion period has passed
    exemption_reminders: int = 0  # exemption decisions ending soon or ended (Pasal 20)
    dip_reviews: int = 0  # published catalogue items past their review date, reminded
    dip_published: int = 0  # approved answers whose waiting period ended, published
    evaluation_reminders: int = 0  # units reminded to submit their monev questionnaire
    other_reminders: dict[str, int] = field(default_factory=dict)  # signals.reminders_due: by name
    emails_queued: int = 0
    purged_uploads: int = 0
    monev_days: int = 0  # receipt days whose monev tallies were re-summed
    delivery: DeliveryResult = field(default_factory=DeliveryResult)
    retry_later: int = 0  # rows another writer changed meanwhile: looked at again next run
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"reminders: {self.reminders}, unit task reminders: {self.task_reminders}, "
            f"escalations: {self.escalations}, delivery promise reminders: {self.promise_reminders}, "
            f"delivery promises passed: {self.promise_lapses}, objection reminders: {self.objection_reminders}, "
            f"objection escalations: {self.objection_escalations}, "
            f"completion periods passed: {self.completion_reminders}, "
            f"exemptions ending: {self.exemption_reminders}, "
            f"catalogue items to review: {self.dip_reviews}, scheduled items published: {self.dip_published}, "
            f"monev questionnaires reminded: {self.evaluation_reminders}, "
            + "".join(f"{name}: {n}, " for name, n in sorted(self.other_reminders.items()))
            + f"e-mails queued: {self.emails_queued}; "
            f"outbox: {self.delivery.sent} sent, {self.delivery.retrying} to retry, "
            f"{self.delivery.given_up} given up; staged uploads purged: {self.purged_uploads}; "
            f"monev days re-summed: {self.monev_days}"
            + (f"; changed meanwhile, next run: {self.retry_later}" if self.retry_later else "")
            + (f"; errors: {len(self.errors)}" if self.errors else "")
        )


def sweep_run(*, now: datetime | None = None) -> SweepReport:
    """Run every periodic duty once at ``now``; commits per request, then delivers e-mail."""
    from ..accounts.services import account_mail_requests_process
    from ..accounts.throttle import login_throttle_prune
    from ..attachments.services import attachments_purge_staged

    now = now or utcnow()
    report = SweepReport()
    report.purged_uploads = attachments_purge_staged(
        older_than_hours=current_app.config["UPLOAD_STAGING_HOURS"])
    login_throttle_prune(now=now)  # failed logins past the window, lock-outs that ended
    db.session.commit()

    today = local_date(now)
    _import_calendar_years(today=today, report=report)
    calendar = deadline_calendar()  # a write path: an older year it reaches is imported
    officers = _Officers()
    _escalate(now=now, today=today, calendar=calendar, officers=officers, report=report)
    _remind(now=now, today=today, calendar=calendar, officers=officers, report=report)
    _remind_tasks(now=now, today=today, officers=officers, report=report)
    _lapse_promises(now=now, today=today, calendar=calendar, officers=officers, report=report)
    _remind_promises(now=now, today=today, calendar=calendar, officers=officers, report=report)
    _escalate_objections(now=now, today=today, calendar=calendar, officers=officers, report=report)
    _remind_objections(now=now, today=today, calendar=calendar, officers=officers, report=report)
    _remind_lapsed_completions(now=now, today=today, officers=officers, report=report)
    _remind_exemptions(now=now, today=today, report=report)
    _publish_scheduled_items(today=today, report=report)
    _remind_dip_reviews(today=today, officers=officers, report=report)
    _remind_evaluations(now=now, today=today, report=report)
    _remind_above(now=now, today=today, report=report)
    _upkeep(today=today, report=report)
    account_mail_requests_process()  # left by the web requests, if no outbox sender runs
    report.delivery = outbox_retry_due(now=now)
    return report


def _import_calendar_years(*, today: date, report: SweepReport) -> None:
    """Import this year's and next year's holidays if they never were: pages only read the
    calendar, and the deadlines computed now reach into next year."""
    try:
        calendar_years_ensure(today.year, today.year + 1)
        db.session.commit()
    except Exception as error:  # noqa: BLE001 (one duty failing must not stop the others)
        db.session.rollback()
        report.errors.append(f"calendar years: {error}")


def _remind_exemptions(*, now: datetime, today: date, report: SweepReport) -> None:
    from ..exemptions.expiry_services import exemption_expiry_remind

    reminded, errors = exemption_expiry_remind(now=now, today=today)
    report.exemption_reminders += reminded
    report.errors.extend(errors)


def _remind_evaluations(*, now: datetime, today: date, report: SweepReport) -> None:
    from ..evaluation.reminders import evaluation_reminders_send

    reminded, errors = evaluation_reminders_send(now=now, today=today)
    report.evaluation_reminders += reminded
    report.errors.extend(errors)


def _remind_above(*, now: datetime, today: date, report: SweepReport) -> None:
    """The reminders of the domains above the sweep (``signals.reminders_due``), in one transaction."""
    try:
        results = reminders_due.send(None, now=now, today=today)
        db.session.commit()
    except Exception as error:  # noqa: BLE001 (one duty failing must not stop the others)
        db.session.rollback()
        report.errors.append(f"reminders: {error}")
        return
    for _receiver, counts in results:
        for name, n in (counts or {}).items():
            report.other_reminders[name] = report.other_reminders.get(name, 0) + n


def _upkeep(*, today: date, report: SweepReport) -> None:
    """Let the caches over the requests refresh themselves (``signals.upkeep_due``: monev
    re-sums the tallies of this and last year's changed days), so dashboards need not."""
    try:
        results = upkeep_due.send(None, today=today)
        report.monev_days = sum(done for _receiver, done in results if isinstance(done, int))
        db.session.commit()
    except Exception as error:  # noqa: BLE001 (one duty failing must not stop the others)
        db.session.rollback()
        report.errors.append(f"monev tallies: {error}")


def _publish_scheduled_items(*, today: date, report: SweepReport) -> None:
    """Answers approved for the catalogue after a waiting period: public from their day."""
    from ..dip.services import scheduled_publish

    try:
        report.dip_published += len(scheduled_publish(today=today))
        db.session.commit()
    except Exception as error:  # noqa: BLE001 (one duty failing must not stop the others)
        db.session.rollback()
        report.errors.append(f"scheduled catalogue items: {error}")


def _remind_dip_reviews(*, today: date, officers: _Officers, report: SweepReport) -> None:
    """Catalogue items past their review date: one digest per unit, one for PPID Utama."""
    from ..dip.freshness import mark_reminded, reminders_due

    try:
        due = reminders_due(today)
        if not due:
            return
        by_unit: dict[int, list] = {}
        for stale in due:
            by_unit.setdefault(stale.item.unit_id, []).append(stale)
        subject = _l("Daftar Informasi Publik: informasi perlu ditinjau")
        for unit_id, entries in by_unit.items():
            _mail(officers.of_units([unit_id]), subject, "email/sweep_dip_review.txt", report, entries=entries,
                  today=today, unit_name=entries[0].item.unit.name, link=public_url("dip.desk_list", status="published"))
        _mail(officers.with_role(Role.PPID_UTAMA), subject, "email/sweep_dip_review.txt", report, entries=due,
              today=today, unit_name=None, link=public_url("dip.desk_list", status="published"))
        mark_reminded(due)
        db.session.commit()
        report.dip_reviews += len(due)
    except Exception as error:  # noqa: BLE001 (one duty failing must not stop the others)
        db.session.rollback()
        report.errors.append(f"catalogue reviews: {error}")


# --- one transaction per request ---------------------------------------------------------

def _each_row(model, ids: Iterable[int], report: SweepReport, handle: Callable) -> None:
    """Lock, re-read and handle each row (a request or an objection) in its own transaction;
    one bad row is logged and skipped, a row another writer changed is left for the next run."""
    for row_id in ids:
        label = f"{model.__tablename__} {row_id}"
        try:
            row = db.session.scalar(
                select(model).where(model.id == row_id)
                .with_for_update(of=model).execution_options(populate_existing=True))
            if row is None:
                continue
            label = row.number
            handle(row)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            report.retry_later += 1
        except Exception as error:  # noqa: BLE001 - one bad row must not stop the sweep
            db.session.rollback()
            current_app.logger.exception("sweep: %s failed", label)
            report.errors.append(f"{label}: {type(error).__name__}: {error}")


def _each_request(ids: Iterable[int], report: SweepReport,
                  handle: Callable[[InformationRequest], None]) -> None:
    _each_row(InformationRequest, ids, report, handle)


class _Officers:
    """The e-mail addresses of active officers, by role (read once per run) and by unit."""

    def __init__(self) -> None:
        self._by_role: dict[str, list[str]] = {}

    def with_role(self, role: str) -> list[str]:
        if role not in self._by_role:
            self._by_role[role] = list(db.session.scalars(
                select(User.email).join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == role, User.active.is_(True)).order_by(User.email)))
        return self._by_role[role]

    @staticmethod
    def of_units(unit_ids: Iterable[int]) -> list[str]:
        unit_ids = list(unit_ids)
        if not unit_ids:
            return []
        return list(db.session.scalars(
            select(User.email).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.PEMBANTU, User.unit_id.in_(unit_ids), User.active.is_(True))
            .order_by(User.email)))


def _unique(*groups: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(address for group in groups for address in group))


def _mail(recipients: list[str], subject: str, template: str, report: SweepReport, **context) -> list[int]:
    """Queue one officer e-mail per recipient; officer mail is not on the applicant's list."""
    ids = []
    for recipient in recipients:
        message = outbox_enqueue(recipient=recipient, subject=subject, template=template,
                                 body_name=body_profile().name, **context)
        ids.append(message.id)
    report.emails_queued += len(ids)
    return ids


def _desk_link(item: InformationRequest) -> str:
    return public_url("desk.request_page", request_id=item.id)


# --- escalation ------------------------------------------------------------------------

def _escalate(*, now: datetime, today: date, calendar: WorkingCalendar, officers: _Officers,
              report: SweepReport) -> None:
    ids = db.session.scalars(
        select(InformationRequest.id).where(
            InformationRequest.status.in_(OPEN), InformationRequest.due_date < today,
            InformationRequest.escalated_at.is_(None))
        .order_by(InformationRequest.due_date, InformationRequest.id)).all()

    def handle(item: InformationRequest) -> None:
        if not item.is_open or item.escalated_at is not None:
            return
        reading = read_clock(item.current_due, today, calendar)
        if reading.state is not ClockState.OVERDUE:
            return
        late = -reading.working_days_left
        recipients = _unique(officers.with_role(Role.ATASAN), officers.with_role(Role.PPID_UTAMA))
        outbox_ids = _mail(
            recipients, _("Terlambat: permohonan %(number)s melewati batas waktu", number=item.number),
            "email/sweep_overdue.txt", report, item=item, late=late, link=_desk_link(item))
        request_event(actor=None, item=item, kind="overdue", at=now, changes={"escalated_at": now},
                      data={"due_date": item.current_due.isoformat(), "working_days_late": late,
                            "recipients": recipients, "outbox_ids": outbox_ids})
        report.escalations += 1

    _each_request(ids, report, handle)


# --- reminders before the statutory due -----------------------------------------------

def _remind(*, now: datetime, today: date, calendar: WorkingCalendar, officers: _Officers,
            report: SweepReport) -> None:
    due_soon_wd = current_app.config["DUE_SOON_WD"]
    # Every due at most DUE_SOON_WD working days away lies before this day.
    horizon = calendar.add_working_days(today, due_soon_wd + 1)
    ids = db.session.scalars(
        select(InformationRequest.id).where(
            InformationRequest.status.in_(OPEN), InformationRequest.due_date >= today,
            InformationRequest.due_date < horizon,
            or_(InformationRequest.reminded_for_due.is_(None),
                InformationRequest.reminded_for_due != InformationRequest.due_date))
        .order_by(InformationRequest.due_date, InformationRequest.id)).all()

    def handle(item: InformationRequest) -> None:
        if not item.is_open or item.reminded_for_due == item.due_date:
            return
        reading = read_clock(item.current_due, today, calendar, due_soon_wd=due_soon_wd)
        if reading.state not in (ClockState.DUE_SOON, ClockState.DUE_TODAY):
            return
        units = _open_task_units(item)
        recipients = _unique(officers.of_units(units), officers.with_role(Role.PPID_UTAMA))
        if reading.working_days_left == 0:
            subject = _l("Pengingat: batas waktu permohonan %(number)s hari ini", number=item.number)
        else:
            subject = lazy_ngettext("Pengingat: batas waktu permohonan %(number)s tinggal %(n)d hari kerja",
                                    "Pengingat: batas waktu permohonan %(number)s tinggal %(n)d hari kerja",
                                    reading.working_days_left, number=item.number, n=reading.working_days_left)
        outbox_ids = _mail(recipients, subject, "email/sweep_reminder.txt", report, item=item,
                           left=reading.working_days_left, link=_desk_link(item))
        request_event(actor=None, item=item, kind="reminder_sent", at=now,
                      changes={"reminded_for_due": item.due_date},
                      data={"working_days_left": reading.working_days_left, "unit_ids": units,
                            "recipients": recipients, "outbox_ids": outbox_ids})
        report.reminders += 1

    _each_request(ids, report, handle)


# --- the day the written notice promised the information by -----------------------------------

AWAITING_DELIVERY = RequestStatus.NOTICE_ISSUED.value  # a notice that gives information, nothing delivered yet


def _awaiting(item: InformationRequest) -> bool:
    return item.status == AWAITING_DELIVERY and item.provide_by is not None and item.delivered_at is None


def _remind_promises(*, now: datetime, today: date, calendar: WorkingCalendar, officers: _Officers,
                     report: SweepReport) -> None:
    due_soon_wd = current_app.config["DUE_SOON_WD"]
    horizon = calendar.add_working_days(today, due_soon_wd + 1)
    ids = db.session.scalars(
        select(InformationRequest.id).where(
            InformationRequest.status == AWAITING_DELIVERY, InformationRequest.provide_by >= today,
            InformationRequest.provide_by < horizon,
            or_(InformationRequest.provide_reminded_for.is_(None),
                InformationRequest.provide_reminded_for != InformationRequest.provide_by))
        .order_by(InformationRequest.provide_by, InformationRequest.id)).all()

    def handle(item: InformationRequest) -> None:
        if not _awaiting(item) or item.provide_reminded_for == item.provide_by:
            return
        reading = read_clock(item.provide_by, today, calendar, due_soon_wd=due_soon_wd)
        if reading.state not in (ClockState.DUE_SOON, ClockState.DUE_TODAY):
            return
        units = _task_units(item)
        recipients = _unique(officers.of_units(units), officers.with_role(Role.PPID_UTAMA),
                             officers.with_role(Role.PETUGAS))
        left = reading.working_days_left
        if left == 0:
            subject = _l("Pengingat: informasi permohonan %(number)s dijanjikan diberikan hari ini", number=item.number)
        else:
            subject = lazy_ngettext("Pengingat: informasi permohonan %(number)s dijanjikan diberikan dalam %(n)d hari kerja",
                                    "Pengingat: informasi permohonan %(number)s dijanjikan diberikan dalam %(n)d hari kerja",
                                    left, number=item.number, n=left)
        outbox_ids = _mail(recipients, subject, "email/sweep_promise_reminder.txt", report, item=item,
                           left=left, link=_desk_link(item))
        request_event(actor=None, item=item, kind="provide_reminder_sent", at=now,
                      changes={"provide_reminded_for": item.provide_by},
                      data={"provide_by": item.provide_by.isoformat(), "working_days_left": left,
                            "unit_ids": units, "recipients": recipients, "outbox_ids": outbox_ids})
        report.promise_reminders += 1

    _each_request(ids, report, handle)


def _lapse_promises(*, now: datetime, today: date, calendar: WorkingCalendar, officers: _Officers,
                    report: SweepReport) -> None:
    ids = db.session.scalars(
        select(InformationRequest.id).where(
            InformationRequest.status == AWAITING_DELIVERY, InformationRequest.provide_by < today,
            or_(InformationRequest.provide_lapsed_for.is_(None),
                InformationRequest.provide_lapsed_for != InformationRequest.provide_by))
        .order_by(InformationRequest.provide_by, InformationRequest.id)).all()

    def handle(item: InformationRequest) -> None:
        if not _awaiting(item) or item.provide_lapsed_for == item.provide_by or item.provide_by >= today:
            return
        late = -read_clock(item.provide_by, today, calendar).working_days_left
        recipients = _unique(officers.with_role(Role.ATASAN), officers.with_role(Role.PPID_UTAMA))
        outbox_ids = _mail(
            recipients, _("Terlambat: informasi permohonan %(number)s belum diberikan sampai tanggal yang dijanjikan",
                          number=item.number),
            "email/sweep_promise_passed.txt", report, item=item, late=late, link=_desk_link(item))
        request_event(actor=None, item=item, kind="provide_by_passed", at=now,
                      changes={"provide_lapsed_for": item.provide_by},
                      data={"provide_by": item.provide_by.isoformat(), "working_days_late": late,
                            "recipients": recipients, "outbox_ids": outbox_ids})
        report.promise_lapses += 1

    _each_request(ids, report, handle)


def _task_units(item: InformationRequest) -> list[int]:
    """The units that answered the request's tasks (they hold the information to be delivered)."""
    return list(db.session.scalars(
        select(RoutingTask.unit_id).where(RoutingTask.request_id == item.id,
                                          RoutingTask.status == TaskStatus.ANSWERED)
        .distinct().order_by(RoutingTask.unit_id)))


def _open_task_units(item: InformationRequest) -> list[int]:
    return list(db.session.scalars(
        select(RoutingTask.unit_id).where(RoutingTask.request_id == item.id,
                                          RoutingTask.status == TaskStatus.OPEN)
        .distinct().order_by(RoutingTask.unit_id)))


# --- reminders of units' internal due dates --------------------------------------------

def _task_reminder_key(task_id: int, internal_due: date | str) -> tuple[int, str]:
    due = internal_due.isoformat() if isinstance(internal_due, date) else str(internal_due)
    return (int(task_id), due)


def _reminded_tasks(request_ids: list[int]) -> set[tuple[int, str]]:
    """(task id, internal due) pairs already reminded, from the requests' events."""
    if not request_ids:
        return set()
    rows = db.session.scalars(
        select(Event.data).where(Event.subject_type == "request", Event.subject_id.in_(request_ids),
                                 Event.kind == "task_reminder_sent"))
    return {_task_reminder_key(data["task_id"], data["internal_due"]) for data in rows
            if "task_id" in data and "internal_due" in data}


def _due_tasks(today: date, request_id: int | None = None):
    query = (select(RoutingTask).join(InformationRequest, InformationRequest.id == RoutingTask.request_id)
             .where(RoutingTask.status == TaskStatus.OPEN, RoutingTask.internal_due <= today,
                    InformationRequest.status.in_(OPEN))
             .order_by(RoutingTask.request_id, RoutingTask.id))
    if request_id is not None:
        query = query.where(RoutingTask.request_id == request_id)
    return list(db.session.scalars(query))


def _remind_tasks(*, now: datetime, today: date, officers: _Officers, report: SweepReport) -> None:
    tasks = _due_tasks(today)
    already = _reminded_tasks(sorted({task.request_id for task in tasks}))
    ids = sorted({t.request_id for t in tasks if _task_reminder_key(t.id, t.internal_due) not in already})

    def handle(item: InformationRequest) -> None:
        reminded = _reminded_tasks([item.id])  # again, under the row lock
        for task in _due_tasks(today, item.id):
            if _task_reminder_key(task.id, task.internal_due) in reminded:
                continue
            unit_officers = officers.of_units([task.unit_id])
            # A unit without an active officer account: tell PPID Utama instead of no one.
            recipients = unit_officers or officers.with_role(Role.PPID_UTAMA)
            outbox_ids = _mail(
                recipients, _("Pengingat disposisi: tugas untuk permohonan %(number)s sudah jatuh tempo",
                              number=item.number),
                "email/sweep_task_reminder.txt", report, item=item, task=task,
                overdue=task.internal_due < today, link=_desk_link(item))
            request_event(actor=None, item=item, kind="task_reminder_sent", at=now,
                          data={"task_id": task.id, "unit": task.unit.code,
                                "internal_due": task.internal_due.isoformat(),
                                "to_unit": bool(unit_officers), "recipients": recipients,
                                "outbox_ids": outbox_ids})
            report.task_reminders += 1

    _each_request(ids, report, handle)


# --- incomplete requests whose completion period has passed ---------------------------------

def _lapsed_reminded(request_ids: list[int]) -> set[tuple[int, str]]:
    """(request id, completion due) pairs the desk was already told about."""
    if not request_ids:
        return set()
    rows = db.session.execute(
        select(Event.subject_id, Event.data).where(Event.subject_type == "request", Event.subject_id.in_(request_ids),
                                                   Event.kind == "completion_lapsed_reminded"))
    return {(subject_id, data.get("completion_due")) for subject_id, data in rows}


def _remind_lapsed_completions(*, now: datetime, today: date, officers: _Officers, report: SweepReport) -> None:
    rows = db.session.execute(
        select(InformationRequest.id, InformationRequest.completion_due)
        .where(InformationRequest.status == RequestStatus.INCOMPLETE.value,
               InformationRequest.completion_due < today)
        .order_by(InformationRequest.id)).all()
    already = _lapsed_reminded([row_id for row_id, _due in rows])
    ids = [row_id for row_id, due in rows if (row_id, due.isoformat()) not in already]

    def handle(item: InformationRequest) -> None:
        due = item.completion_due
        if item.status != RequestStatus.INCOMPLETE or due is None or due >= today:
            return
        if (item.id, due.isoformat()) in _lapsed_reminded([item.id]):  # again, under the row lock
            return
        recipients = _unique(officers.with_role(Role.PETUGAS), officers.with_role(Role.PPID_UTAMA))
        outbox_ids = _mail(
            recipients, _("Masa melengkapi permohonan %(number)s sudah lewat", number=item.number),
            "email/sweep_completion_lapsed.txt", report, item=item, link=_desk_link(item))
        request_event(actor=None, item=item, kind="completion_lapsed_reminded", at=now,
                      data={"completion_due": due.isoformat(), "recipients": recipients, "outbox_ids": outbox_ids})
        report.completion_reminders += 1

    _each_request(ids, report, handle)


# --- objections (keberatan): the Atasan PPID's 30-WD response clock -------------------------

def _each_objection(ids: Iterable[int], report: SweepReport, handle: Callable) -> None:
    from ..objections.models import Objection

    _each_row(Objection, ids, report, handle)


def _objection_link(objection) -> str:
    return public_url("objections.objection_page", objection_id=objection.id)


def _log_objection(objection, *, kind: str, now: datetime, data: dict, changes: dict) -> None:
    from ..objections.lifecycle import objection_event

    request_event(actor=None, item=objection.request, kind=kind, at=now,
                  data={"objection_id": objection.id, "objection_number": objection.number, **data})
    objection_event(actor=None, objection=objection, kind=kind, at=now, data=data, changes=changes)


def _escalate_objections(*, now: datetime, today: date, calendar: WorkingCalendar, officers: _Officers,
                         report: SweepReport) -> None:
    from ..objections.models import Objection, ObjectionStatus

    ids = db.session.scalars(
        select(Objection.id).where(Objection.status == ObjectionStatus.REGISTERED,
                                   Objection.response_due < today, Objection.escalated_at.is_(None))
        .order_by(Objection.response_due, Objection.id)).all()

    def handle(objection) -> None:
        if not objection.is_open or objection.escalated_at is not None:
            return
        reading = read_clock(objection.response_due, today, calendar)
        if reading.state is not ClockState.OVERDUE:
            return
        late = -reading.working_days_left
        recipients = _unique(officers.with_role(Role.ATASAN), officers.with_role(Role.PPID_UTAMA))
        outbox_ids = _mail(
            recipients, _("Terlambat: keberatan %(number)s belum ditanggapi", number=objection.number),
            "email/sweep_objection_overdue.txt", report, objection=objection, late=late,
            link=_objection_link(objection))
        _log_objection(objection, kind="objection_overdue", now=now, changes={"escalated_at": now}, data={
            "response_due": objection.response_due.isoformat(), "working_days_late": late,
            "recipients": recipients, "outbox_ids": outbox_ids})
        report.objection_escalations += 1

    _each_objection(ids, report, handle)


def _remind_objections(*, now: datetime, today: date, calendar: WorkingCalendar, officers: _Officers,
                       report: SweepReport) -> None:
    from ..objections.models import Objection, ObjectionStatus

    due_soon_wd = current_app.config["DUE_SOON_WD"]
    horizon = calendar.add_working_days(today, due_soon_wd + 1)
    ids = db.session.scalars(
        select(Objection.id).where(
            Objection.status == ObjectionStatus.REGISTERED, Objection.response_due >= today,
            Objection.response_due < horizon,
            or_(Objection.reminded_for_due.is_(None), Objection.reminded_for_due != Objection.response_due))
        .order_by(Objection.response_due, Objection.id)).all()

    def handle(objection) -> None:
        if not objection.is_open or objection.reminded_for_due == objection.response_due:
            return
        reading = read_clock(objection.response_due, today, calendar, due_soon_wd=due_soon_wd)
        if reading.state not in (ClockState.DUE_SOON, ClockState.DUE_TODAY):
            return
        left = reading.working_days_left
        recipients = officers.with_role(Role.ATASAN)
        if left == 0:
            subject = _l("Pengingat: batas tanggapan keberatan %(number)s hari ini", number=objection.number)
        else:
            subject = lazy_ngettext("Pengingat: batas tanggapan keberatan %(number)s tinggal %(n)d hari kerja",
                                    "Pengingat: batas tanggapan keberatan %(number)s tinggal %(n)d hari kerja",
                                    left, number=objection.number, n=left)
        outbox_ids = _mail(recipients, subject, "email/sweep_objection_reminder.txt", report,
                           objection=objection, left=left, link=_objection_link(objection))
        _log_objection(objection, kind="objection_reminder_sent", now=now,
                       changes={"reminded_for_due": objection.response_due}, data={
            "response_due": objection.response_due.isoformat(), "working_days_left": left,
            "recipients": recipients, "outbox_ids": outbox_ids})
        report.objection_reminders += 1

    _each_objection(ids, report, handle)
