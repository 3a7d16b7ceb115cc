"""The applicant's reaction to the Atasan PPID's response (tanggapan pemohon, register keberatan):
accepted, not accepted, went to the Komisi Informasi, or no reaction known, with the day the desk
learnt of it and a short note. Through the objection funnel; flush, never commit."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..accounts.models import User
from ..audit.funnel import ensure_version_of
from ..audit.models import Event
from ..audit.personal import seal
from ..errors import DomainError, ValidationFailed
from ..web.formatting import long_date
from ..workcalendar.selectors import local_date
from .lifecycle import OBJECTION, objection_event
from .models import Objection, ObjectionReaction

MAX_REACTION_NOTE = 500


def objection_reaction_record(*, actor: User, objection: Objection, reaction: str, reaction_on: date | None,
                              note: str | None, today: date, expected_version: int | None = None) -> Event:
    """Record (or correct) what the applicant did after the response; the event keeps the reaction
    before and after, and the note sealed with the applicant's key (the purge makes it unreadable)."""
    ensure_version_of(OBJECTION, objection, expected_version)  # before anything is flushed
    if objection.responded_at is None:  # registered (no response yet) or withdrawn
        raise DomainError(_("Tanggapan pemohon baru dapat dicatat setelah Atasan PPID menanggapi keberatan."))
    problems: dict[str, str] = {}
    if reaction not in {value.value for value in ObjectionReaction}:
        problems["reaction"] = _("Pilih tanggapan pemohon dari daftar.")
    responded_on = local_date(objection.responded_at)
    if reaction_on is None:
        problems["reaction_on"] = _("Isi tanggal tanggapan pemohon diketahui.")
    elif reaction_on < responded_on:
        problems["reaction_on"] = _("Tanggal tidak boleh sebelum tanggal tanggapan Atasan PPID (%(date)s).",
                                    date=long_date(responded_on))
    elif reaction_on > today:
        problems["reaction_on"] = _("Tanggal tidak boleh sesudah hari ini.")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_REACTION_NOTE:
        problems["reaction_note"] = _("Paling banyak %(max)d karakter.", max=MAX_REACTION_NOTE)
    if problems:
        raise ValidationFailed(problems)
    event = objection_event(actor=actor, objection=objection, kind="objection_reaction_recorded",
                            changes={"reaction": reaction, "reaction_on": reaction_on},
                            data={"note": seal(objection.request.applicant_id, note)})
    objection.reaction_note = note
    return event
