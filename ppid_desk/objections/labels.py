"""Indonesian labels of the objection domain: the Pasal 35(1) grounds in plain words, statuses,
decisions, channels and the events the filing logs (translated at render time)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from ..requests.models import Channel
from ..web.formatting import long_date
from ..workcalendar.selectors import clock_rules
from . import filing_selectors as fs
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
    ObjectionDecision.INADMISSIBLE: _l("Keberatan tidak dapat diterima"),
}
OBJECTION_CHANNEL_LABELS = {
    Channel.ONLINE: _l("Daring (situs web)"),
    Channel.WALK_IN: _l("Datang langsung ke meja layanan"),
    Channel.LETTER: _l("Surat"),
    Channel.EMAIL: _l("E-mail"),
}
# Paper channels a desk officer records; online objections register themselves.
DESK_OBJECTION_CHANNELS = (Channel.WALK_IN, Channel.LETTER, Channel.EMAIL)
# Where each ground's 30-WD filing window counts from (filing_selectors.GroundWindow.basis).
WINDOW_BASIS_LABELS = {
    fs.NOTICE_RECEIVED: _l("pemberitahuan tertulis diterima"),
    fs.DEADLINE_PASSED: _l("batas pemberitahuan tertulis lewat tanpa pemberitahuan"),
    fs.DELIVERED: _l("informasi disampaikan"),
    fs.DELIVERY_DUE_PASSED: _l("batas penyampaian informasi lewat tanpa penyampaian"),
    fs.FOUND_MISSING: _l("pemohon mengetahui informasi berkala tidak tersedia"),
    fs.FROM_FILING: _l("keberatan diajukan (catatan permohonan belum menunjukkan alasan ini)"),
}


def window_text(window: fs.GroundWindow) -> str:
    """One ground's filing window in words: the same sentence on the form, the receipt (page and
    PDF), the e-mails and the objection page, so each says the dates the "late" flag uses."""
    if window.basis == fs.NOTICE_RECEIPT_UNKNOWN:
        return _("belum diketahui: tanggal pemberitahuan tertulis diterima pemohon belum dicatat (dikirim "
                 "lewat pos atau kurir). Selama tanggal itu belum diketahui, keberatan atas alasan ini tidak "
                 "terlambat.")
    if window.basis == fs.FOUND_MISSING_NOT_STATED:
        return _("dihitung dari tanggal Anda mengetahui informasi berkala tidak tersedia")
    return _("%(start)s sampai %(due)s (%(n)d hari kerja sejak %(basis)s)", start=long_date(window.start),
             due=long_date(window.due), n=clock_rules().objection_filing_wd,
             basis=WINDOW_BASIS_LABELS.get(window.basis, window.basis))


def window_state(window: fs.GroundWindow, on) -> str:
    """Whether the window was still open on ``on`` (the filing day on a receipt, today on a form)."""
    if window.basis == fs.FOUND_MISSING_NOT_STATED:
        return ""
    if not window.known:
        return _("belum diketahui")
    return _("sudah lewat") if window.closed_on(on) else _("masih terbuka")


def filing_due_text(objection) -> str:
    """The objection's governing window (the chosen ground whose window closes last), in words."""
    if objection.filing_due is None:
        return _("belum diketahui: jangka waktu salah satu alasan yang dipilih dihitung dari tanggal surat "
                 "diterima pemohon, yang belum dicatat. Keberatan ini tidak terlambat.")
    return _("%(due)s (%(n)d hari kerja sejak %(date)s)", due=long_date(objection.filing_due),
             n=clock_rules().objection_filing_wd, date=long_date(objection.ground_date))


EVENT_LABELS.update({
    "objection_filed": _l("Keberatan diajukan kepada Atasan PPID"),
    "filed": _l("Keberatan terdaftar"),
})
