"""Labels of the Atasan PPID's side of an objection: decisions, statuses, grounds, events."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from .models import InadmissibleBasis, ObjectionDecision, ObjectionStatus

DECISION_LABELS = {
    ObjectionDecision.UPHELD: _l("Menguatkan keputusan PPID"),
    ObjectionDecision.OVERTURNED_FULL: _l("Membatalkan keputusan PPID; informasi diberikan seluruhnya"),
    ObjectionDecision.OVERTURNED_PARTIAL: _l("Membatalkan sebagian keputusan PPID; informasi diberikan sebagian"),
    ObjectionDecision.SETTLED: _l("Diselesaikan dengan musyawarah (mufakat)"),
    ObjectionDecision.INADMISSIBLE: _l("Keberatan tidak dapat diterima"),
}
INADMISSIBLE_BASIS_LABELS = {
    InadmissibleBasis.LATE: _l("Diajukan lewat waktu: sesudah jangka waktu 30 hari kerja setiap alasan yang "
                               "dipilih berakhir (Pasal 36 ayat (1))"),
    InadmissibleBasis.NOT_APPLICANT: _l("Tidak diajukan oleh pemohon informasi atau kuasanya"),
}
OBJECTION_STATUS_LABELS = {
    ObjectionStatus.REGISTERED: _l("Menunggu tanggapan Atasan PPID"),
    ObjectionStatus.RESPONDED: _l("Sudah ditanggapi"),
    ObjectionStatus.SETTLED: _l("Selesai dengan musyawarah"),
    ObjectionStatus.WITHDRAWN: _l("Dicabut"),
}
# The same, in a few words (registers, lists).
INADMISSIBLE_BASIS_SHORT_LABELS = {
    InadmissibleBasis.LATE: _l("diajukan lewat waktu"),
    InadmissibleBasis.NOT_APPLICANT: _l("tidak diajukan oleh pemohon atau kuasanya"),
}


def decision_text(objection) -> str:
    """The Atasan's decision in words, with the basis of an inadmissibility decision (registers)."""
    text = str(DECISION_LABELS.get(objection.decision, objection.decision))
    basis = (objection.inadmissibility or {}).get("basis") if objection.decision == ObjectionDecision.INADMISSIBLE else None
    if basis:
        text += " (" + "; ".join(str(INADMISSIBLE_BASIS_SHORT_LABELS.get(b, b)) for b in basis) + ")"
    return text


# UU KIP Pasal 35(1): short forms for lists and letters (the filing page explains each in full).
GROUND_SHORT_LABELS = {
    "a": _l("penolakan permohonan berdasarkan alasan pengecualian Pasal 17"),
    "b": _l("tidak disediakannya informasi berkala (Pasal 9)"),
    "c": _l("tidak ditanggapinya permintaan informasi"),
    "d": _l("permintaan informasi ditanggapi tidak sebagaimana yang diminta"),
    "e": _l("tidak dipenuhinya permintaan informasi"),
    "f": _l("pengenaan biaya yang tidak wajar"),
    "g": _l("penyampaian informasi melebihi jangka waktu"),
}

# The kinds this module logs (the same kind on the request's and the objection's timeline).
RESPONSE_EVENT_LABELS = {
    "objection_account_recorded": _l("Tanggapan PPID Utama atas keberatan dicatat"),
    "objection_responded": _l("Atasan PPID menanggapi keberatan"),
    "objection_response_received": _l("Tanggal tanggapan diterima pemohon dicatat"),
    "objection_settled": _l("Keberatan diselesaikan dengan musyawarah"),
    "objection_inadmissible": _l("Atasan PPID memutuskan keberatan tidak dapat diterima"),
    "objection_response_downloaded": _l("Surat tanggapan keberatan diunduh"),
    "objection_reminder_sent": _l("Pengingat batas tanggapan keberatan dikirim"),
    "objection_overdue": _l("Tanggapan keberatan melewati batas waktu"),
    "release_due_recomputed": _l("Batas pemberian informasi dihitung ulang karena kalender hari kerja berubah"),
    "release_complied": _l("Informasi diberikan sesuai perintah Atasan PPID"),
}
EVENT_LABELS.update(RESPONSE_EVENT_LABELS)


def grounds_text(grounds: list[str]) -> str:
    """``huruf a (…), huruf c (…)``."""
    return "; ".join(f"{_l('huruf')} {g} ({GROUND_SHORT_LABELS.get(g, g)})" for g in grounds)
