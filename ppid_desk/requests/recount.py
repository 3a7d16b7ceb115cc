"""A change to the working calendar recounts the requests' stored clocks (issue 13 item 3).

The calendar administration announces an edit with ``signals.calendar_changed`` (keywords
``before``: the calendar as it was, ``first``..``last``: the days changed, ``actor``, ``reason``,
``holiday``); ``connect()`` (from this domain's ``init_app``) subscribes ``on_calendar_changed``.
The calendar never imports this module.

Every request whose dates a change on ``first``..``last`` can move is counted again on the
calendar as it is now, open or closed: monev and the "why this date" explanations judge every
request on the current calendar, so the stored dates must agree with it. Each request whose dates
move gets one ``deadline_recomputed`` event through the funnel (before/after); the applicant of an
OPEN request is e-mailed once about the dates they were shown (a closed request's dates no longer
ask anything of anyone). Rows imported from a historical register keep the register's dates.

* ``notice_due``: ``notice_wd`` working days after the receipt date;
* ``extended_due``: keeps the extension's length (the "extended" event's ``working_days``, or the
  working days between the old dues counted on the calendar as it was), from the new notice due;
* ``completion_due``: an incomplete request's period keeps its letter's day and length; the latest
  incomplete-notice letter's ``completion_due`` is kept equal to the request's.
* ``legal_due`` and ``due_date`` follow through the funnel's derivation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ..accounts.models import User
from ..audit.models import Event
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile
from ..signals import calendar_changed
from ..sla import ClockRules, WorkingCalendar, completion_due, notice_due
from ..web.urls import public_url
from ..workcalendar.selectors import clock_rules, local_date, working_calendar
from .lifecycle import request_event
from .models import CompletenessLetter, CompletenessLetterKind, InformationRequest

# Where an "extended" event records its length in working days (notices.services writes
# "working_days"; "wd" is accepted too).
EXTENSION_LENGTH_KEYS = ("working_days", "wd")
RECOUNTED = "deadline_recomputed"  # the event kind on every recounted subject


@dataclass(frozen=True)
class DateMove:
    """One date shown to the applicant that a calendar change moved (for the e-mail)."""

    label: str  # what the date is, in the e-mail's words
    before: date
    after: date


def on_calendar_changed(_sender, *, before: WorkingCalendar | None = None, first: date | None = None,
                        last: date | None = None, actor: User | None = None, reason: str = "",
                        holiday: dict[str, Any] | None = None, **_extra) -> dict[str, list[str]]:
    """Recount the requests an admin edit can move; {"requests": numbers}. A signal without
    ``before`` (a year imported on demand, nothing changed in it) moves nothing."""
    if before is None or first is None or last is None:
        return {}
    return {"requests": requests_recount(actor=actor, reason=reason, before=before, first=first, last=last,
                                         holiday=holiday)}


def connect() -> None:
    """Subscribe the requests' recount to calendar changes (idempotent; from ``init_app``)."""
    calendar_changed.connect(on_calendar_changed)


def requests_recount(*, actor: User | None, reason: str, before: WorkingCalendar, first: date, last: date,
                     holiday: dict[str, Any] | None) -> list[str]:
    """Recount every request a change on ``first``..``last`` can move; the numbers that moved.

    A closure on day X moves a request's dates only if receipt_date < X ≤ due_date (or ≤ its
    completion_due), so only those requests are read (one query)."""
    items = list(db.session.scalars(
        select(InformationRequest).where(
            InformationRequest.imported.is_(False),
            InformationRequest.receipt_date < last,
            or_(InformationRequest.due_date >= first, InformationRequest.completion_due >= first))
        .order_by(InformationRequest.id)))
    if not items:
        return []
    after = working_calendar()  # fresh: it caches years per instance
    rules = clock_rules()
    lengths = extension_lengths([item.id for item in items if item.extended_due is not None])
    letters = _incomplete_letters([item.id for item in items if item.completion_due is not None])
    periods = _completion_periods([item.id for item in items if item.completion_due is not None])
    moved: list[str] = []
    for item in items:
        changes, data = recounted_dues(item, before=before, after=after, rules=rules,
                                       extension_wd=lengths.get(item.id),
                                       letter=letters.get(item.id), period=periods.get(item.id))
        if not changes:
            continue
        shown = _shown_moves(item, changes)
        request_event(actor=actor, item=item, kind=RECOUNTED, changes=changes,
                      data={"reason": reason, "holiday": holiday, **data})
        letter = letters.get(item.id)
        if letter is not None and "completion_due" in changes:
            letter.completion_due = changes["completion_due"]  # the letter says what the request counts
        if item.is_open:
            applicant_told_dates_moved(item=item, moves=shown, actor=actor)
        moved.append(item.number)
    db.session.flush()
    return moved


def recounted_dues(item: InformationRequest, *, before: WorkingCalendar, after: WorkingCalendar,
                   rules: ClockRules, extension_wd: int | None = None,
                   letter: CompletenessLetter | None = None,
                   period: tuple[date, int] | None = None) -> tuple[dict[str, date], dict[str, Any]]:
    """The request's dues counted on ``after`` (only those that differ), and what was kept
    (extension and completion lengths) for the event. Reads nothing; writes nothing."""
    changes: dict[str, date] = {}
    data: dict[str, Any] = {}
    new_notice = notice_due(item.receipt_date, after, rules)
    if new_notice != item.notice_due:
        changes["notice_due"] = new_notice
    if item.extended_due is not None:
        wd = extension_wd if extension_wd is not None else before.working_days_between(item.notice_due,
                                                                                        item.extended_due)
        new_extended = after.add_working_days(new_notice, wd)
        if new_extended != item.extended_due:
            changes["extended_due"] = new_extended
        data["extension_wd"] = wd
    if item.completion_due is not None:
        start_wd = (letter.issued_on, letter.completion_wd) if letter is not None else period
        if start_wd is not None:
            start, wd = start_wd
            new_completion = completion_due(start, after, replace(rules, completion_wd=wd))
            if new_completion != item.completion_due:
                changes["completion_due"] = new_completion
            data["completion_wd"] = wd
    return changes, data


def new_current_due(item: InformationRequest, *, before: WorkingCalendar, after: WorkingCalendar) -> date:
    """The request's current due (extended or notice) as counted on ``after``, whether or not
    the requests' own recount has run yet (other domains' recounts depend on it)."""
    lengths = extension_lengths([item.id]) if item.extended_due is not None else {}
    changes, _data = recounted_dues(item, before=before, after=after, rules=clock_rules(),
                                    extension_wd=lengths.get(item.id))
    if item.extended_due is not None:
        return changes.get("extended_due", item.extended_due)
    return changes.get("notice_due", item.notice_due)


def _shown_moves(item: InformationRequest, changes: dict[str, date]) -> list[DateMove]:
    labels = {"notice_due": _l("Batas pemberitahuan tertulis"),
              "extended_due": _l("Batas pemberitahuan tertulis setelah perpanjangan"),
              "completion_due": _l("Batas melengkapi permohonan")}
    return [DateMove(str(labels[column]), getattr(item, column), changes[column])
            for column in ("notice_due", "extended_due", "completion_due") if column in changes]


def applicant_told_dates_moved(*, item: InformationRequest, moves: list[DateMove], actor: User | None,
                               subject_number: str | None = None) -> None:
    """One e-mail to the applicant naming every date of one subject (the request, or the
    objection numbered ``subject_number``) that one calendar change moved; nothing without an
    address or without a move."""
    if not moves or not item.applicant.email:
        return
    number = subject_number or item.number
    outbox_enqueue(
        recipient=item.applicant.email, request=item, actor=actor,
        subject=_l("Tanggal pada %(number)s berubah karena kalender hari kerja berubah", number=number),
        template="email/dates_moved.txt", subject_number=number, moves=moves,
        body_name=body_profile().name,
        tracking_url=public_url("requests.track_token", token=item.tracking_token))


def extension_lengths(request_ids: list[int]) -> dict[int, int]:
    """The extension length in working days recorded by each request's latest "extended" event."""
    if not request_ids:
        return {}
    lengths: dict[int, int] = {}
    rows = db.session.execute(
        select(Event.subject_id, Event.data).where(
            Event.subject_type == "request", Event.subject_id.in_(request_ids), Event.kind == "extended")
        .order_by(Event.id))
    for request_id, data in rows:
        for key in EXTENSION_LENGTH_KEYS:
            wd = (data or {}).get(key)
            if isinstance(wd, int) and not isinstance(wd, bool) and wd >= 0:
                lengths[request_id] = wd
                break
    return lengths


def _incomplete_letters(request_ids: list[int]) -> dict[int, CompletenessLetter]:
    """Each request's latest incomplete-notice letter (the period's day and length as issued)."""
    if not request_ids:
        return {}
    letters: dict[int, CompletenessLetter] = {}
    for letter in db.session.scalars(
            select(CompletenessLetter).where(CompletenessLetter.request_id.in_(request_ids),
                                             CompletenessLetter.kind == CompletenessLetterKind.INCOMPLETE.value)
            .order_by(CompletenessLetter.id)):
        letters[letter.request_id] = letter
    return letters


def _completion_periods(request_ids: list[int]) -> dict[int, tuple[date, int]]:
    """(letter day, working days) of each request's latest "marked_incomplete" event: requests
    marked incomplete before the letters were numbered rows."""
    if not request_ids:
        return {}
    periods: dict[int, tuple[date, int]] = {}
    rows = db.session.execute(
        select(Event.subject_id, Event.at, Event.data).where(
            Event.subject_type == "request", Event.subject_id.in_(request_ids), Event.kind == "marked_incomplete")
        .order_by(Event.id))
    for request_id, at, data in rows:
        wd = (data or {}).get("completion_wd")
        if isinstance(wd, int) and not isinstance(wd, bool) and wd >= 0:
            periods[request_id] = (local_date(at), wd)
    return periods
