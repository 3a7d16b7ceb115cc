"""The applicant's satisfaction survey (survei kepuasan): offered on the request page and by a
link in the e-mail that tells of the delivery or the final notice. Only the request's applicant
(its account owner, or a browser holding the request's tracking grant) answers it; staff who may
read the applicant's page are refused (their answers would not be the applicant's).

The pages hang on the ``requests`` blueprint (``requests_bp``) with the applicant's other pages."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _

from ..errors import ValidationFailed
from ..extensions import db, limiter
from ..requests import views as request_views
from ..requests.models import InformationRequest
from ..requests.session_grants import grant_in_session
from ..requests.tracking import tracking_link_resolve
from ..requests.views import applicant_request_or_404
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit
from ..workcalendar.selectors import body_today
from .forms import SurveyForm
from .selectors import service_ended, survey_answered, survey_offered
from .services import SurveyAlreadyAnswered, SurveyNotOffered, survey_submit

requests_bp = request_views.bp  # the applicant's pages live with their request pages


def applicant_panel(item: InformationRequest, user, overrides: dict) -> dict:
    """The request page's survey section: offered once the service ended, thanks once answered."""
    ended = service_ended(item, body_today())
    answered = ended and survey_answered(item)
    return {"survey_offer": ended and not answered, "survey_answered": answered}


def _page(item: InformationRequest, form: SurveyForm, status: int = 200):
    today = body_today()
    return render("survey/form.html", item=item, form=form, status=status,
                  ended=service_ended(item, today), answered=survey_answered(item))


@requests_bp.get("/permohonan/<int:request_id>/survei")
@public_page_limit
def survey_form(request_id: int):
    item = applicant_request_or_404(request_id)
    return _page(item, SurveyForm(formdata=None))


@requests_bp.post("/permohonan/<int:request_id>/survei")
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"], methods=["POST"])
def survey_submit_view(request_id: int):
    item = applicant_request_or_404(request_id)
    if not survey_offered(item, body_today()):
        flash(_("Survei untuk permohonan ini sudah diisi. Terima kasih.") if survey_answered(item)
              else _("Survei dapat diisi setelah informasi disampaikan atau pemberitahuan tertulis akhir "
                     "diterbitkan."), "info")
        return redirect(url_for("requests.survey_form", request_id=item.id), code=303)
    form = SurveyForm()
    if not form.validate_on_submit():
        return _page(item, form, status=422)
    try:
        survey_submit(item=item, scores=form.scores(), suggestion=form.suggestion.data, today=body_today())
    except ValidationFailed as error:
        db.session.rollback()
        errors_onto_form(form, error)
        return _page(item, form, status=422)
    except (SurveyAlreadyAnswered, SurveyNotOffered) as error:
        db.session.rollback()
        flash(str(error), "info")
        return redirect(url_for("requests.survey_form", request_id=item.id), code=303)
    commit()
    flash(_("Terima kasih. Jawaban survei Anda sudah kami terima tanpa nama dan tanpa nomor permohonan."),
          "success")
    return redirect(url_for("requests.detail", request_id=item.id), code=303)


@requests_bp.get("/lacak/<token>/survei")
@public_page_limit
def survey_link(token: str):
    """The survey link of the e-mails: opens the request like its tracking link, then the survey."""
    _state, item = tracking_link_resolve(token, body_today())
    if item is None:
        # Revoked, expired or unknown: the tracking link's own page says which (and nothing more).
        return redirect(url_for("requests.track_token", token=token), code=303)
    grant_in_session(item.id)
    return redirect(url_for("requests.survey_form", request_id=item.id), code=303)
