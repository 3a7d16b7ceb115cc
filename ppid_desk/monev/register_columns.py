"""The statutory registers' columns (KIP §4, in order) and their CSV/XLSX files (web.spreadsheets).

A column turns one loaded row into a cell value: a ``date`` (real dates in XLSX, ISO in CSV,
``d MMMM y`` in HTML) or a string. Rows are loaded by ``monev.register_selectors`` without per-row
queries; the NIK is never part of a row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from ..notices.labels import DELIVERY_METHOD_LABELS
from ..objections.dispute_labels import LEVEL_LABELS
from ..objections.models import Objection, ObjectionStatus
from ..objections.reaction_labels import REACTION_LABELS
from ..objections.response_labels import decision_text
from ..organisation.profile_selectors import body_profile
from ..requests.labels import (
    CHANNEL_LABELS,
    COPY_DELIVERY_LABELS,
    OUTCOME_LABELS,
    STATUS_LABELS,
    label,
)
from ..requests.models import AccessMethod, InformationRequest, Outcome, RequestStatus
from ..web import formatting
from ..web.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from ..workcalendar.selectors import local_date

DASH = "—"


@dataclass
class RequestRow:
    item: InformationRequest
    notice: Any = None  # WrittenNotice
    delivery: Any = None  # the latest Delivery
    units: list[str] = field(default_factory=list)  # names of the handling units
    extended_at: datetime | None = None
    officer: str | None = None
    withdrawal: Any = None  # requests.withdrawal.Withdrawal of a withdrawn request


@dataclass
class ObjectionRow:
    objection: Objection
    atasan: str | None = None  # the responding Atasan's name
    dispute: Any = None  # (level, ki_number, filed_date) or None


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy string
    value: Callable[[Any], Any]
    width: int = 18  # characters, for XLSX
    wide: bool = False  # long free text (wraps in HTML)


# --- register permohonan ----------------------------------------------------------------------

def _contact_of(applicant) -> str:
    return " / ".join(part for part in (applicant.phone, applicant.email) if part) or DASH


def _contact(row: RequestRow) -> str:
    return _contact_of(row.item.applicant)


def _received_time(row: RequestRow) -> str:
    """The time of day the request was actually received, in the body's time zone (``14.35 WIB``)."""
    moment = formatting.local(row.item.received_at)
    return f"{moment:%H.%M} {moment.tzname()}"


def _deemed_date(row: RequestRow) -> date | None:
    """The day the clock counts from when a cut-off or a non-working day moved it (else None)."""
    item = row.item
    return item.receipt_date if item.receipt_date != local_date(item.received_at) else None


def _held(row: RequestRow) -> str:
    notice = row.notice
    if notice is None:
        return DASH
    if notice.held:
        return str(_l("Dikuasai"))
    if notice.holder_body:
        return str(_l("Tidak dikuasai; dikuasai oleh %(body)s", body=notice.holder_body))
    return str(_l("Tidak dikuasai"))


def _copy_format(row: RequestRow) -> str:
    return {AccessMethod.SALINAN_HARDCOPY: "Hardcopy",
            AccessMethod.SALINAN_SOFTCOPY: "Softcopy"}.get(row.item.access_method, DASH)


def _view_or_copy(row: RequestRow) -> str:
    item = row.item
    if item.access_method == AccessMethod.MELIHAT:
        return str(_l("Melihat / membaca / mendengarkan / mencatat"))
    text = str(_l("Mendapatkan salinan"))
    return f"{text} ({label(COPY_DELIVERY_LABELS, item.copy_delivery)})" if item.copy_delivery else text


def _withdrawn(row: RequestRow) -> str:
    """"Dicabut; diterima <date> melalui <channel>; alasan: …" (the date the clock stopped)."""
    item, withdrawal = row.item, row.withdrawal
    text = label(OUTCOME_LABELS, Outcome.WITHDRAWN.value)
    at = withdrawal.at if withdrawal is not None and withdrawal.at else item.closed_at
    if at is not None:
        text += "; " + str(_l("diterima %(on)s", on=_iso(local_date(at))))
        if withdrawal is not None and withdrawal.channel:
            text += " " + str(_l("melalui %(channel)s", channel=label(CHANNEL_LABELS, withdrawal.channel)))
    if withdrawal is not None and withdrawal.reason:
        text += "; " + str(_l("alasan: %(reason)s", reason=withdrawal.reason))
    return text


def _not_completed(row: RequestRow) -> str:
    """"Tidak dilengkapi; ditutup <date>": an administrative end, not a late answer."""
    item = row.item
    text = label(OUTCOME_LABELS, Outcome.NOT_COMPLETED.value)
    if item.closed_at is not None:
        text += "; " + str(_l("ditutup %(on)s", on=_iso(local_date(item.closed_at))))
    return text


def _decision(row: RequestRow) -> str:
    item = row.item
    if item.status == RequestStatus.WITHDRAWN:
        return _withdrawn(row)
    if item.status == RequestStatus.NOT_COMPLETED:
        return _not_completed(row)
    if not item.outcome:
        return str(_l("Belum diputuskan (%(status)s)", status=label(STATUS_LABELS, item.status)))
    text = label(OUTCOME_LABELS, item.outcome)
    if item.pasal17_basis:
        letters = ", ".join(item.pasal17_basis.split(","))
        text += "; " + str(_l("dikecualikan Pasal 17 huruf %(letters)s", letters=letters))
    return text


def _rupiah(amount: int) -> str:
    return formatting.rupiah(amount)  # CSV/XLSX downloads are always Indonesian (web.language)


def _fee(row: RequestRow) -> str:
    notice = row.notice
    if notice is None:
        return DASH
    if not notice.fee_amount:
        return str(_l("Tanpa biaya"))
    return f"{_rupiah(notice.fee_amount)}; {notice.payment_method or DASH}"


def _extension(row: RequestRow) -> str:
    item = row.item
    if item.extended_due is None:
        return DASH
    when = _iso(local_date(row.extended_at)) if row.extended_at else DASH
    return str(_l("%(on)s (sampai %(due)s): %(reason)s", on=when, due=_iso(item.extended_due),
                  reason=item.extension_reason or DASH))


def _delivery(row: RequestRow) -> str:
    delivery = row.delivery
    if delivery is None:
        return DASH
    on = _iso(local_date(delivery.delivered_at))
    if delivery.published_item_id is not None:  # answered from the Daftar Informasi Publik: which item
        return str(_l("%(on)s: sudah diumumkan di Daftar Informasi Publik, nomor %(number)s", on=on,
                      number=delivery.published_item_id))
    return f"{on}: {label(DELIVERY_METHOD_LABELS, delivery.method)}"


def _iso(value: date) -> str:
    return value.isoformat()


REQUEST_COLUMNS: tuple[Column, ...] = (
    Column(_l("Nomor pendaftaran"), lambda r: r.item.number, 22),
    Column(_l("Tanggal diterima"), lambda r: local_date(r.item.received_at), 14),
    Column(_l("Jam diterima"), _received_time, 12),
    Column(_l("Tanggal dianggap diterima (batas jam layanan atau hari libur)"), _deemed_date, 16),
    Column(_l("Nama pemohon"), lambda r: r.item.applicant.name, 24),
    Column(_l("Alamat"), lambda r: r.item.applicant.address, 30, True),
    Column(_l("Kontak (telepon/e-mail)"), _contact, 30),
    Column(_l("Pekerjaan"), lambda r: r.item.applicant.occupation or DASH, 18),
    Column(_l("Rincian informasi"), lambda r: r.item.rincian, 45, True),
    Column(_l("Tujuan penggunaan"), lambda r: r.item.tujuan, 30, True),
    Column(_l("Dikuasai/tidak"), _held, 24),
    Column(_l("Hardcopy/softcopy"), _copy_format, 12),
    Column(_l("Melihat/mendapatkan salinan"), _view_or_copy, 26),
    Column(_l("Keputusan dan alasan penolakan"), _decision, 30, True),
    Column(_l("Tanggal pemberitahuan tertulis"),
           lambda r: local_date(r.item.notice_at) if r.item.notice_at else None, 14),
    Column(_l("Biaya dan cara pembayaran"), _fee, 22),
    Column(_l("Unit yang menangani"), lambda r: ", ".join(r.units) or DASH, 26),
    Column(_l("Tanggal dan alasan perpanjangan"), _extension, 36, True),
    Column(_l("Informasi dijanjikan paling lambat"), lambda r: r.item.provide_by, 14),
    Column(_l("Tanggal dan cara penyampaian"), _delivery, 30),
    Column(_l("Petugas"), lambda r: r.officer or DASH, 22),
)


# --- register keberatan -----------------------------------------------------------------------

def _representative(row: ObjectionRow, part: str) -> str:
    """The representative's name, address or contact; "—" when the applicant filed in person."""
    objection = row.objection
    if not objection.representative_name:
        return DASH
    value = {"name": objection.representative_name, "address": objection.representative_address,
             "contact": objection.representative_contact}[part]
    return value or DASH


def _grounds(row: ObjectionRow) -> str:
    return str(_l("Pasal 35 ayat (1) huruf %(letters)s", letters=", ".join(row.objection.grounds)))


def _atasan_decision(row: ObjectionRow) -> str:
    objection = row.objection
    if objection.status == ObjectionStatus.WITHDRAWN:
        on = _iso(local_date(objection.withdrawn_at)) if objection.withdrawn_at else DASH
        return str(_l("Dicabut pemohon pada %(on)s (tidak ditanggapi)", on=on))
    decision = objection.decision
    return decision_text(objection) if decision else str(_l("Belum ditanggapi"))


def _atasan(row: ObjectionRow) -> str:
    """Who signed the response, as the body profile named them when it was issued (the
    ``response_signature`` copied then, never today's profile); for a response issued before
    signatures were copied, the responding officer. An open objection names the Atasan PPID it is
    addressed to: the one the profile names now."""
    objection = row.objection
    signature = objection.response_signature
    if signature is None and objection.responded_at is None:
        official = body_profile().atasan
        signature = {"name": official.name, "position": official.position}
    if signature and signature.get("name"):
        return f"{signature['name']}, {signature.get('position') or _l('Atasan PPID')}"
    return f"{row.atasan}, {_l('Atasan PPID')}" if row.atasan else DASH


def _reaction(row: ObjectionRow) -> str:
    """What the applicant did after the response as the desk recorded it, and the dispute if one
    was recorded (both, when both are known)."""
    objection = row.objection
    parts = []
    if objection.reaction:
        text = label(REACTION_LABELS, objection.reaction)
        if objection.reaction_on:
            text += " " + str(_l("(diketahui %(on)s)", on=_iso(objection.reaction_on)))
        if objection.reaction_note:
            text += "; " + str(_l("catatan: %(note)s", note=objection.reaction_note))
        parts.append(text)
    if row.dispute is not None:
        level, ki_number, filed = row.dispute
        text = str(_l("Mengajukan sengketa ke %(ki)s pada %(on)s", ki=label(LEVEL_LABELS, level), on=_iso(filed)))
        if ki_number:
            text += " " + str(_l("(nomor %(number)s)", number=ki_number))
        parts.append(text)
    return "; ".join(parts) or DASH


OBJECTION_COLUMNS: tuple[Column, ...] = (
    Column(_l("Nomor keberatan"), lambda r: r.objection.number, 22),
    Column(_l("Tanggal diterima"), lambda r: r.objection.filed_date, 14),
    Column(_l("Nama pemohon"), lambda r: r.objection.request.applicant.name, 24),
    Column(_l("Alamat pemohon"), lambda r: r.objection.request.applicant.address, 30, True),
    Column(_l("Kontak pemohon (telepon/e-mail)"), lambda r: _contact_of(r.objection.request.applicant), 30),
    Column(_l("Nama kuasa"), lambda r: _representative(r, "name"), 24),
    Column(_l("Alamat kuasa"), lambda r: _representative(r, "address"), 30, True),
    Column(_l("Kontak kuasa (telepon/e-mail)"), lambda r: _representative(r, "contact"), 30),
    Column(_l("Nomor permohonan"), lambda r: r.objection.request.number, 22),
    Column(_l("Informasi yang diminta"), lambda r: r.objection.request.rincian, 45, True),
    Column(_l("Tujuan penggunaan"), lambda r: r.objection.intended_use, 30, True),
    Column(_l("Alasan keberatan"), _grounds, 24),
    Column(_l("Keputusan Atasan"), _atasan_decision, 30, True),
    Column(_l("Tanggal tanggapan"),
           lambda r: local_date(r.objection.responded_at) if r.objection.responded_at else None, 14),
    Column(_l("Nama dan jabatan Atasan"), _atasan, 26),
    Column(_l("Tanggapan pemohon"), _reaction, 36, True),
    Column(_l("Terlambat diajukan"), lambda r: str(_l("Ya")) if r.objection.late else str(_l("Tidak")), 12),
)


# --- cells and files --------------------------------------------------------------------------

def html_cell(value: Any) -> str:
    if value is None or value == "":
        return DASH
    if isinstance(value, date):
        return formatting.long_date(value)
    return str(value)


def _text_cell(value: Any) -> str:
    if value is None or value == "":
        return DASH
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(columns: Sequence[Column], rows: Sequence[Any]) -> bytes:
    """UTF-8 with a BOM (so Excel picks the encoding), comma-separated, text never a formula."""
    return csv_bytes([[str(column.header) for column in columns],
                      *([_text_cell(column.value(row)) for column in columns] for row in rows)])


def to_xlsx(columns: Sequence[Column], rows: Sequence[Any], *, title: str) -> bytes:
    """One sheet: a bold, frozen header row, set widths, real dates, text never a formula."""
    return xlsx_bytes([Sheet(title, [str(column.header) for column in columns],
                             ([column.value(row) for column in columns] for row in rows),
                             widths=[column.width for column in columns], wrap=[column.wide for column in columns],
                             bold_header=True, empty=DASH)])
