"""Reads of objection filing: the objections of a request and their papers, the 30-WD filing
window of each ground (Pasal 36(1)) and the grounds the facts suggest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, select

from ..attachments.models import Attachment
from ..extensions import db
from ..notices.models import RECEIVED_WHEN_ISSUED
from ..requests.models import InformationRequest, Outcome, RequestStatus
from ..sla import WorkingCalendar, objection_filing_due
from ..workcalendar.selectors import body_today, clock_rules, local_date, working_calendar
from .models import PASAL_35_GROUNDS, Objection, ObjectionStatus


def objections_of(request: InformationRequest) -> list[Objection]:
    return list(db.session.scalars(
        select(Objection).where(Objection.request_id == request.id).order_by(Objection.filed_at, Objection.id)))


def open_objection_of(request: InformationRequest) -> Objection | None:
    return db.session.scalar(
        select(Objection).where(Objection.request_id == request.id,
                                Objection.status == ObjectionStatus.REGISTERED).limit(1))


def has_objections(request: InformationRequest) -> bool:
    return bool(db.session.scalar(select(exists().where(Objection.request_id == request.id))))


# --- the filing window of each ground (UU KIP Pasal 36(1); KIP.md "When each clock starts") ------

# Why a ground's window starts where it does (GroundWindow.basis).
NOTICE_RECEIVED = "notice_received"  # a, f (and d when nothing is to be delivered): the notice's receipt
NOTICE_RECEIPT_UNKNOWN = "notice_receipt_unknown"  # sent by post or courier, receipt not recorded yet
DEADLINE_PASSED = "deadline_passed"  # c: the (validly extended) notice deadline passed without a notice
DELIVERED = "delivered"  # d, e, g: the day of delivery
DELIVERY_DUE_PASSED = "delivery_due_passed"  # d, e, g: the day delivery was due passed without it
FOUND_MISSING = "found_missing"  # b: the day the applicant found the periodic information missing
FOUND_MISSING_NOT_STATED = "found_missing_not_stated"  # b before the applicant states the day
FROM_FILING = "from_filing"  # the record shows no such ground (yet): counted from the filing day

UNKNOWN_BASES = frozenset({NOTICE_RECEIPT_UNKNOWN, FOUND_MISSING_NOT_STATED})
# Outcomes after which nothing is delivered: no delivery is ever due.
NOTHING_TO_DELIVER = frozenset({Outcome.REFUSED, Outcome.NOT_HELD})


@dataclass(frozen=True)
class GroundWindow:
    """The 30-WD filing window of one Pasal 35(1) ground, as seen on one day.

    ``start`` is the day the ground arose (not counted: day 1 is the next working day); ``due``
    the last day to file. Both are None while the day the window counts from is not known (a
    letter sent by post or courier whose receipt is not recorded yet, or ground b before the
    applicant states the day): such a window has not started and never makes an objection late."""

    ground: str
    start: date | None
    due: date | None
    basis: str

    @property
    def known(self) -> bool:
        return self.due is not None

    def closed_on(self, day: date) -> bool:
        return self.due is not None and day > self.due

    def as_json(self) -> dict:
        return {"start": self.start.isoformat() if self.start else None,
                "due": self.due.isoformat() if self.due else None, "basis": self.basis}

    @classmethod
    def from_json(cls, ground: str, data: dict) -> GroundWindow:
        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(ground=ground, start=day(data.get("start")), due=day(data.get("due")), basis=data.get("basis", ""))


def _seen(day: date | None, on: date) -> date | None:
    """``day`` if it had come by ``on``, else None (the record as it stood that day)."""
    return day if day is not None and day <= on else None


def notice_received_on(request: InformationRequest) -> tuple[date | None, bool]:
    """The day the applicant received the written notice, and whether it is known.

    ``(None, True)``: no notice. E-mail and hand-over: the issue day (stored at issue). Post and
    courier: the day the desk recorded, ``(None, False)`` until then. A notice issued before the
    way it was sent was recorded (an older version) counts from its issue day, as it always did."""
    if request.notice_at is None:
        return None, True
    if request.notice_received_on is not None:
        return request.notice_received_on, True
    if request.notice_sent_via is None:
        return local_date(request.notice_at), True
    if request.notice_sent_via in RECEIVED_WHEN_ISSUED:
        return local_date(request.notice_at), True
    return None, False


def _withdrawn_by(request: InformationRequest, day: date) -> bool:
    """The applicant withdrew the request on or before ``day`` (the body was not late after it)."""
    return (request.status == RequestStatus.WITHDRAWN and request.closed_at is not None
            and local_date(request.closed_at) <= day)


def delivery_due_on(request: InformationRequest) -> date | None:
    """The day by which the information was due to be delivered, or None when nothing is.

    The day the written notice promised it by (``provide_by``: granted or not yet documented,
    Pasal 22(7)); without such a promise (no notice yet, or a notice issued before notices stated
    it), the notice deadline the law measures (``legal_due``: the extended one where validly
    extended). Grounds d, e and g count from this day passing without delivery; a delivery after
    it is late (ground g)."""
    if request.outcome in NOTHING_TO_DELIVER:
        return None
    if request.provide_by is not None:
        return request.provide_by
    return request.legal_due or request.current_due


def delivered_late(request: InformationRequest, today: date) -> bool:
    """Delivery came after the day it was due, or that day passed without it (ground g)."""
    due = delivery_due_on(request)
    if due is None or request.notice_at is None:
        return False
    delivered = request.delivered_on or (local_date(request.delivered_at) if request.delivered_at else None)
    if delivered is not None:
        return delivered > due
    return today > due and not _withdrawn_by(request, due) and request.status == RequestStatus.NOTICE_ISSUED


def _no_response_start(request: InformationRequest, on: date) -> date | None:
    """Ground c: the day after the notice deadline passed without a notice (as seen on ``on``)."""
    due = request.legal_due or request.current_due
    notice_on = local_date(request.notice_at) if request.notice_at is not None else None
    if on <= due or (notice_on is not None and notice_on <= due) or _withdrawn_by(request, due):
        return None
    return due + timedelta(days=1)


def _delivery_start(request: InformationRequest, on: date) -> tuple[date | None, str]:
    """Grounds d, e, g: the delivery day, or the day after delivery was due and did not happen."""
    delivered = _seen(request.delivered_on or (local_date(request.delivered_at) if request.delivered_at else None), on)
    if delivered is not None:
        return delivered, DELIVERED
    due = delivery_due_on(request)
    if due is None or on <= due or _withdrawn_by(request, due):
        return None, FROM_FILING
    return due + timedelta(days=1), DELIVERY_DUE_PASSED


def _start(request: InformationRequest, ground: str, on: date,
           found_missing_on: date | None) -> tuple[date | None, str]:
    """Where ``ground``'s window starts, as seen on ``on``; (None, basis) when it has no start yet."""
    if ground == "b":
        return (found_missing_on, FOUND_MISSING) if found_missing_on else (None, FOUND_MISSING_NOT_STATED)
    if ground == "c":
        start = _no_response_start(request, on)
        return (start, DEADLINE_PASSED) if start else (None, FROM_FILING)
    notice_issued = request.notice_at is not None and local_date(request.notice_at) <= on
    if ground in ("a", "f") or (ground == "d" and request.outcome in NOTHING_TO_DELIVER):
        if not notice_issued:
            return None, FROM_FILING
        received, known = notice_received_on(request)
        if not known:
            return None, NOTICE_RECEIPT_UNKNOWN
        return (received, NOTICE_RECEIVED) if received <= on else (None, FROM_FILING)
    return _delivery_start(request, on)


def ground_window(request: InformationRequest, ground: str, *, on: date | None = None,
                  calendar: WorkingCalendar | None = None, found_missing_on: date | None = None) -> GroundWindow:
    """The filing window of ``ground`` as seen on ``on`` (default today).

    The one rule behind the "late" flag and every date the applicant is told (form, receipt,
    e-mails, letters). A ground the record does not show (yet) counts from ``on`` itself: an
    objection filed on it that day is on time."""
    on = on or body_today()
    start, basis = _start(request, ground, on, found_missing_on)
    if start is None and basis in UNKNOWN_BASES:
        return GroundWindow(ground=ground, start=None, due=None, basis=basis)
    start = start or on
    due = objection_filing_due(start, calendar or working_calendar(), clock_rules())
    return GroundWindow(ground=ground, start=start, due=due, basis=basis)


def ground_windows(request: InformationRequest, grounds: Iterable[str] = PASAL_35_GROUNDS, *,
                   on: date | None = None, calendar: WorkingCalendar | None = None,
                   found_missing_on: date | None = None) -> dict[str, GroundWindow]:
    """The windows of ``grounds`` (default all seven), in Pasal 35(1) order."""
    on = on or body_today()
    calendar = calendar or working_calendar()
    chosen = set(grounds)
    return {g: ground_window(request, g, on=on, calendar=calendar, found_missing_on=found_missing_on)
            for g in PASAL_35_GROUNDS if g in chosen}


@dataclass(frozen=True)
class ObjectionWindow:
    """The window of an objection on several grounds: on time if ANY chosen ground's is open.

    The governing window is the chosen ground whose window closes last; when any chosen
    ground's window is unknown, so is the governing one, and the objection is not late."""

    windows: dict[str, GroundWindow]
    ground: str | None  # the governing ground
    ground_date: date | None
    filing_due: date | None
    late: bool  # ``on`` is after every chosen ground's window

    @property
    def source(self) -> str:
        return self.windows[self.ground].basis if self.ground else ""

    def windows_json(self) -> dict:
        return {g: w.as_json() for g, w in self.windows.items()}


def governing_window(windows: dict[str, GroundWindow], on: date) -> ObjectionWindow:
    """Combine chosen grounds' windows (see ``ObjectionWindow``)."""
    if not windows or any(not w.known for w in windows.values()):
        return ObjectionWindow(windows=windows, ground=None, ground_date=None, filing_due=None, late=False)
    latest = max(windows.values(), key=lambda w: (w.due, -PASAL_35_GROUNDS.index(w.ground)))
    return ObjectionWindow(windows=windows, ground=latest.ground, ground_date=latest.start,
                           filing_due=latest.due, late=on > latest.due)


def objection_window(request: InformationRequest, grounds: Iterable[str], *, on: date | None = None,
                     calendar: WorkingCalendar | None = None, found_missing_on: date | None = None) -> ObjectionWindow:
    """The window of an objection on ``grounds`` filed on ``on`` (default today)."""
    on = on or body_today()
    return governing_window(ground_windows(request, grounds, on=on, calendar=calendar,
                                           found_missing_on=found_missing_on), on)


def stored_windows(objection: Objection) -> dict[str, GroundWindow]:
    """The per-ground windows stored when the objection was filed (none for older objections)."""
    return {g: GroundWindow.from_json(g, data) for g, data in (objection.ground_windows or {}).items()}


def windows_recounted(objection: Objection, calendar: WorkingCalendar) -> ObjectionWindow:
    """The objection's stored windows counted again on ``calendar`` (e.g. after a holiday was
    added): each ground keeps the day it arose, its due moves with the calendar, and the governing
    window and the late flag follow. A window that was unknown stays unknown."""
    rules = clock_rules()
    windows = {g: w if w.start is None else GroundWindow(ground=g, start=w.start,
                                                         due=objection_filing_due(w.start, calendar, rules),
                                                         basis=w.basis)
               for g, w in stored_windows(objection).items()}
    return governing_window(windows, objection.filed_date)


def suggested_grounds(request: InformationRequest, today: date) -> set[str]:
    """Grounds the record already supports; the applicant chooses (these are pre-ticked)."""
    grounds: set[str] = set()
    notice_by_today = request.notice_at is not None and local_date(request.notice_at) <= today
    if not notice_by_today and _no_response_start(request, today) is not None:
        grounds |= {"c", "g"}
    refused = request.outcome == Outcome.REFUSED or (
        request.outcome == Outcome.GRANTED_PARTIAL and bool(request.pasal17_basis))
    if refused:
        grounds.add("a")
    if (request.fee_amount or 0) > 0:
        grounds.add("f")
    if notice_by_today and delivered_late(request, today):
        grounds.add("g")  # delivered after the promised day, or it passed without delivery
        if request.delivered_at is None:
            grounds.add("e")  # not fulfilled: nothing delivered by the promised day
    return grounds


def objection_documents(objection: Objection) -> list[Attachment]:
    """The papers filed with an objection (power of attorney, the letter received on paper)."""
    return list(db.session.scalars(
        select(Attachment).where(Attachment.objection_id == objection.id).order_by(Attachment.id)))


def objection_document_of(objection: Objection, attachment_id: int) -> Attachment | None:
    """One paper of this objection (None when the id belongs to another objection or none)."""
    return db.session.scalar(select(Attachment).where(
        Attachment.id == attachment_id, Attachment.objection_id == objection.id))


# --- may the applicant object now? (issue 14 item 6) -----------------------------------------

# An objection on these statuses was answered: its grounds are not heard again (a withdrawn one
# was not answered, and its grounds stay open).
ANSWERED_STATUSES = frozenset({ObjectionStatus.RESPONDED, ObjectionStatus.SETTLED})
# Outcomes that do not give what was asked, in full: ground d (not as requested) arises with the notice.
NOT_AS_REQUESTED = frozenset({Outcome.GRANTED_PARTIAL, Outcome.NOT_HELD, Outcome.NOT_DOCUMENTED})


def grounds_on_record(request: InformationRequest, today: date) -> set[str]:
    """The Pasal 35(1) grounds the record shows have arisen by ``today``.

    The suggested grounds (c and g overdue without a notice; a a refusal, in full or in part under
    Pasal 17; f a fee; e and g a delivery late or not made by the promised day), and d (not as
    requested) once a notice that does not grant in full was issued, or once something was
    delivered (the applicant can then see whether it is what was asked for). Ground b (periodic
    information) is the applicant's own statement and never shows on a request's record."""
    grounds = suggested_grounds(request, today)
    notice_by_today = request.notice_at is not None and local_date(request.notice_at) <= today
    delivered = request.delivered_on is not None or request.delivered_at is not None
    if notice_by_today and (request.outcome in NOT_AS_REQUESTED or delivered):
        grounds.add("d")
    return grounds


def answered_grounds(request: InformationRequest) -> dict[str, Objection]:
    """Each ground an answered objection of this request was filed on, with that objection
    (the first answered one, for the message)."""
    answered: dict[str, Objection] = {}
    for objection in objections_of(request):
        if objection.status in ANSWERED_STATUSES:
            for ground in objection.grounds or []:
                answered.setdefault(ground, objection)
    return answered


@dataclass(frozen=True)
class ObjectionGrounds:
    """The grounds on which the applicant may object now: those on record, less those answered."""

    on_record: frozenset[str]
    answered: dict[str, Objection]

    @property
    def open(self) -> frozenset[str]:
        return self.on_record - set(self.answered)

    @property
    def may_object(self) -> bool:
        return bool(self.open)


def objection_grounds(request: InformationRequest, today: date) -> ObjectionGrounds:
    return ObjectionGrounds(on_record=frozenset(grounds_on_record(request, today)),
                            answered=answered_grounds(request))
