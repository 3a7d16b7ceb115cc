"""Writes of a round's results (issue 16 item 6): PPID Utama publishes them (the public page then
lists the units' bands) once the round is finished, and may withdraw them with a reason. Both
are events of the round (``evaluation_round``: ``results_published``, ``results_unpublished``)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..web.formatting import long_date
from .models import EvaluationRound
from .selectors import round_phase
from .services import NotAllowed


class PublishRefused(DomainError):
    """The results cannot be published (or withdrawn) now; the message says why."""


def results_publish(*, actor: User, evaluation: EvaluationRound, today: date) -> None:
    """Publish the round's results: only when the round is finished (its objection window has
    ended), so that what the public reads is final. Raises ``PublishRefused``."""
    if not actor.has_role(Role.PPID_UTAMA):
        raise NotAllowed(_("Hanya PPID Utama yang menerbitkan hasil monev."))
    if evaluation.results_published:
        raise PublishRefused(_("Hasil monev ini sudah diterbitkan."))
    if round_phase(evaluation, today) != "finished":
        raise PublishRefused(_("Hasil baru dapat diterbitkan setelah masa sanggah berakhir (%(day)s), agar yang "
                               "dibaca publik adalah hasil akhir.", day=long_date(evaluation.objection_until)))
    evaluation.results_published_at, evaluation.results_published_by_id = utcnow(), actor.id
    db.session.flush()
    event_log(actor=actor, subject_type="evaluation_round", subject_id=evaluation.id, kind="results_published",
              data={"year": evaluation.year, "units": len(evaluation.participants)})


def results_unpublish(*, actor: User, evaluation: EvaluationRound, reason: str) -> None:
    """Withdraw the published results from the public page, with the reason recorded.
    Raises ``PublishRefused`` or ``ValidationFailed`` (``reason``)."""
    if not actor.has_role(Role.PPID_UTAMA):
        raise NotAllowed(_("Hanya PPID Utama yang menarik hasil monev."))
    if not evaluation.results_published:
        raise PublishRefused(_("Hasil monev ini belum diterbitkan."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": _("Tulis alasan penarikan hasil.")})
    if len(reason) > 1000:
        raise ValidationFailed({"reason": _("Alasan lebih dari 1.000 karakter.")})
    published_at = evaluation.results_published_at
    evaluation.results_published_at, evaluation.results_published_by_id = None, None
    db.session.flush()
    event_log(actor=actor, subject_type="evaluation_round", subject_id=evaluation.id, kind="results_unpublished",
              data={"reason": reason, "published_at": published_at.isoformat() if published_at else None})
