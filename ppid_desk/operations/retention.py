"""`flask ppid purge`: remove applicants' personal data past the retention period (UU 27/2022).

A request's personal data is kept for ``PERSONAL_DATA_RETENTION_DAYS`` after the request, its
objection and any dispute windows are closed, i.e. after the latest of:

* the request's own end: notice, delivery, closure, release after an objection;
* the objection window: ``OBJECTION_FILING_WD`` working days after that end;
* each objection's end (its response, or its filing when settled/withdrawn without one) plus the
  dispute window of ``DISPUTE_FILING_WD`` working days;
* each dispute's decision (``outcome_date``).

An open request, an open objection and a dispute without a decision never expire. Purging
replaces the applicant's name, address, phone and e-mail by ``[dihapus]`` (the register keeps
its rows and stays complete), clears NIK, legal-entity number and representative, deletes
identity documents, powers of attorney and completion papers (rows and files), blanks the
request's e-mails in the outbox, marks the applicant ``purged_at`` and logs
``personal_data_purged`` on the request. Non-personal columns and the metrics are untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta

import click
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..cli import bp
from ..extensions import db
from . import data_key  # noqa: F401  (the data-key check at start-up and `flask ppid data-key`)

PURGED = "[dihapus]"
PERSONAL_PURPOSES = ("identity_document", "power_of_attorney", "completion", "objection_attorney")
PURGE_ACTOR = "Sistem (retensi data pribadi)"


def _labels() -> None:
    from ..requests.labels import EVENT_LABELS

    EVENT_LABELS.update({"personal_data_purged": _l("Data pribadi pemohon dihapus (masa retensi berakhir)")})


_labels()


@dataclass
class PurgeReport:
    requests: list[str] = field(default_factory=list)  # registration numbers
    files: int = 0
    missing_files: int = 0
    staged: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would purge" if self.dry_run else "purged"
        return (f"{verb} personal data of {len(self.requests)} request(s), {self.files} file(s)"
                + (f" ({self.missing_files} already missing)" if self.missing_files else "")
                + f"; staged uploads {'to remove' if self.dry_run else 'removed'}: {self.staged}")


def retention_ends_on(item) -> date | None:
    """The day the retention period starts counting for ``item``; None while anything is still open."""
    from ..objections.models import Dispute, Objection, ObjectionStatus
    from ..requests.models import OPEN_STATUSES, RequestStatus
    from ..sla.clocks import dispute_filing_due, objection_filing_due
    from ..workcalendar.selectors import clock_rules, local_date, working_calendar

    if item.status in OPEN_STATUSES or item.status == RequestStatus.SUBMITTED:
        return None
    moments = [m for m in (item.notice_at, item.delivered_at, item.closed_at, item.released_at) if m]
    if not moments:
        return None
    calendar, rules = working_calendar(), clock_rules()
    ended = max(local_date(m) for m in moments)
    ends = [objection_filing_due(ended, calendar, rules)]
    if item.release_due and not item.released_at:
        ends.append(item.release_due)
    for objection in db.session.scalars(select(Objection).where(Objection.request_id == item.id)):
        if objection.status == ObjectionStatus.REGISTERED:
            return None
        answered = local_date(objection.responded_at) if objection.responded_at else objection.filed_date
        ends.append(dispute_filing_due(answered, calendar, rules))
    for dispute in db.session.scalars(select(Dispute).where(Dispute.request_id == item.id)):
        if dispute.outcome_date is None:
            return None
        ends.append(dispute.outcome_date)
    return max(ends)


def _remove_file(name: str, report: PurgeReport) -> None:
    from ..attachments.services import upload_folder

    try:
        os.remove(upload_folder() / name)
    except FileNotFoundError:
        report.missing_files += 1


def request_personal_data_purge(item, *, report: PurgeReport) -> None:
    """Remove the personal data of one request (see the module docstring); flush only."""
    from ..attachments.models import Attachment
    from ..dbtypes import utcnow
    from ..notifications.models import OutboxMessage, OutboxStatus
    from ..objections.models import Objection
    from ..requests.lifecycle import request_event

    applicant = item.applicant
    documents = list(db.session.scalars(
        select(Attachment).where(Attachment.purpose.in_(PERSONAL_PURPOSES), Attachment.request_id == item.id)
    ))
    objection_ids = select(Objection.id).where(Objection.request_id == item.id)
    documents += list(db.session.scalars(
        select(Attachment).where(Attachment.purpose.in_(PERSONAL_PURPOSES), Attachment.objection_id.in_(objection_ids),
                                 Attachment.request_id.is_(None))
    ))
    report.requests.append(item.number)
    report.files += len(documents)
    if report.dry_run:
        return
    applicant.name = applicant.address = applicant.phone = applicant.email = PURGED
    applicant.nik = applicant.legal_approval_number = applicant.representative_name = None
    applicant.purged_at = utcnow()
    for objection in db.session.scalars(select(Objection).where(Objection.request_id == item.id)):
        if objection.representative_name:
            objection.representative_name = PURGED
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.request_id == item.id,
                                                                  OutboxMessage.status != OutboxStatus.PENDING)):
        message.recipient = message.body = PURGED
    for attachment in documents:
        db.session.delete(attachment)
    db.session.flush()
    request_event(actor=None, actor_label=PURGE_ACTOR, item=item, kind="personal_data_purged",
                  data={"attachment_ids": sorted(a.id for a in documents),
                        "retention_days": current_app.config["PERSONAL_DATA_RETENTION_DAYS"]})
    # Files last: the rows are gone from this transaction; a crash leaves at worst an orphan file,
    # which the next run cannot see but which is encrypted and unnamed.
    for attachment in documents:
        _remove_file(attachment.stored_name, report)


def personal_data_purge(*, today: date, dry_run: bool = False) -> PurgeReport:
    """Purge every request whose retention period ended before ``today``; commits per request.

    Idempotent: purged applicants (``purged_at`` set) are skipped."""
    from ..attachments.models import Attachment
    from ..attachments.services import attachments_purge_staged
    from ..dbtypes import utcnow
    from ..requests.models import Applicant, InformationRequest

    report = PurgeReport(dry_run=dry_run)
    days = current_app.config["PERSONAL_DATA_RETENTION_DAYS"]
    cutoff = today - timedelta(days=days)
    # Every end is after the receipt: requests received on or after the cut-off cannot be due.
    candidates = list(db.session.scalars(
        select(InformationRequest.id).join(Applicant, Applicant.id == InformationRequest.applicant_id)
        .where(Applicant.purged_at.is_(None), InformationRequest.receipt_date < cutoff)
        .order_by(InformationRequest.id)
    ))
    for request_id in candidates:
        item = db.session.get(InformationRequest, request_id)
        ended = retention_ends_on(item)
        if ended is not None and ended < cutoff:
            request_personal_data_purge(item, report=report)
            if not dry_run:
                db.session.commit()
    hours = current_app.config["UPLOAD_STAGING_HOURS"]
    if dry_run:
        stale = utcnow() - timedelta(hours=hours)
        report.staged = len(list(db.session.scalars(
            select(Attachment.id).where(Attachment.request_id.is_(None), Attachment.objection_id.is_(None),
                                        Attachment.task_id.is_(None), Attachment.created_at < stale))))
        db.session.rollback()
    else:
        report.staged = attachments_purge_staged(older_than_hours=hours)
        db.session.commit()
    return report


@bp.cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only report what would be purged.")
def purge(dry_run: bool) -> None:
    """Remove personal data of requests past PERSONAL_DATA_RETENTION_DAYS (see docs/operations.md)."""
    from ..workcalendar.selectors import body_today

    report = personal_data_purge(today=body_today(), dry_run=dry_run)
    click.echo(report.summary())
    for number in report.requests:
        click.echo(f"  {number}")
