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
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db
from ..notices.models import Delivery, WrittenNotice
from ..requests.models import Applicant, InformationRequest, Outcome
from . import predicates as P

R = InformationRequest
A = Applicant
N = WrittenNotice


def _blank(column) -> ColumnElement[bool]:
    return func.coalesce(func.trim(column), "") == ""


def _missing() -> dict[str, ColumnElement[bool]]:
    """Per column key: the row misses it. Every expression is NOT NULL (so CASE and OR behave)."""
    noticed = R.notice_at.isnot(None)
    has_delivery = exists().where(Delivery.request_id == R.id)
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


def register_counts(start: date, end: date, unit_id: P.UnitScope, settled: bool | None = None, *,
                    by_day: bool = False):
    """(rows, complete, *missing per MANDATORY_COLUMNS), optionally per receipt day first."""
    from .metrics import settled_terms

    missing = _missing()

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    keys = [R.receipt_date] if by_day else []
    return (select(*keys, func.count(), count_if(~or_(*missing.values())),
                   *(count_if(missing[key]) for key in MANDATORY_COLUMNS))
            .select_from(R).join(A, A.id == R.applicant_id).outerjoin(N, N.request_id == R.id)
            .where(*P.in_period(start, end, unit_id), *settled_terms(settled)).group_by(*keys))


def completeness(counts: list[int]) -> dict:
    """{"share", "complete", "rows", "missing_by_column"} from (rows, complete, *missing)."""
    rows, complete, *by_column = counts
    return {"share": complete / rows if rows else None, "complete": int(complete), "rows": int(rows),
            "missing_by_column": {key: int(n) for key, n in zip(MANDATORY_COLUMNS, by_column, strict=True)}}


def register_completeness(start: date, end: date, unit_id: P.UnitScope, settled: bool | None = None) -> dict:
    """The completeness of the cohort of [start, end] (one query; ``settled`` as in the metrics)."""
    return completeness(list(db.session.execute(register_counts(start, end, unit_id, settled)).one()))
