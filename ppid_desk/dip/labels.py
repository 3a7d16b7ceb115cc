"""Human labels of the Daftar Informasi Publik (translated at render time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS as REQUEST_EVENT_LABELS
from .models import ItemCategory, ItemFormat, ItemStatus

CATEGORY_LABELS = {
    ItemCategory.BERKALA: _l("Berkala"),
    ItemCategory.SERTA_MERTA: _l("Serta merta"),
    ItemCategory.SETIAP_SAAT: _l("Setiap saat"),
}
CATEGORY_HINTS = {
    ItemCategory.BERKALA: _l("Diumumkan secara rutin, paling sedikit setiap enam bulan (Pasal 9)."),
    ItemCategory.SERTA_MERTA: _l("Diumumkan seketika karena menyangkut hajat hidup orang banyak dan ketertiban umum (Pasal 10)."),
    ItemCategory.SETIAP_SAAT: _l("Tersedia setiap saat dan diberikan bila diminta (Pasal 11)."),
}
FORMAT_LABELS = {
    ItemFormat.SOFTCOPY: _l("Softcopy"),
    ItemFormat.HARDCOPY: _l("Hardcopy"),
    ItemFormat.BOTH: _l("Softcopy dan hardcopy"),
}
STATUS_LABELS = {
    ItemStatus.DRAFT: _l("Draf"),
    ItemStatus.SUBMITTED: _l("Menunggu persetujuan"),
    ItemStatus.RETURNED: _l("Dikembalikan"),
    ItemStatus.SCHEDULED: _l("Terjadwal terbit"),
    ItemStatus.PUBLISHED: _l("Terbit"),
    ItemStatus.WITHDRAWN: _l("Ditarik"),
}
EVENT_LABELS = {
    "dip_item_created": _l("Informasi dibuat"),
    "dip_item_updated": _l("Informasi diubah"),
    "dip_item_submitted": _l("Diajukan untuk persetujuan"),
    "dip_item_approved": _l("Disetujui dan diterbitkan"),
    "dip_item_returned": _l("Dikembalikan untuk diperbaiki"),
    "dip_item_withdrawn": _l("Ditarik dari daftar"),
    "dip_item_reviewed": _l("Ditinjau, masih mutakhir"),
    "dip_document_added": _l("Dokumen ditambahkan"),
    "dip_document_removed": _l("Dokumen dihapus"),
    "dip_item_created_from_request": _l("Dibuat dari jawaban atas permohonan"),
    "dip_item_scheduled": _l("Disetujui, terbit sesuai jadwal"),
    "dip_item_published_as_scheduled": _l("Terbit sesuai jadwal"),
}
REQUEST_EVENT_LABELS.update({
    "answer_proposed_for_catalogue": _l("Jawaban diusulkan untuk diumumkan di Daftar Informasi Publik"),
})
TIMING_LABELS = {
    "now": _l("Segera setelah disetujui PPID Utama"),
    "delay": _l("Setelah masa tunggu"),
}
