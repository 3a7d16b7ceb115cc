"""The applicant downloads the written notice and the information delivered as files; staff
are sent to the desk's copies, so that a download is logged as the applicant's only when the
applicant made it. The notice section of the page is the notices domain's panel."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import current_user

from ..audit.personal import GUEST_APPLICANT
from ..desk.policy import staff_elsewhere
from ..notices.selectors import information_file, notice_of
from ..notices.views import information_file_response, notice_pdf_response
from ..web.limits import public_page_limit
from ..web.transaction import commit
from .blueprint import bp
from .lifecycle import request_access_logged
from .models import InformationRequest
from .views import visible_request_or_404


def _applicant_actor():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _applicant_label(item: InformationRequest) -> str | None:
    if current_user.is_authenticated:
        return None
    return GUEST_APPLICANT


@bp.get("/permohonan/<int:request_id>/pemberitahuan.pdf", endpoint="notice_pdf")
@public_page_limit
def applicant_notice_pdf(request_id: int):
    item = visible_request_or_404(request_id)
    notice = notice_of(item)
    if notice is None:
        abort(404)
    if staff_elsewhere(current_user, item):  # never logged as "downloaded by the applicant"
        return redirect(url_for("notices.notice_pdf", request_id=item.id), code=303)
    request_access_logged(actor=_applicant_actor(), actor_label=_applicant_label(item), item=item,
                  kind="notice_downloaded", data={"number": notice.number})
    response = notice_pdf_response(item, notice)
    commit()  # the download is logged only if it is kept
    return response


@bp.get("/permohonan/<int:request_id>/informasi/<int:attachment_id>", endpoint="download_information")
@public_page_limit
def applicant_download_information(request_id: int, attachment_id: int):
    item = visible_request_or_404(request_id)
    attachment = information_file(item, attachment_id)
    if attachment is None:
        abort(404)
    if staff_elsewhere(current_user, item):  # staff download from the desk, logged as officers
        return redirect(url_for("notices.download_information", request_id=item.id, attachment_id=attachment.id),
                        code=303)
    request_access_logged(actor=_applicant_actor(), actor_label=_applicant_label(item), item=item,
                  kind="information_downloaded", data={"attachment_id": attachment.id,
                                                       "name": attachment.original_name})
    commit()
    return information_file_response(attachment)
