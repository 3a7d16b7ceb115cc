"""Filing an objection (keberatan) to the Atasan PPID: the window, the suggested grounds, the
registration (number, clocks, documents, events on both timelines, e-mail). Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from ..accounts.models import User
from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import attachment_claim
from ..audit.personal import GUEST_APPLICANT
from ..audit.services import event_log
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile, number_pattern
from ..requests.lifecycle import request_event
from ..requests.models import Channel, InformationRequest, Outcome
from ..requests.numbering import format_number, next_sequence
from ..sla import WorkingCalendar, objection_filing_due, objection_response_due
from ..web.urls import public_url
from ..workcalendar.selectors import body_today, clock_rules, local_date, working_calendar
from ..workcalendar.services import calendar_years_ensure_around, deadline_calendar
from . import labels as objection_labels
from .models import PASAL_35_GROUNDS, Objection, ObjectionStatus

OBJECTION_SERIES = "keberatan"
OBJECTION_CHANNELS = frozenset({Channel.ONLINE, Channel.WALK_IN, Channel.LETTER, Channel.EMAIL})


class StaleObjection(DomainError):
    """Someone else changed the objection since this person loaded it (optimistic locking)."""

    def __init__(self, objection: Objection) -> None:
        super().__init__(f"objection {objection.number} changed (now version {objection.version})")
        self.objection = objection


class ObjectionStillOpen(DomainError):
    """Another objection of this request is still waiting for the Atasan's response."""

    def __init__(self, objection: Objection) -> None:
        super().__init__(_("Keberatan %(number)s atas permohonan ini masih menunggu tanggapan Atasan PPID. "
                           "Keberatan baru dapat diajukan setelah keberatan itu ditanggapi.",
                           number=objection.number))
        self.objection = objection


# --- selectors ------------------------------------------------------------------------------

def objections_of(request: InformationRequest) -> list[Objection]:
    return list(db.session.scalars(
        select(Objection).where(Objection.request_id == request.id).order_by(Objection.filed_at, Objection.id)))


def open_objection_of(request: InformationRequest) -> Objection | None:
    return db.session.scalar(
        select(Objection).where(Objection.request_id == request.id,
                                Objection.status == ObjectionStatus.REGISTERED).limit(1))


def has_objections(request: InformationRequest) -> bool:
    return bool(db.session.scalar(select(exists().where(Objection.request_id == request.id))))


def _ground(request: InformationRequest, on: date) -> tuple[date | None, str]:
    if request.notice_at is not None and local_date(request.notice_at) <= on:
        return local_date(request.notice_at), "notice"
    stopped = request.clock_stopped_at  # a withdrawal before the due: the body was not late
    if on > request.current_due and (stopped is None or local_date(stopped) > request.current_due):
        return request.current_due + timedelta(days=1), "missed_deadline"
    return None, "none"


def ground_date_for(request: InformationRequest, calendar: WorkingCalendar | None = None, *,
                    on: date | None = None) -> date | None:
    """The day the objection's ground arose, as seen on ``on`` (default today).

    The local date of the written notice when one was issued (by then); otherwise, once the
    notice deadline has passed, the day after it; otherwise None: no ground yet (an objection
    is still allowed, e.g. on grounds d–f, and its window then counts from the filing day).
    ``calendar`` is accepted for symmetry with the clock functions; calendar days are used.
    """
    return _ground(request, on or body_today())[0]


@dataclass(frozen=True)
class ObjectionWindow:
    ground_date: date  # the ground's day, or ``on`` itself when there is none yet
    source: str  # "notice", "missed_deadline" or "none"
    filing_due: date
    late: bool  # ``on`` is after ``filing_due``


def objection_window(request: InformationRequest, *, on: date | None = None,
                     calendar: WorkingCalendar | None = None) -> ObjectionWindow:
    on = on or body_today()
    calendar = calendar or working_calendar()
    ground, source = _ground(request, on)
    ground = ground or on
    due = objection_filing_due(ground, calendar, clock_rules())
    return ObjectionWindow(ground_date=ground, source=source, filing_due=due, late=on > due)


def suggested_grounds(request: InformationRequest, today: date) -> set[str]:
    """Grounds the record already supports; the applicant chooses (these are pre-ticked)."""
    grounds: set[str] = set()
    if _ground(request, today)[1] == "missed_deadline":
        grounds |= {"c", "g"}
    refused = request.outcome == Outcome.REFUSED or (
        request.outcome == Outcome.GRANTED_PARTIAL and bool(request.pasal17_basis))
    if refused:
        grounds.add("a")
    if (request.fee_amount or 0) > 0:
        grounds.add("f")
    return grounds


# --- the service ----------------------------------------------------------------------------

def _check(*, request: InformationRequest, grounds: list[str], case_summary: str, intended_use: str,
           representative_name: str | None, documents: list[Attachment], channel: str) -> list[str]:
    chosen = [g for g in PASAL_35_GROUNDS if g in set(grounds)]
    if not chosen or set(grounds) - set(PASAL_35_GROUNDS):
        raise FieldError("grounds", _("Pilih paling sedikit satu alasan keberatan."))
    if not (case_summary or "").strip():
        raise FieldError("case_summary", _("Tulis kasus posisi: apa yang terjadi dan mengapa Anda keberatan."))
    if not (intended_use or "").strip():
        raise FieldError("intended_use", _("Tulis tujuan penggunaan informasi."))
    if channel not in OBJECTION_CHANNELS:
        raise FieldError("channel", _("Pilih saluran keberatan diterima."))
    if representative_name and not any(d.purpose == AttachmentPurpose.OBJECTION_ATTORNEY for d in documents):
        raise FieldError("power_of_attorney", _("Keberatan yang diajukan oleh kuasa wajib dilampiri surat kuasa."))
    current = open_objection_of(request)
    if current is not None:
        raise ObjectionStillOpen(current)
    return chosen


def objection_file(
    *,
    actor: User | None,
    request: InformationRequest,
    grounds: list[str],
    case_summary: str,
    intended_use: str,
    representative_name: str | None,
    documents: list[Attachment],
    filed_at: datetime,
    channel: str,
    notify: bool = True,
) -> Objection:
    """Register an objection (keberatan) to the Atasan PPID.

    Allowed any time after the request's registration while no other objection of the request
    is still ``registered``. A late objection (after its 30-WD filing window) is registered and
    flagged: the Atasan PPID decides on admissibility, not the software. The response clock
    (30 WD) counts from the local filing date.
    """
    chosen = _check(request=request, grounds=grounds, case_summary=case_summary, intended_use=intended_use,
                    representative_name=representative_name, documents=documents, channel=channel)
    calendar_years_ensure_around(local_date(filed_at))  # its response and dispute clocks reach on
    calendar = deadline_calendar()
    rules = clock_rules()
    filed_date = local_date(filed_at)
    window = objection_window(request, on=filed_date, calendar=calendar)
    response_due = objection_response_due(filed_date, calendar, rules)

    seq = next_sequence(OBJECTION_SERIES, filed_date.year)
    number = format_number(number_pattern("objection"), seq=seq, on=filed_date)
    objection = Objection(
        number=number, year=filed_date.year, seq=seq, request=request, channel=str(channel),
        grounds=chosen, case_summary=case_summary.strip(), intended_use=intended_use.strip(),
        representative_name=(representative_name or "").strip() or None,
        filed_at=filed_at, filed_date=filed_date,
        registered_by_id=actor.id if actor is not None and channel != Channel.ONLINE else None,
        ground_date=window.ground_date, filing_due=window.filing_due, late=window.late,
        response_due=response_due, status=ObjectionStatus.REGISTERED,
    )
    db.session.add(objection)
    db.session.flush()
    for document in documents:
        attachment_claim(document, request_id=request.id)
        document.objection_id = objection.id

    actor_label = None if actor else GUEST_APPLICANT
    data = {
        "objection_id": objection.id, "objection_number": number, "channel": str(channel),
        "grounds": chosen, "ground_date": window.ground_date.isoformat(), "ground_source": window.source,
        "filing_due": window.filing_due.isoformat(), "late": window.late,
        "response_due": response_due.isoformat(), "documents": [d.id for d in documents],
    }
    request_event(actor=actor, actor_label=actor_label, item=request, kind="objection_filed",
                  at=filed_at, data=data)
    event_log(actor=actor, actor_label=actor_label, subject_type="objection", subject_id=objection.id,
              kind="filed", at=filed_at, data={**data, "request_id": request.id, "request_number": request.number})
    if notify and request.applicant.email:
        objection_send_receipt(objection=objection, actor=actor)
    return objection


def objection_send_receipt(*, objection: Objection, actor: User | None) -> None:
    """Queue the confirmation e-mail: the receipt's contents and the tracking link."""
    request = objection.request
    outbox_enqueue(
        recipient=request.applicant.email,
        subject=_l("Tanda terima keberatan %(number)s", number=objection.number),
        template="email/objection_registered.txt",
        request=request, actor=actor, objection=objection,
        response_explanation=working_calendar().explain(objection.filed_date, clock_rules().objection_response_wd),
        tracking_url=public_url("requests.track_token", token=request.tracking_token),
        body_name=body_profile().name, objection_labels=objection_labels,
    )
