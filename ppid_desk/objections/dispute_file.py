"""The dispute file (berkas sengketa): what the Komisi Informasi asks the parties to bring, as one
ZIP built in memory. Documents only: the request's receipt, the written notice, each objection's
receipt and the Atasan PPID's response as PDFs on the letterhead, and the timeline as plain text;
never a web page (no navigation, form tokens or messages of whoever downloads it), internal
notes, the identity document or the full NIK."""

from __future__ import annotations

import io
import zipfile

from flask_babel import gettext as _

from ..audit.selectors import events_for
from ..requests.labels import APPLICANT_EVENT_KINDS, EVENT_LABELS, label
from ..requests.models import InformationRequest
from ..web.formatting import local_datetime
from .filing_selectors import objections_of
from .receipt_pdf import objection_receipt, receipt_pdf, request_receipt
from .response_pdf import response_letter, response_pdf

# The timeline of the file is the applicant's; the dispute steps belong on it too (the lead adds
# them to APPLICANT_EVENT_KINDS; until then they are added here).
TIMELINE_KINDS = APPLICANT_EVENT_KINDS | {"dispute_recorded", "dispute_number_set", "dispute_stage_added",
                                          "dispute_outcome_recorded"}


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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue(), [name for name, _content in members]
