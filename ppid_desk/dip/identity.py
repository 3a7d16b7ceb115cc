"""Text published from a request never identifies who asked: the check shared by publishing an
answer and by editing an item that came from one."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from ..requests.models import InformationRequest

_NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")
_EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def identity_problems(texts: dict[str, str], request: InformationRequest) -> dict[str, str]:
    """The fields whose text names the applicant: their name, NIK (or any 16-digit number), e-mail
    address, telephone number or street address. Published text never identifies who asked."""
    applicant = request.applicant
    name = " ".join((applicant.name or "").split()).casefold()
    representative = " ".join((applicant.representative_name or "").split()).casefold()
    phone = _digits(applicant.phone)
    address = " ".join((applicant.address or "").split()).casefold()
    problems: dict[str, str] = {}
    for field, text in texts.items():
        flat = " ".join((text or "").split()).casefold()
        found = []
        if len(name) >= 3 and name in flat:
            found.append(_("nama pemohon"))
        if len(representative) >= 3 and representative in flat:
            found.append(_("nama kuasa pemohon"))
        if _NIK_LIKE.search(flat) or (applicant.nik and _digits(applicant.nik) and _digits(applicant.nik) in _digits(flat)):
            found.append(_("NIK"))
        if _EMAIL_LIKE.search(flat):
            found.append(_("alamat e-mail"))
        if len(phone) >= 7 and phone[-7:] in _digits(flat):
            found.append(_("nomor telepon"))
        if len(address) >= 10 and address in flat:
            found.append(_("alamat pemohon"))
        if found:
            problems[field] = _("Teks yang diumumkan tidak boleh memuat identitas pemohon. Hapus: %(found)s.",
                                found=", ".join(found))
    return problems
