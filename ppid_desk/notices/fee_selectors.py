"""Reads on the written notice's fee: its lines as issued, and item g as the letter says it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..requests.models import InformationRequest
from ..web import formatting
from .fee_models import NoticeFeeLine
from .fee_services import no_fee_reason
from .models import WrittenNotice


@dataclass(frozen=True)
class FeeStatement:
    """Item g itemised: the lines (as issued), their sum, the fee charged, and the reason when
    the fee is outside the tariff; the decrees (SK) the prices come from."""

    lines: list[NoticeFeeLine]
    lines_sum: int
    total: int
    reason: str | None
    payment_method: str | None
    decrees: list[str]


def fee_lines_of(notice: WrittenNotice) -> list[NoticeFeeLine]:
    return list(db.session.scalars(select(NoticeFeeLine).where(NoticeFeeLine.notice_id == notice.id)
                                   .order_by(NoticeFeeLine.position)))


def fee_statement(notice: WrittenNotice) -> FeeStatement | None:
    """The itemised fee of a notice; None when it has neither lines nor a reason."""
    return fee_statement_of(notice, fee_lines_of(notice))


def fee_statement_of(notice: WrittenNotice, lines: list[NoticeFeeLine]) -> FeeStatement | None:
    """The statement of ``notice`` with these lines (stored, or priced for a preview)."""
    if not lines and not notice.fee_reason:
        return None
    decrees = list(dict.fromkeys(line.decree for line in lines if line.decree))
    return FeeStatement(lines=lines, lines_sum=sum(line.subtotal for line in lines), total=notice.fee_amount or 0,
                        reason=notice.fee_reason, payment_method=notice.payment_method, decrees=decrees)


def fee_row_text(item: InformationRequest, notice: WrittenNotice, statement: FeeStatement | None) -> str:
    """Item g in words: the amount and how to pay, or why there is no fee; with a statement
    (lines or a reason), the amount and a pointer to it, which says the rest."""
    amount = formatting.rupiah(notice.fee_amount)
    if statement is not None:
        return (_("%(amount)s. Rincian biaya dan cara pembayaran tercantum di bawah.", amount=amount)
                if notice.fee_amount else _("Tanpa biaya. Rinciannya dan alasannya tercantum di bawah."))
    if notice.fee_amount:
        return _("%(amount)s. Cara pembayaran: %(how)s", amount=amount, how=notice.payment_method)
    why = no_fee_reason(item)
    return _("Tanpa biaya.") + (" " + why if why else "")
