"""The per-request conditions behind every monev number, as SQL expressions over the cached columns.

The metric engine counts them (``sum(case when …)``) and the desk queue filters by them, so a
number on the dashboard and the list of requests it links to are the same set by construction.
All compare plain dates (``notice_on``, ``legal_due`` … are body-local days kept by the funnel),
so the database evaluates them from the covering index ``ix_information_request_monev``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ..notices.models import PASAL_17_LETTERS, ConsequenceTest, Delivery, WrittenNotice
from ..requests.gates import request_clock_running
from ..requests.labels import ACCESSIBILITY_LABELS, OUTCOME_LABELS
from ..requests.models import (
    OPEN_STATUSES,
    AccessibilityNeed,
    InformationRequest,
    Outcome,
    RequestStatus,
)
from ..routing.conditions import held_by_unit, unit_is  # noqa: F401  (monev's names for them)
from ..sla import ClockState
from ..workcalendar.clock_sql import clock_state_condition
from .charts import WD_BUCKETS
from .models import WorkdayOrdinal

R = InformationRequest
# Never registered, or ended administratively (withdrawn, not completed): no notice was owed.
COHORT_EXCLUDED = (RequestStatus.SUBMITTED.value, RequestStatus.WITHDRAWN.value, RequestStatus.NOT_COMPLETED.value)
# The administrative ends (requests.models.ADMINISTRATIVE_ENDS): status and outcome share the value.
ADMINISTRATIVE_END_VALUES = (Outcome.WITHDRAWN.value, Outcome.NOT_COMPLETED.value)
OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))


# A unit filter: None (the whole body), one unit id, or several (a unit and everything under it).
UnitScope = int | Collection[int] | None


def in_period(start: date, end: date, unit_id: UnitScope = None, *, withdrawn: bool = False) -> list:
    """WHERE terms for the requests registered in [start, end] (the cohort), optionally of one unit
    (or of several: a unit and the units under it).

    ``withdrawn=True`` keeps the administrative ends, withdrawn and not completed (only the
    outcome mix counts them).
    """
    excluded = [RequestStatus.SUBMITTED.value] if withdrawn else list(COHORT_EXCLUDED)
    terms = [R.receipt_date >= start, R.receipt_date <= end, R.status.notin_(excluded)]
    if unit_id is not None:
        terms.append(held_by_unit(unit_id))
    return terms



def noticed() -> ColumnElement[bool]:
    return R.notice_on.isnot(None)


def counted_10(today: date) -> ColumnElement[bool]:
    """Counted for the 10-WD share: it has a notice, or its 10-WD due has passed."""
    return or_(noticed(), R.notice_due < today)


def on_time_10(today: date) -> ColumnElement[bool]:
    return R.notice_on <= R.notice_due


def late_10(today: date) -> ColumnElement[bool]:
    return or_(R.notice_on > R.notice_due, and_(R.notice_on.is_(None), R.notice_due < today))


def counted_legal(today: date) -> ColumnElement[bool]:
    return or_(noticed(), R.legal_due < today)


def on_time_legal(today: date) -> ColumnElement[bool]:
    return R.notice_on <= R.legal_due


def breach(today: date) -> ColumnElement[bool]:
    """Late against the legal due (a valid extension counted), or open and past it."""
    return or_(R.notice_on > R.legal_due, and_(R.notice_on.is_(None), R.legal_due < today))


def extended(today: date) -> ColumnElement[bool]:
    return R.extended_due.isnot(None)


def extension_valid(today: date) -> ColumnElement[bool]:
    """Extended on or before the 10-WD due: the funnel then sets legal_due to extended_due."""
    return and_(R.extended_due.isnot(None), R.legal_due == R.extended_due)


def extension_late(today: date) -> ColumnElement[bool]:
    return and_(R.extended_due.isnot(None), R.legal_due != R.extended_due)


def overdue_open(today: date) -> ColumnElement[bool]:
    """Open now (no notice yet) and past the due officers work to: the queue's "overdue"."""
    return clock_state_condition(ClockState.OVERDUE, running=request_clock_running(), due=R.due_date, today=today)


def refused(today: date) -> ColumnElement[bool]:
    return R.outcome == Outcome.REFUSED.value


def has_consequence_test() -> ColumnElement[bool]:
    return (select(ConsequenceTest.id).join(WrittenNotice, WrittenNotice.id == ConsequenceTest.notice_id)
            .where(WrittenNotice.request_id == R.id).exists())


def refusal_complete(today: date) -> ColumnElement[bool]:
    """A refusal carrying a Pasal 17 letter and a consequence test."""
    return and_(R.outcome == Outcome.REFUSED.value, func.coalesce(R.pasal17_basis, "") != "",
                has_consequence_test())


def refusal_incomplete(today: date) -> ColumnElement[bool]:
    return and_(R.outcome == Outcome.REFUSED.value,
                or_(func.coalesce(R.pasal17_basis, "") == "", ~has_consequence_test()))


def with_fee(today: date) -> ColumnElement[bool]:
    return and_(noticed(), R.fee_amount > 0)


def promised(today: date) -> ColumnElement[bool]:
    """The notice promised the information by a day (``provide_by``: granted or not yet documented)."""
    return R.provide_by.isnot(None)


def delivered_by_promise(today: date) -> ColumnElement[bool]:
    return and_(R.provide_by.isnot(None), R.delivered_on <= R.provide_by)


def delivered_after_promise(today: date) -> ColumnElement[bool]:
    """Delivered after the day the notice promised (late delivery, Pasal 35(1) ground g)."""
    return and_(R.provide_by.isnot(None), R.delivered_on > R.provide_by)


def promise_passed_open(today: date) -> ColumnElement[bool]:
    """Still not delivered and the promised day has passed (live: grounds e and g are open)."""
    return and_(R.status == RequestStatus.NOTICE_ISSUED.value, R.provide_by < today, R.delivered_on.is_(None))


def answered_from_published(today: date) -> ColumnElement[bool]:
    """Answered by pointing to an item already in the Daftar Informasi Publik (delivery "already
    published": the delivery names the item). Driven by the few deliveries that name one
    (``ix_delivery_published_item_id``), not by a lookup per request."""
    return R.id.in_(select(Delivery.request_id).where(Delivery.published_item_id.isnot(None)))


def _names(column, value: str) -> ColumnElement[bool]:
    """A comma-separated list ``column`` holds ``value``."""
    return (literal(",", String) + func.replace(func.coalesce(column, ""), " ", "") + ",").like(f"%,{value},%")


def refused_with_letter(letter: str) -> Callable[[date], ColumnElement[bool]]:
    """A refusal or a partial grant whose ``pasal17_basis`` (comma-separated letters) names
    ``letter``: the requests behind ``refusal_basis[letter]``."""
    def condition(today: date) -> ColumnElement[bool]:
        return and_(R.outcome.in_((Outcome.REFUSED.value, Outcome.GRANTED_PARTIAL.value)),
                    _names(R.pasal17_basis, letter))
    return condition


def with_accessibility_need(need: str | None = None) -> Callable[[date], ColumnElement[bool]]:
    """A request that stated accessibility needs (``need``: that one among them)."""
    def condition(today: date) -> ColumnElement[bool]:
        stated = R.accessibility_needs.isnot(None)
        return stated if need is None else and_(stated, _names(R.accessibility_needs, need))
    return condition


def _ordinal(day) -> ColumnElement:
    return select(WorkdayOrdinal.ordinal).where(WorkdayOrdinal.day == day).scalar_subquery()


def wd_to_notice_between(low: int, high: int | None) -> Callable[[date], ColumnElement[bool]]:
    """A notice given ``low``..``high`` working days after registration (the WD-to-notice chart).

    Reads ``workday_ordinal``: the caller fills it for the period first (``ordinals_ensure``).
    """
    def condition(today: date) -> ColumnElement[bool]:
        wd = _ordinal(R.notice_on) - _ordinal(R.receipt_date)
        terms = [noticed(), wd >= low]
        if high is not None:
            terms.append(wd <= high)
        return and_(*terms)
    return condition


def wd_bucket_name(low: int, high: int | None) -> str:
    return f"hk_{low}_{high}" if high is not None else f"hk_{low}_lebih"


@dataclass(frozen=True)
class Bucket:
    """A drill-down: the requests behind one monev number."""

    label: object  # lazy string
    condition: Callable[[date], ColumnElement[bool]]
    withdrawn: bool = False  # include the administrative ends, withdrawn and not completed (outcome mix)
    needs_ordinals: bool = False  # reads workday_ordinal: ordinals_ensure(start, max(end, today)) first


def _outcome(value: str | None) -> Callable[[date], ColumnElement[bool]]:
    if value is None:
        return lambda today: R.outcome.is_(None)
    if value in ADMINISTRATIVE_END_VALUES:
        return lambda today: R.status == value
    return lambda today: R.outcome == value


BUCKETS: dict[str, Bucket] = {
    "diterima": Bucket(_l("Diterima"), lambda today: R.id.isnot(None)),
    "tepat_10": Bucket(_l("Pemberitahuan ≤ 10 hari kerja"), on_time_10),
    "terlambat_10": Bucket(_l("Pemberitahuan lewat 10 hari kerja"), late_10),
    "tepat_hukum": Bucket(_l("Tepat waktu menurut undang-undang"), on_time_legal),
    "pelanggaran": Bucket(_l("Melewati batas waktu undang-undang"), breach),
    "diperpanjang": Bucket(_l("Diperpanjang"), extended),
    "perpanjangan_sah": Bucket(_l("Perpanjangan tepat waktu"), extension_valid),
    "perpanjangan_terlambat": Bucket(_l("Perpanjangan terlambat"), extension_late),
    "terlambat_sekarang": Bucket(_l("Terbuka dan lewat batas waktu"), overdue_open),
    "ditolak": Bucket(_l("Ditolak"), refused),
    "penolakan_lengkap": Bucket(_l("Penolakan dengan Pasal 17 dan uji konsekuensi"), refusal_complete),
    "penolakan_tidak_lengkap": Bucket(_l("Penolakan tanpa Pasal 17 atau uji konsekuensi"), refusal_incomplete),
    "berbiaya": Bucket(_l("Dengan biaya"), with_fee),
    "dari_informasi_publik": Bucket(_l("Dijawab dengan informasi yang sudah diumumkan"), answered_from_published),
    "dijanjikan": Bucket(_l("Pemberitahuan menjanjikan tanggal informasi diberikan"), promised),
    "disampaikan_sesuai_janji": Bucket(_l("Disampaikan paling lambat tanggal yang dijanjikan"), delivered_by_promise),
    "disampaikan_terlambat": Bucket(_l("Disampaikan setelah tanggal yang dijanjikan"), delivered_after_promise),
    "janji_lewat": Bucket(_l("Belum disampaikan dan tanggal yang dijanjikan sudah lewat"), promise_passed_open),
    "belum_diputus": Bucket(_l("Belum ada pemberitahuan"), _outcome(None)),
    **{f"hasil_{o.value}": Bucket(_l("Hasil: %(outcome)s", outcome=OUTCOME_LABELS[o]), _outcome(o.value),
                                  withdrawn=o.value in ADMINISTRATIVE_END_VALUES)
       for o in Outcome},
    "diberi_pemberitahuan": Bucket(_l("Dengan pemberitahuan tertulis"), lambda today: noticed()),
    **{f"pasal17_{letter}": Bucket(_l("Ditolak atau diberikan sebagian dengan Pasal 17 huruf %(letter)s",
                                      letter=letter), refused_with_letter(letter))
       for letter in PASAL_17_LETTERS},
    "aksesibilitas": Bucket(_l("Dengan kebutuhan aksesibilitas"), with_accessibility_need()),
    **{f"aksesibilitas_{need.value}": Bucket(_l("Kebutuhan aksesibilitas: %(need)s", need=ACCESSIBILITY_LABELS[need]),
                                             with_accessibility_need(need.value))
       for need in AccessibilityNeed},
    **{wd_bucket_name(low, high): Bucket(_l("Pemberitahuan dalam %(range)s hari kerja", range=label),
                                         wd_to_notice_between(low, high), needs_ordinals=True)
       for label, low, high in WD_BUCKETS},
}


def bucket_terms(name: str, start: date, end: date, unit_id: UnitScope, today: date) -> list:
    """WHERE terms for a drill-down bucket over a period (KeyError for an unknown bucket)."""
    bucket = BUCKETS[name]
    return [*in_period(start, end, unit_id, withdrawn=bucket.withdrawn), bucket.condition(today)]
