"""The dispute file (berkas sengketa): what the Komisi Informasi asks the parties to bring, as one
ZIP built in memory. Never internal notes, the identity document or the full NIK."""

from __future__ import annotations

import io
import zipfile

from flask import render_template
from flask_babel import gettext as _

from ..audit.selectors import events_for
from ..requests.labels import APPLICANT_EVENT_KINDS, EVENT_LABELS, label
from ..requests.models import InformationRequest
from ..web.formatting import local_datetime
from ..workcalendar.selectors import clock_rules, working_calendar
from . import labels as objection_labels
from .disputes import objections_of
from .models import Objection
from .pdf import response_letter, response_pdf

# The timeline of the file is the applicant's; the dispute steps belong on it too (the lead adds
# them to APPLICANT_EVENT_KINDS; until then they are added here).
TIMELINE_KINDS = APPLICANT_EVENT_KINDS | {"dispute_recorded", "dispute_number_set", "dispute_stage_added",
                                          "dispute_outcome_recorded"}


def _request_html(item: InformationRequest) -> str:
    rules = clock_rules()
    explanation = working_calendar().explain(item.receipt_date, rules.notice_wd)
    return render_template("requests/receipt.html", item=item, rules=rules, explanation=explanation)


def _notice_pdf(item: InformationRequest) -> bytes | None:
    from ..notices.pdf import notice_pdf
    from ..notices.selectors import notice_letter, notice_of

    notice = notice_of(item)
    return notice_pdf(notice_letter(item, notice)) if notice is not None else None


def _objection_html(item: InformationRequest, objection: Objection) -> str:
    """The objection's own receipt (the filing module's template), for the applicant's eyes."""
    rules = clock_rules()
    return render_template(
        "objections/receipt.html", item=item, objection=objection, rules=rules, desk=False,
        objection_labels=objection_labels,
        response_explanation=working_calendar().explain(objection.filed_date, rules.objection_response_wd))


def timeline_text(item: InformationRequest) -> str:
    lines = [_("Riwayat permohonan %(number)s", number=item.number), ""]
    for event in events_for("request", item.id):
        if event.kind in TIMELINE_KINDS:
            lines.append(f"{local_datetime(event.at)}\t{label(EVENT_LABELS, event.kind)}")
    return "\n".join(lines) + "\n"


def dispute_file_bytes(item: InformationRequest) -> tuple[bytes, list[str]]:
    """The ZIP and the names of its members."""
    members: list[tuple[str, bytes]] = [("01-permohonan.html", _request_html(item).encode())]
    notice = _notice_pdf(item)
    if notice is not None:
        members.append(("02-pemberitahuan-tertulis.pdf", notice))
    for n, objection in enumerate(objections_of(item), start=1):
        members.append((f"03-keberatan-{n}.html", _objection_html(item, objection).encode()))
        if objection.responded_at is not None and objection.decision:
            members.append((f"04-tanggapan-{n}.pdf", response_pdf(response_letter(objection))))
    members.append(("05-riwayat.txt", timeline_text(item).encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue(), [name for name, _content in members]
