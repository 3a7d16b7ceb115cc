"""The annual report's submission to the Komisi Informasi (Perki 1/2021 Pasal 56: within three
months after the year ends, i.e. by 31 March), recorded by PPID Utama with its proof: the day, how
it was sent, to whom, and the proof file (the covering letter, the e-mail, the portal's receipt),
stored like every other document (``attachments``). Flush, never commit."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import attachment_delete
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import ValidationFailed
from ..extensions import db
from ..requests.labels import EVENT_LABELS
from .annual_selectors import annual_report_get
from .models import AnnualReport

SUBMISSION_CHANNELS = {
    "email": _l("E-mail"),
    "letter": _l("Surat (pos atau kurir)"),
    "in_person": _l("Diantar langsung"),
    "portal": _l("Aplikasi atau portal Komisi Informasi"),
}
RECIPIENT_MAX = 200
NOTE_MAX = 2000

EVENT_LABELS.update({
    "annual_report_submission_recorded": _l("Penyampaian laporan tahunan ke Komisi Informasi dicatat"),
    "annual_report_submission_reminded": _l("Pengingat penyampaian laporan tahunan dikirim"),
})


def submission_proof(year: int) -> Attachment | None:
    """The proof of the year's submission (the latest, should an older one have survived)."""
    return db.session.scalar(select(Attachment).where(
        Attachment.annual_report_year == year, Attachment.purpose == AttachmentPurpose.ANNUAL_REPORT_PROOF)
        .order_by(Attachment.id.desc()).limit(1))


def submission_problems(*, year: int, submitted_on: date | None, via: str | None, to: str | None,
                        note: str | None, has_proof: bool, today: date) -> dict[str, str]:
    """What is wrong with a submission record, a message per field (empty: nothing)."""
    errors: dict[str, str] = {}
    if submitted_on is None:
        errors["submitted_on"] = _("Isi tanggal laporan disampaikan ke Komisi Informasi.")
    elif submitted_on > today:
        errors["submitted_on"] = _("Tanggal penyampaian tidak boleh sesudah hari ini.")
    elif submitted_on.year <= year:
        errors["submitted_on"] = _("Laporan tahun %(year)d disampaikan sesudah tahun itu berakhir "
                                   "(paling cepat 1 Januari %(next)d).", year=year, next=year + 1)
    if via not in SUBMISSION_CHANNELS:
        errors["submitted_via"] = _("Pilih cara laporan disampaikan.")
    to = (to or "").strip()
    if not to:
        errors["submitted_to"] = _("Tulis Komisi Informasi yang menerima laporan, misalnya Komisi Informasi "
                                   "Provinsi Jawa Barat.")
    elif len(to) > RECIPIENT_MAX:
        errors["submitted_to"] = _("Paling banyak %(n)d karakter.", n=RECIPIENT_MAX)
    if note and len(note) > NOTE_MAX:
        errors["submission_note"] = _("Paling banyak %(n)d karakter.", n=NOTE_MAX)
    if not has_proof and submission_proof(year) is None:
        errors["proof"] = _("Unggah bukti penyampaian: surat pengantar dengan tanda terima, e-mail terkirim, atau "
                            "tanda terima dari aplikasi Komisi Informasi (PDF, JPEG atau PNG).")
    return errors


def annual_report_submission_record(*, actor: User, year: int, submitted_on: date | None, via: str | None,
                                    to: str | None, note: str | None, proof: Attachment | None,
                                    today: date) -> AnnualReport:
    """Record (or correct) the day the year's report was sent to the Komisi Informasi, with its
    proof. A new proof replaces the previous one (its file goes when the transaction commits).
    Raises ``ValidationFailed`` with a message per field; nothing is written then."""
    errors = submission_problems(year=year, submitted_on=submitted_on, via=via, to=to, note=note,
                                 has_proof=proof is not None, today=today)
    if errors:
        raise ValidationFailed(errors)
    to = (to or "").strip()
    previous = submission_proof(year)
    report = annual_report_get(year)
    if report is None:
        report = AnnualReport(year=year, published=False)
        db.session.add(report)
        db.session.flush()
    before = {"submitted_on": report.submitted_on.isoformat() if report.submitted_on else None,
              "submitted_via": report.submitted_via, "submitted_to": report.submitted_to}
    report.submitted_on, report.submitted_via, report.submitted_to = submitted_on, via, to
    report.submission_note = note or None
    report.submission_recorded_at = utcnow()
    report.submission_recorded_by_id = actor.id
    if proof is not None and (previous is None or proof.id != previous.id):
        if previous is not None:
            attachment_delete(previous)
        proof.annual_report_year = year
        proof.staged_token = None
        proof.staged_by = None
    db.session.flush()
    kept = proof if proof is not None else previous
    event_log(actor=actor, subject_type="annual_report", subject_id=year, kind="annual_report_submission_recorded",
              data={"year": year, "before": before,
                    "after": {"submitted_on": submitted_on.isoformat(), "submitted_via": via, "submitted_to": to},
                    "proof": {"id": kept.id, "name": kept.original_name, "sha256": kept.sha256}})
    return report
