"""Assign a request to a named officer (penugasan): write through the request funnel; flush only.

The assignment is the desk's own work list, not a legal step: the statutory clock does not move.
Each change (assign, reassign, unassign) is one ``assigned`` event with the assignee before and
after; the new assignee is told by e-mail through the outbox (sent by the outbox sender).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..errors import DomainError, FieldError
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile
from ..requests.lifecycle import ensure_version, request_event
from ..requests.models import InformationRequest
from ..web.urls import public_url
from .assignment_selectors import assignable_officer


class AssignmentUnchanged(DomainError):
    """The request is already assigned as asked: nothing to record."""


def request_assign(*, actor: User, item: InformationRequest, assignee_id: int | None,
                   expected_version: int | None = None) -> User | None:
    """Assign ``item`` to the officer ``assignee_id`` (None: to nobody); returns the assignee.

    Only an active officer who may work the request is accepted (``assignment_selectors``)."""
    ensure_version(item, expected_version)
    assignee = None
    if assignee_id is not None:
        assignee = assignable_officer(item, assignee_id)
        if assignee is None:
            raise FieldError("assignee", _("Pilih petugas aktif dari daftar: petugas PPID Utama, atau petugas unit "
                                           "yang memegang tugas untuk permohonan ini."))
    if assignee_id == item.assignee_id:
        raise AssignmentUnchanged(_("Permohonan ini sudah ditugaskan seperti itu. Tidak ada yang diubah.")
                                  if assignee_id else _("Permohonan ini memang belum ditugaskan kepada siapa pun."))
    previous = item.assignee
    request_event(actor=actor, item=item, kind="assigned", changes={"assignee_id": assignee_id},
                  data={"assignee": assignee.name if assignee else None,
                        "previous": previous.name if previous else None})
    if assignee is not None and assignee.id != actor.id and assignee.email:
        outbox_enqueue(
            recipient=assignee.email, subject=_l("Permohonan %(number)s ditugaskan kepada Anda", number=item.number),
            template="email/request_assigned.txt", item=item, assignee=assignee, assigned_by=actor.name,
            link=public_url("desk.request_page", request_id=item.id), body_name=body_profile().name)
    return assignee
