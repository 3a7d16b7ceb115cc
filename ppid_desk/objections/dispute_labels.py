"""Labels of the dispute (sengketa) side: KI levels, stages and the events logged."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from .models import DisputeLevel, DisputeStageKind

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
                       "dispute_outcome_recorded", "dispute_file_downloaded")

EVENT_LABELS.update({
    "dispute_recorded": _l("Sengketa diajukan ke Komisi Informasi"),
    "dispute_number_set": _l("Nomor registrasi Komisi Informasi dicatat"),
    "dispute_stage_added": _l("Tahap sengketa di Komisi Informasi dicatat"),
    "dispute_outcome_recorded": _l("Putusan Komisi Informasi dicatat"),
    "dispute_file_downloaded": _l("Berkas sengketa diunduh"),
})
