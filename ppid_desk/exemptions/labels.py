"""Human labels of exemption decisions (translated at render time). The Pasal 17 letters and
their words are the written notice's (``notices.labels.PASAL_17_LABELS``): one list for both."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..notices.labels import PASAL_17_LABELS  # noqa: F401  (re-exported for the templates)
from .models import ExemptionStatus

STATUS_LABELS = {
    ExemptionStatus.DRAFT: _l("Draf"),
    ExemptionStatus.SUBMITTED: _l("Diajukan ke PPID Utama"),
    ExemptionStatus.APPROVED: _l("Ditetapkan"),
    ExemptionStatus.REVOKED: _l("Dicabut"),
}
EVENT_LABELS = {
    "exemption_created": _l("Draf penetapan dibuat"),
    "exemption_updated": _l("Penetapan diubah"),
    "exemption_submitted": _l("Diajukan ke PPID Utama"),
    "exemption_returned": _l("Dikembalikan untuk diperbaiki"),
    "exemption_approved": _l("Disetujui dan diberi nomor oleh PPID Utama"),
    "exemption_revoked": _l("Penetapan dicabut"),
    "exemption_expiry_reminded": _l("Pengingat berakhirnya jangka waktu pengecualian dikirim"),
}
FIELD_LABELS = {
    "unit_id": _l("Unit"), "title": _l("Judul informasi"), "description": _l("Uraian informasi"),
    "pasal17_letter": _l("Pasal 17 huruf"), "legal_basis": _l("Dasar hukum lain"), "harm": _l("Akibat jika dibuka"),
    "public_interest": _l("Kepentingan publik"), "weighing": _l("Pertimbangan"), "period": _l("Jangka waktu"),
    "ends_on": _l("Berakhir"), "official_name": _l("Pejabat"), "official_position": _l("Jabatan"),
    "official_nip": _l("NIP"), "decided_place": _l("Tempat"), "decided_on": _l("Tanggal"),
}


def pasal17_basis(letter: str) -> str:
    """``Pasal 17 huruf h UU 14/2008 (rahasia pribadi)``, in the written notice's words."""
    name = PASAL_17_LABELS.get(letter)
    if name is None:
        return letter
    return _("Pasal 17 huruf %(letter)s UU 14/2008 (%(name)s)", letter=letter, name=name)
