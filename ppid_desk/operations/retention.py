"""`flask ppid purge`: remove applicants' personal data past the retention period (UU 27/2022).

A request's personal data is kept for ``PERSONAL_DATA_RETENTION_DAYS`` after the request, its
objection and any dispute windows are closed, i.e. after the latest of:

* the request's own end: notice, delivery, closure, release after an objection;
* the objection window: ``OBJECTION_FILING_WD`` working days after that end;
* each objection's end (its response, or its filing when settled/withdrawn without one) plus the
  dispute window of ``DISPUTE_FILING_WD`` working days;
* each dispute's decision (``outcome_date``), each court's decision after it, and the day the
  body complied with the final decision.

An open request, an open objection, a dispute without a decision and a case pending at a court
never expire. Purging a request (``request_personal_data_purge``, listed in docs/operations.md
"What a purge removes and what remains"):

* replaces the applicant's name, address, phone and e-mail by ``[dihapus]`` (the register keeps
  its rows and stays complete), clears NIK, legal-entity number and representatives (an
  objection's representative: name ``[dihapus]``, address and contact cleared);
* clears the request's accessibility needs and their note (health data): monev's counts of
  accessibility needs, read live from the requests, then no longer include it;
* deletes every personal document (``PERSONAL_PURPOSES``: identity documents, powers of attorney,
  completion papers, objection letters and their powers of attorney), rows and files;
* blanks the request's e-mails in the outbox and the officers' reminders about it;
* replaces the applicant's identifiers where they were typed into the request's free texts that
  are not in the event log (details, objection summary, notes, delivery notes, file names);
* unlinks a citizen account (the request leaves "my requests", its events lose the actor id),
  and gives the request a new tracking token (old links stop working);
* destroys the applicant's subject keys: what was sealed in the event log becomes unreadable
  while every chain still verifies (``audit.personal``);
* marks the applicant ``purged_at`` and logs ``personal_data_purged`` on the request.

Events written before personal values were sealed hold them in plain and cannot change without
breaking their chain: the report lists them per request. Non-personal columns and the metrics are
untouched.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..attachments.models import PERSONAL_PURPOSES
from ..extensions import db

commands = AppGroup("operations")  # registered on `flask ppid` by ppid_desk.operations.register

PURGED = "[dihapus]"
PURGE_ACTOR = "Sistem (retensi data pribadi)"
MIN_ADDRESS_SCRUBBED = 10  # a street address, not a bare town name that details may mention


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
    keys: int = 0  # subject keys destroyed
    consultations: int = 0  # consultations whose contact details were blanked
    # registration number -> ids of its events that still hold personal values in plain
    remaining: dict[str, list[int]] = field(default_factory=dict)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would purge" if self.dry_run else "purged"
        return (f"{verb} personal data of {len(self.requests)} request(s), {self.files} file(s)"
                + (f" ({self.missing_files} already missing)" if self.missing_files else "")
                + f"; consultation contacts {'to blank' if self.dry_run else 'blanked'}: {self.consultations}"
                + f"; staged uploads {'to remove' if self.dry_run else 'removed'}: {self.staged}"
                + ("" if self.dry_run else f"; subject keys destroyed: {self.keys}"))

    def lines(self) -> list[str]:
        """One line per request, noting the events that keep personal values in plain."""
        out = []
        for number in self.requests:
            ids = self.remaining.get(number)
            out.append(f"  {number}" + (
                f" — remaining in old events: {len(ids)} ({', '.join(map(str, ids))}); written in plain"
                " before sealing, kept so the hash chain verifies" if ids else ""))
        return out


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
        for court_case in dispute.court_cases:  # a case pending at a court keeps the data
            if court_case.decision_date is None:
                return None
            ends.append(court_case.decision_date)
        if dispute.compliance_date is not None:
            ends.append(dispute.compliance_date)
    return max(ends)


def _remove_file(name: str, report: PurgeReport) -> None:
    from ..attachments.storage import upload_storage

    if not upload_storage().delete(name):
        report.missing_files += 1


def _identifiers(applicant, objections, owner) -> list[str]:
    """The values that identify this request's applicant, as they may have been typed anywhere."""
    values = [applicant.name, applicant.email, applicant.phone, applicant.nik, applicant.legal_approval_number,
              applicant.representative_name, *(o.representative_name for o in objections),
              *(o.representative_contact for o in objections)]
    if applicant.phone:
        values.append("".join(ch for ch in applicant.phone if ch.isdigit() or ch == "+"))
    if applicant.address and len(applicant.address.strip()) >= MIN_ADDRESS_SCRUBBED:
        values.append(applicant.address)
    if owner is not None:
        values += [owner.name, owner.email, owner.phone]
    return [v for v in values if v and v != PURGED]


def _free_texts(item) -> list[tuple[object, tuple[str, ...]]]:
    """The request's rows whose free texts may quote the applicant and are not in the event log."""
    from ..attachments.models import Attachment
    from ..notices.models import Delivery, WrittenNotice
    from ..objections.models import Objection
    from ..requests.models import CompletenessLetter, InternalNote

    rows: list[tuple[object, tuple[str, ...]]] = [(item, ("rincian", "tujuan"))]
    for model, columns in ((Objection, ("case_summary", "intended_use", "reaction_note", "not_applicant_reason")), (InternalNote, ("body",)),
                           (Delivery, ("note", "payment_reference")), (WrittenNotice, ("delivery_form", "remarks")),
                           (Attachment, ("original_name",)), (CompletenessLetter, ("missing_items",))):
        rows += [(row, columns) for row in db.session.scalars(select(model).where(model.request_id == item.id))]
    return rows


def request_personal_data_purge(item, *, report: PurgeReport) -> None:
    """Remove the personal data of one request (see the module docstring); flush only."""
    from ..accounts.models import User
    from ..attachments.models import Attachment
    from ..audit.models import Event
    from ..audit.personal import identifier_pattern, plain_personal_events, subject_keys_destroy
    from ..audit.selectors import events_for
    from ..dbtypes import utcnow
    from ..notifications.models import OutboxMessage, OutboxStatus
    from ..objections.models import Dispute, Objection
    from ..requests.lifecycle import request_event

    applicant = item.applicant
    objections = list(db.session.scalars(select(Objection).where(Objection.request_id == item.id)))
    owner = db.session.get(User, item.user_id) if item.user_id is not None else None
    documents = list(db.session.scalars(
        select(Attachment).where(Attachment.purpose.in_(PERSONAL_PURPOSES), Attachment.request_id == item.id)
    ))
    documents += list(db.session.scalars(
        select(Attachment).where(Attachment.purpose.in_(PERSONAL_PURPOSES),
                                 Attachment.objection_id.in_([o.id for o in objections]),
                                 Attachment.request_id.is_(None))
    ))
    events = events_for("request", item.id) + [e for o in objections for e in events_for("objection", o.id)]
    pattern = identifier_pattern(_identifiers(applicant, objections, owner))
    remaining = plain_personal_events(events, pattern)
    report.requests.append(item.number)
    report.files += len(documents)
    if remaining:
        report.remaining[item.number] = remaining
    if report.dry_run:
        return

    for row, columns in _free_texts(item):  # before the rows below change
        for column in columns:
            value = getattr(row, column)
            if value and pattern is not None and pattern.search(value):
                setattr(row, column, pattern.sub(PURGED, value))
    applicant.name = applicant.address = applicant.phone = applicant.email = PURGED
    applicant.nik = applicant.legal_approval_number = applicant.representative_name = None
    applicant.purged_at = utcnow()
    item.accessibility_needs = item.accessibility_note = None
    for objection in objections:
        if objection.representative_name:
            objection.representative_name = PURGED
        objection.representative_address = objection.representative_contact = None
    if owner is not None:
        # The account stays (it is the citizen's own), but no longer leads to this request.
        item.user_id = applicant.user_id = None
        db.session.execute(update(Event).where(
            Event.actor_id == owner.id,
            ((Event.subject_type == "request") & (Event.subject_id == item.id))
            | ((Event.subject_type == "objection") & Event.subject_id.in_([o.id for o in objections])),
        ).values(actor_id=None))  # actor_id is not hashed: the chains still verify
        db.session.execute(update(Dispute).where(Dispute.request_id == item.id, Dispute.recorded_by_id == owner.id)
                           .values(recorded_by_id=None))
    item.tracking_token = secrets.token_urlsafe(24)
    officer_mail = {i for e in events for i in (e.data.get("outbox_ids") or [])}
    for message in db.session.scalars(select(OutboxMessage).where(
            (OutboxMessage.request_id == item.id) | OutboxMessage.id.in_(sorted(officer_mail)))):
        if message.request_id == item.id:  # to the applicant
            message.recipient = PURGED
            if message.status == OutboxStatus.PENDING:  # nowhere to send it any more
                message.status, message.next_attempt_at = OutboxStatus.FAILED, None
        message.body = PURGED  # officers' reminders name the applicant too
        message.context = None  # the values of a message the sender has not rendered yet
        message.last_error = None
    report.keys += subject_keys_destroy(applicant.id)
    for attachment in documents:
        db.session.delete(attachment)
    db.session.flush()
    request_event(actor=None, actor_label=PURGE_ACTOR, item=item, kind="personal_data_purged",
                  data={"attachment_ids": sorted(a.id for a in documents),
                        "retention_days": current_app.config["PERSONAL_DATA_RETENTION_DAYS"],
                        "plain_events": remaining})
    # Files last: the rows are gone from this transaction; a crash leaves at worst an orphan file,
    # which the next run cannot see but which is encrypted and unnamed.
    for attachment in documents:
        _remove_file(attachment.stored_name, report)


def personal_data_purge(*, today: date, dry_run: bool = False) -> PurgeReport:
    """Purge every request whose retention period ended before ``today``; commits per request.

    Idempotent: purged applicants (``purged_at`` set) are skipped."""
    from ..attachments.models import Attachment
    from ..attachments.services import attachments_purge_staged, unclaimed
    from ..consultations.services import consultation_contacts_purge
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
    # A consultation's contact was kept, with consent, only to answer back: same retention, from its date.
    report.consultations = consultation_contacts_purge(today=today, retention_days=days)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    hours = current_app.config["UPLOAD_STAGING_HOURS"]
    if dry_run:
        stale = utcnow() - timedelta(hours=hours)
        report.staged = len(list(db.session.scalars(
            select(Attachment.id).where(*unclaimed(), Attachment.created_at < stale))))
        db.session.rollback()
    else:
        report.staged = attachments_purge_staged(older_than_hours=hours)
        db.session.commit()
    return report


@commands.command("purge")
@click.option("--dry-run", is_flag=True, help="Only report what would be purged.")
def purge(dry_run: bool) -> None:
    """Remove personal data of requests past PERSONAL_DATA_RETENTION_DAYS (see docs/operations.md)."""
    from ..workcalendar.selectors import body_today

    report = personal_data_purge(today=body_today(), dry_run=dry_run)
    click.echo(report.summary())
    for line in report.lines():
        click.echo(line)
