"""Human labels of consultations (translated at render time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS as REQUEST_EVENT_LABELS
from .models import ConsultationChannel, Resolution

CHANNEL_LABELS = {
    ConsultationChannel.WALK_IN: _l("Datang langsung"),
    ConsultationChannel.PHONE: _l("Telepon"),
    ConsultationChannel.CHAT: _l("Pesan singkat (WhatsApp dan sejenisnya)"),
    ConsultationChannel.SOCIAL_MEDIA: _l("Media sosial"),
    ConsultationChannel.EMAIL: _l("E-mail"),
    ConsultationChannel.OTHER: _l("Lainnya"),
}
RESOLUTION_LABELS = {
    Resolution.ANSWERED: _l("Dijawab langsung"),
    Resolution.REFERRED_PUBLISHED: _l("Dirujuk ke informasi yang sudah diumumkan"),
    Resolution.REFERRED_OTHER_BODY: _l("Dirujuk ke badan publik lain"),
    Resolution.ADVISED_REQUEST: _l("Disarankan mengajukan permohonan informasi"),
    Resolution.REFERRED_COMPLAINT: _l("Diarahkan ke saluran pengaduan"),
    Resolution.OTHER: _l("Lainnya"),
}
EVENT_LABELS = {
    "consultation_logged": _l("Konsultasi dicatat"),
    "consultation_updated": _l("Konsultasi diubah"),
    "consultation_converted": _l("Dijadikan permohonan informasi"),
    "consultation_withdrawn": _l("Catatan konsultasi dibatalkan"),
    "consultation_contact_purged": _l("Kontak dihapus (masa retensi berakhir)"),
}
FIELD_LABELS = {
    "occurred_at": _l("Waktu"), "channel": _l("Saluran"), "topic": _l("Pokok konsultasi"), "unit_id": _l("Unit"),
    "resolution": _l("Tindak lanjut"), "resolution_note": _l("Keterangan tindak lanjut"),
    "contact_consent": _l("Persetujuan menyimpan kontak"), "contact_name": _l("Nama"), "contact": _l("Kontak"),
}

# The request's own timeline names where it came from.
REQUEST_EVENT_LABELS.update({"from_consultation": _l("Berasal dari konsultasi")})
