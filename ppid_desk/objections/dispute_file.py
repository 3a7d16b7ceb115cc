"""The dispute file (berkas sengketa): what the Komisi Informasi asks the parties to bring, as one
ZIP built in memory. Documents only: the request's receipt, the written notice, each objection's
receipt and the Atasan PPID's response as PDFs on the letterhead, for each dispute its course
(the KI, the courts after it, the final decision and the body's compliance) as a PDF, and the
timeline as plain text;
never a web page (no navigation, form tokens or messages of whoever downloads it), internal
notes, the identity document or the full NIK."""

from __future__ import annotations

import io
import zipfile

from flask_babel import gettext as _

from ..audit.selectors import events_for
from ..organisation.profile_selectors import body_profile
from ..requests.labels import APPLICANT_EVENT_KINDS, EVENT_LABELS, label
from ..requests.models import InformationRequest
from ..web.formatting import local_datetime, long_date
from ..workcalendar.selectors import body_today, clock_rules, working_calendar
from .dispute_labels import COMPLIANCE_LABELS, DECISION_LEVEL_LABELS, LEVEL_LABELS, TIER_LABELS
from .dispute_selectors import dispute_of, dispute_timeline, final_decision
from .filing_selectors import objections_of
from .models import Dispute, Objection
from .receipt_pdf import Receipt, objection_receipt, receipt_pdf, request_receipt
from .response_pdf import response_letter, response_pdf

# The timeline of the file is the applicant's; the dispute steps belong on it too (the lead adds
# them to APPLICANT_EVENT_KINDS; until then they are added here).
TIMELINE_KINDS = APPLICANT_EVENT_KINDS | {"dispute_recorded", "dispute_number_set", "dispute_stage_added",
                                          "dispute_outcome_recorded", "dispute_court_filed",
                                          "dispute_court_hearing_added", "dispute_court_decided",
                                          "dispute_compliance_recorded"}


def dispute_summary(objection: Objection, dispute: Dispute) -> Receipt:
    """The course of one dispute as a printable document: the KI's registration, then the same
    timeline the desk shows (decisions, windows, court cases, the final decision, compliance)."""
    calendar, today, rules = working_calendar(), body_today(), clock_rules()
    rows = [
        (_("Nomor keberatan"), objection.number),
        (_("Nomor pendaftaran permohonan"), objection.request.number),
        (_("Komisi Informasi"), str(LEVEL_LABELS[dispute.level])),
        (_("Nomor registrasi Komisi Informasi"), dispute.ki_number or _("belum ada")),
        (_("Tanggal pengajuan sengketa"), long_date(dispute.filed_date)),
    ]
    for case in dispute.court_cases:
        rows.append((str(TIER_LABELS[case.tier]), "{} · {}".format(
            case.court_name, _("nomor perkara %(number)s", number=case.case_number or _("belum ada")))))
    final = final_decision(dispute, calendar, today, rules)
    rows.append((_("Putusan akhir"), _("%(decision)s, berkekuatan hukum tetap sejak %(date)s", decision=str(
        DECISION_LEVEL_LABELS[final.level]), date=long_date(final.final_on)) if final else _("belum ada")))
    rows.append((_("Pelaksanaan putusan akhir"), "{}{}".format(
        COMPLIANCE_LABELS[dispute.compliance], f" ({long_date(dispute.compliance_date)})")
        if dispute.compliance else _("belum dicatat")))
    steps = []
    for entry in dispute_timeline(dispute, calendar, today, rules):
        text = "{}: {}".format(long_date(entry.day) if entry.day else "—", entry.title)
        if entry.badge:
            text += f" [{entry.badge}]"
        steps.append("\n".join([text, *(f"    - {line}" for line in entry.lines if line)]))
    return Receipt(
        number=dispute.ki_number or objection.number, issued_on=today,
        heading=_("Riwayat Sengketa Informasi Publik"),
        running_head=_("Riwayat sengketa keberatan %(number)s", number=objection.number), rows=rows,
        sections=[(_("Perjalanan sengketa"), steps)],
        closing=_("Dicetak oleh PPID %(body)s pada %(date)s. Batas waktu dan keadaan dibaca pada tanggal itu.",
                  body=body_profile().name, date=long_date(today)))


def _notice_pdf(item: InformationRequest) -> bytes | None:
    from ..notices.pdf import notice_pdf
    from ..notices.selectors import notice_letter, notice_of

    notice = notice_of(item)
    return notice_pdf(notice_letter(item, notice)) if notice is not None else None


def timeline_text(item: InformationRequest) -> str:
    lines = [_("Riwayat permohonan %(number)s", number=item.number), ""]
    for event in events_for("request", item.id):
        if event.kind in TIMELINE_KINDS:
            lines.append(f"{local_datetime(event.at)}\t{label(EVENT_LABELS, event.kind)}")
    return "\n".join(lines) + "\n"


def dispute_file_bytes(item: InformationRequest) -> tuple[bytes, list[str]]:
    """The ZIP and the names of its members."""
    members: list[tuple[str, bytes]] = [("01-permohonan.pdf", receipt_pdf(request_receipt(item)))]
    notice = _notice_pdf(item)
    if notice is not None:
        members.append(("02-pemberitahuan-tertulis.pdf", notice))
    for n, objection in enumerate(objections_of(item), start=1):
        members.append((f"03-keberatan-{n}.pdf", receipt_pdf(objection_receipt(objection))))
        if objection.responded_at is not None and objection.decision:
            members.append((f"04-tanggapan-{n}.pdf", response_pdf(response_letter(objection))))
    members.append(("05-riwayat.txt", timeline_text(item).encode()))
    for n, objection in enumerate(objections_of(item), start=1):
        dispute = dispute_of(objection)
        if dispute is not None:
            members.append((f"06-sengketa-{n}.pdf", receipt_pdf(dispute_summary(objection, dispute))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue(), [name for name, _content in members]
