"""Labels of the applicant's reaction to the Atasan's response (register keberatan)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from .models import ObjectionReaction

REACTION_LABELS = {
    ObjectionReaction.ACCEPTED: _l("Menerima tanggapan"),
    ObjectionReaction.NOT_ACCEPTED: _l("Tidak menerima tanggapan (tidak/belum mengajukan sengketa)"),
    ObjectionReaction.TO_KI: _l("Mengajukan sengketa ke Komisi Informasi"),
    ObjectionReaction.UNKNOWN: _l("Tidak ada tanggapan yang diketahui"),
}
EVENT_LABELS.update({"objection_reaction_recorded": _l("Tanggapan pemohon atas tanggapan keberatan dicatat")})
