"""Indonesian labels for the events the desk intake logs (registration, completeness, notes, identity)."""

from flask_babel import lazy_gettext as _l

from ..attachments.models import AttachmentPurpose
from ..requests.labels import EVENT_LABELS
from ..requests.models import Channel

EVENT_LABELS.update({
    "accepted": _l("Permohonan diterima lengkap"),
    "marked_incomplete": _l("Permohonan ditandai belum lengkap"),
    "completed": _l("Pemohon melengkapi permohonan"),
    "closed_not_completed": _l("Permohonan ditutup karena tidak dilengkapi"),
    "completeness_letter_handed_over": _l("Penyerahan surat kepada pemohon dicatat"),
    "completeness_letter_downloaded": _l("Surat kelengkapan diunduh pemohon"),
    "letter_handed_over": _l("Penyerahan surat kepada pemohon dicatat"),
    "official_letter_downloaded": _l("Surat diunduh pemohon"),
    "completion_lapsed_reminded": _l("Petugas diingatkan: masa melengkapi sudah lewat"),
    "note_added": _l("Catatan internal ditambahkan"),
    "document_viewed": _l("Dokumen dibuka petugas"),
    "identity_viewed": _l("NIK lengkap dilihat petugas"),
    "assigned": _l("Penugasan petugas diubah"),
})

# Channels a desk officer records; online requests register themselves.
DESK_CHANNEL_LABELS = {
    Channel.WALK_IN: _l("Datang langsung ke meja layanan"),
    Channel.LETTER: _l("Surat"),
    Channel.EMAIL: _l("E-mail"),
    Channel.PHONE: _l("Telepon"),
}

PURPOSE_LABELS = {
    AttachmentPurpose.IDENTITY_DOCUMENT: _l("Dokumen identitas"),
    AttachmentPurpose.POWER_OF_ATTORNEY: _l("Surat kuasa"),
    AttachmentPurpose.UNIT_ANSWER: _l("Dokumen jawaban unit"),
    AttachmentPurpose.INFORMATION: _l("Informasi untuk pemohon"),
    AttachmentPurpose.COMPLETION: _l("Kelengkapan dari pemohon"),
    AttachmentPurpose.OBJECTION_ATTORNEY: _l("Surat kuasa pengajuan keberatan"),
    AttachmentPurpose.OBJECTION_DOCUMENT: _l("Berkas keberatan"),
    AttachmentPurpose.LETTER_RECEIPT: _l("Bukti surat diterima pemohon"),
}
