"""Labels of the dispute (sengketa) side: KI levels, stages and the events logged."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from .models import (
    Appellant,
    Compliance,
    Court,
    CourtOutcome,
    CourtTier,
    DisputeLevel,
    DisputeStageKind,
    KiDecision,
)

LEVEL_LABELS = {
    DisputeLevel.PUSAT: _l("Komisi Informasi Pusat"),
    DisputeLevel.PROVINSI: _l("Komisi Informasi Provinsi"),
    DisputeLevel.KABKOTA: _l("Komisi Informasi Kabupaten/Kota"),
}
STAGE_LABELS = {
    DisputeStageKind.REGISTRATION: _l("Registrasi"),
    DisputeStageKind.PRELIMINARY: _l("Pemeriksaan awal"),
    DisputeStageKind.MEDIATION: _l("Mediasi"),
    DisputeStageKind.ADJUDICATION: _l("Ajudikasi non-litigasi"),
    DisputeStageKind.DECISION: _l("Putusan"),
}
KI_DECISION_LABELS = {
    KiDecision.UPHELD_BODY: _l("Menolak permohonan pemohon (keputusan badan publik dikuatkan)"),
    KiDecision.GRANTED_FULL: _l("Mengabulkan permohonan pemohon seluruhnya"),
    KiDecision.GRANTED_PARTIAL: _l("Mengabulkan permohonan pemohon sebagian"),
    KiDecision.NOT_ACCEPTED: _l("Permohonan tidak dapat diterima atau gugur"),
    KiDecision.MEDIATION: _l("Kesepakatan mediasi (final dan mengikat, Pasal 39)"),
}
COURT_OUTCOME_LABELS = {
    CourtOutcome.AFFIRMED: _l("Menguatkan putusan sebelumnya (keberatan atau kasasi ditolak)"),
    CourtOutcome.NOT_ACCEPTED: _l("Keberatan atau kasasi tidak dapat diterima (putusan sebelumnya tetap)"),
    CourtOutcome.UPHELD_BODY: _l("Membatalkan putusan sebelumnya: keputusan badan publik dikuatkan"),
    CourtOutcome.GRANTED_FULL: _l("Membatalkan putusan sebelumnya: permohonan pemohon dikabulkan seluruhnya"),
    CourtOutcome.GRANTED_PARTIAL: _l("Membatalkan putusan sebelumnya: permohonan pemohon dikabulkan sebagian"),
}
COURT_LABELS = {
    Court.PTUN: _l("Pengadilan Tata Usaha Negara (badan publik negara)"),
    Court.PN: _l("Pengadilan Negeri (badan publik selain badan publik negara)"),
    Court.MA: _l("Mahkamah Agung"),
}
COURT_SHORT_LABELS = {Court.PTUN: _l("PTUN"), Court.PN: _l("Pengadilan Negeri"), Court.MA: _l("Mahkamah Agung")}
TIER_LABELS = {
    CourtTier.FIRST: _l("Gugatan ke PTUN atau Pengadilan Negeri"),
    CourtTier.CASSATION: _l("Kasasi ke Mahkamah Agung"),
}
# The level of a decision in the chain ("ki" or a tier): whose decision it is.
DECISION_LEVEL_LABELS = {
    "ki": _l("Putusan Komisi Informasi"),
    CourtTier.FIRST: _l("Putusan PTUN atau Pengadilan Negeri"),
    CourtTier.CASSATION: _l("Putusan kasasi Mahkamah Agung"),
}
APPELLANT_LABELS = {
    Appellant.BODY: _l("Badan publik"),
    Appellant.APPLICANT: _l("Pemohon"),
}
COMPLIANCE_LABELS = {
    Compliance.COMPLIED: _l("Sudah dilaksanakan"),
    Compliance.NOT_COMPLIED: _l("Tidak atau belum dilaksanakan"),
}
# What stands on the information after a decision (a KiDecision value), in a few words.
CONTENT_SHORT_LABELS = {
    KiDecision.UPHELD_BODY: _l("keputusan badan publik dikuatkan"),
    KiDecision.GRANTED_FULL: _l("permohonan dikabulkan seluruhnya"),
    KiDecision.GRANTED_PARTIAL: _l("permohonan dikabulkan sebagian"),
    KiDecision.NOT_ACCEPTED: _l("permohonan tidak dapat diterima atau gugur"),
    KiDecision.MEDIATION: _l("kesepakatan mediasi"),
}
# What to bring to the Komisi Informasi (KIP §3; Perki 1/2013), in plain words.
WHAT_TO_BRING = (
    _l("Permohonan informasi Anda dan tanda bukti permohonannya."),
    _l("Surat pemberitahuan tertulis dari PPID, jika ada."),
    _l("Surat keberatan Anda dan tanda bukti keberatannya."),
    _l("Tanggapan tertulis Atasan PPID, jika ada."),
    _l("Fotokopi identitas Anda (KTP), atau akta pendirian jika Anda badan hukum, dan surat kuasa jika diwakili."),
    _l("Formulir permohonan penyelesaian sengketa informasi dari Komisi Informasi (tersedia di kantor atau situs web Komisi Informasi)."),
)
DISPUTE_EVENT_KINDS = ("dispute_recorded", "dispute_number_set", "dispute_stage_added",
                       "dispute_outcome_recorded", "dispute_court_filed", "dispute_court_hearing_added",
                       "dispute_court_decided", "dispute_compliance_recorded", "dispute_file_downloaded",
                       "dispute_deadline_recomputed")

EVENT_LABELS.update({
    "dispute_recorded": _l("Sengketa diajukan ke Komisi Informasi"),
    "dispute_number_set": _l("Nomor registrasi Komisi Informasi dicatat"),
    "dispute_stage_added": _l("Tahap sengketa di Komisi Informasi dicatat"),
    "dispute_outcome_recorded": _l("Putusan Komisi Informasi dicatat"),
    "dispute_court_filed": _l("Perkara sengketa di pengadilan dicatat"),
    "dispute_court_hearing_added": _l("Sidang perkara sengketa di pengadilan dicatat"),
    "dispute_court_decided": _l("Putusan pengadilan atas sengketa dicatat"),
    "dispute_compliance_recorded": _l("Pelaksanaan putusan akhir sengketa dicatat"),
    "dispute_file_downloaded": _l("Berkas sengketa diunduh"),
    "dispute_deadline_recomputed": _l("Batas waktu Komisi Informasi dihitung ulang karena kalender hari kerja berubah"),
})
