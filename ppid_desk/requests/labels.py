"""Human labels for the request domain's codes (translated at render time)."""

from flask_babel import lazy_gettext as _l

from .forms import ACCESS_METHODS, APPLICANT_KINDS, COPY_DELIVERIES
from .models import AccessibilityNeed, Channel, Outcome, RequestStatus
from .next_step import NextStep

STATUS_LABELS = {
    RequestStatus.SUBMITTED: _l("Dikirim"),
    RequestStatus.REGISTERED: _l("Terdaftar"),
    RequestStatus.INCOMPLETE: _l("Perlu dilengkapi"),
    RequestStatus.ROUTED: _l("Sedang diproses unit"),
    RequestStatus.ANSWERED: _l("Jawaban disiapkan"),
    RequestStatus.NOTICE_ISSUED: _l("Pemberitahuan tertulis terbit"),
    RequestStatus.DELIVERED: _l("Informasi disampaikan"),
    RequestStatus.CLOSED: _l("Selesai"),
    RequestStatus.WITHDRAWN: _l("Dicabut"),
    RequestStatus.NOT_COMPLETED: _l("Ditutup: tidak dilengkapi"),
}
CHANNEL_LABELS = {
    Channel.ONLINE: _l("Daring (situs web)"),
    Channel.WALK_IN: _l("Datang langsung"),
    Channel.LETTER: _l("Surat"),
    Channel.EMAIL: _l("E-mail"),
    Channel.PHONE: _l("Telepon"),
}
CLOSURE_LABELS = {
    "weekend": _l("akhir pekan"),
    "libur_nasional": _l("libur nasional"),
    "cuti_bersama": _l("cuti bersama"),
    "local_closure": _l("libur setempat"),
}
# Each domain adds the labels of the events it logs (EVENT_LABELS.update in its labels module).
EVENT_LABELS = {
    "registered": _l("Permohonan terdaftar"),
    "routed": _l("Diteruskan ke unit"),
    "notice_issued": _l("Pemberitahuan tertulis diterbitkan"),
    "delivered": _l("Informasi disampaikan"),
    "closed": _l("Permohonan ditutup"),
    "email_queued": _l("E-mail dikirim ke pemohon"),
    "withdrawn": _l("Permohonan dicabut oleh pemohon"),
    "tracking_link_revoked": _l("Tautan pelacakan dicabut oleh pemohon"),
}
# What an applicant's own timeline shows; internal work (notes, document views, reminders,
# escalations, unit tasks) stays on the officers' side.
APPLICANT_EVENT_KINDS = frozenset({
    "registered", "email_queued", "accepted", "marked_incomplete", "completed", "routed",
    "extended", "notice_issued", "delivered", "closed", "deadline_recomputed", "withdrawn",
    "closed_not_completed", "completeness_letter_handed_over", "letter_handed_over",
    "objection_filed", "objection_responded", "objection_settled", "objection_inadmissible",
    "objection_withdrawn", "release_complied",
    "dispute_recorded", "dispute_number_set", "dispute_stage_added", "dispute_outcome_recorded",
    "dispute_deadline_recomputed",
    "tracking_link_revoked",
    "claimed_by_account",
})
OUTCOME_LABELS = {
    Outcome.GRANTED_FULL: _l("Diberikan seluruhnya"),
    Outcome.GRANTED_PARTIAL: _l("Diberikan sebagian"),
    Outcome.REFUSED: _l("Ditolak"),
    Outcome.NOT_HELD: _l("Tidak dikuasai"),
    Outcome.NOT_DOCUMENTED: _l("Belum didokumentasikan"),
    Outcome.WITHDRAWN: _l("Dicabut"),
    Outcome.NOT_COMPLETED: _l("Tidak dilengkapi"),
}
# Short names of the accessibility needs (desk pages, monev); the form says more.
ACCESSIBILITY_LABELS = {
    AccessibilityNeed.DEAF: _l("Tuli / gangguan pendengaran"),
    AccessibilityNeed.BLIND: _l("Netra / penglihatan terbatas"),
    AccessibilityNeed.WHEELCHAIR: _l("Kursi roda / alat bantu gerak"),
    AccessibilityNeed.ASSISTED_FILING: _l("Perlu dibantu mengisi atau membaca"),
    AccessibilityNeed.OTHER: _l("Kebutuhan lain"),
}
APPLICANT_KIND_LABELS = {c.value: c.label for c in APPLICANT_KINDS}
ACCESS_METHOD_LABELS = {c.value: c.label for c in ACCESS_METHODS}
COPY_DELIVERY_LABELS = {c.value: c.label for c in COPY_DELIVERIES}


def label(mapping: dict, code: str | None) -> str:
    """The label of a code, or the code itself when unknown (never a blank)."""
    if code is None:
        return "—"
    return str(mapping.get(code, code))


# The sentence that heads the applicant's page (``next_step.next_step``), by step.
NEXT_STEP_SENTENCES = {
    NextStep.COMPLETE: _l("Silakan lengkapi permohonan Anda paling lambat %(date)s. Lihat apa yang "
                          "perlu dilengkapi di bawah."),
    NextStep.NOTICE_BY: _l("PPID akan mengirim pemberitahuan tertulis paling lambat %(date)s."),
    NextStep.NOTICE_OVERDUE: _l("PPID belum mengirim pemberitahuan tertulis, padahal batasnya %(date)s."),
    NextStep.PROVIDE_BY: _l("Informasi akan diberikan paling lambat %(date)s."),
    NextStep.PROVIDE_OVERDUE: _l("Informasi dijanjikan paling lambat %(date)s tetapi belum diberikan."),
    NextStep.RELEASE_BY: _l("Atasan PPID memerintahkan informasi diberikan paling lambat %(date)s."),
    NextStep.RELEASE_OVERDUE: _l("Atasan PPID memerintahkan informasi diberikan paling lambat %(date)s, "
                                 "tetapi belum diberikan."),
    NextStep.DONE_DELIVERED: _l("Selesai: informasi sudah diberikan pada %(date)s."),
    NextStep.DONE_REFUSED: _l("Selesai: PPID sudah mengirim pemberitahuan tertulis pada %(date)s."),
    NextStep.DONE_WITHDRAWN: _l("Selesai: permohonan ini sudah dicabut."),
    NextStep.DONE_NOT_COMPLETED: _l("Selesai: permohonan ditutup karena tidak dilengkapi dalam jangka "
                                    "waktunya."),
    NextStep.DONE: _l("Selesai."),
}


# A step whose date is not known says so without a date.
NEXT_STEP_UNDATED = {
    "complete": _l("Silakan lengkapi permohonan Anda. Lihat apa yang perlu dilengkapi di bawah."),
    "done_delivered": _l("Selesai: informasi sudah diberikan."),
    "done_refused": _l("Selesai: PPID sudah mengirim pemberitahuan tertulis."),
}

