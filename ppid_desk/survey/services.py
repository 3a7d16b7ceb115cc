"""Writes of the satisfaction survey: record one anonymous response per request (flush only)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..organisation.unit_selectors import utama_unit
from ..requests.models import InformationRequest
from ..routing.models import RoutingTask, TaskStatus
from ..signals import feedback_changed
from .ikm import ELEMENT_KEYS, SCALE
from .models import SurveyResponse, SurveyTicket
from .selectors import service_ended, survey_answered, ticket_digest

SUGGESTION_MAX = 2000


class SurveyNotOffered(DomainError):
    """The service on the request has not ended: nothing to rate yet."""


class SurveyAlreadyAnswered(DomainError):
    """The request's survey was answered before (one response per request)."""


def handling_unit_id(item: InformationRequest) -> int | None:
    """The unit the response is counted for: the unit whose answer the request was served with
    (its newest answered routing task), else PPID Utama (it served the request itself)."""
    unit_id = db.session.scalar(
        select(RoutingTask.unit_id).where(RoutingTask.request_id == item.id,
                                          RoutingTask.status == TaskStatus.ANSWERED)
        .order_by(RoutingTask.answered_at.desc(), RoutingTask.id.desc()).limit(1))
    if unit_id is not None:
        return unit_id
    utama = utama_unit()
    return utama.id if utama is not None else None


def survey_submit(*, item: InformationRequest, scores: Mapping[str, int | str | None], suggestion: str | None,
                  today: date) -> SurveyResponse:
    """Record the applicant's answers to the survey of ``item``: the nine scores (1–4) and an
    optional suggestion, kept without any link to the request (``survey.models``). Raises
    ``ValidationFailed`` (per field), ``SurveyNotOffered`` or ``SurveyAlreadyAnswered``."""
    errors: dict[str, str] = {}
    values: dict[str, int] = {}
    for key in ELEMENT_KEYS:
        raw = scores.get(key)
        try:
            value = int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            value = None
        if value not in SCALE:
            errors[key] = str(_l("Pilih salah satu dari empat jawaban."))
        else:
            values[key] = value
    text = (suggestion or "").strip() or None
    if text is not None and len(text) > SUGGESTION_MAX:
        errors["suggestion"] = str(_l("Paling banyak %(max)d karakter.", max=SUGGESTION_MAX))
    if errors:
        raise ValidationFailed(errors)
    if not service_ended(item, today):
        raise SurveyNotOffered(str(_l("Survei dapat diisi setelah informasi disampaikan atau pemberitahuan "
                                      "tertulis akhir diterbitkan.")))
    if survey_answered(item):
        raise SurveyAlreadyAnswered(str(_l("Survei untuk permohonan ini sudah diisi. Terima kasih.")))
    ticket = SurveyTicket(digest=ticket_digest(item))
    try:
        with db.session.begin_nested():  # two tabs submitting at once: the second meets the key
            db.session.add(ticket)
            db.session.flush()
    except IntegrityError as error:
        raise SurveyAlreadyAnswered(str(_l("Survei untuk permohonan ini sudah diisi. Terima kasih."))) from error
    response = SurveyResponse(id=secrets.token_hex(16), unit_id=handling_unit_id(item), year=today.year,
                              month=today.month, suggestion=text, **values)
    db.session.add(response)
    db.session.flush()
    feedback_changed.send(None)
    return response
