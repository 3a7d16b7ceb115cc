"""``register_complete`` (DESIGN §6): the share of register permohonan rows with every mandatory
column filled, computed in one SQL aggregate over the cohort (no per-request loop).

Rows: the monev cohort of ``predicates.in_period`` (requests registered in [start, end],
``submitted`` and ``withdrawn`` excluded, optionally one unit) — the rows the other metrics count.

Mandatory columns of a row (KIP §4, keys below; a text is "filled" when not NULL and not blank):

* always: ``number``, ``receipt_date``, ``name``, ``address``, ``contact`` (telephone OR e-mail),
  ``occupation``, ``rincian`` (information requested), ``tujuan`` (intended use),
  ``access_method`` (view vs copy, and hardcopy/softcopy, both read from it);
* once a written notice exists (``notice_at`` set): ``decision`` (the outcome), ``held`` (the notice
  row, which says whether the body holds the information), ``notice_date``; a refusal also needs
  its ``refusal_reason`` (a Pasal 17 letter in ``pasal17_basis``); a fee (> 0) needs its
  ``payment_method``;
* once extended (``extended_due`` set): ``extension_reason``;
* once delivered (``delivered_at`` set): ``delivery`` (a delivery row: its date and method).

Not mandatory: the handling unit (PPID Utama may answer without routing) and the officer
(self-service online requests have no registering officer). A notice whose outcome is missing, or
an applicant without address or contact, makes the row incomplete. ``missing_by_column`` counts
the rows missing each key (a row can miss several); ``complete`` counts rows missing none.

Stored per request (issue 17 item 3): ``information_request.register_missing`` holds the bitmask
of the keys its row misses (bit i: ``MANDATORY_COLUMNS[i]``), computed in SQL from the definition
above (``missing_mask``) at the end of every flush that changes one of its inputs: the request's
own columns, its applicant, its written notice or its deliveries (``_facts_changed``, whoever the
writer is; a filing's is written with its INSERT, ``filed_mask``). The metric set then counts rows per mask from the covering index
(``register_counts``) instead of re-deriving every row's facts from its texts and three other
tables (about 2 s of a cold run over a year of a million requests). Bulk writers that bypass the
ORM (seed-load) call ``register_facts_refresh``; ``flask ppid rebuild-cache --check`` compares
every stored mask with the definition (``register_facts_disagreeing``).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, case, event, exists, func, inspect, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db
from ..notices.models import Delivery, WrittenNotice
from ..requests.models import Applicant, InformationRequest, Outcome
from ..rows import after_insert, before_insert
from . import predicates as P

R = InformationRequest
A = Applicant
N = WrittenNotice


def _blank(column) -> ColumnElement[bool]:
    return func.coalesce(func.trim(column), "") == ""


def _missing() -> dict[str, ColumnElement[bool]]:
    """Per column key: the row misses it. Every expression is NOT NULL (so CASE and OR behave)."""
    noticed = R.notice_at.isnot(None)
    has_delivery = exists().where(Delivery.request_id == R.id).correlate(R)
    return {
        "number": _blank(R.number),
        "receipt_date": R.receipt_date.is_(None),
        "name": _blank(A.name),
        "address": _blank(A.address),
        "contact": and_(_blank(A.phone), _blank(A.email)),
        "occupation": _blank(A.occupation),
        "rincian": _blank(R.rincian),
        "tujuan": _blank(R.tujuan),
        "access_method": _blank(R.access_method),
        "decision": and_(noticed, _blank(R.outcome)),
        "held": and_(noticed, N.id.is_(None)),
        "refusal_reason": and_(noticed, func.coalesce(R.outcome, "") == Outcome.REFUSED.value,
                               _blank(R.pasal17_basis)),
        "payment_method": and_(noticed, func.coalesce(R.fee_amount, 0) > 0,
                               or_(N.id.is_(None), _blank(N.payment_method))),
        "extension_reason": and_(R.extended_due.isnot(None), _blank(R.extension_reason)),
        "delivery": and_(R.delivered_at.isnot(None), ~has_delivery),
    }


MANDATORY_COLUMNS = ("number", "receipt_date", "name", "address", "contact", "occupation", "rincian", "tujuan",
                     "access_method", "decision", "held", "refusal_reason", "payment_method", "extension_reason",
                     "delivery")


BITS = {key: 1 << index for index, key in enumerate(MANDATORY_COLUMNS)}


def missing_mask() -> ColumnElement[int]:
    """The bitmask of the keys a request's register row misses (``BITS``), in SQL, correlated
    with the request (R): what ``register_missing`` stores."""
    missing = _missing()
    mask = functools.reduce(operator.add, [case((missing[key], bit), else_=0) for key, bit in BITS.items()])
    return (select(mask).select_from(A).outerjoin(N, N.request_id == R.id)
            .where(A.id == R.applicant_id).correlate(R).scalar_subquery())


def register_facts_refresh(request_ids: Iterable[int] | None = None, *, connection=None) -> None:
    """Store the mask of the given requests (every request when None) from the definition."""
    table = R.__table__
    stmt = update(table).values(register_missing=func.coalesce(missing_mask(), 0))
    if request_ids is not None:
        ids = sorted(set(request_ids))
        if not ids:
            return
        stmt = stmt.where(table.c.id.in_(ids))
    (connection or db.session.connection()).execute(stmt)


def register_facts_disagreeing() -> list[tuple[int, str, int, int]]:
    """(id, number, stored, defined) of every request whose stored mask is not the definition's."""
    defined = func.coalesce(missing_mask(), 0)
    return [tuple(row) for row in db.session.execute(
        select(R.id, R.number, R.register_missing, defined).where(R.register_missing != defined).order_by(R.id))]


# The inputs of the definition: which rows' changes can change a request's mask.
_REQUEST_INPUTS = frozenset({"number", "receipt_date", "applicant_id", "rincian", "tujuan", "access_method",
                             "notice_at", "outcome", "pasal17_basis", "fee_amount", "extended_due",
                             "extension_reason", "delivered_at"})
_APPLICANT_INPUTS = frozenset({"name", "address", "phone", "email", "occupation"})
_NOTICE_INPUTS = frozenset({"request_id", "payment_method"})


def filed_mask(item: InformationRequest) -> int | None:
    """The mask of a request being inserted with no notice, extension or delivery yet (a filing),
    from its values and its applicant's in memory: for such a row ``_missing`` reads only these
    columns (blank: NULL, or nothing but spaces, as SQL's ``trim``). None when the row needs the
    database (its applicant not in memory, or a later stage already set: an imported register)."""
    applicant = inspect(item).attrs.applicant.loaded_value
    if (not isinstance(applicant, Applicant) or item.notice_at is not None or item.extended_due is not None
            or item.delivered_at is not None):
        return None

    def blank(value) -> bool:
        return value is None or str(value).strip(" ") == ""

    missing = {"number": blank(item.number), "receipt_date": item.receipt_date is None,
               "name": blank(applicant.name), "address": blank(applicant.address),
               "contact": blank(applicant.phone) and blank(applicant.email),
               "occupation": blank(applicant.occupation), "rincian": blank(item.rincian),
               "tujuan": blank(item.tujuan), "access_method": blank(item.access_method)}
    return sum(BITS[key] for key, is_missing in missing.items() if is_missing)


@event.listens_for(Session, "before_flush")
def _filed_facts(session: Session, _flush_context, _instances) -> None:
    """A filing's mask is written with its INSERT (no second statement on the filing path)."""
    for row in session.new:
        if isinstance(row, R):
            mask = filed_mask(row)
            if mask is not None:
                row.register_missing = mask


def _changed(row, names: frozenset[str]) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _facts_changed(session: Session, _flush_context) -> None:
    """After every flush: re-store the mask of each request whose inputs the flush changed (one
    UPDATE by key, in the flush's transaction). The session still shows what the flush wrote."""
    requests: set[int] = set()
    applicants: set[int] = set()
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, R):
            if (row in session.new and filed_mask(row) is None) or (
                    row not in session.new and _changed(row, _REQUEST_INPUTS)):
                requests.add(row.id)
        elif isinstance(row, N | Delivery):
            if row in session.new or row in session.deleted or _changed(row, _NOTICE_INPUTS):
                requests.add(row.request_id)
                requests.update(inspect(row).attrs.request_id.history.deleted)  # moved from another request
        elif isinstance(row, A) and row not in session.new and _changed(row, _APPLICANT_INPUTS):
            applicants.add(row.id)
    requests.discard(None)
    if requests or applicants:
        _store_masks(session, session.connection(), requests, applicants)


@before_insert(R)
def _filed_mask_of_row_inserted(row: InformationRequest) -> None:
    """A filing inserted without a flush (``rows.row_insert``) has its mask in its INSERT too."""
    mask = filed_mask(row)
    if mask is not None:
        row.register_missing = mask


@after_insert(R)
def _mask_of_row_inserted(row: InformationRequest) -> None:
    """One whose mask needs the database (an imported register's row) is stored after it."""
    if filed_mask(row) is None:
        session = db.session()
        _store_masks(session, session.connection(), {row.id}, set())


def _store_masks(session: Session, connection, requests: set[int], applicants: set[int]) -> None:
    """Store the masks of these requests and of the requests of these applicants (those whose
    stored mask differs); the days of the ones that changed are re-summed."""
    from .tallies import tally_mark_dirty

    table = R.__table__
    mask = func.coalesce(missing_mask(), 0)
    terms = []
    if requests:
        terms.append(table.c.id.in_(sorted(requests)))
    if applicants:
        terms.append(table.c.applicant_id.in_(sorted(applicants)))
    changed = connection.execute(update(table).values(register_missing=mask)
                                 .where(or_(*terms), table.c.register_missing != mask)
                                 .returning(table.c.receipt_date)).scalars().all()
    # A change that did not go through the request funnel (an applicant's details, a notice's
    # payment method) still moves the register figures of its day: its tallies are re-summed.
    for day in sorted(set(changed)):
        tally_mark_dirty(day, connection=connection, session=session)


def register_counts(start: date, end: date, unit_id: P.UnitScope, settled: bool | None = None, *,
                    by_day: bool = False, by_units: bool = False):
    """(mask, rows) of the cohort, per stored mask (optionally per receipt day first, and before
    it per ``metrics.holding_units``): read from the covering index, decoded by ``mask_counts``."""
    from .metrics import holding_units, settled_terms

    keys = [R.receipt_date] if by_day else []
    if by_units:
        keys = [holding_units(), *keys]
    return (select(*keys, R.register_missing, func.count())
            .where(*P.in_period(start, end, unit_id), *settled_terms(settled)).group_by(*keys, R.register_missing))


def mask_counts(rows: Iterable[tuple[int, int]]) -> list[int]:
    """(rows, complete, *missing per MANDATORY_COLUMNS) from (mask, rows) pairs."""
    total = complete = 0
    missing = [0] * len(MANDATORY_COLUMNS)
    for mask, n in rows:
        total += n
        if not mask:
            complete += n
            continue
        for index in range(len(MANDATORY_COLUMNS)):
            if mask >> index & 1:
                missing[index] += n
    return [total, complete, *missing]


def completeness(counts: list[int]) -> dict:
    """{"share", "complete", "rows", "missing_by_column"} from (rows, complete, *missing)."""
    rows, complete, *by_column = counts
    return {"share": complete / rows if rows else None, "complete": int(complete), "rows": int(rows),
            "missing_by_column": {key: int(n) for key, n in zip(MANDATORY_COLUMNS, by_column, strict=True)}}


def register_completeness(start: date, end: date, unit_id: P.UnitScope, settled: bool | None = None) -> dict:
    """The completeness of the cohort of [start, end] (one query; ``settled`` as in the metrics)."""
    return completeness(mask_counts(db.session.execute(register_counts(start, end, unit_id, settled)).all()))
