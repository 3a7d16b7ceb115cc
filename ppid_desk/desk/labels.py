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


# The request page's side column: each action panel's summary line (by the panel's ``key``) ...
ACTION_LABELS = {
    "intake": _l("Pemeriksaan kelengkapan"),
    "routing": _l("Disposisi ke unit"),
    "extension": _l("Perpanjangan jangka waktu"),
    "notice": _l("Terbitkan pemberitahuan tertulis"),
    "delivery": _l("Penyampaian informasi dan penutupan"),
    "withdrawal": _l("Catat pencabutan"),
    "objection": _l("Keberatan"),
    "release": _l("Perintah Atasan PPID"),
    "publish_answer": _l("Umumkan jawaban di Daftar Informasi Publik"),
}

# ... and, for the step due next (``next_action_selectors.Step``), its name and who takes it,
# told to an officer who cannot take it instead of an empty panel.
STEP_LABELS = {
    "intake": _l("Pemeriksaan kelengkapan"),
    "routing": _l("Disposisi ke unit"),
    "units": _l("Menunggu jawaban unit"),
    "notice": _l("Pemberitahuan tertulis"),
    "delivery": _l("Penyampaian informasi"),
    "close": _l("Penutupan permohonan"),
    "objection": _l("Keberatan"),
    "release": _l("Perintah Atasan PPID"),
}

STEP_OWNERS = {
    "intake": _l("Pemeriksaan kelengkapan dilakukan oleh petugas layanan atau PPID Utama."),
    "routing": _l("Disposisi ke unit dilakukan oleh PPID Utama."),
    "units": _l("Unit yang menerima disposisi sedang menyiapkan jawabannya di halaman tugas unit."),
    "notice": _l("Pemberitahuan tertulis diterbitkan oleh PPID Utama."),
    "delivery": _l("Penyampaian informasi dicatat oleh petugas layanan atau PPID Utama."),
    "close": _l("Permohonan ditutup oleh PPID Utama setelah informasi diterima pemohon."),
    "objection": _l("Keberatan disiapkan oleh PPID Utama dan diputus oleh Atasan PPID di halaman keberatan."),
    "release": _l("Pelaksanaan perintah Atasan PPID dicatat oleh PPID Utama."),
}
