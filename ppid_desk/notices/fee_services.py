"""The written notice's fee (item g of Pasal 22(7)), itemised from the published tariff.

UU KIP: fees are only the cost of copies and delivery, at published rates; viewing, reading,
listening and taking notes cost nothing, and a softcopy sent by e-mail has no copying cost; an
unreasonable fee is an objection ground (Pasal 35(1) f). So a fee is the sum of lines priced by
the tariff in effect; any other amount (a manual line, or a total that differs from the lines)
needs a written reason, which the applicant reads in the letter, on the tracking page and in the
e-mail. ``fee_check`` validates and prices; ``fee_lines_write`` stores the lines as issued."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from ..extensions import db
from ..organisation.tariff_models import TariffKind, TariffLine
from ..organisation.tariff_selectors import tariff_in_effect
from ..requests.models import AccessMethod, CopyDelivery, InformationRequest, Outcome
from ..web.formatting import long_date
from .fee_models import NoticeFeeLine
from .models import WrittenNotice

MAX_FEE = 100_000_000  # rupiah, as notices.forms
QTY_MAX = 100_000
REASON_MIN = 10
DESCRIPTION_MAX = 200
CLOSING = frozenset({Outcome.REFUSED, Outcome.NOT_HELD})  # as services.CLOSING_OUTCOMES
POSTED = frozenset({CopyDelivery.POS, CopyDelivery.KURIR})


@dataclass(frozen=True)
class FeeLineDraft:
    """One line as typed: a tariff line and a quantity, or a manual line (no tariff id) with its
    own description and unit price. ``field`` names the form field(s) its messages go to: the
    quantity field of a tariff line, the prefix ``fee_manualN`` of a manual line's three fields."""

    tariff_line_id: int | None
    quantity: int | None
    description: str = ""
    unit_price: int | None = None
    field: str = ""


@dataclass(frozen=True)
class PricedLine:
    tariff_line_id: int | None
    kind: str | None
    description: str
    unit: str
    quantity: int
    unit_price: int
    decree: str | None

    @property
    def subtotal(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class FeeCheck:
    lines: list[PricedLine] = field(default_factory=list)
    total: int = 0
    lines_sum: int = 0
    out_of_tariff: bool = False
    errors: dict[str, str] = field(default_factory=dict)


# What one unit of each kind is, stored with the line in the letter's language (Indonesian).
STORED_UNITS = {TariffKind.COPY: "lembar", TariffKind.MEDIUM: "buah", TariffKind.POSTAGE: "kiriman"}


def decree_text(line: TariffLine) -> str:
    """``Keputusan … Nomor …, tanggal 2 Januari 2026``: stored with the fee line as the letter
    prints it (an official document stays Indonesian whatever the officer's language)."""
    return f"{line.decree_number}, tanggal {long_date(line.decree_date, locale='id')}"


def no_fee_reason(item: InformationRequest) -> str | None:
    """Why this request can carry no fee at all, or None."""
    if item.access_method == AccessMethod.MELIHAT:
        return _("Pemohon memilih melihat, membaca, mendengarkan atau mencatat informasi: cara ini tidak "
                 "dipungut biaya.")
    if item.copy_delivery == CopyDelivery.EMAIL:
        return _("Salinan yang dikirim lewat e-mail tidak dipungut biaya.")
    return None


def _tariff_line(draft: FeeLineDraft, line: TariffLine | None, item: InformationRequest,
                 errors: dict[str, str]) -> PricedLine | None:
    name = draft.field or "fee_amount"
    if line is None:
        errors[name] = _("Tarif ini tidak berlaku lagi. Muat ulang halaman dan periksa rincian biaya.")
        return None
    if draft.quantity is None or not 1 <= draft.quantity <= QTY_MAX:
        errors[name] = _("Tulis jumlah 1 sampai %(max)d, atau kosongkan.", max=QTY_MAX)
        return None
    if line.kind == TariffKind.COPY and item.access_method == AccessMethod.SALINAN_SOFTCOPY:
        errors[name] = _("Pemohon meminta salinan elektronik (softcopy): tidak ada biaya penggandaan per lembar. "
                         "Pakai tarif media bila salinan diberikan dalam CD/DVD atau flashdisk.")
        return None
    if line.kind == TariffKind.POSTAGE and item.copy_delivery not in POSTED:
        errors[name] = _("Pemohon tidak meminta salinan dikirim lewat pos atau kurir: tidak ada biaya pengiriman.")
        return None
    return PricedLine(tariff_line_id=line.id, kind=line.kind, description=line.name,
                      unit=STORED_UNITS.get(line.kind, ""), quantity=draft.quantity, unit_price=line.price,
                      decree=decree_text(line))


def _manual_line(draft: FeeLineDraft, errors: dict[str, str]) -> PricedLine | None:
    prefix = draft.field or "fee_manual1"
    description = " ".join((draft.description or "").split())
    before = len(errors)
    if not description:
        errors[f"{prefix}_description"] = _("Tulis uraian biaya ini, misalnya penjilidan.")
    elif len(description) > DESCRIPTION_MAX:
        errors[f"{prefix}_description"] = _("Paling banyak %(max)d karakter.", max=DESCRIPTION_MAX)
    if draft.quantity is None or not 1 <= draft.quantity <= QTY_MAX:
        errors[f"{prefix}_quantity"] = _("Tulis jumlah 1 sampai %(max)d.", max=QTY_MAX)
    if draft.unit_price is None or not 1 <= draft.unit_price <= MAX_FEE:
        errors[f"{prefix}_price"] = _("Tulis harga satuan dalam rupiah, contoh 5000.")
    if len(errors) > before:
        return None
    return PricedLine(tariff_line_id=None, kind=None, description=description, unit="",
                      quantity=draft.quantity, unit_price=draft.unit_price, decree=None)


def fee_check(*, item: InformationRequest, outcome: str, lines: tuple[FeeLineDraft, ...], total: int | None,
              reason: str | None, payment_method: str | None, today: date) -> FeeCheck:
    """Price the lines by the tariff in effect on ``today`` and check the fee against the law.

    ``total`` None means "the sum of the lines". Messages are keyed by form field."""
    errors: dict[str, str] = {}
    tariff = {line.id: line for line in tariff_in_effect(today)} if any(
        d.tariff_line_id is not None for d in lines) else {}
    priced: list[PricedLine] = []
    for draft in lines:
        line = (_tariff_line(draft, tariff.get(draft.tariff_line_id), item, errors)
                if draft.tariff_line_id is not None else _manual_line(draft, errors))
        if line is not None:
            priced.append(line)
    lines_sum = sum(line.subtotal for line in priced)
    amount = lines_sum if total is None else total
    manual = any(line.tariff_line_id is None for line in lines)
    out_of_tariff = manual or amount != lines_sum
    if amount < 0:
        errors.setdefault("fee_amount", _("Biaya tidak boleh kurang dari nol."))
    elif amount > MAX_FEE:
        errors.setdefault("fee_amount", _("Biaya paling banyak Rp100.000.000."))
    charged = amount > 0 or bool(lines)
    refusal = no_fee_reason(item)
    if charged and outcome in CLOSING:
        errors["fee_amount"] = _("Permohonan yang ditolak atau informasinya tidak dikuasai tidak dikenai biaya.")
    elif charged and refusal:
        errors["fee_amount"] = refusal
    elif out_of_tariff and len((reason or "").strip()) < REASON_MIN:
        errors["fee_reason"] = _("Biaya di luar tarif (baris di luar tarif, atau jumlah yang berbeda dari rincian) "
                                 "wajib disertai alasan tertulis, paling sedikit %(n)d karakter. Alasan ini "
                                 "tercantum di surat dan dikirim kepada pemohon.", n=REASON_MIN)
    if amount > 0 and not (payment_method or "").strip() and "fee_amount" not in errors:
        errors["payment_method"] = _("Tulis cara membayar biaya, misalnya tunai di meja layanan atau "
                                     "transfer ke rekening badan publik.")
    return FeeCheck(lines=priced, total=amount, lines_sum=lines_sum, out_of_tariff=out_of_tariff, errors=errors)


def fee_lines_write(notice: WrittenNotice, check: FeeCheck) -> list[NoticeFeeLine]:
    """Store the priced lines of an issued notice, as they were priced (flush by the caller)."""
    rows = [NoticeFeeLine(notice_id=notice.id, position=position, tariff_line_id=line.tariff_line_id,
                          kind=line.kind, description=line.description, unit=line.unit, quantity=line.quantity,
                          unit_price=line.unit_price, subtotal=line.subtotal, decree=line.decree)
            for position, line in enumerate(check.lines, start=1)]
    db.session.add_all(rows)
    return rows


def fee_event_data(check: FeeCheck, reason: str | None) -> dict:
    """What the notice's event records of the fee (nothing when there is no fee)."""
    if not check.lines and not check.total:
        return {}
    data: dict = {"fee_lines": [[line.description, line.quantity, line.unit_price, line.subtotal]
                                for line in check.lines]}
    if check.out_of_tariff:
        data["fee_reason"] = (reason or "").strip()
    return data
