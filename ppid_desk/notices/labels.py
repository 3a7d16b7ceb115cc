"""Human labels for written notices, extensions and delivery (translated at render time)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from .models import DeliveryMethod, LetterSentVia

EVENT_LABELS.update({
    "notice_issued": _l("Pemberitahuan tertulis diterbitkan"),
    "notice_downloaded": _l("Surat pemberitahuan diunduh pemohon"),
    "extended": _l("Jangka waktu diperpanjang"),
    "delivered": _l("Informasi disampaikan"),
    "information_downloaded": _l("Berkas informasi diunduh"),
    "closed": _l("Permohonan ditutup"),
    "letter_received": _l("Tanggal surat diterima pemohon dicatat"),
    # flask ppid sweep, on the day the notice promised the information by
    "provide_reminder_sent": _l("Pengingat tanggal informasi dijanjikan dikirim ke petugas"),
    "provide_by_passed": _l("Tanggal informasi dijanjikan lewat tanpa penyampaian: dilaporkan ke Atasan PPID"),
})

# How a letter (notice, extension, the Atasan's response) was sent to the applicant.
SENT_VIA_LABELS = {
    LetterSentVia.EMAIL: _l("E-mail (diterima pada hari dikirim)"),
    LetterSentVia.IN_PERSON: _l("Diserahkan langsung (diterima pada hari diserahkan)"),
    LetterSentVia.POST: _l("Pos (tanggal diterima dicatat kemudian dengan bukti)"),
    LetterSentVia.COURIER: _l("Kurir (tanggal diterima dicatat kemudian dengan bukti)"),
}
LETTER_LABELS = {"notice": _l("pemberitahuan tertulis"), "extension": _l("surat perpanjangan")}

# Pasal 17 UU KIP: the exceptions a refusal may rest on, with their short names.
PASAL_17_LABELS = {
    "a": _l("penegakan hukum"),
    "b": _l("hak kekayaan intelektual dan persaingan usaha tidak sehat"),
    "c": _l("pertahanan dan keamanan negara"),
    "d": _l("kekayaan alam Indonesia"),
    "e": _l("ketahanan ekonomi nasional"),
    "f": _l("hubungan luar negeri"),
    "g": _l("isi akta otentik dan wasiat"),
    "h": _l("rahasia pribadi"),
    "i": _l("memorandum atau surat antar/intra badan publik"),
    "j": _l("informasi yang dikecualikan undang-undang lain"),
}

DELIVERY_METHOD_LABELS = {
    DeliveryMethod.FILE: _l("Berkas untuk diunduh di halaman permohonan"),
    DeliveryMethod.LINK: _l("Tautan (URL)"),
    DeliveryMethod.IN_PERSON: _l("Diserahkan langsung / dilihat di tempat"),
    DeliveryMethod.POST: _l("Pos"),
    DeliveryMethod.COURIER: _l("Kurir"),
    DeliveryMethod.EMAIL: _l("E-mail"),
    DeliveryMethod.PUBLISHED: _l("Sudah diumumkan di Informasi Publik (tautan ke halamannya)"),
}


def pasal17_text(letters: list[str] | tuple[str, ...]) -> str:
    """``huruf b (hak kekayaan …), huruf h (rahasia pribadi)``."""
    return ", ".join(_("huruf %(letter)s (%(name)s)", letter=letter, name=PASAL_17_LABELS[letter])
                     for letter in letters if letter in PASAL_17_LABELS)
