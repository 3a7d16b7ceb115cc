"""Factories: build the app's objects THROUGH ITS SERVICES, committed, as a user would leave them.

A factory never copies numbering, deadline or status logic: a request is registered by
``request_register``, an objection filed by ``objection_file``, a task routed by the routing
service. Each commits, so the requests a test then makes (each in its own session) see it.
Fixtures in ``conftest.py`` wrap the common ones (``make_user``, ``file_request`` …).
"""

from __future__ import annotations

from datetime import datetime

from ppid_desk.extensions import db

PASSWORD = "rahasia-panjang-1"


def make_user(email="warga@example.id", password=PASSWORD, *, name="Siti Warga", roles=("pemohon",),
              verified=True, unit=None):
    """A user with ``roles`` (accounts have no registration service for officers with a password)."""
    from ppid_desk.accounts.models import User, UserRole
    from ppid_desk.dbtypes import utcnow

    user = User(email=email, name=name, email_verified_at=utcnow() if verified else None, unit=unit)
    user.set_password(password)
    user.role_rows = [UserRole(role=r) for r in roles]
    db.session.add(user)
    db.session.commit()
    return user


def make_unit(code="DISDIK", name="Dinas Pendidikan", kind="pembantu", parent=None):
    from ppid_desk.organisation.models import Unit

    unit = Unit(code=code, name=name, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.commit()
    return unit


def register_request(*, received_at: datetime | None = None, email="budi@example.id", name="Budi Santoso",
                     owner=None, channel="online", rincian="Dokumen anggaran Dinas Pendidikan tahun 2025.",
                     actor=None, notify=True):
    """A request registered by ``request_register`` (numbered, clocked, logged), committed."""
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.requests.services import ApplicantDetails, RequestDetails, request_register

    item = request_register(
        actor=actor or owner, owner=owner, channel=channel, documents=[],
        received_at=received_at or utcnow(), notify=notify,
        applicant=ApplicantDetails(kind="perorangan", name=name, nik="3201011505900001",
                                   legal_approval_number=None, representative_name=None,
                                   address="Jl. Melati No. 5", occupation="Wiraswasta",
                                   phone="081234567890", email=email),
        details=RequestDetails(rincian=rincian, tujuan="Pengawasan anggaran",
                               access_method="salinan_softcopy", copy_delivery="email"),
    )
    db.session.commit()
    return item


def file_objection(item, *, grounds=("c", "g"), filed_at: datetime | None = None, actor=None,
                   channel="online", case_summary="Permohonan tidak ditanggapi sampai batas waktu.",
                   intended_use="Pengawasan anggaran", notify=False):
    """An objection to ``item`` filed by ``objection_file`` (numbered, its clocks set), committed."""
    from ppid_desk import clock
    from ppid_desk.objections.filing import objection_file

    objection = objection_file(
        actor=actor, request=item, grounds=list(grounds), case_summary=case_summary,
        intended_use=intended_use, representative_name=None, documents=[],
        filed_at=filed_at or clock.now(), channel=channel, notify=notify)
    db.session.commit()
    return objection
