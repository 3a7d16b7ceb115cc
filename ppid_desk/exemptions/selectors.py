"""Reads on exemption decisions: the desk's list (with the expiry flags), one decision, the
public register, the SK annex of a year, and what the written notice may cite (issue 15 item 6:
``approved_decisions`` and ``decision_get``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import extract, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Role, User
from ..audit.models import Event
from ..audit.selectors import events_for
from ..extensions import db
from ..organisation.models import Unit
from ..workcalendar.selectors import local_date
from .models import ExemptionDecision, ExemptionStatus


def decision_get(decision_id: int) -> ExemptionDecision | None:
    """One decision by id (any status); the caller checks who may see it."""
    return db.session.get(ExemptionDecision, decision_id)


def approved_decisions(unit_id: int | None = None) -> list[ExemptionDecision]:
    """The approved (not revoked) decisions, of one unit or of all, newest first: what a refusal
    may cite. Expired ones are included; the caller shows ``expired_on(today)``."""
    query = (select(ExemptionDecision).options(selectinload(ExemptionDecision.unit))
             .where(ExemptionDecision.status == ExemptionStatus.APPROVED)
             .order_by(ExemptionDecision.approved_at.desc(), ExemptionDecision.id.desc()))
    if unit_id is not None:
        query = query.where(ExemptionDecision.unit_id == unit_id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class RestingNotice:
    """A written notice whose refusal rests on a decision: it cited it, or recorded it."""

    request: object  # requests.models.InformationRequest
    notice: object  # notices.models.WrittenNotice
    recorded: bool  # the decision was recorded from this notice's consequence test


def notices_resting_on(decision: ExemptionDecision) -> list[RestingNotice]:
    """The written notices whose consequence test cites or recorded ``decision``, oldest first."""
    from ..notices.models import ConsequenceTest, WrittenNotice
    from ..requests.models import InformationRequest

    rows = db.session.execute(
        select(InformationRequest, WrittenNotice)
        .join(WrittenNotice, WrittenNotice.request_id == InformationRequest.id)
        .join(ConsequenceTest, ConsequenceTest.notice_id == WrittenNotice.id)
        .where(ConsequenceTest.exemption_id == decision.id)
        .order_by(WrittenNotice.issued_at, WrittenNotice.id))
    return [RestingNotice(request=item, notice=notice, recorded=item.id == decision.request_id)
            for item, notice in rows]


def reminder_days() -> int:
    return int(current_app.config["EXEMPTION_REMINDER_DAYS"])


@dataclass(frozen=True)
class Expiry:
    """How an approved decision's end date stands today (derived when read, never stored)."""

    expired: bool = False
    ending_soon: bool = False
    days_left: int | None = None


def expiry_of(decision: ExemptionDecision, today: date, within_days: int) -> Expiry:
    if decision.status != ExemptionStatus.APPROVED or decision.ends_on is None:
        return Expiry()
    left = (decision.ends_on - today).days
    if left < 0:
        return Expiry(expired=True, days_left=left)
    return Expiry(ending_soon=left <= within_days, days_left=left)


def desk_decisions(user: User, *, status: str | None = None) -> list[ExemptionDecision]:
    """The desk's list: every decision for PPID Utama, the officer's own unit's for PPID Pembantu."""
    query = (select(ExemptionDecision).options(selectinload(ExemptionDecision.unit))
             .order_by(ExemptionDecision.updated_at.desc(), ExemptionDecision.id.desc()))
    if not user.has_role(Role.PPID_UTAMA):
        if user.unit_id is None:
            return []
        query = query.where(ExemptionDecision.unit_id == user.unit_id)
    if status:
        query = query.where(ExemptionDecision.status == status)
    return list(db.session.scalars(query))


def decision_history(decision: ExemptionDecision) -> list[Event]:
    return list(reversed(events_for("exemption", decision.id)))


def public_register() -> list[ExemptionDecision]:
    """Approved and revoked decisions for the public page, by number (drafts never)."""
    return list(db.session.scalars(
        select(ExemptionDecision).options(selectinload(ExemptionDecision.unit))
        .where(ExemptionDecision.status.in_((ExemptionStatus.APPROVED, ExemptionStatus.REVOKED)))
        .order_by(ExemptionDecision.approved_at.desc(), ExemptionDecision.id.desc())))


def annex_decisions(year: int) -> list[ExemptionDecision]:
    """The approved decisions whose approval fell in ``year`` (the body's local year), in number
    order: the rows of the SK annex. Revoked ones are no longer part of it."""
    rows = db.session.scalars(
        select(ExemptionDecision).options(selectinload(ExemptionDecision.unit))
        .where(ExemptionDecision.status == ExemptionStatus.APPROVED,
               extract("year", ExemptionDecision.approved_at).between(year - 1, year + 1))
        .order_by(ExemptionDecision.approved_at, ExemptionDecision.id))
    return [row for row in rows if local_date(row.approved_at).year == year]


def active_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)))


def decisions_to_remind(today: date, within_days: int) -> list[int]:
    """Approved decisions whose end comes within ``within_days`` (or has passed) and whose end date
    was not reminded yet (Pasal 20: the exemption is reviewed when its period ends)."""
    return list(db.session.scalars(
        select(ExemptionDecision.id).where(
            ExemptionDecision.status == ExemptionStatus.APPROVED, ExemptionDecision.ends_on.is_not(None),
            ExemptionDecision.ends_on <= today + timedelta(days=within_days),
            (ExemptionDecision.reminded_for.is_(None)) | (ExemptionDecision.reminded_for != ExemptionDecision.ends_on))
        .order_by(ExemptionDecision.ends_on, ExemptionDecision.id)))
