"""Indonesian labels of the objection domain: the Pasal 35(1) grounds in plain words, statuses,
decisions, channels and the events the filing logs (translated at render time)."""

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from ..requests.models import Channel
from .models import ObjectionDecision, ObjectionStatus

# UU KIP Pasal 35(1): the short name of each ground ...
GROUND_LABELS = {
    "a": _l("Permohonan ditolak dengan alasan informasi dikecualikan"),
    "b": _l("Informasi berkala tidak disediakan"),
    "c": _l("Permohonan tidak ditanggapi"),
    "d": _l("Permohonan ditanggapi tidak sesuai yang diminta"),
    "e": _l("Permohonan tidak dipenuhi"),
    "f": _l("Biaya yang dikenakan tidak wajar"),
    "g": _l("Informasi disampaikan melebihi batas waktu"),
}
# ... and what it means, in plain words for the applicant.
GROUND_EXPLANATIONS = {
    "a": _l("PPID menolak memberikan informasi karena menganggapnya rahasia (dikecualikan menurut "
            "Pasal 17 UU KIP), dan Anda tidak setuju."),
    "b": _l("Informasi yang wajib diumumkan secara berkala (misalnya laporan keuangan atau laporan "
            "kinerja, Pasal 9 UU KIP) tidak tersedia."),
    "c": _l("Anda tidak menerima pemberitahuan tertulis sampai batas waktunya lewat."),
    "d": _l("Jawaban yang Anda terima bukan informasi yang Anda minta."),
    "e": _l("Permohonan Anda tidak dipenuhi, misalnya informasi dijanjikan tetapi tidak pernah "
            "diberikan, atau dinyatakan tidak dikuasai tanpa penjelasan yang masuk akal."),
    "f": _l("Anda diminta membayar biaya yang menurut Anda tidak wajar (lebih dari biaya penggandaan "
            "atau pengiriman yang sebenarnya)."),
    "g": _l("Informasi diberikan, atau akan diberikan, lebih lambat dari batas waktu yang diatur "
            "undang-undang."),
}
OBJECTION_STATUS_LABELS = {
    ObjectionStatus.REGISTERED: _l("Terdaftar, menunggu tanggapan Atasan PPID"),
    ObjectionStatus.RESPONDED: _l("Sudah ditanggapi Atasan PPID"),
    ObjectionStatus.SETTLED: _l("Selesai dengan musyawarah"),
    ObjectionStatus.WITHDRAWN: _l("Dicabut"),
}
OBJECTION_DECISION_LABELS = {
    ObjectionDecision.UPHELD: _l("Keputusan PPID dikuatkan"),
    ObjectionDecision.OVERTURNED_FULL: _l("Keputusan PPID dibatalkan seluruhnya"),
    ObjectionDecision.OVERTURNED_PARTIAL: _l("Keputusan PPID dibatalkan sebagian"),
    ObjectionDecision.SETTLED: _l("Diselesaikan dengan musyawarah"),
}
OBJECTION_CHANNEL_LABELS = {
    Channel.ONLINE: _l("Daring (situs web)"),
    Channel.WALK_IN: _l("Datang langsung ke meja layanan"),
    Channel.LETTER: _l("Surat"),
    Channel.EMAIL: _l("E-mail"),
}
# Paper channels a desk officer records; online objections register themselves.
DESK_OBJECTION_CHANNELS = (Channel.WALK_IN, Channel.LETTER, Channel.EMAIL)
GROUND_SOURCE_LABELS = {
    "notice": _l("tanggal pemberitahuan tertulis"),
    "missed_deadline": _l("hari setelah batas pemberitahuan tertulis terlewati"),
    "none": _l("belum ada; dihitung dari hari ini"),
}

EVENT_LABELS.update({
    "objection_filed": _l("Keberatan diajukan kepada Atasan PPID"),
    "filed": _l("Keberatan terdaftar"),
})
