"""The desk's side of the numbered extension and withdrawal letters: the panel on the request page
(each letter, "Cetak surat", its hand-over), the printable A4 page, the PDF, and the hand-over
record (the shared ``requests.letters`` service and ``LetterHandoverForm``). Thin views."""

from __future__ import annotations

import io
import re

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..attachments.models import AttachmentPurpose
from ..errors import DomainError, ValidationFailed
from ..requests.letter_forms import HANDOVER_LABELS, LetterHandoverForm
from ..requests.letter_pdf import official_letter_pdf
from ..requests.letter_selectors import official_letter_text
from ..requests.letters import (
    letter_handover_open,
    official_letter_handover,
    official_letter_of,
    official_letters_of,
)
from ..requests.models import InformationRequest, OfficialLetter, OfficialLetterKind
from ..requests.views import document_for_field
from ..web.access import roles_required
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.transaction import commit, rollback
from .blueprint import bp
from .policy import STAFF_ROLES, Action, can, sees_applicant
from .request_page_views import desk_request_or_404, render_request_page, require

OFFICIAL_LETTER_LABELS = {
    OfficialLetterKind.EXTENSION: _l("Surat perpanjangan jangka waktu"),
    OfficialLetterKind.WITHDRAWAL: _l("Surat konfirmasi pencabutan"),
}


def handover_prefix(letter_id: int) -> str:
    return f"official{letter_id}"


def handover_submitted(prefix: str) -> tuple[LetterHandoverForm, object | None, bool]:
    """The posted hand-over form of one letter (fields named with ``prefix``), its proof (required
    for post and courier; kept once accepted, so a corrected form does not ask for it again), and
    whether both are good. Shared by every desk letter's hand-over."""
    form = LetterHandoverForm(prefix=prefix)
    valid = form.validate()
    proof = None
    if form.method.data in ("post", "courier"):
        proof = document_for_field(form, AttachmentPurpose.LETTER_RECEIPT, form.proof, form.proof_token,
                                   required=True)
    return form, proof, valid and not form.proof.errors


def letter_pdf_download(content: bytes, number: str):
    """A letter's PDF as a download named after its number, never cached."""
    name = "surat-" + re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-") + ".pdf"
    response = send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def official_letters_panel(item: InformationRequest, user, overrides: dict) -> dict:
    """The extension and withdrawal letters (a unit officer sees none: they name the applicant)."""
    if not sees_applicant(user):
        return {"official_letters": []}
    letters = official_letters_of(item)
    failed = overrides.get("official_handover_letter_id")
    forms, staged = {}, {}
    for letter in letters:
        if not letter_handover_open(letter):
            continue
        if failed == letter.id:
            forms[letter.id], staged[letter.id] = overrides["official_handover_form"], overrides.get("official_proof")
        else:
            forms[letter.id] = LetterHandoverForm(formdata=None, prefix=handover_prefix(letter.id),
                                                  method=letter.sent_via or "in_person")
    return {"official_letters": letters, "official_letter_labels": OFFICIAL_LETTER_LABELS,
            "official_letters_acting": can(user, Action.RECORD_LETTER_RECEIPT, item),
            "official_handover_forms": forms, "official_handover_staged": staged, "handover_labels": HANDOVER_LABELS}


def _letter_or_404(item: InformationRequest, letter_id: int) -> OfficialLetter:
    if not sees_applicant(current_user):  # the letter names the applicant
        abort(403)
    letter = official_letter_of(item, letter_id)
    if letter is None:
        abort(404)
    return letter


def official_letter_response(item: InformationRequest, letter: OfficialLetter):
    """The letter as a PDF download (the caller checked access and logs what it must)."""
    return letter_pdf_download(official_letter_pdf(official_letter_text(item, letter)), letter.number)


@bp.get("/permohonan/<int:request_id>/surat-resmi/<int:letter_id>", endpoint="official_letter")
@roles_required(*STAFF_ROLES)
def official_letter_view(request_id: int, letter_id: int):
    item = desk_request_or_404(request_id)
    letter = _letter_or_404(item, letter_id)
    return render("requests/official_letter.html", block="letter", item=item,
                  letter=official_letter_text(item, letter),
                  pdf_url=url_for("desk.official_letter_pdf", request_id=item.id, letter_id=letter.id),
                  back_url=url_for("desk.request_page", request_id=item.id))


@bp.get("/permohonan/<int:request_id>/surat-resmi/<int:letter_id>.pdf", endpoint="official_letter_pdf")
@roles_required(*STAFF_ROLES)
def official_letter_pdf_view(request_id: int, letter_id: int):
    item = desk_request_or_404(request_id)
    return official_letter_response(item, _letter_or_404(item, letter_id))


@bp.post("/permohonan/<int:request_id>/surat-resmi/<int:letter_id>/penyerahan",
         endpoint="official_letter_handover")
@roles_required(*STAFF_ROLES)
def official_letter_handover_view(request_id: int, letter_id: int):
    item = desk_request_or_404(request_id)
    require(Action.RECORD_LETTER_RECEIPT, item)
    letter = _letter_or_404(item, letter_id)
    form, proof, good = handover_submitted(handover_prefix(letter.id))
    if good:
        try:
            official_letter_handover(actor=current_user._get_current_object(), item=item, letter=letter,
                                     method=form.method.data, received_on=getattr(form.received_on, "day", None),
                                     proof=proof)
        except ValidationFailed as error:
            rollback()
            errors_onto_form(form, error)
        except DomainError as error:
            rollback()
            flash(str(error), "error")
            return redirect(url_for("desk.request_page", request_id=item.id), code=303)
        else:
            commit()
            flash(_("Penyerahan surat %(number)s dicatat.", number=letter.number), "success")
            return redirect(url_for("desk.request_page", request_id=item.id), code=303)
    commit()  # keeps an accepted proof, so it is not asked for again; nothing else changed
    return render_request_page(desk_request_or_404(item.id), status=422, official_handover_form=form,
                               official_handover_letter_id=letter.id, official_proof=proof)
